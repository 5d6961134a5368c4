"""Stop words for theme finding and word clouds: English, Spanish and civic.

Words are stored lower-case and without accents (``"qué"`` is stored as
``"que"``, by :func:`~pbp_facilitate.text.fold.fold_key`), matching how every
part of the kit folds text before counting words. Use :func:`stop_words` to get the combined set.

The civic list holds words that appear in almost every comment of a
visioning session ("community", "people", "need", "think"...) and so say
nothing about what a theme is; it also holds filler answers ("yes", "ok",
"nothing", "n/a") so an answer made only of them counts as "other / unclear".
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from .fold import fold_key

__all__ = ["ENGLISH", "SPANISH", "CIVIC", "LANGUAGES", "stop_words"]


# scikit-learn's English list (sklearn.feature_extraction.text.ENGLISH_STOP_WORDS, BSD-3),
# written out so that importing the text helpers does not import scikit-learn (a test pins it).
_SKLEARN_ENGLISH = """
a about above across after afterwards again against all almost alone along already also although
always am among amongst amoungst amount an and another any anyhow anyone anything anyway
anywhere are around as at back be became because become becomes becoming been before beforehand
behind being below beside besides between beyond bill both bottom but by call can cannot cant co
con could couldnt cry de describe detail do done down due during each eg eight either eleven
else elsewhere empty enough etc even ever every everyone everything everywhere except few
fifteen fifty fill find fire first five for former formerly forty found four from front full
further get give go had has hasnt have he hence her here hereafter hereby herein hereupon hers
herself him himself his how however hundred i ie if in inc indeed interest into is it its itself
keep last latter latterly least less ltd made many may me meanwhile might mill mine more
moreover most mostly move much must my myself name namely neither never nevertheless next nine
no nobody none noone nor not nothing now nowhere of off often on once one only onto or other
others otherwise our ours ourselves out over own part per perhaps please put rather re same see
seem seemed seeming seems serious several she should show side since sincere six sixty so some
somehow someone something sometime sometimes somewhere still such system take ten than that the
their them themselves then thence there thereafter thereby therefore therein thereupon these
they thick thin third this those though three through throughout thru thus to together too top
toward towards twelve twenty two un under until up upon us very via was we well were what
whatever when whence whenever where whereafter whereas whereby wherein whereupon wherever
whether which while whither who whoever whole whom whose why will with within without would yet
you your yours yourself yourselves
"""

_EXTRA_ENGLISH = """
also really just like get got would could should might must may can cant dont doesnt didnt isnt
arent wasnt werent wont im ive id youre theyre thats theres lets us one two lot lots much many
way things thing something anything everything maybe still even well yeah yes ok okay oh etc
don didn doesn isn aren wasn weren won ll ve re s t d m
"""

_SPANISH = """
a al algo algun alguna algunas alguno algunos ante antes aqui asi aun aunque bajo bien cada casi
como con contra cual cuales cuando cuanto de del desde donde dos e el ella ellas ello ellos en
entre era eran eres es esa esas ese eso esos esta estaba estaban estado estamos estan estar estas
este esto estos estoy fue fueron fui ha habia habian han has hasta hay haya he hemos la las le les
lo los mas me mi mis mucho muchos muy nada ni no nos nosotros o os otra otras otro otros para pero
poco por porque que quien quienes se sea ser si sido siempre sin sobre solo son su sus tambien
tan tanto te tener tengo ti tiene tienen todo todos tu tus un una unas uno unos usted ustedes va
favor vamos van y ya yo hacer hace hacen puede pueden poder debe deben deberia hay seria sera mas
menos
mejor eso esto aquello cosa cosas etc ademas entonces pues luego despues durante mientras tras
nuestro nuestra nuestros nuestras vez veces toda todas
"""

_CIVIC = """
community communities people person folks everyone everybody anyone someone need needs needed
want wants think thought believe feel feeling would like get make made making give take see use
good great better best bad more less better lot lots really very just also please thank thanks
county city town place area areas neighborhood neighbourhood local residents resident partnership
idea ideas suggestion suggestions comment comments answer response question questions
yes no ok okay idk nothing none na n/a dunno nope sure maybe whatever unsure unknown
comunidad gente personas persona necesitamos necesita necesitan queremos quiero creo pienso
ciudad condado barrio lugar zona area vecinos idea ideas gracias bueno buena buenos buenas
"""

ENGLISH: frozenset[str] = frozenset(fold_key(w) for w in _SKLEARN_ENGLISH.split()) | frozenset(
    _EXTRA_ENGLISH.split()
)
"""English stop words: scikit-learn's list plus contraction fragments."""

SPANISH: frozenset[str] = frozenset(fold_key(w) for w in _SPANISH.split())
"""Spanish stop words (accents removed)."""

CIVIC: frozenset[str] = frozenset(fold_key(w) for w in _CIVIC.split())
"""Words common to almost every civic comment, in English and Spanish."""

_BY_LANGUAGE = {"en": ENGLISH, "es": SPANISH}
LANGUAGES: tuple[str, ...] = tuple(_BY_LANGUAGE)
"""Language codes that have a stop-word list."""


@lru_cache(maxsize=32)
def _combined(languages: tuple[str, ...], civic: bool, extra: tuple[str, ...]) -> frozenset[str]:
    words: set[str] = set()
    for lang in languages:
        words |= _BY_LANGUAGE[lang]
    if civic:
        words |= CIVIC
    words |= {fold_key(w) for w in extra}
    return frozenset(words)


def stop_words(
    languages: Iterable[str] = ("en", "es"),
    *,
    civic: bool = True,
    extra: Iterable[str] = (),
) -> frozenset[str]:
    """Return the combined stop-word set.

    Parameters
    ----------
    languages : iterable of str, default ("en", "es")
        Language codes whose lists to include; known: ``"en"``, ``"es"``.
    civic : bool, default True
        Include the civic list (:data:`CIVIC`).
    extra : iterable of str, default ()
        More words to drop, e.g. the words of the session's own prompt.

    Returns
    -------
    frozenset of str
        Lower-case, accent-free words.

    Raises
    ------
    ValueError
        If a language code has no list (see :data:`LANGUAGES`); callers that
        take codes from a session keep only the known ones.
    """
    langs = tuple(languages)
    unknown = [lang for lang in langs if lang not in _BY_LANGUAGE]
    if unknown:
        raise ValueError(
            f"No stop-word list for language(s) {unknown}; expected codes from "
            f"{sorted(_BY_LANGUAGE)}. Drop them or pass the words via extra=."
        )
    return _combined(langs, bool(civic), tuple(sorted(set(extra))))
