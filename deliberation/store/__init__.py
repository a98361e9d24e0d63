"""The only place SQL and table names live."""
from .db import open_db, write, rows, one, scalar, default_db_path, store_token

__all__ = ["open_db", "write", "rows", "one", "scalar", "default_db_path", "store_token"]
