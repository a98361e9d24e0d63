"""One catalog of UI strings, looked up by key. Each page keeps its strings in a module here
(STRINGS = {key: (中文, English)}); they are merged into CATALOG, and a duplicate key is an error."""
from __future__ import annotations

import importlib
import pkgutil

CATALOG: dict[str, tuple[str, str]] = {}
for _module in pkgutil.iter_modules(__path__):
    for _key, _pair in importlib.import_module(f"{__name__}.{_module.name}").STRINGS.items():
        if _key in CATALOG:
            raise KeyError(f"duplicate UI string key: {_key}")
        CATALOG[_key] = _pair

LANGS = ("zh", "en")


def translate(key: str, lang: str = "zh", **values) -> str:
    zh, en = CATALOG[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text
