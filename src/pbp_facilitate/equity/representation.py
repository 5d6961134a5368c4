"""Representation: who is in the room against the community, in numbers, words and a chart.

:func:`representation` compares participants by group with the community
benchmarks and flags gaps; :func:`gap_sentences` words each flagged gap and
:func:`plot_representation` draws it, both protecting small counts themselves.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ValidationError
from ..i18n import gettext, ngettext
from ._protection import COMPLEMENT_MARK, protect
from ._words import attr_text, both, check_lang, default_label, dimension_name, pct
from .benchmarks import CommunityBenchmarks
from .groups import NOT_SHARED, group_order, shared_groups

__all__ = [
    "DEFAULT_THRESHOLD",
    "DEFAULT_MIN_POINTS",
    "representation",
    "representation_hidden",
    "gap_sentences",
    "plot_representation",
]

#: Representation ratio under which a group is flagged under-represented
#: (and over which ``1 / threshold`` it is flagged over-represented).
DEFAULT_THRESHOLD = 0.8
#: Smallest gap, in percentage points, that is flagged at all.
DEFAULT_MIN_POINTS = 3.0


def representation(
    participants: pd.DataFrame,
    benchmarks: CommunityBenchmarks,
    dimension: str,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    min_points: float = DEFAULT_MIN_POINTS,
    small_count: int = 5,
) -> pd.DataFrame:
    """Participants by group against the community.

    Shares of participants are out of those who shared the dimension. A
    group is flagged ``"under"`` when its representation ratio (participant
    share / community share) is below ``threshold`` *and* it is at least
    ``min_points`` percentage points short; ``"over"`` when the ratio is
    above ``1 / threshold`` and at least ``min_points`` points over. Nothing
    is flagged while fewer than ``small_count`` participants have shared.

    The numbers are exact: show the table through :func:`suppress` (or
    :func:`plot_representation` / :func:`gap_sentences`, which protect
    small counts themselves).

    Parameters
    ----------
    participants : pandas.DataFrame
        One row per participant (see :func:`shared_groups`).
    benchmarks : CommunityBenchmarks
        The community's shares.
    dimension : str
        Dimension key, e.g. ``"race_ethnicity"``.
    threshold : float
        Ratio flag threshold, between 0 and 1 (default 0.8: under 0.8 or over 1.25).
    min_points : float
        Smallest gap in points that is flagged.
    small_count : int
        Disclosure threshold (``Settings.small_count``).

    Returns
    -------
    pandas.DataFrame
        One row per benchmark group, then groups participants named that the
        benchmarks lack, then :data:`NOT_SHARED`; columns ``group``,
        ``label``, ``participants``, ``participant_share`` (percent of those
        who shared), ``community_share`` (percent), ``expected`` (people, if
        the room matched the community), ``difference_points``, ``ratio``,
        ``status`` (``under``/``over``/``ok``/``not in benchmarks``/
        ``too few shared``/``not shared``). ``attrs`` carry ``n_participants``,
        ``n_shared``, ``message`` and ``message_es``.
    """
    if not 0 < threshold < 1:
        raise ValidationError(
            f"threshold is {threshold!r}; expected a ratio between 0 and 1 such as 0.8.",
            field="threshold",
            code="bad_threshold",
        )
    if small_count < 1:
        raise ValidationError(
            f"small_count is {small_count!r}; expected 1 or more.", field="small_count"
        )
    community = benchmarks.shares(dimension)
    groups_of = shared_groups(participants, dimension)
    counts = groups_of.value_counts()
    order = group_order(counts.index, list(community.index))
    n_total = int(len(groups_of))
    n_not = int(counts.get(NOT_SHARED, 0))
    n_shared = n_total - n_not
    rows = []
    for g in order:
        known = g in community.index
        c = int(counts.get(g, 0))
        comm = float(community[g]) * 100 if g in community.index else math.nan
        share = 100.0 * c / n_shared if n_shared else math.nan
        diff = share - comm if n_shared and not math.isnan(comm) else math.nan
        if math.isnan(comm) or not n_shared:
            ratio = math.nan
        elif comm == 0:
            ratio = math.inf if c else math.nan
        else:
            ratio = share / comm
        if math.isnan(comm):
            status = "not in benchmarks"
        elif n_shared < small_count:
            status = "too few shared"
        elif ratio < threshold and diff <= -min_points:
            status = "under"
        elif ratio > 1 / threshold and diff >= min_points:
            status = "over"
        else:
            status = "ok"
        rows.append(
            {
                "group": g,
                "label": benchmarks.label(dimension, g) if known else default_label(g, "en"),
                "label_es": benchmarks.label(dimension, g, "es")
                if known
                else default_label(g, "es"),
                "participants": c,
                "participant_share": share,
                "community_share": comm,
                "expected": comm / 100 * n_shared if not math.isnan(comm) else math.nan,
                "difference_points": diff,
                "ratio": ratio,
                "status": status,
            }
        )
    not_en, not_es = both("equity.not_shared")
    rows.append(
        {
            "group": NOT_SHARED,
            "label": not_en,
            "label_es": not_es,
            "participants": n_not,
            "participant_share": math.nan,
            "community_share": math.nan,
            "expected": math.nan,
            "difference_points": math.nan,
            "ratio": math.nan,
            "status": "not shared",
        }
    )
    df = pd.DataFrame(rows)
    df["participants"] = df["participants"].astype(int)
    words = {"n": n_total, "shared": n_shared, "k": int(small_count)}
    if n_total == 0:
        key = "equity.rep_no_participants"
    elif n_shared == 0:
        key = "equity.rep_nobody_shared"
    elif n_shared < small_count:
        key = "equity.rep_too_few"
    else:
        key = "equity.rep_shared"
    if n_total == 0:
        msg = gettext("en", key, dim=dimension_name(dimension, "en"), **words)
        msg_es = gettext("es", key, dim=dimension_name(dimension, "es"), **words)
    else:  # counted by the participants: "1 participant", "2 participants"
        rest = {k: v for k, v in words.items() if k != "n"}
        msg = ngettext("en", key, n_total, dim=dimension_name(dimension, "en"), **rest)
        msg_es = ngettext("es", key, n_total, dim=dimension_name(dimension, "es"), **rest)
    df.attrs.update(
        {
            "kind": "representation",
            "dimension": dimension,
            "small_count": int(small_count),
            "threshold": float(threshold),
            "min_points": float(min_points),
            "n_participants": n_total,
            "n_shared": n_shared,
            "n_not_shared": n_not,
            "message": msg,
            "message_es": msg_es,
            "source": benchmarks.source,
        }
    )
    return df


def representation_hidden(rep: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return the primary and complementary hidden masks over the group rows of ``rep``.

    The rows are those of :func:`representation` other than :data:`NOT_SHARED`;
    the sentences, the chart and the display table all hide the same groups.
    """
    k = int(rep.attrs.get("small_count", 5))
    groups = rep[rep["group"] != NOT_SHARED]
    counts = groups["participants"].to_numpy(dtype=float)
    res = protect(counts.reshape(-1, 1), counts.reshape(-1, 1), k, two_d=False)
    return res.primary[: len(counts)], res.complement[: len(counts)]


def gap_sentences(rep: pd.DataFrame, lang: str = "en", *, all_groups: bool = False) -> list[str]:
    """Plain-words sentence for each flagged gap of a :func:`representation` table.

    "Hispanic or Latino residents are 31% of the community and 12% of
    participants." Counts under ``small_count`` are never stated: such a
    group reads "... and fewer than 5 of the 40 participants who shared
    their race or ethnicity". When nobody (or too few) shared, or nothing is
    flagged, the list holds one sentence saying so.

    Parameters
    ----------
    rep : pandas.DataFrame
        Output of :func:`representation`.
    lang : {"en", "es"}
        Language.
    all_groups : bool
        Word every benchmark group, not only flagged ones.

    Returns
    -------
    list of str
        Under-represented gaps first, largest first; then over-represented.
    """
    check_lang(lang)
    if rep.attrs.get("kind") != "representation":
        raise ValidationError(
            "gap_sentences expected the table returned by representation().", code="wrong_table"
        )
    n_shared = int(rep.attrs["n_shared"])
    k = int(rep.attrs["small_count"])
    if n_shared < k:
        return [attr_text(rep.attrs, lang)]
    primary, complement = representation_hidden(rep)
    groups = rep[rep["group"] != NOT_SHARED].copy()
    groups["_primary"] = primary
    groups["_complement"] = complement
    wanted = (
        groups[groups["status"].isin(["under", "over"])]
        if not all_groups
        else groups[groups["status"] != "not in benchmarks"]
    )
    under = wanted[wanted["status"] == "under"].sort_values("difference_points")
    rest = wanted[wanted["status"] != "under"].sort_values("difference_points", ascending=False)
    dim = dimension_name(rep.attrs["dimension"], lang)
    out = []
    for _, r in pd.concat([under, rest]).iterrows():
        label = r["label"]
        if lang == "es":
            label = r.get("label_es") or label
        if r["_primary"]:
            part = ngettext(lang, "equity.gap_part_small", n_shared, k=k, dim=dim)
        elif r["_complement"]:
            part = gettext(lang, "equity.gap_part_hidden")
        else:
            part = gettext(lang, "equity.gap_part_share", share=pct(r["participant_share"], lang))
        community = pct(r["community_share"], lang)
        out.append(
            gettext(lang, "equity.gap_sentence", label=label, community=community, part=part)
        )
    if not out:
        out.append(ngettext(lang, "equity.gap_none", n_shared, dim=dim))
    return out


def plot_representation(rep: pd.DataFrame, *, lang: str = "en", ax: Any = None) -> Any:
    """Bar chart of participant shares against community shares.

    Groups with fewer than ``small_count`` participants show a hatched band
    up to the largest share they could have, marked ``<5``; groups hidden to
    protect them show no bar and ``*``. Under-represented groups are marked.

    Parameters
    ----------
    rep : pandas.DataFrame
        Output of :func:`representation`.
    lang : {"en", "es"}
        Language of the labels.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure

    check_lang(lang)
    message = attr_text(rep.attrs, lang)
    if ax is None:
        fig = Figure(figsize=(8, 0.55 * max(3, len(rep)) + 1.2))
        ax = fig.add_subplot(1, 1, 1)
    else:
        fig = ax.figure
    k = int(rep.attrs["small_count"])
    n_shared = int(rep.attrs["n_shared"])
    dim = dimension_name(rep.attrs["dimension"], lang)
    ax.set_title(gettext(lang, "equity.chart_title", dim=dim), pad=22)
    if n_shared < k:
        ax.text(0.5, 0.5, message, ha="center", va="center", wrap=True, transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    primary, complement = representation_hidden(rep)
    groups = rep[rep["group"] != NOT_SHARED].reset_index(drop=True)
    keep = ~groups["community_share"].isna()
    y = np.arange(int(keep.sum()))[::-1]
    g = groups[keep]
    prim = primary[keep.to_numpy()]
    comp = complement[keep.to_numpy()]
    h = 0.38
    ax.barh(
        y + h / 2,
        g["community_share"],
        height=h,
        color="#b0b0b0",
        label=gettext(lang, "equity.chart_community"),
    )
    shown = ~(prim | comp)
    ax.barh(
        y[shown] - h / 2,
        g["participant_share"].to_numpy()[shown],
        height=h,
        color="#2a6f97",
        label=gettext(lang, "equity.chart_participants"),
    )
    cap = 100.0 * (k - 1) / n_shared
    if prim.any():
        ax.barh(
            y[prim] - h / 2,
            [cap] * int(prim.sum()),
            height=h,
            color="none",
            edgecolor="#2a6f97",
            hatch="///",
            label=gettext(lang, "equity.chart_fewer", k=k),
        )
    xmax = max(
        float(np.nanmax(g["community_share"])),
        float(np.nanmax(np.where(shown, g["participant_share"].to_numpy(), 0.0))),
        cap if prim.any() else 0.0,
    )
    for yi, p, c in zip(y, prim, comp, strict=True):
        if p:
            ax.text(cap + xmax * 0.01, yi - h / 2, f"<{k}", va="center", fontsize=8)
        elif c:
            ax.text(xmax * 0.01, yi - h / 2, COMPLEMENT_MARK, va="center", fontsize=9)
    for yi, status in zip(y, g["status"], strict=True):
        if status in ("under", "over"):
            word = gettext(lang, f"equity.chart_{status}")
            ax.text(
                xmax * 1.12,
                yi,
                ("▼ " if status == "under" else "▲ ") + word,
                va="center",
                fontsize=8,
                color="#b5179e" if status == "under" else "#555555",
            )
    ax.set_yticks(y)
    ax.set_yticklabels(list(g["group"]))
    ax.set_xlim(0, xmax * 1.6 + 1)
    ax.set_xlabel(gettext(lang, "equity.chart_xlabel"))
    # Above the bars, so it never covers a group or its under/over mark.
    ax.legend(
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncol=3,
        fontsize=8,
        frameon=False,
        borderaxespad=0.2,
    )
    ax.text(0, -0.12 - 0.02 * len(y) / 10, message, transform=ax.transAxes, fontsize=8, va="top")
    fig.tight_layout()
    return fig
