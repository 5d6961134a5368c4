"""Themes from what people said: clustering, labels, quotes, stable ids and edits.

The default (``method="auto"``, which is ``"semantic"`` on every install) needs
nothing beyond the kit's dependencies:

1. each idea becomes a multilingual sentence vector (Universal Sentence Encoder
   multilingual v3 in numpy, :class:`~.embed.SentenceEncoder`; English and
   Spanish share one space, so "buses at night" meets "autobuses de noche"),
   encoded once and cached (and kept in the store by :mod:`.session`);
2. beside it, lighter, the words: folded, stop words dropped, five-letter
   prefixes and the Spanish-English civic glossary, TF-IDF then LSA;
3. a first fit of up to 3,000 ideas is clustered with Ward's method
   (deterministic), larger ones with k-means; the number of themes is the
   size-based :func:`auto_k` (about 10 for 100 ideas), moved to a silhouette
   peak from 300 ideas on; a theme holding over a quarter of the ideas is
   split unless it is as tight as the others;
4. "other / unclear" (-1): texts without content words, texts whose vector is
   near no other member of their theme, themes below ``min_theme_size``;
5. labels: short phrases members wrote, per language among the members, each
   word used by at least two ideas (:mod:`._labels`); quotes nearest the centre.

``method="tfidf"`` is the words alone (with Naive Bayes self-training);
``method="static"`` adds the English static MiniLM table (see
:func:`build_static_model`). ``docs/themes.md`` has the measurements.

Two kinds of theme numbers exist; do not mix them up:

* ``labels_[i]`` is the *position* of text ``i``'s theme in ``themes_``
  (0 is the largest theme), or -1 for "other / unclear";
* ``theme_ids_[i]`` and ``Theme.id`` are *stable ids*: small integers that
  survive refits (use them for colours, card keys and edits).

Facilitator edits are plain JSON-able dicts, replayed in order after every fit:

``{"op": "rename", "theme_id": 3, "label": "Safe streets"}``
    Give theme 3 a fixed label.
``{"op": "merge", "theme_ids": [3, 5], "label": "..."}``
    Move every member of 5 into 3 (the first listed that exists); ``label``
    optional.
``{"op": "split", "theme_id": 3, "n": 2}``
    Split theme 3 into ``n`` themes; the largest part keeps id 3. The new ids
    are recorded in the snapshot so the split is not repeated on refit.
``{"op": "move", "item_id": "s-17", "theme_id": 5}``
    Put item ``s-17`` into theme 5 (-1: "other").
``{"op": "pin", "theme_id": 3}``
    Freeze theme 3: the members and label it has when first pinned stay with
    it after every refit (new items may still join it).
``{"op": "unpin", "theme_id": 3}``
    Remove theme 3's pin.

Edits naming a theme or item that no longer exists are skipped and listed in
``skipped_edits_``. For a stored session, :func:`edit_themes` is the one path of
an edit (checked against the current themes, stored, refitted into a new
version) and ``{"op": "undo"}`` undoes the latest edit (it stays in the audit
trail). :func:`current_themes` reads the session's current themes and their
version, the one set every screen shows; :func:`start_theme_vote` opens a dot
vote on them by id, and :func:`ballot_options` / :func:`round_totals` name its
options by the themes' labels at display time.

Modules, one job each:

- :mod:`.model`: :class:`ThemeModel` (the estimator: parameter table, fit
  steps, results), :class:`Theme`, :func:`find_themes`, input checks;
- :mod:`._analyzer`: the words of a text (stop words, prefixes, glossary, phrases);
- :mod:`.embed`: vectors (sentence vectors, TF-IDF, LSA, language centring) and the static
  table (:func:`build_static_model`, :func:`load_static_model`,
  :func:`static_model_available`);
- :mod:`._cluster`: k-means, self-training, :func:`auto_k`, stable ids by overlap;
- :mod:`.edits`: facilitator edits, one function per operation (:data:`EDIT_OPS`);
- :mod:`._labels`: phrase labels per language, kept across refits;
- :mod:`.describe`: key phrases, display spellings, quotes, top terms;
- :mod:`.display`: :func:`theme_label`, the label a viewer reads (light);
- :mod:`._json`: the snapshot a refit starts from, :func:`themes_to_json`;
- :mod:`.current`: the session's current themes and version, ballots on them (light);
- :mod:`.session`: themes of a stored session (``fit_stored_session``,
  ``compute_themes`` for the live board, :func:`edit_themes`);
- :mod:`.wordclouds`: word clouds as PNG or matplotlib figures.

Every name is imported on first use, so :mod:`.session` (the store) and :mod:`.wordclouds`
can be imported without loading the model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import lazy_exports

if TYPE_CHECKING:
    from ._cluster import auto_k
    from ._json import themes_to_json
    from .current import (
        ThemeState,
        ballot_options,
        current_themes,
        round_totals,
        start_theme_vote,
    )
    from .display import theme_label
    from .edits import EDIT_OPS
    from .embed import (
        STATIC_MODEL_PATH,
        SentenceEncoder,
        build_static_model,
        load_static_model,
        semantic_available,
        static_model_available,
    )
    from .model import Theme, ThemeModel, find_themes
    from .session import edit_themes

# Imported on first use: the model needs scikit-learn (about 1.5 s to import), which the
# dashboard should not wait for before it draws; :mod:`.session` and :mod:`.wordclouds` stay light.
_LAZY = {
    "Theme": "model",
    "ThemeModel": "model",
    "find_themes": "model",
    "themes_to_json": "_json",
    "theme_label": "display",
    "ThemeState": "current",
    "current_themes": "current",
    "ballot_options": "current",
    "round_totals": "current",
    "start_theme_vote": "current",
    "edit_themes": "session",
    "auto_k": "_cluster",
    "EDIT_OPS": "edits",
    "SentenceEncoder": "embed",
    "semantic_available": "embed",
    "STATIC_MODEL_PATH": "embed",
    "static_model_available": "embed",
    "build_static_model": "embed",
    "load_static_model": "embed",
}

__all__ = [
    "Theme",
    "ThemeModel",
    "find_themes",
    "themes_to_json",
    "theme_label",
    "ThemeState",
    "current_themes",
    "ballot_options",
    "round_totals",
    "start_theme_vote",
    "edit_themes",
    "auto_k",
    "EDIT_OPS",
    "SentenceEncoder",
    "semantic_available",
    "STATIC_MODEL_PATH",
    "static_model_available",
    "build_static_model",
    "load_static_model",
]

__getattr__, __dir__ = lazy_exports(__name__, _LAZY, __all__)
