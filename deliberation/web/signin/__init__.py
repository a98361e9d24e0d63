"""登录 (/signin): the sign-in form."""
