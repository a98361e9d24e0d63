"""我的账号 (/account): who I am, my password, signing out."""
