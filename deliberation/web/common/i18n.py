"""One catalog of UI strings, looked up by key. Each page folder keeps its strings beside its page
(deliberation/web/<page>/strings.py, STRINGS = {key: (中文, English)}), and common/strings.py the
shared ones; every such module is found here and merged into CATALOG. A duplicate key is an error,
and so is a lookup of a key no folder defines (KeyError)."""
from __future__ import annotations

import importlib
from pathlib import Path

WEB_PACKAGE = __name__.rsplit(".", 2)[0]                # deliberation.web
WEB_DIR = Path(__file__).resolve().parents[1]
LANGS = ("zh", "en")


def _catalog() -> dict[str, tuple[str, str]]:
    catalog: dict[str, tuple[str, str]] = {}
    for folder in sorted(path.parent.name for path in WEB_DIR.glob("*/strings.py")):
        for key, pair in importlib.import_module(f"{WEB_PACKAGE}.{folder}.strings").STRINGS.items():
            if key in catalog:
                raise KeyError(f"duplicate UI string key: {key}")
            catalog[key] = pair
    return catalog


CATALOG = _catalog()


def translate(key: str, lang: str = "zh", **values) -> str:
    zh, en = CATALOG[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text
