"""用户管理 (/users, admin only): accounts, roles and scopes, passwords and locks."""
