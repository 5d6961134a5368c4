"""``pbp serve`` as a real process: Voilà for facilitators (token), intake for participants,
culling.
"""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import nbformat
import psutil
import pytest
from support import PBP, ROOT, Served

from pbp_facilitate.store import Store
from pbp_facilitate.surveys import load_survey

TOKEN = "serve-test-token-42-0123456789abcdef"
ENV_TOKEN = "from-env-token-77-0123456789abcdef"


def write_workbook(folder: Path) -> None:
    """A tiny facilitator workbook that shows what its kernel was given."""
    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import os\nprint('DBURL=' + os.environ.get('PBP_DATABASE_URL', 'missing'))\n"
            "print('PUBLIC=' + os.environ.get('PBP_PUBLIC_URL', 'missing'))"
        )
    ]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, str(folder / "facilitate.ipynb"))


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    cwd = tmp_path_factory.mktemp("serve")
    write_workbook(cwd / "workbooks")
    with Store(f"sqlite:///{cwd / 'pbp.sqlite3'}") as store:
        sess = store.create_session(
            load_survey(ROOT / "surveys" / "visioning.yaml"), "Served", code="SRV234"
        )
    served = Served(["--token", TOKEN, "--cull-idle-timeout", "3", "--cull-interval", "1"], cwd)
    deadline = time.monotonic() + 60  # let the preheated pool fill, so kernel counts are stable
    while time.monotonic() < deadline:
        status = httpx.get(
            f"{served.base}/pbp/api/status", headers={"Authorization": f"token {TOKEN}"}
        ).json()
        if status["pooled_kernels"] >= 1 and status["busy_kernels"] == 0:
            break
        time.sleep(0.3)
    try:
        yield {"served": served, "cwd": cwd, "session": sess}
    finally:
        served.stop()


def test_banner_prints_both_urls(room: dict[str, Any]) -> None:
    s: Served = room["served"]
    assert (
        f"Facilitator (keep private): "
        f"http://127.0.0.1:{s.port}/voila/render/facilitate.ipynb?token={TOKEN}" in s.banner
    )
    assert f"Participants join at:       http://127.0.0.1:{s.port}/join" in s.banner
    assert "every network interface" not in s.banner  # 127.0.0.1 by default
    assert "phones cannot join" in s.banner  # ... which no phone can reach (issue 18)
    assert "shut down after 3 s" in s.banner


def test_participants_need_no_token_and_get_no_kernel(room: dict[str, Any]) -> None:
    s: Served = room["served"]
    with httpx.Client(base_url=s.base, timeout=30) as c:
        before = c.get("/pbp/api/status", headers={"Authorization": f"token {TOKEN}"}).json()[
            "kernels"
        ]
        assert c.get("/join").status_code == 200
        page = c.get("/s/SRV234")
        assert page.status_code == 200 and "Imagine our community" in page.text
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
        r = c.post("/s/SRV234", data={**fields, "text": "served idea"})
        assert r.status_code == 303
        after = c.get("/pbp/api/status", headers={"Authorization": f"token {TOKEN}"}).json()[
            "kernels"
        ]
        assert after == before
    with Store(f"sqlite:///{room['cwd'] / 'pbp.sqlite3'}") as store:
        assert [x.text for x in store.list_submissions(room["session"].id)] == ["served idea"]


def test_workbooks_need_the_token_and_kernels_get_the_database(room: dict[str, Any]) -> None:
    s: Served = room["served"]
    with httpx.Client(base_url=s.base, timeout=60) as c:
        for path in ("/voila/render/facilitate.ipynb", "/voila/tree", "/pbp/sessions/1/poster"):
            r = c.get(path, follow_redirects=False)
            assert r.status_code == 302 and "/login" in r.headers["location"], path
        assert c.get("/pbp/api/sessions").status_code == 403
        # Voilà's own routes that reach notebooks or kernels are facilitator-only too
        kid = "00000000-0000-0000-0000-000000000000"
        for path in (
            "/voila/files/facilitate.ipynb",
            f"/api/kernels/{kid}",
            "/voila/api/contents/",
        ):
            assert c.get(path).status_code == 403, path
        assert c.post(f"/voila/api/shutdown/{kid}").status_code == 403
        assert (
            c.get("/voila/static/voila.js").status_code == 200
        )  # static assets (for the login page)
        r = c.get("/voila/render/facilitate.ipynb", params={"token": TOKEN})
        assert r.status_code == 200
        db = (room["cwd"] / "pbp.sqlite3").resolve()
        assert f"DBURL=sqlite:///{db}" in r.text
        assert f"PUBLIC=http://127.0.0.1:{s.port}" in r.text
        # the login cookie now opens the API too, as in Jupyter
        assert c.get("/pbp/api/sessions").status_code == 200


def test_idle_kernels_are_culled(room: dict[str, Any]) -> None:
    s: Served = room["served"]
    headers = {"Authorization": f"token {TOKEN}"}
    with httpx.Client(base_url=s.base, timeout=60, headers=headers) as c:
        # open the dashboard (a kernel starts) and "close the tab" (never connect its websocket)
        assert c.get("/voila/render/facilitate.ipynb").status_code == 200
        status = c.get("/pbp/api/status").json()
        assert status["cull_idle_timeout"] == 3 and status["busy_kernels"] >= 1
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and status["busy_kernels"] > 0:
            time.sleep(0.5)
            status = c.get("/pbp/api/status").json()
        assert status["busy_kernels"] == 0, status


def test_sigterm_stops_server_and_kernels(tmp_path: Path) -> None:
    write_workbook(tmp_path / "workbooks")
    s = Served(["--token", TOKEN], tmp_path)
    with httpx.Client(base_url=s.base, timeout=60) as c:
        assert c.get("/voila/render/facilitate.ipynb", params={"token": TOKEN}).status_code == 200
    kids = psutil.Process(s.proc.pid).children(recursive=True)
    assert kids, "a kernel process should be running"
    assert s.stop() == 0
    gone, alive = psutil.wait_procs(kids, timeout=15)
    assert not alive, f"kernels left behind: {alive}"


def test_token_from_environment_and_wifi_warning(tmp_path: Path) -> None:
    (tmp_path / "workbooks").mkdir()
    s = Served(["--ip", "0.0.0.0", "--no-preheat"], tmp_path, env={"PBP_TOKEN": ENV_TOKEN})
    try:
        assert "WARNING: listening on every network interface" in s.banner
        assert f"/voila/tree?token={ENV_TOKEN}" in s.banner  # no facilitate.ipynb: the tree
        ok = httpx.get(f"{s.base}/pbp/api/status", headers={"Authorization": f"token {ENV_TOKEN}"})
        assert ok.status_code == 200
        bad = httpx.get(f"{s.base}/pbp/api/status", headers={"Authorization": f"token {TOKEN}"})
        assert bad.status_code == 403
    finally:
        s.stop()


def test_generated_token_and_busy_port(tmp_path: Path) -> None:
    (tmp_path / "workbooks").mkdir()
    s = Served(["--no-preheat"], tmp_path)
    try:
        token = re.search(r"\?token=([0-9a-f]+)\n", s.banner).group(1)
        assert len(token) == 48
        with httpx.Client(base_url=s.base, timeout=30) as c:
            assert (
                c.get("/pbp/api/status", headers={"Authorization": f"token {token}"}).status_code
                == 200
            )
        r = subprocess.run(
            [
                PBP,
                "--db",
                f"sqlite:///{tmp_path / 'x.sqlite3'}",
                "serve",
                "--port",
                str(s.port),
                "--no-browser",
                "--workbooks",
                str(tmp_path / "workbooks"),
            ],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp_path,
        )
        assert r.returncode == 1
        assert f"Could not listen on 127.0.0.1:{s.port}" in r.stderr and "--port" in r.stderr
    finally:
        s.stop()


def test_missing_workbooks_folder_is_a_clear_error(tmp_path: Path) -> None:
    r = subprocess.run(
        [
            PBP,
            "--db",
            f"sqlite:///{tmp_path / 'x.sqlite3'}",
            "serve",
            "--no-browser",
            "--workbooks",
            str(tmp_path / "nope"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 1 and "Workbooks folder" in r.stderr and "does not exist" in r.stderr


def test_password_login_as_well_as_token(tmp_path: Path) -> None:
    from jupyter_server.auth import passwd

    (tmp_path / "workbooks").mkdir()
    s = Served(
        ["--no-preheat", "--token", TOKEN, "--password-hash", passwd("room-pass-9")], tmp_path
    )
    try:
        with httpx.Client(base_url=s.base, timeout=30) as c:
            c.get("/login")  # the login form sets the _xsrf cookie
            xsrf = c.cookies["_xsrf"]
            bad = c.post(
                "/login", data={"password": "wrong", "_xsrf": xsrf}, follow_redirects=False
            )
            assert bad.status_code != 302 and c.get("/pbp/api/status").status_code == 403
            ok = c.post(
                "/login",
                data={"password": "room-pass-9", "_xsrf": xsrf, "next": "/voila/tree"},
                follow_redirects=False,
            )
            assert ok.status_code == 302
            assert c.get("/pbp/api/status").status_code == 200
        assert (
            httpx.get(
                f"{s.base}/pbp/api/status", headers={"Authorization": f"token {TOKEN}"}
            ).status_code
            == 200
        )
    finally:
        s.stop()


def test_kernels_get_absolute_folders(tmp_path: Path) -> None:
    from pbp_facilitate.server import kernel_env
    from pbp_facilitate.settings import load_settings

    s = load_settings(
        {
            "database_url": "sqlite:///rel/pbp.sqlite3",
            "surveys_dir": "surveys",
            "outputs_dir": "outputs",
            "workbooks_dir": "workbooks",
            "data_dir": "data",
        },
        environ={},
    )
    env = kernel_env(s, public_url="http://127.0.0.1:8866", token="t" * 12)
    for key in ("PBP_SURVEYS_DIR", "PBP_OUTPUTS_DIR", "PBP_WORKBOOKS_DIR", "PBP_DATA_DIR"):
        assert Path(env[key]).is_absolute(), key
    assert env["PBP_DATABASE_URL"].startswith("sqlite:////")
