"""Re-weighting: theme shares re-weighted to the community's composition (post-stratification)."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from ..i18n import gettext
from ._words import dimension_name
from .benchmarks import CommunityBenchmarks
from .breakdowns import attach_groups, theme_label, visible_submissions

__all__ = ["reweighted_theme_shares"]


def reweighted_theme_shares(
    submissions: pd.DataFrame,
    participants: pd.DataFrame,
    benchmarks: CommunityBenchmarks,
    dimension: str,
    *,
    theme_labels: Mapping[int, str] | None = None,
    small_count: int = 5,
) -> pd.DataFrame:
    """Theme shares re-weighted to the community's composition, beside the raw shares.

    Raw share of a theme: percent of contributors (participants with at
    least one visible idea) who raised it. Re-weighted share
    (post-stratification): for each benchmark group with at least
    ``small_count`` contributors, the percent of the group's contributors who
    raised the theme, averaged with the group's community share as weight
    (weights re-scaled over those groups). Participants who did not share,
    and groups with too few contributors, are left out of the re-weighted
    figure; ``attrs["coverage"]`` is the share of the community the used
    groups make up. Themes raised by fewer than ``small_count`` people get
    no re-weighted figure (it could reveal who raised them).

    Parameters
    ----------
    submissions, participants : pandas.DataFrame
        As the store returns them.
    benchmarks : CommunityBenchmarks
        The community's shares, giving the weights.
    dimension : str
        Dimension to re-weight on, e.g. ``"race_ethnicity"``.
    theme_labels : mapping, optional
        ``{theme_id: label}`` for the index.
    small_count : int
        Disclosure threshold (``Settings.small_count``).

    Returns
    -------
    pandas.DataFrame
        Index theme; columns ``people``, ``raw_share``, ``reweighted_share``,
        ``difference_points``. ``attrs["method"]`` states the method in one
        paragraph (``attrs["method_es"]`` in Spanish), ``attrs["message"]``
        (``message_es``) why nothing could be re-weighted, if so;
        ``attrs["groups_used"]`` and ``attrs["groups_left_out"]``.
    """
    s_all = visible_submissions(submissions, include_unclear=True)
    s_all = attach_groups(s_all, participants, dimension)
    contributors = s_all.drop_duplicates("participant_key")
    community = benchmarks.shares(dimension)
    n_by_group = contributors["group"].value_counts()
    used = [g for g in community.index if n_by_group.get(g, 0) >= small_count]
    left_out = [g for g in community.index if g not in used]
    weights = community[used] / community[used].sum() if used else community[[]]
    coverage = float(community[used].sum()) if used else 0.0
    s = s_all[s_all["theme_id"] != -1]
    n_contrib = len(contributors)
    rows = []
    for t in sorted(s["theme_id"].unique()):
        st = s[s["theme_id"] == t].drop_duplicates("participant_key")
        people = len(st)
        raw = 100.0 * people / n_contrib if n_contrib else math.nan
        rw = math.nan
        if used and people >= small_count:
            by_g = st["group"].value_counts()
            rw = 100.0 * float(sum(weights[g] * by_g.get(g, 0) / n_by_group[g] for g in used))
        rows.append(
            {
                "theme": theme_label(int(t), theme_labels),
                "people": people,
                "raw_share": raw,
                "reweighted_share": rw,
                "difference_points": rw - raw,
            }
        )
    out = pd.DataFrame(
        rows, columns=["theme", "people", "raw_share", "reweighted_share", "difference_points"]
    ).set_index("theme")
    k = int(small_count)
    texts: dict[str, tuple[str, str]] = {}
    for lang in ("en", "es"):
        dim = dimension_name(dimension, lang)
        source = gettext(lang, "equity.rw_from_source", source=benchmarks.source)
        method = gettext(
            lang,
            "equity.rw_method",
            dim=dim,
            k=k,
            source=source if benchmarks.source else "",
            left_out=f" ({', '.join(left_out)})" if left_out else "",
            coverage=gettext(lang, "equity.pct", value=f"{100 * coverage:.0f}"),
        )
        message = "" if used else gettext(lang, "equity.rw_none", k=k, dim=dim)
        texts[lang] = (method, message)
    out.attrs.update(
        {
            "kind": "reweighted",
            "dimension": dimension,
            "small_count": k,
            "method": texts["en"][0],
            "method_es": texts["es"][0],
            "message": texts["en"][1],
            "message_es": texts["es"][1],
            "coverage": coverage,
            "groups_used": used,
            "groups_left_out": left_out,
            "contributors": n_contrib,
        }
    )
    return out
