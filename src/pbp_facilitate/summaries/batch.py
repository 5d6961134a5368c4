"""Session summaries in batch: executed notebook + phone-friendly HTML per session.

For every session the template ``workbooks/summary.ipynb`` is executed by
papermill with the session's id, the database URL and the output folder as
parameters (ids and paths only, never participant text) and written to::

    <out>/<session-code>/summary.ipynb        executed notebook (every language), papermill's record
    <out>/<session-code>/summary.<lang>.html  the report in one language, no code, images embedded
    <out>/<session-code>/summary.<lang>.ipynb the executed notebook showing that language only
    <out>/<session-code>/summary.html         copy of the first language's page

The notebook runs once whatever the number of languages: every section is made in each
language from the same data and theme fit (:class:`~.sections.Report`), and each page is cut
from the one executed notebook (:func:`~.page.for_language`).

Every file is written to a temporary file in the same folder and renamed
into place, so a killed run never leaves a half-written summary. A small
stamp file (``.summary-stamp.json``) records the session's ``updated_at``
and the template's digest: a rerun skips sessions whose data and template
have not changed since (``force=True`` renders anyway).

Speed: notebooks run in the ``pbp-reuse`` papermill engine
(:mod:`pbp_facilitate.summaries.engine`), one reused kernel per worker process
(``jobs``), and the HTML is made in-process (:mod:`.page`). Files and stamps are
handled by :mod:`.files`. A failing session is
recorded and the batch goes on; its notebook with the error is kept as
``summary.failed.ipynb`` for diagnosis.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError, NotFoundError, PbpError
from ..settings import Settings

__all__ = [
    "SummaryJob",
    "SummaryResult",
    "BatchReport",
    "summarize",
    "summarize_series",
    "render_session",
    "write_pages",
]

from .files import (
    FAILED_NAME,
    HTML_NAME,
    NOTEBOOK_NAME,
    STAMP_NAME,
    atomic_write,
    clean_stale_temps,
    html_name,
    is_up_to_date,
    notebook_name,
    session_folder,
    temp_path,
    template_digest,
)
from .page import export_html, for_language


@dataclass(frozen=True)
class SummaryJob:
    """What a worker needs to render one session (ids and paths only)."""

    session_id: int
    code: str
    updated_at: str
    database_url: str
    folder: str
    template: str
    digest: str
    engine: str
    timeout: float | None = None
    languages: tuple[str, ...] = ("en",)
    kind: str = "session"


@dataclass
class SummaryResult:
    """Outcome of one session: ``status`` is ``"written"``, ``"skipped"`` or ``"failed"``."""

    session: str
    status: str
    session_id: int | None = None
    seconds: float = 0.0
    folder: str = ""
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-able dict."""
        return asdict(self)


@dataclass
class BatchReport:
    """Outcome of a batch."""

    results: list[SummaryResult] = field(default_factory=list)
    seconds: float = 0.0

    def _with(self, status: str) -> list[SummaryResult]:
        return [r for r in self.results if r.status == status]

    @property
    def written(self) -> list[SummaryResult]:
        """Sessions rendered in this run."""
        return self._with("written")

    @property
    def skipped(self) -> list[SummaryResult]:
        """Sessions whose summary was already up to date."""
        return self._with("skipped")

    @property
    def failed(self) -> list[SummaryResult]:
        """Sessions that could not be summarised."""
        return self._with("failed")

    @property
    def ok(self) -> bool:
        """True when no session failed."""
        return not self.failed

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-able dict."""
        return {
            "seconds": round(self.seconds, 3),
            "written": len(self.written),
            "skipped": len(self.skipped),
            "failed": len(self.failed),
            "results": [r.to_dict() for r in self.results],
        }

    def format_text(self) -> str:
        """Readable report: counts, then every failure with its reason."""
        lines = [
            f"{len(self.written)} written, {len(self.skipped)} up to date (skipped), "
            f"{len(self.failed)} failed in {self.seconds:.1f} s."
        ]
        if 0 < len(self.written) <= 10:
            lines += [f"  {r.session}: {Path(r.folder) / HTML_NAME}" for r in self.written]
        if self.failed:
            lines.append("Failed:")
            lines += [f"  {r.session}: {r.error}" for r in self.failed]
        return "\n".join(lines)


# -- one session ------------------------------------------------------------------------------


def render_session(job: SummaryJob) -> SummaryResult:
    """Render one session into its folder (no freshness check); never raises for a failing notebook.

    Parameters
    ----------
    job : SummaryJob
        What to render, and where.

    Returns
    -------
    SummaryResult
        ``"written"`` or ``"failed"`` (with the reason).
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    t0 = time.perf_counter()
    started = time.time()
    folder = Path(job.folder)
    result = SummaryResult(
        session=job.code, session_id=job.session_id, status="failed", folder=str(folder)
    )
    folder.mkdir(parents=True, exist_ok=True)
    clean_stale_temps(folder)
    nb_tmp = temp_path(folder / NOTEBOOK_NAME)
    try:
        try:
            nb = pm.execute_notebook(
                job.template,
                str(nb_tmp),
                parameters={
                    f"{job.kind}_id": int(job.session_id),
                    "database_url": job.database_url,
                    "output_dir": str(folder),
                    "languages": ",".join(job.languages),
                },
                engine_name=job.engine,
                progress_bar=False,
                request_save_on_cell_execute=False,
                execution_timeout=job.timeout,
            )
        except PapermillExecutionError as exc:
            if nb_tmp.exists():
                os.replace(nb_tmp, folder / FAILED_NAME)
            result.error = (
                f"{exc.ename}: {exc.evalue} (in cell {exc.exec_count}; see {folder / FAILED_NAME})"
            )
            return result
        title_bits = _glance(nb, job.kind)
        write_pages(
            nb,
            folder,
            job.languages,
            title=str(title_bits.get("title", job.code)),
            code=job.code,
            small_count=int(title_bits.get("small_count", 5)),
            kind=job.kind,
        )
        with open(nb_tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(nb_tmp, folder / NOTEBOOK_NAME)
        atomic_write(
            folder / STAMP_NAME,
            json.dumps(
                {
                    "session_id": job.session_id,
                    "code": job.code,
                    "updated_at": job.updated_at,
                    "template": job.digest,
                    "languages": list(job.languages),
                    "written_at": _now(),
                },
                indent=1,
            ),
        )
        (folder / FAILED_NAME).unlink(missing_ok=True)
        _drop_old_clouds(folder, started)
        result.status = "written"
    except PbpError as exc:
        result.error = str(exc)
    except Exception as exc:  # one broken session must not stop the batch
        result.error = f"{type(exc).__name__}: {exc}"
    finally:
        nb_tmp.unlink(missing_ok=True)
        result.seconds = time.perf_counter() - t0
    return result


def write_pages(
    nb: Any,
    folder: Path,
    languages: Sequence[str],
    *,
    title: str,
    code: str,
    small_count: int,
    kind: str = "session",
) -> None:
    """Write ``summary.<lang>.html`` and ``summary.<lang>.ipynb`` per language (and
    ``summary.html``, the first language's page) from one executed notebook."""
    import nbformat

    from ..i18n import LANGUAGE_NAMES, gettext

    footer = "summaries.footer" if kind == "session" else "summaries.footer_series"
    for i, lang in enumerate(languages):
        switch = [
            (other, html_name(other), LANGUAGE_NAMES.get(other, other))
            for other in languages
            if other != lang
        ]
        page = export_html(
            nb,
            title=gettext(lang, "summaries.html_title", title=title),
            code=code,
            small_count=small_count,
            lang=lang,
            switch=switch,
            footer_key=footer,
        )
        atomic_write(folder / html_name(lang), page)
        if i == 0:
            atomic_write(folder / HTML_NAME, page)
        one = for_language(nb, lang)
        atomic_write(folder / notebook_name(lang), nbformat.writes(one))
    for old in folder.glob("summary.*.html"):
        if old.name.split(".")[1] not in languages:
            old.unlink(missing_ok=True)
            (folder / notebook_name(old.name.split(".")[1])).unlink(missing_ok=True)


def _drop_old_clouds(folder: Path, since: float) -> None:
    """Remove word clouds of themes that this render no longer has (older than the render)."""
    for png in (folder / "wordclouds").glob("theme-*.png"):
        if png.stat().st_mtime < since - 1:
            png.unlink(missing_ok=True)


def _now() -> str:
    from ..clock import utcnow_iso

    return utcnow_iso()


def _glance(nb: Any, kind: str = "session") -> dict[str, Any]:
    """Key figures the at-a-glance cell published (title for the page)."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {}).get("application/json")
            if isinstance(data, dict) and "key_figures" in data:
                return dict(data["key_figures"])
            if isinstance(data, dict) and "heading" in data and kind == "series":
                return {"title": data["heading"]["title"]}
    return {}


def _render_task(job: SummaryJob) -> SummaryResult:
    try:
        return render_session(job)
    except Exception as exc:  # report it; Ctrl-C (KeyboardInterrupt) still stops the batch
        return SummaryResult(
            session=job.code,
            session_id=job.session_id,
            status="failed",
            folder=job.folder,
            error=f"{type(exc).__name__}: {exc}",
        )


def _worker_init() -> None:
    # Workers compute nothing heavy themselves (the kernel does), but keep BLAS single-threaded
    # anyway.
    from .engine import THREAD_LIMITS

    os.environ.update(THREAD_LIMITS)


# -- batch ------------------------------------------------------------------------------------


def summarize(
    settings: Settings,
    sessions: Sequence[int | str] = (),
    *,
    all_sessions: bool = False,
    out_dir: str | Path | None = None,
    jobs: int = 1,
    force: bool = False,
    progress: bool = False,
    template: str | Path | None = None,
    engine: str | None = None,
    timeout: float | None = 600,
    languages: str | Sequence[str] = "all",
) -> BatchReport:
    """Summarise sessions: executed notebook and HTML per session, skipping those up to date.

    Parameters
    ----------
    settings : Settings
        Database, folders.
    sessions : sequence of int or str
        Session ids or join codes.
    all_sessions : bool
        Summarise every session (``sessions`` is then ignored).
    out_dir : str or Path, optional
        Output folder; default ``settings.outputs_dir``.
    jobs : int
        Worker processes, each with one reused kernel; 1 runs in this process.
    force : bool
        Render even sessions whose summary is up to date.
    progress : bool
        Show a progress bar on standard error.
    template : str or Path, optional
        Notebook template; default ``<workbooks_dir>/summary.ipynb``.
    engine : str, optional
        Papermill engine; default the reused-kernel engine ``pbp-reuse``
        (``"nbclient"`` is papermill's own, one kernel per notebook).
    timeout : float or None
        Seconds a cell may run before the session fails.
    languages : str or sequence of str
        ``"all"`` (every language each session offers), one code (``"es"``) or several
        (``"en,es"``); one page per language from a single notebook run.

    Returns
    -------
    BatchReport
        One result per requested session, in the order given (newest first with ``all_sessions``).

    Raises
    ------
    ConfigError
        Bad ``jobs``, no sessions named, or a missing template.
    """
    from ..store import open_store
    from ._languages import parse_languages

    t0 = time.perf_counter()
    if jobs < 1:
        raise ConfigError(f"--jobs expected 1 or more workers, got {jobs}.")
    parse_languages(languages, ("en",))  # an unknown language fails before anything runs
    if not all_sessions and not sessions:
        raise ConfigError("No session given; name sessions (id or join code) or pass --all.")
    tpl, engine = _template_and_engine(settings, template, "summary.ipynb", "Summary", engine)
    out = Path(out_dir) if out_dir is not None else Path(settings.outputs_dir)
    digest = template_digest(tpl)
    db_url = _notebook_database_url(settings)
    report = BatchReport()
    todo: list[tuple[int, SummaryJob]] = []
    with open_store(settings) as store:
        if all_sessions:
            records: list[Any] = store.list_sessions()
            refs: list[Any] = [r.code for r in records]
        else:
            records, refs = [], list(dict.fromkeys(str(s) for s in sessions))
            for ref in refs:
                try:
                    records.append(store.get_session(ref))
                except NotFoundError as exc:
                    records.append(exc)
    for ref, rec in zip(refs, records, strict=True):
        if isinstance(rec, Exception):
            report.results.append(SummaryResult(session=str(ref), status="failed", error=str(rec)))
            continue
        try:
            folder = session_folder(out, rec.code)
        except ConfigError as exc:
            report.results.append(
                SummaryResult(session=rec.code, session_id=rec.id, status="failed", error=str(exc))
            )
            continue
        langs = tuple(parse_languages(languages, rec.languages))
        if not force and is_up_to_date(folder, rec.updated_at, digest, langs):
            report.results.append(
                SummaryResult(
                    session=rec.code, session_id=rec.id, status="skipped", folder=str(folder)
                )
            )
            continue
        report.results.append(
            SummaryResult(session=rec.code, session_id=rec.id, status="pending", folder=str(folder))
        )
        todo.append(
            (
                len(report.results) - 1,
                SummaryJob(
                    session_id=rec.id,
                    code=rec.code,
                    updated_at=rec.updated_at,
                    database_url=db_url,
                    folder=str(folder.resolve()),
                    template=str(tpl.resolve()),
                    digest=digest,
                    engine=engine,
                    timeout=timeout,
                    languages=langs,
                ),
            )
        )
    _run_all(report, todo, jobs, progress)
    report.seconds = time.perf_counter() - t0
    return report


def _run_all(
    report: BatchReport, todo: list[tuple[int, SummaryJob]], jobs: int, progress: bool
) -> None:
    bar = _progress(len(report.results), progress)
    bar.update(len(report.results) - len(todo))
    try:
        for index, res in _run(todo, jobs):
            report.results[index] = res
            bar.update(1)
            if res.status == "failed":
                bar.write(f"Failed: {res.session}: {res.error}")
    finally:
        bar.close()
        for r in report.results:
            if r.status == "pending":
                r.status, r.error = "failed", "interrupted before it was rendered"


def series_fingerprint(series: Any, members: Sequence[Any]) -> str:
    """What a roll-up is up to date with: the series' own change time and each session's."""
    return "|".join([series.updated_at, *(f"{m.code}={m.updated_at}" for m in members)])


def summarize_series(
    settings: Settings,
    names: Sequence[int | str],
    *,
    out_dir: str | Path | None = None,
    jobs: int = 1,
    force: bool = False,
    progress: bool = False,
    template: str | Path | None = None,
    engine: str | None = None,
    timeout: float | None = 600,
    languages: str | Sequence[str] = "all",
) -> BatchReport:
    """Write one roll-up per series: ``<out>/series/<name>/summary.<lang>.html`` and notebooks.

    Same files, languages, suppression and up-to-date rule as :func:`summarize` (a roll-up is
    re-rendered when the series' membership or any of its sessions changed).

    Parameters
    ----------
    settings : Settings
        Database, folders.
    names : sequence of int or str
        Series names (or ids).
    out_dir, jobs, force, progress, engine, timeout, languages
        As for :func:`summarize`.
    template : str or Path, optional
        Notebook template; default ``<workbooks_dir>/series.ipynb``.

    Returns
    -------
    BatchReport
        One result per series (``session`` holds the series name).
    """
    from ..store import open_store
    from ._languages import parse_languages

    t0 = time.perf_counter()
    if jobs < 1:
        raise ConfigError(f"--jobs expected 1 or more workers, got {jobs}.")
    if not names:
        raise ConfigError("No series given; expected --series NAME (see 'pbp series list').")
    parse_languages(languages, ("en",))
    tpl, engine = _template_and_engine(settings, template, "series.ipynb", "Series", engine)
    out = Path(out_dir) if out_dir is not None else Path(settings.outputs_dir)
    digest = template_digest(tpl)
    db_url = _notebook_database_url(settings)
    report = BatchReport()
    todo: list[tuple[int, SummaryJob]] = []
    with open_store(settings) as store:
        for ref in dict.fromkeys(str(n) for n in names):
            try:
                rec = store.get_series(ref)
                members = [store.get_session(i) for i in rec.session_ids]
            except PbpError as exc:
                report.results.append(SummaryResult(session=ref, status="failed", error=str(exc)))
                continue
            folder = session_folder(out / "series", rec.name)
            offered = list(dict.fromkeys(x for m in members for x in m.languages))
            langs = tuple(parse_languages(languages, offered))
            stamp = series_fingerprint(rec, members)
            if not force and is_up_to_date(folder, stamp, digest, langs):
                report.results.append(
                    SummaryResult(
                        session=rec.name, session_id=rec.id, status="skipped", folder=str(folder)
                    )
                )
                continue
            report.results.append(
                SummaryResult(
                    session=rec.name, session_id=rec.id, status="pending", folder=str(folder)
                )
            )
            todo.append(
                (
                    len(report.results) - 1,
                    SummaryJob(
                        session_id=rec.id,
                        code=rec.name,
                        updated_at=stamp,
                        database_url=db_url,
                        folder=str(folder.resolve()),
                        template=str(tpl.resolve()),
                        digest=digest,
                        engine=engine,
                        timeout=timeout,
                        languages=langs,
                        kind="series",
                    ),
                )
            )
    _run_all(report, todo, jobs, progress)
    report.seconds = time.perf_counter() - t0
    return report


def _notebook_database_url(settings: Settings) -> str:
    """The ``database_url`` parameter: papermill records it in every notebook, so never a
    password.
    """
    import sqlalchemy as sa

    from ..settings import load_settings

    url = settings.resolved_database_url
    if sa.engine.make_url(url).password is None:
        return url
    if load_settings().resolved_database_url == url:
        return ""  # the kernel reads PBP_DATABASE_URL itself, like this process did
    raise ConfigError(
        "The database URL given with --db carries a password, which would be written into every "
        "summary notebook's papermill record; expected a URL without one. Put the URL in "
        "PBP_DATABASE_URL instead (the notebooks then read it from the environment) or keep the "
        "password in ~/.pgpass."
    )


def _progress(total: int, enabled: bool) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, unit="session", desc="Summaries", disable=not enabled, leave=True)


def _run(todo: Sequence[tuple[int, SummaryJob]], jobs: int) -> Iterable[tuple[int, SummaryResult]]:
    if not todo:
        return
    if jobs == 1 or len(todo) == 1:
        for index, job in todo:
            yield index, _render_task(job)
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    ctx = mp.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(todo)), mp_context=ctx, initializer=_worker_init
    ) as pool:
        futures = {pool.submit(_render_task, job): (index, job) for index, job in todo}
        try:
            for fut in as_completed(futures):
                index, job = futures[fut]
                try:
                    yield index, fut.result()
                except BrokenProcessPool as exc:
                    yield (
                        index,
                        SummaryResult(
                            session=job.code,
                            session_id=job.session_id,
                            status="failed",
                            folder=job.folder,
                            error=f"the worker process died ({exc})",
                        ),
                    )
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _template_and_engine(
    settings: Settings, template: Any, name: str, kind: str, engine: str | None
) -> tuple[Path, str]:
    """The notebook template (default ``workbooks/<name>``, checked) and the papermill engine."""
    tpl = Path(template) if template else Path(settings.workbooks_dir) / name
    if not tpl.is_file():
        raise ConfigError(
            f"{kind} template {str(tpl)!r} does not exist; expected the kit's "
            f"workbooks/{name}. Run from the project folder or set PBP_WORKBOOKS_DIR."
        )
    if engine is None:
        from .engine import ENGINE_NAME  # cheap: the module imports papermill only when used

        engine = ENGINE_NAME
    return tpl, engine
