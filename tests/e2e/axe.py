"""axe-core in the real browser: inject axe.min.js (npm axe-core@4, installed by test.sh into the
git-ignored .cache/axe) and return the serious and critical violations of the page.

The resident pages send `Content-Security-Policy: default-src 'none'` (no script may run), so the
browser context that runs axe needs `bypass_csp=True`; the pages themselves have no script.
"""
from __future__ import annotations

from pathlib import Path

from .helpers import REPO_ROOT

CANDIDATES = (REPO_ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js",
              REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js")
BLOCKING = ("serious", "critical")


def axe_script() -> Path:
    for path in CANDIDATES:
        if path.is_file() and path.stat().st_size > 0:
            return path
    raise AssertionError("axe-core is not installed: run ./test.sh (it installs it from npm into .cache/axe)")


def axe_violations(page, impacts=BLOCKING) -> list[dict]:
    """[{id, impact, help, nodes: [html of each offending node]}] for the current page (WCAG 2 A/AA
    and best-practice rules), only the given impacts."""
    page.add_script_tag(path=str(axe_script()))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.map(n => n.html)}));
    }""")
    return [v for v in result if v["impact"] in impacts]


def describe(violations: list[dict]) -> str:
    """A readable failure message."""
    return "\n".join(f"{v['impact']}: {v['id']} — {v['help']}\n    " + "\n    ".join(v["nodes"][:5])
                     for v in violations)
