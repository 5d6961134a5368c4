"""The summary page: an executed summary notebook as one self-contained, phone-friendly HTML
document."""

from __future__ import annotations

from typing import Any

__all__ = ["export_html"]

_PAGE = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="pbp-facilitate summaries">
<title>{{ title }}</title>
<style>
:root { --ink: #1d2430; --muted: #5c6675; --accent: #2a6f97; --line: #d9dee5; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:
var(--ink); background: #fff; }
main { max-width: 860px; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.7rem; line-height: 1.2; margin: .5rem 0 1rem; }
h2 { font-size: 1.35rem; border-top: 3px solid var(--accent); padding-top: .6rem; margin-top: 2rem;
}
h3 { font-size: 1.1rem; margin: 1.2rem 0 .4rem; }
img { max-width: 100%; height: auto; }
.pbp-cloud { display: block; margin: .3rem 0; border: 1px solid var(--line); border-radius: 6px; }
div.pbp-table { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: .5rem 0 1rem; }
table { border-collapse: collapse; min-width: 60%; font-size: .92rem; }
th, td { border-bottom: 1px solid var(--line); padding: .35rem .6rem; text-align: left;
vertical-align: top; }
th { background: #f3f5f8; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
caption { text-align: left; color: var(--muted); padding: .2rem 0; }
blockquote { margin: .4rem 0; padding: .3rem .8rem; border-left: 4px solid var(--accent);
background: #f6f8fb; }
.pbp-note { color: var(--muted); font-size: .9rem; }
.pbp-count { color: var(--muted); margin: 0 0 .3rem; }
.pbp-tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr)); gap: .6rem;
margin: .5rem 0 1rem; }
.pbp-tile { border: 1px solid var(--line); border-radius: 8px; padding: .6rem; text-align: center; }
.pbp-tile span { display: block; color: var(--muted); font-size: .9rem; }
.pbp-tile .pbp-num { font-size: 1.6rem; font-weight: 700; color: var(--ink); }
.pbp-goal { border: 1px solid var(--line); border-radius: 8px; padding: .2rem .9rem .6rem; margin:
.8rem 0; }
.anchor-link { display: none; }
footer { color: var(--muted); font-size: .85rem; border-top: 1px solid var(--line); margin-top:
2rem; padding-top: .6rem; }
@media (max-width: 600px) { body { font-size: 15px; } main { padding: .6rem; } th, td { padding:
.3rem .4rem; } }
@media print { h2 { break-before: auto; } .pbp-theme, .pbp-goal, figure { break-inside: avoid; } }
</style>
</head>
<body>
<main>
{{ body | safe }}
<footer>{{ footer }}</footer>
</main>
</body>
</html>
"""

_EXPORTER: Any = None


def _exporter() -> Any:
    global _EXPORTER
    if _EXPORTER is None:
        from nbconvert import HTMLExporter

        _EXPORTER = HTMLExporter(
            template_name="basic",
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
        )
    return _EXPORTER


def export_html(
    nb: Any, *, title: str, code: str = "", small_count: int = 5, lang: str = "en"
) -> str:
    """Turn an executed summary notebook into a self-contained, phone-friendly HTML page.

    Code cells, their prompts, stream output (warnings, logs) and error
    tracebacks are left out; images are already embedded as data URIs.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook.
    title : str
        Page title (escaped).
    code : str
        Session code for the footer (escaped).
    small_count : int
        Disclosure threshold for the footer.
    lang : str
        Language of the page (its ``lang`` attribute and footer).

    Returns
    -------
    str
        The HTML document.
    """
    import copy

    from jinja2 import Environment

    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            cell["outputs"] = [
                o
                for o in cell.get("outputs", [])
                if o.get("output_type") in ("display_data", "execute_result")
            ]
            if not cell["outputs"]:
                continue
        cells.append(cell)
    nb.cells = cells
    body, _ = _exporter().from_notebook_node(nb)
    env = Environment(autoescape=True)
    from ..clock import utcnow
    from ..i18n import format_when, gettext

    footer = gettext(
        lang,
        "summaries.footer",
        generated=format_when(lang, utcnow()),
        code=code,
        small_count=small_count,
    )
    return env.from_string(_PAGE).render(title=title, body=body, lang=lang, footer=footer)
