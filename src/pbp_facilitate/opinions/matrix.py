"""The vote matrix: participants x ideas, 1 agree, -1 disagree, 0 pass, NaN not seen."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import ValidationError

__all__ = ["VoteMatrix", "vote_matrix", "AGREE", "DISAGREE", "PASS"]

AGREE, DISAGREE, PASS = 1, -1, 0


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
    triples = list(reactions)
    ps = [t[0] for t in triples]
    its = [t[1] for t in triples]
    try:
        vals = np.fromiter((t[2] for t in triples), dtype=float, count=len(triples))
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            "A reaction is 1 (agree), -1 (disagree) or 0 (pass); found a value that is no number.",
            field="value",
        ) from exc
    bad = ~np.isin(vals, (1.0, -1.0, 0.0))
    if bad.any():
        i = int(np.argmax(bad))
        raise ValidationError(
            f"A reaction is 1 (agree), -1 (disagree) or 0 (pass); got {triples[i][2]!r} from "
            f"participant {ps[i]!r} on idea {its[i]!r}.",
            field="value",
        )
    if ideas is not None:
        cols = {i: n for n, i in enumerate(dict.fromkeys(ideas))}
        keep = np.fromiter((i in cols for i in its), dtype=bool, count=len(its))
        ps = [p for p, k in zip(ps, keep, strict=True) if k]
        its = [i for i, k in zip(its, keep, strict=True) if k]
        vals = vals[keep]
    else:
        cols = {}
        for i in its:
            if i not in cols:
                cols[i] = len(cols)
    rows: dict[Hashable, int] = {}
    for p in ps:
        if p not in rows:
            rows[p] = len(rows)
    r_idx = np.fromiter((rows[p] for p in ps), dtype=np.int64, count=len(ps))
    c_idx = np.fromiter((cols[i] for i in its), dtype=np.int64, count=len(its))
    values = np.full((len(rows), len(cols)), np.nan)
    if len(vals):
        # a later reaction replaces an earlier one: keep the last of each (row, column)
        lin = r_idx * max(len(cols), 1) + c_idx
        _, first_from_end = np.unique(lin[::-1], return_index=True)
        last = len(lin) - 1 - first_from_end
        values[r_idx[last], c_idx[last]] = vals[last]
    return VoteMatrix(tuple(rows), tuple(cols), values)
