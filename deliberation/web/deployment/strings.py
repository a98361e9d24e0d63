STRINGS = {
    "nav.deployment": ("部署设置", "Deployment"),
    "deploy.title": ("部署设置", "Deployment settings"),
    "deploy.url.title": ("公开访问地址", "Public address"),
    "deploy.url.explain": ("居民用手机扫描公示通知、议事码纸条和海报上的二维码,打开的是“此地址/board/小区编号”;"
                           "会议日历(.ics)里的链接也用它。请填写居民手机能打开的网址(域名或公网 IP),"
                           "如 `https://yishi.example.cn`。也可在服务器上运行 "
                           "`python -m deliberation config set public-url 网址`。",
                           "Residents' phones open “this address/board/<compound no.>” when they scan the QR code of "
                           "a 公示 notice, a household-code slip or a poster; the meeting calendar (.ics) links use "
                           "it too. Enter an address residents' phones can reach (a domain or a public IP), e.g. "
                           "`https://yishi.example.cn`. On the server: `python -m deliberation config set public-url URL`."),
    "deploy.url.label": ("公开访问地址(http:// 或 https:// 开头)", "Public address (starting with http:// or https://)"),
    "deploy.url.save": ("保存地址", "Save address"),
    "deploy.url.saved": ("已保存公开访问地址:{url}", "Public address saved: {url}"),
    "deploy.url.current": ("二维码与链接现在指向:{url} + /board/小区编号", "QR codes and links now open: {url} + /board/<compound no.>"),
    "deploy.warn.unset": ("尚未设置公开访问地址:二维码与链接暂时指向 {url},居民手机扫码打不开;"
                          "打印的公示通知、议事码纸条和海报上会印有红色提示。",
                          "No public address is set: QR codes and links point at {url} for now, which residents' "
                          "phones cannot open; printed notices, slips and posters carry a red warning."),
    "deploy.warn.local": ("公开访问地址指向本机({url}),居民手机扫码打不开;打印的文件上会印有红色提示。",
                          "The public address points at this machine ({url}): residents' phones cannot open it, "
                          "and printed documents carry a red warning."),
    "deploy.warn.demo": ("演示模式(数据库中有示例小区)。", "Demo mode (the database holds demo compounds). "),
    "deploy.warn.link": ("去设置公开访问地址", "Set the public address"),
}
