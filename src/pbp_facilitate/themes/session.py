"""Themes of a stored session, fitted the one way the dashboard, the summaries and the CLI share.

The latest snapshot is the ``previous`` fit (stable ids and labels), the
facilitator's edits are replayed in order, hidden ideas are left out, and the
prompts' own words are not themes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from ..errors import PbpError
from ..store import PromptRecord, Store
from . import ThemeModel, find_themes

__all__ = ["fit_session_themes", "fit_stored_session", "prompt_stop_words"]

_WORD = re.compile(r"(?u)\b\w\w+\b")


def prompt_stop_words(prompts: Iterable[PromptRecord]) -> tuple[str, ...]:
    """Return the words of the prompts' texts (all languages), lower-cased and sorted."""
    return tuple(sorted({m.lower() for p in prompts for txt in p.text.values() for m in _WORD.findall(txt)}))


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
        defaults to ``"auto"``: the semantic static table when it has been built
        (``python -m pbp_facilitate.themes build-static-model``), else TF-IDF.

    Returns
    -------
    ThemeModel
        Fitted.
    """
    kwargs.setdefault("method", "auto")  # the static embedding table where it was built, else TF-IDF
    kw: dict[str, Any] = {"ids": list(ids), "edits": list(edits or []) or None,
                          "extra_stop_words": prompt_stop_words(prompts),
                          "languages": tuple(languages) or ("en", "es"), **kwargs}
    if previous:
        try:
            return find_themes(list(texts), previous=previous, **kw)
        except PbpError:
            pass  # an unreadable snapshot: fit afresh
    return find_themes(list(texts), **kw)


def fit_stored_session(store: Store, session_id: int, *, save: bool = False, **kwargs: Any) -> ThemeModel:
    """Fit a stored session's themes (see :func:`fit_session_themes`); optionally store the snapshot."""
    from . import themes_to_json

    session = store.get_session(session_id)
    subs = store.list_submissions(session_id)
    model = fit_session_themes(
        [s.text for s in subs], [s.id for s in subs], prompts=store.list_prompts(session_id),
        languages=session.languages, previous=store.latest_theme_snapshot(session_id),
        edits=store.list_theme_edits(session_id), **kwargs,
    )
    if save:
        store.save_theme_snapshot(session_id, themes_to_json(model))
    return model
