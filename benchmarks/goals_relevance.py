"""Precision and recall of the goal checker's *relevant* check on labelled goal/theme pairs.

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/goals_relevance.py [--errors]``

Every (goal, theme) pair of ``tests/data/goals_relevance.json`` is a positive when the
labels say the goal addresses the theme. The baseline, in the same run, is the rule before
issue 17: any content word of the goal sharing a stem with any word of the theme's label or
terms (places, populations and dates included).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from pbp_facilitate.goals import GoalChecker
from pbp_facilitate.goals import lexicon as lx
from pbp_facilitate.goals import patterns as rx
from pbp_facilitate.goals._themes import stem
from pbp_facilitate.text import fold

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "goals_relevance.json"


def _stems(text: str) -> set[str]:
    return {
        stem(w)
        for w in rx.WORD_RX.findall(fold(text))
        if len(w) >= 3 and w not in lx.STOPWORDS and w not in lx.LOW_INFO_THEME_WORDS
    }


def baseline(text: str, themes: list[dict]) -> set[str]:
    """The rule before issue 17: one shared stem with the label or any term."""
    goal = _stems(text)
    return {t["label"] for t in themes if goal & _stems(" ".join([t["label"], *t["terms"]]))}


def ours(checker: GoalChecker, text: str, themes: list[dict]) -> set[str]:
    return set(checker.check(text, themes=themes).matched_themes)


def score(pairs: list[tuple[bool, bool]]) -> tuple[float, float, int, int]:
    tp = sum(g and p for g, p in pairs)
    fp = sum(p and not g for g, p in pairs)
    fn = sum(g and not p for g, p in pairs)
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    return prec, rec, tp + fn, len(pairs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", action="store_true", help="list every disagreement")
    ap.add_argument("--data", type=Path, default=DATA, help="the labelled pairs (JSON)")
    args = ap.parse_args()
    data = json.loads(args.data.read_text(encoding="utf-8"))
    checker = GoalChecker(reference_year=2026)
    results: dict[str, list[tuple[bool, bool]]] = {"baseline": [], "ours": []}
    per_goal = []
    for g in data["goals"]:
        themes = data["theme_sets"][g["set"]]
        gold = set(g["relevant"])
        got = {"baseline": baseline(g["text"], themes), "ours": ours(checker, g["text"], themes)}
        for name, pred in got.items():
            results[name].extend((t["label"] in gold, t["label"] in pred) for t in themes)
        per_goal.append((g, gold, got))
    n_goals = len(data["goals"])
    print(f"Relevant: {n_goals} goals, {len(results['ours'])} goal/theme pairs")
    print(f"  {'rule':<34} {'P':>6} {'R':>6} {'pos':>5}")
    for name, title in (
        ("baseline", "baseline: any shared stem"),
        ("ours", "topic words, label or 2 terms"),
    ):
        p, r, pos, _ = score(results[name])
        print(f"  {title:<34} {p:6.3f} {r:6.3f} {pos:5d}")
    if args.errors:
        for g, gold, got in per_goal:
            if got["ours"] != gold:
                print(f"- {g['text'][:80]}\n    gold {sorted(gold)} ours {sorted(got['ours'])}")


if __name__ == "__main__":
    main()
