"""Participants' groups: consented demographics only, declined answers read as "not shared".

:func:`shared_groups` gives each participant exactly one group per dimension
(or :data:`NOT_SHARED`); :func:`count_consented` is the one way the kit counts
who chose to share demographics.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ValidationError

__all__ = [
    "NOT_SHARED",
    "MORE_THAN_ONE",
    "consented_mask",
    "count_consented",
    "shared_groups",
    "group_order",
    "require_columns",
]

#: Category used for participants who did not consent or did not answer.
NOT_SHARED = "not shared"
#: Group of a participant who chose several answers of a multiple-choice question.
MORE_THAN_ONE = "more than one"

# Answers that mean "I'd rather not say" (compared case-folded), in English and Spanish.
_DECLINED = {
    "",
    "not shared",
    "prefer not to say",
    "prefer not to answer",
    "decline",
    "declined",
    "prefiero no decirlo",
    "prefiero no responder",
    "nan",
    "none",
}


def require_columns(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """Raise :class:`ValidationError` naming the ``columns`` the ``what`` table lacks."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValidationError(
            f"The {what} table has columns {list(frame.columns)}; expected also {missing}. "
            "Pass the DataFrame the store returns.",
            code="missing_column",
        )


def _is_consent(value: Any) -> bool:
    return value is True or (isinstance(value, np.bool_) and bool(value))


def consented_mask(participants: pd.DataFrame) -> pd.Series:
    """Return, per row, whether the participant consented: only a real ``True`` counts.

    ``consented`` must be the boolean ``True`` (Python or NumPy); ``1``,
    ``"yes"``, ``"True"`` or a missing value are *not* consent. Consent is the
    participant's explicit choice, so a value that merely looks true (a
    spreadsheet's ``1``, a text column, an import that went wrong) never lets
    their demographics be used; ``Series.sum()`` would count ``1.0`` and
    ``"yes"`` would raise.

    Parameters
    ----------
    participants : pandas.DataFrame
        Has a ``consented`` column (as :meth:`Store.participants_frame` returns).

    Returns
    -------
    pandas.Series
        Booleans, same index as ``participants``.
    """
    require_columns(participants, ["consented"], "participants")
    return participants["consented"].map(_is_consent).astype(bool)


def count_consented(participants: pd.DataFrame | None) -> int:
    """Return how many participants chose to share demographics (see :func:`consented_mask`).

    Parameters
    ----------
    participants : pandas.DataFrame or None
        :meth:`Store.participants_frame` output (one row per participant); an
        empty or missing table counts 0.

    Returns
    -------
    int
    """
    if participants is None or len(participants) == 0:
        return 0
    return int(consented_mask(participants).sum())


def shared_groups(participants: pd.DataFrame, dimension: str) -> pd.Series:
    """Each participant's group on ``dimension``, or :data:`NOT_SHARED`.

    A participant counts as "not shared" when ``consented`` is not ``True``
    (whatever the value says), when the value is missing or blank, or when
    it is "Prefer not to say". Nothing is guessed. A dimension the table has
    no column for means nobody shared it. For a multiple-choice question a
    list with one answer counts as that answer and a list with several as
    :data:`MORE_THAN_ONE`, so each person is in exactly one group (the
    totals that disclosure control relies on stay true).

    Parameters
    ----------
    participants : pandas.DataFrame
        ``participant_key``, ``consented`` and one column per dimension.
    dimension : str
        Column to read.

    Returns
    -------
    pandas.Series
        Indexed by ``participant_key`` (first row kept for duplicated keys),
        values are group strings or :data:`NOT_SHARED`.
    """
    if participants is None or len(participants) == 0:
        return pd.Series(
            [], index=pd.Index([], name="participant_key"), dtype=object, name=dimension
        )
    require_columns(participants, ["participant_key", "consented"], "participants")
    p = participants.drop_duplicates("participant_key", keep="first")
    consented = consented_mask(p)
    if dimension in p.columns:
        raw = p[dimension]
    else:
        raw = pd.Series([None] * len(p), index=p.index)

    def _clean(v: Any) -> str:
        if isinstance(v, list | tuple | set | np.ndarray):
            items = sorted({c for c in (_clean(x) for x in v) if c != NOT_SHARED})
            if not items:
                return NOT_SHARED
            return items[0] if len(items) == 1 else MORE_THAN_ONE
        if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
            return NOT_SHARED
        text = str(v).strip()
        return NOT_SHARED if text.casefold() in _DECLINED else text

    values = [(_clean(v) if ok else NOT_SHARED) for v, ok in zip(raw, consented, strict=True)]
    return pd.Series(
        values,
        index=pd.Index(p["participant_key"].astype(str), name="participant_key"),
        dtype=object,
        name=dimension,
    )


def group_order(observed: Iterable[str], preferred: Sequence[str] | None) -> list[str]:
    """Return ``preferred`` groups, then the other observed ones sorted (never "not shared")."""
    obs = [g for g in dict.fromkeys(observed) if g != NOT_SHARED]
    order = list(preferred or [])
    order += sorted(g for g in obs if g not in order)
    return order
