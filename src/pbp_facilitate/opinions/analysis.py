"""``analyze_opinions``: reactions in, groups, representative ideas, consensus and divisive out."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .matrix import VoteMatrix, vote_matrix
from .model import OpinionModel
from .repness import consensus, divisive, group_stats, representative

__all__ = ["OpinionAnalysis", "analyze_opinions"]


def _idea_counts(values: np.ndarray, j: int) -> dict[str, int]:
    col = values[:, j]
    return {
        "agree": int((col == 1).sum()),
        "disagree": int((col == -1).sum()),
        "pass": int((col == 0).sum()),
    }


@dataclass
class OpinionAnalysis:
    """The opinion groups of a set of reactions and what they agree and disagree on.

    Attributes
    ----------
    matrix : VoteMatrix
        The vote matrix analysed.
    model : OpinionModel
        The fitted model (``labels_``, ``projection_``, ``silhouettes_``).
    moderated_out : tuple
        Ideas moderated out (hidden): in the matrix, set to 0 for everyone as Polis does, and
        never listed in ``groups``, ``consensus`` or ``divisive``.
    groups : list of dict
        ``{"id", "size", "representative": [{"idea", "direction", "p", "repness",
        "significant", "agree", "disagree", "pass"}]}`` per group, largest first.
    consensus : list of dict
        Ideas agreed across all groups, best first (``{"idea", "score", "group_agree":
        [share per group], ...counts}``).
    divisive : list of dict
        Ideas one group agrees with and another rejects, most divisive first.
    """

    matrix: VoteMatrix
    model: OpinionModel
    moderated_out: tuple[Hashable, ...] = ()
    groups: list[dict[str, Any]] = field(default_factory=list)
    consensus: list[dict[str, Any]] = field(default_factory=list)
    divisive: list[dict[str, Any]] = field(default_factory=list)

    @property
    def n_groups(self) -> int:
        """How many opinion groups were found (0: too few participants or reactions)."""
        return int(self.model.n_groups_)

    def participant_groups(self) -> dict[Hashable, int | None]:
        """Return ``{participant: group or None}``."""
        return {
            p: (int(g) if g >= 0 else None)
            for p, g in zip(self.matrix.participants, self.model.labels_, strict=True)
        }

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-able dict: counts, groups, participants (with map x/y), consensus,
        divisive."""
        proj = self.model.projection_
        out = set(self.moderated_out)
        keep = np.array([i not in out for i in self.matrix.ideas], dtype=bool)
        return {
            "n_participants": len(self.matrix.participants),
            "n_ideas": int(keep.sum()),
            "n_votes": int(np.count_nonzero(~np.isnan(self.matrix.values[:, keep]))),
            "n_groups": self.n_groups,
            "n_placed": int(self.model.placed_.sum()),
            "silhouettes": {str(k): round(v, 4) for k, v in self.model.silhouettes_.items()},
            "groups": self.groups,
            "participants": [
                {
                    "participant": p,
                    "group": (int(g) if g >= 0 else None),
                    "x": round(float(proj[n, 0]), 4),
                    "y": round(float(proj[n, 1]), 4),
                }
                for n, (p, g) in enumerate(
                    zip(self.matrix.participants, self.model.labels_, strict=True)
                )
            ],
            "consensus": self.consensus,
            "divisive": self.divisive,
        }


def analyze_opinions(
    reactions: Iterable[tuple[Hashable, Hashable, int]] | VoteMatrix,
    *,
    ideas: Sequence[Hashable] | None = None,
    moderated_out: Iterable[Hashable] = (),
    min_votes: int = 7,
    k_range: tuple[int, int] = (2, 5),
    init: str = "k-means++",
    random_state: int = 0,
    consensus_limit: int = 10,
    divisive_limit: int = 5,
    divisive_min: float = 0.5,
) -> OpinionAnalysis:
    """Find opinion groups and common ground in ``(participant, idea, value)`` reactions.

    Parameters
    ----------
    reactions : iterable of (participant, idea, value) or VoteMatrix
        1 agree, -1 disagree, 0 pass; ids are kept as given.
    ideas : sequence, optional
        The ideas to analyse (reactions to others are left out).
    moderated_out : iterable, optional
        Ideas moderated out (hidden). As in Polis (``conversation.clj`` ``:rating-mat``, via
        ``zero-out-columns``), their column is kept but set to 0 for everyone, reactions to them
        count towards a participant's votes for being placed (``:user-vote-counts``), and they
        are never listed as representative, consensus or divisive (``select-rep-comments``,
        ``select-consensus-comments``).
    min_votes : int
        Reactions a participant needs to be placed in a group (Polis: 7).
    k_range : tuple of int
        Fewest and most groups tried; the silhouette picks among them.
    init : {"k-means++", "polis"}
        How k-means starts (:class:`OpinionModel`): seeded k-means++, or Polis's first k
        distinct points.
    random_state : int
        Seed (results are reproducible).
    consensus_limit, divisive_limit : int
        Most ideas listed as consensus and as divisive.
    divisive_min : float
        Least spread of groups' leanings (``pa - pd``, 0 to 2) for an idea to count as divisive.

    Returns
    -------
    OpinionAnalysis
    """
    vm = reactions if isinstance(reactions, VoteMatrix) else vote_matrix(reactions, ideas=ideas)
    hidden = set(moderated_out)
    is_out = np.array([i in hidden for i in vm.ideas], dtype=bool)
    model = OpinionModel(min_votes=min_votes, k_range=k_range, init=init, random_state=random_state)
    model.fit(vm.values, moderated_out=is_out)
    out = OpinionAnalysis(
        matrix=vm, model=model, moderated_out=tuple(i for i in vm.ideas if i in hidden)
    )
    k = model.n_groups_
    if k == 0:
        return out
    # moderated-out ideas are never listed: their reactions count as not seen here
    listed = np.where(is_out[None, :], np.nan, vm.values)
    stats = group_stats(listed, model.labels_, k)
    sizes = np.bincount(model.labels_[model.labels_ >= 0], minlength=k)
    for g, reps in enumerate(representative(stats)):
        out.groups.append(
            {
                "id": g,
                "size": int(sizes[g]),
                "representative": [
                    {
                        **{**r, "idea": vm.ideas[int(r["idea"])]},
                        "p": round(float(r["p"]), 4),
                        "repness": round(float(r["repness"]), 4),
                        "agree": int(stats.agree[g, int(r["idea"])]),
                        "disagree": int(stats.disagree[g, int(r["idea"])]),
                        "seen": int(stats.seen[g, int(r["idea"])]),
                    }
                    for r in reps
                ],
            }
        )
    score, agreed = consensus(stats)
    order = np.lexsort((np.arange(len(score)), -score))
    for j in order:
        if not agreed[j] or is_out[j] or len(out.consensus) >= consensus_limit:
            continue
        out.consensus.append(
            {
                "idea": vm.ideas[j],
                "score": round(float(score[j]), 4),
                "group_agree": [round(float(p), 4) for p in stats.pa[:, j]],
                **_idea_counts(vm.values, int(j)),
            }
        )
    spread = divisive(stats)
    for j in np.lexsort((np.arange(len(spread)), -spread)):
        if spread[j] < divisive_min or is_out[j] or len(out.divisive) >= divisive_limit:
            continue
        out.divisive.append(
            {
                "idea": vm.ideas[j],
                "spread": round(float(spread[j]), 4),
                "group_agree": [round(float(p), 4) for p in stats.pa[:, j]],
                "group_disagree": [round(float(p), 4) for p in stats.pd[:, j]],
                **_idea_counts(vm.values, int(j)),
            }
        )
    return out
