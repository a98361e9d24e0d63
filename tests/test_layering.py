"""The layers' arrows point one way: checked on the import statements themselves (ast)."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "deliberation"


def modules(under: Path) -> list[Path]:
    return sorted(p for p in under.rglob("*.py") if "__pycache__" not in p.parts)


def imported(path: Path) -> set[str]:
    """Absolute names of every module `path` imports (relative imports resolved), at any depth
    of the file: inside functions too."""
    package = path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1]   # a module's or __init__'s package
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[:len(package) - node.level + 1])
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "__import__" and node.args \
                and isinstance(node.args[0], ast.Constant):
            found.add(node.args[0].value)
    return found


def top(names: set[str]) -> set[str]:
    return {name.split(".")[0] for name in names}


def rel(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


OUTSIDE_WEB = [p for p in modules(PACKAGE) if "web" not in p.relative_to(PACKAGE).parts[:1]]
WEB = modules(PACKAGE / "web")
PAGES = sorted((PACKAGE / "web").glob("*/page.py"))
PAGE_FOLDERS = sorted(p.parent.name for p in PAGES)
MODEL = modules(PACKAGE / "model")


def test_the_import_reader_sees_relative_and_nested_imports():
    sample = PACKAGE / "services" / "issues.py"
    names = imported(sample)
    assert "deliberation.services.lifecycle" in names           # from .lifecycle import …
    assert "deliberation.model.errors" in names                  # from ..model.errors import …
    assert "deliberation.services.publicity" in names           # imported inside a function


@pytest.mark.parametrize("path", OUTSIDE_WEB, ids=rel)
def test_nothing_outside_the_web_layer_imports_streamlit(path):
    assert "streamlit" not in top(imported(path))


@pytest.mark.parametrize("path", WEB, ids=rel)
def test_web_pages_never_import_sqlite(path):
    assert not top(imported(path)) & {"sqlite3", "sqlite_utils"}


@pytest.mark.parametrize("path", WEB, ids=rel)
def test_the_web_never_reaches_into_the_store(path):
    assert not {n for n in imported(path) if n.startswith("deliberation.store")}


@pytest.mark.parametrize("path", WEB, ids=rel)
def test_the_web_asks_the_services_what_an_actor_may_do(path):
    # services.permissions.may(actor, action, compound) decides by role and compound, as the services do
    assert "deliberation.model.roles.role_may" not in imported(path)


def web_folder(name: str) -> str | None:
    """deliberation.web.<folder>… -> folder."""
    parts = name.split(".")
    return parts[2] if parts[:2] == ["deliberation", "web"] and len(parts) > 2 else None


@pytest.mark.parametrize("path", WEB, ids=rel)
def test_a_page_folder_imports_only_itself_and_common(path):
    own = path.relative_to(PACKAGE / "web").parts[0]
    allowed = {"common"} | ({own} if own != "common" else set())
    reached = {web_folder(n) for n in imported(path)} - {None}
    assert reached <= allowed


def test_every_page_folder_is_in_the_registry_and_every_registered_page_has_its_folder():
    from deliberation.web.common.nav import PAGES as MENU
    from deliberation.web.common.nav import PUBLIC_PAGE, SIGNIN_PAGE
    assert sorted(spec.name for spec in (*MENU, PUBLIC_PAGE, SIGNIN_PAGE)) == PAGE_FOLDERS


@pytest.mark.parametrize("path", MODEL, ids=rel)
def test_model_modules_import_only_the_standard_library(path):
    outside = {name for name in top(imported(path)) if name not in sys.stdlib_module_names}
    assert outside <= {"deliberation", "__future__"}
    assert {n for n in imported(path) if n.startswith("deliberation.")} <= {
        n for n in imported(path) if n.startswith("deliberation.model")}


def test_there_are_modules_in_every_layer_checked():
    assert OUTSIDE_WEB and WEB and PAGES and MODEL
