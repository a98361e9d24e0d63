"""审计日志 (/audit): who did what, and every refused attempt."""
