"""Fits as JSON: the snapshot a refit starts from, and :func:`themes_to_json` for the CLI and store.

A snapshot holds ``assignments`` (item id -> theme id), ``next_id`` (no id is
ever given out twice), the ids recorded by splits, the pins, and the themes
without their member lists.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sklearn.utils.validation import check_is_fitted

from ..errors import ValidationError

__all__ = ["SNAPSHOT_VERSION", "make_snapshot", "read_snapshot", "themes_to_json"]

SNAPSHOT_VERSION = 1


def make_snapshot(
    *,
    next_id: int,
    item_ids: list[str],
    tid: Any,
    n_valid: int,
    splits: Mapping[str, Any],
    pins: Mapping[str, Any],
    themes: list[Any],
) -> dict[str, Any]:
    """Return the JSON-able state of a fit (see the module docstring)."""
    return {
        "version": SNAPSHOT_VERSION,
        "next_id": int(next_id),
        "n_items": len(item_ids),
        "n_valid": int(n_valid),
        "assignments": {iid: int(t) for iid, t in zip(item_ids, tid, strict=True) if t >= 0},
        "splits": dict(splits),
        "pins": dict(pins),
        "themes": [th.to_dict() | {"members": []} for th in themes],
    }


def read_snapshot(previous: Any) -> dict[str, Any] | None:
    """Read a previous fit's snapshot: a dict, :func:`themes_to_json` output or its JSON text.

    Returns
    -------
    dict or None
        The snapshot with every field converted to its type; None for None.

    Raises
    ------
    ValidationError
        If ``previous`` is not a readable snapshot.
    """
    if previous is None:
        return None
    if isinstance(previous, str):
        previous = json.loads(previous)
    if not isinstance(previous, Mapping):
        raise ValidationError(
            f"previous expected a snapshot dict (ThemeModel.snapshot() or themes_to_json()), "
            f"got {type(previous).__name__}.",
            code="bad_previous",
        )
    snap = previous.get("state", previous)
    if not isinstance(snap, Mapping) or not isinstance(snap.get("assignments"), Mapping):
        raise ValidationError(
            "previous has no 'assignments'; pass the dict from ThemeModel.snapshot() or the "
            "'state' part of themes_to_json().",
            code="bad_previous",
        )
    out = dict(snap)
    try:
        out["assignments"] = {str(k): int(v) for k, v in snap["assignments"].items()}
        out["next_id"] = int(snap.get("next_id", 0))
        out["n_valid"] = int(snap.get("n_valid", len(out["assignments"])))
        out["splits"] = {
            str(k): [int(x) for x in v] for k, v in dict(snap.get("splits", {})).items()
        }
        out["pins"] = {
            str(k): {"members": [str(m) for m in v["members"]], "label": v.get("label")}
            for k, v in dict(snap.get("pins", {})).items()
        }
        out["themes"] = [
            {
                "id": int(t["id"]),
                "label": str(t.get("label", "")),
                "label_source": str(t.get("label_source", "auto")),
                "labels": {str(k): str(v) for k, v in dict(t.get("labels") or {}).items()},
            }
            for t in snap.get("themes", [])
        ]
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise ValidationError(
            f"previous is not a readable theme snapshot ({exc!r}); pass the dict from "
            "ThemeModel.snapshot() unchanged, or fit without it (ids may then change).",
            code="bad_previous",
        ) from exc
    return out


def themes_to_json(model: Any, *, include_state: bool = True) -> dict[str, Any]:
    """Turn a fitted model into a JSON-able dict for the CLI and the store.

    Parameters
    ----------
    model : ThemeModel
        A fitted model.
    include_state : bool, default True
        Add the model's :meth:`~pbp_facilitate.themes.ThemeModel.snapshot` as ``state``.

    Returns
    -------
    dict
        ``{"labels": [...], "theme_ids": [...], "ids": [...], "themes": [...],
        "overall_terms": [...], "state": {...}}`` where ``labels`` are positions
        in ``themes`` (-1 other), ``theme_ids`` the stable ids, ``themes`` the
        :meth:`~pbp_facilitate.themes.Theme.to_dict` dicts and ``state`` the
        snapshot to pass back as ``previous`` (left out with ``include_state=False``).

    Raises
    ------
    sklearn.exceptions.NotFittedError
        If ``model`` is not fitted.
    """
    check_is_fitted(model, "themes_")
    out: dict[str, Any] = {
        "labels": [int(v) for v in model.labels_],
        "theme_ids": [int(v) for v in model.theme_ids_],
        "ids": list(model.ids_),
        "themes": [th.to_dict() for th in model.themes_],
        "overall_terms": [[t, w] for t, w in model.overall_terms_],
    }
    if include_state:
        out["state"] = model.snapshot()
    return out
