"""The one settings object: defaults, environment, overrides, clear errors."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from pbp_facilitate.errors import ConfigError, PbpError
from pbp_facilitate.settings import Settings, load_settings


def test_every_option_has_help_and_default() -> None:
    helps = Settings.option_help()
    assert set(helps) == {f.name for f in fields(Settings)}
    assert all(len(h) > 10 for h in helps.values())
    s = load_settings(environ={})
    assert s.max_text_chars == 1000 and s.max_body_bytes == 65536 and s.host == "127.0.0.1"


def test_environment_then_overrides() -> None:
    env = {
        "PBP_DATABASE_URL": "sqlite:///x.db",
        "PBP_PORT": "9000",
        "PBP_LANGUAGES": "es, en",
        "OTHER": "1",
    }
    s = load_settings({"port": 9100, "data_dir": None}, environ=env)
    assert s.database_url == "sqlite:///x.db" and s.port == 9100 and s.languages == ["es", "en"]
    assert s.data_dir == Path("data")


def test_default_database_is_sqlite_in_data_dir() -> None:
    s = load_settings({"data_dir": "/tmp/pbpdata"}, environ={})
    assert s.resolved_database_url == "sqlite:////tmp/pbpdata/pbp.sqlite3"


@pytest.mark.parametrize(
    ("env", "match"),
    [
        ({"PBP_PORT": "eighty"}, "expected a value of type int"),
        ({"PBP_MAX_TEXT_CHARS": "0"}, "at least 1"),
        ({"PBP_LANGUAGES": " , "}, "at least one language"),
    ],
)
def test_bad_values_are_clear(env: dict[str, str], match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        load_settings(environ=env)


def test_unknown_override_rejected() -> None:
    with pytest.raises(ConfigError, match="Unknown setting"):
        load_settings({"colour": "blue"}, environ={})
    assert issubclass(ConfigError, PbpError)


def test_replace_keeps_types() -> None:
    s = load_settings(environ={}).replace(port="8001")
    assert s.port == 8001
