"""Running a real room (issue 18): ``pbp demo --ip/--port``, the loopback warning, one database
named in every "no session" error, empty input files, a quiet console, the licence metadata.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import tomllib
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from support import PBP, free_port

from pbp_facilitate.cli import cli
from pbp_facilitate.errors import NotFoundError
from pbp_facilitate.intake.context import lan_address
from pbp_facilitate.server import loopback_warning
from pbp_facilitate.store import Store
from pbp_facilitate.store.engine import display_url

ROOT = Path(__file__).resolve().parents[1]


# --- the loopback warning -------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8866/join", "http://localhost:8870/join", "http://[::1]:8866/join"]
)
def test_loopback_join_url_gets_a_loud_warning_with_the_fix(url: str) -> None:
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    msg = loopback_warning(url, port)
    assert msg is not None
    assert "WARNING" in msg and "phones cannot join" in msg
    assert "--ip 0.0.0.0" in msg and "make demo ARGS='--ip 0.0.0.0'" in msg
    lan = lan_address()
    if not lan.startswith("127."):
        # the machine's own network address is offered, with the URL phones would use
        assert f"http://{lan}:{port}/join" in msg


@pytest.mark.parametrize(
    "url", ["http://192.168.1.20:8866/join", "https://consult.example.org/join", "http://10.0.0.5/"]
)
def test_reachable_join_url_gets_no_warning(url: str) -> None:
    assert loopback_warning(url, 8866) is None


def test_lan_address_never_fails_and_is_an_address() -> None:
    import ipaddress

    addr = lan_address()
    assert ipaddress.ip_address(addr)  # raises on anything that is not an address


# --- one database, named in every "no session" error ------------------------------------------


def test_display_url_masks_the_password_and_makes_sqlite_paths_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = display_url("postgresql+psycopg://pbp:s3cret-pw@db.example.org:5432/pbp")
    assert "s3cret-pw" not in shown and "***" in shown and "db.example.org" in shown
    monkeypatch.chdir(tmp_path)
    want = f"sqlite:///{tmp_path.resolve()}/data/pbp.sqlite3"
    assert display_url("sqlite:///data/pbp.sqlite3") == want
    assert display_url("sqlite:///:memory:") == "sqlite:///:memory:"


def test_no_session_error_names_the_database_searched(store: Store) -> None:
    with pytest.raises(NotFoundError) as err:
        store.get_session("NOPE42")
    assert store.display_url in str(err.value) and "--db" in str(err.value)
    with pytest.raises(NotFoundError) as err:
        store.get_session(987654, by="id")
    assert store.display_url in str(err.value)


def test_cli_no_session_and_empty_list_name_the_database(tmp_path: Path) -> None:
    db = tmp_path / "elsewhere.sqlite3"
    runner = CliRunner()
    res = runner.invoke(cli, ["--db", f"sqlite:///{db}", "summarize", "DEMO26"])
    assert res.exit_code == 1 and str(db) in res.output, res.output
    res = runner.invoke(cli, ["--db", f"sqlite:///{db}", "session", "list"])
    assert res.exit_code == 0 and "No sessions yet" in res.output and str(db) in res.output


def test_demo_uses_the_cli_default_database_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After ``pbp demo`` (no --db), plain ``pbp session list`` / ``pbp summarize`` find it."""
    for k in list(os.environ):
        if k.startswith("PBP_"):
            monkeypatch.delenv(k)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    surveys = ["--no-serve"]
    monkeypatch.setenv("PBP_SURVEYS_DIR", str(ROOT / "surveys"))
    res = runner.invoke(cli, ["demo", *surveys])
    assert res.exit_code == 0, res.output
    default = tmp_path.resolve() / "data" / "pbp.sqlite3"
    assert f"Database: sqlite:///{default}" in res.output
    assert "pbp summarize DEMO26" in res.output and "--db" not in res.output
    listed = runner.invoke(cli, ["session", "list"])
    assert "DEMO26" in listed.output, listed.output
    # another database than the default: the demo prints the exact --db to use
    other = tmp_path / "other.sqlite3"
    res = runner.invoke(cli, ["--db", f"sqlite:///{other}", "demo", *surveys])
    assert res.exit_code == 0 and f"pbp --db sqlite:///{other} summarize DEMO26" in res.output


def test_make_demo_passes_args_and_uses_the_default_database() -> None:
    out = subprocess.run(
        ["make", "-n", "-C", str(ROOT), "demo", "ARGS=--ip 0.0.0.0 --port 8870"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(ln for ln in out.splitlines() if "pbp" in ln and " demo" in ln)
    assert line.endswith("pbp demo --ip 0.0.0.0 --port 8870") and "--db" not in line


# --- empty input files ------------------------------------------------------------------------


@pytest.mark.parametrize("content", ["", "\n  \n\t\n", "\ufeff"])
@pytest.mark.parametrize(
    "command", [["themes", "--file"], ["goals", "check", "--file"]], ids=["themes", "goals"]
)
def test_empty_input_file_is_a_clear_error_exit_1(
    tmp_path: Path, content: str, command: list[str]
) -> None:
    f = tmp_path / "empty.txt"
    f.write_text(content, encoding="utf-8")
    res = CliRunner().invoke(cli, ["--db", f"sqlite:///{tmp_path / 'x.sqlite3'}", *command, str(f)])
    assert res.exit_code == 1, res.output
    assert "is empty" in res.output and "per line" in res.output and str(f) in res.output


def test_nonempty_goals_file_still_checks_every_goal(tmp_path: Path) -> None:
    f = tmp_path / "goals.txt"
    f.write_text(
        "\nBy 2028, plant 500 trees on the Eastside.\n\nImprove parks.\n", encoding="utf-8"
    )
    res = CliRunner().invoke(
        cli, ["--db", f"sqlite:///{tmp_path / 'x.sqlite3'}", "goals", "check", "--file", str(f)]
    )
    assert res.exit_code == 0 and len(res.output.strip().splitlines()) == 2


# --- packaging metadata -------------------------------------------------------------------------


def test_licence_is_an_spdx_expression_with_its_file() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    meta = project["project"]
    assert meta["license"] == "Apache-2.0"  # a string: setuptools' table form is deprecated
    assert meta["license-files"] and all((ROOT / f).is_file() for f in meta["license-files"])
    assert "Apache License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert not any("License ::" in c for c in meta.get("classifiers", []))


# --- a real room: pbp demo --port, the banner, a quiet console ------------------------------------


def test_pbp_demo_takes_port_warns_on_loopback_and_keeps_the_console_quiet(tmp_path: Path) -> None:
    port = free_port()
    token = "room-test-token-0123456789abcdef0123"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PBP_")}
    env["PBP_TOKEN"] = token
    err_path = tmp_path / "stderr.log"
    with open(err_path, "w", encoding="utf-8") as err:
        proc = subprocess.Popen(
            [PBP, "--db", f"sqlite:///{tmp_path / 'room.sqlite3'}", "demo", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
        try:
            lines: list[str] = []
            deadline = time.monotonic() + 120
            assert proc.stdout is not None
            while time.monotonic() < deadline:
                line = proc.stdout.readline()
                assert line, f"pbp demo exited early: {''.join(lines)}"
                lines.append(line)
                if line.startswith("  Stop with Ctrl+C"):
                    break
            banner = "".join(lines)
            assert f"Participants join at:       http://127.0.0.1:{port}/join" in banner
            assert "WARNING: the join URL and QR code point to 127.0.0.1" in banner
            assert "--ip 0.0.0.0" in banner
            base = f"http://127.0.0.1:{port}"
            assert httpx.get(f"{base}/s/DEMO26", timeout=30).status_code == 200
            page = httpx.get(
                f"{base}/voila/render/facilitate.ipynb", params={"token": token}, timeout=120
            )
            assert page.status_code == 200 and "jupyter-widgets" in page.text
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
            if proc.stdout is not None:
                proc.stdout.close()
    log = err_path.read_text(encoding="utf-8")
    assert "Kernel started" in log  # the log is captured at all
    assert "is not trusted" not in log, log[-3000:]
    assert "without encryption" not in log, log[-3000:]  # CurveZMQ keys per kernel


# --- kernels: a closed tab's kernel goes within the closed-tab timeout ----------------------------


def _ticking_workbook(folder: Path) -> None:
    """A workbook whose kernel keeps printing: "active" forever, like a polling dashboard."""
    import nbformat

    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import threading, time\n"
            "def _tick():\n"
            "    while True:\n"
            "        print('.', end='', flush=True)\n"
            "        time.sleep(0.3)\n"
            "threading.Thread(target=_tick, daemon=True).start()"
        )
    ]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, str(folder / "facilitate.ipynb"))


def test_closed_tab_kernel_is_shut_down_though_it_keeps_busy(tmp_path: Path) -> None:
    import re

    from tornado.ioloop import IOLoop
    from tornado.websocket import websocket_connect

    _ticking_workbook(tmp_path / "workbooks")
    port = free_port()
    token = "room-kernel-token-0123456789abcdef01"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PBP_")}
    args = [PBP, "--db", f"sqlite:///{tmp_path / 'k.sqlite3'}", "serve", "--port", str(port)]
    args += ["--token", token, "--no-browser", "--no-preheat", "--workbooks"]
    args += [str(tmp_path / "workbooks"), "--cull-interval", "1", "--closed-tab-timeout", "3"]
    base = f"http://127.0.0.1:{port}"
    auth = {"Authorization": f"token {token}"}
    with open(tmp_path / "serve.log", "w", encoding="utf-8") as log:
        proc = subprocess.Popen(args, cwd=tmp_path, env=env, stdout=log, stderr=log)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{base}/pbp/api/status", headers=auth).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert proc.poll() is None and time.monotonic() < deadline, "serve did not start"
                time.sleep(0.3)
            page = httpx.get(
                f"{base}/voila/render/facilitate.ipynb", params={"token": token}, timeout=60
            ).text
            kernel_id = re.search(r'"kernelId": "([0-9a-f-]{36})"', page).group(1)  # type: ignore[union-attr]

            def kernels() -> int:
                return int(httpx.get(f"{base}/pbp/api/status", headers=auth).json()["kernels"])

            time.sleep(5)
            assert kernels() == 1  # never connected yet: kept at least a minute (UNCLAIMED_GRACE_S)

            async def tab(open_for: float) -> None:
                import asyncio

                ws = await websocket_connect(
                    f"ws://127.0.0.1:{port}/api/kernels/{kernel_id}/channels"
                    f"?token={token}&session_id=room-test"
                )
                await asyncio.sleep(open_for)
                assert kernels() == 1  # an open tab's kernel is never culled
                ws.close()

            IOLoop.current().run_sync(lambda: tab(5.0))
            closed = time.monotonic()
            while kernels() and time.monotonic() - closed < 30:
                time.sleep(0.5)
            gone = time.monotonic() - closed
            assert kernels() == 0, "the closed tab's kernel was not shut down"
            assert 2.5 < gone < 15, gone  # the 3 s timeout, checked every second
        finally:
            proc.terminate()
            proc.wait(30)
    assert "its last dashboard tab closed" in (tmp_path / "serve.log").read_text(encoding="utf-8")


# --- package data and pbp init ----------------------------------------------------------------


def test_kit_folders_ship_every_workbook_and_survey() -> None:
    from pbp_facilitate.settings import kit_folder

    workbooks = {p.name for p in kit_folder("workbooks_dir").glob("*.ipynb")}
    assert workbooks == {p.name for p in (ROOT / "workbooks").glob("*.ipynb")}
    assert "facilitate.ipynb" in workbooks
    surveys = {p.name for p in kit_folder("surveys_dir").iterdir()}
    assert {"visioning.yaml", "town-hall.yaml", "community_benchmarks.csv"} <= surveys
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = project["tool"]["setuptools"]["package-data"]["pbp_facilitate"]
    assert "kit/workbooks/*.ipynb" in globs and "**/*.yaml" in globs and "**/*.csv" in globs


def test_settings_fall_back_to_the_kit_only_when_the_folder_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pbp_facilitate.settings import kit_folder, load_settings

    monkeypatch.chdir(tmp_path)
    s = load_settings(environ={})
    assert s.workbooks_dir == kit_folder("workbooks_dir")
    assert s.surveys_dir == kit_folder("surveys_dir")
    (tmp_path / "workbooks").mkdir()
    s = load_settings(environ={})
    assert s.workbooks_dir == Path("workbooks") and s.surveys_dir == kit_folder("surveys_dir")
    # an explicit folder is never replaced, even when it does not exist (its own error says so)
    s = load_settings(environ={"PBP_SURVEYS_DIR": "nowhere"})
    assert s.surveys_dir == Path("nowhere")


def test_pbp_init_makes_a_working_folder_and_commands_use_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for k in list(os.environ):
        if k.startswith("PBP_"):
            monkeypatch.delenv(k)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    res = runner.invoke(cli, ["init", "eastside"])
    assert res.exit_code == 0, res.output
    folder = tmp_path / "eastside"
    assert (folder / "workbooks" / "facilitate.ipynb").is_file()
    assert (folder / "surveys" / "visioning.yaml").is_file()
    assert (folder / "data").is_dir() and (folder / "outputs").is_dir()
    assert "pbp demo" in (folder / "README.md").read_text(encoding="utf-8")
    assert not (folder / "workbooks" / "conftest.py").exists()
    monkeypatch.chdir(folder)
    res = runner.invoke(cli, ["demo", "--no-serve"])
    assert res.exit_code == 0, res.output
    assert (folder / "data" / "pbp.sqlite3").is_file()
    # a second init on a folder that is not empty: an error, nothing overwritten
    (folder / "surveys" / "visioning.yaml").write_text("mine", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(cli, ["init", "eastside"])
    assert res.exit_code == 1 and "not an empty folder" in res.output
    assert (folder / "surveys" / "visioning.yaml").read_text(encoding="utf-8") == "mine"
