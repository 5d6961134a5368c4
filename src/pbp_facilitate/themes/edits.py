"""Facilitator edits: checked once, replayed in order after every fit.

Each operation is one function, found through the table :data:`_OPS` with the
keys it needs and the type each must have; :data:`EDIT_OPS` lists them. An edit
that names a theme or an item that no longer exists is skipped with a reason,
never fatal. Light to import (scikit-learn loads when a split runs), so the
participant server can check an edit before anything is fitted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from ..errors import ValidationError

__all__ = ["EDIT_OPS", "Replay", "replay_edits", "validate_edits"]


@dataclass
class Replay:
    """What the edits change, and what they need to know.

    Attributes
    ----------
    tid : ndarray of int
        Stable theme id per text (-1: other); changed in place.
    Z : ndarray
        Rows the texts were clustered on (a split clusters them again).
    usable : ndarray of bool
        Whether each text has words to cluster on.
    pos_of : dict
        Item id -> position.
    seed : int
        Random seed of splits.
    next_id : int
        Smallest theme id never given out; splits take new ids from it.
    labels_before : dict
        Theme labels of the previous fit (a pin keeps the label it had).
    splits : dict
        ``{edit index: [ids]}``: the ids each split gave out, so a refit does not split again.
    pins : dict
        ``{"theme id": {"members": [...], "label": ...}}``.
    renames : dict
        ``{theme id: label}`` given by renames and labelled merges.
    skipped : list of dict
        Edits that could not be applied, each with its ``index`` and a ``reason``.
    """

    tid: np.ndarray
    Z: np.ndarray
    usable: np.ndarray
    pos_of: Mapping[str, int]
    seed: int
    next_id: int
    labels_before: Mapping[int, str] = field(default_factory=dict)
    splits: dict[str, list[int]] = field(default_factory=dict)
    pins: dict[str, dict[str, Any]] = field(default_factory=dict)
    renames: dict[int, str] = field(default_factory=dict)
    skipped: list[dict[str, Any]] = field(default_factory=list)

    def exists(self, theme_id: int) -> bool:
        """Whether a theme has members now."""
        return bool((self.tid == theme_id).any())


def _rename(r: Replay, i: int, e: Mapping[str, Any]) -> str | None:
    t = int(e["theme_id"])
    if not r.exists(t) and str(t) not in r.pins:
        return f"theme {t} does not exist now"
    r.renames[t] = str(e["label"])
    if str(t) in r.pins:
        r.pins[str(t)]["label"] = str(e["label"])
    return None


def _merge(r: Replay, i: int, e: Mapping[str, Any]) -> str | None:
    ids = [int(t) for t in e["theme_ids"]]
    present = [t for t in ids if r.exists(t)]
    if not present:
        return f"none of themes {ids} exists now"
    target = present[0]
    r.tid[np.isin(r.tid, ids)] = target
    if e.get("label"):
        r.renames[target] = str(e["label"])
    return None


def _split(r: Replay, i: int, e: Mapping[str, Any]) -> str | None:
    t = int(e["theme_id"])
    n_parts = int(e.get("n", 2))
    rec = r.splits.get(str(i))
    if rec and any(r.exists(c) for c in rec[1:]):
        return None  # the refit kept the split (warm start)
    rows = np.flatnonzero((r.tid == t) & r.usable)
    if len(rows) < n_parts or n_parts < 2:
        return f"theme {t} has {len(rows)} usable items, cannot split in {n_parts}"
    from ._cluster import n_distinct_rows

    if n_distinct_rows(r.Z[rows]) < n_parts:
        return f"theme {t} has fewer than {n_parts} distinct texts"
    from sklearn.cluster import KMeans  # loaded when a split runs

    sub = KMeans(n_parts, n_init=3, random_state=r.seed).fit_predict(r.Z[rows])
    order = [c for c, _ in Counter(sub.tolist()).most_common()]
    if rec and len(rec) == len(order):
        new_ids = [int(x) for x in rec]
    else:
        new_ids = [t, *range(r.next_id, r.next_id + len(order) - 1)]
    for c, nid in zip(order, new_ids, strict=True):
        r.tid[rows[sub == c]] = nid
    r.splits[str(i)] = new_ids
    r.next_id = max(r.next_id, max(new_ids) + 1)
    return None


def _move(r: Replay, i: int, e: Mapping[str, Any]) -> str | None:
    p = r.pos_of.get(str(e["item_id"]))
    t = int(e["theme_id"])
    if p is None:
        return f"item {e['item_id']!r} is not in this input"
    if t != -1 and not r.exists(t) and str(t) not in r.pins:
        return f"theme {t} does not exist now"
    r.tid[p] = t
    return None


def _pin(r: Replay, i: int, e: Mapping[str, Any]) -> str | None:
    t = int(e["theme_id"])
    rec = r.pins.get(str(t))
    if rec is None:
        members = [iid for iid, p in r.pos_of.items() if r.tid[p] == t]
        if not members:
            return f"theme {t} does not exist now"
        r.pins[str(t)] = {"members": members, "label": r.renames.get(t) or r.labels_before.get(t)}
        return None
    for iid in rec["members"]:
        p = r.pos_of.get(iid)
        if p is not None:
            r.tid[p] = t
    return None


def _unpin(r: Replay, i: int, e: Mapping[str, Any]) -> str | None:
    t = int(e["theme_id"])
    if r.pins.pop(str(t), None) is None:
        return f"theme {t} is not pinned"
    return None


def _is_theme_id(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v >= -1


def _is_label(v: Any) -> bool:
    return isinstance(v, str) and 0 < len(" ".join(v.split())) <= LABEL_MAX


def _is_theme_ids(v: Any) -> bool:
    return isinstance(v, list) and len(set(map(str, v))) >= 2 and all(_is_theme_id(t) for t in v)


def _is_parts(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and 2 <= v <= SPLIT_MAX


def _is_item_id(v: Any) -> bool:
    return isinstance(v, str) and 0 < len(v) <= 40


LABEL_MAX = 120
"""Longest facilitator label, in characters."""
SPLIT_MAX = 6
"""Most parts one split makes."""

_KEYS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "theme_id": (_is_theme_id, "a theme id (an integer, as in GET .../themes)"),
    "label": (_is_label, f"a label of 1 to {LABEL_MAX} characters"),
    "theme_ids": (_is_theme_ids, "a list of at least 2 different theme ids"),
    "n": (_is_parts, f"the number of parts, an integer from 2 to {SPLIT_MAX}"),
    "item_id": (_is_item_id, "a submission id (a string)"),
}
"""Every key an edit can carry -> its check and what it should be (for the error)."""


class _Op(NamedTuple):
    needs: tuple[str, ...]
    optional: tuple[str, ...]
    apply: Callable[[Replay, int, Mapping[str, Any]], str | None]


_OPS: dict[str, _Op] = {
    "rename": _Op(("theme_id", "label"), (), _rename),
    "merge": _Op(("theme_ids",), ("label",), _merge),
    "split": _Op(("theme_id",), ("n",), _split),
    "move": _Op(("item_id", "theme_id"), (), _move),
    "pin": _Op(("theme_id",), (), _pin),
    "unpin": _Op(("theme_id",), (), _unpin),
}
"""Edit operation -> the keys it needs, the keys it may carry, and the function that applies it."""

EDIT_OPS: tuple[str, ...] = tuple(_OPS)
"""Facilitator edit operations understood by :class:`~pbp_facilitate.themes.ThemeModel`."""


def validate_edits(edits: Any) -> list[dict[str, Any]]:
    """Check a list of edits and return copies of them.

    Raises
    ------
    ValidationError
        If ``edits`` is one dict instead of a list, an edit has an unknown
        ``op`` or lacks a key its operation needs.
    """
    if edits is None:
        return []
    if isinstance(edits, Mapping):
        raise ValidationError(
            "edits expected a list of edit dicts, got one dict; wrap it in a list."
        )
    out = []
    for i, e in enumerate(edits):
        if not isinstance(e, Mapping) or e.get("op") not in _OPS:
            raise ValidationError(
                f"Edit {i} ({e!r:.80}) is not understood; expected a dict with 'op' one of "
                f"{list(EDIT_OPS)}.",
                code="bad_edit",
            )
        op = _OPS[e["op"]]
        missing = [k for k in op.needs if k not in e]
        if missing:
            raise ValidationError(
                f"Edit {i} ({e['op']}) lacks {missing}; see the pbp_facilitate.themes docs.",
                code="bad_edit",
            )
        for k in (*op.needs, *op.optional):
            if k in e and not _KEYS[k][0](e[k]):
                raise ValidationError(
                    f"Edit {i} ({e['op']}): {k!r} should be {_KEYS[k][1]}, got {e[k]!r:.80}.",
                    field=k,
                    code="bad_edit",
                )
        out.append(dict(e))
    return out


def replay_edits(edits: list[dict[str, Any]], replay: Replay) -> None:
    """Apply checked ``edits`` in order to ``replay`` (skipped ones go to ``replay.skipped``)."""
    for i, e in enumerate(edits):
        why = _OPS[e["op"]].apply(replay, i, e)
        if why is not None:
            replay.skipped.append({"index": i, **e, "reason": why})
