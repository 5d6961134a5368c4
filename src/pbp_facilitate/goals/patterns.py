"""The compiled regular expressions of the goal checker.

Every pattern runs on the *folded* goal (:func:`pbp_facilitate.text.fold`:
lower case, accents dropped, curly quotes, dashes and no-break spaces made
plain, same length), so an offset of a match is an offset into the goal,
unless its note says it runs on the original text. The words come from
:mod:`.lexicon`; docs/goals.md describes the rules in plain words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from . import lexicon as lx


def _alt(words: Iterable[str]) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


NUMW = _alt(lx.NUMBER_WORDS)
"""Number words (``"five"``, ``"cinco"``) as one alternation."""
YEAR = r"(?:19|20)\d\d"
"""A year of this or the last century."""
_W = r"(?<![\w])"
_E = r"(?![\w])"

# -- words and framing (is it phrased as an intention?) --------------------------

WORD_RX = _c(r"[a-z0-9][a-z0-9'-]*")
CLAUSE_START_RX = _c(r"(?:^|[,;:(]|\band\b|\by\b)\s*[\"'¡¿]?\s*([a-z][a-z'-]*)")
GOAL_LABEL_RX = _c(
    r"\s*(?:goal|objective|outcome|priority|meta|objetivo|resultado|prioridad)\s*#?\d+\s*[:.)-]"
)
INTENT_RX = _c(rf"{_W}(?:{lx.INTENT_PHRASES}){_E}")
ES_FUTURE_RX = re.compile(r"(?<!\w)\w+?(?:rá|rán|réis|aremos|eremos|iremos)\b")
"""Matched on the lower-cased original text: the future tense needs its accent."""
ES_INFINITIVE_RX = _c(r"[a-z]{1,}(?:ar|er|ir)(?:se|lo|la|los|las|nos)?")

# -- quantities: targets, baselines, and numbers that are neither ------------------

QTY_RX = _c(
    rf"(?<![\w.,$])(\$\s?)?(\d+(?:[.,]\d+)*|(?:{NUMW}){_E})"
    r"(?:\s?(%|percent(?:age points?)?|per cent|por ciento|puntos? porcentuales|percentage points?"
    r"|points?|puntos?)(?![\w]))?"
)
THOUSANDS_RX = _c(r"\d{1,3}([.,])\d{3}(?:\1\d{3})*")
PREV_YEAR_RANGE_RX = _c(r"(?:19|20)\d\d[-/]$")
PREV_CODE_RX = _c(
    r"(?:[a-z]-|(?:district|ward|title|route|highway|interstate|zone|zip(?: code)?|code|section"
    r"|chapter|article|phase|tier|precinct|room|distrito|ruta|zona|seccion|articulo|fase"
    r"|codigo postal|covid|goal|meta|objective|objetivo|strategy|estrategia|priority|prioridad"
    r"|outcome|step|paso|pillar|pilar)\s?-?\s?#?)$"
)
NEXT_ORDINAL_RX = _c(r"(?:st|nd|rd|th)\b|o\b|[- ](?:grade|grado)|(?:er|ero|era)\b")
ORDINAL_SIGN_RX = _c(r"\.?\s?[º°ª]")
"""Matched on the *original* text: folding turns "º" and "ª" into "o" and "a"."""
PREV_GRADE_RX = _c(r"(?:grades?|grados?|level|nivel|phase|fase)\s$")
PREV_AGE_RX = _c(r"(?:aged?|ages|under age|age of|edad(?:es)?(?: de)?|menores de|mayores de)\s$")
NEXT_AGE_RX = _c(
    r"\s?(?:and (?:over|older|up)|\+|years? old|-year-olds?|y mas\b|anos o mas|anos de edad)"
)
PREV_UNDER_PERSON_RX = _c(rf"(?:{lx.PERSON_NOUNS}) (?:under|menores de|below)\s$")
PREV_POSSESSIVE_RX = _c(
    r"(?:\bour|\bits|\btheir|\bnuestr[oa]s?|\bsus|\bwe (?:have|had|are|were)|\bthere (?:are|were)"
    r"|\btenemos|\bhay)\s$"
)
PREV_SCOPE_RX = _c(r"(?:\ball(?: of the)?|\beach of the|\btodos los|\btodas las)\s$")
PREV_OF_RX = _c(r"(?:\bof|\bwith|\bde|\bcon|\bpor)\s$")
NEXT_ORG_RX = _c(rf"\s(?:[\w-]+\s)?(?:{lx.ORG_NOUNS}){_E}")
PREV_DENOM_RX = _c(r"(?:\bper|\bpor cada|\bout of every|\bfor every|\bpor)\s$")
NEXT_DURATION_RX = _c(
    r"[- ]?(?:days?|weeks?|months?|years?|hours?|minutes?|dias?|semanas?|mes(?:es)?|anos?"
    r"|horas?|minutos?)(?![\w])"
)
PREV_TARGET_CUE_RX = _c(
    r"(?:\bto|\bunder|\bbelow|\bthan|\bmost|\bleast|\bal|\bhasta|\bmenos de|\bmas de"
    r"|\bdebajo de)\s$"
)
NEXT_CLOCK_RX = _c(r":\d\d|\s?(?:a\.?m\.?|p\.?m\.?|o'clock|hrs?\b|h\b)")
PREV_BASELINE_RX = _c(
    r"(?:\bup from|\bdown from|\bfrom|\bcurrently(?: at)?|\bnow(?: at)?|\btoday|\bbaseline(?: of)?"
    r"|\bcompared (?:to|with)|\bfrente al?|\bactualmente(?: en)?|\bhoy|\blinea de base(?: de)?"
    r"|\bdesde)\s(?:(?:el|la|about|around|roughly|cerca del?)\s)?$"
)
PAIR_FROM_RX = _c(r"(?:\bfrom|\bdel?|\bdesde)\s(?:(?:the|el|la)\s)?$")
PAIR_BETWEEN_RX = _c(
    r"\s*(?:[\w$%.,-]+\s+){0,4}?(?:to|al?|hasta)\s+(?:(?:under|below|less than|fewer than|about"
    r"|around|at least|at most|menos de|mas de|por debajo de|alrededor de|un|una)\s+)?$"
)

# -- countable end states: ratios, zero, every ---------------------------------------

RATIO_RX = _c(
    rf"{_W}(?:(?:in|by|en) half|half|halve[sd]?|halving|double[sd]?|doubling|triple[sd]?|tripling"
    r"|quadruple[sd]?|twice|three times"
    r"|(?:a|one|two|three|four)[- ](?:third|quarter|fourth|fifth|tenth)s?"
    r"|three quarters|(?:una|la|dos|tres) (?:tercera|cuarta|quinta|decima) partes?"
    rf"|(?:\d+|one|{NUMW}) (?:in|out of(?: every)?) (?!(?:19|20)\d\d{_E})(?:\d+|{NUMW})"
    r"|(?:a |por )?la mitad|duplicar\w*|triplicar\w*|cuadruplicar\w*|el doble|el triple"
    r"|tres veces|un tercio|dos tercios|(?:una|la) cuarta parte|un cuarto"
    rf"|(?:\d+|uno|una|{NUMW}) de cada (?:\d+|{NUMW})"
    rf"|(?<![\d/.,])[1-9]/(?:[2-9]|10)(?![\d/])){_E}"
)
ZERO_RX = _c(
    rf"{_W}(?:functional zero|cero funcional|zero|cero"
    r"|(?:ensure|make sure|guarantee|that|garantizar que|asegurar(?:se de)? que|lograr que"
    r"|conseguir que)\s+(?:no|ningun[oa]?)\s+[\w-]+"
    r"|(?:no|ningun[oa]?)\s+[\w-]+(?:\s+[\w'-]+){0,8}?\s+will)"
    rf"{_E}"
)
EVERY_RX = _c(
    r"(?:(?:ensure|make sure|guarantee|get|garantizar|asegurar|lograr|conseguir)\b[^.;]{0,30}?)"
    r"(?<![\w])((?:every|all|each|todos los|todas las|cada)\s+(?!our\b|of\b|by\b|for\b|the\b|we\b"
    r"|nuestr|de\b|y\b|por\b)[\w-]+)"
    r"|(?<![\w])((?:every|all|each)\s+(?!our\b|of\b|by\b|for\b|we\b)[\w-]+)(?:\s+[\w'-]+){0,8}?\s+will\b"
)
VAGUE_PRED_NEXT_RX = _c(rf"(?:\s+[\w'-]+){{0,3}}?\s+(?:{lx.VAGUE_PREDICATES})(?![\w])")
NEVER_RX = _c(rf"{_W}(?:{lx.NEVER_WORDS}){_E}")
RATIO_VALUES: tuple[tuple[re.Pattern[str], float], ...] = (
    (_c(r"half|halv|mitad"), 0.5),
    (_c(r"doubl|duplic|doble|twice"), 2.0),
    (_c(r"tripl|triple|three times|tres veces"), 3.0),
    (_c(r"quadrupl|cuadrupl"), 4.0),
)
"""The factor a ratio word sets, first match wins ("in half" -> 0.5)."""
THIRD_RX = _c(r"third|tercio")
"""A third: a factor of 2/3 when the goal lowers something."""

# -- direction of the change ----------------------------------------------------------

DEC_VERBS_RX = _c(
    r"(?<![\w])(?:reduc\w*|cut\w*|lower\w*|decreas\w*|shrink\w*|narrow\w*|halv\w*|clos\w*"
    r"|eliminat\w*|end|prevent\w*|slash\w*|curb\w*|disminu\w*|baj\w*|recort\w*|cerr\w*"
    r"|elimin\w*)(?![\w])"
)
INC_VERBS_RX = _c(
    r"(?<![\w])(?:increas\w*|rais\w*|grow\w*|boost\w*|expand\w*|lift\w*|doubl\w*|tripl\w*"
    r"|add\w*|aument\w*|increment\w*|elev\w*|ampli\w*|duplic\w*|triplic\w*|sub\w*)(?![\w])"
)

# -- time: durations, relative and dated deadlines, past dates ------------------------

_DUR_UNIT_EN = r"(?:days?|weeks?|months?|years?|quarters?)"
_DUR_UNIT_ES = r"(?:dias?|semanas?|mes(?:es)?|anos?|trimestres?)"
DURATION_RX = _c(
    rf"{_W}(?:(?:within|in|over|during)(?: the)?(?: next| coming| following)?"
    rf" (?:\d+|{NUMW}|a|one)[- ]{_DUR_UNIT_EN}"
    r"|(?:en|dentro de|en un plazo de|en el plazo de|durante|a lo largo de)"
    rf"(?: (?:los|las|el|la|un|una))?(?: proxim[oa]s| siguientes)? (?:\d+|{NUMW}|un|una)"
    rf" {_DUR_UNIT_ES}){_E}"
)
DURATION_DEF_NEXT_RX = _c(
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
RELATIVE_RX = _c(
    rf"{_W}(?:(?:this|next|the coming|the next|coming|this coming) (?:{_REL_UNIT_EN}|{lx.MONTHS})"
    rf"|(?:el|del|al|la) (?:proxim[oa]|siguiente) (?:{lx.MONTHS})"
    r"|(?:the )?end of the (?:decade|year|(?:school|academic|fiscal|calendar) year)|year-end"
    r"|year's end"
    r"|(?:el )?(?:fin|final|cierre) del? (?:la decada|ano|ciclo escolar|ano escolar|ano fiscal)"
    rf"|(?:este|esta) {_REL_UNIT_ES}|(?:el|del|al|la) (?:proxim[oa]|siguiente) {_REL_UNIT_ES}"
    r"|el ano que viene|(?:finales|fines|final) de (?:la|esta) decada|fin de ano)"
    rf"{_E}"
)
DATED_RX = _c(
    rf"{_W}(?:"
    rf"(?P<month>(?:\d{{1,2}} de )?(?:{lx.MONTHS})\.?(?: \d{{1,2}}(?:st|nd|rd|th)?)?"
    rf"(?:,? (?:de |del )?(?P<my>{YEAR}))?)"
    rf"|(?P<season>(?:{lx.SEASONS})(?: (?:of |de |del )?(?P<sy>{YEAR}))?)"
    rf"|(?P<yearlike>(?:(?:fy|fiscal year|ano fiscal|school year|ciclo escolar|ano escolar) ?'?)?"
    rf"(?P<y>{YEAR})(?:[-/](?:\d{{4}}|\d{{2}}))?(?: (?:school|academic|fiscal) year)?)"
    rf"|(?P<fy>fy ?'?(?P<fy2>\d{{2}}))"
    rf"){_E}"
)
DEADLINE_CUE_RX = _c(
    r"(?:\b(?:by|before|until|at) the (?:end|close|start|beginning|middle) of"
    r"|\bpara (?:finales|fines) de"
    r"|\bantes de (?:que )?(?:termine|acabe|finalice)|\bpara el (?:final|cierre) del?"
    r"|\bby|\bbefore|\buntil|\btill|\bthrough|\bthru|\bno later than|\bprior to|\bahead of"
    r"|\bin time for|\bend of|\bclose of|\bstart of|\bbeginning of|\bmiddle of|\bmid|\bearly|\blate"
    r"|\bstarting(?: in)?|\bbeginning(?: in)?|\bpara|\bantes de(?: que (?:termine|acabe|finalice))?"
    r"|\bantes del?|\bhasta|\ba mas tardar(?: en)?|\bde aqui a|\bfinales de|\bfines de"
    r"|\btermine|\bfinalice|\ba partir del?|\bal final del?|\bal cierre del?|\bal termino del?)"
    r"(?:\s(?:the|el|la|del|de|los))?[\s-]*$"
)
IN_PERIOD_CUE_RX = _c(r"(?:\bin|\ben|\bduring|\bdurante)\s$")
"""Before a month or season without a year: "in June", "durante el verano"."""
DURATION_AMOUNT_RX = _c(rf"(\d+|{NUMW}|a|one|un|una)[- ]([a-z]+)")
BASELINE_YEAR_CUE_RX = _c(rf"(?:\bin|\ben|\bde)\s({YEAR})\b")
YEAR_WORD_RX = _c(rf"\b({YEAR})\b")
PAST_CUE_RX = _c(
    r"(?:\bsince|\bdesde|\bfounded in|\bestablished in|\bcreated in|\blaunched in|\bbegan in"
    r"|\bstarted in|\bour|\bits|\btheir|\bnuestro|\bnuestra|\bplan de|\bde nuestro plan de"
    r"|\bfundad[oa] en|\bcread[oa] en|\blast|\bthe past)\s*$"
)
PAST_CONTEXT_NEXT_RX = _c(
    r"\s*(?:'s\s)?(?:plan|strategic plan|report|baseline|levels?|data|study)\b"
)
BASELINE_WINDOW_RX = _c(
    r"(?:\bup from|\bdown from|\bfrom|\bcompared (?:to|with)|\bfrente al?|\bcurrently|\bnow"
    r"|\bbaseline|\bactualmente|\bhoy)\b[^.;]{0,25}$"
)
VAGUE_TIME_RX = _c(rf"{_W}(?:{lx.VAGUE_TIME_TERMS}){_E}")
RELATIVE_CUE_RX = _c(r"(?:\bby|\ben un|\ben|\bun)\s\$?$")
# the next two run on the original text (case-insensitive)
LEAD_QTY_RX = re.compile(r"^\s*(?:more|additional|new|nuev[oa]s|más|mas|adicionales)?\s*", re.I)
TIME_LEAD_RX = re.compile(
    r"^(?:by|before|until|through|no later than|para|antes de|antes del|hasta|de aquí a"
    r"|de aqui a)\s+",
    re.IGNORECASE,
)

# -- specific: indicators and the objects of change verbs ----------------------------

INDICATOR_RX = _c(rf"{_W}(?:{lx.INDICATOR_TERMS}){_E}")
VAGUE_HEAD_PREV_RX = _c(rf"(?:{lx.VAGUE_HEADS})\s+(?:[\w-]+\s+){{0,2}}$")
QTY_NOUN_NEXT_RX = _c(
    r"\s?(?:of (?:the |all |our )?)?(?:de (?:los |las )?)?"
    r"(?:(?:more|additional|new|more new|nuev[oa]s|mas|adicionales)\s)?"
    r"([a-z][\w-]+(?: [a-z][\w-]+)?)"
)
NOUN_RX = _c(r"[a-z][\w-]+")
ORG_NOUN_RX = _c(rf"(?:{lx.ORG_NOUNS}){_E}")

CHANGE_OBJECT_RX = _c(
    r"(?<![\w])(?:increase|reduce|decrease|cut|raise|lower|grow|expand|double|triple|halve"
    r"|eliminate|end|prevent|boost|lift|shrink|narrow|aumentar|reducir|disminuir|ampliar"
    r"|duplicar|triplicar|eliminar|bajar|incrementar|elevar|prevenir|eradicate|stop|erradicar"
    r"|poner fin a|acabar con|detener)\s+"
    r"((?:(?:the|a|an|el|la|los|las|un|una)\s+)?[a-z][\w-]*(?:\s+[a-z][\w-]*){0,4})"
)
OBJECT_STOP_RX = _c(
    r"\s(?:in|of|for|by|to|at|on|among|between|from|with|across|within|through|so|and|that"
    r"|who|which|before|after|until|over|en|de|del|para|por|entre|con|a|al|antes|hasta|y|que"
    r"|durante|desde|next|this|last|soon|eventually|proxim[oa]|este|esta|pronto|\d+)(?![\w-])"
)

# -- equity: populations, disparities, disaggregation ---------------------------------

POP_RX = _c(rf"{_W}(?:{lx.POPULATION_TERMS}){_E}")
DISP_RX = _c(rf"{_W}(?:{lx.DISPARITY_TERMS}){_E}")
DISP_EXCLUDE_RX = _c(r"(?:funding|budget|skills?|data|knowledge|information|financing)\s+gaps?")
DISAGG_RX = _c(rf"{_W}(?:{lx.DISAGGREGATION_TERMS}){_E}")
DISAGG_GROUPS_RX = _c(r"(?:\bby|\bpor)\s+([\w ,-]+)$")
GENERIC_EQ_RX = _c(rf"{_W}(?:{lx.GENERIC_EQUITY_TERMS}){_E}")
POP_ADJ_RX = _c(r"racial\w*|race|raza|raciales|ethnic\w*|etni\w*|racism\w*|minority|minorias?")
POP_LEFT_RX = _c(rf"((?:{lx.PERSON_NOUNS})(?: [\w-]+){{0,2}} )$")
POP_RIGHT_RX = _c(rf"^((?: [\w-]+){{0,3}}? (?:{lx.PERSON_NOUNS}|{lx.PLACE_NOUNS})){_E}")
