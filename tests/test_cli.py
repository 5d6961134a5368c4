"""The pbp command line: exit codes, --json, -h, the database option, python -m."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pbp_facilitate.cli import cli

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def run(tmp_path: Path):  # type: ignore[no-untyped-def]
    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"

    def _run(*args: str):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)

    return _run


def test_help_everywhere(run) -> None:  # type: ignore[no-untyped-def]
    for args in ([], ["session"], ["session", "create"], ["import"], ["export"], ["demo"]):
        res = run(*args, "-h")
        assert res.exit_code == 0 and "Usage:" in res.output, args


def test_session_create_list_show(run) -> None:  # type: ignore[no-untyped-def]
    res = run(
        "session",
        "create",
        "--survey",
        str(ROOT / "surveys/visioning.yaml"),
        "--title",
        "Eastside",
        "--json",
    )
    assert res.exit_code == 0, res.output
    made = json.loads(res.output)
    assert set(made) == {"code", "id"} and len(made["code"]) == 6
    listed = json.loads(run("session", "list", "--json").output)
    assert [s["code"] for s in listed] == [made["code"]] and listed[0]["submissions"] == 0
    text = run("session", "list").output
    assert made["code"] in text and "Eastside" in text
    shown = json.loads(run("session", "show", made["code"].lower(), "--json").output)
    assert [p["key"] for p in shown["prompts"]] == ["vision", "barriers", "assets", "priorities"]


def test_user_errors_exit_1_usage_errors_exit_2(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    res = run("session", "show", "NOPE42")
    assert res.exit_code == 1 and "Error: No session 'NOPE42'" in res.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("key: x\nprompts: nope\n", encoding="utf-8")
    res = run("session", "create", "--survey", str(bad), "--title", "T")
    assert res.exit_code == 1 and "Error:" in res.output and "bad.yaml" in res.output
    assert run("session", "create", "--title", "T").exit_code == 2
    assert run("frobnicate").exit_code == 2


def test_demo_json_without_serving(run) -> None:  # type: ignore[no-untyped-def]
    res = run("demo", "--no-serve", "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["session"]["code"] == "DEMO26"
    assert 150 <= data["submissions"] <= 180 and data["hidden"] == 1  # form ideas + a survey
    assert set(data["languages"]) == {"en", "es"} and data["consented"] > 10
    again = json.loads(run("demo", "--no-serve", "--json").output)  # reuses, does not duplicate
    assert again["submissions"] == data["submissions"]


def test_database_from_environment(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'env.sqlite3'}"
    env = {"PBP_DATABASE_URL": db}
    res = CliRunner().invoke(
        cli,
        [
            "session",
            "create",
            "--survey",
            str(ROOT / "surveys/town-hall.yaml"),
            "--title",
            "Town hall",
            "--json",
        ],
        env=env,
    )
    assert res.exit_code == 0, res.output
    assert (tmp_path / "env.sqlite3").exists()


def test_python_dash_m(tmp_path: Path) -> None:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pbp_facilitate",
            "--db",
            f"sqlite:///{tmp_path / 'm.sqlite3'}",
            "session",
            "list",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == []


def test_themes_from_file_json(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ideas = [
        "More buses at night",
        "Buses every ten minutes",
        "Bus stops with shelters",
        "Fix the streetlights",
        "Streetlights are broken on our block",
        "Brighter streetlights please",
        "Free after-school programs",
        "After-school tutoring for kids",
        "After-school sports for teens",
    ]
    f = tmp_path / "ideas.txt"
    f.write_text("\n".join(ideas) + "\n\n", encoding="utf-8")
    res = run("themes", "--file", str(f), "--json", "--n-themes", "3")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert set(data) == {"labels", "themes"} and len(data["labels"]) == len(ideas)
    assert len(data["themes"]) == 3
    assert all(th["label"] and th["size"] >= 1 for th in data["themes"])
    assert sum(th["size"] for th in data["themes"]) == sum(1 for v in data["labels"] if v >= 0)


def test_themes_of_a_session_and_usage(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("demo", "--no-serve", "--json")
    res = run("themes", "DEMO26")
    assert res.exit_code == 0, res.output
    from pbp_facilitate.demo import demo_ideas
    from pbp_facilitate.store import Store

    with Store(f"sqlite:///{tmp_path / 'cli.sqlite3'}") as store:
        imported = sum(1 for s in store.list_submissions(store.get_session("DEMO26").id)
                       if s.source != "form")  # fmt: skip
    assert imported > 0  # the demo's survey export
    assert (
        f"themes from {len(demo_ideas()) + imported} ideas" in res.output
    )  # the hidden spam idea is left out
    assert run("themes").exit_code == 2


def test_goals_check_text_json_and_file(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = (
        "By June 2028, cut chronic absence among Black students from 30% to 15%, reported by race."
    )
    res = run("goals", "check", good)
    assert res.exit_code == 0 and "PASS" in res.output
    data = json.loads(run("goals", "check", "--json", "Improve outcomes for everyone").output)
    assert set(data) == {"text", "is_goal", "criteria", "rewrite"}
    assert set(data["criteria"]) == {
        "specific",
        "measurable",
        "achievable",
        "relevant",
        "time_bound",
        "equity",
    }
    assert data["criteria"]["measurable"]["passed"] is False
    f = tmp_path / "goals.txt"
    f.write_text(f"{good}\n\nMejorar la comunidad\n", encoding="utf-8")
    lines = run("goals", "check", "--file", str(f)).output.strip().splitlines()
    assert [json.loads(x)["text"] for x in lines] == [good, "Mejorar la comunidad"]
    assert run("goals", "check").exit_code == 2
