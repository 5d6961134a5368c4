"""Profanity and spam flags for the live feed (English and Spanish word lists).

A flag never hides anything by itself: it marks an idea so the facilitator
can look at it and hide it (or leave it). Matching is on lower-cased,
accent-free words with common letter swaps undone (``sh1t``, ``p3nd3jo``),
so the lists stay short. A word list catches the obvious; the facilitator
decides.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..i18n import gettext
from ..text import fold_key

__all__ = [
    "Flag",
    "check_text",
    "with_duplicates",
    "PROFANITY_EN",
    "PROFANITY_ES",
    "SPAM_WORDS",
    "DuplicateTracker",
]

# Words (or word stems marked with a trailing "*") that are offensive in almost any context.
PROFANITY_EN = frozenset(
    {
        "fuck*",
        "fuk*",
        "fck*",
        "motherfuck*",
        "shit*",
        "bullshit*",
        "bitch*",
        "bastard*",
        "asshole*",
        "arsehole*",
        "dick",
        "dickhead*",
        "cock",
        "cocksuck*",
        "cunt*",
        "pussy",
        "twat*",
        "wank*",
        "whore*",
        "slut*",
        "damn",
        "goddamn*",
        "crap",
        "piss*",
        "retard*",
        "fag",
        "faggot*",
        "dyke",
        "nigger*",
        "nigga*",
        "spic",
        "spics",
        "wetback*",
        "chink*",
        "kike*",
        "tranny",
        "douche*",
        "jackass*",
        "stfu",
        "wtf",
    }
)
PROFANITY_ES = frozenset(
    {
        "puta*",
        "puto*",
        "putita*",
        "hijueputa*",
        "hdp",
        "mierda*",
        "carajo*",
        "cabron*",
        "cabrona*",
        "pendejo*",
        "pendeja*",
        "chinga*",
        "chingad*",
        "chingar*",
        "verga*",
        "pinche*",
        "culero*",
        "culera*",
        "joder*",
        "jodido*",
        "jodida*",
        "gilipollas",
        "marica*",
        "maricon*",
        "puñetero*",
        "punetero*",
        "mamon*",
        "mamona*",
        "pelotudo*",
        "boludo*",
        "estupido*",
        "idiota*",
        "imbecil*",
        "sudaca*",
        "malparido*",
    }
)
# Words that mark advertising or scams (a single hit is enough with a link; two without).
SPAM_WORDS = frozenset(
    {
        "buy",
        "cheap",
        "discount",
        "followers",
        "likes",
        "casino",
        "bet",
        "betting",
        "crypto",
        "bitcoin",
        "forex",
        "viagra",
        "cialis",
        "loan",
        "loans",
        "winner",
        "prize",
        "click",
        "subscribe",
        "promo",
        "compra",
        "compre",
        "barato",
        "barata",
        "descuento",
        "oferta",
        "gratis",
        "seguidores",
        "apuesta",
        "apuestas",
        "prestamo",
        "ganar",
        "dinero",
        "premio",
        "suscribete",
        "haz clic",
    }
)
_SWAPS = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}
)
_WORD_RE = re.compile(r"[a-z0-9@$!ñ]+")
_URL_RE = re.compile(
    r"(https?://|www\.|\b[a-z0-9-]+\.(com|net|org|io|ru|xyz|biz|info|click|top|shop)\b)", re.I
)
_EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b")
_PHONE_RE = re.compile(r"(\+?\d[\d\s().-]{8,}\d)")
_REPEAT_RE = re.compile(r"(.)\1{7,}")
_YEARS_RE = re.compile(r"(19|20)\d\d([\s,.-]+(19|20)\d\d)+")


def _compile(words: Iterable[str]) -> tuple[frozenset[str], tuple[str, ...]]:
    exact, stems = set(), []
    for w in words:
        w = fold_key(w)
        if w.endswith("*"):
            stems.append(w[:-1])
        else:
            exact.add(w)
    return frozenset(exact), tuple(sorted(stems))


_PROF = _compile(PROFANITY_EN | PROFANITY_ES)
_SPAM = frozenset(fold_key(w) for w in SPAM_WORDS)


@dataclass(frozen=True)
class Flag:
    """Why an idea may need a look.

    Attributes
    ----------
    kind : str
        ``"ok"``, ``"profanity"``, ``"spam"`` or ``"duplicate"`` (the most serious wins).
    reasons : list of str
        Readable reasons in English, e.g. ``"profanity: 'sh1t'"`` or ``"spam: link"`` (what the
        audit trail records as the reason of a hide).
    codes : list of (str, dict)
        The same reasons as catalogue keys (``dash.why_*``) and their values, so a dashboard
        shows them in its own language (:meth:`summary` with ``lang``).
    """

    kind: str = "ok"
    reasons: list[str] = field(default_factory=list)
    codes: list[tuple[str, dict[str, object]]] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        """True when there is anything to look at."""
        return self.kind != "ok"

    def summary(self, lang: str | None = None) -> str:
        """One line for a chip (in ``lang``) or an audit reason (``lang`` None: English)."""
        if lang is None or len(self.codes) != len(self.reasons):
            return "; ".join(self.reasons)
        return "; ".join(gettext(lang, key, **values) for key, values in self.codes)


def _reason(codes: list[tuple[str, dict[str, object]]], key: str, **values: object) -> None:
    codes.append((key, values))


def _words(text: str) -> list[tuple[str, str]]:
    """Return ``(as written, folded with swaps undone)`` for each word."""
    out = []
    for raw in _WORD_RE.findall(fold_key(text, keep="ñ")):
        plain = fold_key(raw).translate(_SWAPS)
        plain = re.sub(r"(.)\1{2,}", r"\1", plain)  # "fuuuuck" -> "fuck"
        out.append((raw, plain))
    return out


def check_text(text: str, *, duplicates: int = 0) -> Flag:
    """Return the :class:`Flag` of one idea.

    Parameters
    ----------
    text : str
        The participant's text (never executed or rendered here).
    duplicates : int
        How many other ideas in the session have the same text (after
        folding); 2 or more flags the idea as a ``"duplicate"``.

    Returns
    -------
    Flag
    """
    exact, stems = _PROF
    codes: list[tuple[str, dict[str, object]]] = []
    kinds: set[str] = set()
    words = _words(text or "")
    for raw, w in words:
        if w in exact or any(w.startswith(s) for s in stems):
            kinds.add("profanity")
            _reason(codes, "dash.why_profanity", word=raw)
    link = bool(_URL_RE.search(text or "") or _EMAIL_RE.search(text or ""))
    spam_hits = sorted({w for _, w in words if w in _SPAM})
    if link:
        _reason(codes, "dash.why_link")
    if any(
        9 <= sum(c.isdigit() for c in m.group(0)) <= 15
        and not _YEARS_RE.fullmatch(m.group(0).strip())
        for m in _PHONE_RE.finditer(text or "")
    ):
        _reason(codes, "dash.why_phone")
        spam_hits.append("phone")
    if (link and spam_hits) or len(spam_hits) >= 2:
        kinds.add("spam")
        if spam_hits:
            _reason(codes, "dash.why_spam_words", words=", ".join(spam_hits))
    elif link:
        kinds.add("spam")
    if _REPEAT_RE.search(text or ""):
        kinds.add("spam")
        _reason(codes, "dash.why_repeated")
    letters = [c for c in (text or "") if c.isalpha()]
    if len(letters) >= 20 and sum(c.isupper() for c in letters) / len(letters) > 0.8:
        kinds.add("spam")
        _reason(codes, "dash.why_shouting")
    if duplicates >= 2:
        kinds.add("duplicate")
        _reason(codes, "dash.why_duplicate", n=duplicates + 1)
    for kind in ("profanity", "spam", "duplicate"):
        if kind in kinds:
            return Flag(kind, [gettext("en", k, **v) for k, v in codes], codes)
    return Flag()


def _dup_key(text: str) -> str:
    return " ".join(_WORD_RE.findall(fold_key(text or "")))


class DuplicateTracker:
    """Counts ideas by folded text so repeated submissions can be flagged."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}
        self._seen: set[str] = set()

    def add(self, item_id: str, text: str) -> None:
        """Count ``text`` once per ``item_id``."""
        if item_id in self._seen:
            return
        self._seen.add(item_id)
        k = _dup_key(text)
        if k:
            self._counts[k] = self._counts.get(k, 0) + 1

    def others(self, text: str) -> int:
        """How many *other* counted ideas share ``text`` (assumes ``text`` itself was added)."""
        return max(0, self._counts.get(_dup_key(text), 0) - 1)


def with_duplicates(flag: Flag, duplicates: int) -> Flag:
    """Return ``flag`` with the duplicate reason added when ``duplicates`` is 2 or more."""
    if duplicates < 2:
        return flag
    key, values = "dash.why_duplicate", {"n": duplicates + 1}
    reasons = [*flag.reasons, gettext("en", key, **values)]
    return Flag(flag.kind if flag.flagged else "duplicate", reasons, [*flag.codes, (key, values)])
