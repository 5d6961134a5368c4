"""The folder listing is the map of the kit: one package per subsystem, data flowing one way."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "pbp_facilitate"

SUBSYSTEMS = [
    "text", "i18n", "store", "importers", "intake", "themes", "goals", "equity", "widgets",
    "summaries", "opinions",
]  # fmt: skip

# What each subsystem may import from the kit (besides settings, errors, clock and itself):
# intake -> store -> text/themes/goals/equity -> widgets/summaries; text and i18n import nothing.
ALLOWED = {
    "text": set(),
    "i18n": set(),
    "store": {"surveys", "text"},
    "importers": {"store", "surveys", "text", "i18n"},
    # intake uses themes.display only (theme_label, which imports nothing): see test_labels_language
    "intake": {"store", "surveys", "text", "i18n", "qr", "themes", "pseudonyms"},
    "themes": {"store", "text", "i18n"},
    # opinions is pure; only opinions/session.py reads the store (as themes/session.py does)
    "opinions": {"store", "text", "i18n"},
    "goals": {"text", "i18n"},
    "equity": {"text", "i18n"},
    "widgets": {
        "store",
        "surveys",
        "text",
        "i18n",
        "qr",
        "intake",
        "themes",
        "goals",
        "equity",
        "opinions",
    },
    "summaries": {"store", "surveys", "text", "i18n", "themes", "goals", "equity", "opinions"},
}
BASE = {
    "settings",
    "errors",
    "clock",
    "lazy_exports",
}  # lazy_exports: the root's lazy-import helper


def test_at_most_twelve_top_level_modules():
    modules = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(modules) <= 12, modules


@pytest.mark.parametrize("name", SUBSYSTEMS)
def test_each_subsystem_is_a_package_with_a_map_and_an_api(name):
    init = PACKAGE / name / "__init__.py"
    assert init.is_file(), name
    tree = ast.parse(init.read_text(encoding="utf-8"))
    assert ast.get_docstring(tree), f"{name}/__init__.py needs a docstring that maps its modules"
    module = importlib.import_module(f"pbp_facilitate.{name}")
    assert module.__all__ and all(hasattr(module, n) for n in module.__all__)


def _kit_imports(path: Path) -> set[str]:
    """Top-level kit packages/modules that ``path`` imports (relative or absolute)."""
    rel = path.relative_to(PACKAGE).parts
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(rel[:-1])[: len(rel) - node.level]
                parts = base + (node.module.split(".") if node.module else [])
                if not parts:  # from .. import x (x is a top-level module)
                    out |= {a.name for a in node.names}
                else:
                    out.add(parts[0])
            elif node.module and node.module.startswith("pbp_facilitate."):
                out.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("pbp_facilitate."):
                    out.add(a.name.split(".")[1])
    return out


@pytest.mark.parametrize("name", SUBSYSTEMS)
def test_data_flows_one_way(name):
    bad = {}
    for path in (PACKAGE / name).rglob("*.py"):
        extra = _kit_imports(path) - ALLOWED[name] - BASE - {name, "__version__"}
        if name in ("text", "i18n"):
            extra |= _kit_imports(path) & BASE
        if extra:
            bad[str(path.relative_to(PACKAGE))] = sorted(extra)
    assert not bad, bad


def test_the_dashboard_imports_without_the_heavy_libraries():
    """The dashboard draws before scikit-learn, pandas or word clouds load (they load on use)."""
    import subprocess
    import sys

    code = (
        "import sys, pbp_facilitate.widgets, pbp_facilitate.themes.session; "
        "print([m for m in ('sklearn', 'pandas', 'scipy', 'wordcloud', 'matplotlib') "
        "if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    import pbp_facilitate.themes as themes

    assert themes.ThemeModel.__module__ == "pbp_facilitate.themes.model"
    assert sorted(dir(themes)) == sorted(themes.__all__)
