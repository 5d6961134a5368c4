"""Tests of the goal checker: JSON shape, evidence offsets, the tricky cases of
the rules, themes, pace warnings, languages, speed, and the labelled set."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pbp_facilitate import text
from pbp_facilitate.errors import ValidationError
from pbp_facilitate.goals import (
    CORE_CRITERIA,
    CRITERIA,
    GoalChecker,
    GoalReport,
    check_goal,
    check_goals,
    detect_language,
    fold,
)
from pbp_facilitate.goals.report import criteria_html
from pbp_facilitate.i18n import goals as goal_strings
from pbp_facilitate.i18n import placeholders

DATA = Path(__file__).parent / "data" / "goals_labelled.jsonl"
CHECKER = GoalChecker(reference_year=2026)  # the year the labelled set was written


def passed(text: str, criterion: str, **kw) -> bool:
    return CHECKER.check(text, **kw).criteria[criterion].passed


# --------------------------------------------------------------------------
# JSON shape


def test_to_dict_has_exactly_the_spec_shape():
    d = check_goal(
        "Reduce chronic absenteeism among students experiencing homelessness "
        "from 38% to 20% by June 2028."
    ).to_dict()
    assert list(d) == ["text", "is_goal", "criteria", "rewrite"]
    assert list(d["criteria"]) == [
        "specific",
        "measurable",
        "achievable",
        "relevant",
        "time_bound",
        "equity",
    ]
    for res in d["criteria"].values():
        assert list(res) == ["passed", "evidence", "reason", "suggestion"]
        assert isinstance(res["passed"], bool)
        assert isinstance(res["reason"], str) and res["reason"]
        assert res["suggestion"] is None or isinstance(res["suggestion"], str)
        for ev in res["evidence"]:
            assert list(ev) == ["text", "start", "end"]
    assert isinstance(d["is_goal"], bool) and isinstance(d["rewrite"], str)
    assert json.loads(json.dumps(d)) == d


def test_failed_core_criteria_carry_a_suggestion_and_passed_ones_none():
    rep = check_goal("Improve outcomes for our community.")
    for name in CORE_CRITERIA:
        res = rep.criteria[name]
        assert res.passed is False
        assert res.suggestion
    good = check_goal(
        "By 2030, cut the infant mortality rate among Black mothers from 14 to 7 "
        "per 1,000 live births."
    )
    for name in CORE_CRITERIA:
        assert good.criteria[name].passed, name
        assert good.criteria[name].suggestion is None


# --------------------------------------------------------------------------
# evidence offsets: text == goal[start:end], always

_GOAL_PIECES = [
    "Reduce",
    "Aumentar",
    "chronic absenteeism",
    "la tasa de graduación",
    "among Black students",
    "de familias de bajos ingresos",
    "from 38% to 20%",
    "del 41 % al 55 %",
    "by 2030",
    "para 2029",
    "within 18 months",
    "this winter",
    "soon",
    "by half",
    "every third grader",
    "functional zero",
    "our 3 partners",
    "founded in 2008",
    "by race and ethnicity",
    "¡",
    "é",
    "ñ",
    "İ",
    "ß",
    "’",
    "—",
    ",",
    ".",
    " ",
    "\n",
    "$52,000",
    "1 in 3",
    "8th-grade",
    "COVID-19",
    "the gap",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_GOAL_PIECES), max_size=14).map(" ".join))
def test_evidence_offsets_index_the_original_text_goal_like(text):
    _assert_evidence_invariant(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_evidence_offsets_index_the_original_text_any_unicode(text):
    _assert_evidence_invariant(text)


def _assert_evidence_invariant(text: str) -> None:
    themes = ["Housing stability", {"label": "Early learning", "terms": ["pre-k", "lectura"]}]
    rep = check_goal(text, themes=themes)
    assert rep.text == text
    for res in rep.criteria.values():
        for ev in res.evidence:
            assert 0 <= ev.start <= ev.end <= len(text)
            assert text[ev.start : ev.end] == ev.text
    json.dumps(rep.to_dict())


@given(st.text(max_size=200))
def test_fold_keeps_length(text):
    assert len(fold(text)) == len(text)


def test_fold_is_the_shared_rule():
    assert fold is text.fold
    assert fold("Educación — “PRÓXIMO”\u00a0año") == 'educacion - "proximo" ano'


@pytest.mark.parametrize(
    "goal",
    [
        "Aumentar la lectura de los estudiantes de 3.º grado para 2028.",
        "Abrir centros en la 2ª fase del plan para 2028.",
    ],
)
def test_ordinal_signs_are_not_targets(goal):
    # fold() turns "º" and "ª" into "o" and "a"; the ordinal rule reads the original text
    res = CHECKER.check(goal).criteria["measurable"]
    assert not res.passed and len(res.evidence) == 1 and res.evidence[0].text.isdigit()


# --------------------------------------------------------------------------
# measurable: the tricky cases

MEASURABLE = [
    ("Raise the adult flu vaccination rate to 60% by 2027.", True),
    ("Move third-grade reading proficiency from 41% to 55% by 2028.", True),
    ("Cut the racial gap in overdose deaths in half by 2029.", True),
    ("Double the number of youth apprenticeships by 2028.", True),
    ("Reduce overdose deaths by a third over the next three years.", True),
    ("Get 1 in 3 residents walking 30 minutes a day.", True),
    ("Reach functional zero for veteran homelessness by December 2027.", True),
    ("This winter, ensure zero families with children sleep unsheltered.", True),
    ("Ensure every third grader in the district reads at grade level by 2030.", True),
    ("Reduce youth vaping by one-fifth.", True),
    ("Decrease the preparation gaps by 1/3 for school and work.", True),
    ("Reducir a la mitad el desempleo de las personas con antecedentes penales.", True),
    ("Garantizar que ninguna familia con niños duerma en la calle este invierno.", True),
    ("Lograr que 1 de cada 3 residentes camine 30 minutos al día.", True),
    # numbers that are not targets
    ("Our 3 partners will work to increase FAFSA completion among high school seniors.", False),
    ("Founded in 2008, the partnership aims to raise graduation rates by 2028.", False),
    ("Currently, 41% of third graders read proficiently.", False),
    ("Increase homeownership among Black residents, currently at 31%.", False),
    ("Reduce returns to homelessness within 12 months of housing placement.", False),
    ("Ensure 8th-grade students in Title 1 schools get tutoring by 2027.", False),
    ("Reduce COVID-19 hospitalizations among seniors by next winter.", False),
    ("Our partnership was founded in 2012 by 14 organizations.", False),
    ("In 2019, our coalition helped 1,200 families find stable housing.", False),
    ("Engage the community in a 5-year strategic planning process.", False),
    ("Increase the share of secondary schools with a start time of 8:30 a.m. or later.", False),
    ("Nuestros 3 socios trabajarán para aumentar el llenado de la FAFSA.", False),
    # every/all that do not set a countable target
    ("Every child, every chance, every day.", False),
    ("Promote equity and inclusion in all our work.", False),
    ("Ensure every child thrives by 2030.", False),
]


@pytest.mark.parametrize(("text", "expected"), MEASURABLE)
def test_measurable_rules(text, expected):
    assert passed(text, "measurable") is expected


def test_measurable_failure_names_the_numbers_that_are_not_targets():
    res = CHECKER.check("Our 3 partners will work to improve FAFSA completion.").criteria[
        "measurable"
    ]
    assert not res.passed
    assert [e.text for e in res.evidence] == ["3"]
    assert "not targets" in res.reason


# --------------------------------------------------------------------------
# time-bound

TIME_BOUND = [
    ("Reduce chronic absenteeism by the end of the 2026-27 school year.", True),
    ("Within 18 months, enroll 500 more children in pre-K.", True),
    ("By the end of next year, every library branch will offer Wi-Fi hotspots.", True),
    ("Over the next five years, close the gap in math proficiency.", True),
    ("This winter, open 200 new shelter beds.", True),
    ("Hire 40 early childhood educators by next August.", True),
    ("Serve 400 more households in fiscal year 2027.", True),
    ("Cut the backlog of untested kits to zero by the end of FY27.", True),
    ("Lower the readmission rate to 12% by mid-2027.", True),
    ("All students in grade 3 will read at grade level by the end of the school year.", True),
    ("Para diciembre de 2027, lograr el cero funcional.", True),
    ("Reducir el ausentismo antes de que termine el ciclo escolar 2026-2027.", True),
    ("Abrir 10 centros de cuidado infantil en un plazo de 18 meses.", True),
    ("aumentar la vacunacion de ninos latinos para el proximo otono", True),
    # past dates and context, vague words
    ("Building on our 2019 plan, we will reduce the number of unsheltered people.", False),
    ("Since 2015, we have worked to reduce homelessness among veterans.", False),
    ("Double the number of youth apprenticeships in the region soon.", False),
    ("Eventually, house half of the people on our by-name list.", False),
    ("Reduce returns to homelessness within 12 months of housing placement.", False),
    ("We reached functional zero for veteran homelessness in 2021.", False),
    ("Basándonos en nuestro plan de 2019, reduciremos las muertes por sobredosis.", False),
    ("Vacunar al 80 % de los adultos mayores contra la gripe pronto.", False),
]


@pytest.mark.parametrize(("text", "expected"), TIME_BOUND)
def test_time_bound_rules(text, expected):
    assert passed(text, "time_bound") is expected


def test_vague_time_word_is_named_in_the_reason():
    res = check_goal("Double the number of apprenticeships soon.").criteria["time_bound"]
    assert "'soon'" in res.reason and res.evidence[0].text == "soon"


def test_bare_year_counts_only_when_not_past():
    assert (
        GoalChecker(reference_year=2026)
        .check("Plant 500 trees in 2027.")
        .criteria["time_bound"]
        .passed
    )
    assert (
        not GoalChecker(reference_year=2028)
        .check("Plant 500 trees in 2027.")
        .criteria["time_bound"]
        .passed
    )
    # a deadline cue makes it a deadline whatever the year
    assert (
        GoalChecker(reference_year=2028)
        .check("Plant 500 trees by 2027.")
        .criteria["time_bound"]
        .passed
    )


# --------------------------------------------------------------------------
# specific

SPECIFIC = [
    ("Raise the adult flu vaccination rate.", True),
    ("Reduce lead poisoning among children.", True),
    ("Plant 10,000 street trees citywide by 2030.", True),
    ("Increase access to healthy food in Eastside by 2027.", True),
    ("Reducir los tiempos de espera en las clínicas comunitarias.", True),
    ("Improve outcomes for our community.", False),
    ("Support families so they can thrive.", False),
    ("Strengthen collaboration across sectors.", False),
    ("Make the community better for everyone.", False),
    ("Increase civic engagement next year.", False),
    ("Address the root causes of poverty.", False),
    ("Increase the involvement of families in the academic success of our youth.", False),
    ("Mejorar los resultados de nuestra comunidad.", False),
    ("Fortalecer la colaboración entre sectores.", False),
]


@pytest.mark.parametrize(("text", "expected"), SPECIFIC)
def test_specific_rules(text, expected):
    assert passed(text, "specific") is expected


# --------------------------------------------------------------------------
# equity

EQUITY = [
    ("Raise reading proficiency for Black and Latino third graders to 60%.", True),
    ("Enroll 500 more children from low-income families in pre-K.", True),
    ("Increase access to fresh produce in food deserts.", True),
    ("Open 12 centers in child care deserts.", True),
    ("Close the gap in kindergarten readiness.", True),
    ("Report kindergarten readiness by race and ethnicity.", True),
    ("Connect 300 people returning from incarceration to jobs.", True),
    ("Reducir la brecha racial en la mortalidad materna para 2030.", True),
    ("Empoderar a los residentes inmigrantes.", True),
    (
        "Lograr que 320.000 estudiantes vulnerables socioeconómicamente accedan a la universidad.",
        True,
    ),
    # generic words and plain places
    ("Advance equitable outcomes for all by 2030.", False),
    ("Make the community better for everyone.", False),
    ("Increase access to healthy food in Eastside by 2027.", False),
    ("Increase median household income in the county to $60,000 by 2030.", False),
    ("Open 200 new shelter beds before next winter.", False),
    ("Promover resultados equitativos para todos antes de 2030.", False),
]


@pytest.mark.parametrize(("text", "expected"), EQUITY)
def test_equity_rules(text, expected):
    assert passed(text, "equity") is expected


def test_generic_equity_word_is_named_in_the_reason():
    res = check_goal("Advance equitable outcomes for all by 2030.").criteria["equity"]
    assert not res.passed and "equitable" in res.reason


# --------------------------------------------------------------------------
# is_goal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Reduce chronic absenteeism by 2028.", True),
        ("90% FAFSA completion for the Class of 2028.", True),
        ("Goal 3: Partners work together more effectively.", True),
        ("Para 2030, el 75 % de los estudiantes leerá a nivel de grado.", True),
        ("Every child, every chance, every day.", False),
        ("Together we rise!", False),
        ("Education is the great equalizer.", False),
        ("Last year, 62% of our seniors enrolled in college.", False),
        ("In 2022 the county opened 200 new shelter beds.", False),
        ("We will never give up on our young people.", False),
        ("¡Sí se puede!", False),
        ("", False),
        ("   ", False),
    ],
)
def test_is_goal(text, expected):
    assert CHECKER.check(text).is_goal is expected


# --------------------------------------------------------------------------
# achievable


def test_achievable_flags_too_many_points_a_year():
    res = CHECKER.check("Raise the graduation rate from 60% to 95% by 2027.").criteria["achievable"]
    assert not res.passed
    assert "35 points" in res.reason and res.suggestion


def test_achievable_accepts_a_plausible_pace():
    res = CHECKER.check(
        "Raise the graduation rate from 80% to 90% by 2030, up from 80% in 2025."
    ).criteria["achievable"]
    assert res.passed and "Plausible" in res.reason


def test_achievable_flags_faster_than_doubling_a_year():
    res = CHECKER.check("Increase apprenticeships from 100 to 900 within 12 months.").criteria[
        "achievable"
    ]
    assert not res.passed and "doubling" in res.reason


def test_achievable_without_baseline_says_so_and_passes():
    res = CHECKER.check("Enroll 500 more children in pre-K by 2028.").criteria["achievable"]
    assert res.passed and "no baseline" in res.reason and res.suggestion


def test_achievable_flags_a_deadline_in_the_past():
    res = CHECKER.check(
        "Reach functional zero for veteran homelessness by December 2025."
    ).criteria["achievable"]
    assert not res.passed and "2025" in res.reason


def test_achievable_is_not_part_of_the_core_verdict():
    rep = CHECKER.check("Raise the graduation rate for English learners from 60% to 95% by 2027.")
    assert rep.passed and not rep.criteria["achievable"].passed
    assert rep.verdict == "needs work"


# --------------------------------------------------------------------------
# relevant and themes


def test_relevant_without_themes_is_not_judged_and_passes():
    res = check_goal("Raise the graduation rate to 90% by 2030.").criteria["relevant"]
    assert res.passed and res.reason.startswith("Not judged")
    assert res.evidence == ()


def test_relevant_reports_matching_themes_with_stems_and_terms():
    themes = [
        "Housing stability",
        {"label": "Early learning", "terms": ["pre-k", "kindergarten"]},
        {"label": "Jobs", "terms": ["employment", "wages"]},
    ]
    rep = check_goal(
        "Enroll 500 more children from homeless families in pre-K by 2028.", themes=themes
    )
    assert rep.matched_themes == ("Early learning",)
    assert rep.criteria["relevant"].passed
    rep2 = check_goal("Reduce evictions and stabilize housing for renters by 2028.", themes=themes)
    assert rep2.matched_themes == ("Housing stability",)
    assert "Housing stability" in rep2.criteria["relevant"].reason


def test_relevant_fails_and_lists_themes_when_none_match():
    rep = check_goal("Plant 10,000 street trees by 2030.", themes=["Early learning", "Jobs"])
    res = rep.criteria["relevant"]
    assert not res.passed
    assert "Early learning" in res.suggestion and "Jobs" in res.suggestion


def test_relevant_crosses_languages_through_stems():
    rep = check_goal("Aumentar la educación preescolar para 2028.", themes=["Early education"])
    assert rep.criteria["relevant"].passed


@pytest.mark.parametrize(
    "bad", ["Housing", {"label": "x"}, [3], [{"name": "x"}], [{"label": "x", "terms": "rent"}]]
)
def test_malformed_themes_raise_validation_error(bad):
    with pytest.raises(ValidationError) as exc:
        check_goal("Raise the graduation rate to 90% by 2030.", themes=bad)
    assert exc.value.field == "themes"


# --------------------------------------------------------------------------
# language, rewrite, text report, errors


def test_language_detection_and_spanish_messages():
    assert detect_language("Reducir la tasa de desempleo del condado al 4 %.") == "es"
    assert detect_language("Cut the county's unemployment rate to 4%.") == "en"
    rep = check_goal("Mejorar los resultados de nuestra comunidad.")
    assert rep.language == "es"
    assert rep.criteria["specific"].reason.startswith("No nombra")
    assert "Para [fecha]" in rep.rewrite
    forced = check_goal("Mejorar los resultados de nuestra comunidad.", language="en")
    assert forced.criteria["specific"].reason.startswith("Does not name")


def test_language_without_a_clear_signal_falls_back_to_english():
    assert text.guess_language("Thriving children, thriving families.") is None
    assert detect_language("Thriving children, thriving families.") == "en"
    assert detect_language("") == "en"
    assert check_goal("Empower residents.").language == "en"


def test_spanish_text_report_uses_the_catalogue():
    out = CHECKER.check("Mejorar los resultados de nuestra comunidad.").format_text()
    assert out.startswith("Meta: Mejorar")
    assert "Veredicto: necesita trabajo (0/4 criterios básicos; es una meta: sí)" in out
    assert (
        "[FAIL] específica" in out and "sugerencia:" in out and "Reescritura: Para [fecha]" in out
    )


def test_goal_strings_exist_in_both_languages_with_the_same_placeholders():
    en, es = goal_strings.STRINGS["en"], goal_strings.STRINGS["es"]
    assert set(en) == set(es)
    assert all(key.startswith("goals.") for key in en)
    for key in en:
        assert placeholders(en[key]) == placeholders(es[key]), key


def test_criteria_html_shows_chips_and_escapes_text():
    rep = check_goal("Together we rise!").to_dict()
    rep["criteria"]["equity"]["reason"] = "<b>x</b>"
    html = criteria_html(rep)
    assert html.startswith('<div><span class="pbp-chip pbp-chip-bad">Not a goal yet</span>')
    assert "✗ Specific" in html and "✗ Time-bound" in html and "! Relevant" not in html
    assert "✓ Relevant" in html and "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert "<b>Medible</b>" in criteria_html(rep, language="es")


def test_unsupported_language_raises():
    with pytest.raises(ValidationError) as exc:
        check_goal("Raise the graduation rate.", language="fr")
    assert exc.value.code == "unsupported_language"


def test_rewrite_fills_the_template_from_the_text():
    rep = check_goal(
        "Reduce chronic absenteeism among students experiencing homelessness "
        "from 38% to 20% by June 2028, reported by race and ethnicity."
    )
    assert rep.rewrite == (
        "By June 2028, chronic absenteeism for students experiencing homelessness moves from "
        "38% to 20%, reported by race and ethnicity."
    )


def test_rewrite_marks_missing_parts_with_brackets():
    rep = check_goal("Raise the adult flu vaccination rate to 60%.")
    assert rep.rewrite.startswith("By [date], ")
    assert "[population]" in rep.rewrite and "[baseline]" in rep.rewrite
    assert "60%" in rep.rewrite and "[groups]" in rep.rewrite


def test_format_text_shows_every_criterion_and_the_rewrite():
    rep = check_goal("Improve outcomes for our community.")
    out = str(rep)
    assert out == rep.format_text()
    for label in ("specific", "measurable", "achievable", "relevant", "time-bound", "equity"):
        assert label in out
    assert "[FAIL]" in out and "suggestion:" in out and "Rewrite:" in out
    assert "Verdict: needs work (0/4" in out


def test_verdicts():
    assert check_goal("Together we rise!").verdict == "not a goal"
    ready = check_goal(
        "By 2030, cut the infant mortality rate among Black mothers from 9 to 7 "
        "per 1,000 live births.",
        themes=["Maternal health", "Infant mortality"],
    )
    assert ready.verdict == "ready" and ready.score == 4


def test_non_text_and_too_long_raise():
    with pytest.raises(ValidationError) as exc:
        check_goal(42)  # type: ignore[arg-type]
    assert exc.value.code == "not_text"
    with pytest.raises(ValidationError) as exc:
        check_goal("x" * 2001)
    assert exc.value.code == "too_long"


def test_check_goals_checks_each_text():
    reps = check_goals(["Together we rise!", "Raise the graduation rate to 90% by 2030."])
    assert [type(r) for r in reps] == [GoalReport, GoalReport]
    assert [r.is_goal for r in reps] == [False, True]


def test_from_dict_round_trips_the_json():
    rep = check_goal(
        "Reducir el ausentismo crónico de los estudiantes sin hogar del 35 % al 20 % para 2028."
    )
    again = GoalReport.from_dict(json.loads(json.dumps(rep.to_dict())))
    assert again.to_dict() == rep.to_dict()
    assert again.language == "es" and again.format_text() == rep.format_text()
    with pytest.raises(ValidationError) as exc:
        GoalReport.from_dict({"text": "x", "criteria": {}})
    assert exc.value.code == "bad_goal_check"


def test_relative_increase_above_100_percent_is_not_out_of_range():
    res = CHECKER.check("Increase apprenticeships by 150% by 2030.").criteria["achievable"]
    assert res.passed and "outside" not in res.reason
    res = CHECKER.check("Raise the graduation rate to 150% by 2030.").criteria["achievable"]
    assert not res.passed and "outside 0-100%" in res.reason


def test_criteria_constant_matches_report():
    assert tuple(check_goal("x").criteria) == CRITERIA


# --------------------------------------------------------------------------
# the labelled set and the quality bar


def _load() -> list[dict]:
    with DATA.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def test_labelled_set_is_large_bilingual_and_well_formed():
    rows = _load()
    assert len(rows) >= 200
    assert sum(r["lang"] == "es" for r in rows) / len(rows) >= 0.3
    assert len({r["id"] for r in rows}) == len(rows)
    assert len({r["text"] for r in rows}) == len(rows)
    for r in rows:
        assert set(r) == {
            "id",
            "split",
            "lang",
            "text",
            "is_goal",
            "specific",
            "measurable",
            "time_bound",
            "equity",
        }
        assert r["split"] in ("dev", "heldout", "heldout2", "issue17")
    assert sum(r["split"] != "dev" for r in rows) >= 60


@pytest.mark.parametrize("split", ["dev", "heldout", "heldout2", "issue17"])
def test_f1_of_each_core_criterion_is_at_least_0_9(split):
    rows = [r for r in _load() if r["split"] == split]
    for crit in CORE_CRITERIA:
        tp = fp = fn = 0
        for r in rows:
            pred = CHECKER.check(r["text"]).criteria[crit].passed
            tp += pred and r[crit]
            fp += pred and not r[crit]
            fn += r[crit] and not pred
        f1 = 2 * tp / (2 * tp + fp + fn)
        assert f1 >= 0.9, (split, crit, f1)


def test_checking_1000_goals_takes_under_a_second():
    texts = [r["text"] for r in _load()]
    texts = (texts * (1000 // len(texts) + 1))[:1000]
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for t in texts:
            CHECKER.check(t)
        best = min(best, time.perf_counter() - t0)
    assert best < 1.0


def test_spanish_pace_reasons_write_numbers_the_spanish_way():
    from pbp_facilitate.goals import check_goal

    text = "Aumentar la tasa de graduación de 80 % a 87,5 % para 2030, desde 80 % en 2025."
    es = check_goal(text, language="es").criteria["achievable"].reason
    en = check_goal(text, language="en").criteria["achievable"].reason
    assert "7,5 puntos en 5 años (1,5 al año)" in es, es
    assert "7.5 points in 5 years (1.5 a year)" in en, en
