"""我的任务 (/tasks): the actions assigned to a seat and their progress."""
