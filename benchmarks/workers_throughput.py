"""Durable submissions/s and p95 latency of ``pbp serve`` with 1 and 2 workers on PostgreSQL.

Same run, same client (``intake_load.py``'s: one keep-alive connection and cookie jar per
participant, a 303 only after COMMIT): N participants (default 600) load the form, then all
send their ideas at once (each POST followed by its confirmation GET). The two configurations
alternate within each repeat (1 worker, 2 workers, 1 worker, ...), each on a fresh server and
session, so drifting load on a shared machine hits both alike; the figures are medians over the
repeats, and the ratio is 2 workers / 1 worker. Every acknowledged idea is checked in the store
afterwards. The machine's load average and the CPU seconds each server process used are
printed too (the client shares the machine).

Usage::

    .venv/bin/python benchmarks/workers_throughput.py --postgres postgresql+psycopg://postgres@127.0.0.1:55432/postgres
    .venv/bin/python benchmarks/workers_throughput.py --quick      # 100 participants, 1 repeat

``--postgres`` (default: ``PBP_TEST_POSTGRES_URL``) is a server where a throw-away database is
created and dropped. Nothing is asserted; figures are printed (``--json FILE`` saves them).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import psutil
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from intake_load import Server, make_session, pct, run_phase  # noqa: E402


def _create_db(admin_url: str) -> str:
    name = f"pbp_bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return sa.engine.make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def _drop_db(admin_url: str, url: str) -> None:
    name = sa.engine.make_url(url).database
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(
            sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
            {"n": name},
        )
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
    admin.dispose()


def _cpu_seconds(proc: psutil.Process) -> dict[str, float]:
    """CPU seconds of the server and each of its worker processes (kernels are off)."""
    out = {"primary": 0.0}
    try:
        t = proc.cpu_times()
        out["primary"] = round(t.user + t.system, 2)
        for i, child in enumerate(proc.children(), 1):
            t = child.cpu_times()
            out[f"worker{i}"] = round(t.user + t.system, 2)
    except psutil.NoSuchProcess:
        pass
    return out


async def one_run(
    folder: Path, db_url: str, workers: int, n: int, ideas: int, code: str
) -> dict[str, Any]:
    sid = make_session(db_url, code)
    extra = ["--no-preheat"] + (["--workers", str(workers)] if workers > 1 else [])
    srv = Server(
        folder,
        token=secrets.token_hex(16),
        extra=extra,
        db_url=db_url,
        env={"PBP_RATE_PER_IP_PER_MINUTE": "1000000"},  # one client address plays everyone
    )
    try:
        await run_phase(srv.port, code, 20, 1, 0, False, 0)  # warm-up (imports, pools)
        cpu0 = _cpu_seconds(srv.ps)
        client0 = time.process_time()
        load = os.getloadavg()[0]
        stats, wall = await run_phase(srv.port, code, n, ideas, 0, True, 7)
        cpu1 = _cpu_seconds(srv.ps)
        cpu1["client"] = round(time.process_time() - client0, 2)
    finally:
        srv.stop()
    from pbp_facilitate.store import Store

    with Store(db_url) as store:
        stored_ids = {r.id for r in store.list_submissions(sid, include_hidden=True)}
    acked_ids = {parse_qs(urlsplit(loc).query)["saved"][0] for loc in stats.acked}
    return {
        "workers": workers,
        "durable": len(stats.acked),
        "stored": len(stored_ids) - 20,  # minus the warm-up's ideas
        # durability: every acknowledged idea is in the database (a client that timed out
        # may have missed the answer to an idea that was stored: stored >= durable)
        "acked_missing": len(acked_ids - stored_ids),
        "wall_s": round(wall, 2),
        "durable_per_s": round(len(stats.acked) / wall, 1) if wall else 0.0,
        "submit_p50_ms": round(pct(stats.submit_ms, 50), 1),
        "submit_p95_ms": round(pct(stats.submit_ms, 95), 1),
        "errors": stats.errors,
        "load_avg_1m_before": round(load, 2),
        "cpu_s": {k: round(cpu1[k] - cpu0.get(k, 0.0), 2) for k in cpu1},
    }


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    runs: list[dict[str, Any]] = []
    db_url = _create_db(args.postgres)
    try:
        with tempfile.TemporaryDirectory(prefix="pbp-workers-bench-") as tmp:
            folder = Path(tmp)
            (folder / "workbooks").mkdir()
            for r in range(args.repeats):
                for workers in (1, 2) if r % 2 == 0 else (2, 1):
                    code = f"W{workers}R{r:02d}X"[:6]
                    run = await one_run(
                        folder, db_url, workers, args.participants, args.ideas, code
                    )
                    run["repeat"] = r + 1
                    runs.append(run)
                    print(
                        f"  repeat {r + 1} workers={workers}: {run['durable']} durable "
                        f"({run['stored']} stored, {run['acked_missing']} acked missing) in "
                        f"{run['wall_s']} s = "
                        f"{run['durable_per_s']}/s | submit p50 {run['submit_p50_ms']} p95 "
                        f"{run['submit_p95_ms']} ms | errors {run['errors'] or 0} | load "
                        f"{run['load_avg_1m_before']} | cpu s {run['cpu_s']}",
                        flush=True,
                    )
    finally:
        _drop_db(args.postgres, db_url)
    summary: dict[str, Any] = {}
    for workers in (1, 2):
        mine = [r for r in runs if r["workers"] == workers]
        summary[str(workers)] = {
            "durable_per_s_median": round(statistics.median(r["durable_per_s"] for r in mine), 1),
            "submit_p95_ms_median": round(statistics.median(r["submit_p95_ms"] for r in mine), 1),
            "all_acked_stored": all(r["acked_missing"] == 0 for r in mine),
            "errors": sum(sum(r["errors"].values()) for r in mine),
        }
    one, two = summary["1"], summary["2"]
    summary["ratio_throughput_2_over_1"] = round(
        two["durable_per_s_median"] / max(one["durable_per_s_median"], 0.1), 2
    )
    summary["ratio_p95_2_over_1"] = round(
        two["submit_p95_ms_median"] / max(one["submit_p95_ms_median"], 0.1), 2
    )
    print(
        f"Medians over {args.repeats} repeats, {args.participants} participants x {args.ideas} "
        f"ideas, PostgreSQL, {os.cpu_count()} CPUs:\n"
        f"  1 worker : {one['durable_per_s_median']}/s, submit p95 {one['submit_p95_ms_median']} "
        f"ms, all acked stored: {one['all_acked_stored']}, errors {one['errors']}\n"
        f"  2 workers: {two['durable_per_s_median']}/s, submit p95 {two['submit_p95_ms_median']} "
        f"ms, all acked stored: {two['all_acked_stored']}, errors {two['errors']}\n"
        f"  ratio 2/1: throughput x{summary['ratio_throughput_2_over_1']}, p95 "
        f"x{summary['ratio_p95_2_over_1']}",
        flush=True,
    )
    return {
        "participants": args.participants,
        "ideas": args.ideas,
        "repeats": args.repeats,
        "cpus": os.cpu_count(),
        "runs": runs,
        "summary": summary,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--postgres",
        default=os.environ.get("PBP_TEST_POSTGRES_URL", ""),
        help="PostgreSQL server URL (a throw-away database is created there).",
    )
    ap.add_argument("--participants", type=int, default=600)
    ap.add_argument("--ideas", type=int, default=3)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="100 participants, 1 repeat.")
    ap.add_argument("--json", type=Path, default=None, help="Also write the results here.")
    args = ap.parse_args(argv)
    if not args.postgres:
        ap.error("give --postgres URL (or set PBP_TEST_POSTGRES_URL)")
    if args.participants > 2000:
        ap.error("at most 2000 participants (the benchmark is bounded)")
    if args.quick:
        args.participants, args.repeats = 100, 1
    t0 = time.perf_counter()
    results = asyncio.run(main_async(args))
    results["wall_s"] = round(time.perf_counter() - t0, 1)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
