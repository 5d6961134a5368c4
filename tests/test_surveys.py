"""Survey definitions: the shipped surveys load; broken ones fail with file, line and what is
wrong.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pbp_facilitate.errors import SurveyError
from pbp_facilitate.surveys import Survey, load_survey, parse_survey

SURVEYS = Path(__file__).resolve().parents[1] / "surveys"

GOOD = """\
key: mini
title: {en: Mini, es: Mini}
languages: [en, es]
prompts:
  - key: vision
    kind: vision
    text: {en: "What do you see", es: "Qué ve"}
"""


@pytest.mark.parametrize("name", ["visioning.yaml", "town-hall.yaml"])
def test_shipped_surveys_load(name: str) -> None:
    s = load_survey(SURVEYS / name)
    assert s.languages == ("en", "es")
    assert all(p.text["en"] and p.text["es"] for p in s.prompts)
    race = s.question("race_ethnicity")
    assert race is not None and "Hispanic or Latino" in [o.value for o in race.options]
    assert Survey.from_json(s.to_json()) == s


@pytest.mark.parametrize(
    ("mutation", "match"),
    [
        (lambda y: y.replace("kind: vision", "kind: dreams"), r"line 5: .*kind 'dreams'"),
        (
            lambda y: y.replace(', es: "Qué ve"', ""),
            r"line \d+: .*no text for language\(s\) \['es'\]",
        ),
        (lambda y: y.replace("key: vision", "key: Vision!"), "lowercase identifier"),
        (lambda y: y.replace("prompts:", "prompts: []\nx:"), "non-empty list"),
        (lambda y: y + "colour: blue\n", "Unknown top-level field"),
        (lambda y: y.replace("title: {en: Mini", "title: {en: [Mini"), "not valid YAML"),
        (lambda y: y + "  - key: vision\n    text: {en: a, es: b}\n", "appears twice"),
        (
            lambda y: (
                y + "demographics:\n  - key: age\n    label: {en: Age, es: Edad}\n    options: "
                "[Only]\n"
            ),
            "at least two",
        ),
    ],
)
def test_invalid_surveys_name_line_and_problem(mutation, match: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SurveyError, match=match) as info:
        parse_survey(mutation(GOOD), "mini.yaml")
    assert str(info.value).startswith("mini.yaml")


def test_missing_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(SurveyError, match="not found"):
        load_survey(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(GOOD.encode("utf-16"))
    with pytest.raises(SurveyError, match="UTF-8"):
        load_survey(bad)
