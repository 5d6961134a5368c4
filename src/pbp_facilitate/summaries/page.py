"""The summary page: an executed summary notebook as one self-contained, phone-friendly HTML
document."""

from __future__ import annotations

from typing import Any

__all__ = ["export_html", "render_page", "for_language", "notebook_languages"]

LANG_MIME = "application/vnd.pbp.languages+json"  # as sections._report.LANG_MIME

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
div.pbp-table:focus { outline: 3px solid #ffbf47; outline-offset: 2px; }
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
.pbp-header h1 { margin-bottom: .2rem; }
.pbp-date { color: var(--muted); margin-top: 0; }
.pbp-caution { border-left: 4px solid #9a3412; background: #fff7ed; padding: .4rem .8rem; }
nav.pbp-langs { font-size: .95rem; margin: .3rem 0 .8rem; }
nav.pbp-langs a { color: var(--accent); margin-right: .8rem; }
a { color: var(--accent); }
a:focus { outline: 3px solid #ffbf47; outline-offset: 2px; }
footer { color: var(--muted); font-size: .85rem; border-top: 1px solid var(--line); margin-top:
2rem; padding-top: .6rem; }
@media (max-width: 600px) { body { font-size: 15px; } main { padding: .6rem; } th, td { padding:
.3rem .4rem; } }
@media print { h2 { break-before: auto; } .pbp-theme, .pbp-goal, figure { break-inside: avoid; } }
</style>
</head>
<body>
<main>
{% if switch %}<nav class="pbp-langs" aria-label="{{ switch_label }}">{{ switch_label }}:
{% for code, href, name in switch %}<a href="{{ href }}" hreflang="{{ code }}" lang="{{ code }}">
{{- name }}</a>
{% endfor %}</nav>{% endif %}
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


def notebook_languages(nb: Any) -> list[str]:
    """The languages an executed summary notebook carries (empty for a one-language notebook)."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            langs = out.get("data", {}).get(LANG_MIME)
            if isinstance(langs, dict):
                return list(langs)
    return []


def for_language(nb: Any, lang: str) -> Any:
    """A copy of an executed summary notebook showing only ``lang`` (nothing is run again).

    Every output made by :class:`~pbp_facilitate.summaries.sections.Report` carries each
    language's HTML; the copy keeps that language's as ``text/html`` and drops the others.
    """
    import copy

    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            langs = data.pop(LANG_MIME, None)
            if isinstance(langs, dict) and lang in langs:
                data["text/html"] = langs[lang]["html"]
                data["text/plain"] = f"{langs[lang]['title']}\n{langs[lang]['text']}"
    nb.metadata.setdefault("pbp", {})["language"] = lang
    return nb


def export_html(
    nb: Any,
    *,
    title: str,
    code: str = "",
    small_count: int = 5,
    lang: str = "en",
    switch: list[tuple[str, str, str]] | None = None,
    footer_key: str = "summaries.footer",
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
        Language of the page (its ``lang`` attribute, footer, and the sections shown when
        the notebook carries several languages).
    switch : list of (code, href, name), optional
        Links to the same page in the other languages.
    footer_key : str
        Catalogue key of the footer (``{generated}``, ``{code}``, ``{small_count}``).

    Returns
    -------
    str
        The HTML document.
    """
    import copy

    nb = for_language(nb, lang) if notebook_languages(nb) else copy.deepcopy(nb)
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
    from ..clock import utcnow
    from ..i18n import format_when, gettext

    footer = gettext(
        lang,
        footer_key,
        generated=format_when(lang, utcnow()),
        code=code,
        small_count=small_count,
    )
    return render_page(title=title, body=body, lang=lang, footer=footer, switch=switch)


def render_page(
    *,
    title: str,
    body: str,
    lang: str,
    footer: str,
    switch: list[tuple[str, str, str]] | None = None,
    switch_key: str = "summaries.lang_switch",
) -> str:
    """The kit's one page shell (styles, language switch, footer) around ``body``.

    ``body`` is HTML already made safe (escaped by its maker); ``title``, ``footer`` and the
    switch are escaped here.
    """
    from jinja2 import Environment

    from ..i18n import gettext
    from ..text import esc

    env = Environment(autoescape=True)
    # A wide table scrolls inside its own box on a phone; keyboard users must reach it too.
    region = esc(gettext(lang, "summaries.table_region"))
    body = body.replace(
        '<div class="pbp-table">',
        f'<div class="pbp-table" tabindex="0" role="region" aria-label="{region}">',
    )
    return env.from_string(_PAGE).render(
        title=title,
        body=body,
        lang=lang,
        footer=footer,
        switch=switch or [],
        switch_label=gettext(lang, switch_key),
    )
