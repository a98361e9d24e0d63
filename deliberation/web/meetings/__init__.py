"""会议 (/meetings, ?meeting=<id>): the meetings list and the console of one meeting."""
