"""Display tables: representation, re-weighted and priorities/sources tables as strings to show.

Called by :func:`~pbp_facilitate.equity.suppress` for the tables that are not
plain counts; every heading and status word comes from the ``equity.*``
catalogue in the table's language.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ..i18n import format_number, gettext
from ._protection import COMPLEMENT_MARK
from ._words import attr_text, pct, points
from .groups import NOT_SHARED
from .representation import representation_hidden

__all__ = ["representation_display", "reweighted_display", "plain_display"]


def _status_word(status: str, lang: str) -> str:
    """Return a representation status (``"too few shared"``) in ``lang``."""
    return gettext(lang, "equity.status_" + status.replace(" ", "_"))


def representation_display(rep: pd.DataFrame, k: int, lang: str) -> pd.DataFrame:
    """Return a :func:`~pbp_facilitate.equity.representation` table as strings to show.

    Groups under ``k`` participants read ``"<k"`` with their share capped
    (``"≤12%"``); one more group reads ``"*"`` when needed to protect them.

    Parameters
    ----------
    rep : pandas.DataFrame
        Output of :func:`~pbp_facilitate.equity.representation`.
    k : int
        Disclosure threshold.
    lang : {"en", "es"}
        Language of headings, status words and the note.

    Returns
    -------
    pandas.DataFrame
        Columns Group, Participants, Share of participants, Share of community,
        Difference (points), Ratio, Status; a Total row; ``attrs["note"]``.
    """
    if k != int(rep.attrs.get("small_count", k)):
        rep = rep.copy()
        rep.attrs = dict(rep.attrs) | {"small_count": k}
    primary, complement = representation_hidden(rep)
    n_shared = int(rep.attrs["n_shared"])
    n_total = int(rep.attrs["n_participants"])
    cap = math.ceil(100.0 * (k - 1) / n_shared) if n_shared else 0
    heads = [
        gettext(lang, f"equity.col_{c}")
        for c in (
            "group",
            "participants",
            "share_participants",
            "share_community",
            "difference",
            "ratio",
            "status",
        )
    ]
    rows = []
    gi = 0
    for _, r in rep.iterrows():
        status = _status_word(str(r["status"]), lang)
        if r["group"] == NOT_SHARED:
            share_all = (
                gettext(
                    lang, "equity.share_of_all", value=f"{100 * r['participants'] / n_total:.0f}"
                )
                if n_total
                else ""
            )
            rows.append(
                [
                    gettext(lang, "equity.not_shared"),
                    str(int(r["participants"])),
                    share_all,
                    "",
                    "",
                    "",
                    status,
                ]
            )
            continue
        p, c = bool(primary[gi]), bool(complement[gi])
        gi += 1
        comm = pct(r["community_share"], lang)
        if p:
            cnt, share = f"<{k}", gettext(lang, "equity.pct_at_most", value=cap)
            diff = ratio = ""
        elif c:
            cnt = share = COMPLEMENT_MARK
            diff = ratio = ""
        else:
            cnt = str(int(r["participants"]))
            share = pct(r["participant_share"], lang) if n_shared else ""
            diff = "" if math.isnan(r["difference_points"]) else points(r["difference_points"])
            ratio = (
                ""
                if math.isnan(r["ratio"])
                else ("∞" if math.isinf(r["ratio"]) else format_number(lang, r["ratio"], 2))
            )
        rows.append([r["group"], cnt, share, comm, diff, ratio, status])
    rows.append(
        [
            gettext(lang, "equity.total"),
            str(n_total),
            "",
            gettext(lang, "equity.pct", value=100),
            "",
            "",
            "",
        ]
    )
    out = pd.DataFrame(rows, columns=heads)
    message = attr_text(rep.attrs, lang)
    out.attrs.update(
        {
            "note": gettext(lang, "equity.rep_note", k=k, mark=COMPLEMENT_MARK, message=message),
            "small_count": k,
        }
    )
    return out


def reweighted_display(rw: pd.DataFrame, k: int, lang: str) -> pd.DataFrame:
    """Return a :func:`~pbp_facilitate.equity.reweighted_theme_shares` table as strings to show.

    Parameters
    ----------
    rw : pandas.DataFrame
        Output of :func:`~pbp_facilitate.equity.reweighted_theme_shares`.
    k : int
        Disclosure threshold: themes of fewer people read ``"<k"``.
    lang : {"en", "es"}
        Language of headings and the note (the method).

    Returns
    -------
    pandas.DataFrame
        Columns People, Raw share, Re-weighted share, Difference (points).
    """
    heads = [
        gettext(lang, f"equity.col_{c}")
        for c in ("people", "raw_share", "reweighted_share", "difference")
    ]
    small = gettext(lang, "equity.small_people", k=k)
    rows = []
    for _, r in rw.iterrows():
        people = int(r["people"])
        if not math.isnan(r["reweighted_share"]):
            reweighted = pct(r["reweighted_share"], lang)
        else:
            reweighted = "—" if people >= k else f"({small})"
        rows.append(
            [
                str(people) if people >= k else f"<{k}",
                pct(r["raw_share"], lang),
                reweighted,
                "" if math.isnan(r["difference_points"]) else points(r["difference_points"]),
            ]
        )
    out = pd.DataFrame(rows, columns=heads, index=rw.index)
    out.attrs.update({"note": attr_text(rw.attrs, lang, "method"), "small_count": k})
    return out


def plain_display(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Format a priorities or sources table (already protected) as strings.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`~pbp_facilitate.equity.group_priorities` or
        :func:`~pbp_facilitate.equity.theme_sources`.
    lang : {"en", "es"}
        Language of the percentages.

    Returns
    -------
    pandas.DataFrame
    """

    def fmt(col: str, v: Any) -> str:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return ""
        if col.endswith("share"):
            return gettext(lang, "equity.pct", value=f"{float(v):.0f}")
        if col.endswith("points"):
            return points(float(v))
        if col == "lift":
            return f"{float(v):.2f}"
        if isinstance(v, float | np.floating) and float(v).is_integer():
            return str(int(v))
        return str(v)

    out = pd.DataFrame(
        {c: [fmt(str(c), v) for v in table[c]] for c in table.columns}, index=table.index
    )
    keep = ("kind", "group", "message", "message_es", "small_count")
    out.attrs = {k: v for k, v in table.attrs.items() if k in keep}
    return out
