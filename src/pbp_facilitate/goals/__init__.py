"""Check a community goal: specific, measurable, achievable, relevant, time-bound, equity.

Pure rules, no network, no model: regular expressions over a *folded* copy of
the goal (lower case, accents removed, same length, so every match's offsets
are offsets into the original text). English and Spanish.

>>> report = check_goal("Reduce chronic absenteeism among students experiencing "
...                     "homelessness from 38% to 20% by the end of the 2026-27 school year.")
>>> report.criteria["measurable"].passed, report.criteria["equity"].passed
(True, True)

The rules are the ones written in docs/goals.md; change both together.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..errors import ValidationError
from . import lexicon as lx

__all__ = [
    "CRITERIA",
    "CORE_CRITERIA",
    "MAX_GOAL_CHARS",
    "PACE_MAX_POINTS_PER_YEAR",
    "PACE_MAX_DOUBLINGS_PER_YEAR",
    "Evidence",
    "CriterionResult",
    "GoalReport",
    "GoalChecker",
    "check_goal",
    "check_goals",
    "detect_language",
    "fold",
]

CRITERIA = ("specific", "measurable", "achievable", "relevant", "time_bound", "equity")
"""The six criteria, in the order of the JSON object."""

CORE_CRITERIA = ("specific", "measurable", "time_bound", "equity")
"""The criteria that decide the verdict; achievable and relevant are advice."""

MAX_GOAL_CHARS = 2000
"""Longest text accepted as one goal."""

PACE_MAX_POINTS_PER_YEAR = 10.0
"""Achievable: a percentage may move at most this many points a year."""

PACE_MAX_DOUBLINGS_PER_YEAR = 1.0
"""Achievable: a count or amount may at most double (or halve) once a year."""


# --------------------------------------------------------------------------
# folding


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0x250):
        ch = chr(cp)
        low = ch.lower()
        if len(low) != 1:
            continue
        base = unicodedata.normalize("NFD", low)[0]
        if base != ch:
            table[cp] = base
    for cp, rep in {0x2018: "'", 0x2019: "'", 0x201C: '"', 0x201D: '"', 0x2013: "-",
                    0x2014: "-", 0x2010: "-", 0x2011: "-", 0x00A0: " ", 0x202F: " "}.items():
        table[cp] = rep
    return table


_FOLD = _build_fold_table()


def fold(text: str) -> str:
    """Lower-case ``text`` and drop accents, keeping its length.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        A string of the same length in which ``fold(t)[i]`` is character
        ``t[i]`` folded, so offsets found in it are offsets into ``text``.
    """
    return text.translate(_FOLD)


# --------------------------------------------------------------------------
# compiled patterns


def _alt(words: Iterable[str]) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_NUMW = _alt(lx.NUMBER_WORDS)
_YEAR = r"(?:19|20)\d\d"
_W = r"(?<![\w])"
_E = r"(?![\w])"

_WORD_RX = _c(r"[a-z0-9][a-z0-9'-]*")
_CLAUSE_START_RX = _c(r"(?:^|[,;:(]|\band\b|\by\b)\s*[\"'¡¿]?\s*([a-z][a-z'-]*)")
_GOAL_LABEL_RX = _c(
    r"\s*(?:goal|objective|outcome|priority|meta|objetivo|resultado|prioridad)\s*#?\d+\s*[:.)-]"
)
_INTENT_RX = _c(rf"{_W}(?:{lx.INTENT_PHRASES}){_E}")
_ES_FUTURE_RX = re.compile(r"(?<!\w)\w+?(?:rá|rán|réis|aremos|eremos|iremos)\b")
_ES_INFINITIVE_RX = _c(r"[a-z]{1,}(?:ar|er|ir)(?:se|lo|la|los|las|nos)?")

_QTY_RX = _c(
    rf"(?<![\w.,$])(\$\s?)?(\d+(?:[.,]\d+)*|(?:{_NUMW}){_E})"
    r"(?:\s?(%|percent(?:age points?)?|per cent|por ciento|puntos? porcentuales|percentage points?"
    r"|points?|puntos?)(?![\w]))?"
)
_THOUSANDS_RX = _c(r"\d{1,3}([.,])\d{3}(?:\1\d{3})*")
_PREV_YEAR_RANGE_RX = _c(r"(?:19|20)\d\d[-/]$")
_PREV_CODE_RX = _c(
    r"(?:[a-z]-|(?:district|ward|title|route|highway|interstate|zone|zip(?: code)?|code|section"
    r"|chapter|article|phase|tier|precinct|room|distrito|ruta|zona|seccion|articulo|fase"
    r"|codigo postal|covid|goal|meta|objective|objetivo|strategy|estrategia|priority|prioridad"
    r"|outcome|step|paso|pillar|pilar)\s?-?\s?#?)$"
)
_NEXT_ORDINAL_RX = _c(r"(?:st|nd|rd|th)\b|\.?\s?[º°ª]|o\b|[- ](?:grade|grado)|(?:er|ero|era)\b")
_PREV_GRADE_RX = _c(r"(?:grades?|grados?|level|nivel|phase|fase)\s$")
_PREV_AGE_RX = _c(r"(?:aged?|ages|under age|age of|edad(?:es)?(?: de)?|menores de|mayores de)\s$")
_NEXT_AGE_RX = _c(r"\s?(?:and (?:over|older|up)|\+|years? old|-year-olds?|y mas\b|anos o mas|anos de edad)")
_PREV_UNDER_PERSON_RX = _c(rf"(?:{lx.PERSON_NOUNS}) (?:under|menores de|below)\s$")
_PREV_POSSESSIVE_RX = _c(
    r"(?:\bour|\bits|\btheir|\bnuestr[oa]s?|\bsus|\bwe (?:have|had|are|were)|\bthere (?:are|were)"
    r"|\btenemos|\bhay)\s$"
)
_PREV_SCOPE_RX = _c(r"(?:\ball(?: of the)?|\beach of the|\btodos los|\btodas las)\s$")
_PREV_OF_RX = _c(r"(?:\bof|\bwith|\bde|\bcon|\bpor)\s$")
_NEXT_ORG_RX = _c(rf"\s(?:[\w-]+\s)?(?:{lx.ORG_NOUNS}){_E}")
_PREV_DENOM_RX = _c(r"(?:\bper|\bpor cada|\bout of every|\bfor every|\bpor)\s$")
_NEXT_DURATION_RX = _c(
    r"[- ]?(?:days?|weeks?|months?|years?|hours?|minutes?|dias?|semanas?|mes(?:es)?|anos?"
    r"|horas?|minutos?)(?![\w])"
)
_PREV_TARGET_CUE_RX = _c(
    r"(?:\bto|\bunder|\bbelow|\bthan|\bmost|\bleast|\bal|\bhasta|\bmenos de|\bmas de"
    r"|\bdebajo de)\s$"
)
_NEXT_CLOCK_RX = _c(r":\d\d|\s?(?:a\.?m\.?|p\.?m\.?|o'clock|hrs?\b|h\b)")
_PREV_BASELINE_RX = _c(
    r"(?:\bup from|\bdown from|\bfrom|\bcurrently(?: at)?|\bnow(?: at)?|\btoday|\bbaseline(?: of)?"
    r"|\bcompared (?:to|with)|\bfrente al?|\bactualmente(?: en)?|\bhoy|\blinea de base(?: de)?"
    r"|\bdesde)\s(?:(?:el|la|about|around|roughly|cerca del?)\s)?$"
)
_PAIR_FROM_RX = _c(r"(?:\bfrom|\bdel?|\bdesde)\s(?:(?:the|el|la)\s)?$")
_PAIR_BETWEEN_RX = _c(
    r"\s*(?:[\w$%.,-]+\s+){0,4}?(?:to|al?|hasta)\s+(?:(?:under|below|less than|fewer than|about"
    r"|around|at least|at most|menos de|mas de|por debajo de|alrededor de|un|una)\s+)?$"
)

_RATIO_RX = _c(
    rf"{_W}(?:(?:in|by|en) half|half|halve[sd]?|halving|double[sd]?|doubling|triple[sd]?|tripling"
    r"|quadruple[sd]?|twice|three times|(?:a|one|two|three|four)[- ](?:third|quarter|fourth|fifth|tenth)s?"
    r"|three quarters|(?:una|la|dos|tres) (?:tercera|cuarta|quinta|decima) partes?"
    rf"|(?:\d+|one|{_NUMW}) (?:in|out of(?: every)?) (?:\d+|{_NUMW})"
    r"|(?:a |por )?la mitad|duplicar\w*|triplicar\w*|cuadruplicar\w*|el doble|el triple"
    r"|tres veces|un tercio|dos tercios|(?:una|la) cuarta parte|un cuarto"
    rf"|(?:\d+|uno|una|{_NUMW}) de cada (?:\d+|{_NUMW})"
    rf"|(?<![\d/.,])[1-9]/(?:[2-9]|10)(?![\d/])){_E}"
)
_ZERO_RX = _c(
    rf"{_W}(?:functional zero|cero funcional|zero|cero"
    r"|(?:ensure|make sure|guarantee|that|garantizar que|asegurar(?:se de)? que|lograr que"
    r"|conseguir que)\s+(?:no|ningun[oa]?)\s+[\w-]+"
    r"|(?:no|ningun[oa]?)\s+[\w-]+(?:\s+[\w'-]+){0,8}?\s+will)"
    rf"{_E}"
)
_EVERY_RX = _c(
    r"(?:(?:ensure|make sure|guarantee|get|garantizar|asegurar|lograr|conseguir)\b[^.;]{0,30}?)"
    r"(?<![\w])((?:every|all|each|todos los|todas las|cada)\s+(?!our\b|of\b|by\b|for\b|the\b|we\b"
    r"|nuestr|de\b|y\b|por\b)[\w-]+)"
    r"|(?<![\w])((?:every|all|each)\s+(?!our\b|of\b|by\b|for\b|we\b)[\w-]+)(?:\s+[\w'-]+){0,8}?\s+will\b"
)

_VAGUE_PRED_NEXT_RX = _c(rf"(?:\s+[\w'-]+){{0,3}}?\s+(?:{lx.VAGUE_PREDICATES})(?![\w])")
_NEVER_RX = _c(rf"{_W}(?:{lx.NEVER_WORDS}){_E}")
_ORG_NOUN_RX = _c(rf"(?:{lx.ORG_NOUNS}){_E}")

_DEC_VERBS_RX = _c(
    r"(?<![\w])(?:reduc\w*|cut\w*|lower\w*|decreas\w*|shrink\w*|narrow\w*|halv\w*|clos\w*"
    r"|eliminat\w*|end|prevent\w*|slash\w*|curb\w*|disminu\w*|baj\w*|recort\w*|cerr\w*"
    r"|elimin\w*)(?![\w])"
)
_INC_VERBS_RX = _c(
    r"(?<![\w])(?:increas\w*|rais\w*|grow\w*|boost\w*|expand\w*|lift\w*|doubl\w*|tripl\w*"
    r"|add\w*|aument\w*|increment\w*|elev\w*|ampli\w*|duplic\w*|triplic\w*|sub\w*)(?![\w])"
)

# time
_MONTH = lx.MONTHS
_SEASON = lx.SEASONS
_DUR_UNIT_EN = r"(?:days?|weeks?|months?|years?|quarters?)"
_DUR_UNIT_ES = r"(?:dias?|semanas?|mes(?:es)?|anos?|trimestres?)"
_DURATION_RX = _c(
    rf"{_W}(?:(?:within|in|over|during)(?: the)?(?: next| coming| following)?"
    rf" (?:\d+|{_NUMW}|a|one)[- ]{_DUR_UNIT_EN}"
    r"|(?:en|dentro de|en un plazo de|en el plazo de|durante|a lo largo de)"
    rf"(?: (?:los|las|el|la|un|una))?(?: proxim[oa]s| siguientes)? (?:\d+|{_NUMW}|un|una)"
    rf" {_DUR_UNIT_ES}){_E}"
)
_DURATION_DEF_NEXT_RX = _c(
    r"\s+(?:of|after|from|following|since|de|despues|posteriores|siguientes|a partir)\b"
)
_REL_UNIT_EN = (
    r"(?:(?:calendar |fiscal |school |academic )?year|month|quarter|semester|spring|summer|fall"
    r"|autumn|winter|decade|flu season|budget cycle|legislative session)"
)
_REL_UNIT_ES = (
    r"(?:ano(?: fiscal| escolar)?|ciclo escolar|mes|trimestre|semestre|invierno|verano|otono"
    r"|primavera|decada|temporada de gripe|sesion legislativa)"
)
_RELATIVE_RX = _c(
    rf"{_W}(?:(?:this|next|the coming|the next|coming|this coming) (?:{_REL_UNIT_EN}|{lx.MONTHS})"
    rf"|(?:el|del|al|la) (?:proxim[oa]|siguiente) (?:{lx.MONTHS})"
    r"|(?:the )?end of the (?:decade|year|(?:school|academic|fiscal|calendar) year)|year-end"
    r"|year's end|(?:el )?(?:fin|final|cierre) del? (?:la decada|ano|ciclo escolar|ano escolar|ano fiscal)"
    rf"|(?:este|esta) {_REL_UNIT_ES}|(?:el|del|al|la) (?:proxim[oa]|siguiente) {_REL_UNIT_ES}"
    r"|el ano que viene|(?:finales|fines|final) de (?:la|esta) decada|fin de ano)"
    rf"{_E}"
)
_DATED_RX = _c(
    rf"{_W}(?:"
    rf"(?P<month>(?:\d{{1,2}} de )?(?:{_MONTH})\.?(?: \d{{1,2}}(?:st|nd|rd|th)?)?"
    rf"(?:,? (?:de |del )?(?P<my>{_YEAR}))?)"
    rf"|(?P<season>(?:{_SEASON})(?: (?:of |de |del )?(?P<sy>{_YEAR}))?)"
    rf"|(?P<yearlike>(?:(?:fy|fiscal year|ano fiscal|school year|ciclo escolar|ano escolar) ?'?)?"
    rf"(?P<y>{_YEAR})(?:[-/](?:\d{{4}}|\d{{2}}))?(?: (?:school|academic|fiscal) year)?)"
    rf"|(?P<fy>fy ?'?(?P<fy2>\d{{2}}))"
    rf"){_E}"
)
_DEADLINE_CUE_RX = _c(
    r"(?:\b(?:by|before|until|at) the (?:end|close|start|beginning|middle) of|\bpara (?:finales|fines) de"
    r"|\bantes de (?:que )?(?:termine|acabe|finalice)|\bpara el (?:final|cierre) del?|\bby|\bbefore|\buntil|\btill|\bthrough|\bthru|\bno later than|\bprior to|\bahead of"
    r"|\bin time for|\bend of|\bclose of|\bstart of|\bbeginning of|\bmiddle of|\bmid|\bearly|\blate"
    r"|\bstarting(?: in)?|\bbeginning(?: in)?|\bpara|\bantes de(?: que (?:termine|acabe|finalice))?"
    r"|\bantes del?|\bhasta|\ba mas tardar(?: en)?|\bde aqui a|\bfinales de|\bfines de"
    r"|\btermine|\bfinalice|\ba partir del?|\bal final del?|\bal cierre del?|\bal termino del?)"
    r"(?:\s(?:the|el|la|del|de|los))?[\s-]*$"
)
_PAST_CUE_RX = _c(
    r"(?:\bsince|\bdesde|\bfounded in|\bestablished in|\bcreated in|\blaunched in|\bbegan in"
    r"|\bstarted in|\bour|\bits|\btheir|\bnuestro|\bnuestra|\bplan de|\bde nuestro plan de"
    r"|\bfundad[oa] en|\bcread[oa] en|\blast|\bthe past)\s*$"
)
_PAST_CONTEXT_NEXT_RX = _c(r"\s*(?:'s\s)?(?:plan|strategic plan|report|baseline|levels?|data|study)\b")
_BASELINE_WINDOW_RX = _c(
    r"(?:\bup from|\bdown from|\bfrom|\bcompared (?:to|with)|\bfrente al?|\bcurrently|\bnow"
    r"|\bbaseline|\bactualmente|\bhoy)\b[^.;]{0,25}$"
)
_VAGUE_TIME_RX = _c(rf"{_W}(?:{lx.VAGUE_TIME_TERMS}){_E}")
_RELATIVE_CUE_RX = _c(r"(?:\bby|\ben un|\ben|\bun)\s\$?$")
_LEAD_QTY_RX = re.compile(r"^\s*(?:more|additional|new|nuev[oa]s|más|mas|adicionales)?\s*", re.I)
_TIME_LEAD_RX = re.compile(
    r"^(?:by|before|until|through|no later than|para|antes de|antes del|hasta|de aquí a|de aqui a)\s+",
    re.IGNORECASE,
)

# specific
_INDICATOR_RX = _c(rf"{_W}(?:{lx.INDICATOR_TERMS}){_E}")
_VAGUE_HEAD_PREV_RX = _c(rf"(?:{lx.VAGUE_HEADS})\s+(?:[\w-]+\s+){{0,2}}$")
_QTY_NOUN_NEXT_RX = _c(
    r"\s?(?:of (?:the |all |our )?)?(?:de (?:los |las )?)?"
    r"(?:(?:more|additional|new|more new|nuev[oa]s|mas|adicionales)\s)?"
    r"([a-z][\w-]+(?: [a-z][\w-]+)?)"
)

_CHANGE_OBJECT_RX = _c(
    r"(?<![\w])(?:increase|reduce|decrease|cut|raise|lower|grow|expand|double|triple|halve"
    r"|eliminate|end|prevent|boost|lift|shrink|narrow|aumentar|reducir|disminuir|ampliar"
    r"|duplicar|triplicar|eliminar|bajar|incrementar|elevar|prevenir|eradicate|stop|erradicar"
    r"|poner fin a|acabar con|detener)\s+"
    r"((?:(?:the|a|an|el|la|los|las|un|una)\s+)?[a-z][\w-]*(?:\s+[a-z][\w-]*){0,4})"
)
_OBJECT_STOP_RX = _c(
    r"\s(?:in|of|for|by|to|at|on|among|between|from|with|across|within|through|so|and|that"
    r"|who|which|before|after|until|over|en|de|del|para|por|entre|con|a|al|antes|hasta|y|que"
    r"|durante|desde|next|this|last|soon|eventually|proxim[oa]|este|esta|pronto|\d+)(?![\w-])"
)

# equity
_POP_RX = _c(rf"{_W}(?:{lx.POPULATION_TERMS}){_E}")
_DISP_RX = _c(rf"{_W}(?:{lx.DISPARITY_TERMS}){_E}")
_DISP_EXCLUDE_RX = _c(r"(?:funding|budget|skills?|data|knowledge|information|financing)\s+gaps?")
_DISAGG_RX = _c(rf"{_W}(?:{lx.DISAGGREGATION_TERMS}){_E}")
_DISAGG_GROUPS_RX = _c(r"(?:\bby|\bpor)\s+([\w ,-]+)$")
_GENERIC_EQ_RX = _c(rf"{_W}(?:{lx.GENERIC_EQUITY_TERMS}){_E}")
_POP_ADJ_RX = _c(r"racial\w*|race|raza|raciales|ethnic\w*|etni\w*|racism\w*|minority|minorias?")
_POP_LEFT_RX = _c(rf"((?:{lx.PERSON_NOUNS})(?: [\w-]+){{0,2}} )$")
_POP_RIGHT_RX = _c(rf"^((?: [\w-]+){{0,3}}? (?:{lx.PERSON_NOUNS}|{lx.PLACE_NOUNS})){_E}")

_LOW_INFO_THEME_WORDS = frozenset(
    """
    community communities comunidad comunidades people personas residents residentes city ciudad
    county condado region partners socios work trabajo goal goals meta metas plan plans
    program programs programa programas support apoyo theme tema
    """.split()
)
_STEM_SUFFIXES = (
    "aciones", "iciones", "amientos", "imientos", "izations", "ization", "ations", "amiento",
    "imiento", "idades", "nesses", "acion", "icion", "ation", "mente", "ments", "ities", "idad",
    "ness", "ment", "ings", "ity", "ing", "ies", "es", "ed", "al", "os", "as", "s", "a", "o", "e",
)


# --------------------------------------------------------------------------
# public data classes


@dataclass(frozen=True, slots=True)
class Evidence:
    """A span of the goal that carried a criterion.

    Attributes
    ----------
    text : str
        ``goal[start:end]``, exactly.
    start, end : int
        Character offsets into the goal text.
    """

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"text": ..., "start": ..., "end": ...}``."""
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """Outcome of one criterion.

    Attributes
    ----------
    name : str
        One of :data:`CRITERIA`.
    passed : bool
        Whether the goal meets the criterion (see docs/goals.md for
        ``achievable`` and ``relevant``, which are advice).
    evidence : tuple of Evidence
        Spans of the goal that carried the decision (may be empty).
    reason : str
        Plain-words explanation, in the goal's language.
    suggestion : str or None
        A concrete next step; ``None`` when there is nothing to add.
    """

    name: str
    passed: bool
    evidence: tuple[Evidence, ...]
    reason: str
    suggestion: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form ``{"passed", "evidence", "reason", "suggestion"}``."""
        return {
            "passed": self.passed,
            "evidence": [e.to_dict() for e in self.evidence],
            "reason": self.reason,
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True, slots=True)
class GoalReport:
    """Everything the checker found in one goal.

    Attributes
    ----------
    text : str
        The goal as given.
    language : str
        ``"en"`` or ``"es"``: the language of the reasons and the rewrite.
    is_goal : bool
        False for a statement of past fact, a slogan, or empty text.
    criteria : dict of str to CriterionResult
        One entry per name in :data:`CRITERIA`, in that order.
    rewrite : str
        The goal recast in the template "By [date], [indicator] for
        [population] moves from [baseline] to [target], reported by
        [groups]." with what the text already has; brackets mark what is
        missing.
    matched_themes : tuple of str
        Labels of the session themes the goal addresses.
    """

    text: str
    language: str
    is_goal: bool
    criteria: dict[str, CriterionResult]
    rewrite: str
    matched_themes: tuple[str, ...] = field(default=())

    @property
    def passed(self) -> bool:
        """True when it is a goal and every core criterion passes."""
        return self.is_goal and all(self.criteria[n].passed for n in CORE_CRITERIA)

    @property
    def score(self) -> int:
        """How many of the four core criteria pass (0-4)."""
        return sum(self.criteria[n].passed for n in CORE_CRITERIA)

    @property
    def verdict(self) -> str:
        """``"not a goal"``, ``"ready"`` or ``"needs work"``.

        "ready" needs all four core criteria and no achievability or
        relevance warning.
        """
        if not self.is_goal:
            return "not a goal"
        if self.passed and self.criteria["achievable"].passed and self.criteria["relevant"].passed:
            return "ready"
        return "needs work"

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON object of the spec (and of ``pbp goals check --json``).

        Returns
        -------
        dict
            ``{"text", "is_goal", "criteria": {name: {...}}, "rewrite"}``, exactly.
        """
        return {
            "text": self.text,
            "is_goal": self.is_goal,
            "criteria": {n: self.criteria[n].to_dict() for n in CRITERIA},
            "rewrite": self.rewrite,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, language: str | None = None) -> GoalReport:
        """Rebuild a report from :meth:`to_dict` output (e.g. as kept by the store).

        Parameters
        ----------
        data : mapping
            An object of the JSON shape returned by :meth:`to_dict`.
        language : {"en", "es"}, optional
            Language of the stored reasons; detected from the text when omitted.

        Returns
        -------
        GoalReport
            ``matched_themes`` is not part of the JSON and comes back empty.

        Raises
        ------
        ValidationError
            If ``data`` does not have the shape of :meth:`to_dict`.
        """
        try:
            text = data["text"]
            crit = {
                name: CriterionResult(
                    name,
                    bool(data["criteria"][name]["passed"]),
                    tuple(Evidence(e["text"], int(e["start"]), int(e["end"]))
                          for e in data["criteria"][name]["evidence"]),
                    str(data["criteria"][name]["reason"]),
                    data["criteria"][name]["suggestion"],
                )
                for name in CRITERIA
            }
            return cls(text, language or detect_language(text), bool(data["is_goal"]), crit,
                       str(data["rewrite"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationError(
                "A stored goal check must have the shape of GoalReport.to_dict() "
                f"(text, is_goal, criteria with all six criteria, rewrite); {exc!r} is missing "
                "or malformed. Re-run check_goal on the text to rebuild it.",
                field="check",
                code="bad_goal_check",
            ) from exc

    def format_text(self) -> str:
        """Return the readable report printed by ``pbp goals check``."""
        es = self.language == "es"
        verdicts = {
            "not a goal": "no es una meta" if es else "not a goal",
            "ready": "lista" if es else "ready",
            "needs work": "necesita trabajo" if es else "needs work",
        }
        labels = _LABELS_ES if es else _LABELS_EN
        lines = [
            f"{'Meta' if es else 'Goal'}: {self.text}",
            f"{'Veredicto' if es else 'Verdict'}: {verdicts[self.verdict]} "
            f"({self.score}/4 {'criterios básicos' if es else 'core criteria'}; "
            f"{'es una meta' if es else 'is a goal'}: "
            f"{('sí' if es else 'yes') if self.is_goal else 'no'})",
        ]
        for name in CRITERIA:
            res = self.criteria[name]
            if name in ("achievable", "relevant"):
                mark = "OK  " if res.passed else "WARN"
            else:
                mark = "PASS" if res.passed else "FAIL"
            lines.append(f"  [{mark}] {labels[name]:<13} {res.reason}")
            if res.evidence:
                shown = ", ".join(f'"{e.text}"' for e in res.evidence)
                lines.append(f"         {'evidencia' if es else 'evidence'}: {shown}")
            if res.suggestion:
                lines.append(f"         {'sugerencia' if es else 'suggestion'}: {res.suggestion}")
        lines.append(f"{'Reescritura' if es else 'Rewrite'}: {self.rewrite}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.format_text()


_LABELS_EN = {
    "specific": "specific", "measurable": "measurable", "achievable": "achievable",
    "relevant": "relevant", "time_bound": "time-bound", "equity": "equity",
}
_LABELS_ES = {
    "specific": "específica", "measurable": "medible", "achievable": "alcanzable",
    "relevant": "pertinente", "time_bound": "con plazo", "equity": "equidad",
}


# --------------------------------------------------------------------------
# internal records


@dataclass(slots=True)
class _Qty:
    start: int
    end: int
    value: float
    pct: bool
    kind: str  # "target", "baseline", "year", "excluded"


@dataclass(slots=True)
class _Time:
    start: int
    end: int
    year: int | None
    horizon: float | None  # years from the reference, when known
    lead: bool  # evidence starts with a deadline cue ("by", "para")


@dataclass(slots=True)
class _Theme:
    label: str
    stems: frozenset[str]


# --------------------------------------------------------------------------
# helpers


def detect_language(text: str) -> str:
    """Guess whether ``text`` is English (``"en"``) or Spanish (``"es"``).

    Counts common function words of each language plus Spanish accents and
    ``¿¡ñ``; ties go to English.

    Parameters
    ----------
    text : str
        The goal.

    Returns
    -------
    str
        ``"en"`` or ``"es"``.
    """
    words = _WORD_RX.findall(fold(text))
    en = sum(w in lx.LANG_MARKERS["en"] for w in words)
    es = sum(w in lx.LANG_MARKERS["es"] for w in words)
    es += sum(text.count(c) for c in "áéíóúñÁÉÍÓÚÑ¿¡")
    return "es" if es > en else "en"


def _num_value(raw: str) -> float:
    if raw in lx.NUMBER_WORDS:
        return float(lx.NUMBER_WORDS[raw])
    if _THOUSANDS_RX.fullmatch(raw):
        return float(re.sub(r"[.,]", "", raw))
    try:
        return float(raw.replace(",", "."))
    except ValueError:
        try:
            return float(raw.replace(",", ""))
        except ValueError:
            return math.nan


def _stem(word: str) -> str:
    for _ in range(2):
        for suf in _STEM_SUFFIXES:
            if word.endswith(suf) and len(word) - len(suf) >= 4:
                word = word[: -len(suf)]
                break
        else:
            break
    return word


def _content_stems(text: str) -> frozenset[str]:
    return frozenset(
        _stem(w)
        for w in _WORD_RX.findall(fold(text))
        if len(w) >= 3 and w not in lx.STOPWORDS and w not in _LOW_INFO_THEME_WORDS
    )


def _dedupe(spans: list[tuple[int, int]], text: str = "") -> list[tuple[int, int]]:
    """Drop spans inside another one, join overlapping ones and ones only a space apart."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(set(spans)):
        if out and (s <= out[-1][1] or (text and not text[out[-1][1]:s].strip())):
            out[-1] = (out[-1][0], max(e, out[-1][1]))
            continue
        out.append((s, e))
    return out


def _normalize_themes(themes: Any) -> list[_Theme]:
    if themes is None:
        return []
    if isinstance(themes, str | bytes | Mapping) or not isinstance(themes, Iterable):
        raise ValidationError(
            "themes must be a list of theme labels or of theme objects with a 'label' key; "
            f"got {type(themes).__name__}. Pass e.g. themes=['Housing stability', 'Early learning'].",
            field="themes",
            code="bad_themes",
        )
    out: list[_Theme] = []
    for i, th in enumerate(themes):
        if isinstance(th, str):
            label, terms = th, []
        elif isinstance(th, Mapping) and isinstance(th.get("label"), str):
            label = th["label"]
            terms = th.get("terms") or []
            if isinstance(terms, str) or not isinstance(terms, Iterable):
                raise ValidationError(
                    f"theme {i} ('{label}'): 'terms' must be a list of words; got "
                    f"{type(terms).__name__}. Pass e.g. {{'label': '{label}', 'terms': ['rent']}}.",
                    field="themes",
                    code="bad_themes",
                )
            terms = [str(t) for t in terms]
        else:
            raise ValidationError(
                f"theme {i} must be a string or an object with a string 'label'; got "
                f"{th!r:.60}. Pass e.g. 'Housing stability' or {{'label': 'Housing stability'}}.",
                field="themes",
                code="bad_themes",
            )
        stems = _content_stems(" ".join([label, *terms]))
        out.append(_Theme(label=label, stems=stems))
    return out


# --------------------------------------------------------------------------
# messages


_MSG: dict[str, dict[str, str]] = {
    "en": {
        "spec_pass": "Names what changes: {ev}.",
        "spec_fail": "Does not name a concrete outcome or indicator; vague aims such as "
                     "'improve outcomes' or 'strengthen collaboration' cannot be tracked.",
        "spec_sug": "Say what will change and for whom, e.g. 'the share of third graders reading "
                    "at grade level' or 'the number of families placed in stable housing'.",
        "meas_pass": "Sets a quantified target: {ev}.",
        "meas_fail_notgoal": "No target: the text states a fact or a slogan, not a change to reach.",
        "meas_fail": "No quantified target: there is no number, percentage, ratio or countable "
                     "end state (such as zero or every) to check progress against.",
        "meas_fail_only": "The numbers here ({ev}) are not targets (a year, a baseline, a grade, "
                          "a duration or a count of partners).",
        "meas_sug": "Add a target amount: 'from 41% to 55%', 'by 25%', 'half', '500 more "
                    "families', or 'every student ...'.",
        "time_pass": "Has a future deadline or time frame: {ev}.",
        "time_fail": "No deadline or time frame.",
        "time_fail_vague": "'{vague}' is not a deadline.",
        "time_fail_past": "The only dates are past or context ({ev}), not a deadline.",
        "time_sug": "Add when: 'by June 2028', 'by the end of the 2027-28 school year', or "
                    "'within 18 months'.",
        "eq_pass": "Centers those most impacted: {ev}.",
        "eq_fail": "Does not name a population most impacted, a gap to close, or reporting by "
                   "group.",
        "eq_fail_generic": "'{gen}' alone does not say who is most impacted.",
        "eq_sug": "Name who is most impacted (e.g. Black and Latino students, families "
                  "experiencing homelessness, low-income neighborhoods), a gap to close, or "
                  "commit to report by race and ethnicity.",
        "ach_nothing": "Not judged: no quantified target to assess.",
        "ach_nobaseline": "Not judged: no baseline, so the pace of change is unknown.",
        "ach_nobaseline_sug": "State the current value and its year (e.g. 'up from 41% in 2024').",
        "ach_notime": "Not judged: no time frame, so the pace of change is unknown.",
        "ach_notime_sug": "Add a deadline so the pace can be checked.",
        "ach_ok": "Plausible pace: {pace}.",
        "ach_fast_pts": "Ambitious: {pace}, more than {lim:g} percentage points a year.",
        "ach_fast_rel": "Ambitious: {pace}, faster than doubling or halving every year.",
        "ach_fast_zero": "Ambitious: bringing a count to zero in under a year.",
        "ach_past": "The deadline ({year}) has already passed.",
        "ach_bad_pct": "A target of {val:g}% is outside 0-100%.",
        "ach_fast_sug": "Check the target against recent trends, or allow more time.",
        "ach_past_sug": "Set a deadline in the future.",
        "rel_none": "Not judged: no session themes given.",
        "rel_pass": "Addresses the session theme(s): {themes}.",
        "rel_fail": "Does not address any of the session themes ({themes}).",
        "rel_sug": "Tie the goal to one of the themes the community raised: {themes}.",
        "empty": "Empty text.",
    },
    "es": {
        "spec_pass": "Nombra lo que cambia: {ev}.",
        "spec_fail": "No nombra un resultado o indicador concreto; propósitos vagos como "
                     "'mejorar los resultados' o 'fortalecer la colaboración' no se pueden medir.",
        "spec_sug": "Diga qué cambiará y para quién, p. ej. 'la proporción de estudiantes de "
                    "tercer grado que leen a nivel de grado' o 'el número de familias con "
                    "vivienda estable'.",
        "meas_pass": "Fija una meta cuantificada: {ev}.",
        "meas_fail_notgoal": "Sin meta: el texto expone un hecho o un lema, no un cambio a lograr.",
        "meas_fail": "Sin meta cuantificada: no hay número, porcentaje, proporción ni estado "
                     "final contable (como cero o todos) con el que medir el avance.",
        "meas_fail_only": "Los números ({ev}) no son metas (un año, una línea de base, un grado, "
                          "una duración o un número de socios).",
        "meas_sug": "Añada una meta: 'del 41 % al 55 %', 'en un 25 %', 'la mitad', '500 familias "
                    "más' o 'todos los estudiantes ...'.",
        "time_pass": "Tiene un plazo o una fecha futura: {ev}.",
        "time_fail": "No tiene fecha límite ni plazo.",
        "time_fail_vague": "'{vague}' no es una fecha límite.",
        "time_fail_past": "Las únicas fechas son pasadas o de contexto ({ev}), no un plazo.",
        "time_sug": "Diga cuándo: 'para junio de 2028', 'antes de que termine el ciclo escolar "
                    "2027-2028' o 'en un plazo de 18 meses'.",
        "eq_pass": "Pone en el centro a quienes más lo sufren: {ev}.",
        "eq_fail": "No nombra a una población más afectada, una brecha que cerrar ni datos "
                   "desglosados por grupo.",
        "eq_fail_generic": "'{gen}' por sí solo no dice quiénes son los más afectados.",
        "eq_sug": "Nombre a los más afectados (p. ej. estudiantes latinos y afroamericanos, "
                  "familias sin hogar, barrios de bajos ingresos), una brecha que cerrar, o "
                  "comprométase a desglosar los datos por raza y etnia.",
        "ach_nothing": "Sin evaluar: no hay una meta cuantificada.",
        "ach_nobaseline": "Sin evaluar: no hay línea de base, así que no se conoce el ritmo de "
                          "cambio.",
        "ach_nobaseline_sug": "Indique el valor actual y su año (p. ej. 'frente al 41 % en 2024').",
        "ach_notime": "Sin evaluar: no hay plazo, así que no se conoce el ritmo de cambio.",
        "ach_notime_sug": "Añada una fecha límite para poder revisar el ritmo.",
        "ach_ok": "Ritmo verosímil: {pace}.",
        "ach_fast_pts": "Ambicioso: {pace}, más de {lim:g} puntos porcentuales al año.",
        "ach_fast_rel": "Ambicioso: {pace}, más rápido que duplicar o reducir a la mitad cada año.",
        "ach_fast_zero": "Ambicioso: llevar una cifra a cero en menos de un año.",
        "ach_past": "La fecha límite ({year}) ya pasó.",
        "ach_bad_pct": "Una meta del {val:g} % está fuera del rango 0-100 %.",
        "ach_fast_sug": "Compare la meta con la tendencia reciente o dé más tiempo.",
        "ach_past_sug": "Fije una fecha límite futura.",
        "rel_none": "Sin evaluar: no se indicaron temas de la sesión.",
        "rel_pass": "Aborda los temas de la sesión: {themes}.",
        "rel_fail": "No aborda ninguno de los temas de la sesión ({themes}).",
        "rel_sug": "Vincule la meta a uno de los temas que planteó la comunidad: {themes}.",
        "empty": "Texto vacío.",
    },
}


def _quote(ev: Sequence[Evidence]) -> str:
    return ", ".join(f"'{e.text}'" for e in ev)


# --------------------------------------------------------------------------
# the checker


class GoalChecker:
    """Reusable checker; :func:`check_goal` uses a shared default instance.

    Parameters
    ----------
    reference_year : int, optional
        The "current" year used to tell future from past years that carry
        no cue ("in 2027" vs "in 2019") and to judge the pace of change.
        Default: today's year, read at each check.
    """

    def __init__(self, *, reference_year: int | None = None) -> None:
        if reference_year is not None and not isinstance(reference_year, int):
            raise ValidationError(
                f"reference_year must be a whole year such as 2026; got {reference_year!r}.",
                field="reference_year",
                code="bad_year",
            )
        self.reference_year = reference_year

    # -- public -----------------------------------------------------------

    def check(
        self,
        text: str,
        *,
        themes: Sequence[str | Mapping[str, Any]] | None = None,
        language: str | None = None,
    ) -> GoalReport:
        """Check one goal. See :func:`check_goal`."""
        if not isinstance(text, str):
            raise ValidationError(
                f"A goal must be text; got {type(text).__name__}. Pass the goal as a string.",
                field="text",
                code="not_text",
            )
        if len(text) > MAX_GOAL_CHARS:
            raise ValidationError(
                f"A goal must be at most {MAX_GOAL_CHARS} characters; got {len(text)}. "
                "Check one goal at a time (one per line with --file).",
                field="text",
                code="too_long",
            )
        if language is None:
            lang = detect_language(text)
        elif language in ("en", "es"):
            lang = language
        else:
            raise ValidationError(
                f"language must be 'en', 'es' or None (detect); got {language!r}.",
                field="language",
                code="unsupported_language",
            )
        theme_list = _normalize_themes(themes)
        ref = self.reference_year or date.today().year
        return _Analysis(text, lang, ref, theme_list).report()

    def check_many(
        self,
        texts: Iterable[str],
        *,
        themes: Sequence[str | Mapping[str, Any]] | None = None,
        language: str | None = None,
    ) -> list[GoalReport]:
        """Check several goals with the same options."""
        return [self.check(t, themes=themes, language=language) for t in texts]


class _Analysis:
    """One pass over one goal; builds the report."""

    def __init__(self, text: str, lang: str, ref_year: int, themes: list[_Theme]) -> None:
        self.text = text
        self.f = fold(text)
        self.lang = lang
        self.m = _MSG[lang]
        self.ref = ref_year
        self.themes = themes

    def ev(self, s: int, e: int) -> Evidence:
        """Evidence for ``text[s:e]``, trimmed of edge punctuation and trailing stopwords."""
        f = self.f
        while True:
            while s < e and f[s] in " ,;:.(\"'":
                s += 1
            while e > s and f[e - 1] in " ,;:(\"'":
                e -= 1
            cut = f.rfind(" ", s, e)
            if cut > s and f[cut + 1:e] in lx.STOPWORDS and f[cut + 1:e] not in ("all", "every"):
                e = cut
                continue
            break
        return Evidence(self.text[s:e], s, e)

    # -- framing ----------------------------------------------------------

    def framed(self) -> bool:
        """True when the text is phrased as an intention (imperative, infinitive, will...)."""
        if _GOAL_LABEL_RX.match(self.f):
            return True  # "Goal 3: ...", "Meta 2: ..." is presented as a goal
        for m in _CLAUSE_START_RX.finditer(self.f):
            w = m.group(1)
            if w in lx.EN_GOAL_VERBS or (w.startswith("re-") and w[3:] in lx.EN_GOAL_VERBS):
                return True
            if w == "que" and m.start(1) <= 2:
                return True  # Spanish optative: "Que todos los niños lean ..."
            if (
                self.lang == "es"
                and len(w) > 2
                and w not in lx.ES_NOT_INFINITIVES
                and _ES_INFINITIVE_RX.fullmatch(w)
            ):
                return True
        if _INTENT_RX.search(self.f):
            return True
        return bool(_ES_FUTURE_RX.search(self.text.lower()))

    # -- quantities ---------------------------------------------------------

    def quantities(self) -> list[_Qty]:
        f = self.f
        out: list[_Qty] = []
        for m in _QTY_RX.finditer(f):
            s, e = m.span()
            cur, raw, unit = m.group(1), m.group(2), m.group(3)
            value = _num_value(raw)
            pct = bool(unit)  # %, percent, (percentage) points: all on a 0-100 scale
            prev = f[max(0, s - 45):s]
            nxt = f[e:e + 40]
            is_word = raw.isalpha()
            kind = "target"
            if (
                not unit and not cur and not is_word and len(raw) == 4
                and 1900 <= value <= 2100
            ) or (not unit and _PREV_YEAR_RANGE_RX.search(prev)):
                kind = "year"
            elif f.startswith("fy", max(0, s - 2)) and s >= 2:
                kind = "year"
            elif _PREV_CODE_RX.search(prev):
                kind = "excluded"
            elif not unit and (_NEXT_ORDINAL_RX.match(nxt) or _PREV_GRADE_RX.search(prev)):
                kind = "excluded"
            elif not unit and (
                _PREV_AGE_RX.search(prev) or _NEXT_AGE_RX.match(nxt)
                or _PREV_UNDER_PERSON_RX.search(prev)
            ):
                kind = "excluded"
            elif not unit and not cur and value in (211, 311, 411, 511, 611, 711, 811, 911):
                kind = "excluded"
            elif _PREV_SCOPE_RX.search(prev):
                kind = "excluded"  # "all 12 high schools": the scope, not the target
            elif _PREV_POSSESSIVE_RX.search(prev):
                kind = "excluded"
            elif _PREV_OF_RX.search(prev) and _NEXT_ORG_RX.match(nxt):
                kind = "excluded"
            elif not unit and _PREV_DENOM_RX.search(prev):
                kind = "excluded"
            elif not unit and _NEXT_DURATION_RX.match(nxt):
                cue = _PREV_TARGET_CUE_RX.search(prev) or (
                    self.lang == "es" and prev.endswith((" a ", " al ")))
                kind = "target" if cue else "excluded"
            elif not unit and (prev.endswith(":") or _NEXT_CLOCK_RX.match(nxt)):
                kind = "excluded"  # a time of day: 8:30 a.m.
            elif _PREV_BASELINE_RX.search(prev):
                kind = "baseline"
            if math.isnan(value):
                kind = "excluded"
            out.append(_Qty(s, e, value, pct, kind))
        # from X to Y pairs
        for a, b in zip(out, out[1:], strict=False):
            if a.kind in ("year", "excluded") or b.kind in ("year",):
                continue
            if _PAIR_FROM_RX.search(f[max(0, a.start - 12):a.start]) and _PAIR_BETWEEN_RX.fullmatch(
                f[a.end:b.start]
            ):
                a.kind = "baseline"
                b.kind = "target"
        return out

    # -- time ---------------------------------------------------------------

    def times(self) -> tuple[list[_Time], list[tuple[int, int]]]:
        """Return (future anchors, past/context date spans)."""
        f = self.f
        found: list[_Time] = []
        past: list[tuple[int, int]] = []
        taken: list[tuple[int, int]] = []
        for m in _DURATION_RX.finditer(f):
            if _DURATION_DEF_NEXT_RX.match(f, m.end()):
                continue
            horizon = self._duration_years(m.group(0))
            found.append(_Time(m.start(), m.end(), None, horizon, False))
            taken.append(m.span())
        for m in _RELATIVE_RX.finditer(f):
            s, e = m.span()
            cue = _DEADLINE_CUE_RX.search(f, max(0, s - 40), s)
            start = cue.start() if cue else s
            g = m.group(0)
            horizon = 4.0 if "decad" in g else 1.0 if ("next" in g or "proxim" in g or "siguiente" in g
                                                       or "viene" in g) else 0.5
            found.append(_Time(start, e, None, horizon, bool(cue)))
            taken.append((s, e))
        for m in _DATED_RX.finditer(f):
            s, e = m.span()
            if any(s < te and e > ts for ts, te in taken):
                continue
            year: int | None = None
            for g in ("my", "sy", "y"):
                if m.group(g):
                    year = int(m.group(g))
                    break
            if m.group("fy2"):
                year = 2000 + int(m.group("fy2"))
            prev = f[max(0, s - 40):s]
            cue = _DEADLINE_CUE_RX.search(prev)
            is_month_or_season = bool(m.group("month") or m.group("season"))
            if cue:
                start = max(0, s - 40) + cue.start()
                horizon = None if year is None else float(year - self.ref)
                found.append(_Time(start, e, year, horizon, True))
                continue
            if year is None:
                # a month or season without a year needs a cue ("in June", "this winter")
                if is_month_or_season and re.search(r"(?:\bin|\ben|\bduring|\bdurante)\s$", prev):
                    found.append(_Time(s - len(prev) + prev.rfind(" ", 0, len(prev) - 1) + 1, e,
                                       None, 0.5, False))
                continue
            if (
                _PAST_CUE_RX.search(prev)
                or _PAST_CONTEXT_NEXT_RX.match(f, e)
                or _BASELINE_WINDOW_RX.search(prev)
                or year < self.ref
            ):
                past.append((s, e))
                continue
            found.append(_Time(s, e, year, float(year - self.ref), False))
        found.sort(key=lambda t: t.start)
        return found, past

    @staticmethod
    def _duration_years(g: str) -> float | None:
        m = re.search(rf"(\d+|{_NUMW}|a|one|un|una)[- ]([a-z]+)", g)
        if not m:
            return None
        n_raw, unit = m.groups()
        n = 1.0 if n_raw in ("a", "one", "un", "una") else _num_value(n_raw)
        if unit.startswith(("day", "dia")):
            return n / 365
        if unit.startswith(("week", "seman")):
            return n / 52
        if unit.startswith("mes") or unit.startswith("month"):
            return n / 12
        if unit.startswith(("quarter", "trimes")):
            return n / 4
        return n

    # -- criteria -----------------------------------------------------------

    def report(self) -> GoalReport:
        text, m = self.text, self.m
        if not text.strip():
            crit = {
                n: CriterionResult(n, n in ("achievable", "relevant"), (), m["empty"],
                                   None)
                for n in CRITERIA
            }
            return GoalReport(text, self.lang, False, crit, self._rewrite({}), ())
        qtys = self.quantities()
        times, past_dates = self.times()
        targets = [q for q in qtys if q.kind == "target"]
        ratios = [mm.span() for mm in _RATIO_RX.finditer(self.f)]
        zeros = [mm.span() for mm in _ZERO_RX.finditer(self.f)]
        everys = []
        for mm in _EVERY_RX.finditer(self.f):
            sp = mm.span(1) if mm.group(1) else mm.span(2)
            if not _VAGUE_PRED_NEXT_RX.match(self.f, sp[1]):
                everys.append(sp)
        # numbers inside a ratio ("1 in 3") are part of the ratio
        targets = [q for q in targets if not any(s <= q.start < e for s, e in ratios)]
        has_target = bool(targets or ratios or zeros or everys)
        framed = self.framed()
        is_goal = framed or (bool(times) and has_target)
        if is_goal and not has_target and not times and _NEVER_RX.search(self.f):
            is_goal = False  # "we will never give up": a value, not a goal

        spec = self._specific(targets, ratios, zeros + everys)
        meas = self._measurable(is_goal, targets, ratios, zeros, everys, qtys)
        tb = self._time_bound(times, past_dates)
        eq, pop_span, groups = self._equity()
        ach = self._achievable(is_goal, qtys, targets, ratios, zeros, times)
        rel, matched = self._relevant()
        crit = {
            "specific": spec,
            "measurable": meas,
            "achievable": ach,
            "relevant": rel,
            "time_bound": tb,
            "equity": eq,
        }
        parts = {
            "times": times,
            "spec": spec,
            "pop": pop_span,
            "groups": groups,
            "qtys": qtys,
            "targets": targets,
            "ratios": ratios,
            "zeros": zeros,
        }
        return GoalReport(text, self.lang, is_goal, crit, self._rewrite(parts), matched)

    def _specific(self, targets: list[_Qty], ratios: list[tuple[int, int]],
                  countables: list[tuple[int, int]]) -> CriterionResult:
        f, m = self.f, self.m
        spans: list[tuple[int, int]] = []
        for mm in _INDICATOR_RX.finditer(f):
            s, e = mm.span()
            if _VAGUE_HEAD_PREV_RX.search(f, max(0, s - 45), s):
                continue
            spans.append((s, e))
        # the object of a change verb, unless its head is vague ("reduce lead poisoning"
        # passes, "improve quality of life" and "increase civic engagement" do not)
        for mm in _CHANGE_OBJECT_RX.finditer(f):
            s0, e0 = mm.span(1)
            stop = _OBJECT_STOP_RX.search(f, s0, e0)
            if stop:
                e0 = stop.start()
            words = [w for w in f[s0:e0].split() if w not in lx.STOPWORDS]
            if not words:
                continue
            head = words[0] if self.lang == "es" else words[-1]
            if head in lx.VAGUE_OBJECT_HEADS or head in lx.VAGUE_NOUNS or (
                self.lang == "es" and any(w in lx.VAGUE_OBJECT_HEADS for w in words[:1])
            ):
                continue
            if _QTY_RX.fullmatch(words[-1]) or _RATIO_RX.search(f, s0, e0):
                continue
            spans.append((s0, e0))
        # a counted noun is a concrete outcome: "500 more children", "1 in 3 residents"
        for s0, e0 in [(q.start, q.end) for q in targets] + ratios:
            nm = _QTY_NOUN_NEXT_RX.match(f, e0)
            if not nm:
                continue
            noun = nm.group(1).split()[0]
            if noun in lx.VAGUE_NOUNS or noun in lx.STOPWORDS or _ORG_NOUN_RX.match(nm.group(1)):
                continue
            spans.append((s0, nm.end(1)))
        # "every third grader", "ninguna familia": a countable population
        for s0, e0 in countables:
            noun = f[s0:e0].split()[-1]
            if re.fullmatch(r"[a-z][\w-]+", noun) and noun not in lx.STOPWORDS and noun not in (
                "zero", "cero"
            ) and noun not in lx.VAGUE_NOUNS:
                spans.append((s0, e0))
        spans = _dedupe(spans, self.f)
        trimmed = []
        for s0, e0 in spans:
            first = _WORD_RX.match(f, s0)
            if first and first.group(0) in lx.EN_GOAL_VERBS and first.end() < e0:
                s0 = first.end()
            trimmed.append((s0, e0))
        spans = trimmed
        if spans:
            ev = tuple(self.ev(s, e) for s, e in spans[:4])
            return CriterionResult("specific", True, ev, m["spec_pass"].format(ev=_quote(ev[:3])))
        return CriterionResult("specific", False, (), m["spec_fail"], m["spec_sug"])

    def _measurable(self, is_goal, targets, ratios, zeros, everys, qtys) -> CriterionResult:
        m = self.m
        spans = _dedupe([(q.start, q.end) for q in targets] + ratios + zeros + everys)
        if is_goal and spans:
            ev = tuple(self.ev(s, e) for s, e in spans[:4])
            return CriterionResult("measurable", True, ev, m["meas_pass"].format(ev=_quote(ev)))
        if not is_goal:
            return CriterionResult("measurable", False, (), m["meas_fail_notgoal"], m["meas_sug"])
        others = [q for q in qtys if q.kind in ("baseline", "excluded")]
        if others:
            ev = tuple(self.ev(q.start, q.end) for q in others[:4])
            return CriterionResult(
                "measurable", False, ev, m["meas_fail"] + " " + m["meas_fail_only"].format(
                    ev=_quote(ev)), m["meas_sug"]
            )
        return CriterionResult("measurable", False, (), m["meas_fail"], m["meas_sug"])

    def _time_bound(self, times: list[_Time], past: list[tuple[int, int]]) -> CriterionResult:
        m = self.m
        if times:
            ev = tuple(self.ev(t.start, t.end) for t in times[:3])
            return CriterionResult("time_bound", True, ev, m["time_pass"].format(ev=_quote(ev)))
        vague = [mm.span() for mm in _VAGUE_TIME_RX.finditer(self.f)]
        if vague:
            ev = tuple(self.ev(s, e) for s, e in vague[:2])
            return CriterionResult(
                "time_bound", False, ev, m["time_fail_vague"].format(vague=ev[0].text),
                m["time_sug"],
            )
        if past:
            ev = tuple(self.ev(s, e) for s, e in past[:3])
            return CriterionResult(
                "time_bound", False, ev, m["time_fail_past"].format(ev=_quote(ev)), m["time_sug"]
            )
        return CriterionResult("time_bound", False, (), m["time_fail"], m["time_sug"])

    def _equity(self) -> tuple[CriterionResult, tuple[int, int] | None, str | None]:
        f, m = self.f, self.m
        spans: list[tuple[int, int]] = []
        pop_span: tuple[int, int] | None = None
        for mm in _POP_RX.finditer(f):
            s, e = mm.span()
            left = _POP_LEFT_RX.search(f, max(0, s - 40), s)
            if left:
                s = left.start(1)
            right = _POP_RIGHT_RX.search(f[e:e + 40])
            if right:
                e = e + right.end(1)
            spans.append((s, e))
            if pop_span is None and not _POP_ADJ_RX.fullmatch(f[s:e]):
                pop_span = (s, e)
        for mm in _DISP_RX.finditer(f):
            if _DISP_EXCLUDE_RX.fullmatch(mm.group(0).strip()) or _DISP_EXCLUDE_RX.search(
                f, max(0, mm.start() - 12), mm.end()
            ):
                continue
            spans.append(mm.span())
        groups: str | None = None
        for mm in _DISAGG_RX.finditer(f):
            spans.append(mm.span())
            g = _DISAGG_GROUPS_RX.search(mm.group(0))
            if g and groups is None:
                groups = self.text[mm.start() + g.start(1):mm.end()].strip(" ,")
        spans = _dedupe(spans)
        if spans:
            ev = tuple(self.ev(s, e) for s, e in spans[:4])
            res = CriterionResult("equity", True, ev, m["eq_pass"].format(ev=_quote(ev[:3])))
            return res, pop_span, groups
        gen = [mm.span() for mm in _GENERIC_EQ_RX.finditer(f)]
        if gen:
            ev = tuple(self.ev(s, e) for s, e in gen[:3])
            reason = m["eq_fail"] + " " + m["eq_fail_generic"].format(gen=ev[0].text)
            return CriterionResult("equity", False, ev, reason, m["eq_sug"]), None, None
        return CriterionResult("equity", False, (), m["eq_fail"], m["eq_sug"]), None, None

    def _achievable(self, is_goal, qtys, targets, ratios, zeros, times) -> CriterionResult:
        m, f = self.m, self.f
        es = self.lang == "es"
        # deadline already past?
        for t in times:
            if t.year is not None and t.lead and t.year < self.ref:
                ev = (self.ev(t.start, t.end),)
                return CriterionResult("achievable", False, ev, m["ach_past"].format(year=t.year),
                                       m["ach_past_sug"])
        if not is_goal or not (targets or ratios or zeros):
            return CriterionResult("achievable", True, (), m["ach_nothing"], None)
        for q in targets:
            relative_q = _RELATIVE_CUE_RX.search(f, max(0, q.start - 6), q.start)
            if q.pct and not (0 <= q.value <= 100) and not relative_q \
                    and "point" not in f[q.start:q.end] and "punto" not in f[q.start:q.end]:
                return CriterionResult("achievable", False, (self.ev(q.start, q.end),),
                                       m["ach_bad_pct"].format(val=q.value), m["ach_fast_sug"])
        horizon = self._horizon(times, qtys)
        baselines = [q for q in qtys if q.kind == "baseline"]
        target = targets[0] if targets else None
        dec = bool(_DEC_VERBS_RX.search(f))
        inc = bool(_INC_VERBS_RX.search(f))
        ratio: float | None = None
        points: float | None = None
        ev_spans: list[tuple[int, int]] = []
        pace_txt = ""
        if baselines and target is not None:
            b = baselines[0]
            ev_spans = [(b.start, b.end), (target.start, target.end)]
            if b.pct and target.pct:
                points = abs(target.value - b.value)
            elif b.value > 0 and target.value > 0:
                ratio = target.value / b.value
            elif target.value == 0:
                ratio = 0.0
        elif target is not None and _RELATIVE_CUE_RX.search(
            f, max(0, target.start - 6), target.start
        ) and (dec or inc):
            # relative change: "reduce ... by 25%", "en un 25 %"
            ev_spans = [(target.start, target.end)]
            unit_text = f[target.start:target.end]
            if "point" in unit_text or "punto" in unit_text:
                points = target.value
            elif target.pct and dec and target.value >= 100:
                ratio = 0.0  # "reduce by 100%": to zero
            elif target.pct:
                ratio = 1 - target.value / 100 if dec else 1 + target.value / 100
        elif ratios:
            s, e = ratios[0]
            word = f[s:e]
            ev_spans = [(s, e)]
            if re.search(r"half|halv|mitad", word):
                ratio = 0.5
            elif re.search(r"doubl|duplic|doble|twice", word):
                ratio = 2.0
            elif re.search(r"tripl|triple|three times|tres veces", word):
                ratio = 3.0
            elif re.search(r"quadrupl|cuadrupl", word):
                ratio = 4.0
            elif re.search(r"third|tercio", word) and dec:
                ratio = 2 / 3
        elif zeros and not targets:
            ev_spans = [zeros[0]]
            ratio = 0.0
        if points is None and ratio is None:
            return CriterionResult("achievable", True, (), m["ach_nobaseline"],
                                   m["ach_nobaseline_sug"])
        if horizon is None:
            return CriterionResult("achievable", True, (), m["ach_notime"], m["ach_notime_sug"])
        ev = tuple(self.ev(s, e) for s, e in ev_spans)
        yrs = f"{horizon:g} año(s)" if es else f"{horizon:g} year(s)"
        if points is not None:
            per = points / horizon
            pace_txt = (f"{points:g} puntos en {yrs} ({per:.1f} al año)" if es
                        else f"{points:g} points in {yrs} ({per:.1f} a year)")
            if per > PACE_MAX_POINTS_PER_YEAR:
                return CriterionResult("achievable", False, ev, m["ach_fast_pts"].format(
                    pace=pace_txt, lim=PACE_MAX_POINTS_PER_YEAR), m["ach_fast_sug"])
            return CriterionResult("achievable", True, ev, m["ach_ok"].format(pace=pace_txt))
        assert ratio is not None
        if ratio == 0.0:
            if horizon < 1:
                return CriterionResult("achievable", False, ev, m["ach_fast_zero"],
                                       m["ach_fast_sug"])
            pace_txt = f"a cero en {yrs}" if es else f"to zero in {yrs}"
            return CriterionResult("achievable", True, ev, m["ach_ok"].format(pace=pace_txt))
        doublings = abs(math.log2(ratio)) / horizon
        pace_txt = (f"×{ratio:.2g} en {yrs}" if es else f"×{ratio:.2g} in {yrs}")
        if doublings > PACE_MAX_DOUBLINGS_PER_YEAR:
            return CriterionResult("achievable", False, ev, m["ach_fast_rel"].format(
                pace=pace_txt), m["ach_fast_sug"])
        return CriterionResult("achievable", True, ev, m["ach_ok"].format(pace=pace_txt))

    def _horizon(self, times: list[_Time], qtys: list[_Qty]) -> float | None:
        """Years between the baseline (or now) and the deadline."""
        base_year = self.ref
        # a baseline year stated in the text ("up from 41% in 2023")
        m = re.search(rf"(?:\bin|\ben|\bde)\s({_YEAR})\b", self.f)
        years_past = [int(y) for y in re.findall(rf"\b({_YEAR})\b", self.f) if int(y) < self.ref]
        if m and years_past and any(q.kind == "baseline" for q in qtys):
            base_year = max(years_past)
        best: float | None = None
        for t in times:
            if t.year is not None:
                h = float(t.year - base_year)
            else:
                h = t.horizon
            if h is None:
                continue
            h = max(h, 0.5 if t.year is None else 1.0)
            best = h if best is None else max(best, h)
        return best

    def _relevant(self) -> tuple[CriterionResult, tuple[str, ...]]:
        m = self.m
        if not self.themes:
            return CriterionResult("relevant", True, (), m["rel_none"], None), ()
        words = [
            (mm.start(), mm.end(), _stem(mm.group(0)))
            for mm in _WORD_RX.finditer(self.f)
            if len(mm.group(0)) >= 3 and mm.group(0) not in lx.STOPWORDS
            and mm.group(0) not in _LOW_INFO_THEME_WORDS
        ]
        matched: list[str] = []
        spans: list[tuple[int, int]] = []
        for th in self.themes:
            hits = [(s, e) for s, e, st in words if st in th.stems]
            if hits:
                matched.append(th.label)
                spans.extend(hits)
        labels = ", ".join(f"'{t.label}'" for t in self.themes)
        if matched:
            ev = tuple(self.ev(s, e) for s, e in _dedupe(spans)[:4])
            reason = m["rel_pass"].format(themes=", ".join(f"'{x}'" for x in matched))
            return CriterionResult("relevant", True, ev, reason), tuple(matched)
        return (
            CriterionResult("relevant", False, (), m["rel_fail"].format(themes=labels),
                            m["rel_sug"].format(themes=labels)),
            (),
        )

    # -- rewrite ------------------------------------------------------------

    def _rewrite(self, parts: dict[str, Any]) -> str:
        es = self.lang == "es"
        text = self.text
        times: list[_Time] = parts.get("times") or []
        if times:
            t = next((t for t in times if t.lead), times[0])
            raw = text[t.start:t.end].strip(" ,.")
            if t.lead:
                date_txt = _TIME_LEAD_RX.sub("", raw)
                when = f"{'Para' if es else 'By'} {date_txt}"
            else:
                when = raw[:1].upper() + raw[1:]
        else:
            when = "Para [fecha]" if es else "By [date]"
        spec: CriterionResult | None = parts.get("spec")
        if spec is not None and spec.passed:
            tg = parts.get("targets") or []
            cands = [e for e in spec.evidence
                     if not any(e.start <= q.start < e.end for q in tg)] or list(spec.evidence)
            best = max(cands, key=lambda e: len(e.text))
            indicator = best.text
            for q in tg:
                if q.start == best.start:  # "1,000 units of housing" -> "units of housing"
                    rest = _LEAD_QTY_RX.sub("", text[q.end:best.end])
                    indicator = rest or indicator
        else:
            indicator = "[indicador]" if es else "[indicator]"
        pop = parts.get("pop")
        population = text[pop[0]:pop[1]] if pop else ("[población]" if es else "[population]")
        if pop and spec is not None and spec.passed and population in indicator:
            population = ""  # the indicator already names who
        qtys: list[_Qty] = parts.get("qtys") or []
        targets: list[_Qty] = parts.get("targets") or []
        baselines = [q for q in qtys if q.kind == "baseline"]
        baseline = (text[baselines[0].start:baselines[0].end] if baselines
                    else ("[línea de base]" if es else "[baseline]"))
        tgt_ph = "[meta]" if es else "[target]"
        relative = bool(targets) and bool(
            _RELATIVE_CUE_RX.search(self.f, max(0, targets[0].start - 6), targets[0].start))
        if targets and not baselines and not relative:
            target = text[targets[0].start:targets[0].end]
        elif targets:
            q = targets[0]
            if baselines:
                target = text[q.start:q.end]
            else:
                target = f"{tgt_ph} ({text[max(0, q.start - 3):q.end].strip()})"
        elif parts.get("ratios"):
            s, e = parts["ratios"][0]
            target = f"{tgt_ph} ({text[s:e]})"
        elif parts.get("zeros"):
            s, e = parts["zeros"][0]
            target = f"{tgt_ph} ({text[s:e]})"
        else:
            target = tgt_ph
        groups = parts.get("groups") or ("[grupos]" if es else "[groups]")
        if es:
            who = f" de {population}" if population else ""
            return (f"{when}, {indicator}{who} pasa de {baseline} a {target}, "
                    f"con datos desglosados por {groups}.")
        who = f" for {population}" if population else ""
        return (f"{when}, {indicator}{who} moves from {baseline} to {target}, "
                f"reported by {groups}.")


_DEFAULT = GoalChecker()


def check_goal(
    text: str,
    *,
    themes: Sequence[str | Mapping[str, Any]] | None = None,
    language: str | None = None,
) -> GoalReport:
    """Check a goal against the six criteria of docs/goals.md.

    Parameters
    ----------
    text : str
        One goal statement (at most :data:`MAX_GOAL_CHARS` characters).
    themes : list of str or of dict, optional
        The session's themes, as labels or as ``{"label": ..., "terms":
        [...]}``; when given, ``relevant`` says which ones the goal
        addresses. Without themes ``relevant`` is not judged (passes).
    language : {"en", "es"}, optional
        Language of the reasons and the rewrite; detected when omitted.
        The rules themselves understand both languages either way.

    Returns
    -------
    GoalReport

    Raises
    ------
    ValidationError
        If ``text`` is not a string or is too long, ``themes`` is malformed,
        or ``language`` is not supported.
    """
    return _DEFAULT.check(text, themes=themes, language=language)


def check_goals(
    texts: Iterable[str],
    *,
    themes: Sequence[str | Mapping[str, Any]] | None = None,
    language: str | None = None,
) -> list[GoalReport]:
    """Check several goals; see :func:`check_goal`."""
    return _DEFAULT.check_many(texts, themes=themes, language=language)
