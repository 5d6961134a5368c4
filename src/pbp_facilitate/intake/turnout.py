"""Ballots against the people seen in the room: the signal a facilitator sees while voting.

Participants have no accounts, so one person with several browsers or phones can cast several
ballots; the server bounds how fast (:mod:`pbp_facilitate.intake.admission`) but cannot tell.
What it can do is compare: a round's ballots against the people seen in the session before the
round opened (:meth:`pbp_facilitate.store.Store.round_turnout`), or against a headcount the
facilitator typed in. The voting panel and ``GET /pbp/api/voting/<rid>/totals`` both show it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..i18n import gettext, ngettext

__all__ = ["turnout_signal"]


def turnout_signal(
    turnout: Mapping[str, int], headcount: int | None = None, lang: str = "en"
) -> dict[str, Any]:
    """Return the round's turnout with the facilitator's warning (None when nothing is odd).

    Parameters
    ----------
    turnout : mapping
        ``{"voters", "people_seen", "voters_unseen"}`` from ``Store.round_turnout``.
    headcount : int, optional
        People the facilitator counted in the room (0 or None: not counted). When given, it is
        the reference; otherwise the people seen before the round are.
    lang : str
        Language of the warning.

    Returns
    -------
    dict
        ``{"voters", "people_seen", "voters_unseen", "headcount", "over_seen",
        "over_headcount", "over", "warning"}``: ``over`` is true when the ballots exceed the
        reference; ``warning`` is the text to show then.

    Examples
    --------
    >>> got = turnout_signal({"voters": 5, "people_seen": 3, "voters_unseen": 2})
    >>> got["over"], got["warning"].split(":")[0]
    (True, 'More ballots than people seen')
    >>> turnout_signal({"voters": 5, "people_seen": 3, "voters_unseen": 2}, 6)["over"]
    False
    """
    voters = int(turnout.get("voters", 0))
    seen = int(turnout.get("people_seen", 0))
    unseen = int(turnout.get("voters_unseen", 0))
    counted = int(headcount) if headcount and int(headcount) > 0 else None
    over_seen = voters > seen
    over_head = counted is not None and voters > counted
    over = over_head if counted is not None else over_seen
    parts: list[str] = []
    if over:
        if counted is not None:
            parts.append(ngettext(lang, "panels.vote_over_headcount", counted))
        else:
            parts.append(ngettext(lang, "panels.vote_over_seen", seen))
        if unseen:
            parts.append(ngettext(lang, "panels.vote_unseen", unseen))
        parts.append(gettext(lang, "panels.vote_devices"))
    return {
        "voters": voters,
        "people_seen": seen,
        "voters_unseen": unseen,
        "headcount": counted,
        "over_seen": over_seen,
        "over_headcount": over_head,
        "over": over,
        "warning": " ".join(parts) if parts else None,
    }
