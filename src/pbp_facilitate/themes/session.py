"""Themes of a stored session, fitted the one way the dashboard, the summaries and the CLI share.

The latest snapshot is the ``previous`` fit (stable ids and labels), the
facilitator's edits are replayed in order, hidden ideas are left out, and the
prompts' own words are not themes. :func:`compute_themes` is the refit that
makes a new version of the session's current themes (stored only if nobody
stored another version meanwhile, else done again on the newer one), plus a
word cloud per theme. :func:`edit_themes` is the one path of a facilitator's
edit (dashboard buttons and ``POST /pbp/api/sessions/<sid>/themes/edits``):
check, store, refit; ``{"op": "undo"}`` undoes the latest edit by refitting
from the version it was made on.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import ConflictError, PbpError, ValidationError
from ..store import PromptRecord, Store
from ._analyzer import TOKEN_RE
from .current import current_themes
from .display import primary_language
from .edits import EDIT_OPS, validate_edits
from .wordclouds import cloud_png

if TYPE_CHECKING:
    from .model import ThemeModel

__all__ = [
    "ThemeFit",
    "cloud_key",
    "compute_themes",
    "edit_themes",
    "warm_up",
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


_LATEST: Any = object()


def fit_stored_session(
    store: Store,
    session_id: int,
    *,
    save: bool = False,
    previous: Mapping[str, Any] | None = _LATEST,
    **kwargs: Any,
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
    previous : dict or None, optional
        The snapshot to start from (default the session's latest; None: afresh).
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
        previous=store.latest_theme_snapshot(session_id) if previous is _LATEST else previous,
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
    version : int
        The themes version this is (0: not stored).
    """

    data: dict[str, Any]
    clouds: dict[int, bytes] = field(default_factory=dict)
    item_ids: frozenset[str] = frozenset()
    seconds: float = 0.0
    version: int = 0

    @classmethod
    def of_stored(
        cls,
        version: int,
        data: dict[str, Any],
        clouds: dict[int, bytes] | None = None,
        *,
        seconds: float = 0.0,
    ) -> ThemeFit:
        """A stored version as a fit: the submissions it saw are the snapshot's ``ids``."""
        return cls(
            data=data,
            clouds=clouds or {},
            item_ids=frozenset(str(i) for i in data.get("ids", [])),
            seconds=seconds,
            version=version,
        )


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
    previous: Mapping[str, Any] | None = _LATEST,
    attempts: int = 4,
) -> ThemeFit:
    """Refit a session's themes from its visible ideas, the last snapshot and the stored edits.

    Runs in a worker thread: it only reads and writes the store and returns data. The new
    snapshot is stored only if the session's themes version is still the one the fit started
    from; when another screen stored a version first, the fit is done again on that one.

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
        Store the new snapshot as the session's current themes.
    previous : dict or None, optional
        Start from this snapshot instead of the latest (an undo starts from the version
        the undone edit was made on).
    attempts : int
        How many times to refit when others keep storing versions first.

    Returns
    -------
    ThemeFit

    Raises
    ------
    ConflictError
        When every attempt lost the race (the themes kept changing).
    """
    from ._json import themes_to_json

    t0 = time.perf_counter()
    for attempt in range(attempts):
        got = store.theme_state(session_id)
        base, latest = got if got else (0, None)
        start = latest if previous is _LATEST else previous
        # The one way: the summaries and the CLI fit through it too.
        model = fit_stored_session(store, session_id, previous=start)
        data = themes_to_json(model)
        version = 0
        if save:
            try:
                version = store.save_theme_snapshot(session_id, data, expect_version=base)
            except ConflictError:
                if attempt == attempts - 1:
                    raise
                continue
        break
    pngs: dict[int, bytes] = {}
    if clouds:
        pngs = draw_clouds(data, cloud_cache)
    return ThemeFit(
        data=data,
        clouds=pngs,
        item_ids=frozenset(str(i) for i in model.ids_),
        seconds=time.perf_counter() - t0,
        version=version,
    )


def draw_clouds(
    data: Mapping[str, Any], cloud_cache: Mapping[tuple, bytes] | None = None
) -> dict[int, bytes]:
    """Return ``{theme id: word-cloud PNG}`` for a snapshot, reusing unchanged clouds."""
    pngs: dict[int, bytes] = {}
    for th in data.get("themes", []):
        hit = (cloud_cache or {}).get(cloud_key(th))
        pngs[int(th["id"])] = hit if hit is not None else cloud_png(th["terms"])
    return pngs


def edit_themes(
    store: Store,
    session_id: int,
    edit: Mapping[str, Any],
    *,
    actor: str = "facilitator",
    clouds: bool = False,
    cloud_cache: Mapping[tuple, bytes] | None = None,
) -> ThemeFit:
    """Apply one facilitator edit to the session's current themes; return the new version.

    The edit is checked against the current themes, stored (with the version it was made
    on), and the themes are refitted and stored as a new version that every screen picks
    up. ``{"op": "undo"}`` undoes the latest edit that still applies: it stays in the audit
    trail, and the themes are refitted from the version it was made on (so an undone split
    or merge really comes apart again); ``{"op": "unpin", "theme_id": n}`` removes a pin.

    Parameters
    ----------
    store : Store
        The store.
    session_id : int
        The session.
    edit : mapping
        ``{"op": "rename"|"merge"|"split"|"move"|"pin"|"unpin"|"undo", ...}`` (see
        :mod:`pbp_facilitate.themes`).
    actor : str
        Who edits (audit trail).
    clouds, cloud_cache
        As for :func:`compute_themes`.

    Returns
    -------
    ThemeFit

    Raises
    ------
    ValidationError
        When the edit is malformed or names a theme or idea that is not there now.
    NotFoundError
        For an undo with nothing left to undo.
    """
    if not isinstance(edit, Mapping):
        raise ValidationError(
            f'Expected one edit object such as {{"op": "rename", "theme_id": 3, "label": '
            f'"Buses at night"}}, got {type(edit).__name__}.',
            code="bad_edit",
        )
    if edit.get("op") == "undo":
        undone = store.undo_theme_edit(session_id, actor=actor)
        base = undone.get("_base_version")
        start: Any = _LATEST
        if base is not None:
            start = store.theme_snapshot(session_id, int(base)) if base else None
        return compute_themes(
            store, session_id, clouds=clouds, cloud_cache=cloud_cache, previous=start
        )
    if edit.get("op") not in EDIT_OPS:
        raise ValidationError(
            f"This edit ({dict(edit)!r:.80}) is not understood; expected 'op' one of "
            f"{[*EDIT_OPS, 'undo']}.",
            field="op",
            code="bad_edit",
        )
    try:
        (checked,) = validate_edits([edit])
    except ValidationError as exc:
        raise ValidationError(
            str(exc).replace("Edit 0 ", "This edit ", 1), field=exc.field, code=exc.code
        ) from exc
    state = current_themes(store, session_id)
    _check_against(checked, state, store, session_id)
    if "label" in checked:
        checked["label"] = " ".join(str(checked["label"]).split())
    store.add_theme_edit(session_id, checked, actor=actor, base_version=state.version)
    if checked["op"] == "rename":
        # A new label moves no idea: the current version with the label changed, at once
        # (the next refit replays the rename as every edit).
        t0 = time.perf_counter()
        langs = [primary_language(x) for x in store.get_session(session_id).languages] or ["en"]
        data = _renamed(state.data, int(checked["theme_id"]), str(checked["label"]), langs)
        try:
            version = store.save_theme_snapshot(session_id, data, expect_version=state.version)
        except ConflictError:
            pass  # someone stored a version meanwhile: refit on it (the rename replays)
        else:
            return ThemeFit.of_stored(
                version,
                data,
                draw_clouds(data, cloud_cache) if clouds else {},
                seconds=time.perf_counter() - t0,
            )
    return compute_themes(store, session_id, clouds=clouds, cloud_cache=cloud_cache)


def warm_up() -> None:
    """Load the theme model and the sentence encoder now (about 15 s cold), so the first
    edit or refit that follows does not wait for them. Idempotent; cheap once loaded.
    """
    from . import model  # noqa: F401  (scikit-learn and the fit steps)
    from .embed import default_encoder, semantic_available

    if semantic_available():
        default_encoder()._network()


def _renamed(
    data: Mapping[str, Any], theme_id: int, label: str, languages: Sequence[str]
) -> dict[str, Any]:
    """A copy of a stored snapshot with theme ``theme_id`` labelled ``label`` in every
    language, as a refit with the rename replayed labels it.
    """
    import copy

    out = copy.deepcopy(dict(data))
    for part in (out, out.get("state") or {}):
        for th in part.get("themes", []):
            if int(th.get("id", -2)) == theme_id:
                th["label"], th["label_source"] = label, "facilitator"
                th["labels"] = dict.fromkeys(th.get("labels") or languages[:1], label)
        pin = (part.get("pins") or {}).get(str(theme_id))
        if isinstance(pin, dict):
            pin["label"] = label
    return out


def _check_against(edit: Mapping[str, Any], state: Any, store: Store, session_id: int) -> None:
    """Refuse an edit that names a theme or idea the current themes do not have."""
    themes = state.by_id()
    listed = ", ".join(str(t) for t in sorted(themes)) or "none yet"

    def need(tid: int) -> None:
        if tid not in themes:
            raise ValidationError(
                f"There is no theme {tid} now (the current themes are {listed}); read GET "
                f".../themes again and use one of those ids.",
                field="theme_id",
                code="no_theme",
            )

    op = edit["op"]
    if op in ("rename", "split", "pin", "unpin"):
        need(int(edit["theme_id"]))
    if op == "merge":
        for tid in edit["theme_ids"]:
            need(int(tid))
    if op == "split":
        n, size = int(edit.get("n", 2)), themes[int(edit["theme_id"])]["size"]
        if size < n:
            raise ValidationError(
                f"Theme {edit['theme_id']} cannot be split in {n}: ideas in it now: {size}.",
                field="n",
                code="too_small",
            )
    if op == "pin" and themes[int(edit["theme_id"])]["pinned"]:
        raise ValidationError(
            f"Theme {edit['theme_id']} is pinned already.", field="theme_id", code="pinned"
        )
    if op == "unpin" and not themes[int(edit["theme_id"])]["pinned"]:
        raise ValidationError(
            f"Theme {edit['theme_id']} is not pinned; nothing to unpin.",
            field="theme_id",
            code="not_pinned",
        )
    if op == "move":
        if int(edit["theme_id"]) != -1:
            need(int(edit["theme_id"]))
        ids = {s.id for s in store.list_submissions(session_id)}
        if str(edit["item_id"]) not in ids:
            raise ValidationError(
                f"There is no visible idea {edit['item_id']!r} in this session.",
                field="item_id",
                code="no_item",
            )
