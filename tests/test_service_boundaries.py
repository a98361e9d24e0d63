"""The service layer's promises, checked on the code itself (ast), so they cannot drift:

- no SQL and no table access in services: queries live in deliberation/store/;
- every public service function that touches the database either takes the acting user and
  reaches an authorization check, or is marked as a residents' read / a sign-in step;
- the web reaches only such functions, and never the store.

Each checker is also run on a small bad example, so a checker that can no longer fail is caught."""
from __future__ import annotations

import ast
import importlib
import inspect
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "deliberation"
SERVICES = sorted(p for p in (PACKAGE / "services").glob("*.py") if p.name != "__init__.py")
WEB = sorted(p for p in (PACKAGE / "web").rglob("*.py") if "__pycache__" not in p.parts) + [ROOT / "streamlit_app.py",
                                                                                       ROOT / "app.py"]
OUTSIDE_STORE = sorted(p for p in PACKAGE.rglob("*.py")
                       if "__pycache__" not in p.parts and p.relative_to(PACKAGE).parts[0] != "store")
# A service checks its actor by calling one of these (`may` for reads that show each actor only
# what it may see, instead of refusing).
AUTHORIZING = {"authorize", "refuse", "changing", "may"}
# The checks themselves and the audit primitive under them.
INFRASTRUCTURE = {"permissions", "use_case", "event_log", "markers"}
# What a public read (no actor) may touch: stores of tables with no personal column, and of the
# seats and categories (not the members) of a compound's roster.
PUBLIC_STORES = {"public_store", "compound_store", "area_store"}
PUBLIC_ROSTER_READS = {"seats_of_compound", "categories_of_compound"}
# …and of the deployment settings, only those store/settings.py lists as public (the public address
# printed on every QR code); never get_setting, which also reaches the server's secrets.
PUBLIC_SETTINGS_READS = {"get_public_setting"}
# SQL as this code base writes it: upper-case keywords (user-facing English never starts so).
SQL = re.compile(r"^\s*(SELECT\s|INSERT\s+(OR\s+\w+\s+)?INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s"
                 r"|WITH\s+(RECURSIVE\s+)?\w+|(CREATE|DROP|ALTER)\s+(TABLE|INDEX|VIEW|TRIGGER|UNIQUE)\s"
                 r"|PRAGMA\s|BEGIN\b|COMMIT\b|ROLLBACK\b)")
SQL_FRAGMENT = re.compile(r"\b(WHERE|JOIN|GROUP BY|ORDER BY|IS NULL|IS NOT NULL)\b")


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


# --- checkers ------------------------------------------------------------------------------

def sql_and_table_access(source: str) -> list[str]:
    """Every SQL string, `db[...]`, `.execute(` / `.query(` and `db.table(` in the source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and (SQL.match(node.value) or SQL_FRAGMENT.search(node.value)):
            found.append(f"line {node.lineno}: SQL {node.value.strip()[:40]!r}")
        elif isinstance(node, ast.Subscript) and getattr(node.value, "id", None) == "db":
            found.append(f"line {node.lineno}: db[...]")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in {"execute", "executescript", "query", "table"} \
                and getattr(node.func.value, "id", "") in {"db", "conn"}:
            found.append(f"line {node.lineno}: db.{node.func.attr}(...)")
    return found


def module_functions(tree: ast.Module) -> dict[str, ast.FunctionDef]:
    return {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}


def service_imports(tree: ast.Module) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """Names bound to other service modules' functions ({local: (module, name)}) and aliases of
    service modules ({alias: module}), from `from .x import y` / `from . import x as y`."""
    functions, modules = {}, {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            for alias in node.names:
                if node.module:
                    functions[alias.asname or alias.name] = (node.module, alias.name)
                else:
                    modules[alias.asname or alias.name] = alias.name
    return functions, modules


def called(function: ast.FunctionDef, functions, modules, own) -> set[tuple[str | None, str]]:
    """(module or None for this module, name) of every function the body calls or uses in `with`."""
    found = set()
    for node in ast.walk(function):
        if not isinstance(node, ast.Call):
            continue
        target = node.func
        if isinstance(target, ast.Name):
            if target.id in own:
                found.add((None, target.id))
            elif target.id in functions:
                found.add(functions[target.id])
            if target.id in AUTHORIZING:
                found.add(("*", target.id))
        elif isinstance(target, ast.Attribute) and getattr(target.value, "id", None) in modules:
            found.add((modules[target.value.id], target.attr))
    return found


def unchecked_services(sources: dict[str, str]) -> list[str]:
    """Public functions that take `db` but neither take `actor` and reach an authorization
    call (directly or through functions of the services package), nor carry a marker."""
    trees = {name: ast.parse(src) for name, src in sources.items()}
    graph, public = {}, []
    for module, tree in trees.items():
        own = module_functions(tree)
        functions, modules = service_imports(tree)
        for name, node in own.items():
            graph[(module, name)] = {(m or module, n) for m, n in called(node, functions, modules, own)}
            args = {a.arg for a in node.args.args + node.args.kwonlyargs}
            marked = any(getattr(d, "id", None) in {"public_read", "for_sign_in"} for d in node.decorator_list)
            if not name.startswith("_") and "db" in args and not marked:
                public.append((module, name, "actor" in args))

    def authorizes(key, seen) -> bool:
        if key in seen:
            return False
        seen.add(key)
        return any(callee[0] == "*" or authorizes(callee, seen) for callee in graph.get(key, ()))

    return [f"{m}.{n}" + ("" if has_actor else " (no actor)")
            for m, n, has_actor in public if not (has_actor and authorizes((m, n), set()))]


def web_reaches(source: str) -> set[tuple[str, str]]:
    """(service module, function) of every service function a web module imports or calls."""
    tree, found, aliases = ast.parse(source), set(), {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and "services" in node.module.split("."):
            module = node.module.split("services")[-1].lstrip(".")
            for alias in node.names:
                if module:
                    found.add((module, alias.name))
                else:
                    aliases[alias.asname or alias.name] = alias.name
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and getattr(node.value, "id", None) in aliases:
            found.add((aliases[node.value.id], node.attr))
    return found


def store_imports(source: str) -> list[str]:
    return [ast.unparse(n) for n in ast.walk(ast.parse(source))
            if isinstance(n, (ast.Import, ast.ImportFrom))
            and any("store" in (name or "").split(".") or (name or "").startswith(("sqlite3", "sqlite_utils"))
                    for name in ([n.module] if isinstance(n, ast.ImportFrom) else [a.name for a in n.names]))]


# --- the checkers can fail -----------------------------------------------------------------

def test_the_sql_finder_sees_queries_and_table_access():
    bad = ('def f(db):\n    db["issues"].insert({})\n    rows(db, "SELECT * FROM issues")\n    db.execute("x")\n'
           '    LIVE = "i.merged_into_id IS NULL"\n')
    assert len(sql_and_table_access(bad)) == 4
    assert sql_and_table_access('def f():\n    return ("Select a compound", "create-user", "Update the title")\n') == []


def test_the_authorization_finder_follows_calls_and_sees_a_missing_check():
    sources = {
        "a": "from .permissions import authorize\n"
             "def _check(db, actor):\n    authorize(db, actor, 1)\n"
             "def checked(db, actor):\n    _check(db, actor)\n"
             "def unchecked(db, actor):\n    return 1\n"
             "def actorless(db, x):\n    return x\n",
        "b": "from . import a as mod\ndef through_other_module(db, actor):\n    mod.checked(db, actor)\n",
        "permissions": "def authorize(db, actor, action):\n    refuse(db)\n",
    }
    assert unchecked_services(sources) == ["a.unchecked", "a.actorless (no actor)"]


def test_the_web_reader_sees_direct_and_module_imports():
    source = ("from deliberation.services.issues import update_issue\n"
              "from ...services import public as board\nboard.public_issues(1)\n")
    assert web_reaches(source) == {("issues", "update_issue"), ("public", "public_issues")}


# --- the rules -------------------------------------------------------------------------------

@pytest.mark.parametrize("path", OUTSIDE_STORE, ids=rel)
def test_no_sql_or_table_access_outside_the_store(path):
    assert sql_and_table_access(path.read_text(encoding="utf-8")) == []


def test_every_public_service_that_touches_the_database_checks_its_actor():
    sources = {p.stem: p.read_text(encoding="utf-8") for p in SERVICES}
    # permissions/use_case hold the checks themselves; the rest must reach them.
    assert [f for f in unchecked_services(sources) if f.split(".")[0] not in INFRASTRUCTURE] == []


@pytest.mark.parametrize("path", WEB, ids=rel)
def test_the_web_never_imports_the_store_or_sqlite(path):
    assert store_imports(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", WEB, ids=rel)
def test_the_web_calls_only_services_that_check_the_actor_or_are_marked(path):
    wrong = []
    for module, name in web_reaches(path.read_text(encoding="utf-8")):
        thing = getattr(importlib.import_module(f"deliberation.services.{module}"), name)
        if not inspect.isfunction(thing):
            continue                                  # classes, constants, enums
        params = inspect.signature(thing).parameters
        if "db" in params and "actor" not in params and getattr(thing, "acts_for", None) is None:
            wrong.append(f"{module}.{name}")
    assert wrong == []


def test_public_reads_touch_only_stores_without_personal_columns():
    """A function marked `public_read` (no actor: the residents' board) reads the public views and
    the settings of compounds, areas, seats and categories, and nothing else."""
    wrong = []
    for path in SERVICES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in module_functions(tree).values():
            if not any(getattr(d, "id", None) == "public_read" for d in node.decorator_list):
                continue
            for call in ast.walk(node):
                if isinstance(call, ast.Attribute) and getattr(call.value, "id", "").endswith("_store") \
                        and call.value.id not in PUBLIC_STORES \
                        and not (call.value.id == "roster_store" and call.attr in PUBLIC_ROSTER_READS) \
                        and not (call.value.id == "settings_store" and call.attr in PUBLIC_SETTINGS_READS):
                    wrong.append(f"{path.stem}.{node.name} uses {call.value.id}.{call.attr}")
    assert wrong == []


def operator_probe_store_uses(source: str) -> list[str]:
    """Stores other than store/health.py reached by a `for_operators` function or by this module's
    private helpers (which the probe runs)."""
    own, wrong = module_functions(ast.parse(source)), []
    for node in own.values():
        if not any(getattr(d, "id", None) == "for_operators" for d in node.decorator_list):
            continue
        for part in [node, *(f for name, f in own.items() if name.startswith("_"))]:
            for use in ast.walk(part):
                if isinstance(use, ast.Attribute) and getattr(use.value, "id", "").endswith("_store") \
                        and use.value.id != "health_store":
                    wrong.append(f"{node.name} uses {use.value.id}.{use.attr}")
    return wrong


def test_the_operator_probe_reader_sees_another_store():
    bad = ("@for_operators\ndef probe(path):\n    return _peek(path)\n"
           "def _peek(path):\n    health_store.catalogue_size(1)\n    return users_store.usernames(1)\n")
    assert operator_probe_store_uses(bad) == ["probe uses users_store.usernames"]


def test_operator_probes_read_only_the_health_store():
    """A function marked `for_operators` (/healthz: no actor, answered to anyone who can reach the
    server) reaches the store only through store/health.py, which reads SQLite's catalogue and the
    migrations' record, never a row of the app's tables."""
    sources = {p.stem: p.read_text(encoding="utf-8") for p in SERVICES}
    assert any("@for_operators" in source for source in sources.values())
    assert {stem: found for stem, source in sources.items() if (found := operator_probe_store_uses(source))} == {}
