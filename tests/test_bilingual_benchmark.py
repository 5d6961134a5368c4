"""The labelled English/Spanish benchmark file (benchmarks/data/bilingual_civic.jsonl)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from pbp_facilitate.text import guess_language

DATA = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "bilingual_civic.jsonl"
N_TOPICS, PAIRS_PER_TOPIC = 10, 12


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    lines = DATA.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 * N_TOPICS * PAIRS_PER_TOPIC
    out = []
    for n, line in enumerate(lines, 1):
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError as exc:  # pragma: no cover - message only
            pytest.fail(f"line {n} is not JSON: {exc}")
    return out


def test_fields(rows):
    for r in rows:
        assert set(r) == {"text", "lang", "topic", "pair"}, r
        assert isinstance(r["text"], str) and r["text"].strip(), r
        assert r["lang"] in {"en", "es"}, r
        assert isinstance(r["topic"], str) and r["topic"], r
        assert isinstance(r["pair"], int) and not isinstance(r["pair"], bool), r


def test_every_pair_is_one_english_and_one_spanish_text_of_one_topic(rows):
    by_pair = defaultdict(list)
    for r in rows:
        by_pair[r["pair"]].append(r)
    assert sorted(by_pair) == list(range(N_TOPICS * PAIRS_PER_TOPIC))
    for pair, members in by_pair.items():
        assert sorted(r["lang"] for r in members) == ["en", "es"], pair
        assert len({r["topic"] for r in members}) == 1, pair


def test_ten_topics_of_twelve_pairs(rows):
    pairs = Counter(r["topic"] for r in rows if r["lang"] == "en")
    assert len(pairs) == N_TOPICS
    assert set(pairs.values()) == {PAIRS_PER_TOPIC}, pairs


def test_no_duplicate_texts(rows):
    dup = [t for t, c in Counter(r["text"].strip().lower() for r in rows).items() if c > 1]
    assert not dup


def test_each_text_has_2_to_40_words(rows):
    bad = [r["text"] for r in rows if not 2 <= len(r["text"].split()) <= 40]
    assert not bad


def test_language_guess_agrees_with_the_lang_column(rows):
    wrong = []
    for r in rows:
        guess = guess_language(r["text"], ("en", "es"))
        if guess is not None and guess != r["lang"]:
            wrong.append((r["lang"], guess, r["text"]))
    for lang, guess, text in wrong:
        print(f"lang {lang}, guessed {guess}: {text}")
    assert len(wrong) <= 0.10 * len(rows), wrong
