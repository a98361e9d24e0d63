"""The only place SQL and table names live."""
from .db import compound_token, default_db_path, one, open_db, rows, scalar, store_token, write

__all__ = ["open_db", "write", "rows", "one", "scalar", "default_db_path", "store_token", "compound_token"]
