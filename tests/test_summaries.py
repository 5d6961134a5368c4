"""Session summaries: the template, real papermill runs, the HTML, the batch (skip, force,
failures, kills).

Everything runs for real: seeded SQLite files, papermill executing
``workbooks/summary.ipynb`` in the reused-kernel engine (and once in
papermill's own engine, to compare), nbconvert for the HTML, the ``pbp`` CLI
in a subprocess for the kill test.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import nbformat
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from pbp_facilitate.cli import cli
from pbp_facilitate.demo import seed_demo
from pbp_facilitate.settings import load_settings
from pbp_facilitate.store import NewSubmission, Store
from pbp_facilitate.summaries import (
    FAILED_NAME,
    HTML_NAME,
    NOTEBOOK_NAME,
    STAMP_NAME,
    SummaryJob,
    atomic_write,
    is_up_to_date,
    render_session,
    summarize,
    template_digest,
)
from pbp_facilitate.summaries import engine as kernel_engine
from pbp_facilitate.surveys import load_survey

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "workbooks" / "summary.ipynb"
SURVEY = ROOT / "surveys" / "visioning.yaml"

EVIL = [
    "More <script>alert('pwned')</script> street lights on Main Street please",
    "Street lights <img src=x onerror=alert(1)> on Main Street and safer crossings",
    "Safer crossings and street lights near the school </section><b>bold</b>",
    "Street lights and crossings for kids walking to school &amp; back",
    "Library hours longer <iframe src=javascript:alert(2)></iframe> on weekends",
    "Longer library hours on weekends and evenings",
]


def _settings(url: str, **kw: Any) -> Any:
    return load_settings(
        {
            "database_url": url,
            "surveys_dir": ROOT / "surveys",
            "workbooks_dir": ROOT / "workbooks",
            **kw,
        },
        environ={},
    )


def _outputs(nb: Any) -> dict[str, Any]:
    """The application/json key figures each section published, by section title."""
    out: dict[str, Any] = {}
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            if "application/json" in data:
                title = data["text/plain"].split("\n", 1)[0]
                out[title] = data["application/json"]
    return out


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A database with two demo sessions (one with a voting round), a session full of markup, and a
    broken one.
    """
    tmp = tmp_path_factory.mktemp("summaries")
    url = f"sqlite:///{tmp / 'pbp.sqlite3'}"
    info: dict[str, Any] = {"url": url, "tmp": tmp}
    with Store(url) as store:
        a = seed_demo(store, SURVEY, code="SUMA01", seed=1)
        opts = [
            {"id": 1, "label": "Safe streets"},
            {"id": 2, "label": "Housing <costs>"},
            {"id": 3, "label": "Youth programs"},
        ]
        vr = store.start_voting_round(a.id, opts, dots=3)
        for i in range(9):
            store.cast_ballot(vr.id, f"voter-{i}", {1: 2, 2: 1} if i % 3 else {3: 3})
        store.close_voting_round(vr.id)
        b = seed_demo(store, SURVEY, code="SUMB02", seed=2, with_vote=False)
        c = seed_demo(store, SURVEY, code="SUMX04", seed=4, with_goals=False)
        store.save_goal(c.id, "Reduce waiting lists", check={})
        m = store.create_session(load_survey(SURVEY), "Markup <b>night</b> & co", code="SUMM03")
        p = store.list_prompts(m.id)[0]
        store.add_submissions(
            m.id,
            [
                NewSubmission(
                    text=t, prompt_id=p.id, language="en", source="form", participant_key=f"m-{i}"
                )
                for i, t in enumerate(EVIL)
            ],
        )
        info.update(
            a=store.get_session(a.id),
            b=store.get_session(b.id),
            m=store.get_session(m.id),
            c=store.get_session(c.id),
            round_id=vr.id,
        )
    # A corrupt row (as a crashed tool might leave): session C's summary must fail, alone.
    eng = sa.create_engine(url)
    with eng.begin() as conn:
        conn.execute(
            sa.text("UPDATE goals SET check_json = '{not json' WHERE session_id = :s"),
            {"s": info["c"].id},
        )
    eng.dispose()
    return info


@pytest.fixture(scope="module")
def batch(db: dict[str, Any]) -> dict[str, Any]:
    """One in-process batch over A, B, M and the broken C (one reused kernel)."""
    out = db["tmp"] / "outputs"
    before = kernel_engine.kernel_stats()
    t0 = time.perf_counter()
    report = summarize(_settings(db["url"]), ["SUMA01", "SUMX04", "SUMB02", "SUMM03"], out_dir=out)
    return {
        "out": out,
        "report": report,
        "seconds": time.perf_counter() - t0,
        "before": before,
        "after": kernel_engine.kernel_stats(),
    }


# -- template -------------------------------------------------------------------------------------


def test_template_has_id_and_path_parameters_only_and_no_outputs() -> None:
    nb = nbformat.read(TEMPLATE, as_version=4)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    assigned = re.findall(r"^(\w+)\s*=", params[0].source, flags=re.M)
    assert assigned == ["session_id", "database_url", "output_dir", "languages"]
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (
                "commit the template without outputs"
            )
    assert "papermill" not in nb.metadata


def test_template_passes_nbval_against_a_seeded_database(db: dict[str, Any]) -> None:
    env = {**os.environ, "PBP_DATABASE_URL": db["url"], "PBP_SURVEYS_DIR": str(ROOT / "surveys")}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval-lax",
            str(TEMPLATE),
            "-q",
            "-p",
            "no:cacheprovider",
            "--noconftest",
            "-p",
            "no:randomly",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert re.search(r"\b\d+ passed\b", proc.stdout)


def test_defaults_read_settings_and_pick_the_newest_session(
    db: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from pbp_facilitate.summaries.sections import load_summary

    monkeypatch.setenv("PBP_DATABASE_URL", db["url"])
    data = load_summary()
    assert data.session.id == db["m"].id  # created last
    assert load_summary(db["a"].id).session.code == "SUMA01"


# -- one real summary -----------------------------------------------------------------------------


def test_batch_renders_good_sessions_and_lists_the_broken_one(
    batch: dict[str, Any], db: dict[str, Any]
) -> None:
    report = batch["report"]
    status = {r.session: r.status for r in report.results}
    assert status == {
        "SUMA01": "written",
        "SUMX04": "failed",
        "SUMB02": "written",
        "SUMM03": "written",
    }
    failed = report.failed[0]
    assert "JSONDecodeError" in failed.error and FAILED_NAME in failed.error
    folder = batch["out"] / "SUMX04"
    assert (folder / FAILED_NAME).is_file()
    assert not (folder / HTML_NAME).exists() and not (folder / NOTEBOOK_NAME).exists()
    assert "SUMX04" in report.format_text() and not report.ok
    # One kernel served all four notebooks.
    assert batch["after"]["runs"] - batch["before"]["runs"] >= 3
    assert batch["after"]["starts"] - batch["before"]["starts"] <= 1


def test_summary_holds_the_expected_numbers(batch: dict[str, Any], db: dict[str, Any]) -> None:
    nb = nbformat.read(batch["out"] / "SUMA01" / NOTEBOOK_NAME, as_version=4)
    # Papermill's record: parameters injected, engine, no participant text among the parameters.
    pm = nb.metadata["papermill"]
    assert pm["parameters"] == {
        "session_id": db["a"].id,
        "database_url": db["url"],
        "output_dir": str((batch["out"] / "SUMA01").resolve()),
        "languages": "en,es",
    }
    assert pm["pbp_kernel"]["engine"] == "pbp-reuse"
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)
    figs = _outputs(nb)
    with Store(db["url"]) as store:
        sid = db["a"].id
        visible = store.count_submissions(sid)
        hidden = store.count_submissions(sid, include_hidden=True) - visible
        people = store.participants_frame(sid)
        totals = store.vote_totals(db["round_id"])
    k = figs["The session at a glance"]["key_figures"]
    assert (k["submissions"], k["hidden"], k["participants"]) == (visible, hidden, len(people))
    assert k["consented"] == int(people["consented"].sum()) and k["code"] == "SUMA01"
    assert sum(figs["Participation"]["by_prompt"].values()) == visible
    themes = figs["What we heard: themes"]["themes"]
    assert (
        len(themes) >= 3
        and sum(t["size"] for t in themes) + figs["What we heard: themes"]["unclear"] == visible
    )
    html = (batch["out"] / "SUMA01" / HTML_NAME).read_text(encoding="utf-8")
    import html as h

    for t in themes:
        assert h.escape(t["label"]) in html
    votes = {o["label"]: o["dots"] for o in figs["Voting results"]["options"]}
    assert votes == {
        "Safe streets": totals[1]["dots"],
        "Housing <costs>": totals[2]["dots"],
        "Youth programs": totals[3]["dots"],
    }
    assert "Housing &lt;costs&gt;" in html and "Housing <costs>" not in html
    assert figs["Moderation"]["hidden"] == hidden == 1
    # Small groups are never shown. A breakdown where most groups are under 5 people is not a
    # table of "<5": it says so and shows the groups pooled (every shown count >= 5).
    dims = figs["Who took part, compared with the community"]["dimensions"]
    assert any(d.get("collapsed") for d in dims.values())
    for name, d in dims.items():
        if d.get("collapsed"):
            assert all(int(v) >= 5 for v in d["table"].values()), (name, d)
        elif isinstance(d["table"], list):
            cells = [row["Participants"] for row in d["table"][:-2]]
            hidden = [c for c in cells if c in ("<5", "*")]
            assert 2 * len(hidden) <= len(cells) and all(
                c in ("<5", "*") or int(c) >= 5 or c == "0" for c in cells
            ), (name, cells)
    assert "Too few people shared this for a table by group" in html
    assert "All other groups together" in html
    by_group = figs["What we heard: themes"]["by_group"]
    if by_group.get("collapsed"):
        cells = list(by_group["people"].values())
        assert "People who raised each theme" in html
        assert "Too few people per group raised each theme" in html
    else:
        cells = [v for row in by_group.values() for v in row.values()]
        assert "Who raised each theme, by race or ethnicity" in html
        assert 2 * sum(c in ("<5", "*") for c in cells) <= len(cells)
    assert all(c in ("<5", "*") or int(c) >= 5 for c in cells)
    goals = figs["Goals"]["goals"]
    assert [g["verdict"] for g in goals][:2] != ["not checked", "not checked"]
    assert "Next steps" in html


def test_html_has_no_code_no_scripts_and_escapes_participant_markup(batch: dict[str, Any]) -> None:
    for code in ("SUMA01", "SUMM03"):
        html = (batch["out"] / code / HTML_NAME).read_text(encoding="utf-8")
        assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
        assert "@media (max-width: 600px)" in html
        for code_text in ("load_summary", "sr.", "session_id =", "import ", "sections.append"):
            assert code_text not in html
        assert "<script" not in html.lower() and "<iframe" not in html.lower()
        srcs = re.findall(r'<img[^>]*\ssrc="([^"]*)"', html)
        assert srcs and all(s.startswith("data:image/png;base64,") for s in srcs)
        assert "http://" not in html and "https://" not in html  # self-contained
    html = (batch["out"] / "SUMM03" / HTML_NAME).read_text(encoding="utf-8")
    assert "<title>Summary: Markup &lt;b&gt;night&lt;/b&gt; &amp; co</title>" in html
    assert "onerror=alert(1)" in html  # the text is there, as text ...
    assert (
        "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    )  # ... never as markup
    assert (
        "&lt;script&gt;alert('pwned')&lt;/script&gt;" in html
    )  # nbconvert re-serialises &#x27; as '
    assert "<b>bold</b>" not in html and "&lt;/section&gt;&lt;b&gt;bold&lt;/b&gt;" in html
    assert "&amp;amp; back" in html


def test_reused_kernel_gives_the_same_numbers_as_a_fresh_kernel(
    batch: dict[str, Any], db: dict[str, Any], tmp_path: Path
) -> None:
    """B ran right after A (and the failing C) in one kernel; papermill's own engine runs B
    alone.
    """
    import papermill

    fresh = papermill.execute_notebook(
        str(TEMPLATE),
        str(tmp_path / "b.ipynb"),
        engine_name="nbclient",
        progress_bar=False,
        parameters={"session_id": db["b"].id, "database_url": db["url"], "output_dir": ""},
        cwd=str(ROOT),
    )
    reused = nbformat.read(batch["out"] / "SUMB02" / NOTEBOOK_NAME, as_version=4)
    a = nbformat.read(batch["out"] / "SUMA01" / NOTEBOOK_NAME, as_version=4)
    f, r = _outputs(fresh), _outputs(reused)
    for section in f:
        if section == "The session at a glance":
            continue
        assert f[section] == r[section], section
    kf, kr = (
        f["The session at a glance"]["key_figures"],
        r["The session at a glance"]["key_figures"],
    )
    assert kf == kr and kr["code"] == "SUMB02"
    # A (rendered just before, with a voting round) left nothing in B: no votes, B's own people.
    fa = _outputs(a)
    assert fa["Voting results"]["options"] and r["Voting results"]["options"] == []
    assert (
        fa["Who took part, compared with the community"]
        != r["Who took part, compared with the community"]
    )
    # Execution counts restart in the reused kernel: a clean IPython session per notebook.
    counts = [c.execution_count for c in reused.cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1))


def test_no_state_leaks_between_notebooks_in_the_reused_kernel(tmp_path: Path) -> None:
    import papermill

    def notebook(*sources: str) -> Path:
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
        nb.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
        path = tmp_path / f"nb{len(list(tmp_path.glob('*.ipynb')))}.ipynb"
        nbformat.write(nb, path)
        return path

    first = notebook(
        "leak_from_a = 'session A'\nimport os, matplotlib, matplotlib.pyplot as plt\n"
        "matplotlib.rcParams['lines.linewidth'] = 9\nplt.figure()\nos.environ['PBP_LEAK'] = 'A'\n"
        "import pandas as pd\npd.set_option('display.max_rows', 3)\nos.chdir('/')\n"
        "import warnings\nwarnings.simplefilter('ignore')",
    )
    second = notebook(
        "import json, os, sys, warnings, matplotlib, matplotlib.pyplot as plt, pandas as pd\n"
        "print(json.dumps({'leak': 'leak_from_a' in globals(), 'lw': "
        "matplotlib.rcParams['lines.linewidth'],"
        " 'figs': len(plt.get_fignums()), 'env': os.environ.get('PBP_LEAK'), 'cwd': os.getcwd(),"
        " 'rows': pd.get_option('display.max_rows'), 'filters': len(warnings.filters),"
        " 'omp': os.environ.get('OMP_NUM_THREADS'), 'pid': os.getpid()}))",
    )
    before = kernel_engine.kernel_stats()
    nb1 = papermill.execute_notebook(str(first), None, engine_name="pbp-reuse", progress_bar=False)
    nb2 = papermill.execute_notebook(str(second), None, engine_name="pbp-reuse", progress_bar=False)
    nb3 = papermill.execute_notebook(str(second), None, engine_name="pbp-reuse", progress_bar=False)
    after = kernel_engine.kernel_stats()
    assert after["runs"] - before["runs"] == 3 and after["starts"] - before["starts"] <= 1
    assert all(o["output_type"] != "error" for o in nb1.cells[0].outputs)
    seen = json.loads(nb2.cells[0].outputs[0]["text"])
    again = json.loads(nb3.cells[0].outputs[0]["text"])
    assert seen["leak"] is False
    assert seen["lw"] != 9 and seen["figs"] == 0 and seen["env"] is None
    assert seen["cwd"] == os.getcwd() and seen["rows"] == 60
    assert seen["omp"] == "1"  # workers' kernels stay single-threaded
    assert seen == again  # the same process answered, and saw the same clean state
    assert nb2.metadata["papermill"]["pbp_kernel"]["reused"] is True


def test_engine_is_registered_through_the_entry_point() -> None:
    from importlib.metadata import entry_points

    from papermill.engines import papermill_engines

    eps = {ep.name: ep.value for ep in entry_points(group="papermill.engine")}
    assert eps.get("pbp-reuse") == "pbp_facilitate.summaries.engine:ReusedKernelEngine"
    assert papermill_engines.get_engine("pbp-reuse") is kernel_engine.ReusedKernelEngine


# -- batch behaviour ------------------------------------------------------------------------------


def test_rerun_skips_unchanged_sessions_then_renders_changed_and_forced(
    batch: dict[str, Any], db: dict[str, Any]
) -> None:
    out = batch["out"]
    settings = _settings(db["url"])
    html_a = out / "SUMA01" / HTML_NAME
    mtime_a = html_a.stat().st_mtime_ns
    t0 = time.perf_counter()
    again = summarize(settings, ["SUMA01", "SUMB02", "SUMM03"], out_dir=out)
    assert time.perf_counter() - t0 < 2.0
    assert [r.status for r in again.results] == ["skipped"] * 3 and again.ok
    assert html_a.stat().st_mtime_ns == mtime_a
    # New input for A: only A is rendered again, with the new idea counted.
    with Store(db["url"]) as store:
        store.add_submission(
            db["a"].id,
            store.list_prompts(db["a"].id)[0].id,
            "A community garden on 5th",
            language="en",
            participant_key="late-1",
        )
        new_count = store.count_submissions(db["a"].id)
    changed = summarize(settings, ["SUMA01", "SUMB02"], out_dir=out)
    assert [r.status for r in changed.results] == ["written", "skipped"]
    nb = nbformat.read(out / "SUMA01" / NOTEBOOK_NAME, as_version=4)
    assert _outputs(nb)["The session at a glance"]["key_figures"]["submissions"] == new_count
    assert is_up_to_date(
        out / "SUMA01", Store(db["url"]).get_session("SUMA01").updated_at, template_digest(TEMPLATE)
    )
    forced = summarize(settings, ["SUMM03"], out_dir=out, force=True)
    assert [r.status for r in forced.results] == ["written"]
    stamp = json.loads((out / "SUMM03" / STAMP_NAME).read_text())
    assert stamp["updated_at"] == db["m"].updated_at


def test_cli_lists_failures_and_exits_1_but_writes_the_rest(
    batch: dict[str, Any], db: dict[str, Any]
) -> None:
    out = batch["out"]
    runner = CliRunner()
    res = runner.invoke(
        cli,
        [
            "--db",
            db["url"],
            "summarize",
            "SUMX04",
            "SUMB02",
            "NOPE99",
            "--out",
            str(out),
            "--no-progress",
            "--template",
            str(TEMPLATE),
        ],
    )
    assert res.exit_code == 1, res.output
    assert "SUMX04" in res.output and "NOPE99" in res.output and "Failed:" in res.output
    assert "1 up to date (skipped), 2 failed" in res.output
    res = runner.invoke(
        cli,
        [
            "--db",
            db["url"],
            "summarize",
            "SUMB02",
            "--out",
            str(out),
            "--json",
            "--no-progress",
            "--template",
            str(TEMPLATE),
        ],
    )
    assert res.exit_code == 0
    assert json.loads(res.output)["skipped"] == 1
    res = runner.invoke(cli, ["--db", db["url"], "summarize", "--out", str(out)])
    assert res.exit_code == 1 and "--all" in res.output


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "s" / "summary.html"
    atomic_write(target, "<html>old</html>")

    def half(p: Path) -> None:
        p.write_text("<html>half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, half)
    assert target.read_text() == "<html>old</html>"
    assert [p.name for p in target.parent.iterdir()] == ["summary.html"]


def test_a_killed_batch_leaves_no_half_written_file(db: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "out"
    (tmp_path / "tmp").mkdir()
    env = {
        **os.environ,
        "PBP_DATABASE_URL": db["url"],
        "PBP_SURVEYS_DIR": str(ROOT / "surveys"),
        "PBP_WORKBOOKS_DIR": str(ROOT / "workbooks"),
        "TMPDIR": str(tmp_path / "tmp"),
    }  # kernel sockets
    pbp = [sys.executable, "-m", "pbp_facilitate"]
    proc = subprocess.Popen(
        [*pbp, "summarize", "SUMA01", "SUMB02", "SUMM03", "--out", str(out), "--no-progress"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 180
    try:
        # Kill as soon as anything is being written (a temporary file) or the first summary is done.
        while time.monotonic() < deadline and proc.poll() is None:
            if (
                list(out.glob("*/.tmp.*"))
                or list(out.glob("*/wordclouds/.tmp.*"))
                or list(out.glob("*/" + HTML_NAME))
            ):
                break
            time.sleep(0.002)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the batch should have been killed mid-way"
    for html in out.glob("*/" + HTML_NAME):
        assert html.read_text(encoding="utf-8").rstrip().endswith("</html>")
    for nbp in out.glob("*/" + NOTEBOOK_NAME):
        nbformat.validate(nbformat.read(nbp, as_version=4))
    for folder in out.glob("*"):
        if (folder / STAMP_NAME).exists():
            assert (folder / HTML_NAME).exists() and (folder / NOTEBOOK_NAME).exists()
    # The next run finishes the job and clears what the killed run left behind.
    res = subprocess.run(
        [
            *pbp,
            "summarize",
            "SUMA01",
            "SUMB02",
            "SUMM03",
            "--out",
            str(out),
            "--no-progress",
            "--json",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr[-2000:]
    assert json.loads(res.stdout)["failed"] == 0
    assert not list(out.glob("*/.tmp.*")) and not list(out.glob("*/wordclouds/.tmp.*"))


def test_parallel_workers_render_each_session_once(db: dict[str, Any], tmp_path: Path) -> None:
    report = summarize(_settings(db["url"]), ["SUMB02", "SUMM03"], out_dir=tmp_path, jobs=2)
    assert [r.status for r in report.results] == ["written", "written"], report.format_text()
    for code in ("SUMB02", "SUMM03"):
        nb = nbformat.read(tmp_path / code / NOTEBOOK_NAME, as_version=4)
        assert _outputs(nb)["The session at a glance"]["key_figures"]["code"] == code
        assert (tmp_path / code / "wordclouds").is_dir()


def test_bad_requests_say_what_to_do(db: dict[str, Any], tmp_path: Path) -> None:
    from pbp_facilitate.errors import ConfigError

    settings = _settings(db["url"])
    with pytest.raises(ConfigError, match="--all"):
        summarize(settings, [], out_dir=tmp_path)
    with pytest.raises(ConfigError, match="1 or more"):
        summarize(settings, ["SUMA01"], out_dir=tmp_path, jobs=0)
    with pytest.raises(ConfigError, match="template"):
        summarize(settings, ["SUMA01"], out_dir=tmp_path, template=tmp_path / "missing.ipynb")
    res = render_session(
        SummaryJob(
            session_id=999999,
            code="GONE",
            updated_at="",
            database_url=db["url"],
            folder=str(tmp_path / "GONE"),
            template=str(TEMPLATE),
            digest="x",
            engine="pbp-reuse",
        )
    )
    assert (
        res.status == "failed" and "NotFoundError" in res.error and "pbp session list" in res.error
    )


def test_a_password_never_becomes_a_notebook_parameter(monkeypatch: pytest.MonkeyPatch) -> None:
    from pbp_facilitate.errors import ConfigError
    from pbp_facilitate.summaries.batch import _notebook_database_url

    url = "postgresql+psycopg://backbone:s3cret@127.0.0.1:5432/pbp"
    monkeypatch.delenv("PBP_DATABASE_URL", raising=False)
    with pytest.raises(ConfigError, match="PBP_DATABASE_URL"):
        _notebook_database_url(_settings(url))
    monkeypatch.setenv("PBP_DATABASE_URL", url)
    assert _notebook_database_url(_settings(url)) == ""  # the kernel reads it from the environment
    assert _notebook_database_url(_settings("sqlite:///x.sqlite3")) == "sqlite:///x.sqlite3"


def test_sections_cope_with_an_empty_session(tmp_path: Path) -> None:
    from pbp_facilitate.summaries import sections as sr

    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    with Store(url) as store:
        s = store.create_session(load_survey(SURVEY), "Nobody came yet", code="EMPTY1")
    data = sr.load_summary(s.id, url)
    sections = [
        f(data)
        for f in (
            sr.at_a_glance_section,
            sr.participation_section,
            sr.representation_section,
            sr.themes_section,
            sr.voting_section,
            sr.goals_section,
            sr.moderation_section,
        )
    ]
    sections.append(sr.next_steps_section(data, sections=sections))
    assert sections[0].data["key_figures"]["submissions"] == 0
    assert "No ideas have been shared yet." in sections[1].html
    assert sections[3].data["themes"] == [] and "No ideas yet" in sections[3].html
    assert "Share this summary" in sections[-1].html


def test_themes_follow_the_live_board_snapshot_and_facilitator_edits(tmp_path: Path) -> None:
    from pbp_facilitate.summaries import sections as sr
    from pbp_facilitate.themes import find_themes, themes_to_json

    url = f"sqlite:///{tmp_path / 'edits.sqlite3'}"
    with Store(url) as store:
        s = seed_demo(store, SURVEY, code="EDIT01", seed=7, with_goals=False)
        subs = store.list_submissions(s.id)
        live = find_themes([x.text for x in subs], ids=[x.id for x in subs])
        store.save_theme_snapshot(s.id, themes_to_json(live))
        target = live.themes_[0].id
        store.add_theme_edit(
            s.id, {"op": "rename", "theme_id": target, "label": "Homes <we> can afford"}
        )
    data = sr.load_summary(s.id, url, str(tmp_path / "o"))
    sec = sr.themes_section(data)
    labels = {t["id"]: t["label"] for t in sec.data["themes"]}
    assert labels[target] == "Homes <we> can afford"
    assert "Homes &lt;we&gt; can afford" in sec.html and "(label by the facilitator)" in sec.html
    assert (tmp_path / "o" / "wordclouds" / f"theme-{target}.png").read_bytes()[
        :8
    ] == b"\x89PNG\r\n\x1a\n"


def test_a_dead_kernel_fails_that_notebook_only_and_is_replaced(tmp_path: Path) -> None:
    import papermill
    from nbclient.exceptions import DeadKernelError

    def notebook(name: str, source: str) -> str:
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(source)]
        nb.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
        nbformat.write(nb, tmp_path / name)
        return str(tmp_path / name)

    ok, crash = (
        notebook("ok.ipynb", "import os\nprint(os.getpid())"),
        notebook("crash.ipynb", "import os; os._exit(3)"),
    )
    first = papermill.execute_notebook(ok, None, engine_name="pbp-reuse", progress_bar=False)
    with pytest.raises(DeadKernelError):
        papermill.execute_notebook(crash, None, engine_name="pbp-reuse", progress_bar=False)
    assert kernel_engine.kernel_stats()["alive"] == 0
    after = papermill.execute_notebook(ok, None, engine_name="pbp-reuse", progress_bar=False)
    assert (
        first.cells[0].outputs[0]["text"] != after.cells[0].outputs[0]["text"]
    )  # a new kernel process
    assert kernel_engine.kernel_stats()["alive"] == 1


def test_progress_bar_counts_sessions(
    batch: dict[str, Any], db: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    report = summarize(
        _settings(db["url"]), ["SUMB02", "SUMM03"], out_dir=batch["out"], progress=True
    )
    assert [r.status for r in report.results] == ["skipped", "skipped"]
    err = capsys.readouterr().err
    assert "Summaries" in err and "2/2" in err


def test_sections_speak_the_summary_language(db: dict[str, Any]) -> None:
    from pbp_facilitate.i18n import STRINGS
    from pbp_facilitate.summaries import sections as sr

    fns = (
        sr.at_a_glance_section,
        sr.participation_section,
        sr.representation_section,
        sr.themes_section,
        sr.voting_section,
        sr.goals_section,
        sr.moderation_section,
    )
    es = sr.load_summary(db["a"].id, db["url"], lang="es")
    secs = [f(es) for f in fns]
    secs.append(sr.next_steps_section(es, sections=secs))
    keys = (
        "glance",
        "participation",
        "representation",
        "themes",
        "voting",
        "goals",
        "moderation",
        "next",
    )
    assert [s.title for s in secs] == [STRINGS["es"][f"summaries.title_{k}"] for k in keys]
    page = "".join(s.to_html() for s in secs)
    for english in ("ideas shared", "Voting results", "Share this summary", "Verdict:", "People"):
        assert english not in page, english
    assert "Compartir este resumen" in page and "Gráfico de barras de ideas por tema" in page
    # Same figures in either language; next steps still find the other sections by key.
    en = sr.load_summary(db["a"].id, db["url"])
    assert sr.voting_section(en).data == secs[4].data
    assert len(secs[-1].data["steps"]) == len(
        sr.next_steps_section(en, sections=[f(en) for f in fns]).data["steps"]
    )
