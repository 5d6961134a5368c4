"""Import speed: rows/s of a 50,000-row survey export as CSV and .xlsx, baseline in the same run.

Builds one Google-Forms-style export of N respondent rows (default 50,000): Timestamp, Email
Address, the four visioning prompts (two always answered, two half the time), a neighbourhood
column and an "anything else" column, answers drawn from the shared datasets (``--data``, read in
place). The same rows are written as CSV and as an .xlsx workbook (openpyxl, date cells for the
timestamps). Then each importer imports each file into a fresh SQLite database, ``--repeat``
times (median reported):

* **baseline**: the importer at ``--baseline-ref`` (default: where this branch left main, i.e.
  the importer before the automatic plan), extracted with ``git archive`` into a temporary folder
  and run in a subprocess with that code first on the path. It refuses .xlsx; that is reported.
* **ours**: the importer of this checkout, CSV and .xlsx, plus a re-import of the same CSV (the
  re-download case: everything already present).

Each round runs every importer on every file once, so load from other processes on the machine
falls on all of them alike.

Usage::

    .venv/bin/python benchmarks/import_speed.py [--rows 50000] [--repeat 3] [--json]
        [--baseline-ref REF] [--data DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _data import add_data_argument, data_folder  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PROMPTS = [
    "Imagine our community ten years from now, at its best. What do you see?",
    "What gets in the way of that future today?",
    "What strengths, places or people can we build on?",
    "If we could change one thing first, what should it be?",
]
HEADER = [
    "Timestamp",
    "Email Address",
    *PROMPTS,
    "Which neighbourhood do you live in?",
    "Anything else you'd like to share?",
]

# Runs one timed import of FILE into a fresh SQLite database at DB; prints JSON.
_RUNNER = """
import json, sys, time
from pathlib import Path
from pbp_facilitate.importers import import_file
from pbp_facilitate.settings import Settings
from pbp_facilitate.store import Store
from pbp_facilitate.surveys import load_survey
survey, file, db, again = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
store = Store(db)
session = store.create_session(load_survey(survey), "Benchmark")
t0 = time.perf_counter()
try:
    rep = import_file(store, session, file, settings=Settings())
except Exception as exc:  # the baseline refuses .xlsx
    print(json.dumps({"error": str(exc).splitlines()[0][:160]}))
    raise SystemExit(0)
first = time.perf_counter() - t0
out = {"seconds": first, "added": rep.added}
if again:
    t0 = time.perf_counter()
    rep2 = import_file(store, session, file, settings=Settings())
    out["again_seconds"] = time.perf_counter() - t0
    out["again_added"] = rep2.added
print(json.dumps(out))
"""


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


def make_rows(rows: int, data: Path, seed: int = 0) -> list[list[object]]:
    """Return the export's rows (timestamps as datetimes), header first."""
    rnd = random.Random(seed)
    pool = _pool(data)
    start = datetime(2024, 3, 14, 18, 0, 0)
    out: list[list[object]] = [list(HEADER)]
    for i in range(rows):
        out.append(
            [
                start + timedelta(seconds=7 * i),
                f"person{i}@example.org",
                rnd.choice(pool),
                rnd.choice(pool),
                rnd.choice(pool) if rnd.random() < 0.5 else "",
                rnd.choice(pool) if rnd.random() < 0.5 else "",
                rnd.choice(["Eastside", "Westside", ""]),
                "" if rnd.random() < 0.9 else rnd.choice(pool),
            ]
        )
    return out


def write_csv(path: Path, rows: list[list[object]]) -> None:
    """Write the rows as Google Forms writes its CSV (every cell quoted, CRLF)."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        w.writerow(rows[0])
        for r in rows[1:]:
            ts = r[0]
            assert isinstance(ts, datetime)
            stamp = (
                f"{ts:%Y/%m/%d} {ts.hour % 12 or 12}:{ts:%M:%S} {'PM' if ts.hour >= 12 else 'AM'}"
            )
            w.writerow([f"{stamp} GMT-4", *r[1:]])


def write_xlsx(path: Path, rows: list[list[object]]) -> None:
    """Write the rows as a workbook (the Google Sheet downloaded as .xlsx)."""
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Form Responses 1")
    for r in rows:
        ws.append(r)
    wb.save(path)


def _baseline_src(ref: str, tmp: Path) -> Path:
    base = subprocess.run(
        ["git", "-C", str(ROOT), "merge-base", "HEAD", ref],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    archive = tmp / "baseline.tar"
    subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", "-o", str(archive), base, "src"],
        check=True,
    )
    with tarfile.open(archive) as tar:
        tar.extractall(tmp / "baseline", filter="data")
    return tmp / "baseline" / "src"


def _run_one(src: Path, file: Path, db: Path, again: bool = False) -> dict[str, float | str]:
    env_path = str(src)
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import sys; sys.path.insert(0, {env_path!r})\n" + _RUNNER,
            str(ROOT / "surveys" / "visioning.yaml"),
            str(file),
            f"sqlite:///{db}",
            "1" if again else "0",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run(rows: int, repeat: int, ref: str, data: Path) -> dict[str, dict[str, object]]:
    """Time every importer on every file; return ``{name: {"seconds", "rows_per_s", ...}}``."""
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        table = make_rows(rows, data)
        files = {"csv": tmp / "responses.csv", "xlsx": tmp / "responses.xlsx"}
        write_csv(files["csv"], table)
        write_xlsx(files["xlsx"], table)
        sources = {"baseline": _baseline_src(ref, tmp), "ours": ROOT / "src"}
        # Rounds interleave every importer and file, so a busy machine slows them alike.
        times: dict[str, list[float]] = {}
        last: dict[str, dict[str, float | str]] = {}
        n = 0
        for _ in range(repeat):
            for who, src in sources.items():
                for kind, file in files.items():
                    name = f"{who} {kind}"
                    if "error" in last.get(name, {}):
                        continue
                    n += 1
                    last[name] = _run_one(src, file, tmp / f"db{n}.sqlite3")
                    if "error" not in last[name]:
                        times.setdefault(name, []).append(float(last[name]["seconds"]))
        for name, out in last.items():
            if "error" in out:
                results[name] = {"error": out["error"]}
                continue
            med = statistics.median(times[name])
            results[name] = {
                "seconds": med,
                "rows_per_s": rows / med,
                "ideas": out["added"],
                "runs": len(times[name]),
            }
        again = _run_one(sources["ours"], files["csv"], tmp / "again.sqlite3", again=True)
        results["ours csv, downloaded again"] = {
            "seconds": again["again_seconds"],
            "rows_per_s": rows / float(again["again_seconds"]),
            "ideas": again["again_added"],
            "runs": 1,
        }
        results["_input"] = {
            "rows": rows,
            "csv_mb": files["csv"].stat().st_size / 1e6,
            "xlsx_mb": files["xlsx"].stat().st_size / 1e6,
            "baseline_ref": ref,
        }
    return results


def main() -> None:
    """Parse arguments, run, print a table (or JSON)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=3, help="Runs per importer and file (median).")
    ap.add_argument(
        "--baseline-ref",
        default="main",
        help="Git ref whose merge-base with HEAD holds the baseline importer (default: main).",
    )
    ap.add_argument("--json", action="store_true")
    add_data_argument(ap)
    args = ap.parse_args()
    t0 = time.perf_counter()
    res = run(args.rows, args.repeat, args.baseline_ref, data_folder(args.data))
    if args.json:
        print(json.dumps(res, indent=2, default=str))
        return
    inp = res.pop("_input")
    print(
        f"Google-Forms-style export: {int(inp['rows']):,} rows; CSV {inp['csv_mb']:.1f} MB, "
        f"xlsx {inp['xlsx_mb']:.1f} MB; baseline = merge-base with {inp['baseline_ref']}"
    )
    for name, r in res.items():
        if "error" in r:
            print(f"{name:<30} refused: {r['error']}")
            continue
        print(
            f"{name:<30} {r['seconds']:8.2f} s  {r['rows_per_s']:>9,.0f} rows/s  "
            f"ideas={r['ideas']:,}  (median of {r['runs']})"
        )
    print(f"total {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
