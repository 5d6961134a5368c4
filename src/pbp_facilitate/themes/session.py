"""Themes of a stored session, fitted the one way the dashboard, the summaries and the CLI share.

The latest snapshot is the ``previous`` fit (stable ids and labels), the
facilitator's edits are replayed in order, hidden ideas are left out, and the
prompts' own words are not themes. :func:`compute_themes` is the live theme
board's refit: the same fit, stored, plus a word cloud per theme.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import PbpError
from ..store import PromptRecord, Store
from ._analyzer import TOKEN_RE
from .wordclouds import cloud_png

if TYPE_CHECKING:
    from .model import ThemeModel

__all__ = [
    "ThemeFit",
    "cloud_key",
    "compute_themes",
    "fit_session_themes",
    "fit_stored_session",
    "prompt_stop_words",
]


def prompt_stop_words(prompts: Iterable[PromptRecord]) -> tuple[str, ...]:
    """Return the words of the prompts' texts (all languages), lower-cased and sorted."""
    return tuple(
        sorted(
            {m.lower() for p in prompts for txt in p.text.values() for m in TOKEN_RE.findall(txt)}
        )
    )


def fit_session_themes(
    texts: Sequence[str],
    ids: Sequence[str],
    *,
    prompts: Iterable[PromptRecord] = (),
    languages: Sequence[str] = ("en", "es"),
    previous: dict[str, Any] | None = None,
    edits: Sequence[dict[str, Any]] | None = None,
    **kwargs: Any,
) -> ThemeModel:
    """Fit themes for a session's visible ideas.

    Parameters
    ----------
    texts, ids : sequence of str
        The visible ideas and their submission ids.
    prompts : iterable of PromptRecord
        The session's prompts; their words are extra stop words.
    languages : sequence of str
        The session's languages.
    previous : dict, optional
        The latest stored snapshot; an unreadable one is ignored (ids may then change).
    edits : sequence of dict, optional
        Stored facilitator edits, oldest first.
    **kwargs
        More :class:`~pbp_facilitate.themes.ThemeModel` parameters (e.g. ``n_themes``); ``method``
        defaults to ``"auto"``: the multilingual sentence vectors.

    Returns
    -------
    ThemeModel
        Fitted.
    """
    kwargs.setdefault("method", "auto")
    kw: dict[str, Any] = {
        "ids": list(ids),
        "edits": list(edits or []) or None,
        "extra_stop_words": prompt_stop_words(prompts),
        "languages": tuple(languages) or ("en", "es"),
        **kwargs,
    }
    from .model import find_themes  # scikit-learn: loaded when a fit is asked for

    if previous:
        try:
            return find_themes(list(texts), previous=previous, **kw)
        except PbpError:
            pass  # an unreadable snapshot: fit afresh
    return find_themes(list(texts), **kw)


def fit_stored_session(
    store: Store, session_id: int, *, save: bool = False, **kwargs: Any
) -> ThemeModel:
    """Fit a stored session's themes (see :func:`fit_session_themes`), optionally storing them.

    Parameters
    ----------
    store : Store
        The store.
    session_id : int
        The session.
    save : bool, default False
        Store :func:`~pbp_facilitate.themes.themes_to_json` of the fit as the
        session's latest snapshot.
    **kwargs
        More :class:`~pbp_facilitate.themes.ThemeModel` parameters.

    Returns
    -------
    ThemeModel
        Fitted on the session's visible ideas. With the semantic method, the
        ideas' stored sentence vectors are used (for the exact text they were
        computed from) and the ones this fit computed are stored, so no idea is
        encoded twice, even by another process.
    """
    session = store.get_session(session_id)
    subs = store.list_submissions(session_id)
    stored = _recall_vectors(store, session_id, subs, kwargs.get("method", "auto"))
    model = fit_session_themes(
        [s.text for s in subs],
        [s.id for s in subs],
        prompts=store.list_prompts(session_id),
        languages=session.languages,
        previous=store.latest_theme_snapshot(session_id),
        edits=store.list_theme_edits(session_id),
        **kwargs,
    )
    if getattr(model, "method_", None) == "semantic":
        _keep_vectors(store, subs, stored)
    if save:
        from ._json import themes_to_json

        store.save_theme_snapshot(session_id, themes_to_json(model))
    return model


def _recall_vectors(store: Store, session_id: int, subs: Sequence[Any], method: str) -> set[str]:
    """Put the session's stored sentence vectors into the encoder's cache; return their ids.

    A vector is used only for the exact text it was computed from (its digest).
    Nothing is loaded for the word methods or without the encoder.
    """
    if method not in ("auto", "semantic"):
        return set()
    from .embed import default_encoder, semantic_available, text_digest, vector_from_bytes

    if not semantic_available():
        return set()
    enc = default_encoder()
    rows = store.load_vectors(session_id, enc.model)
    texts, vecs, ok = [], [], set()
    for sub in subs:
        hit = rows.get(sub.id)
        if hit is None or hit[0] != text_digest(sub.text):
            continue
        v = vector_from_bytes(hit[1])
        if v is not None:
            texts.append(sub.text)
            vecs.append(v)
            ok.add(sub.id)
    enc.remember(texts, vecs)
    return ok


def _keep_vectors(store: Store, subs: Sequence[Any], stored: set[str]) -> None:
    """Store the vectors this fit computed for ideas that had none, so none is encoded twice."""
    from .embed import default_encoder, text_digest, vector_to_bytes

    enc = default_encoder()
    rows = {}
    for sub in subs:
        if sub.id in stored:
            continue
        v = enc.cached(sub.text)
        if v is not None:
            rows[sub.id] = (text_digest(sub.text), vector_to_bytes(v))
    if rows:
        store.save_vectors(enc.model, rows)


@dataclass
class ThemeFit:
    """One refit's result: the stored snapshot plus word clouds.

    Attributes
    ----------
    data : dict
        :func:`~pbp_facilitate.themes.themes_to_json` output as stored.
    clouds : dict
        ``{theme id: PNG bytes}``.
    item_ids : frozenset of str
        The visible submissions the fit saw.
    seconds : float
        Wall time of fit plus clouds.
    """

    data: dict[str, Any]
    clouds: dict[int, bytes] = field(default_factory=dict)
    item_ids: frozenset[str] = frozenset()
    seconds: float = 0.0


def cloud_key(theme: Mapping[str, Any]) -> tuple:
    """Cache key of a theme's word cloud: its id and top words in order.

    A cloud is redrawn only when these change, not on every small weight shift.
    """
    return (int(theme["id"]), tuple(str(t) for t, _ in theme.get("terms", [])[:15]))


def compute_themes(
    store: Store,
    session_id: int,
    *,
    clouds: bool = True,
    cloud_cache: Mapping[tuple, bytes] | None = None,
    save: bool = True,
) -> ThemeFit:
    """Refit a session's themes from its visible ideas, the last snapshot and the stored edits.

    Runs in a worker thread: it only reads and writes the store and returns data.

    Parameters
    ----------
    store : Store
        The store.
    session_id : int
        The session.
    clouds : bool
        Also draw a word cloud per theme.
    cloud_cache : mapping, optional
        ``{cloud_key(theme): png}`` from earlier fits; unchanged clouds are reused.
    save : bool
        Store the new snapshot (the ``previous`` of the next refit).

    Returns
    -------
    ThemeFit
    """
    t0 = time.perf_counter()
    # The one way: the summaries and the CLI fit through it too.
    model = fit_stored_session(store, session_id)
    from ._json import themes_to_json

    data = themes_to_json(model)
    if save:
        store.save_theme_snapshot(session_id, data)
    pngs: dict[int, bytes] = {}
    if clouds:
        for th in data["themes"]:
            hit = (cloud_cache or {}).get(cloud_key(th))
            pngs[int(th["id"])] = hit if hit is not None else cloud_png(th["terms"])
    return ThemeFit(
        data=data,
        clouds=pngs,
        item_ids=frozenset(str(i) for i in model.ids_),
        seconds=time.perf_counter() - t0,
    )
