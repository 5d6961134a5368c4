"""Import and export throughput on this machine, with pandas baselines from the same run.

Builds a Google Forms export of N respondent rows (default 50,000): Timestamp,
Email Address, the four visioning prompts (two always answered, two half the
time, so about three ideas a row), a neighbourhood column and an "anything
else" column; answers are texts from the shared datasets (``--data``; read only, not
copied into the project). Then, on a fresh SQLite file:

* ``pandas.read_csv`` of the file (baseline: parsing only, nothing checked or stored);
* ``import_file(dry_run=True)``: decode, detect, map, check every idea, no writes;
* ``import_file``: everything, one transaction;
* the same import again (all ideas already present: the idempotent path);
* ``export_session`` to CSV and to JSON, and ``DataFrame.to_csv`` of the same rows (baseline).

Each step runs once (a run of the full size takes tens of seconds). Rows/s
counts respondent rows for imports and submissions for exports.

Usage::

    .venv/bin/python benchmarks/import_export.py [--rows 50000] [--db URL] [--json] [--data DIR]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _data import DEFAULT_DATA, add_data_argument, data_folder  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PROMPTS = [
    "Imagine our community ten years from now, at its best. What do you see?",
    "What gets in the way of that future today?",
    "What strengths, places or people can we build on?",
    "If we could change one thing first, what should it be?",
]


def _pool(data: Path) -> list[str]:
    texts: list[str] = []
    for name in ("banking77", "searchsnippets"):
        path = data / f"{name}.jsonl"
        if path.exists():
            with open(path, encoding="utf-8") as fh:
                texts += [json.loads(line)["text"][:400] for line in fh]
    if not texts:
        raise SystemExit(f"No banking77.jsonl or searchsnippets.jsonl in {data}; pass --data DIR.")
    return texts


def make_export(path: Path, rows: int, data: Path, seed: int = 0) -> None:
    """Write a Google-Forms-style CSV with ``rows`` respondents."""
    rnd = random.Random(seed)
    pool = _pool(data)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        w.writerow(
            [
                "Timestamp",
                "Email Address",
                *PROMPTS,
                "Which neighbourhood do you live in?",
                "Anything else you'd like to share?",
            ]
        )
        for i in range(rows):
            minute, sec = divmod(i, 60)
            ts = f"2024/03/14 {6 + minute // 60 % 6}:{minute % 60:02d}:{sec:02d} PM GMT-4"
            answers = [
                rnd.choice(pool),
                rnd.choice(pool),
                rnd.choice(pool) if rnd.random() < 0.5 else "",
                rnd.choice(pool) if rnd.random() < 0.5 else "",
            ]
            w.writerow(
                [
                    ts,
                    f"person{i}@example.org",
                    *answers,
                    rnd.choice(["Eastside", "Westside", ""]),
                    "" if rnd.random() < 0.9 else rnd.choice(pool),
                ]
            )


def _timed(fn):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def run(rows: int, db: str | None = None, data: Path = DEFAULT_DATA) -> dict[str, dict[str, float]]:
    """Run every step; return ``{step: {"seconds", "rows_per_s", ...}}``."""
    import pandas as pd

    from pbp_facilitate.exports import export_rows, export_session
    from pbp_facilitate.importers import import_file
    from pbp_facilitate.settings import Settings
    from pbp_facilitate.store import Store
    from pbp_facilitate.surveys import load_survey

    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "responses.csv"
        make_export(src, rows, data)
        size_mb = src.stat().st_size / 1e6
        store = Store(db or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        session = store.create_session(
            load_survey(ROOT / "surveys" / "visioning.yaml"), "Benchmark"
        )
        settings = Settings()

        df, s = _timed(lambda: pd.read_csv(src, dtype=str, keep_default_na=False))
        results["baseline pandas.read_csv"] = {"seconds": s, "rows_per_s": len(df) / s}
        rep, s = _timed(lambda: import_file(store, session, src, settings=settings, dry_run=True))
        results["import dry run (parse+check)"] = {
            "seconds": s,
            "rows_per_s": rows / s,
            "ideas": rep.added,
        }
        rep, s = _timed(lambda: import_file(store, session, src, settings=settings))
        results["import into the store"] = {
            "seconds": s,
            "rows_per_s": rows / s,
            "ideas": rep.added,
            "ideas_per_s": rep.added / s,
        }
        rep2, s = _timed(lambda: import_file(store, session, src, settings=settings))
        assert rep2.added == 0 and rep2.already_present == rep.added
        results["re-import (all already present)"] = {"seconds": s, "rows_per_s": rows / s}

        n = store.count_submissions(session.id)
        buf = io.StringIO(newline="")
        _, s = _timed(lambda: export_session(store, session, "csv", buf))
        results["export CSV"] = {
            "seconds": s,
            "rows_per_s": n / s,
            "mb": len(buf.getvalue().encode()) / 1e6,
        }
        jbuf = io.StringIO()
        _, s = _timed(lambda: export_session(store, session, "json", jbuf))
        results["export JSON"] = {"seconds": s, "rows_per_s": n / s}
        frame = pd.DataFrame(export_rows(store, session))
        _, s = _timed(lambda: frame.to_csv(io.StringIO(), index=False))
        results["baseline DataFrame.to_csv (rows in memory)"] = {"seconds": s, "rows_per_s": n / s}
        store.close()
    results["_input"] = {"rows": rows, "mb": size_mb}
    return results


def main() -> None:
    """Parse arguments, run, print a table (or JSON)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument(
        "--db",
        default=None,
        help="Store URL (default: a fresh SQLite file); use an empty database.",
    )
    ap.add_argument("--json", action="store_true")
    add_data_argument(ap)
    args = ap.parse_args()
    res = run(args.rows, args.db, data_folder(args.data))
    if args.json:
        print(json.dumps(res, indent=2))
        return
    inp = res.pop("_input")
    print(f"Google Forms CSV: {int(inp['rows']):,} rows, {inp['mb']:.1f} MB")
    for step, r in res.items():
        extra = "".join(
            f"  {k}={v:,.0f}" for k, v in r.items() if k not in ("seconds", "rows_per_s")
        )
        print(f"{step:<44} {r['seconds']:8.2f} s  {r['rows_per_s']:>10,.0f} rows/s{extra}")


if __name__ == "__main__":
    main()
