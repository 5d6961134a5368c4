"""Peak memory and time of a large CSV (and JSON) export: the baseline's exports.py against ours.

Seeds one session with N ideas (default 200,000; texts from the demo's ideas, each made unique)
in a fresh SQLite file (or ``--db URL``, e.g. PostgreSQL), then exports it to a file ``--repeats``
times with each implementation, alternating, each run in a fresh child process so its peak RSS
(``ru_maxrss``) is its own:

* **baseline**: ``src/pbp_facilitate/exports.py`` as it is at ``--baseline-ref`` (default
  ``main``; read with ``git show``, loaded beside the package so it uses today's store);
* **ours**: the package's :mod:`pbp_facilitate.exports` (rows streamed from
  ``Store.iter_submissions``).

Prints, per implementation, the medians of: peak RSS of the child, RSS just before the export
(imports, open store), their difference (what the export itself added), and seconds.

Usage::

    .venv/bin/python benchmarks/export_memory.py [--n 200000] [--format csv|json]
        [--repeats 3] [--db URL] [--baseline-ref main] [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def seed(url: str, n: int) -> str:
    """Create a session with ``n`` ideas in ``url``; return its code."""
    from pbp_facilitate.demo import demo_ideas
    from pbp_facilitate.store import NewSubmission, Store
    from pbp_facilitate.surveys import load_survey

    base = [text for _key, _lang, text in demo_ideas()]
    rng = random.Random(18)
    with Store(url) as store:
        rec = store.create_session(
            load_survey(ROOT / "surveys" / "visioning.yaml"), "Export memory", code="BIG200"
        )
        prompts = store.list_prompts(rec.id)
        batch = 5000
        for start in range(0, n, batch):
            store.add_submissions(
                rec.id,
                [
                    NewSubmission(
                        text=f"{rng.choice(base)} (#{i})",
                        prompt_id=prompts[i % len(prompts)].id,
                        source="form",
                        participant_key=f"p{i // 3}",
                    )
                    for i in range(start, min(n, start + batch))
                ],
            )
        return rec.code


def _load_baseline(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location("pbp_facilitate._exports_baseline", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def child(which: str, url: str, code: str, fmt: str, baseline: str, out: str) -> None:
    """Run one export in this (fresh) process and print its figures as JSON."""
    import psutil

    from pbp_facilitate.store import Store

    if which == "baseline":
        exports = _load_baseline(Path(baseline))
    else:
        from pbp_facilitate import exports
    with Store(url, upgrade_schema=False) as store:
        rec = store.get_session(code)
        store.list_prompts(rec.id)
        before = psutil.Process().memory_info().rss
        t0 = time.perf_counter()
        with open(out, "w", encoding="utf-8", newline="") as fh:
            n = exports.export_session(store, rec, fmt, fh)
        seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    mib = 1024 * 1024
    print(
        json.dumps(
            {
                "rows": n,
                "seconds": seconds,
                "peak_rss_mib": peak / mib,
                "rss_before_mib": before / mib,
                "added_mib": (peak - before) / mib,
                "bytes": Path(out).stat().st_size,
            }
        )
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200_000, help="Ideas in the session.")
    ap.add_argument("--format", choices=["csv", "json"], default="csv")
    ap.add_argument("--repeats", type=int, default=3, help="Runs per implementation (medians).")
    ap.add_argument(
        "--db",
        default=None,
        help="Database URL (default: a fresh SQLite file). A PostgreSQL URL names a server: a "
        "scratch database is created on it and dropped afterwards.",
    )
    ap.add_argument("--baseline-ref", default="main", help="Git ref of the baseline exports.py.")
    ap.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    ap.add_argument("--child", nargs=6, metavar="ARG", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory(prefix="pbp-export-memory-") as tmp:
        folder = Path(tmp)
        baseline = folder / "exports_baseline.py"
        source = subprocess.run(
            ["git", "show", f"{args.baseline_ref}:src/pbp_facilitate/exports.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if source.returncode != 0:
            raise SystemExit(
                f"Cannot read exports.py at {args.baseline_ref!r} ({source.stderr.strip()}); "
                "pass --baseline-ref REF of a commit that has it."
            )
        baseline.write_text(source.stdout, encoding="utf-8")
        with _database(args.db, folder) as url:
            summary = _measure(args, url, baseline, folder)
    if args.json:
        print(json.dumps({"n": args.n, "format": args.format, **summary}, indent=2))
        return
    print(
        f"{args.format.upper()} export of {args.n:,} ideas, medians of {args.repeats} runs "
        f"(baseline = exports.py at {args.baseline_ref}):"
    )
    print(f"  {'':9} {'peak RSS':>10} {'before':>10} {'added':>10} {'seconds':>9} {'bytes':>12}")
    for which, s in summary.items():
        print(
            f"  {which:9} {s['peak_rss_mib']:8.1f} Mi {s['rss_before_mib']:8.1f} Mi "
            f"{s['added_mib']:8.1f} Mi {s['seconds']:9.2f} {int(s['bytes']):12,}"
        )


@contextlib.contextmanager
def _database(db: str | None, folder: Path) -> Iterator[str]:
    """A fresh database: a SQLite file in ``folder``, or a scratch database on a PostgreSQL
    server (dropped afterwards).
    """
    if not db:
        yield f"sqlite:///{folder / 'export.sqlite3'}"
        return
    import secrets

    import sqlalchemy as sa

    server = sa.engine.make_url(db)
    if server.get_backend_name() != "postgresql":
        yield db
        return
    name = f"pbp_export_bench_{secrets.token_hex(4)}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _measure(
    args: argparse.Namespace, url: str, baseline: Path, folder: Path
) -> dict[str, dict[str, float]]:
    """Seed the session, then run each implementation ``args.repeats`` times (medians)."""
    t0 = time.perf_counter()
    code = seed(url, args.n)
    print(f"seeded {args.n:,} ideas in {time.perf_counter() - t0:.1f} s ({url.split(':')[0]})")
    runs: dict[str, list[dict[str, float]]] = {"baseline": [], "ours": []}
    for _ in range(args.repeats):
        for which in runs:
            res = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    which,
                    url,
                    code,
                    args.format,
                    str(baseline),
                    str(folder / f"out.{args.format}"),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            runs[which].append(json.loads(res.stdout.strip().splitlines()[-1]))
    summary = {
        which: {
            key: statistics.median(r[key] for r in rs)
            for key in ("seconds", "peak_rss_mib", "rss_before_mib", "added_mib")
        }
        | {"rows": rs[0]["rows"], "bytes": rs[0]["bytes"]}
        for which, rs in runs.items()
    }
    return summary


if __name__ == "__main__":
    main()
