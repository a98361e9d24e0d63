STRINGS = {
    "signin.title": ("登录", "Sign in"),
    "signin.username": ("用户名", "Username"),
    "signin.password": ("密码", "Password"),
    "signin.submit": ("登录", "Sign in"),
    "signin.public_link": ("不登录,查看居民公示栏", "Open the residents' public board without signing in"),
    "signin.demo_hint": ("演示账号见 README(例如支部书记 hx_secretary)。", "Demo accounts are listed in the README (e.g. hx_secretary)."),
}
