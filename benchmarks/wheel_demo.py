"""``pbp init`` + ``pbp demo`` from a wheel in a fresh virtualenv, used from an empty folder, timed.

Steps (each timed): build the wheel of this checkout (``pip wheel --no-deps``); create a fresh
virtualenv and install only that wheel into it (``--no-deps --no-index``); in an empty folder
``pbp init room``; in ``room/``, ``pbp demo --port P`` until its banner; then the facilitator
dashboard rendered over HTTP (the page of ``/voila/render/facilitate.ipynb``) and the
demo's participant page.

Nothing is downloaded: the wheel's dependencies come from the environment running this script,
reached from the fresh virtualenv by one ``.pth`` line (a ``.pth`` file inside that folder, such
as an editable install of the kit, is not processed, so the kit itself is only the wheel's; the
script checks where ``pbp_facilitate`` is imported from), and their Jupyter data files (Voilà's
templates) through ``JUPYTER_PATH``.

Usage::

    .venv/bin/python benchmarks/wheel_demo.py [--keep]
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "wheel-demo-token-0123456789"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _timed(label: str, times: dict[str, float], cmd: list[str], **kw: object) -> str:
    t0 = time.perf_counter()
    res = subprocess.run(cmd, capture_output=True, text=True, **kw)  # type: ignore[call-overload]
    times[label] = time.perf_counter() - t0
    if res.returncode != 0:
        raise SystemExit(f"{label} failed ({' '.join(cmd)}):\n{res.stdout}\n{res.stderr}")
    return str(res.stdout) + str(res.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep", action="store_true", help="Keep the temporary folder.")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="pbp-wheel-demo-"))
    times: dict[str, float] = {}
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("PBP_")}
    # The dependencies' data files (Voilà's page templates, widget assets) live in the builder's
    # share/jupyter, where pip would have put them in the fresh venv had it installed them there.
    env["JUPYTER_PATH"] = str(Path(sysconfig.get_paths()["data"]) / "share" / "jupyter")
    build = _timed(
        "build wheel",
        times,
        [sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "-w", str(tmp / "dist"), "."],
        cwd=ROOT,
        env=env,
    )
    licence_warnings = len(re.findall(r"`project\.license` as a TOML table is deprecated", build))
    wheel = next((tmp / "dist").glob("pbp_facilitate-*.whl"))
    venv = tmp / "venv"
    _timed("create venv", times, [sys.executable, "-m", "venv", str(venv)], env=env)
    py = venv / "bin" / "python"
    site = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(site) / "_deps_from_builder.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    _timed(
        "install wheel",
        times,
        [str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        env=env,
    )
    where = subprocess.run(
        [str(py), "-c", "import pbp_facilitate; print(pbp_facilitate.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp,
        env=env,
    ).stdout.strip()
    if not where.startswith(site):
        raise SystemExit(f"pbp_facilitate came from {where}, not from the wheel in {site}")
    pbp = str(venv / "bin" / "pbp")
    empty = tmp / "empty"
    empty.mkdir()
    _timed("pbp init", times, [pbp, "init", "room"], cwd=empty, env=env)
    port = _free_port()
    t0 = time.perf_counter()
    err_path = tmp / "demo.stderr"
    with open(err_path, "w", encoding="utf-8") as err:
        proc = subprocess.Popen(
            [pbp, "demo", "--port", str(port)],
            cwd=empty / "room",
            env={**env, "PBP_TOKEN": TOKEN},
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
        try:
            assert proc.stdout is not None
            banner = ""
            while not banner.endswith("Stop with Ctrl+C.\n"):
                line = proc.stdout.readline()
                if not line:
                    raise SystemExit(f"pbp demo exited:\n{banner}\n{err_path.read_text()[-3000:]}")
                banner += line
            times["pbp demo: seed + banner"] = time.perf_counter() - t0
            base = f"http://127.0.0.1:{port}"
            t1 = time.perf_counter()
            page = httpx.get(
                f"{base}/voila/render/facilitate.ipynb", params={"token": TOKEN}, timeout=300
            )
            times["dashboard rendered"] = time.perf_counter() - t1
            join = httpx.get(f"{base}/s/DEMO26", timeout=30)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(30)
            if proc.stdout is not None:
                proc.stdout.close()
    ok = page.status_code == 200 and "jupyter-widgets" in page.text and join.status_code == 200
    log = err_path.read_text(encoding="utf-8")
    print(f"wheel {wheel.name}, kit imported from the fresh venv ({where})")
    for label, seconds in times.items():
        print(f"  {label:28} {seconds:7.1f} s")
    print(f"  {'total init + demo + page':28} {sum(times[k] for k in list(times)[3:]):7.1f} s")
    print(f"  dashboard served: {ok}; database {empty / 'room' / 'data' / 'pbp.sqlite3'}")
    print(
        f"  setuptools licence warnings: {licence_warnings}; 'not trusted' lines: "
        f"{log.count('is not trusted')}; 'without encryption' lines: "
        f"{log.count('without encryption')}"
    )
    if not args.keep:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    else:
        print(f"  kept {tmp}")
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
