"""The page registry: every page, its folder, its menu entry and the roles that may open it. Written
here once: the router builds st.navigation from it, page_context(name) stops a visitor whose role is
not listed, and the services check again (the rule)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...model.roles import Role

WEB_DIR = Path(__file__).resolve().parents[1]          # deliberation/web: one folder per page
REPO_DIR = WEB_DIR.parents[1]                           # where streamlit_app.py runs
R = Role
STAFF = (R.ADMIN, R.SECRETARY, R.RECORDER)
INSIDE = (R.ADMIN, R.OFFICER, R.SECRETARY, R.RECORDER, R.SEAT_REP)


@dataclass(frozen=True)
class PageSpec:
    name: str                  # the folder under deliberation/web/ and the URL path (/register)
    title_key: str
    icon: str
    roles: tuple[Role, ...]
    section: str = "nav.section.work"

    @property
    def url_path(self) -> str:
        return self.name

    @property
    def script(self) -> str:
        """The page's script as st.Page, st.page_link and st.switch_page name it."""
        return page_path(self.name)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("home", "nav.home", ":material/home:", INSIDE),
    PageSpec("register", "nav.register", ":material/list_alt:", INSIDE),
    PageSpec("issue", "nav.issue", ":material/description:", INSIDE),
    PageSpec("meetings", "nav.meetings", ":material/groups:", (R.ADMIN, R.OFFICER, R.SECRETARY, R.RECORDER)),
    PageSpec("tasks", "nav.tasks", ":material/task_alt:", (R.ADMIN, R.SECRETARY, R.RECORDER, R.SEAT_REP)),
    PageSpec("dashboard", "nav.dashboard", ":material/monitoring:", INSIDE),
    PageSpec("rollup", "nav.rollup", ":material/account_tree:", (R.ADMIN, R.OFFICER)),
    PageSpec("roster", "nav.roster", ":material/badge:", STAFF, "nav.section.manage"),
    PageSpec("users", "nav.users", ":material/manage_accounts:", (R.ADMIN,), "nav.section.manage"),
    PageSpec("compounds", "nav.compounds", ":material/domain:", (R.ADMIN, R.OFFICER), "nav.section.manage"),
    PageSpec("onboarding", "nav.onboarding", ":material/upload_file:", (R.ADMIN, R.OFFICER), "nav.section.manage"),
    PageSpec("deployment", "nav.deployment", ":material/qr_code_2:", (R.ADMIN,), "nav.section.manage"),
    PageSpec("audit", "nav.audit", ":material/policy:", (R.ADMIN, R.SECRETARY), "nav.section.manage"),
    PageSpec("account", "nav.account", ":material/person:", INSIDE, "nav.section.manage"),
)
PUBLIC_PAGE = PageSpec("public", "nav.public", ":material/campaign:", tuple(Role), "nav.section.public")
SIGNIN_PAGE = PageSpec("signin", "nav.signin", ":material/login:", (), "nav.section.public")
_BY_NAME = {spec.name: spec for spec in (*PAGES, PUBLIC_PAGE, SIGNIN_PAGE)}


def page_path(name: str) -> str:
    """deliberation/web/<name>/page.py, relative to the folder streamlit_app.py runs from."""
    return (WEB_DIR / name / "page.py").relative_to(REPO_DIR).as_posix()


def page_spec(name: str) -> PageSpec:
    return _BY_NAME[name]


# Where a role starts (the router's default page) when it is not the first page: an area officer
# works across the compounds of the area, not in one compound's 工作台.
START_PAGE = {R.OFFICER: "rollup"}


def pages_for(role: Role | None) -> list[PageSpec]:
    """Signed out: the sign-in page and the public board. Signed in: the role's pages + the board.
    The first is where the role starts (the router's default, and where sign-in lands)."""
    if role is None:
        return [SIGNIN_PAGE, PUBLIC_PAGE]
    found = [p for p in PAGES if role in p.roles] + [PUBLIC_PAGE]
    return sorted(found, key=lambda p: p.name != START_PAGE.get(role))      # stable: the rest keep their order


def page_exists(role: Role, name: str) -> bool:
    """Whether the role's menu has the page, so a link to it can be offered."""
    return any(spec.name == name for spec in pages_for(role))
