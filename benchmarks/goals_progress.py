"""Speed of goal progress and of partners' data import, each beside a baseline in the same run.

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/goals_progress.py [--goals 1000] [--repeats 5]``

1. Progress of 1,000 goals x 20 periods x 10 groups (+ everyone: 220,000 values, about 3% of
   group values from fewer than 5 people): :func:`pbp_facilitate.goals.goal_progress` over
   the values in memory, and :func:`progress_report` reading them from a SQLite store; the
   baseline is the obvious pandas version (one boolean filter per goal and per group, status
   and gaps without suppression).
2. Import of 100,000 rows (``goal,period,group,value,n``) into a fresh SQLite store: the kit's
   path (decode, CSV, every row checked, one transaction) beside ``pandas.read_csv`` +
   ``DataFrame.to_sql`` (no checks at all).

Medians of ``--repeats`` runs.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pbp_facilitate.goals import Indicator, goal_progress, progress_report, read_indicator_rows
from pbp_facilitate.importers._csv import decode_bytes, read_rows
from pbp_facilitate.store import Store
from pbp_facilitate.surveys import load_survey

ROOT = Path(__file__).resolve().parents[1]
GROUPS = [f"group {i}" for i in range(10)]


CPU: list[float] = []  # CPU seconds of the last _median call (the machine is shared)


def _median(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """Median wall time of ``fn`` over ``repeats`` runs (its median CPU time goes to CPU)."""
    times = []
    cpu = []
    out = None
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    CPU[:] = [statistics.median(cpu)]
    return statistics.median(times), out


def make_values(n_goals: int, n_periods: int, rng: random.Random) -> list[dict[str, Any]]:
    """Synthetic partner data: per goal and period, everyone and ten groups."""
    out = []
    for g in range(1, n_goals + 1):
        base = rng.uniform(20, 60)
        for p in range(n_periods):
            year = 2006 + p
            total = 0
            for grp in GROUPS:
                n = rng.randint(1, 4) if rng.random() < 0.03 else rng.randint(20, 400)
                total += n
                value = base + rng.gauss(0, 8) + 0.4 * p
                out.append(
                    {
                        "goal_id": g,
                        "period": str(year),
                        "period_at": float(year),
                        "group": grp,
                        "value": value,
                        "n": n,
                    }  # fmt: skip
                )
            out.append(
                {
                    "goal_id": g,
                    "period": str(year),
                    "period_at": float(year),
                    "group": "",
                    "value": base + 0.4 * p,
                    "n": total,
                }  # fmt: skip
            )
    return out


def naive_pandas(df: Any, indicators: dict[int, Indicator]) -> list[dict[str, Any]]:
    """Per goal: filter, latest everyone value, straight-line status, per-group gaps."""
    out = []
    for gid, ind in indicators.items():
        d = df[df.goal_id == gid]
        everyone = d[d.group == ""].sort_values("period_at")
        latest = everyone.iloc[-1]
        b, t0 = ind.baseline.value, ind.baseline.at  # type: ignore[union-attr]
        t, t1 = ind.target_value, ind.target.at  # type: ignore[union-attr]
        frac = min(1.0, max(0.0, (latest.period_at - t0) / (t1 - t0)))
        expected = b + (t - b) * frac
        status = "met" if latest.value >= t else "on_track" if latest.value >= expected else "off"
        gaps = {}
        last = d[d.period_at == latest.period_at]
        best = last[last.group != ""].value.max()
        for grp in GROUPS:
            s = d[d.group == grp].sort_values("period_at")
            gaps[grp] = best - s.iloc[-1].value
        out.append({"goal_id": gid, "status": status, "gaps": gaps})
    return out


def bench_progress(n_goals: int, repeats: int) -> None:
    import pandas as pd

    rng = random.Random(17)
    values = make_values(n_goals, 20, rng)
    ind = Indicator(name="x", unit="%", direction="up").updated(
        baseline=40, baseline_year=2005, target=60, target_year=2030
    )
    indicators = dict.fromkeys(range(1, n_goals + 1), ind)
    by_goal: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for v in values:
        by_goal[v["goal_id"]].append(v)

    def ours() -> list[dict[str, Any]]:
        return [goal_progress(ind, by_goal[g], small_count=5, goal_id=g) for g in indicators]

    df = pd.DataFrame(values)
    print(f"\nProgress: {n_goals} goals x 20 periods x 10 groups + everyone = {len(values)} values")
    t_ours, res = _median(ours, repeats)
    hidden = sum(r["suppressed"] for r in res)
    print(
        f"  goal_progress (in memory)           median {t_ours:7.3f} s wall, {CPU[0]:6.3f} s CPU"
        f"   ({hidden} values withheld)"
    )
    t_base, _ = _median(lambda: naive_pandas(df, indicators), max(1, repeats // 2))
    print(
        f"  baseline: naive pandas per goal     median {t_base:7.3f} s wall, {CPU[0]:6.3f} s CPU"
        "   (no suppression)"
    )

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/bench.sqlite3")
        session = store.create_session(load_survey(ROOT / "surveys/visioning.yaml"), "Bench")
        ids = []
        for _ in range(n_goals):
            rec = store.save_goal(session.id, "Raise X from 40% in 2005 to 60% by 2030.",
                                  indicator=ind.to_dict(), actor="bench")  # fmt: skip
            ids.append(rec.id)
        remap = [dict(v, goal_id=ids[v["goal_id"] - 1]) for v in values]
        store.replace_indicator_values(session.id, remap)
        t_store, _ = _median(lambda: progress_report(store, session.id), repeats)
        print(
            f"  progress_report (SQLite, reads all) median {t_store:7.3f} s wall, "
            f"{CPU[0]:6.3f} s CPU"
        )
        store.close()


def bench_import(n_rows: int, repeats: int) -> None:
    import pandas as pd
    import sqlalchemy as sa

    rng = random.Random(5)
    n_goals = 500
    lines = ["goal,period,group,value,n"]
    keys = set()
    while len(lines) <= n_rows:
        g = rng.randint(1, n_goals)
        p = 2000 + rng.randint(0, 24)
        grp = rng.choice(["", *GROUPS, *(f"zip {z}" for z in range(100))])
        if (g, p, grp) in keys:
            continue
        keys.add((g, p, grp))
        lines.append(f"{g},{p},{grp},{rng.uniform(0, 100):.1f},{rng.randint(1, 900)}")
    data = ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")
    survey = load_survey(ROOT / "surveys/visioning.yaml")
    print(f"\nImport: {n_rows} rows ({len(data) / 1e6:.1f} MB CSV, {n_goals} goals)")

    def fresh(tmp: str, i: int) -> tuple[Store, int, list[int]]:
        store = Store(f"sqlite:///{tmp}/imp{i}.sqlite3")
        session = store.create_session(survey, "Bench")
        ids = [store.save_goal(session.id, f"Goal {k}", actor="bench").id for k in range(n_goals)]
        return store, session.id, ids

    with tempfile.TemporaryDirectory() as tmp:
        t_ours = []
        t_base = []
        c_ours = []
        for i in range(repeats):
            store, sid, ids = fresh(tmp, i)
            t0, c0 = time.perf_counter(), time.process_time()
            text, _ = decode_bytes(data, "data.csv")
            rows = read_indicator_rows(read_rows(text, "data.csv"), ids, name="data.csv")
            store.replace_indicator_values(sid, rows)
            t_ours.append(time.perf_counter() - t0)
            c_ours.append(time.process_time() - c0)
            store.close()
            store, sid, ids = fresh(tmp, 100 + i)
            engine = sa.create_engine(f"sqlite:///{tmp}/imp{100 + i}.sqlite3")
            t0 = time.perf_counter()
            import io

            df = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False)
            df = df.rename(columns={"goal": "goal_id", "group": "grp"})
            df["period_at"] = df["period"].astype(float)
            df["imported_at"] = "now"
            df.to_sql("indicator_values", engine, if_exists="append", index=False)
            t_base.append(time.perf_counter() - t0)
            engine.dispose()
            store.close()
    print(
        f"  pbp indicators import path          median {statistics.median(t_ours):7.3f} s wall, "
        f"{statistics.median(c_ours):6.3f} s CPU"
    )
    print(
        f"  baseline: pandas read_csv+to_sql    median {statistics.median(t_base):7.3f} s wall"
        "   (no checks)"
    )


def main() -> None:
    import os

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--goals", type=int, default=1000)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    bench_progress(args.goals, args.repeats)
    bench_import(args.rows, max(1, args.repeats // 2 + 1))


if __name__ == "__main__":
    main()
