"""Summaries in every session language, titled, with honest small numbers.

Real papermill runs (reused-kernel engine) over a seeded SQLite demo; the Spanish page is
checked against the catalogue: no English heading, header or sentence may be left in it.
"""

from __future__ import annotations

import html as h
import re
from pathlib import Path
from typing import Any

import nbformat
import pytest
from click.testing import CliRunner

from pbp_facilitate.cli import cli
from pbp_facilitate.demo import seed_demo
from pbp_facilitate.i18n import STRINGS
from pbp_facilitate.settings import load_settings
from pbp_facilitate.store import Store
from pbp_facilitate.summaries import HTML_NAME, NOTEBOOK_NAME, STAMP_NAME, summarize
from pbp_facilitate.summaries import engine as kernel_engine
from pbp_facilitate.summaries import sections as sr
from pbp_facilitate.surveys import load_survey

ROOT = Path(__file__).resolve().parents[1]
SURVEY = ROOT / "surveys" / "visioning.yaml"


def _settings(url: str) -> Any:
    return load_settings(
        {"database_url": url, "surveys_dir": ROOT / "surveys", "workbooks_dir": ROOT / "workbooks"},
        environ={},
    )


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("langs")
    url = f"sqlite:///{tmp / 'pbp.sqlite3'}"
    with Store(url) as store:
        s = seed_demo(store, SURVEY, code="LANG01", seed=3)
        session = store.get_session(s.id)
    before = kernel_engine.kernel_stats()
    report = summarize(_settings(url), ["LANG01"], out_dir=tmp / "out")
    after = kernel_engine.kernel_stats()
    assert report.ok, report.format_text()
    return {
        "url": url,
        "out": tmp / "out",
        "folder": tmp / "out" / "LANG01",
        "session": session,
        "runs": after["runs"] - before["runs"],
    }


def _visible_text(page: str) -> str:
    """What a reader reads, minus participants' own words (quotes and goal texts)."""
    page = re.sub(r"<style.*?</style>", "", page, flags=re.S)
    page = re.sub(r"<blockquote>.*?</blockquote>", "", page, flags=re.S)
    page = re.sub(r'<p class="pbp-goal-text">.*?</p>', "", page, flags=re.S)
    page = re.sub(r'<span class="pbp-text[^"]*">.*?</span>', "", page, flags=re.S)  # ideas
    alts = " ".join(re.findall(r'alt="([^"]*)"', page))
    page = re.sub(r"<[^>]+>", " ", page)
    return h.unescape(page + " " + alts)


def _english_left(text: str) -> list[str]:
    """English-only catalogue phrases (12+ characters between placeholders) found in ``text``."""
    left = []
    for key, en in STRINGS["en"].items():
        if not key.startswith(("summaries.", "equity.", "goals.")) or STRINGS["es"][key] == en:
            continue
        for chunk in re.split(r"\{[^}]*\}", en):
            chunk = chunk.strip(" .,:;()'%")
            if len(chunk) >= 12 and chunk in text:
                left.append(f"{key}: {chunk!r}")
    return left


def test_one_run_writes_a_page_and_a_notebook_per_language(rendered: dict[str, Any]) -> None:
    folder = rendered["folder"]
    assert rendered["runs"] == 1  # both languages from one notebook execution
    for lang in ("en", "es"):
        page = (folder / f"summary.{lang}.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in page
        nb = nbformat.read(folder / f"summary.{lang}.ipynb", as_version=4)
        assert nb.metadata["pbp"]["language"] == lang
        assert "application/vnd.pbp.languages+json" not in nbformat.writes(nb)
    en = (folder / "summary.en.html").read_text(encoding="utf-8")
    es = (folder / "summary.es.html").read_text(encoding="utf-8")
    assert (folder / HTML_NAME).read_text(encoding="utf-8") == en
    assert (folder / NOTEBOOK_NAME).is_file() and (folder / STAMP_NAME).is_file()
    # Titled with the session's title and date; a switch to the other language.
    title = h.escape(rendered["session"].title)
    assert f"<h1>{title}</h1>" in en and f"<h1>{title}</h1>" in es
    assert re.search(r'class="pbp-date">Session summary, \d\d [A-Z][a-z]{2} \d{4}<', en)
    assert re.search(r'class="pbp-date">Resumen de la sesión, \d\d [a-z]{3} \d{4}<', es)
    assert "Session summary</h1>" not in en
    assert 'href="summary.es.html" hreflang="es" lang="es">Español</a>' in en
    assert 'href="summary.en.html" hreflang="en" lang="en">English</a>' in es
    assert f"<title>Resumen: {title}</title>" in es


def test_spanish_page_has_no_english_left(rendered: dict[str, Any]) -> None:
    es = (rendered["folder"] / "summary.es.html").read_text(encoding="utf-8")
    text = _visible_text(es)
    assert _english_left(text) == []
    headings = [h.unescape(x) for x in re.findall(r"<(?:h[1-3]|th)[^>]*>(.*?)</", es)]
    english = {v for k, v in STRINGS["en"].items() if STRINGS["es"].get(k) != v}
    assert not [x for x in headings if x in english]
    for spanish in ("La sesión de un vistazo", "Próximos pasos", "Gráfico de barras"):
        assert spanish in text
    # And the check itself can fail: the English page is full of English.
    en = (rendered["folder"] / "summary.en.html").read_text(encoding="utf-8")
    assert len(_english_left(_visible_text(en))) > 20


def test_numbers_and_dates_follow_the_language(rendered: dict[str, Any]) -> None:
    data = sr.load_summary("LANG01", rendered["url"], lang="es")
    from pbp_facilitate.summaries.sections._base import _num

    assert _num(data, 12345) == "12.345" and _num(data, 1234.5, 1) == "1.234,5"
    data.lang = "en"
    assert _num(data, 12345) == "12,345" and _num(data, 1234.5, 1) == "1,234.5"
    es = (rendered["folder"] / "summary.es.html").read_text(encoding="utf-8")
    months = STRINGS["es"]["summaries.months"].split()
    assert any(f" {m} 20" in es for m in months)


def test_rerun_is_skipped_until_the_languages_change(rendered: dict[str, Any]) -> None:
    settings = _settings(rendered["url"])
    again = summarize(settings, ["LANG01"], out_dir=rendered["out"])
    assert [r.status for r in again.results] == ["skipped"]
    same = summarize(settings, ["LANG01"], out_dir=rendered["out"], languages="en,es")
    assert [r.status for r in same.results] == ["skipped"]
    # Asking for English only is a different summary (the Spanish page would be stale).
    from pbp_facilitate.summaries import is_up_to_date, template_digest

    folder = rendered["folder"]
    digest = template_digest(ROOT / "workbooks" / "summary.ipynb")
    updated = rendered["session"].updated_at
    assert is_up_to_date(folder, updated, digest, ("en", "es"))
    assert not is_up_to_date(folder, updated, digest, ("en",))


def test_unknown_language_is_a_clear_error(rendered: dict[str, Any]) -> None:
    res = CliRunner().invoke(
        cli, ["--db", rendered["url"], "summarize", "LANG01", "--lang", "fr", "--no-progress"]
    )
    assert res.exit_code == 1
    assert "'fr'" in res.output and "en, es" in res.output and "all" in res.output


def test_cli_lang_es_writes_the_spanish_page_only(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'pbp.sqlite3'}"
    with Store(url) as store:
        s = store.create_session(load_survey(SURVEY), "Noche juvenil", code="ESONLY")
        p = store.list_prompts(s.id)[0]
        for i, t in enumerate(["Más parques", "Más autobuses de noche", "Parques con sombra"]):
            store.add_submission(s.id, p.id, t, language="es", participant_key=f"y-{i}")
    res = CliRunner().invoke(
        cli,
        [
            "--db",
            url,
            "summarize",
            "ESONLY",
            "--lang",
            "es",
            "--out",
            str(tmp_path / "out"),
            "--no-progress",
        ],
        env={
            "PBP_WORKBOOKS_DIR": str(ROOT / "workbooks"),
            "PBP_SURVEYS_DIR": str(ROOT / "surveys"),
        },
    )
    assert res.exit_code == 0, res.output
    folder = tmp_path / "out" / "ESONLY"
    assert (folder / "summary.es.html").is_file() and not (folder / "summary.en.html").exists()
    page = (folder / "summary.es.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in page and "<nav" not in page  # one language: no switch


# -- honest small numbers (sections called directly, no notebook) ---------------------------------


def test_priorities_from_few_voters_carry_a_caveat(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'pbp.sqlite3'}"
    with Store(url) as store:
        s = seed_demo(store, SURVEY, code="FEWV01", seed=5, with_goals=False)
        vr = store.start_voting_round(
            s.id, [{"id": 1, "label": "Parks"}, {"id": 2, "label": "Buses"}], dots=3
        )
        store.cast_ballot(vr.id, "voter-1", {1: 3})
    for lang, word in (("en", "only 1 person voted"), ("es", "solo hubo 1 persona con voto")):
        data = sr.load_summary("FEWV01", url, lang=lang)
        vote = sr.voting_section(data)
        assert word in vote.html and 'class="pbp-caution"' in vote.html
        steps = sr.next_steps_section(data, sections=[vote]).data["steps"]
        assert "1" in steps[0] and (
            "only 1 person voted" in steps[0] or "solo hubo 1 persona" in steps[0]
        )
    with Store(url) as store:
        for i in range(2, 7):
            store.cast_ballot(vr.id, f"voter-{i}", {2: 3})
    vote = sr.voting_section(sr.load_summary("FEWV01", url))
    assert "pbp-caution" not in vote.html  # 6 voters: no caveat


def test_collapse_never_leaves_a_small_pool() -> None:
    from pbp_facilitate.summaries.sections._small import collapse_counts, mostly_hidden

    assert collapse_counts({"a": 18, "b": 12, "c": 2, "d": 1}, 5) == ([("a", 18)], 15)
    assert collapse_counts({"a": 9, "b": 6, "c": 5}, 5) == ([("a", 9), ("b", 6), ("c", 5)], 0)
    assert collapse_counts({"a": 2, "b": 1}, 5) == ([], 3)  # nothing can be shown
    kept, pooled = collapse_counts({"a": 7, "b": 5, "c": 1, "d": 1}, 5)
    assert pooled >= 5 and all(n >= 5 for _, n in kept)
    assert mostly_hidden(["<5", "*", "7"], 5)[0] and not mostly_hidden(["<5", "8", "7"], 5)[0]


def test_a_theme_edit_counts_as_a_change(rendered: dict[str, Any]) -> None:
    settings = _settings(rendered["url"])
    with Store(rendered["url"]) as store:
        sid = rendered["session"].id
        target = max(store.latest_theme_snapshot(sid)["themes"], key=lambda t: t["size"])
        store.add_theme_edit(
            sid, {"op": "rename", "theme_id": target["id"], "label": "Renamed by us"}
        )
    again = summarize(settings, ["LANG01"], out_dir=rendered["out"])
    assert [r.status for r in again.results] == ["written"]
    for lang in ("en", "es"):
        page = (rendered["folder"] / f"summary.{lang}.html").read_text(encoding="utf-8")
        assert "Renamed by us" in page  # a facilitator's label is the label in every language
