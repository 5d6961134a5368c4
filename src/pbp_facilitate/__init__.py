"""pbp-facilitate: a local-first facilitation kit for place-based partnerships.

The public API, one class plus one convenience function per capability:

- settings: :class:`Settings`, :func:`load_settings`
- errors: :class:`PbpError`
- store: :class:`Store`, :func:`open_store`
- surveys: :class:`Survey`, :func:`load_survey`
- themes: :class:`ThemeModel`, :func:`find_themes`
- goals: :class:`GoalReport`, :func:`check_goal`

Heavy modules are imported on first use, so ``import pbp_facilitate`` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "Settings": "settings",
    "load_settings": "settings",
    "PbpError": "errors",
    "Store": "store",
    "open_store": "store",
    "Survey": "surveys",
    "load_survey": "surveys",
    "ThemeModel": "themes",
    "find_themes": "themes",
    "GoalReport": "goals",
    "check_goal": "goals",
}

__all__ = [*_LAZY, "__version__"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'pbp_facilitate' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
