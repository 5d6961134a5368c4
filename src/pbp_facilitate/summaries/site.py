"""``pbp publish``: a static public site of session summaries and series roll-ups.

The site is plain files a partnership can upload anywhere or open from a USB stick::

    <out>/index.html, index.<lang>.html          what is published, in each language
    <out>/sessions/<CODE>/summary.<lang>.html    one page per session and language
    <out>/series/<name>/summary.<lang>.html      one page per series and language
    <out>/.pbp-site                              marks the folder as a site this kit wrote

Pages are the summaries :func:`~.batch.summarize` and :func:`~.batch.summarize_series` write
(rendered into the outputs folder, skipped when up to date), copied without their notebooks,
stamps or side files, so the site carries only what the summaries show: no participant keys or
pseudonyms, no demographics below the threshold, participants' text escaped, images inline, no
scripts and no external requests. Each page is checked for all of that before the site is
swapped into place; a failed check (or a failed summary) leaves the previous site untouched.
The pages pick up whatever sections the summary has: the site copies pages, it does not list
sections.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError, PbpError
from ..settings import Settings
from .batch import BatchReport, summarize, summarize_series
from .files import html_name

__all__ = ["PublishReport", "publish", "MARKER"]

MARKER = ".pbp-site"
_DATA_URI = re.compile(r"data:image/png;base64,[A-Za-z0-9+/=]+")
_TAG = re.compile(r"<[a-zA-Z][^<>]*>")
_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S | re.I)
_EXTERNAL = re.compile(r"""(?:src|href|action|srcset)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


@dataclass
class PublishReport:
    """What :func:`publish` did."""

    out: str
    pages: list[str] = field(default_factory=list)
    summaries: BatchReport | None = None
    series: BatchReport | None = None
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-able dict."""
        return {
            "out": self.out,
            "pages": self.pages,
            "seconds": round(self.seconds, 3),
            "summaries": self.summaries.to_dict() if self.summaries else None,
            "series": self.series.to_dict() if self.series else None,
        }

    def format_text(self) -> str:
        """Readable report."""
        done = [r for b in (self.summaries, self.series) if b for r in b.results]
        written = sum(1 for r in done if r.status == "written")
        return (
            f"Published {len(self.pages)} pages to {self.out} "
            f"({written} summaries rendered, {len(done) - written} up to date) in "
            f"{self.seconds:.1f} s. Open {Path(self.out) / 'index.html'}."
        )


def publish(
    settings: Settings,
    out_dir: str | Path,
    sessions: Sequence[int | str] = (),
    *,
    series: Sequence[str] = (),
    all_items: bool = False,
    languages: str | Sequence[str] = "all",
    jobs: int = 1,
    force: bool = False,
    progress: bool = False,
) -> PublishReport:
    """Write the public site for some sessions and series (a series brings its sessions).

    Parameters
    ----------
    settings : Settings
        Database and the outputs folder the summaries are rendered into.
    out_dir : str or Path
        The site's folder: new, empty, or a site this kit wrote before (replaced whole).
    sessions : sequence of int or str
        Session ids or join codes.
    series : sequence of str
        Series names; each series' sessions are published too.
    all_items : bool
        Publish every series and every session.
    languages, jobs, force, progress
        As for :func:`~.batch.summarize`.

    Returns
    -------
    PublishReport

    Raises
    ------
    ConfigError
        Nothing to publish, an output folder that holds other files, or a summary that failed.
    PbpError
        A page that would leak (a participant key, a script, an external request).
    """
    from ..store import open_store

    t0 = time.perf_counter()
    out = Path(out_dir)
    _check_target(out)
    with open_store(settings) as store:
        every = store.list_series() if all_items else [store.get_series(n) for n in series]
        records = store.list_sessions()[::-1] if all_items else []
        for ref in sessions:
            records.append(store.get_session(ref))
        for s in every:
            records.extend(store.get_session(i) for i in s.session_ids)
        unique = list({r.id: r for r in records}.values())
        keys = {k for r in unique for k in _participant_keys(store, r.id)}
    if not unique:
        raise ConfigError(
            "Nothing to publish; expected session codes, --series NAME or --all "
            "(see 'pbp session list' and 'pbp series list')."
        )
    build = Path(settings.outputs_dir)
    report = PublishReport(out=str(out))
    report.summaries = summarize(
        settings,
        [r.code for r in unique],
        out_dir=build,
        jobs=jobs,
        force=force,
        progress=progress,
        languages=languages,
    )
    if every:
        report.series = summarize_series(
            settings,
            [s.name for s in every],
            out_dir=build,
            jobs=jobs,
            force=force,
            progress=progress,
            languages=languages,
        )
    failed = [r for b in (report.summaries, report.series) if b for r in b.failed]
    if failed:
        raise ConfigError(
            "The site was not published because a summary failed: "
            + "; ".join(f"{r.session}: {r.error}" for r in failed)
            + ". Fix it (or leave that session out) and publish again."
        )
    tmp = out.with_name(f".{out.name}.tmp.{os.getpid()}.{secrets.token_hex(3)}")
    try:
        tmp.mkdir(parents=True)
        items: list[dict[str, Any]] = []
        for s in every:
            items.append(
                _copy(build / "series" / s.name, tmp / "series" / s.name, keys, kind="series")
                | {"title": s.title, "n": len(s.session_ids), "kind": "series", "name": s.name}
            )
        for r in unique:
            items.append(
                _copy(build / r.code, tmp / "sessions" / r.code, keys, kind="session")
                | {"title": r.title, "kind": "session", "name": r.code, "when": r.created_at}
            )
        report.pages = [str(Path(p).relative_to(tmp)) for i in items for p in i["pages"]]
        report.pages += _write_index(tmp, items, settings)
        (tmp / MARKER).write_text("pbp-facilitate public site\n", encoding="utf-8")
        if out.exists():
            old = out.with_name(f".{out.name}.old.{os.getpid()}")
            os.replace(out, old)
            os.replace(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    report.seconds = time.perf_counter() - t0
    return report


def _check_target(out: Path) -> None:
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise ConfigError(
            f"{str(out)!r} already holds files that are not a pbp site; expected a new or empty "
            "folder (or one 'pbp publish' wrote before, which is replaced whole)."
        )


def _participant_keys(store: Any, session_id: int) -> set[str]:
    keys = {s.participant_key for s in store.list_submissions(session_id, include_hidden=True)}
    frame = store.participants_frame(session_id)
    if len(frame):
        keys |= set(frame["participant_key"])
    return {str(k) for k in keys if k and len(str(k)) >= 4}


def check_page(page: str, keys: set[str], where: str) -> None:
    """Refuse a page that runs code, makes an external request or names a participant key."""
    # Embedded images are data, not requests (and cannot hold a key: base64 has no "-").
    page = _DATA_URI.sub("data:", page)
    # Only real markup counts: participants' text is escaped, so "<img onerror=...>" they typed
    # reads "&lt;img onerror=...&gt;" and is no tag.
    tags = " ".join(_TAG.findall(page)).lower()
    styles = " ".join(_STYLE.findall(page)).lower()
    problems = []
    if "<script" in tags or "javascript:" in tags or re.search(r"\son[a-z]+\s*=", tags):
        problems.append("a script")
    if (
        _EXTERNAL.search(tags)
        or "<link" in tags
        or "<iframe" in tags
        or "@import" in styles
        or "url(" in styles
    ):
        problems.append("an external request")
    words = set(re.findall(r"[\w.@+-]+", page))
    leaked = sorted(k for k in keys if k in words or (not k.isalnum() and k in page))
    if leaked:
        problems.append(f"a participant key ({leaked[0]})")
    if problems:
        raise PbpError(
            f"{where} would publish {' and '.join(problems)}; expected a page with none. "
            "Nothing was published."
        )


def _copy(src: Path, dst: Path, keys: set[str], *, kind: str) -> dict[str, Any]:
    """Copy a summary folder's pages (no notebooks, stamps or side files), each checked."""
    langs = sorted(
        p.name.split(".")[1] for p in src.glob("summary.*.html") if p.name.count(".") == 2
    )
    first = _first_language(src, langs)
    dst.mkdir(parents=True)
    pages = []
    for lang in [first, *[x for x in langs if x != first]]:
        page = (src / html_name(lang)).read_text(encoding="utf-8")
        page = _with_home_link(page, lang)
        check_page(page, keys, f"{kind} page {src.name} ({lang})")
        (dst / html_name(lang)).write_text(page, encoding="utf-8")
        pages.append(str(dst / html_name(lang)))
    (dst / "index.html").write_text(
        (dst / html_name(first)).read_text(encoding="utf-8"), encoding="utf-8"
    )
    return {"pages": pages, "languages": [first, *[x for x in langs if x != first]]}


def _first_language(src: Path, langs: list[str]) -> str:
    import json

    try:
        stamp = json.loads((src / ".summary-stamp.json").read_text(encoding="utf-8"))
        order = [x for x in stamp.get("languages", []) if x in langs]
    except (OSError, ValueError):
        order = []
    return (order or langs or ["en"])[0]


def _with_home_link(page: str, lang: str) -> str:
    from ..i18n import gettext
    from ..text import esc

    link = (
        f'<p class="pbp-home"><a href="../../{html_name(lang).replace("summary", "index")}">'
        f"{esc(gettext(lang, 'summaries.site_back'))}</a></p>\n"
    )
    return page.replace("<main>\n", "<main>\n" + link, 1)


def _write_index(tmp: Path, items: list[dict[str, Any]], settings: Settings) -> list[str]:
    from ..clock import parse_iso
    from ..i18n import LANGUAGE_NAMES, format_when, gettext
    from ..text import esc
    from .page import render_page

    langs = list(dict.fromkeys(x for i in items for x in i["languages"]))
    written = []
    for n, lang in enumerate(langs):

        def link(item: dict[str, Any], lang: str = lang) -> str:
            folder = "series" if item["kind"] == "series" else "sessions"
            use = lang if lang in item["languages"] else item["languages"][0]
            href = f"{folder}/{item['name']}/{html_name(use)}"
            return f'<a href="{esc(href)}" hreflang="{use}">{esc(item["title"])}</a>'

        def t(key: str, lang: str = lang, **kw: Any) -> str:
            return esc(gettext(lang, key, **kw))

        parts = [
            f'<header class="pbp-header"><h1>{t("summaries.site_title")}</h1>'
            f"<p>{t('summaries.site_intro', k=settings.small_count)}</p></header>"
        ]
        groups = [i for i in items if i["kind"] == "series"]
        if groups:
            parts.append(f'<section class="pbp-section"><h2>{t("summaries.site_series")}</h2><ul>')
            for i in groups:
                count = t("summaries.site_series_n", n=i["n"])
                parts.append(f"<li>{link(i)} <span class='pbp-note'>{count}</span></li>")
            parts.append("</ul></section>")
        sessions = [i for i in items if i["kind"] == "session"]
        parts.append(f'<section class="pbp-section"><h2>{t("summaries.site_sessions")}</h2><ul>')
        for i in sessions:
            when = format_when(lang, parse_iso(i["when"])).split(",")[0]
            parts.append(f"<li>{link(i)} <span class='pbp-note'>{esc(when)}</span></li>")
        parts.append("</ul></section>")
        switch = [
            (o, html_name(o).replace("summary", "index"), LANGUAGE_NAMES.get(o, o))
            for o in langs
            if o != lang
        ]
        page = render_page(
            title=gettext(lang, "summaries.site_title"),
            body="".join(parts),
            lang=lang,
            footer=gettext(lang, "summaries.site_footer", k=settings.small_count),
            switch=switch,
            switch_key="summaries.site_switch",
        )
        check_page(page, set(), "index")
        name = html_name(lang).replace("summary", "index")
        (tmp / name).write_text(page, encoding="utf-8")
        written.append(name)
        if n == 0:
            (tmp / "index.html").write_text(page, encoding="utf-8")
            written.append("index.html")
    return written
