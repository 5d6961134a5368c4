"""Themes from what people said: clustering, labels, quotes, stable ids and edits.

The default pipeline needs only scikit-learn and numpy:

1. words are lower-cased, accents removed, English, Spanish and civic stop
   words dropped (:mod:`pbp_facilitate.text.stopwords`); every word longer than
   five letters also yields its five-letter prefix (a crude stemmer that works
   for English and Spanish alike), and Spanish civic words also yield their
   English equivalent (``data/glossary_es_en.txt``);
2. TF-IDF (sublinear) then LSA (:class:`~sklearn.decomposition.TruncatedSVD`)
   to at most 100 dimensions, rows L2-normalised; when English and Spanish
   texts are both present, each language's mean offset is removed;
3. k-means (k fixed, or the size-based default ``auto_k(n) =
   clamp(round(sqrt(n / 4)), 3, 30)``; with the static table, refined by an
   interior silhouette maximum on the static embeddings within 0.2-2x);
4. a few rounds of self-training: a Complement Naive Bayes classifier is fit
   on the cluster labels over the TF-IDF words and relabels every text, which
   repairs short texts that k-means placed by one ambiguous word;
5. "other / unclear" (-1): texts without content words, texts sharing no
   word with the rest of their theme, themes below ``min_theme_size``;
6. labels from the top within-theme TF-IDF words and two-word phrases, and
   quotes nearest the theme centre.

``method="static"`` adds a static word-piece embedding table distilled from
the sentence-transformers model all-MiniLM-L6-v2 (see
:func:`build_static_model`, or ``pbp build-static-model``): texts that share
no words but mean the same (e.g. "bus" and "transit") then land together. It
runs at TF-IDF speed with numpy alone once the table is built.
``docs/themes.md`` has the measurements.

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

Edits naming a theme or item that no longer exists are skipped and listed in
``skipped_edits_``. Remove an edit from the stored list to undo it.

Modules, one job each:

- :mod:`.model`: :class:`ThemeModel` (the estimator: parameter table, fit
  steps, results), :class:`Theme`, :func:`find_themes`, input checks;
- :mod:`._analyzer`: the words of a text (stop words, prefixes, glossary, phrases);
- :mod:`.embed`: vectors (TF-IDF, LSA, language centring) and the static
  table (:func:`build_static_model`, :func:`load_static_model`,
  :func:`static_model_available`);
- :mod:`._cluster`: k-means, self-training, :func:`auto_k`, stable ids by overlap;
- :mod:`.edits`: facilitator edits, one function per operation (:data:`EDIT_OPS`);
- :mod:`.describe`: labels from key phrases, display spellings, quotes, top terms;
- :mod:`._json`: the snapshot a refit starts from, :func:`themes_to_json`;
- :mod:`.session`: themes of a stored session (``fit_stored_session``,
  ``compute_themes`` for the live board);
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
    from .edits import EDIT_OPS
    from .embed import (
        STATIC_MODEL_PATH,
        SentenceEncoder,
        build_static_model,
        load_static_model,
        semantic_available,
        static_model_available,
    )
    from .display import theme_label
    from .model import Theme, ThemeModel, find_themes

# Imported on first use: the model needs scikit-learn (about 1.5 s to import), which the
# dashboard should not wait for before it draws; :mod:`.session` and :mod:`.wordclouds` stay light.
_LAZY = {
    "Theme": "model",
    "ThemeModel": "model",
    "find_themes": "model",
    "themes_to_json": "_json",
    "theme_label": "display",
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
