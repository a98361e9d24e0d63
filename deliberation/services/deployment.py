"""The deployment's public address: where residents' phones reach the app. Every QR code, printed
link and calendar (.ics) is built from it, so it is set once, in the database (settings table, key
'public_url'), by an admin on the 部署设置 page or `python -m deliberation config set public-url URL`.

While it is unset or points to this machine, documents still render (with the local fallback)
but say so in red on the page, and the admin's 工作台 warns: a QR code to localhost opens nothing
on a phone, and nobody notices until the notice is on the board."""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..model.errors import DomainError
from ..model.roles import Action
from ..store import public as public_store
from ..store import settings as settings_store
from .actors import Actor
from .clock import stamp
from .markers import public_read
from .use_case import changing

__all__ = ["PublicAddress", "public_address", "set_public_url", "check_public_url", "LOCAL_FALLBACK",
           "PUBLIC_URL_KEY", "SETTING_PAGE"]

PUBLIC_URL_KEY = "public_url"
LOCAL_FALLBACK = "http://localhost:8501"       # Streamlit's own address: links render, phones can't open them
MAX_LENGTH = 200
SETTING_PAGE = "/deployment"                    # web/deployment: where an admin sets it
# Printed on documents too: said to whoever reads the paper, so no command line here (README has it).
UNSET = "尚未设置公开访问地址,二维码无法在手机上打开。请系统管理员在「部署设置」中设置。"
LOCAL = "公开访问地址指向本机({host}),二维码无法在手机上打开。请系统管理员在「部署设置」中改为居民手机能访问的网址。"
DEMO_LABEL = "演示数据库"
# Characters a printed address never needs and markup or a pasted sentence brings along.
_FORBIDDEN = re.compile(r"[\s<>\"'`{}|\\^\x00-\x1f\x7f]")


@dataclass(frozen=True)
class PublicAddress:
    url: str                  # no trailing slash; the local fallback while unset
    problem: str | None       # why phones cannot open it (Chinese), None when fine
    demo: bool                # the database holds demo compounds (the demo loader's)
    configured: bool = True   # False: never set, `url` is the local fallback

    @property
    def warning(self) -> str | None:
        """The red line printed on documents with a QR code, and shown on the admin's 工作台."""
        if self.problem is None:
            return None
        return f"〔{DEMO_LABEL}〕{self.problem}" if self.demo else self.problem


@public_read
def public_address(db) -> PublicAddress:
    """The configured public address. Public: the URL is printed on every notice and is nothing
    personal. Read by residents' documents (the .ics) as well as staff's."""
    stored = settings_store.get_public_setting(db, PUBLIC_URL_KEY)
    url = stored or LOCAL_FALLBACK
    return PublicAddress(url=url, problem=UNSET if not stored else _local_problem(url),
                         demo=public_store.any_demo_compound(db), configured=bool(stored))


def check_public_url(text: str) -> str:
    """`text` as a public address (http/https, a host, no spaces or markup, ≤ 200 characters),
    without its trailing slash; a DomainError in Chinese otherwise. A local address is accepted
    (a test install may want it) — public_address() warns about it."""
    url = (text or "").strip()
    if not url:
        raise DomainError("请填写公开访问地址,如 https://yishi.example.cn")
    if len(url) > MAX_LENGTH:
        raise DomainError(f"公开访问地址太长(最多 {MAX_LENGTH} 个字符)")
    if _FORBIDDEN.search(url):
        raise DomainError("公开访问地址不能含空格、引号或尖括号等字符")
    try:
        parts = urlsplit(url)
        parts.port                                  # raises on a port that is not a number
    except ValueError:
        raise DomainError("公开访问地址格式不正确,应如 https://yishi.example.cn") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise DomainError("公开访问地址应以 http:// 或 https:// 开头")
    if not parts.hostname:
        raise DomainError("公开访问地址缺少域名或 IP,应如 https://yishi.example.cn")
    if "@" in parts.netloc:
        raise DomainError("公开访问地址不能包含用户名或密码")
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        raise DomainError("公开访问地址不能包含 ? 或 # 之后的内容(二维码会在地址后接 /board/小区编号)")
    return url.rstrip("/")


def set_public_url(db, actor: Actor, text: str) -> PublicAddress:
    """Set the public address. MANAGE_USERS (admin only): it decides where every resident's
    phone and every account holder is sent, for the whole deployment; MANAGE_AREAS is the
    right issue 12 lets an area officer be granted for their own area, so it is not enough."""
    with changing(db, actor, Action.MANAGE_USERS) as change:
        url = check_public_url(text)
        settings_store.put_setting(db, PUBLIC_URL_KEY, url, stamp())
        change.record("setting_changed", data={"key": PUBLIC_URL_KEY})    # no typed text in events
    return public_address(db)


def _local_problem(url: str) -> str | None:
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return LOCAL.format(host=host)
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return None
    return LOCAL.format(host=host) if ip.is_loopback or ip.is_unspecified else None
