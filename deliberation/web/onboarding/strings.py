STRINGS = {
    "nav.onboarding": ("批量开通(工作簿)", "Onboarding (workbook)"),
    "onboarding.title": ("批量开通(工作簿)", "Onboarding from a workbook"),
    "onboarding.intro": ("在一个 Excel 工作簿里填写区域、小区、协商席位、成员和账号,上传后先检查,全部通过再开通。"
                         "同一工作簿可重复上传:内容相同的行不会改动。",
                         "Fill in areas, compounds, seats, members and accounts in one Excel workbook, upload it, "
                         "check it, then apply it. Uploading the same workbook again changes nothing."),
    "onboarding.forbidden": ("您没有批量开通小区的权限。请联系系统管理员为您开通“管理辖区小区”的权限。",
                             "You may not onboard compounds. Ask the administrator to grant you the right to "
                             "manage the compounds of your area."),
    "onboarding.template": ("下载空白模板(XLSX)", "Download the blank template (XLSX)"),
    "onboarding.template_file": ("批量开通模板", "onboarding-template"),
    "onboarding.file": ("选择填好的工作簿(.xlsx,最大 5 MB)", "Choose the filled-in workbook (.xlsx, at most 5 MB)"),
    "onboarding.check": ("检查", "Check"),
    "onboarding.no_file": ("请先选择文件。", "Choose a file first."),
    "onboarding.problems": ("工作簿有问题,未写入任何数据。请按下列行号修改后重新上传:",
                            "The workbook has problems; nothing was written. Fix these rows and upload it again:"),
    "onboarding.nothing": ("工作簿与系统中的数据一致,没有需要开通或更新的内容。",
                           "The workbook matches what is stored: nothing to create or update."),
    "onboarding.ready": ("检查通过。确认后将一次性全部写入:", "Checked. Applying writes all of it at once:"),
    "onboarding.col.sheet": ("工作表", "Sheet"),
    "onboarding.col.created": ("新建", "New"),
    "onboarding.col.updated": ("更新", "Updated"),
    "onboarding.col.unchanged": ("不变", "Unchanged"),
    "onboarding.apply": ("开通", "Apply"),
    "onboarding.progress": ("正在开通…", "Applying…"),
    "onboarding.done": ("已开通。", "Applied."),
    "onboarding.accounts": ("新账号 {n} 个。一次性密码只显示这一次(系统只保存其摘要),请立即下载账号通知单并转交本人;"
                            "首次登录须修改密码。",
                            "{n} new accounts. Their one-time passwords are shown only now (only their hashes are "
                            "stored): download the account sheet now and hand each one over; the first sign-in "
                            "must set a new password."),
    "onboarding.sheet": ("下载账号通知单(PDF,可打印)", "Download the account sheet (PDF, printable)"),
    "onboarding.finish": ("我已保存,清除密码", "Saved: clear the passwords"),
    "onboarding.col.name": ("姓名", "Name"),
    "onboarding.col.username": ("用户名", "Username"),
    "onboarding.col.role": ("角色", "Role"),
    "onboarding.col.scope": ("范围", "Scope"),
    "onboarding.col.password": ("一次性密码", "One-time password"),
}
