"""Kernels and their memory after 20 dashboard reloads, and one dashboard kernel after its fit.

For each variant (the baseline: ``src``/``workbooks`` of ``--baseline-ref``, default ``main``,
taken with ``git archive``; then ours), on a freshly seeded demo database, ``--repeats`` times
(the variants alternate):

1. start ``pbp serve`` with that variant's defaults and wait for the preheated kernel;
2. in Chromium, open the facilitator dashboard, wait for its first theme fit (the board
   says "refit #1": the kernel's own fit, or under ``pbp serve`` the server's) and take that
   kernel's RSS (and the server's);
3. reload until the dashboard has loaded ``--loads`` times (default 20), each time until the
   theme board is on the page; 5 s later count the server's kernels and sum their RSS
   (processes running ``ipykernel``), and the server's own RSS;
4. close the tab and poll every second for up to ``--wait`` seconds: when are all the tab's
   kernels gone (only the preheated pool left), and what is left.

Prints the medians per variant: load time, the first-fit kernel, kernels and kernel RSS after
the loads, the largest kernel, the server, seconds from closing the tab until its kernels were
gone (``-`` when not within ``--wait``), kernels at the end.

Usage::

    .venv/bin/python benchmarks/dashboard_kernels.py [--loads 20] [--wait 120] [--repeats 3]
        [--baseline-ref main] [--json]

Needs Debian's chromium at /usr/bin/chromium and Playwright (the test extras).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
TOKEN = "kernel-bench-token-0123456789abcdef0123"
MIB = 1024 * 1024
FIRST_FIT = (
    "() => /refit #[1-9]/.test(document.querySelector('.pbp-themeboard')?.textContent || '')"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _status(base: str) -> dict[str, Any]:
    req = urllib.request.Request(
        f"{base}/pbp/api/status", headers={"Authorization": f"token {TOKEN}"}
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        return dict(json.loads(resp.read()))


def _kernels(server: psutil.Process) -> list[psutil.Process]:
    out = []
    for p in server.children(recursive=True):
        try:
            if any("ipykernel" in part for part in p.cmdline()):
                out.append(p)
        except psutil.Error:
            continue
    return out


def _rss(procs: list[psutil.Process]) -> list[float]:
    sizes = []
    for p in procs:
        try:
            sizes.append(p.memory_info().rss / MIB)
        except psutil.Error:
            continue
    return sizes


def _kernel_id(page: Any) -> str:
    found = re.search(r'"kernelId": "([0-9a-f-]{36})"', page.content())
    return found.group(1) if found else ""


def _kernel_of(server: psutil.Process, kernel_id: str) -> psutil.Process | None:
    for p in _kernels(server):
        try:
            if any(kernel_id in part for part in p.cmdline()):
                return p
        except psutil.Error:
            continue
    return None


def run_variant(
    name: str, src: Path, workbooks: Path, db: str, folder: Path, loads: int, wait: float
) -> dict[str, Any]:
    """Serve one variant; measure one dashboard kernel after its first fit, then reload the
    dashboard ``loads`` times and count kernels, then close the tab and watch its kernels."""
    from playwright.sync_api import sync_playwright

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PBP_")}
    env.update(
        {"PYTHONPATH": str(src), "PBP_DATABASE_URL": db, "PBP_SURVEYS_DIR": str(ROOT / "surveys")}
    )
    log = open(folder / f"serve-{name}.log", "w", encoding="utf-8")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "pbp_facilitate", "serve", "--port", str(port), "--token", TOKEN]
        + ["--no-browser", "--workbooks", str(workbooks)],
        cwd=folder,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = psutil.Process(proc.pid)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if _status(base)["pooled_kernels"] >= 1:
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{name}: pbp serve did not start; see {log.name}")
            time.sleep(0.5)
        times = []
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM,
                args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
            )
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            url = f"{base}/voila/render/facilitate.ipynb?token={TOKEN}"
            first_fit_mib: float | None = None
            server_after_fit_mib = 0.0
            failed = 0
            for i in range(loads):
                t0 = time.perf_counter()
                if i == 0:
                    page.goto(url)
                else:
                    page.reload()
                try:
                    page.wait_for_selector(
                        ".pbp-dash .pbp-themeboard", state="attached", timeout=180_000
                    )
                    if first_fit_mib is None:  # one kernel after its first fit: "refit #1"
                        page.wait_for_function(FIRST_FIT, timeout=600_000)
                except Exception:  # noqa: BLE001 - a load that never rendered: counted, reloaded
                    failed += 1
                    log.flush()
                    print(f"{name}: load {i + 1} did not render", file=sys.stderr, flush=True)
                    if failed > loads // 2:
                        tail = Path(log.name).read_text(encoding="utf-8")[-3000:]
                        raise SystemExit(f"{name}: most loads did not render\n{tail}") from None
                    continue
                times.append(time.perf_counter() - t0)
                if first_fit_mib is None:
                    page.wait_for_timeout(3000)  # clouds drawn, a few ticks
                    kernel = _kernel_of(server, _kernel_id(page))
                    first_fit_mib = _rss([kernel])[0] if kernel is not None else 0.0
                    server_after_fit_mib = server.memory_info().rss / MIB
            page.wait_for_timeout(5000)
            after = _kernels(server)
            sizes = _rss(after)
            status = _status(base)
            server_mib = server.memory_info().rss / MIB
            page.close()
            browser.close()
        closed = time.monotonic()
        gone_after: float | None = None
        while time.monotonic() - closed < wait:
            st = _status(base)
            if gone_after is None and st["kernels"] <= st["pooled_kernels"]:
                gone_after = time.monotonic() - closed
                break
            time.sleep(1)
        end = _kernels(server)
        end_sizes = _rss(end)
        return {
            "load_s_median": statistics.median(times),
            "loads_not_rendered": failed,
            "first_fit_kernel_mib": first_fit_mib,
            "server_mib_after_first_fit": server_after_fit_mib,
            "kernels_after_loads": len(after),
            "api_kernels_after_loads": status["kernels"],
            "pooled_after_loads": status["pooled_kernels"],
            "kernel_rss_mib_after_loads": sum(sizes),
            "largest_kernel_mib": max(sizes) if sizes else 0.0,
            "server_mib_after_loads": server_mib,
            "gone_after_close_s": gone_after,
            "kernels_at_end": len(end),
            "kernel_rss_mib_at_end": sum(end_sizes),
        }
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Median of every figure over repeated runs (``None`` when any run had none)."""
    out: dict[str, Any] = {"runs": len(runs)}
    for key in runs[0]:
        values = [r[key] for r in runs]
        out[key] = None if any(v is None for v in values) else statistics.median(values)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--loads", type=int, default=20, help="Dashboard loads (1 + reloads).")
    ap.add_argument("--wait", type=float, default=120, help="Seconds to watch after closing.")
    ap.add_argument("--repeats", type=int, default=3, help="Runs per variant (medians).")
    ap.add_argument("--baseline-ref", default="main", help="Git ref of the baseline.")
    ap.add_argument("--only", choices=["baseline", "ours"], default=None, help="One variant.")
    ap.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    ap.add_argument("--logs", type=Path, default=None, help="Keep the servers' logs in DIR.")
    args = ap.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"No chromium at {CHROMIUM}; install Debian's chromium.")
    from pbp_facilitate.demo import seed_demo
    from pbp_facilitate.store import Store

    runs: dict[str, list[dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory(prefix="pbp-kernel-bench-") as tmp:
        folder = Path(tmp)
        archive = subprocess.run(
            ["git", "archive", args.baseline_ref, "src", "workbooks"],
            cwd=ROOT,
            capture_output=True,
            check=False,
        )
        if archive.returncode != 0:
            raise SystemExit(f"git archive {args.baseline_ref} failed: {archive.stderr!r}")
        base_dir = folder / "baseline"
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(base_dir, filter="data")
        variants = {
            "baseline": (base_dir / "src", base_dir / "workbooks"),
            "ours": (ROOT / "src", ROOT / "workbooks"),
        }
        for rep in range(args.repeats):  # the variants alternate: a busy spell hits both
            for name, (src, workbooks) in variants.items():
                if args.only and name != args.only:
                    continue
                # a fresh database per run: the baseline may upgrade its schema past ours
                db = f"sqlite:///{folder / f'demo-{name}-{rep}.sqlite3'}"
                with Store(db) as store:
                    seed_demo(store, ROOT / "surveys" / "visioning.yaml")
                try:
                    got = run_variant(name, src, workbooks, db, folder, args.loads, args.wait)
                finally:
                    if args.logs:
                        args.logs.mkdir(parents=True, exist_ok=True)
                        log = folder / f"serve-{name}.log"
                        (args.logs / f"serve-{name}-{rep}.log").write_bytes(log.read_bytes())
                runs.setdefault(name, []).append(got)
                print(f"{name} #{rep + 1}: {json.dumps(got)}", file=sys.stderr, flush=True)
    results = {name: _median(r) for name, r in runs.items()}
    if args.json:
        print(json.dumps({"medians": results, "runs": runs}, indent=2))
        return
    print(
        f"{args.loads} dashboard loads, then the tab closed and watched for up to "
        f"{args.wait:.0f} s (baseline = {args.baseline_ref}; medians of {args.repeats} runs):"
    )
    print(
        f"  {'':9} {'load s':>7} {'1st fit':>8} {'kernels':>8} {'RSS Mi':>8} {'largest':>8} "
        f"{'server':>7} {'gone after':>11} {'end kernels':>12}"
    )
    for name, r in results.items():
        gone = "-" if r["gone_after_close_s"] is None else f"{r['gone_after_close_s']:.0f} s"
        print(
            f"  {name:9} {r['load_s_median']:7.2f} {r['first_fit_kernel_mib']:8.0f} "
            f"{r['kernels_after_loads']:8.0f} {r['kernel_rss_mib_after_loads']:8.0f} "
            f"{r['largest_kernel_mib']:8.0f} {r['server_mib_after_loads']:7.0f} {gone:>11} "
            f"{r['kernels_at_end']:12.0f}"
        )


if __name__ == "__main__":
    main()
