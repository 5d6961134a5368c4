"""The theme estimator: :class:`ThemeModel`, :class:`Theme` and :func:`find_themes`.

A fit runs: words (:mod:`._analyzer`), vectors (:mod:`.embed`), clusters and
stable ids (:mod:`._cluster`), facilitator edits (:mod:`.edits`), labels and
quotes (:mod:`.describe`), and keeps the snapshot the next fit starts from
(:mod:`._json`). Every constructor parameter is checked in :meth:`ThemeModel.fit`
against one table, :data:`_PARAMS`.
"""

from __future__ import annotations

import json
import math
import os
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from numbers import Integral
from typing import Any, NamedTuple

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from ..errors import ConfigError, NotFoundError, ValidationError
from ..text import guess_languages
from ._analyzer import Analyzer, glossary, theme_stop_words
from ._cluster import auto_k, cluster, theme_ids
from ._json import make_snapshot, read_snapshot
from ._labels import LabelContext, theme_labels
from .describe import describe, top_terms
from .display import primary_language
from .edits import Replay, replay_edits, validate_edits
from .embed import (
    Features,
    default_encoder,
    embed,
    load_static_model,
    semantic_available,
    static_model_available,
    tfidf_features,
)

__all__ = ["Theme", "ThemeModel", "auto_k", "find_themes"]

_METHODS = ("semantic", "tfidf", "static", "auto")


# ----------------------------------------------------------------------------
# a theme
# ----------------------------------------------------------------------------


@dataclass
class Theme:
    """One theme, as shown on a card.

    Attributes
    ----------
    id : int
        Stable id (survives refits; use it for colours and edits).
    label : str
        The label to show by default: a short phrase in the session's first
        language when members wrote in it (else their main language), or the
        facilitator's label.
    key_phrases : list of str
        Up to three typical words and two-word phrases (for descriptions).
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
    labels : dict of str to str
        ``{language: phrase}`` for each language present among the members;
        ``label`` is the one shown by default (see
        :func:`~pbp_facilitate.themes.theme_label`).
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
    labels: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-able dict (terms as ``[term, weight]`` pairs)."""
        d = asdict(self)
        d["terms"] = [[t, float(w)] for t, w in self.terms]
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Theme:
        """Rebuild a theme from :meth:`to_dict` output.

        Raises
        ------
        ValidationError
            If ``d`` lacks ``id``, ``label`` or ``size``, or a field has the wrong type.
        """
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
                labels={str(k): str(v) for k, v in dict(d.get("labels") or {}).items()},
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationError(
                f"A theme dict needs at least 'id', 'label' and 'size'; got keys {sorted(d)} "
                f"({exc}). Pass a dict made by Theme.to_dict().",
                code="bad_theme",
            ) from exc


# ----------------------------------------------------------------------------
# checks: parameters (one table), texts, ids
# ----------------------------------------------------------------------------


class _Param(NamedTuple):
    expected: str
    ok: Callable[[Any], bool]


def _is_int(v: Any) -> bool:
    return isinstance(v, Integral) and not isinstance(v, bool)


def _int_from(lo: int) -> Callable[[Any], bool]:
    return lambda v: _is_int(v) and v >= lo


def _or_none(ok: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda v: v is None or ok(v)


def _is_bool(v: Any) -> bool:
    return isinstance(v, bool | np.bool_)


def _are_words(v: Any) -> bool:
    if isinstance(v, str | bytes):
        return False
    try:
        return all(isinstance(w, str) for w in v)
    except TypeError:
        return False


def _is_seed(v: Any) -> bool:
    return v is None or isinstance(v, np.random.RandomState) or (_is_int(v) and 0 <= v < 2**32)


_PARAMS: dict[str, _Param] = {
    "n_themes": _Param("None or a positive integer", _or_none(_int_from(1))),
    "method": _Param(f"one of {list(_METHODS)}", lambda v: isinstance(v, str) and v in _METHODS),
    "languages": _Param("a tuple of language codes such as ('en', 'es')", _are_words),
    "extra_stop_words": _Param("a tuple of words", _are_words),
    "use_glossary": _Param("True or False", _is_bool),
    "max_themes": _Param("a positive integer", _int_from(1)),
    "min_theme_size": _Param("None or a positive integer", _or_none(_int_from(1))),
    "n_quotes": _Param("an integer >= 0", _int_from(0)),
    "n_terms": _Param("an integer >= 0", _int_from(0)),
    "refine": _Param("True or False", _is_bool),
    "static_model_path": _Param(
        "None or a file path", _or_none(lambda v: isinstance(v, str | os.PathLike))
    ),
    "off_topic": _Param("True or False", _is_bool),
    "n_jobs": _Param("None or a positive integer", _or_none(_int_from(1))),
    "random_state": _Param("None, an integer in [0, 2**32) or a numpy RandomState", _is_seed),
}
"""Every :class:`ThemeModel` parameter: what it expects, and the check."""


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


# ----------------------------------------------------------------------------
# the estimator
# ----------------------------------------------------------------------------


class ThemeModel(ClusterMixin, BaseEstimator):
    """Find themes in short texts (scikit-learn estimator).

    Parameters
    ----------
    n_themes : int or None, default None
        Number of themes; ``None`` chooses it (see :func:`auto_k`, refined by
        silhouette). On a refit with ``previous`` the previous themes are
        kept and more are added only when the session has grown.
    method : {"auto", "semantic", "tfidf", "static"}, default "auto"
        ``"semantic"``: multilingual sentence vectors (English and Spanish in
        one space, :class:`~pbp_facilitate.themes.embed.SentenceEncoder`) with
        the TF-IDF words beside them; ``"tfidf"``: words only; ``"static"``:
        words plus the English static MiniLM table (see
        :func:`~pbp_facilitate.themes.build_static_model`). ``"auto"`` takes
        ``"semantic"`` when its encoder is installed (it is a dependency of
        the kit), else ``"static"`` when the table exists, else ``"tfidf"``
        (``method_`` says which ran).
    languages : tuple of str, default ("en", "es")
        Stop-word lists to apply; codes without a list (``"fr"``) are
        ignored, regional codes (``"es-MX"``) use their language's list.
    extra_stop_words : tuple of str, default ()
        More words to ignore, e.g. the words of the prompt itself.
    use_glossary : bool, default True
        Add English equivalents of Spanish civic words, and remove each
        language's mean offset when English and Spanish are both present.
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
        Table for ``method="static"``; default
        :data:`~pbp_facilitate.themes.STATIC_MODEL_PATH`.
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
        method: str = "auto",
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

    def _check_params(self) -> None:
        for name, value in self.get_params(deep=False).items():
            rule = _PARAMS[name]
            if not rule.ok(value):
                raise ConfigError(f"ThemeModel {name} expected {rule.expected}, got {value!r}.")

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
            The :meth:`snapshot` of the previous fit (or
            :func:`~pbp_facilitate.themes.themes_to_json` output, or its JSON
            text). Themes are then matched to the previous ones so ids
            persist, and k-means starts from the previous themes.
        edits : list of dict, optional
            Facilitator edits, applied in order (see :mod:`pbp_facilitate.themes`).

        Returns
        -------
        ThemeModel
            ``self``.

        Raises
        ------
        ConfigError
            If a parameter is out of its range (see :data:`_PARAMS`), or
            ``method="static"`` finds no table.
        ValidationError
            If ``texts``, ``ids``, ``previous`` or ``edits`` are not readable.
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
        snap = read_snapshot(previous.snapshot() if isinstance(previous, ThemeModel) else previous)
        edit_list = validate_edits(edits)
        method = self.method
        if method == "auto":
            method = (
                "semantic"
                if semantic_available()
                else "static"
                if static_model_available(self.static_model_path)
                else "tfidf"
            )
        self.method_ = method
        seed = int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))
        stop = theme_stop_words(self.languages, self.extra_stop_words)
        # "es-MX", "es_MX" -> "es": the language guess and the labels key on the language
        session_langs = tuple(dict.fromkeys(primary_language(g) for g in self.languages))
        session_langs = session_langs or ("en", "es")
        gloss = glossary() if self.use_glossary else None
        analyzer = Analyzer(stop, gloss)
        n = len(docs)

        # 1. words
        feats = tfidf_features(docs, analyzer)
        semantic = method == "semantic"
        words: list[list[str]] = []
        if semantic:
            # a text with any content word has a meaning, even when its words are rare
            words = [analyzer.content_words(d) for d in docs]
            usable_rows = [i for i, w in enumerate(words) if w]
            feats = replace(feats, valid=np.array(usable_rows, dtype=np.int64))
        valid = feats.valid
        timings["features"] = time.perf_counter() - t0

        # 2. vectors of the usable texts
        t1 = time.perf_counter()
        static, sem_v, encoder, n_unique = None, None, None, None
        if method == "static" and len(valid) >= 2:
            static = load_static_model(self.static_model_path)
        if semantic and len(valid) >= 1:
            encoder = default_encoder()
            sem_v = encoder.encode([docs[i] for i in valid])
            # texts with the same words ("Parks!", "parks") get one vector, so a copy
            # of an idea always lands with it
            first: dict[tuple[str, ...], int] = {}
            for j, i in enumerate(valid):
                j0 = first.setdefault(tuple(words[i]), j)
                if j0 != j:
                    sem_v[j] = sem_v[j0]
            n_unique = len(first)
        timings["encode"] = time.perf_counter() - t1
        Z, Sv = embed(
            docs, feats, seed=seed, static=static, stop=stop, glossary=gloss,
            center=bool(self.use_glossary), semantic=sem_v if len(valid) >= 2 else None,
        )  # fmt: skip
        timings["embed"] = time.perf_counter() - t1

        # 3. clusters over the usable texts, then stable ids
        t2 = time.perf_counter()
        prev_assign: dict[str, int] = dict(snap["assignments"]) if snap else {}
        prev = None
        if prev_assign:
            prev = np.array([prev_assign.get(item_ids[i], -1) for i in valid], dtype=np.int64)
        Xv = feats.Xc[valid] if feats.Xc is not None else None
        clusters_of, self.k_scores_ = cluster(
            Z[valid], Xv, prev, seed=seed, n_themes=self.n_themes, max_themes=self.max_themes,
            refine=bool(self.refine) and not semantic, Sv=Sv, ward=semantic, n_unique=n_unique,
            prev_nv=int(snap.get("n_valid", len(prev_assign))) if snap else 0,
        )  # fmt: skip
        timings["cluster"] = time.perf_counter() - t2
        t3 = time.perf_counter()
        tid, next_id = theme_ids(
            n, valid, clusters_of, prev, int(snap.get("next_id", 0)) if snap else 0,
            Xv=Xv if self.off_topic and not semantic else None,
            Sv=Sv if self.off_topic and semantic else None, min_theme_size=self.min_theme_size,
        )  # fmt: skip

        # 4. facilitator edits
        usable = np.zeros(n, bool)
        usable[valid] = True
        replay = Replay(
            tid=tid, Z=Z, usable=usable, pos_of={iid: i for i, iid in enumerate(item_ids)},
            seed=seed, next_id=next_id,
            labels_before={int(t["id"]): t["label"] for t in snap["themes"]} if snap else {},
            splits=dict(snap.get("splits", {})) if snap else {},
            pins=dict(snap.get("pins", {})) if snap else {},
        )  # fmt: skip
        replay_edits(edit_list, replay)
        timings["ids_edits"] = time.perf_counter() - t3

        # 5. labels, quotes, terms
        t4 = time.perf_counter()
        sem = None
        if sem_v is not None:
            sem = np.zeros((n, sem_v.shape[1]), np.float32)
            sem[valid] = sem_v
        ctx = LabelContext(
            stop=stop, glossary=gloss, languages=session_langs,
            encoder=encoder, previous=_auto_labels(snap),
        )  # fmt: skip
        themes = self._themes(docs, item_ids, Z, feats, replay, gloss, sem, ctx)
        timings["describe"] = time.perf_counter() - t4
        pos = {th.id: j for j, th in enumerate(themes)}
        self.themes_ = themes
        self.theme_ids_ = tid
        self.labels_ = np.array([pos.get(int(t), -1) for t in tid], dtype=np.int64)
        self.ids_ = item_ids
        self.n_themes_ = len(themes)
        self.n_features_in_ = 1
        self.overall_terms_ = top_terms(feats.X, feats.label_cols, feats.vocab, self.n_terms)
        self.skipped_edits_ = replay.skipped
        self._state = make_snapshot(
            next_id=replay.next_id, item_ids=item_ids, tid=tid, n_valid=len(valid),
            splits=replay.splits, pins=replay.pins, themes=themes,
        )  # fmt: skip
        timings["total"] = time.perf_counter() - t0
        self.timings_ = timings
        return self

    def _themes(
        self,
        docs: list[str],
        item_ids: list[str],
        Z: np.ndarray,
        feats: Features,
        replay: Replay,
        gloss: Mapping[str, str] | None,
        sem: np.ndarray | None,
        ctx: LabelContext,
    ) -> list[Theme]:
        """The themes of a fit, largest first, with the facilitator's labels where given."""
        tid = replay.tid
        described = describe(
            docs, tid, Z, feats.X, feats.label_cols, feats.vocab, glossary=gloss,
            n_quotes=self.n_quotes, n_terms=self.n_terms,
        )  # fmt: skip
        langs = guess_languages(docs, tuple(ctx.languages))
        phrases = theme_labels(docs, tid, langs, sem, ctx)
        themes = []
        for t, d in described.items():
            pin = replay.pins.get(str(t))
            label, labels = phrases.get(t, (f"Theme {t}", {}))
            source = "auto"
            fixed = replay.renames.get(t) or (pin.get("label") if pin is not None else None)
            if fixed:
                # the facilitator's label wins, in every language
                label, source = fixed, "facilitator"
                labels = dict.fromkeys(labels or {ctx.languages[0]: label}, label)
            members = np.flatnonzero(tid == t)
            themes.append(
                Theme(
                    id=int(t),
                    label=label,
                    key_phrases=d.key_phrases,
                    size=int(len(members)),
                    quotes=d.quotes,
                    terms=d.terms,
                    members=[item_ids[i] for i in members],
                    pinned=pin is not None,
                    label_source=source,
                    labels=labels,
                )
            )
        themes.sort(key=lambda th: (-th.size, th.id))
        return themes

    def fit_predict(self, texts: Iterable[str | None], y: Any = None, **kwargs: Any) -> np.ndarray:
        """Fit and return :attr:`labels_` (positions in ``themes_``, -1 other)."""
        return self.fit(texts, y, **kwargs).labels_

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


def _auto_labels(snap: Mapping[str, Any] | None) -> dict[int, dict[str, str]]:
    """The previous fit's automatic labels per theme id (the ones a refit may keep)."""
    out: dict[int, dict[str, str]] = {}
    for t in (snap or {}).get("themes", []):
        if t.get("label_source", "auto") == "auto":
            out[int(t["id"])] = dict(t.get("labels") or {})
    return out


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
