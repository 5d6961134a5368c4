"""Session summaries: plain papermill + nbconvert CLI against ``pbp summarize``, in one run.

Seeds a SQLite database with N sessions (default 50) of about 300
submissions each (the demo session, re-seeded with other participants, plus
more ideas and a closed voting round), then times on this machine:

1. **plain**: for each session, sequentially, ``papermill`` (CLI) on
   ``workbooks/summary.ipynb`` and ``jupyter nbconvert --to html --no-input``
   (a new kernel and fresh imports for every notebook);
2. **ours**: ``pbp summarize --all --force`` with ``--jobs 1`` and with
   ``--jobs 2`` (reused kernel per worker, in-process HTML export);
3. **rerun**: ``pbp summarize --all`` again with nothing changed (every
   session skipped).

Every step is a subprocess, so interpreter start and imports count. Goals
(issue 7): ours at least 3x faster than plain; a rerun under 2 s. Exit
status 1 when a goal is missed.

Usage::

    .venv/bin/python benchmarks/summaries.py [--sessions 50] [--plain-sessions 50] [--keep DIR]

``--plain-sessions K`` times the plain pipeline on the first K sessions only
and extrapolates to all (for a quick look; the reported figures use all 50).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
TEMPLATE = ROOT / "workbooks" / "summary.ipynb"
SURVEY = ROOT / "surveys" / "visioning.yaml"


def seed(url: str, n: int, per_session: int = 300) -> list[int]:
    """Create ``n`` sessions of about ``per_session`` visible submissions; return their ids."""
    from pbp_facilitate.demo import demo_ideas, seed_demo
    from pbp_facilitate.store import NewSubmission, Store

    ideas = demo_ideas()
    ids = []
    with Store(url) as store:
        for i in range(n):
            rng = random.Random(1000 + i)
            s = seed_demo(store, SURVEY, code=f"BEN{i:03d}", seed=1000 + i)
            prompts = {p.key: p.id for p in store.list_prompts(s.id)}
            have = store.count_submissions(s.id)
            extra = []
            for j in range(max(0, per_session - have)):
                key, lang, text = rng.choice(ideas)
                extra.append(
                    NewSubmission(
                        text=text,
                        prompt_id=prompts[key],
                        language=lang,
                        source="form",
                        participant_key=f"bench-{lang}-{rng.randrange(60):02d}",
                        idempotency_key=f"bench:{s.code}:{j}",
                    )
                )
            store.add_submissions(s.id, extra, actor="benchmark")
            opts = [
                {"id": k, "label": label}
                for k, label in enumerate(
                    ["Safe streets", "Affordable housing", "Youth programs", "Transit", "Parks"], 1
                )
            ]
            vr = store.start_voting_round(s.id, opts, dots=3)
            for v in range(25):
                a, b = rng.sample(range(1, 6), 2)
                store.cast_ballot(vr.id, f"voter-{v}", {a: 2, b: 1})
            store.close_voting_round(vr.id)
            ids.append(s.id)
    return ids


def run(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    took = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(
            f"command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-3000:]}"
        )
    return took


def plain(url: str, ids: list[int], out: Path, env: dict[str, str]) -> float:
    """Sequential papermill CLI + nbconvert CLI per session; return total seconds."""
    total = 0.0
    for sid in ids:
        folder = out / str(sid)
        folder.mkdir(parents=True, exist_ok=True)
        nb = folder / "summary.ipynb"
        total += run(
            [
                str(VENV_BIN / "papermill"),
                str(TEMPLATE),
                str(nb),
                "-p",
                "session_id",
                str(sid),
                "-p",
                "database_url",
                url,
                "-p",
                "output_dir",
                str(folder),
                "--no-progress-bar",
            ],
            env,
        )
        total += run(
            [str(VENV_BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(nb)], env
        )
    return total


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=50)
    ap.add_argument(
        "--plain-sessions",
        type=int,
        default=None,
        help="time the plain pipeline on this many sessions and extrapolate (default: all)",
    )
    ap.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it")
    args = ap.parse_args(argv)

    work = args.keep or Path(tempfile.mkdtemp(prefix="pbp-bench-summaries-"))
    work.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{work / 'bench.sqlite3'}"
    env = {
        **os.environ,
        "PBP_DATABASE_URL": url,
        "PBP_SURVEYS_DIR": str(ROOT / "surveys"),
        "PBP_WORKBOOKS_DIR": str(ROOT / "workbooks"),
    }
    t0 = time.perf_counter()
    ids = seed(url, args.sessions)
    print(
        f"seeded {len(ids)} sessions of ~300 submissions in {time.perf_counter() - t0:.1f} s "
        f"({work})",
        flush=True,
    )

    k = args.plain_sessions or len(ids)
    shutil.rmtree(work / "plain", ignore_errors=True)
    t_plain_k = plain(url, ids[:k], work / "plain", env)
    t_plain = t_plain_k * len(ids) / k
    print(
        f"plain papermill + nbconvert CLI, sequential: {t_plain_k:.1f} s for {k} sessions "
        f"({t_plain_k / k:.2f} s "
        f"each){'' if k == len(ids) else f'; {t_plain:.1f} s for {len(ids)} (extrapolated)'}",
        flush=True,
    )

    pbp = [str(VENV_BIN / "pbp"), "summarize", "--all", "--no-progress"]
    results = {"sessions": len(ids), "plain_s": round(t_plain, 1), "plain_measured_sessions": k}
    for jobs in (1, 2):
        out = work / f"ours-j{jobs}"
        shutil.rmtree(out, ignore_errors=True)
        t = run([*pbp, "--out", str(out), "--jobs", str(jobs), "--force"], env)
        results[f"ours_jobs{jobs}_s"] = round(t, 1)
        print(
            f"pbp summarize --all --jobs {jobs}: {t:.1f} s ({t / len(ids):.2f} s each), "
            f"{t_plain / t:.1f}x faster than plain",
            flush=True,
        )
    rerun = run([*pbp, "--out", str(work / "ours-j2")], env)
    results["rerun_s"] = round(rerun, 2)
    print(f"rerun with nothing changed: {rerun:.2f} s", flush=True)
    best = min(results["ours_jobs1_s"], results["ours_jobs2_s"])
    results["speedup_jobs1"] = round(t_plain / results["ours_jobs1_s"], 1)
    results["speedup_jobs2"] = round(t_plain / results["ours_jobs2_s"], 1)
    ok = t_plain / best >= 3 and rerun < 2
    results["goals_met"] = ok
    print(json.dumps(results))
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
