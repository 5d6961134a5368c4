"""The one string catalogue: every key in English and Spanish, same placeholders, one lookup."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pbp_facilitate import i18n
from pbp_facilitate.i18n import AREAS, STRINGS, format_when, gettext, placeholders

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "pbp_facilitate"


def test_catalogue_has_english_and_spanish():
    assert set(STRINGS) == {"en", "es"} == set(i18n.SUPPORTED)


@pytest.mark.parametrize("area", sorted(AREAS))
def test_each_area_has_the_same_keys_in_every_language(area):
    table = AREAS[area]
    assert set(table) == {"en", "es"}
    assert set(table["en"]) == set(table["es"]), set(table["en"]) ^ set(table["es"])


@pytest.mark.parametrize("area", sorted(AREAS))
def test_placeholders_match_across_languages(area):
    table = AREAS[area]
    for key, text in table["en"].items():
        assert placeholders(text) == placeholders(table["es"][key]), key


@pytest.mark.parametrize("area", sorted(a for a in AREAS if a != "participant"))
def test_area_keys_carry_the_area_prefix(area):
    for key in AREAS[area]["en"]:
        assert key.startswith(f"{area}."), key


def test_no_string_is_empty_and_spanish_is_not_a_copy_of_english():
    same = []
    for key, text in STRINGS["en"].items():
        assert text.strip() and STRINGS["es"][key].strip(), key
        if text == STRINGS["es"][key] and len(text) > 25 and "{" not in text:
            same.append(key)
    assert not same, f"untranslated: {same}"


def test_gettext_falls_back_and_formats():
    assert gettext("es", "submit") == "Enviar mi idea"
    assert gettext("es-MX", "submit") == "Enviar mi idea"
    assert gettext("fr", "submit") == "Send my idea"
    assert "500" in gettext("en", "chars_limit", limit=500)
    with pytest.raises(KeyError):
        gettext("en", "no.such.key")


def test_format_when_is_localised():
    from datetime import UTC, datetime

    when = datetime(2026, 3, 5, 18, 30, tzinfo=UTC)
    assert format_when("en", when) == "05 Mar 2026, 18:30 UTC"
    assert format_when("es", when) == "05 mar 2026, 18:30 UTC"


_LITERAL_KEY = re.compile(
    r"""\b(?:gettext\(\s*[\w.]+,\s*|\bt\(\s*|_t\(\s*data,\s*)["']([\w.]+)["']\s*[,)]"""
)

_COUNTED_KEY = re.compile(r"""\bngettext\(\s*[\w.]+,\s*["']([\w.]+)["']\s*,""")


def test_every_literal_key_in_the_code_exists():
    missing = []
    files = [*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.html")]
    for path in files:
        if "i18n" in path.parts:
            continue
        for m in _LITERAL_KEY.finditer(path.read_text(encoding="utf-8")):
            key = m.group(1)
            if "sections" in path.parts and not key.startswith("summaries."):
                key = f"summaries.{key}"
            if key not in STRINGS["en"]:
                missing.append(f"{path.name}: {key}")
        for m in _COUNTED_KEY.finditer(path.read_text(encoding="utf-8")):
            if f"{m.group(1)}.one" not in STRINGS["en"]:
                missing.append(f"{path.name}: {m.group(1)}.one")
    assert not missing, missing


def test_one_catalogue_mechanism():
    """No module outside i18n/ keeps its own table of words keyed by language."""
    offenders = []
    pattern = re.compile(r"""^\s*_?[A-Z_]*(?:WORDS|MSG|LABELS|NAMES)[A-Z_]*\s*[:=].*\{\s*$""")
    lang_table = re.compile(r"""^\s*["'](?:en|es)["']\s*:\s*\{""")
    for path in PACKAGE.rglob("*.py"):
        if "i18n" in path.parts:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if pattern.match(line) and any(lang_table.match(n) for n in lines[i + 1 : i + 4]):
                offenders.append(f"{path.relative_to(PACKAGE)}:{i + 1}")
    assert not offenders, offenders


def test_counted_forms_come_in_pairs_and_ngettext_picks_by_count():
    """Every ``key.one`` has its ``key.other`` (and back) in every language; 1 is singular."""
    for lang, table in STRINGS.items():
        ones = {k[: -len(".one")] for k in table if k.endswith(".one")}
        others = {k[: -len(".other")] for k in table if k.endswith(".other")}
        assert ones == others, (lang, ones ^ others)
        for base in ones:
            assert "n" in placeholders(table[f"{base}.other"]), (lang, base)
    for base in sorted(ones):
        kw = {p: 7 for p in placeholders(STRINGS["en"][f"{base}.other"]) - {"n"}}
        assert i18n.ngettext("en", base, 1, **kw) == gettext("en", f"{base}.one", n=1, **kw)
        assert i18n.ngettext("es", base, 0, **kw) == gettext("es", f"{base}.other", n=0, **kw)
        assert i18n.ngettext("es", base, 2, **kw) == gettext("es", f"{base}.other", n=2, **kw)


# -- counted phrases: "1 dots", "1 people placed", "(1 ideas)" must not happen ---------------

_PLURAL = {
    "en": r"ideas|dots|people|themes|voters|votes|participants|seconds|minutes|groups|goals|"
    r"rows|responses|answers|cells|comments|respondents|non-empty cells",
    "es": r"ideas|puntos|personas|temas|votantes|votos|participantes|segundos|minutos|grupos|"
    r"metas|filas|respuestas|celdas|comentarios",
}
_SINGULAR = {
    "en": r"idea|dot|person|theme|voter|vote|participant|second|minute|group|goal|"
    r"row|response|answer|cell|comment|respondent|non-empty cell",
    "es": r"idea|punto|persona|tema|votante|voto|participante|segundo|minuto|grupo|meta|"
    r"fila|respuesta|celda|comentario",
}
_ANY_PLURAL = "|".join(sorted({w for v in _PLURAL.values() for w in v.split("|")}))

# A placeholder before a plural noun in a string that is not counted is right only when the
# number can never be 1: the text limit, a count above it, dots placed above the allowance,
# the small-count threshold ({k}, {small_count}: a policy value of 2 or more) and the goals'
# pace limit ({lim}, 10 points a year).
_NEVER_ONE = {
    ("chars_count", "limit"),
    ("err_too_long", "count"),
    ("err_vote_too_many", "used"),
    ("summaries.multi_collapsed", "n"),  # shown only when n >= the small-count threshold
}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_counted_strings_read_right_for_one_and_two(lang):
    """Every counted pair, rendered for 1 and 2: singular noun after 1, plural after 2."""
    table = STRINGS[lang]
    one_bad = re.compile(rf"(?<![\d.,])1 ({_PLURAL[lang]})\b")
    two_bad = re.compile(rf"(?<![\d.,])2 ({_SINGULAR[lang]})\b")
    bases = sorted(k[: -len(".one")] for k in table if k.endswith(".one"))
    assert len(bases) >= 20, "the counted phrases went missing from the catalogue"
    wrong = []
    for base in bases:
        kw = {p: 7 for p in placeholders(table[f"{base}.other"]) - {"n"}}
        one, two = (i18n.ngettext(lang, base, n, **kw) for n in (1, 2))
        if one_bad.search(one) or two_bad.search(two):
            wrong.append((base, one, two))
    assert not wrong, wrong


def test_no_uncounted_string_puts_a_number_before_a_plural_noun():
    """A ``{placeholder} ideas`` in a string without ``.one`` / ``.other`` forms reads "1 ideas"
    for a count of one; such strings must be counted forms (or never see 1: _NEVER_ONE).
    """
    before = re.compile(r"\{(\w+)(?::[^}]*)?\}\)?(?:</\w+>)? (" + _ANY_PLURAL + r")\b")
    wrong = []
    for lang, table in STRINGS.items():
        for key, text in table.items():
            if key.endswith((".one", ".other")):
                continue
            for m in before.finditer(text):
                name = m.group(1)
                if name in ("k", "small_count", "lim") or (key, name) in _NEVER_ONE:
                    continue
                wrong.append((lang, key, m.group(0)))
    assert not wrong, wrong


_CODE_COUNT = re.compile(r"\{[^{}\n]+\}(?:</\w+>)? (" + _PLURAL["en"] + r")\b")
_TEMPLATE_COUNT = re.compile(r"\}\} (" + _ANY_PLURAL + r")\b")


def test_code_puts_no_number_before_a_plural_noun():
    """f-strings (and templates) in the kit do not write "{n} ideas": counts go through
    ``ngettext``. Only texts whose number is always 2 or more are listed here.
    """
    allowed = {
        ("widgets/moderation.py", "times"),  # "same text {n} times": n >= 3
    }
    wrong = []
    for path in [*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.html"), *PACKAGE.rglob("*.j2")]:
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith("i18n/"):
            continue
        text = path.read_text(encoding="utf-8")
        pattern = _CODE_COUNT if path.suffix == ".py" else _TEMPLATE_COUNT
        for m in pattern.finditer(text):
            if (rel, m.group(1)) not in allowed:
                line = text.count("\n", 0, m.start()) + 1
                wrong.append(f"{rel}:{line}: {m.group(0)}")
    assert not wrong, wrong


@pytest.mark.parametrize("lang", ["en", "es"])
def test_dashboard_bars_and_room_screen_count_right(lang):
    from pbp_facilitate.widgets.voting import bars_html

    html = bars_html([("Parks", 1, 1), ("Buses", 2, 2)], lang=lang)
    dot, dots = ("dot", "dots") if lang == "en" else ("punto", "puntos")
    voter, voters = ("voter", "voters") if lang == "en" else ("votante", "votantes")
    assert f">1 {dot}<" in html and f">2 {dots}<" in html
    assert f'title="1 {voter}"' in html and f'title="2 {voters}"' in html


def test_numbers_are_written_one_way_per_language() -> None:
    from pbp_facilitate.i18n import format_number

    assert format_number("en", 12345.5, 1) == "12,345.5"
    assert format_number("es", 12345.5, 1) == "12.345,5"
    assert format_number("es", 40.0, 1, trim=True) == "40"
    assert format_number("es", 1.666, 2) == "1,67"


def test_no_catalogue_string_formats_a_number_itself() -> None:
    """``{n:g}`` or ``{x:.1f}`` would write 2.5 on a Spanish page: numbers come in formatted by
    ``format_number``.
    """
    import string as _string

    from pbp_facilitate.i18n import STRINGS

    specs = {
        f"{lang}:{key}": text
        for lang, table in STRINGS.items()
        for key, text in table.items()
        if any(spec for _, name, spec, _ in _string.Formatter().parse(text) if name)
    }
    assert specs == {}
