"""Text helpers every part of the kit shares: one rule each, pinned by tests.

- :mod:`.fold`: accent folding that keeps offsets (:func:`fold`) and folded keys (:func:`fold_key`);
- :mod:`.language`: language guessing with one tie rule (:func:`guess_language`);
- :mod:`.stopwords`: English, Spanish and civic stop words (:func:`stop_words`);
- :mod:`.shorten`: cutting text to fit (:func:`shorten`);
- :mod:`.html`: escaping, tables and figures as HTML (:func:`esc`, :func:`table_html`, ...).

This package imports nothing else of the kit, so everything can import it.
"""

from __future__ import annotations

from .fold import fold, fold_key
from .html import esc, figure_html, figure_png, png_img, table_html, text_html
from .language import GUESSABLE, guess_language, guess_languages
from .shorten import ELLIPSIS, shorten
from .stopwords import CIVIC, ENGLISH, LANGUAGES, SPANISH, stop_words

__all__ = [
    "fold",
    "fold_key",
    "guess_language",
    "guess_languages",
    "GUESSABLE",
    "stop_words",
    "ENGLISH",
    "SPANISH",
    "CIVIC",
    "LANGUAGES",
    "shorten",
    "ELLIPSIS",
    "esc",
    "text_html",
    "table_html",
    "figure_png",
    "png_img",
    "figure_html",
]
