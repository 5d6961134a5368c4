"""The equity panel without a browser: a seeded demo session, widgets read back.

Every test runs on each store backend through the shared ``store`` fixture of
``tests/conftest.py``: SQLite always, PostgreSQL when PBP_TEST_POSTGRES_URL is set.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from pbp_facilitate import equity as eq
from pbp_facilitate.demo import seed_demo
from pbp_facilitate.settings import Settings
from pbp_facilitate.store import SessionRecord, Store
from pbp_facilitate.surveys import load_survey
from pbp_facilitate.widgets.equity import EquityPanel, equity_panel, equity_table_html, read_inputs

ROOT = Path(__file__).resolve().parents[1]
SURVEY = ROOT / "surveys" / "visioning.yaml"
BENCH = eq.load_benchmarks(ROOT / "surveys" / "community_benchmarks.csv")
EVIL = '<img src=x onerror="alert(1)"> $5 rent'


@pytest.fixture
def settings() -> Settings:
    return Settings(surveys_dir=ROOT / "surveys", poll_interval_s=0.05)


def _theme_by_prompt(
    store: Store, session_id: int, label0: str = "Housing and rent"
) -> dict[int, str]:
    """Store a theme snapshot putting each visible idea in its prompt's theme (deterministic)."""
    prompts = {p.id: p.position for p in store.list_prompts(session_id)}
    subs = store.list_submissions(session_id)
    labels = {0: label0, 1: "Buses and sidewalks", 2: "Parks and youth", 3: "Jobs and schools"}
    store.save_theme_snapshot(
        session_id,
        {
            "ids": [s.id for s in subs],
            "theme_ids": [prompts[s.prompt_id] % 4 for s in subs],
            "themes": [{"id": t, "label": lbl} for t, lbl in labels.items()],
        },
    )
    return labels


@pytest.fixture
def demo(store: Store) -> SessionRecord:
    session = seed_demo(store, SURVEY, with_goals=False)
    _theme_by_prompt(store, session.id)
    return session


def _race_counts(store: Store, session_id: int) -> Counter[str]:
    """Consented race answers, counted by hand (independently of the equity module)."""
    p = store.participants_frame(session_id)
    return Counter(r for r, ok in zip(p["race_ethnicity"], p["consented"], strict=True) if ok and r)


def _cells(html: str) -> list[list[str]]:
    """Rows of cell texts of the first table in ``html`` (entities left as they are)."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in body.split("</tr>") if "<td" in row]


def _row(html: str, group: str) -> list[str]:
    return next(r for r in _cells(html) if r and r[0] == group)


def test_demo_shows_gap_sentences_and_hides_small_counts(
    store: Store, demo: SessionRecord, settings: Settings
) -> None:
    panel = EquityPanel(store, settings, code=demo.code)
    assert panel.session.id == demo.id and panel.dimension.value == "race_ethnicity"
    view = panel.view
    assert view is not None and view.state == "ok"
    counts = _race_counts(store, demo.id)
    n_shared = sum(counts.values())
    consented = int(store.participants_frame(demo.id)["consented"].sum())
    assert (
        f"{consented} of {len(store.participants_frame(demo.id))} participants"
        in panel.message.value
    )

    # White is under-represented in the demo: worked out by hand from the raw answers
    white = round(100 * counts["White"] / n_shared)
    sentence = f"White residents are 35% of the community and {white}% of participants."
    assert white < 28 and sentence in view.gaps
    missing, _, over = panel.gaps.value.partition("More present in the room")
    assert "Missing from the room" in missing and sentence in missing and sentence not in over

    small = sorted(g for g, c in counts.items() if 0 < c < 5)
    assert small, "the demo needs a small group for this test to mean anything"
    for g in small:
        row = _row(panel.representation.value, g)
        assert row[1] == "&lt;5", (g, row)
        assert not any(f"{g} residents" in s and f" {counts[g]} of" in s for s in view.gaps)
    asian = (
        "Asian residents are 6% of the community and fewer than 5 of the "
        f"{n_shared} participants who shared their race or ethnicity."
    )
    assert counts["Asian"] < 5 and asian in view.gaps and asian in missing
    assert _row(panel.representation.value, "White")[1] == str(counts["White"])

    # the chart is a PNG with the sentences as alt text
    assert view.chart_png[:8] == b"\x89PNG\r\n\x1a\n"
    assert (
        'src="data:image/png;base64,' in panel.chart.value
        and "White residents are 35%" in panel.chart.value
    )

    # breakdown tables: every number shown counts at least 5 people, the rest read <5 or *
    people = {
        "themes": [c for row in _cells(panel.themes.value) for c in row[1:]],
        "representation": [row[1] for row in _cells(panel.representation.value)],
    }
    for name, shown in people.items():
        assert "&lt;5" in shown, name
        assert all(int(c) >= 5 for c in shown if c.isdigit()), (name, shown)
    assert "Housing and rent" in panel.themes.value and "not shared" in panel.themes.value
    assert "post-stratification" in panel.reweighted.value and "Raw share" in panel.reweighted.value
    # the demo's closed round on its themes, by group, small groups withheld
    assert "voting round" in panel.votes.value and "to protect their privacy" in panel.votes.value
    assert panel.body.layout.display is None


def test_spanish_toggle_and_dimension_picker(
    store: Store, demo: SessionRecord, settings: Settings
) -> None:
    panel = EquityPanel(store, settings, code=demo.code)
    counts = _race_counts(store, demo.id)
    white = round(100 * counts["White"] / sum(counts.values()))
    panel.lang.value = "es"
    assert (
        f"Residentes blancos son el 35 % de la comunidad y el {white} % de los participantes."
        in panel.view.gaps
    )
    # the method and the notes under the tables are in Spanish too
    assert (
        "<b>Método.</b> Las partes reponderadas usan posestratificación" in panel.reweighted.value
    )
    assert "Los conteos de menos de 5 personas" in panel.themes.value
    assert (
        "Faltan en la sala" in panel.gaps.value and "Quién está en la sala" not in panel.gaps.value
    )
    assert panel.tabs.titles[0] == "Sala y comunidad" and "Grupo" in panel.representation.value
    panel.dimension.value = "neighbourhood"
    assert any(
        s.startswith("Residentes de Northgate son el 18 % de la comunidad") for s in panel.view.gaps
    )
    panel.lang.value = "en"
    panel.dimension.value = "role"  # multiple choice, no community figures: breakdowns only
    assert "There are no community figures for role" in panel.gaps.value
    assert "more than one" in panel.themes.value and panel.view.chart_png == b""
    assert "Re-weighting needs community figures for role" in panel.reweighted.value
    labels = dict((k, v) for v, k in panel.dimension.options)
    assert (
        labels["race_ethnicity"] == "Race or ethnicity" and "no community figures" in labels["role"]
    )


def test_updates_live_after_a_new_consented_participant(
    store: Store, demo: SessionRecord, settings: Settings
) -> None:
    panel = equity_panel(demo.code, settings=settings, store=store, start=False)
    counts = _race_counts(store, demo.id)
    before = _row(panel.representation.value, "White")[1]
    assert before == str(counts["White"])
    threads: list[int] = []
    compute = panel.compute

    def spy(*args: object) -> object:
        threads.append(threading.get_ident())
        return compute(*args)  # type: ignore[arg-type]

    panel.compute = spy  # type: ignore[method-assign]
    prompt = store.list_prompts(demo.id)[0].id

    async def go() -> tuple[int, int]:
        await panel.poller.tick()  # first tick: changed
        await panel.ready()
        n_first = len(threads)
        sent: list[object] = []
        for widget in (
            panel.live,
            panel.message,
            panel.gaps,
            panel.chart,
            panel.representation,
            panel.themes,
            panel.votes,
            panel.reweighted,
        ):
            widget.observe(sent.append, names="value")
        await panel.poller.tick()  # nothing changed: no recompute, and no widget message either
        await panel.ready()
        n_idle = len(threads)
        assert sent == [], (
            "an idle panel must send nothing (so a closed tab's kernel can be culled)"
        )
        store.add_submission(
            demo.id, prompt, "A corner store that sells fresh food", participant_key="new-1"
        )
        store.save_profile(
            demo.id,
            "new-1",
            consented=True,
            demographics={"race_ethnicity": "White", "neighbourhood": "Northgate"},
        )
        changed = await panel.poller.tick()
        assert changed and panel.update_task is not None
        await panel.ready()
        return n_first, n_idle

    n_first, n_idle = asyncio.run(go())
    assert n_first == 1 and n_idle == 1 and len(threads) == 2
    assert threading.get_ident() not in threads, "disclosure control must run off the event loop"
    assert _row(panel.representation.value, "White")[1] == str(counts["White"] + 1)
    n_shared = sum(counts.values()) + 1
    white = round(100 * (counts["White"] + 1) / n_shared)
    assert (
        f"White residents are 35% of the community and {white}% of participants." in panel.view.gaps
    )
    n_total = len(store.participants_frame(demo.id))
    assert (
        f"{n_shared} of {n_total} participants shared their race or ethnicity"
        in panel.representation.value
    )
    assert f"of {n_total} participants chose to share demographics" in panel.message.value
    assert "1 newer idea is not in a theme yet; it counts" in panel.themes.value
    assert "live · last change" in panel.live.value and panel.poller.last_error is None


def test_nothing_shared_is_a_message_not_an_error(store: Store, settings: Settings) -> None:
    empty = EquityPanel(store, settings)
    assert empty.view is None and "No session yet" in empty.message.value
    assert empty.body.layout.display == "none"
    session = store.create_session(load_survey(SURVEY), "Quiet room", code="QUIET1")
    panel = EquityPanel(store, settings, code="QUIET1")
    assert (
        panel.view.state == "no_participants"
        and "No participants have joined" in panel.message.value
    )
    prompt = store.list_prompts(session.id)[0].id
    for i in range(3):
        store.add_submission(session.id, prompt, f"Idea {i}", participant_key=f"q{i}")
    store.save_profile(session.id, "q0", consented=False)
    view = panel.refresh_now()
    assert view is not None and view.state == "nothing_shared"
    assert (
        "Nothing shared yet" in panel.message.value
        and "None of the 3 participants" in panel.message.value
    )
    assert (
        panel.body.layout.display == "none" and view.chart_png == b"" and panel.status.value == ""
    )
    panel.lang.value = "es"
    assert "Todavía no se ha compartido nada" in panel.message.value
    # someone consents but skips the question on screen: the library's own words, still no error
    store.save_profile(session.id, "q1", consented=True, demographics={"neighbourhood": "Eastside"})
    panel.lang.value = "en"
    assert panel.view.state == "ok"
    assert "Nobody has shared their race or ethnicity" in panel.gaps.value


def test_participant_text_is_escaped_in_every_table(
    store: Store, demo: SessionRecord, settings: Settings
) -> None:
    _theme_by_prompt(store, demo.id, label0=EVIL)
    p = store.participants_frame(demo.id)
    voters = [k for k, ok in zip(p["participant_key"], p["consented"], strict=True) if ok]
    vr = store.start_voting_round(
        demo.id, [{"id": 0, "label": EVIL}, {"id": 1, "label": "Buses"}], dots=3
    )
    for i, key in enumerate(voters):
        store.cast_ballot(vr.id, key, {0: 2, 1: 1} if i % 3 else {1: 3})
    panel = EquityPanel(store, settings, code=demo.code)
    for html in (panel.themes.value, panel.votes.value, panel.reweighted.value):
        assert (
            "<img src=x" not in html
            and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &#36;5 rent" in html
        )
    shown = [c for row in _cells(panel.votes.value) for c in row[1:]]
    assert shown and all(int(c) >= 5 for c in shown if c.isdigit())
    assert "&lt;5 people" in shown
    assert f"voting round {vr.id} (open)" in panel.votes.value
    assert "Priorities of the most under-represented group" in panel.votes.value
    assert "<b>" not in equity_table_html(
        eq.suppress(
            eq.theme_breakdown(read_inputs(store, demo.id).submissions, p, "age_band")
        ).rename(index={0: "<b>x</b>"})
    )


def test_missing_benchmarks_and_section_cache(
    store: Store, demo: SessionRecord, settings: Settings, tmp_path: Path
) -> None:
    bare = settings.replace(surveys_dir=tmp_path)
    panel = EquityPanel(store, bare, code=demo.code)
    assert "No community benchmarks at" in panel.status.value
    assert panel.dimension.value == "race_ethnicity" and panel.view.chart_png == b""
    assert (
        "No community benchmarks at" in panel.gaps.value
        and "Hispanic or Latino" in panel.themes.value
    )

    spanish = EquityPanel(store, settings, code=demo.code, benchmarks=BENCH, lang="es")
    assert spanish.tabs.titles[0] == "Sala y comunidad"
    assert spanish.dimension.description == "Comparar por"
    good = EquityPanel(store, settings, code=demo.code, benchmarks=BENCH, dimension="age_band")
    assert good.dimension.value == "age_band" and good.status.value == ""
    misses = good.memo.misses
    good.refresh_now()
    assert good.memo.misses == misses and good.memo.hits >= 4, "unchanged data is not recomputed"


def test_table_html_keeps_the_panel_classes() -> None:
    shown = pd.DataFrame(
        {
            "Group": ["A", "B", "C", "Total"],
            "Participants": ["<5", "*", "12", "20"],
            "Share": ["≤9%", "", "60%", ""],
            "Status": ["under", "ok", "under", ""],
        }
    )
    html = equity_table_html(
        shown, index=False, caption="Counts under 5 read '<5'", status_column="Status"
    )
    assert (
        '<td class="pbp-eq-row">A</td>' in html and '<td class="pbp-eq-hidden">&lt;5</td>' in html
    )
    assert (
        '<td class="pbp-eq-hidden">*</td>' in html and '<td class="pbp-eq-hidden">≤9%</td>' in html
    )
    assert html.count('<td class="pbp-eq-under">under</td>') == 2 and "<td>12</td>" in html
    assert '<tr class="pbp-eq-total"><td class="pbp-eq-row">Total</td>' in html
    assert "<caption>Counts under 5 read &#x27;&lt;5&#x27;</caption>" in html
    assert 'class="pbp-eq-table tex2jax_ignore mathjax_ignore"' in html
    es = equity_table_html(
        shown.replace({"under": "subrepresentado"}), index=False, status_column="Status"
    )
    assert '<td class="pbp-eq-under">subrepresentado</td>' in es
    # with the index shown, the index is the first (row-heading) column
    indexed = equity_table_html(
        shown.set_index("Group"), index_name="Grupo", status_column="Status"
    )
    assert '<th scope="col">Grupo</th>' in indexed and '<td class="pbp-eq-row">B</td>' in indexed
    assert '<td class="pbp-eq-under">under</td>' in indexed
