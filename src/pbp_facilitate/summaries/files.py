"""Summary files on disk: atomic writes, session folders, and the stamp that says a summary is
up to date."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from ..errors import ConfigError

__all__ = [
    "NOTEBOOK_NAME",
    "HTML_NAME",
    "STAMP_NAME",
    "FAILED_NAME",
    "atomic_write",
    "temp_path",
    "clean_stale_temps",
    "session_folder",
    "template_digest",
    "is_up_to_date",
    "html_name",
    "notebook_name",
]

NOTEBOOK_NAME = "summary.ipynb"
HTML_NAME = "summary.html"
STAMP_NAME = ".summary-stamp.json"
FAILED_NAME = "summary.failed.ipynb"
_TMP_PREFIX = ".tmp."


def html_name(lang: str) -> str:
    """``summary.<lang>.html``: one page per language (``summary.html`` is the first's copy)."""
    return f"summary.{lang}.html"


def notebook_name(lang: str) -> str:
    """``summary.<lang>.ipynb``: the executed notebook showing only that language."""
    return f"summary.{lang}.ipynb"


def temp_path(path: Path) -> Path:
    # ".tmp.<pid>.<random>.<name>": hidden, keeps the extension papermill checks, names its writer.
    return path.with_name(f"{_TMP_PREFIX}{os.getpid()}.{secrets.token_hex(4)}.{path.name}")


def atomic_write(path: str | Path, data: bytes | str | Callable[[Path], None]) -> Path:
    """Write ``data`` to ``path`` atomically: a temporary file in the same folder, fsync, rename.

    Readers see the old file or the new one, never a part. If anything fails
    (or the process is interrupted) the temporary file is removed.

    Parameters
    ----------
    path : str or Path
        Final location; its folder is created when missing.
    data : bytes, str or callable
        Content (``str`` is written as UTF-8), or a function that writes the
        temporary file whose path it is given.

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(path)
    try:
        if callable(data):
            data(tmp)
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
        else:
            payload = data.encode("utf-8") if isinstance(data, str) else data
            with open(tmp, "wb") as fh:
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale_temps(folder: Path) -> int:
    """Remove temporary files left in ``folder`` by runs that were killed; return how many."""
    n = 0
    if not folder.is_dir():
        return 0
    for p in [*folder.glob(f"{_TMP_PREFIX}*"), *folder.glob(f"wordclouds/{_TMP_PREFIX}*")]:
        try:
            pid = int(p.name.split(".")[2])
        except (IndexError, ValueError):
            continue
        if pid != os.getpid() and not _pid_alive(pid):
            p.unlink(missing_ok=True)
            n += 1
    return n


def session_folder(out_dir: str | Path, code: str) -> Path:
    """Return ``<out_dir>/<session-code>`` (the code is checked to be a plain name)."""
    if not code or any(c in code for c in "/\\\0") or code in (".", ".."):
        raise ConfigError(
            f"Session code {code!r} cannot name a folder; expected letters and digits."
        )
    return Path(out_dir) / code


def template_digest(template: str | Path) -> str:
    """SHA-256 of the template, the kit's code and the kit's version.

    A new template, any change to the kit's source (the report sections, the
    theme engine, the string catalogue ...) or a new kit version makes every
    summary out of date.
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        kit = version("pbp-facilitate")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        kit = "0"
    h = hashlib.sha256(Path(template).read_bytes())
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode())
        h.update(path.read_bytes())
    h.update(kit.encode())
    return h.hexdigest()


def is_up_to_date(
    folder: str | Path, updated_at: str, digest: str, languages: tuple[str, ...] | None = None
) -> bool:
    """True when ``folder`` holds both outputs, made from data as of ``updated_at`` with template
    ``digest`` (and, when given, in exactly ``languages``, each page present).
    """
    folder = Path(folder)
    try:
        stamp = json.loads((folder / STAMP_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        stamp.get("updated_at") == updated_at
        and stamp.get("template") == digest
        and (folder / NOTEBOOK_NAME).is_file()
        and (folder / HTML_NAME).is_file()
        and (
            languages is None
            or (
                list(stamp.get("languages") or []) == list(languages)
                and all((folder / html_name(x)).is_file() for x in languages)
            )
        )
    )
