STRINGS = {
    "account.title": ("我的账号", "My account"),
    "account.who": ("姓名:{name} · 角色:{role}", "Name: {name} · Role: {role}"),
    "account.scope.compounds": ("负责小区:{names}", "Compounds: {names}"),
    "account.scope.area": ("所辖区域:{name}(含下属全部小区)", "Area: {name} (and every compound under it)"),
    "account.scope.seat": ("代表的协商主体:{seat}", "Representing: {seat}"),
    "account.scope.all": ("可管理全部区域、小区和账号", "Manages every area, compound and account"),
    "account.password": ("修改密码", "Change password"),
    "account.password.old": ("原密码", "Current password"),
    "account.password.new": ("新密码(至少 8 位,需同时包含字母和数字)", "New password (8+ characters, letters and digits)"),
    "account.password.repeat": ("再次输入新密码", "Repeat the new password"),
    "account.password.submit": ("修改密码", "Change password"),
    "account.password.mismatch": ("两次输入的新密码不一致。", "The two new passwords differ."),
    "account.session": ("登录与退出", "Session"),
    "account.session.note": ("刷新页面或打开新标签页仍保持登录;30 分钟无操作或登录满 12 小时会自动退出;"
                             "在公用电脑上用完请主动退出。",
                             "A reload or a new tab keeps you signed in; you are signed out after 30 minutes "
                             "idle or 12 hours in all. On a shared computer, sign out when done."),
    "account.signout": ("退出登录", "Sign out"),
    "account.first.title": ("请设置新密码", "Set a new password"),
    "account.first.why": ("{name},您使用的是一次性密码(或管理员设置的临时密码)。请先设置自己的新密码,"
                          "设置后才能使用系统;一次性密码随即作废。",
                          "{name}, you signed in with a one-time (or admin-set) password. Set your own "
                          "password to continue; the one-time password stops working."),
    "account.first.old": ("一次性密码(账号通知单上的密码)", "One-time password (from your account sheet)"),
    "account.first.submit": ("设置新密码并进入系统", "Set password and continue"),
}
