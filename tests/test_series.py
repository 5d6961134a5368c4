"""Series of sessions: the store (SQLite and PostgreSQL), the roll-up with its cross-session
suppression, the CLI, and the public site (files and leak checks; axe runs in
tests/test_browser_site.py).

The roll-up and the site are rendered for real: the demo (DEMO26, the youth session YOUTH26
and the series eastside-2026) through papermill in the reused-kernel engine.
"""

from __future__ import annotations

import html as h
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pbp_facilitate.cli import cli
from pbp_facilitate.demo import seed_demo
from pbp_facilitate.errors import ConfigError, NotFoundError, PbpError, ValidationError
from pbp_facilitate.settings import load_settings
from pbp_facilitate.store import NewSubmission, Store
from pbp_facilitate.summaries import series as ss
from pbp_facilitate.summaries import summarize_series
from pbp_facilitate.summaries.series import safe_groups, series_safe
from pbp_facilitate.summaries.site import MARKER, check_page, publish
from pbp_facilitate.surveys import load_survey

ROOT = Path(__file__).resolve().parents[1]
SURVEY = ROOT / "surveys" / "visioning.yaml"


def _settings(url: str, out: Path) -> Any:
    return load_settings(
        {
            "database_url": url,
            "surveys_dir": ROOT / "surveys",
            "workbooks_dir": ROOT / "workbooks",
            "outputs_dir": out,
        },
        environ={},
    )


# -- store -------------------------------------------------------------------------------------


def test_series_store_create_add_list(store: Store, visioning_survey: Any) -> None:
    a = store.create_session(visioning_survey, "Town hall north", code="NORTH1")
    b = store.create_session(visioning_survey, "Town hall south", code="SOUTH1")
    c = store.create_session(visioning_survey, "Youth", code="YOUTH1")
    s = store.create_series("Town-Halls", ["north1", b.id], title="Town halls 2026")
    assert (s.name, s.title, s.session_codes) == (
        "town-halls",
        "Town halls 2026",
        ("NORTH1", "SOUTH1"),
    )
    before = s.updated_at
    s2 = store.add_to_series("town-halls", [c.code])
    assert s2.session_ids == (a.id, b.id, c.id) and s2.updated_at >= before
    assert [x.name for x in store.list_series()] == ["town-halls"]
    assert store.get_series(s.id) == s2 == store.get_series("TOWN-HALLS")
    assert s2.to_dict()["sessions"] == ["NORTH1", "SOUTH1", "YOUTH1"]


def test_series_store_refuses_bad_input_and_writes_nothing(
    store: Store, visioning_survey: Any
) -> None:
    a = store.create_session(visioning_survey, "A", code="AAAA11")
    for bad in ("", "has space", "../up", "x" * 61, "-lead"):
        with pytest.raises(ValidationError, match="series name"):
            store.create_series(bad, [a.id])
    with pytest.raises(NotFoundError, match="NOPE"):
        store.create_series("one", [a.id, "NOPE"])
    assert store.list_series() == []  # nothing partial
    with pytest.raises(ValidationError, match="twice"):
        store.create_series("one", [a.id, a.code])
    with pytest.raises(ValidationError, match="at least one session"):
        store.create_series("one", [])
    store.create_series("one", [a.id])
    with pytest.raises(ValidationError, match="already exists"):
        store.create_series("ONE", [a.id])
    with pytest.raises(ValidationError, match="already in the series"):
        store.add_to_series("one", [a.code])
    with pytest.raises(NotFoundError, match="pbp series create"):
        store.get_series("missing")


# -- suppression across sessions -----------------------------------------------------------


def test_series_safe_rule() -> None:
    k = 5
    assert series_safe([6, 7], k)  # every part visible in its session: nothing hidden
    assert not series_safe([6, 2], k)  # 8 - 6 = 2 would give session B's hidden 2 away
    assert series_safe([3, 2, 4], k)  # 9, all hidden parts: pooled, no single one derivable
    assert not series_safe([4], k) and not series_safe([0, 0], k)
    # x and z pooled leave hidden parts 2+1+1 = 4 < 5, and pooling y too does not help: since
    # the shares give the total away, nothing at all can be shown.
    assert safe_groups({"x": [6, 2], "y": [7, 6], "z": [1, 1]}, k) == ([], None)
    # White 3+4 is safe alone (7, all hidden parts); x's pool then needs White's parts.
    assert safe_groups({"x": [6, 2], "y": [7, 6], "w": [3, 4], "a": [1, 0]}, k) == (
        [("y", 13)],
        16,
    )


def _two_session_db(url: str) -> dict[str, Any]:
    """Two sessions built so that naive sums would give a session's small group away."""
    survey = load_survey(SURVEY)
    with Store(url) as store:
        sessions = []
        # group -> (people in A, people in B): Black 6 + 2 (the 2 must stay hidden), Hispanic
        # 7 + 6 (both visible), White 3 + 4 (both hidden, 7 together), Asian 1 + 0.
        plan = {
            "Black or African American": (6, 2),
            "Hispanic or Latino": (7, 6),
            "White": (3, 4),
            "Asian": (1, 0),
        }
        for idx, code in enumerate(("TWOA01", "TWOB02")):
            s = store.create_session(survey, f"Session {code}", code=code)
            p = store.list_prompts(s.id)[0]
            items, n = [], 0
            for group, counts in plan.items():
                for _ in range(counts[idx]):
                    key = f"{code.lower()}-person-{n:03d}"
                    text = ["More buses at night", "Fix the sidewalks", "A grocery store"][n % 3]
                    items.append(
                        NewSubmission(
                            text=f"{text} please ({n})",
                            prompt_id=p.id,
                            language="en",
                            source="form",
                            participant_key=key,
                        )
                    )
                    store.save_profile(
                        s.id, key, consented=True, demographics={"race_ethnicity": group}
                    )
                    n += 1
            store.add_submissions(s.id, items)
            sessions.append(s)
        store.create_series("two", [s.id for s in sessions])
    return {"plan": plan}


def test_rollup_hides_what_subtracting_a_session_would_reveal(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'pbp.sqlite3'}"
    plan = _two_session_db(url)["plan"]
    data = ss.load_series("two", url)
    section = ss.series_representation_section(data)
    race = section.data["dimensions"]["race_ethnicity"]
    k = data.small_count
    # Every shown series number minus what either session can show leaves 0 or >= k.
    for group, total in race["raw"].items():
        parts = plan[group]
        assert total == sum(parts)
        visible = sum(x for x in parts if x >= k)
        assert total - visible == 0 or total - visible >= k, group
    assert "Black or African American" not in race["raw"]  # 6 + 2: the 2 would be derivable
    assert race["raw"] == {"Hispanic or Latino": 13}
    # White (3 + 4) alone would pass, but Black and Asian need its hidden parts in their pool:
    # Black 8 + White 7 + Asian 1 = 16, hidden parts 2 + 3 + 4 + 1 = 10 >= 5.
    assert race["pooled"] == 16 and series_safe([6, 2, 3, 4, 1, 0], k)
    assert "&lt;5" not in section.html and "<5" not in section.text
    # Themes: groups named per theme follow the same rule.
    themes = ss.series_themes_section(data)
    for t in themes.data["themes"]:
        assert all(n >= k for n in t["groups"].values())
    # In both languages.
    es = ss.series_representation_section(ss.load_series("two", url, lang="es"))
    assert es.data["dimensions"]["race_ethnicity"]["raw"] == race["raw"]
    assert "Todos los demás grupos juntos" in es.html


# -- the demo roll-up and site, rendered once ----------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("series")
    url = f"sqlite:///{tmp / 'pbp.sqlite3'}"
    with Store(url) as store:
        main = seed_demo(store, SURVEY)
        youth = store.get_session("YOUTH26")
        keys = {s.participant_key for x in (main, youth) for s in store.list_submissions(x.id)}
    settings = _settings(url, tmp / "outputs")
    site = tmp / "site"
    report = publish(settings, site, series=["eastside-2026"])
    return {"url": url, "settings": settings, "site": site, "report": report, "keys": keys}


def test_demo_has_a_series_of_two_sessions(demo: dict[str, Any]) -> None:
    res = CliRunner().invoke(cli, ["--db", demo["url"], "series", "list", "--json"])
    assert res.exit_code == 0, res.output
    (only,) = json.loads(res.output)
    assert only["name"] == "eastside-2026" and only["sessions"] == ["DEMO26", "YOUTH26"]


def test_rollup_pages_in_both_languages(demo: dict[str, Any]) -> None:
    from test_summaries_languages import _english_left, _visible_text

    folder = Path(demo["settings"].outputs_dir) / "series" / "eastside-2026"
    en = (folder / "summary.en.html").read_text(encoding="utf-8")
    es = (folder / "summary.es.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in es and "<h1>Eastside 2026: visioning and youth voice</h1>" in en
    for page, words in (
        (en, ("Participation across the series", "Agreed goals across the series")),
        (es, ("Participación en la serie", "Qué cambió de la primera a la última sesión")),
    ):
        for w in words:
            assert w in page
    assert _english_left(_visible_text(es)) == []
    # Per session and in total; which sessions raised each theme; the agreed youth goal.
    import nbformat

    nb = nbformat.read(folder / "summary.ipynb", as_version=4)
    figs = {}
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            d = o.get("data", {}).get("application/json")
            if d:
                figs[o["data"]["text/plain"].split("\n", 1)[0]] = d
    part = figs["Participation across the series"]
    assert [s["code"] for s in part["sessions"]] == ["DEMO26", "YOUTH26"]
    assert part["ideas"] == sum(s["ideas"] for s in part["sessions"])
    themes = figs["What we heard: themes"]["themes"]
    assert any(set(t["sessions"]) == {"DEMO26", "YOUTH26"} for t in themes)
    assert (
        sum(t["size"] for t in themes) + figs["What we heard: themes"]["unclear"] == part["ideas"]
    )
    agreed = figs["Agreed goals across the series"]["agreed"]
    assert {g["session"] for g in agreed} == {"DEMO26", "YOUTH26"}  # each session's agreed goal
    changes = figs["What changed from the first to the latest session"]
    assert (changes["first"], changes["latest"]) == ("DEMO26", "YOUTH26")
    with Store(demo["url"]) as store:  # the demo's round (about 50 ballots) and the youth's 7
        voters = sum(
            len({k for k, _, _ in store.vote_rows(store.current_voting_round(x.id).id)})
            for x in (store.get_session("DEMO26"), store.get_session("YOUTH26"))
        )
    assert figs["Voting results"]["voters"] == voters > 7


def test_rollup_rerenders_only_on_change(demo: dict[str, Any]) -> None:
    settings = demo["settings"]
    again = summarize_series(settings, ["eastside-2026"])
    assert [r.status for r in again.results] == ["skipped"]
    with Store(demo["url"]) as store:  # a goal change in a member session counts
        youth = store.get_session("YOUTH26")
        g = store.list_goals(youth.id)[0]
        store.save_goal(youth.id, g.text, status="draft", check=g.check, goal_id=g.id)
    changed = summarize_series(settings, ["eastside-2026"], languages="en")
    assert [r.status for r in changed.results] == ["written"]
    folder = Path(settings.outputs_dir) / "series" / "eastside-2026"
    assert not (folder / "summary.es.html").exists()  # English only asked for
    res = CliRunner().invoke(
        cli,
        ["--db", demo["url"], "summarize", "--series", "nope", "--no-progress"],
        env={"PBP_OUTPUTS_DIR": str(settings.outputs_dir)},
    )
    assert res.exit_code == 1 and "No series 'nope'" in res.output
    res = CliRunner().invoke(cli, ["--db", demo["url"], "summarize", "--series", "x", "DEMO26"])
    assert res.exit_code == 2


def test_site_lists_everything_and_leaks_nothing(demo: dict[str, Any]) -> None:
    site = demo["site"]
    assert (site / MARKER).is_file()
    files = sorted(str(p.relative_to(site)) for p in site.rglob("*") if p.is_file())
    assert "index.html" in files and "index.es.html" in files
    for folder in ("series/eastside-2026", "sessions/DEMO26", "sessions/YOUTH26"):
        for name in ("index.html", "summary.en.html", "summary.es.html"):
            assert f"{folder}/{name}" in files
    assert not [f for f in files if f.endswith((".ipynb", ".json", ".png", ".sqlite3"))]
    index = (site / "index.es.html").read_text(encoding="utf-8")
    for href in re.findall(r'href="([^"]+)"', index):
        assert (site / href).is_file(), href
    assert (
        "Resúmenes para la comunidad" in index
        and 'href="sessions/YOUTH26/summary.es.html"' in index
    )
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text.lower() and "https://" not in text and "http://" not in text
        assert not [k for k in demo["keys"] if k and k in text], page
        for href in re.findall(r'href="([^"]+)"', text):
            assert (page.parent / href).resolve().is_file(), (page, href)
    # Nothing participants typed becomes markup: the demo spam idea is hidden, never shown.
    assert "spam.example" not in "".join(p.read_text() for p in site.rglob("*.html"))


def test_site_refuses_to_leak_or_overwrite(demo: dict[str, Any], tmp_path: Path) -> None:
    for bad, what in (
        ("<p>x</p><script>alert(1)</script>", "a script"),
        ('<img src="https://example.org/t.png" alt="">', "an external request"),
        ('<p onclick="x()">x</p>', "a script"),
        ("<p>by demo-en-001</p>", "a participant key"),
    ):
        with pytest.raises(PbpError, match=what):
            check_page(bad, {"demo-en-001"}, "page")
    # Escaped participant text is not markup and passes.
    check_page(h.escape("<img src=x onerror=alert(1)> https://evil.example"), set(), "page")
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    with pytest.raises(ConfigError, match="not a pbp site"):
        publish(demo["settings"], foreign, ["DEMO26"])
    assert (foreign / "notes.txt").read_text() == "keep me"
    with pytest.raises(ConfigError, match="Nothing to publish"):
        publish(demo["settings"], tmp_path / "empty")
    res = CliRunner().invoke(cli, ["--db", demo["url"], "publish", "--out", str(tmp_path / "s")])
    assert res.exit_code == 2


def test_publish_again_without_changes_renders_nothing(demo: dict[str, Any]) -> None:
    before = (demo["site"] / "index.html").read_text(encoding="utf-8")
    report = publish(demo["settings"], demo["site"], ["DEMO26"])
    statuses = [r.status for r in report.summaries.results]
    assert statuses == ["skipped"]
    assert (demo["site"] / "sessions" / "DEMO26" / "summary.en.html").is_file()
    assert not (demo["site"] / "series").exists()  # replaced whole: only what was asked for
    assert before != (demo["site"] / "index.html").read_text(encoding="utf-8")
