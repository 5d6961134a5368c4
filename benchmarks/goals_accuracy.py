"""Accuracy and speed of the goal checker on the labelled set.

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/goals_accuracy.py [--errors] [--data DIR]``

Prints per-criterion precision, recall and F1 (specific, measurable,
time_bound, equity, and is_goal) on the development split, on the held-out
split (written before the rules were tuned, never tuned on) and on both;
then the median time to check 1,000 goals, next to a baseline measured in
the same run (a single regex search per goal, the floor for any rule-based
checker).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from pathlib import Path

from pbp_facilitate.goals import GoalChecker

DATA_DIR = Path(__file__).resolve().parent.parent / "tests" / "data"
DATA = DATA_DIR / "goals_labelled.jsonl"
LABELS = ("specific", "measurable", "time_bound", "equity", "is_goal")
REFERENCE_YEAR = 2026  # the year the labelled set was written


def load(path: Path = DATA) -> list[dict]:
    """Read the labelled goals (one JSON object per line)."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def prf(pairs: list[tuple[bool, bool]]) -> tuple[float, float, float, int]:
    """Precision, recall, F1 and support from (gold, predicted) pairs."""
    tp = sum(g and p for g, p in pairs)
    fp = sum(p and not g for g, p in pairs)
    fn = sum(g and not p for g, p in pairs)
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1, tp + fn


def evaluate(rows: list[dict], checker: GoalChecker) -> dict[str, list[tuple[bool, bool]]]:
    out: dict[str, list[tuple[bool, bool]]] = {k: [] for k in LABELS}
    for row in rows:
        rep = checker.check(row["text"])
        for k in LABELS:
            pred = rep.is_goal if k == "is_goal" else rep.criteria[k].passed
            out[k].append((bool(row[k]), pred))
    return out


def table(title: str, rows: list[dict], checker: GoalChecker) -> None:
    res = evaluate(rows, checker)
    n_es = sum(r["lang"] == "es" for r in rows)
    print(f"\n{title}: {len(rows)} goals ({n_es} Spanish)")
    print(f"  {'criterion':<11} {'P':>6} {'R':>6} {'F1':>6} {'pos':>5}")
    for k in LABELS:
        p, r, f1, pos = prf(res[k])
        print(f"  {k:<11} {p:6.3f} {r:6.3f} {f1:6.3f} {pos:5d}")


def errors(rows: list[dict], checker: GoalChecker) -> None:
    for row in rows:
        rep = checker.check(row["text"])
        bad = [
            f"{k}={'FN' if row[k] else 'FP'}"
            for k in LABELS
            if (rep.is_goal if k == "is_goal" else rep.criteria[k].passed) != row[k]
        ]
        if bad:
            print(f"{row['id']}: {' '.join(bad)} | {row['text']}")


def speed(rows: list[dict], checker: GoalChecker, repeats: int = 7) -> None:
    texts = [rows[i % len(rows)]["text"] for i in range(1000)]
    base_rx = re.compile(r"\d+%|\bby 20\d\d\b")

    def run_checker() -> None:
        for t in texts:
            checker.check(t)

    def run_baseline() -> None:
        for t in texts:
            base_rx.search(t)

    for name, fn in (
        ("check_goal x 1,000", run_checker),
        ("baseline: one regex x 1,000", run_baseline),
    ):
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        print(
            f"  {name:<30} median {statistics.median(times) * 1000:8.1f} ms "
            f"(min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f}, {repeats} runs)"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", action="store_true", help="list every disagreement")
    ap.add_argument(
        "--split",
        choices=["dev", "heldout", "heldout2", "issue17", "all"],
        default="all",
        help="which split --errors lists",
    )
    ap.add_argument(
        "--data",
        type=Path,
        default=DATA_DIR,
        metavar="DIR",
        help="folder holding goals_labelled.jsonl (default: tests/data)",
    )
    args = ap.parse_args()
    rows = load(args.data / DATA.name)
    checker = GoalChecker(reference_year=REFERENCE_YEAR)
    titles = {
        "dev": "Development split (rules written against it)",
        "heldout": "Held-out batch 1 (labelled before the checker existed)",
        "heldout2": "Held-out batch 2 (harder; labelled with the rules frozen)",
        "issue17": "Issue 17 cases (new-user goals: absenteeism gap, Spanish counted objects)",
    }
    for split, title in titles.items():
        table(title, [r for r in rows if r["split"] == split], checker)
    table("All", rows, checker)
    print("\nSpeed (1,000 goals, cycled from the labelled set):")
    speed(rows, checker)
    if args.errors:
        print("\nDisagreements:")
        errors(
            rows if args.split == "all" else [r for r in rows if r["split"] == args.split], checker
        )


if __name__ == "__main__":
    main()
