"""The one settings object.

Every option of the kit lives here with its default and help text. Values
come from (in rising priority) the defaults, environment variables named
``PBP_<FIELD>`` (e.g. ``PBP_DATABASE_URL``) and explicit overrides (the CLI
passes its flags as overrides). No other module reads the environment. When
``surveys_dir`` / ``workbooks_dir`` are not set and ``./surveys`` / ``./workbooks``
do not exist, the folders shipped inside the package are used (:func:`kit_folder`).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import ConfigError

__all__ = ["Settings", "load_settings", "ENV_PREFIX", "kit_folder"]

ENV_PREFIX = "PBP_"


def _opt(default: Any, help: str, **kw: Any) -> Any:  # noqa: A002 - "help" mirrors click/traitlets
    if isinstance(default, list | dict):
        return field(default_factory=lambda d=default: type(d)(d), metadata={"help": help, **kw})
    return field(default=default, metadata={"help": help, **kw})


@dataclass(frozen=True)
class Settings:
    """All options of pbp-facilitate, each with a default and help text.

    Use :func:`load_settings` to build one from the environment plus
    overrides; construct directly in tests.
    """

    data_dir: Path = _opt(
        Path("data"), "Folder for the default SQLite database and other local data."
    )
    database_url: str = _opt(
        "",
        "SQLAlchemy URL of the store, e.g. sqlite:///data/pbp.sqlite3 or "
        "postgresql+psycopg://user@127.0.0.1/pbp. Empty means a SQLite file in data_dir.",
    )
    surveys_dir: Path = _opt(Path("surveys"), "Folder holding survey definitions (YAML).")
    workbooks_dir: Path = _opt(Path("workbooks"), "Folder holding the facilitator workbooks.")
    outputs_dir: Path = _opt(Path("outputs"), "Folder where summaries are written.")
    host: str = _opt("127.0.0.1", "Interface `pbp serve` listens on (0.0.0.0 for a room's Wi-Fi).")
    port: int = _opt(8866, "Port `pbp serve` listens on.")
    public_url: str = _opt(
        "",
        "Base URL participants use to reach the server (for join links and QR codes). "
        "Empty means http://<host>:<port>.",
    )
    token: str = _opt("", "Facilitator token; generated at start when empty.")
    languages: list[str] = _opt(
        ["en", "es"], "Languages offered to participants, first is the default."
    )
    max_text_chars: int = _opt(
        1000, "Longest idea a participant may submit, in characters after NFC normalisation."
    )
    import_max_text_chars: int = _opt(
        10000,
        "Longest answer `pbp import` keeps from a survey export or notes, in characters after "
        "NFC normalisation (separate from max_text_chars, the live form's limit); longer answers "
        "are skipped and reported, never cut.",
    )
    max_body_bytes: int = _opt(
        65536, "Largest request body accepted by participant pages; larger gets 413."
    )
    server_max_body_bytes: int = _opt(
        1 << 20,
        "Largest request body `pbp serve` reads on any route (facilitator API, login, Voilà), "
        "checked from Content-Length before anything is read or authenticated; larger is "
        "refused. Participant pages keep their own, smaller max_body_bytes.",
    )
    body_timeout_s: float = _opt(
        30.0,
        "How long `pbp serve` waits for a request body to arrive, in seconds; a slower sender "
        "is disconnected (nothing of its body is kept).",
    )
    idle_connection_timeout_s: float = _opt(
        75.0,
        "How long an idle keep-alive connection (and one that has not sent its headers yet) "
        "stays open, in seconds. Open dashboard websockets are not affected.",
    )
    rate_per_key_per_minute: int = _opt(30, "Submissions one participant may send per minute.")
    rate_per_ip_per_minute: int = _opt(
        3000, "Ceiling of submissions per minute from one IP address (a room shares one)."
    )
    code_misses_per_minute: int = _opt(
        120,
        "Unknown session codes one IP address may try per minute before it is asked to wait "
        "(slows code guessing; a room's typos stay far below it).",
    )
    login_failures_per_minute: int = _opt(
        10, "Failed facilitator logins one IP address may make per minute before it must wait."
    )
    # -- admission of newcomers (intake/admission.py); 0 turns a limit off --------------------
    new_keys_per_ip_per_minute: int = _opt(
        600,
        "New participant keys (a phone opening a session page without its key) one IP address "
        "is handed per minute; over it the page asks to wait a few seconds. Phones that already "
        "hold a key are never affected. 0 turns the limit off.",
    )
    session_new_key_ideas_per_ip_per_minute: int = _opt(
        1200,
        "Ideas per minute one IP address may send to one session from keys handed out less "
        "than a minute ago (300 people x 3 ideas fit); older keys have only the per-key and "
        "per-IP limits. 0 turns the limit off.",
    )
    round_new_ballots_per_ip_per_minute: int = _opt(
        450,
        "First ballots (not changed ones) one IP address may cast in one voting round per "
        "minute (a room of 300 voting at once fits). 0 turns the limit off.",
    )
    round_new_ballots_per_minute: int = _opt(
        3000,
        "First ballots one voting round accepts per minute from all addresses together (far "
        "above any room). 0 turns the limit off.",
    )
    busy_timeout_ms: int = _opt(
        30000, "How long a SQLite writer waits for the lock before giving up."
    )
    small_count: int = _opt(
        5, "Counts below this are shown as '<N' in breakdowns (disclosure control)."
    )
    poll_interval_s: float = _opt(
        0.5,
        "How often live dashboards poll the store, in seconds (an idle poll is one cheap query "
        "and sends nothing to the browser).",
    )
    theme_refit_interval_s: float = _opt(
        4.0, "Shortest time between two live theme refits, in seconds."
    )
    cull_idle_timeout_s: int = _opt(
        600, "Idle facilitator kernels are shut down after this many seconds."
    )
    closed_tab_timeout_s: int = _opt(
        90,
        "A facilitator kernel is shut down this many seconds after its last browser tab closed "
        "without the page's own shutdown request (a crashed browser), unless the tab reconnects "
        "meanwhile; likewise a kernel handed to a page that never connected; 0 leaves it to the "
        "idle rule.",
    )
    fit_url: str = _opt(
        "",
        "Where live dashboards ask for theme refits and edits: the `pbp serve` that started "
        "their kernel (it sets this for its kernels, a loopback URL), which fits once for every "
        "screen. Empty means the dashboard fits in its own process (papermill, JupyterLab).",
    )
    dots_per_participant: int = _opt(
        3, "Default number of dots each participant may spread in a voting round."
    )
    page_cache_s: float = _opt(
        1.0,
        "How long participant pages may reuse a session's prompts and voting state before "
        "re-reading them, in seconds (0 = always re-read). Submissions always check the live "
        "state.",
    )
    # -- pbp serve --workers N (docs/deploy.md) --
    workers: int = _opt(
        1,
        "Processes serving the participant pages and the facilitator API on `port` (2 or more "
        "need PostgreSQL; the dashboards then run in the main process on dashboard_port).",
    )
    dashboard_port: int = _opt(
        0, "Port of the dashboards (Voila, login) when workers > 1; 0 means port + 1."
    )
    behind_proxy: bool = _opt(
        False,
        "Take each client's address from the X-Real-IP / X-Forwarded-For headers a reverse "
        "proxy sets (for the per-address limits). Only behind a proxy, listening on 127.0.0.1: "
        "any client reaching the port directly could set them.",
    )
    dashboard_language: str = _opt(
        "en",
        "Language of the facilitator dashboards' own words (buttons, tabs, status lines): "
        "en (English) or es (Spanish).",
    )

    @classmethod
    def option_help(cls) -> dict[str, str]:
        """Return ``{option name: help text}`` for every option."""
        return {f.name: f.metadata["help"] for f in fields(cls)}

    @property
    def resolved_database_url(self) -> str:
        """The database URL to use, defaulting to a SQLite file in ``data_dir``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(Path(self.data_dir) / 'pbp.sqlite3').as_posix()}"

    def replace(self, **changes: Any) -> Settings:
        """Return a copy with ``changes`` applied (values are converted like env values)."""
        return _build({**dataclasses.asdict(self), **changes})


def _convert(name: str, raw: Any, ftype: Any) -> Any:
    if raw is None:
        raise ConfigError(f"Setting {name!r} got None; give a value or leave it unset.")
    try:
        if ftype in (Path, "Path"):
            return Path(raw)
        if ftype in (int, "int"):
            return int(raw)
        if ftype in (float, "float"):
            return float(raw)
        if ftype in (bool, "bool"):
            return _to_bool(name, raw)
        if ftype in ("list[str]",):
            if isinstance(raw, str):
                return [p.strip() for p in raw.split(",") if p.strip()]
            return [str(p) for p in raw]
        return str(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(
            f"Setting {name!r} expected a value of type {ftype}, got {raw!r}; "
            f"set {ENV_PREFIX}{name.upper()} or the matching CLI option to a valid value."
        ) from exc


def _to_bool(name: str, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name}: {raw!r} is not a yes/no value")


def _build(values: Mapping[str, Any]) -> Settings:
    known = {f.name: f for f in fields(Settings)}
    unknown = set(values) - set(known)
    if unknown:
        raise ConfigError(f"Unknown setting(s) {sorted(unknown)}; expected one of {sorted(known)}.")
    kwargs = {k: _convert(k, v, known[k].type) for k, v in values.items()}
    s = Settings(**kwargs)
    if not s.languages:
        raise ConfigError(
            "Setting 'languages' is empty; expected at least one language code such as 'en'."
        )
    if s.max_text_chars < 1:
        raise ConfigError(f"Setting 'max_text_chars' must be at least 1, got {s.max_text_chars}.")
    if s.import_max_text_chars < 1:
        raise ConfigError(
            f"Setting 'import_max_text_chars' must be at least 1, got {s.import_max_text_chars}."
        )
    if s.dashboard_language not in ("en", "es"):
        raise ConfigError(
            f"Setting 'dashboard_language' must be 'en' or 'es', got {s.dashboard_language!r}; "
            f"set {ENV_PREFIX}DASHBOARD_LANGUAGE to en or es."
        )
    return s


def load_settings(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Build settings from defaults, ``PBP_*`` environment variables and overrides.

    Parameters
    ----------
    overrides : mapping, optional
        Values that win over the environment (``None`` values are ignored, so
        CLI options left unset fall through).
    environ : mapping, optional
        Environment to read; defaults to :data:`os.environ`.

    Returns
    -------
    Settings
    """
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for f in fields(Settings):
        key = ENV_PREFIX + f.name.upper()
        if key in env and env[key] != "":
            values[f.name] = env[key]
    for k, v in (overrides or {}).items():
        if v is not None:
            values[k] = v
    for name in _KIT_FOLDERS:
        if name not in values and not Path(_DEFAULT_FOLDERS[name]).is_dir():
            values[name] = kit_folder(name)
    return _build(values)


_KIT_FOLDERS = ("surveys_dir", "workbooks_dir")
_DEFAULT_FOLDERS = {f.name: f.default for f in fields(Settings) if f.name in _KIT_FOLDERS}


def kit_folder(name: str) -> Path:
    """The folder the kit ships for option ``name`` (``"surveys_dir"`` or ``"workbooks_dir"``).

    :func:`load_settings` falls back to it when the option is not set and the default folder
    (``./surveys``, ``./workbooks``) does not exist here, so ``pbp`` installed from a wheel works
    from any folder; ``pbp init`` copies these folders to customise.
    """
    from importlib import resources

    sub = {"surveys_dir": "surveys", "workbooks_dir": "workbooks"}[name]
    return Path(str(resources.files("pbp_facilitate").joinpath("kit", sub)))
