"""One notebook run, every language: :class:`Report` renders each section once per language
from data read once (the store is read and the themes are fitted a single time).

A cell shows a :class:`Shown`: the first language's HTML for Jupyter, and every language's
HTML under :data:`LANG_MIME`, from which :mod:`pbp_facilitate.summaries.page` makes one page
(and one notebook) per language without running anything again.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ...text import esc
from .._languages import parse_languages
from ._base import Section, SummaryData, _t, _when

__all__ = ["LANG_MIME", "Report", "Shown", "parse_languages", "header_section"]

#: Mime type carrying ``{lang: {"title", "html", "text"}}`` of one section.
LANG_MIME = "application/vnd.pbp.languages+json"


@dataclass
class Shown:
    """One section in every language; Jupyter shows the first, the page picks its own."""

    sections: dict[str, Section]

    @property
    def first(self) -> Section:
        """The section in the first language."""
        return next(iter(self.sections.values()))

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        bundle = self.first._repr_mimebundle_(include, exclude)
        bundle[LANG_MIME] = {
            lang: {"title": s.title, "html": s.to_html(), "text": s.text}
            for lang, s in self.sections.items()
        }
        return bundle


class Report:
    """The sections of one summary, made in every language from one read of the data.

    Parameters
    ----------
    data : SummaryData or any data with ``lang`` (a series roll-up's, for example)
        Read once; each language gets a copy sharing everything read and fitted.
    languages : str or sequence of str
        ``""``/``"all"`` (the session's languages) or codes (``"en,es"``).
    """

    def __init__(self, data: Any, languages: str | Sequence[str] = "") -> None:
        offered = getattr(data, "offered_languages", None) or data.session.languages
        self.languages = parse_languages(languages, offered)
        if hasattr(data, "themes"):
            data.themes()  # fit once, before the copies share the result
        self.data = {lang: replace(data, lang=lang) for lang in self.languages}
        self.sections: dict[str, list[Section]] = {lang: [] for lang in self.languages}

    def add(self, fn: Callable[..., Section], **kwargs: Any) -> Shown:
        """Make section ``fn`` in every language (``sections=`` is passed when ``fn`` takes it)."""
        wants = "sections" in inspect.signature(fn).parameters
        out = {}
        for lang, d in self.data.items():
            kw = {**kwargs, "sections": self.sections[lang]} if wants else kwargs
            sec = fn(d, **kw)
            self.sections[lang].append(sec)
            out[lang] = sec
        return Shown(out)


def header_section(data: SummaryData) -> Section:
    """The page heading: the session's title, its date and what the summary is."""
    s = data.session
    times = sorted(x.created_at for x in data.visible)
    when = _when(data, times[0] if times else s.created_at).split(",")[0]
    intro = _t(data, "intro", k=data.small_count)
    date = _t(data, "header_date", kind=_t(data, "page_title"), when=when)
    html_ = (
        f'<header class="pbp-header"><h1>{esc(s.title)}</h1>'
        f'<p class="pbp-date">{esc(date)}'
        f"</p><p>{esc(intro)}</p></header>"
    )
    return _Header(s.title, html_, intro, {"heading": {"title": s.title, "date": when}}, "header")


class _Header(Section):
    def to_html(self) -> str:
        return self.html
