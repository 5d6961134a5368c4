"""A series roll-up over 10 sessions x 300 ideas, and a rerun with nothing changed, in one run.

Seeds N sessions (default 10) of about 300 ideas each (as ``benchmarks/summaries.py`` does) and a
series joining them, then times (a subprocess each, so start-up and imports count):

1. **baseline**: ``pbp summarize`` of the N sessions (what a partnership renders anyway);
2. **ours**: ``pbp summarize --series bench`` (one roll-up: every session read, one theme fit
   over all N x 300 ideas, every section in English and Spanish);
3. **no-change rerun**: ``pbp summarize --series bench`` and ``pbp summarize SESSIONS`` again
   (median of 3), against the first render as its baseline;
4. **publish**: ``pbp publish --series bench`` first (summaries up to date) and again.

Goal (issue 15): a no-change rerun under 2 s. Exit status 1 when it is missed.

Usage::

    python benchmarks/summaries_series.py [--sessions 10] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))


def main(argv: list[str] | None = None) -> int:
    from summaries import seed  # benchmarks/summaries.py: the shared 300-idea sessions
    from summaries_languages import pbp

    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--keep", type=Path, default=None, help="Keep the work folder here.")
    args = ap.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="pbp-bench-series-"))
    work.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{work / 'bench.sqlite3'}"
    out = work / "outputs"
    env = {
        **os.environ,
        "PBP_DATABASE_URL": url,
        "PBP_SURVEYS_DIR": str(ROOT / "surveys"),
        "PBP_WORKBOOKS_DIR": str(ROOT / "workbooks"),
        "PBP_OUTPUTS_DIR": str(out),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    t0 = time.perf_counter()
    ids = seed(url, args.sessions)
    from pbp_facilitate.store import Store

    with Store(url) as store:
        store.create_series("bench", ids, title="Benchmark series")
        ideas = sum(store.count_submissions(i) for i in ids)
    print(
        f"seeded {len(ids)} sessions, {ideas} ideas, and a series in "
        f"{time.perf_counter() - t0:.1f} s",
        flush=True,
    )
    codes = [f"BEN{i:03d}" for i in range(len(ids))]
    shutil.rmtree(out, ignore_errors=True)
    t_sessions, _ = pbp(["summarize", *codes], env)
    print(f"baseline: {len(ids)} session summaries (en+es): {t_sessions:.1f} s", flush=True)
    t_series, rep = pbp(["summarize", "--series", "bench"], env)
    print(
        f"ours: series roll-up over {len(ids)} x ~300 ideas (en+es): {t_series:.1f} s "
        f"({rep['results'][0]['seconds']:.1f} s in the kernel); "
        f"{t_series / t_sessions:.2f}x the session summaries",
        flush=True,
    )
    reruns = [pbp(["summarize", "--series", "bench"], env)[0] for _ in range(3)]
    session_reruns = [pbp(["summarize", *codes], env)[0] for _ in range(3)]
    rr, sr = statistics.median(reruns), statistics.median(session_reruns)
    print(f"no-change rerun, series: median {rr:.2f} s (baseline first render {t_series:.1f} s)")
    print(f"no-change rerun, {len(ids)} sessions: median {sr:.2f} s (first {t_sessions:.1f} s)")
    site = work / "site"
    t_pub, _ = pbp(["publish", "--out", str(site), "--series", "bench"], env)
    pubs = [pbp(["publish", "--out", str(site), "--series", "bench"], env)[0] for _ in range(3)]
    pr = statistics.median(pubs)
    print(f"publish (summaries up to date): first {t_pub:.2f} s, again median {pr:.2f} s")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if max(rr, sr) < 2.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
