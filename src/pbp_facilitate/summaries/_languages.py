"""Which languages a summary is made in (light: the batch decides this before any rendering)."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import ConfigError
from ..i18n import STRINGS

__all__ = ["parse_languages"]


def parse_languages(languages: str | Sequence[str], offered: Sequence[str]) -> list[str]:
    """The summary's languages: ``""`` or ``"all"`` means the session's, else a comma list.

    Raises
    ------
    ConfigError
        For a language the catalogue does not have.
    """
    if isinstance(languages, str):
        items = [x.strip() for x in languages.split(",") if x.strip()]
    else:
        items = [str(x) for x in languages]
    if not items or items == ["all"]:
        items = [x for x in offered if x in STRINGS] or ["en"]
    bad = [x for x in items if x not in STRINGS]
    if bad:
        raise ConfigError(
            f"Summary language {bad[0]!r} is not in the catalogue; expected one of "
            f"{', '.join(sorted(STRINGS))} or 'all' (every language the session offers)."
        )
    return list(dict.fromkeys(items))
