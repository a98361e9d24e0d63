"""Which pages each role gets. The router builds st.navigation from this; each page also checks
its own roles through page_context, and the services check again (the rule)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..model.roles import Role

PAGES_DIR = Path(__file__).parent / "pages"
R = Role
STAFF = (R.ADMIN, R.SECRETARY, R.RECORDER)
INSIDE = (R.ADMIN, R.OFFICER, R.SECRETARY, R.RECORDER, R.SEAT_REP)


@dataclass(frozen=True)
class PageSpec:
    file: str
    title_key: str
    url_path: str
    icon: str
    roles: tuple[Role, ...]
    section: str = "nav.section.work"


PAGES: tuple[PageSpec, ...] = (
    PageSpec("home.py", "nav.home", "home", ":material/home:", INSIDE),
    PageSpec("register.py", "nav.register", "register", ":material/list_alt:", INSIDE),
    PageSpec("issue.py", "nav.issue", "issue", ":material/description:", INSIDE),
    PageSpec("meetings.py", "nav.meetings", "meetings", ":material/groups:", (R.ADMIN, R.OFFICER, R.SECRETARY, R.RECORDER)),
    PageSpec("tasks.py", "nav.tasks", "tasks", ":material/task_alt:", (R.ADMIN, R.SECRETARY, R.RECORDER, R.SEAT_REP)),
    PageSpec("dashboard.py", "nav.dashboard", "dashboard", ":material/monitoring:", INSIDE),
    PageSpec("rollup.py", "nav.rollup", "rollup", ":material/account_tree:", (R.ADMIN, R.OFFICER)),
    PageSpec("roster.py", "nav.roster", "roster", ":material/badge:", STAFF, "nav.section.manage"),
    PageSpec("users.py", "nav.users", "users", ":material/manage_accounts:", (R.ADMIN,), "nav.section.manage"),
    PageSpec("audit.py", "nav.audit", "audit", ":material/policy:", (R.ADMIN, R.SECRETARY), "nav.section.manage"),
    PageSpec("account.py", "nav.account", "account", ":material/person:", INSIDE, "nav.section.manage"),
)
PUBLIC_PAGE = PageSpec("public.py", "nav.public", "public", ":material/campaign:", tuple(Role), "nav.section.public")
SIGNIN_PAGE = PageSpec("signin.py", "nav.signin", "signin", ":material/login:", (), "nav.section.public")


def pages_for(role: Role | None) -> list[PageSpec]:
    """Signed out: the sign-in page and the public board. Signed in: the role's pages + the board."""
    if role is None:
        return [SIGNIN_PAGE, PUBLIC_PAGE]
    return [p for p in PAGES if role in p.roles and (PAGES_DIR / p.file).exists()] + [PUBLIC_PAGE]
