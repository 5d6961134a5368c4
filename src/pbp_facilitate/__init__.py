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

from collections.abc import Callable, Iterable, Mapping
from importlib import import_module
from typing import Any

__version__ = "0.1.0"


def lazy_exports(
    package: str, table: Mapping[str, str], names: Iterable[str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Return a package's ``__getattr__`` and ``__dir__`` that import each name on first use.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    table : mapping
        ``{name: submodule}``: where each lazily exported name lives (relative to ``package``).
    names : iterable of str
        Everything ``dir()`` lists (the package's ``__all__``).

    Returns
    -------
    tuple of callables
        ``(__getattr__, __dir__)`` for the package module.
    """
    listed = sorted(names)

    def getattr_(name: str) -> Any:
        if name in table:
            module = import_module(f".{table[name]}", package)
            value = getattr(module, name)
            setattr(import_module(package), name, value)
            return value
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def dir_() -> list[str]:
        return listed

    return getattr_, dir_


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

__getattr__, __dir__ = lazy_exports(__name__, _LAZY, __all__)
