"""议题详情 (/issue?issue=<id>): the whole story of one issue, and the work done on it."""
