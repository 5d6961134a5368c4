"""Theme labels people would write: short phrases taken from what the members said.

For each theme and each language among its members, the candidates are the
word runs of 2-6 words inside one clause of a member's text (no stop word at
either end, at most four content words), in that language's members. A run
qualifies only when each of its content words (folded, plural and prefix
variants and glossary translations counted as one, :func:`~._analyzer.word_key`)
is used by at least two distinct members: a word only one idea used never
enters a label. Qualifying runs are scored by how many members say them and
how typical their words are of the theme (lift over all input); with sentence
vectors the best few are re-ranked by how close the phrase's own vector is to
the theme's centre and how far from the other themes'. The most common
spelling is shown, with a capital first letter.

A label stays put across refits: the previous automatic label of a theme id
is kept while it still qualifies and scores at least half the best. With no
qualifying run, the two words most members share make the label ("Parks and
trees"), or the one word they share. A language with a single member in a
theme gets the run of its members nearest in meaning to the theme's main
label, when the sentence
vectors say they agree (cosine at least :data:`CROSS_MIN`); otherwise the
language is left out of ``labels`` and viewers read the main label.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..i18n import gettext
from ..text import fold_key, shorten
from ._analyzer import word_key
from .describe import display_token, distinct_rows
from .display import primary_language

__all__ = ["CROSS_MIN", "LabelContext", "theme_labels"]

CROSS_MIN = 0.5
"""Cosine a phrase of a secondary language needs with the main label to stand for it."""

_CLAUSE = re.compile(r"[.,;:!?¡¿()\[\]{}\"“”«»/\\|…\n\r\t]+|\s[-–—]+\s")
_TOKEN = re.compile(r"(?u)[^\W_]+(?:['’][^\W_]+)*")
_MAX_TOKENS = 6
_MAX_CONTENT = 4
_N_RERANK = 8
_MAX_MEMBERS = 400
_MAX_CROSS = 100

# (stems, keys, tokens) of every candidate run, per text, for each set of stop words (and
# with or without the glossary): refits reuse them.
_Span = tuple[frozenset[str], tuple[str, ...], tuple[str, ...]]
_SPANS: dict[tuple[frozenset[str], bool], dict[str, tuple[frozenset[str], list[_Span]]]] = {}


@dataclass
class LabelContext:
    """What labelling needs besides the themes.

    Attributes
    ----------
    stop : frozenset of str
        Folded stop words (the kit's lists plus the prompts' words).
    glossary : mapping or None
        Spanish -> English civic words (variants count as one word).
    languages : sequence of str
        The session's languages, first = the default label's language.
    encoder : SentenceEncoder or None
        Sentence vectors for re-ranking and other languages; None: words only.
    previous : mapping
        ``{theme id: {language: label}}`` of the previous fit's automatic labels.
    """

    stop: frozenset[str]
    glossary: Mapping[str, str] | None
    languages: Sequence[str]
    encoder: Any = None
    previous: Mapping[int, Mapping[str, str]] | None = None


def _spans(text: str, ctx: LabelContext) -> tuple[frozenset[str], list[_Span]]:
    """The content stems of ``text`` and its candidate runs (cached per text)."""
    words = (ctx.stop, ctx.glossary is not None)
    cache = _SPANS.get(words)
    if cache is None:
        if len(_SPANS) >= 8:
            _SPANS.clear()
        cache = _SPANS[words] = {}
    hit = cache.get(text)
    if hit is not None:
        return hit
    stems: set[str] = set()
    spans: list[_Span] = []
    for clause in _CLAUSE.split(unicodedata.normalize("NFKC", text)):
        toks = _TOKEN.findall(clause)
        keys = [fold_key(t) for t in toks]
        content = [k not in ctx.stop and not k.isdigit() and len(k) > 1 for k in keys]
        kstems = [
            word_key(k, ctx.glossary) if c else "" for k, c in zip(keys, content, strict=True)
        ]
        stems.update(s for s in kstems if s)
        for i in range(len(toks)):
            if not content[i]:
                continue
            for j in range(i + 2, min(i + _MAX_TOKENS, len(toks)) + 1):
                if not content[j - 1]:
                    continue
                run = frozenset(s for s in kstems[i:j] if s)
                if len(run) < 2 or sum(content[i:j]) > _MAX_CONTENT:
                    continue
                spans.append((run, tuple(keys[i:j]), tuple(display_token(t) for t in toks[i:j])))
    out = (frozenset(stems), spans)
    if len(cache) > 200_000:
        cache.clear()
    cache[text] = out
    return out


def _phrase(tokens: Sequence[str]) -> str:
    text = " ".join(tokens)
    return text[:1].upper() + text[1:]


@dataclass
class _Candidate:
    stems: frozenset[str]
    forms: Counter
    support: int
    score: float = 0.0

    @property
    def text(self) -> str:
        # most common spelling; ties: the shorter, then alphabetical (deterministic)
        best = min(self.forms.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))
        return _phrase(best[0])


def _candidates(
    members: Sequence[int],
    docs: Sequence[str],
    ctx: LabelContext,
    df_all: Counter,
    n_all: int,
) -> tuple[list[_Candidate], Counter]:
    """Qualifying runs of one language's members of a theme, best first, and word support."""
    info = [_spans(docs[i], ctx) for i in members]
    support: Counter = Counter()
    for stems, _ in info:
        support.update(stems)
    n = len(members)
    ok = {s for s, c in support.items() if c >= 2}
    spec = {
        s: math.log1p((support[s] / n) / (df_all[s] / n_all)) for s in ok if df_all.get(s, 0) > 0
    }
    found: dict[frozenset[str], _Candidate] = {}
    for _stems, spans in info:
        seen: set[frozenset[str]] = set()
        for run, _keys, tokens in spans:
            if not run <= ok:
                continue
            cand = found.get(run)
            if cand is None:
                cand = found[run] = _Candidate(run, Counter(), 0)
            cand.forms[tokens] += 1
            if run not in seen:
                seen.add(run)
                cand.support += 1
    out = []
    for cand in found.values():
        if not all(s in spec for s in cand.stems):
            continue
        mean_spec = sum(spec[s] for s in cand.stems) / len(cand.stems)
        cand.score = (cand.support / n) ** 0.8 * mean_spec * len(cand.stems) ** 0.3
        out.append(cand)
    out.sort(key=lambda c: (-c.score, c.text))
    return out, support


def _pair_label(support: Counter, members: Sequence[int], docs: Sequence[str], ctx, lang) -> str:
    """Two words used by several members, joined in ``lang`` ("Parks and trees")."""
    words = [s for s, c in support.most_common() if c >= 2][:2]
    if not words:
        return ""
    forms: dict[str, Counter] = {w: Counter() for w in words}
    for i in members:
        for tok in _TOKEN.findall(unicodedata.normalize("NFKC", docs[i])):
            k = fold_key(tok)
            if k in ctx.stop:
                continue
            s = word_key(k, ctx.glossary)
            if s in forms:
                forms[s][display_token(tok)] += 1
    shown = [min(forms[w].items(), key=lambda kv: (-kv[1], kv[0]))[0] for w in words if forms[w]]
    if len(shown) == 2:
        return _phrase(gettext(lang, "panels.theme_pair", a=shown[0], b=shown[1]).split())
    return _phrase(shown) if shown else ""


def _rerank(
    cands: list[_Candidate], centre: np.ndarray, others: np.ndarray, encoder: Any
) -> list[_Candidate]:
    """Best few candidates by words, ordered by words and meaning together."""
    top = cands[:_N_RERANK]
    if encoder is None or len(top) < 2:
        return top
    V = encoder.encode([c.text for c in top])
    own = V @ centre
    other = (V @ others.T).max(1) if len(others) else np.zeros(len(top))
    best = max(c.score for c in top) or 1.0
    final = [c.score / best + own[j] - 0.5 * other[j] for j, c in enumerate(top)]
    order = sorted(range(len(top)), key=lambda j: (-final[j], top[j].text))
    return [top[j] for j in order]


def theme_labels(
    docs: Sequence[str],
    tid: np.ndarray,
    langs: Sequence[str | None],
    sem: np.ndarray | None,
    ctx: LabelContext,
) -> dict[int, tuple[str, dict[str, str]]]:
    """Label every theme: ``{theme id: (label, {language: phrase})}``.

    Parameters
    ----------
    docs : sequence of str
        All texts.
    tid : ndarray of int
        Stable theme id per text (-1: other).
    langs : sequence of str or None
        Each text's language (None: not told; it then counts for its theme's
        main language).
    sem : ndarray, shape (n_texts, 512), optional
        Sentence vectors (zero rows for unusable texts), for centres.
    ctx : LabelContext
        Stop words, glossary, session languages, encoder, previous labels.
    """
    present = sorted({int(t) for t in tid if t >= 0})
    if not present:
        return {}
    df_all: Counter = Counter()
    for i in np.flatnonzero(tid >= 0):
        df_all.update(_spans(docs[i], ctx)[0])
    n_all = int((tid >= 0).sum())
    centres = {}
    if sem is not None:
        for t in present:
            c = sem[tid == t].mean(0)
            nrm = float(np.linalg.norm(c))
            centres[t] = c / nrm if nrm > 0 else c
    session = [primary_language(lang) for lang in ctx.languages] or ["en"]
    out: dict[int, tuple[str, dict[str, str]]] = {}
    for t in present:
        rows = np.flatnonzero(tid == t)
        rows = distinct_rows(rows, docs)
        if t in centres and len(rows) > _MAX_MEMBERS:
            rows = rows[np.argsort(-(sem[rows] @ centres[t]), kind="stable")[:_MAX_MEMBERS]]
        by_lang: dict[str, list[int]] = {}
        told = Counter(langs[i] for i in rows if langs[i])
        main = next((lang for lang in session if lang in told), None)
        main = main or (told.most_common(1)[0][0] if told else session[0])
        for i in rows:
            by_lang.setdefault(langs[i] or main, []).append(int(i))
        others = np.array([centres[o] for o in present if o != t]) if centres else np.zeros(0)
        prev = dict((ctx.previous or {}).get(t, {}))
        labels: dict[str, str] = {}
        for lang in sorted(by_lang, key=lambda g: (g != main, -len(by_lang[g]), g)):
            mem = by_lang[lang]
            cands, support = _candidates(mem, docs, ctx, df_all, n_all)
            label = _keep_previous(prev.get(lang), cands, ctx)
            if label is None and cands:
                best = _rerank(cands, centres.get(t), others, ctx.encoder) if centres else cands
                label = best[0].text
            if label is None:
                label = _pair_label(support, mem, docs, ctx, lang) or None
            if label is None and lang != main and labels.get(main):
                label = _cross_lingual(mem, docs, ctx, labels[main])
            if label is None and lang == main:
                label = _phrase(shorten(docs[mem[0]], 40).split()[:_MAX_TOKENS])
            if label:
                labels[lang] = label
        default = labels.get(main) or next(iter(labels.values()), f"Theme {t}")
        out[t] = (default, labels)
    return out


def _keep_previous(prev: str | None, cands: list[_Candidate], ctx: LabelContext) -> str | None:
    """The previous label, while it still qualifies and scores at least half the best."""
    if not prev or not cands:
        return None
    keys = [fold_key(t) for t in _TOKEN.findall(prev)]
    stems = frozenset(word_key(k, ctx.glossary) for k in keys if k not in ctx.stop)
    for c in cands:
        if c.stems == stems:
            return prev if c.score >= 0.5 * cands[0].score else None
    return None


def _cross_lingual(mem: Sequence[int], docs: Sequence[str], ctx: LabelContext, main: str):
    """The run of these members nearest in meaning to the main label, if close enough."""
    if ctx.encoder is None:
        return None
    runs: Counter = Counter()
    for i in mem:
        for _run, _keys, tokens in _spans(docs[i], ctx)[1]:
            runs[tokens] += 1
    runs = Counter(dict(sorted(runs.items(), key=lambda kv: (-kv[1], kv[0]))[:_MAX_CROSS]))
    if not runs:
        return None
    texts = [_phrase(r) for r in runs]
    V = ctx.encoder.encode([main, *texts])
    sim = V[1:] @ V[0]
    j = int(np.argmax(sim))
    return texts[j] if sim[j] >= CROSS_MIN else None
