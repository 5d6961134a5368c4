"""What a theme says besides its label: key phrases, quotes, and weighted terms for word clouds.

A theme's key phrases are the words and two-word phrases most typical of it
(within-theme TF-IDF times the square root of its lift over all input),
without repeats, variants (plurals, translations) or rare phrases of common
words; they are shown in their most common original spelling. Quotes are
the members nearest the theme's centre, duplicates dropped.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ..text import fold_key, shorten
from ._analyzer import TOKEN_RE, word_key

__all__ = ["Description", "describe", "display_token", "distinct_rows", "top_terms"]


@dataclass
class Description:
    """The automatic text of one theme.

    Attributes
    ----------
    key_phrases : list of str
        Up to three phrases in their most common spelling.
    quotes : list of str
        Representative members, nearest the centre first.
    terms : list of (str, float)
        Top terms with weights in (0, 1].
    """

    key_phrases: list[str]
    quotes: list[str]
    terms: list[tuple[str, float]]


def describe(
    docs: Sequence[str],
    tid: np.ndarray,
    Z: np.ndarray,
    X: sp.csr_matrix | None,
    label_cols: np.ndarray,
    vocab: np.ndarray,
    *,
    glossary: Mapping[str, str] | None = None,
    n_quotes: int = 3,
    n_terms: int = 30,
) -> dict[int, Description]:
    """Describe every theme of a fit.

    Parameters
    ----------
    docs : sequence of str
        All texts.
    tid : ndarray of int
        Stable theme id per text (-1: other).
    Z : ndarray
        Rows the texts were clustered on (for quotes near the centre).
    X, label_cols, vocab
        TF-IDF features, the columns that may name a theme, feature names
        (:class:`~.embed.Features`).
    glossary : mapping, optional
        Spanish -> English pairs: a translation does not repeat a phrase.
    n_quotes, n_terms : int
        Quotes and word-cloud terms per theme.

    Returns
    -------
    dict
        ``{theme id: Description}`` for every id in ``tid`` except -1.
    """
    present = sorted({int(t) for t in tid if t >= 0})
    if not present:
        return {}
    col_of = {t: j for j, t in enumerate(present)}
    rows = np.flatnonzero(tid >= 0)
    M = sp.csr_matrix(
        (np.ones(len(rows), np.float32), ([col_of[int(tid[r])] for r in rows], rows)),
        shape=(len(present), len(docs)),
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
    out = {}
    for j, t in enumerate(present):
        members = np.flatnonzero(tid == t)
        phrases = _key_phrases(mean_in[j], mean_all, df_in[j], sizes[j], lvocab, glossary=glossary)
        display = _display_forms(phrases, [docs[i] for i in members[:300]])
        out[t] = Description(
            key_phrases=display,
            quotes=_quotes(docs, members, Z, n_quotes),
            terms=_weighted_terms(mean_in[j], lvocab, n_terms),
        )
    return out


def top_terms(
    X: sp.csr_matrix | None, label_cols: np.ndarray, vocab: np.ndarray, k: int
) -> list[tuple[str, float]]:
    """Top ``k`` terms of all input by mean TF-IDF, weights in (0, 1] (the overall word cloud)."""
    if X is None or not len(label_cols) or X.shape[0] == 0:
        return []
    return _weighted_terms(np.asarray(X[:, label_cols].mean(0)).ravel(), vocab[label_cols], k)


def _weighted_terms(weights: np.ndarray, vocab: np.ndarray, k: int) -> list[tuple[str, float]]:
    """The ``k`` heaviest terms with positive weight, scaled so the heaviest weighs 1."""
    top = np.argsort(-weights)[:k] if len(weights) else []
    if not len(top) or weights[top[0]] <= 0:
        return []
    wmax = float(weights[top[0]])
    return [(str(vocab[c]), round(float(weights[c]) / wmax, 4)) for c in top if weights[c] > 0]


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
        said = {word_key(w, glossary) for p in chosen for w in p.split()}
        if {word_key(w, glossary) for w in words} <= said:
            continue  # a variant (plural, translation) of what is already said
        inside = [p for p in chosen if set(p.split()) < words]
        if inside and score[c] < 0.5 * max(best[p] for p in inside):
            continue  # the phrase is much rarer than its words
        chosen = [p for p in chosen if p not in inside] + [term]
    return chosen


def display_token(token: str) -> str:
    """A word as a label shows it: lower case, except short acronyms ("SNAP", "ESL")."""
    return token if token.isupper() and 2 <= len(token) <= 5 else token.lower()


def _display_forms(phrases: list[str], texts: list[str]) -> list[str]:
    """Show phrases with their most common original spelling (accents, case of acronyms)."""
    if not phrases:
        return []
    forms: dict[str, Counter[str]] = {}
    wanted = {w for p in phrases for w in p.split()}
    for text in texts:
        for tok in TOKEN_RE.findall(unicodedata.normalize("NFKC", text)):
            norm = tok.lower() if tok.isascii() else fold_key(tok)
            if norm in wanted:
                low = display_token(tok)
                forms.setdefault(norm, Counter())[low] += 1
    return [
        " ".join(forms[w].most_common(1)[0][0] if w in forms else w for w in p.split())
        for p in phrases
    ]


def distinct_rows(rows: np.ndarray, docs: Sequence[str]) -> np.ndarray:
    """``rows`` in order, each text's first occurrence only (a repeated idea counts once)."""
    seen: set[str] = set()
    keep = []
    for i in rows:
        k = fold_key(" ".join(docs[i].split()))
        if k not in seen:
            seen.add(k)
            keep.append(i)
    return np.array(keep, dtype=np.int64)


def _quotes(docs: Sequence[str], members: np.ndarray, Z: np.ndarray, k: int) -> list[str]:
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
    for i in distinct_rows(order, docs):
        text = " ".join(docs[i].split())
        if not text:
            continue
        out.append(shorten(text, 280))
        if len(out) >= k:
            break
    return out
