"""The vote matrix: participants x ideas, 1 agree, -1 disagree, 0 pass, NaN not seen."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import ValidationError

__all__ = ["VoteMatrix", "vote_matrix", "AGREE", "DISAGREE", "PASS"]

AGREE, DISAGREE, PASS = 1, -1, 0
_VALUES = {AGREE, DISAGREE, PASS}


@dataclass(frozen=True)
class VoteMatrix:
    """Reactions as a dense matrix.

    Attributes
    ----------
    participants : tuple
        Row labels (participant ids, as the data came).
    ideas : tuple
        Column labels (idea ids).
    values : numpy.ndarray
        ``float`` array ``(len(participants), len(ideas))``: 1 agree, -1 disagree, 0 pass, NaN
        for an idea the participant did not react to.
    """

    participants: tuple[Hashable, ...]
    ideas: tuple[Hashable, ...]
    values: np.ndarray

    @property
    def n_votes(self) -> int:
        """How many reactions the matrix holds (passes included)."""
        return int(np.count_nonzero(~np.isnan(self.values)))


def vote_matrix(
    reactions: Iterable[tuple[Hashable, Hashable, int]],
    *,
    ideas: Sequence[Hashable] | None = None,
) -> VoteMatrix:
    """Build the vote matrix from ``(participant, idea, value)`` triples.

    A later triple for the same participant and idea replaces an earlier one (a changed
    reaction). With ``ideas`` given, only those ideas are columns, in that order (reactions
    to other ideas, e.g. hidden ones, are left out); otherwise every idea reacted to, in order
    of first appearance.

    Raises
    ------
    ValidationError
        For a value other than 1, -1 or 0.
    """
    cols: dict[Hashable, int] = {}
    if ideas is not None:
        cols = {i: n for n, i in enumerate(dict.fromkeys(ideas))}
    rows: dict[Hashable, int] = {}
    r_idx: list[int] = []
    c_idx: list[int] = []
    vals: list[int] = []
    for participant, idea, value in reactions:
        v = int(value)
        if v not in _VALUES:
            raise ValidationError(
                f"A reaction is 1 (agree), -1 (disagree) or 0 (pass); got {value!r} from "
                f"participant {participant!r} on idea {idea!r}.",
                field="value",
            )
        c = cols.get(idea)
        if c is None:
            if ideas is not None:
                continue
            c = cols[idea] = len(cols)
        r = rows.setdefault(participant, len(rows))
        r_idx.append(r)
        c_idx.append(c)
        vals.append(v)
    values = np.full((len(rows), len(cols)), np.nan)
    if vals:
        values[np.asarray(r_idx), np.asarray(c_idx)] = np.asarray(vals, dtype=float)
    return VoteMatrix(tuple(rows), tuple(cols), values)
