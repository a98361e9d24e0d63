"""居民公示栏 (/public?compound=<id>): the residents' board, no sign-in."""
