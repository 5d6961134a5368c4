"""Summaries in two languages against one, and against two separate runs, in one run.

Seeds N sessions (default 4) of about 300 ideas each (as ``benchmarks/summaries.py`` does), then
times ``pbp summarize`` (a subprocess each, so start-up and imports count):

1. **one language**: ``--lang en`` (baseline: the cost of a summary);
2. **two, one run (ours)**: ``--lang all`` (English and Spanish pages from one notebook run);
3. **two, two runs (naive)**: ``--lang en`` then ``--lang es`` into other folders.

Prints each configuration's total and the median seconds per session from the batch report.
Goal (issue 15): the second language costs little: reuse the executed data, not a second full
run. Exit status 1 when the second language adds more than half of what a second run adds
(wall time of the batch, start-up included).

Usage::

    python benchmarks/summaries_languages.py [--sessions 4] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))


def pbp(args: list[str], env: dict[str, str]) -> tuple[float, dict]:
    """Run ``pbp ARGS --json``; return wall seconds and the JSON report."""
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "pbp_facilitate", *args, "--json", "--no-progress"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    took = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(
            f"pbp {' '.join(args)} failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}"
        )
    return took, json.loads(proc.stdout)


def per_session(report: dict) -> float:
    return statistics.median(r["seconds"] for r in report["results"] if r["status"] == "written")


def main(argv: list[str] | None = None) -> int:
    from summaries import seed  # benchmarks/summaries.py: the shared 300-idea sessions

    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--sessions", type=int, default=4)
    ap.add_argument("--keep", type=Path, default=None, help="Keep the work folder here.")
    args = ap.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="pbp-bench-langs-"))
    work.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{work / 'bench.sqlite3'}"
    env = {
        **os.environ,
        "PBP_DATABASE_URL": url,
        "PBP_SURVEYS_DIR": str(ROOT / "surveys"),
        "PBP_WORKBOOKS_DIR": str(ROOT / "workbooks"),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    t0 = time.perf_counter()
    ids = seed(url, args.sessions)
    print(
        f"seeded {len(ids)} sessions of ~300 ideas in {time.perf_counter() - t0:.1f} s", flush=True
    )
    codes = [f"BEN{i:03d}" for i in range(len(ids))]
    for d in ("one", "two", "naive-en", "naive-es"):
        shutil.rmtree(work / d, ignore_errors=True)
    # warm the file cache and the theme vectors (stored after the first fit) for every config
    pbp(["summarize", *codes, "--lang", "en", "--out", str(work / "warm")], env)
    one, r1 = pbp(["summarize", *codes, "--lang", "en", "--out", str(work / "one")], env)
    two, r2 = pbp(["summarize", *codes, "--lang", "all", "--out", str(work / "two")], env)
    en, r3 = pbp(["summarize", *codes, "--lang", "en", "--out", str(work / "naive-en")], env)
    es, r4 = pbp(["summarize", *codes, "--lang", "es", "--out", str(work / "naive-es")], env)
    naive = en + es
    rows = [
        ("one language (--lang en), baseline", one, per_session(r1)),
        ("two languages, one run (ours, --lang all)", two, per_session(r2)),
        ("two languages, two runs (naive)", naive, per_session(r3) + per_session(r4)),
    ]
    for name, total, med in rows:
        print(f"{name:<45} {total:7.1f} s total, median {med:5.2f} s per session", flush=True)
    extra = (per_session(r2) - per_session(r1)) / per_session(r1)
    print(
        f"second language costs {100 * extra:+.0f}% per session in one run "
        f"(two runs: {100 * (rows[2][2] - rows[0][2]) / rows[0][2]:+.0f}%)"
    )
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"wall: second language adds {two - one:.1f} s in one run, {naive - one:.1f} s as a "
        f"second run ({100 * (two - one) / one:+.0f}% vs {100 * (naive - one) / one:+.0f}%)"
    )
    return 0 if (two - one) <= 0.5 * (naive - one) else 1


if __name__ == "__main__":
    raise SystemExit(main())
