"""Breakdowns: themes and dot votes by group, where themes came from, a group's priorities.

:func:`theme_breakdown` counts the people who raised each theme per group,
:func:`vote_breakdown` the dots per group (with the people behind them),
:func:`theme_sources` names the group each theme came mostly from and
:func:`group_priorities` compares one group's priorities with everyone's.
All return exact numbers: show them through :func:`~pbp_facilitate.equity.suppress`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ValidationError
from ..i18n import gettext
from ._protection import protect_table
from ._words import both, both_n
from .groups import NOT_SHARED, group_order, require_columns, shared_groups

__all__ = [
    "theme_breakdown",
    "vote_breakdown",
    "theme_sources",
    "group_priorities",
    "visible_submissions",
    "attach_groups",
    "theme_label",
]


def visible_submissions(submissions: pd.DataFrame, include_unclear: bool) -> pd.DataFrame:
    """Return ``participant_key``, ``theme_id`` of the ideas to count (hidden ones left out).

    An idea without a participant key counts as a person of its own; theme
    ``-1`` (unclear) is kept only with ``include_unclear``.
    """
    if submissions is None or len(submissions) == 0:
        return pd.DataFrame(columns=["participant_key", "theme_id"])
    require_columns(submissions, ["participant_key", "theme_id"], "submissions")
    s = submissions
    if "hidden" in s.columns:
        s = s[~s["hidden"].fillna(False).astype(bool)]
    s = s[["participant_key", "theme_id"]].dropna(subset=["theme_id"]).copy()
    # an idea with no participant (e.g. imported sticky notes) is an unknown person of its own
    missing = s["participant_key"].isna()
    s["participant_key"] = s["participant_key"].astype(str)
    s.loc[missing, "participant_key"] = [
        f"(no participant key) #{i}" for i in range(int(missing.sum()))
    ]
    s["theme_id"] = s["theme_id"].astype(int)
    if not include_unclear:
        s = s[s["theme_id"] != -1]
    return s


def theme_label(theme_id: int, theme_labels: Mapping[int, str] | None) -> Any:
    """Return the index label of a theme: its label, ``"Unclear"`` for -1, else its id."""
    if theme_labels is not None and theme_id in theme_labels:
        return theme_labels[theme_id]
    if theme_id == -1:
        return gettext("en", "equity.theme_unclear")
    return theme_id


def attach_groups(frame: pd.DataFrame, participants: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """Return ``frame`` with a ``group`` column: the group of each row's participant."""
    groups_of = shared_groups(participants, dimension)
    out = frame.copy()
    out["group"] = out["participant_key"].map(groups_of).fillna(NOT_SHARED)
    return out


def _crosstab(
    pairs: pd.DataFrame,
    value: str | None,
    groups: Sequence[str] | None,
    theme_labels: Mapping[int, str] | None,
) -> pd.DataFrame:
    columns = group_order(pairs["group"], groups) + [NOT_SHARED]
    themes = sorted(pairs["theme_id"].unique())
    if value is None:
        table = (
            pairs.groupby(["theme_id", "group"])["participant_key"].nunique().unstack(fill_value=0)
        )
    else:
        table = pairs.groupby(["theme_id", "group"])[value].sum().unstack(fill_value=0)
    table = table.reindex(index=themes, columns=columns, fill_value=0).astype(int)
    table.index = pd.Index([theme_label(int(t), theme_labels) for t in themes], name="theme")
    table.columns = pd.Index(columns, name="group")
    return table


def theme_breakdown(
    submissions: pd.DataFrame,
    participants: pd.DataFrame,
    dimension: str,
    *,
    groups: Sequence[str] | None = None,
    theme_labels: Mapping[int, str] | None = None,
    include_unclear: bool = False,
    small_count: int = 5,
) -> pd.DataFrame:
    """People who raised each theme, by group.

    A cell counts distinct participants (someone who wrote five ideas on a
    theme counts once), so the disclosure rule applies to people. Hidden
    submissions are left out; so is theme ``-1`` (unclear) unless
    ``include_unclear``.

    Parameters
    ----------
    submissions, participants : pandas.DataFrame
        As the store returns them.
    dimension : str
        Dimension key.
    groups : sequence of str, optional
        Column order (e.g. the survey's categories, or
        ``benchmarks.groups(dimension)``); groups nobody named are shown as
        zero columns when listed here.
    theme_labels : mapping, optional
        ``{theme_id: label}`` for the row index.
    include_unclear : bool
        Keep theme -1.
    small_count : int
        Disclosure threshold, used later by :func:`suppress`.

    Returns
    -------
    pandas.DataFrame
        Exact counts, rows themes, columns groups then :data:`NOT_SHARED`.
        Show it through :func:`suppress`.
    """
    s = visible_submissions(submissions, include_unclear)
    pairs = attach_groups(s, participants, dimension)
    table = _crosstab(pairs, None, groups, theme_labels)
    table.attrs.update(
        {
            "kind": "breakdown",
            "measure": "people",
            "dimension": dimension,
            "small_count": int(small_count),
        }
    )
    if table.empty:
        table.attrs["message"], table.attrs["message_es"] = both("equity.no_themed_ideas")
    return table


def vote_breakdown(
    votes: pd.DataFrame,
    participants: pd.DataFrame,
    dimension: str,
    *,
    groups: Sequence[str] | None = None,
    theme_labels: Mapping[int, str] | None = None,
    dots_per_participant: int | None = None,
    small_count: int = 5,
) -> pd.DataFrame:
    """Dots each theme got, by group of the voter.

    Parameters
    ----------
    votes, participants : pandas.DataFrame
        As the store returns them (``participant_key``, ``theme_id``, ``dots``).
    dimension : str
        Dimension key.
    groups, theme_labels
        As in :func:`theme_breakdown`.
    dots_per_participant : int, optional
        Most dots one person can give (the session's rule); used by
        :func:`suppress` to model what a reader can infer. Defaults to the
        largest number of dots any one participant gave.
    small_count : int
        Disclosure threshold.

    Returns
    -------
    pandas.DataFrame
        Exact dots, rows themes, columns groups then :data:`NOT_SHARED`.
        ``attrs["people"]`` holds the matching voter counts, which decide
        what :func:`suppress` hides (a cell of dots from fewer than
        ``small_count`` people reads ``"<5 people"``).
    """
    if votes is None or len(votes) == 0:
        v = pd.DataFrame(columns=["participant_key", "theme_id", "dots"])
    else:
        require_columns(votes, ["participant_key", "theme_id", "dots"], "votes")
        v = votes[["participant_key", "theme_id", "dots"]].copy()
        v["participant_key"] = v["participant_key"].astype(str)
        v["dots"] = pd.to_numeric(v["dots"], errors="coerce").fillna(0).astype(int)
        v = v[(v["dots"] > 0) & (v["theme_id"].astype(int) != -1)]
        v["theme_id"] = v["theme_id"].astype(int)
    pairs = attach_groups(v, participants, dimension)
    dots = _crosstab(pairs, "dots", groups, theme_labels)
    people = _crosstab(pairs, None, groups, theme_labels).reindex_like(dots)
    if dots_per_participant is None:
        dots_per_participant = (
            int(v.groupby("participant_key")["dots"].sum().max()) if len(v) else 1
        )
    voters = pairs.drop_duplicates("participant_key")["group"].value_counts()
    dots.attrs.update(
        {
            "kind": "breakdown",
            "measure": "dots",
            "dimension": dimension,
            "small_count": int(small_count),
            "people": people.to_numpy().tolist(),
            "max_per_person": int(dots_per_participant),
            "group_voters": {str(g): int(n) for g, n in voters.items()},
        }
    )
    if dots.empty:
        dots.attrs["message"], dots.attrs["message_es"] = both("equity.no_votes")
    return dots


def theme_sources(
    breakdown: pd.DataFrame,
    *,
    small_count: int | None = None,
) -> pd.DataFrame:
    """Which group each theme came mostly from.

    Parameters
    ----------
    breakdown : pandas.DataFrame
        Output of :func:`theme_breakdown`.
    small_count : int, optional
        Defaults to the breakdown's own.

    Returns
    -------
    pandas.DataFrame
        Index theme; columns ``people`` (who raised it), ``top_group`` (the
        group with the most people among those who shared; empty when that
        group has fewer than ``small_count`` people), ``top_group_share``
        (percent of the theme's people; NaN when that cell is hidden in
        :func:`suppress`), ``group_share_of_contributors`` (the group's
        percent of everyone's theme mentions, for comparison) and ``lift``
        (the ratio of the two).
    """
    k = int(small_count if small_count is not None else breakdown.attrs.get("small_count", 5))
    res = protect_table(breakdown, k)
    inner_hidden = res.hidden[: breakdown.size].reshape(breakdown.shape)
    groups = [c for c in breakdown.columns if c != NOT_SHARED]
    total = breakdown.to_numpy().sum()
    col_share = {g: (100.0 * breakdown[g].sum() / total if total else math.nan) for g in groups}
    rows = []
    for i, theme in enumerate(breakdown.index):
        people = int(breakdown.iloc[i].sum())
        row = {
            "theme": theme,
            "people": people,
            "top_group": "",
            "top_group_share": math.nan,
            "group_share_of_contributors": math.nan,
            "lift": math.nan,
        }
        if groups:
            vals = breakdown.iloc[i][groups]
            top = str(vals.idxmax())
            cell = int(vals.max())
            if cell >= k:
                row["top_group"] = top
                row["group_share_of_contributors"] = col_share[top]
                j = list(breakdown.columns).index(top)
                if not inner_hidden[i, j]:
                    row["top_group_share"] = 100.0 * cell / people
                    if col_share[top]:
                        row["lift"] = row["top_group_share"] / col_share[top]
        rows.append(row)
    out = pd.DataFrame(
        rows,
        columns=[
            "theme",
            "people",
            "top_group",
            "top_group_share",
            "group_share_of_contributors",
            "lift",
        ],
    ).set_index("theme")
    out.attrs.update(
        {"kind": "sources", "dimension": breakdown.attrs.get("dimension"), "small_count": k}
    )
    return out


def group_priorities(
    votes_table: pd.DataFrame,
    group: str | None = None,
    *,
    rep: pd.DataFrame | None = None,
    top: int = 5,
) -> pd.DataFrame:
    """A group's top priorities compared with everyone's.

    Parameters
    ----------
    votes_table : pandas.DataFrame
        Output of :func:`vote_breakdown`.
    group : str, optional
        The group; when omitted, the most under-represented group of
        ``rep`` (lowest ratio among flagged groups, else lowest ratio).
    rep : pandas.DataFrame, optional
        Output of :func:`representation`, needed when ``group`` is omitted.
    top : int
        Rows to keep.

    Returns
    -------
    pandas.DataFrame
        Index theme; columns ``group_share`` (percent of the group's dots),
        ``everyone_share``, ``difference_points``, ``group_rank``,
        ``everyone_rank``, ordered by the group's share. Themes whose cell is
        hidden by :func:`suppress` are left out (their order would give them
        away). When the group has fewer than ``small_count`` voters the
        table is empty and ``attrs["message"]`` (``attrs["message_es"]`` in Spanish) says why.
    """
    k = int(votes_table.attrs.get("small_count", 5))
    if group is None:
        if rep is None:
            raise ValidationError(
                "group_priorities needs group= or rep= (a representation table).",
                field="group",
                code="missing",
            )
        cand = rep[(rep["group"] != NOT_SHARED) & rep["ratio"].notna()]
        flagged = cand[cand["status"] == "under"]
        pick = flagged if not flagged.empty else cand
        if pick.empty:
            out = pd.DataFrame(
                columns=[
                    "group_share",
                    "everyone_share",
                    "difference_points",
                    "group_rank",
                    "everyone_rank",
                ]
            )
            none_en, none_es = both("equity.prio_no_group")
            out.attrs.update(
                {
                    "kind": "priorities",
                    "group": None,
                    "message": rep.attrs.get("message", none_en),
                    "message_es": rep.attrs.get("message_es", none_es),
                }
            )
            return out
        group = str(pick.sort_values("ratio").iloc[0]["group"])
    columns = ["group_share", "everyone_share", "difference_points", "group_rank", "everyone_rank"]
    empty = pd.DataFrame(columns=columns)
    empty.index.name = "theme"
    if group not in votes_table.columns:
        msg, msg_es = both("equity.prio_no_votes", group=group)
        empty.attrs.update(
            {"kind": "priorities", "group": group, "message": msg, "message_es": msg_es}
        )
        return empty
    people = np.asarray(votes_table.attrs.get("people", votes_table.to_numpy().tolist()))
    j = list(votes_table.columns).index(group)
    voters_in_group = None
    if "group_voters" in votes_table.attrs:
        voters_in_group = votes_table.attrs["group_voters"].get(group)
    if voters_in_group is None:
        voters_in_group = int(people[:, j].sum())  # person-theme pairs: at least the voters
    if voters_in_group < k:
        msg, msg_es = both("equity.prio_too_few", k=k, group=group)
        empty.attrs.update(
            {"kind": "priorities", "group": group, "message": msg, "message_es": msg_es}
        )
        return empty
    res = protect_table(votes_table, k)
    hidden = res.hidden[: votes_table.size].reshape(votes_table.shape)[:, j]
    dots = votes_table[group].to_numpy(dtype=float)
    everyone = votes_table.to_numpy(dtype=float).sum(axis=1)
    g_total, e_total = dots.sum(), everyone.sum()
    df = pd.DataFrame(
        {
            "group_share": 100 * dots / g_total if g_total else np.nan,
            "everyone_share": 100 * everyone / e_total if e_total else np.nan,
        },
        index=votes_table.index,
    )
    df["difference_points"] = df["group_share"] - df["everyone_share"]
    df["everyone_rank"] = df["everyone_share"].rank(ascending=False, method="min").astype(int)
    df = df[~hidden]
    df["group_rank"] = df["group_share"].rank(ascending=False, method="min").astype(int)
    df = df.sort_values(["group_share", "everyone_share"], ascending=False).head(top)[columns]
    n_hidden = int(hidden.sum())
    msg, msg_es = both("equity.prio_message", group=group)
    if n_hidden:
        more, more_es = both_n("equity.prio_hidden", n_hidden, k=k)
        msg, msg_es = f"{msg} {more}", f"{msg_es} {more_es}"
    df.attrs.update({"kind": "priorities", "group": group, "message": msg, "message_es": msg_es})
    return df
