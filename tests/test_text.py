"""The shared text helpers: one rule each, pinned here (fold, language, stop words, shorten,
html).
"""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pbp_facilitate import text
from pbp_facilitate.text import (
    esc,
    figure_html,
    fold,
    fold_key,
    guess_language,
    guess_languages,
    shorten,
    stop_words,
    table_html,
    text_html,
)

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "pbp_facilitate"


# -- fold ----------------------------------------------------------------------------------------


def test_fold_lowercases_and_drops_accents():
    assert fold("Educación") == "educacion"
    assert fold("¿Qué PASÓ? “año” – x\u00a0y") == '¿que paso? "ano" - x y'
    assert fold("ÜBER Ñandú") == "uber nandu"


def test_fold_can_keep_letters():
    assert fold("Año", keep="ñ") == "año"
    assert fold("AÑO", keep="ñ") == "año"


@given(st.text(max_size=60))
def test_fold_keeps_length_so_offsets_hold(s):
    folded = fold(s)
    assert len(folded) == len(s)
    for i, ch in enumerate(s):
        assert folded[i] == fold(ch)


def test_fold_key_treats_composed_and_decomposed_alike():
    composed = "Educación"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert fold_key(decomposed) == fold_key(composed) == "educacion"
    assert fold_key("Ｃａｆé²") == "cafe2"  # full-width letters and superscripts fold too


@given(st.text(max_size=40))
def test_fold_key_is_idempotent(s):
    assert fold_key(fold_key(s)) == fold_key(s)


# -- language ------------------------------------------------------------------------------------


def test_guess_language_rule():
    langs = ("en", "es")
    assert guess_language("We need more buses for the kids", langs) == "en"
    assert guess_language("Necesitamos más autobuses para los niños", langs) == "es"
    assert guess_language("Reducir la tasa de desempleo del condado al 4 %.") == "es"
    assert guess_language("Cut the county's unemployment rate to 4%.") == "en"
    assert guess_language("Housing", langs) is None  # no signal
    assert guess_language("the and el la", langs) is None  # a tie is unknown, never a default
    assert guess_language("Housing", ("en",)) == "en"  # one candidate: that one
    assert guess_language("the buses", ("fr", "de")) is None  # no candidate the guesser knows


def test_guess_language_accents_count_for_spanish_only_when_offered():
    assert guess_language("Más", ("en", "es")) == "es"
    assert guess_language("Más", ("en", "fr")) is None


def test_guess_languages_matches_guess_language():
    texts = ["More buses at night", "Más autobuses por la noche", "Parks", ""]
    assert guess_languages(texts) == [guess_language(t) for t in texts]


# -- stop words ----------------------------------------------------------------------------------


def test_stop_words_are_folded_and_combined():
    words = stop_words(("en", "es"))
    assert "the" in words and "para" in words and "community" in words
    assert "tambien" in words and "también" not in words
    assert "community" not in stop_words(("en",), civic=False)
    assert "rent" in stop_words(("en",), extra=["Rent"])


def test_stop_words_refuse_unknown_languages():
    with pytest.raises(ValueError, match="expected codes"):
        stop_words(("fr",))


# -- shorten -------------------------------------------------------------------------------------


def test_shorten_rule():
    assert shorten("More  buses\nat night", 12) == "More buses…"
    assert shorten("short", 12) == "short"
    assert shorten(None) == ""
    assert len(shorten("x" * 500, 80)) == 80


@given(st.text(max_size=200), st.integers(min_value=2, max_value=100))
def test_shorten_never_exceeds_n(s, n):
    out = shorten(s, n)
    assert len(out) <= n
    assert "\n" not in out


# -- html ----------------------------------------------------------------------------------------


def test_esc_escapes_markup_quotes_and_dollars():
    assert esc('<img src=x onerror="alert(1)">$5') == (
        "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#36;5"
    )
    assert esc(None) == ""
    assert "mathjax_ignore" in text_html("$x$") and "$" not in text_html("$x$")


def test_table_html_escapes_every_cell_and_heading():
    html = table_html([["<b>", "$1"]], ["<i>", "n"], caption="<c>", numeric=[1])
    assert "<b>" not in html and "<i>" not in html and "<c>" not in html
    assert "&#36;1" in html and 'class="num"' in html and "<caption>" in html


def test_table_html_from_a_frame_with_hooks():
    import pandas as pd

    frame = pd.DataFrame({"count": ["3", "<5"]}, index=pd.Index(["a", "Total"], name="group"))
    html = table_html(
        frame,
        index=True,
        cell_class=lambda i, j, t: "hidden" if t.startswith("<") else "",
        row_class=lambda i, texts: "total" if texts[0] == "Total" else "",
    )
    assert '<th scope="col">group</th>' in html
    assert 'class="hidden"' in html and 'class="total"' in html and "&lt;5" in html


def test_figure_html_embeds_a_png_with_escaped_alt():
    from matplotlib.figure import Figure

    fig = Figure(figsize=(1, 1))
    fig.add_subplot().plot([0, 1], [0, 1])
    html = figure_html(fig, 'a "chart" <x>')
    assert html.startswith('<img class="pbp-figure" alt="a &quot;chart&quot; &lt;x&gt;"')
    assert "data:image/png;base64,iVBOR" in html


# -- one implementation each ---------------------------------------------------------------------

_HELPERS = {
    "fold": r"def fold\(|_FOLD\b|def _fold|def strip_accents|def normalise_text",
    "language": r"def (detect|guess)_language|def _guess_languages|LANG_MARKERS",
    "shorten": r"def _short\b|def shorten\b|def _clip|def _truncate",
    "escape": r"def esc\b|def _esc\b|html\.escape\(",
    "table": r"def table_html|def _table\b|def _frame_table",
    "png": r"def figure_html|def _png\b|def figure_png|savefig\(",
}


# Thin wrappers that add a caller's fallback to the one rule (pinned below), not a second rule.
_WRAPPERS = {"language": {"src/pbp_facilitate/goals/messages.py"}}


@pytest.mark.parametrize("idea", sorted(_HELPERS))
def test_each_text_helper_is_defined_once(idea):
    out = subprocess.run(
        ["git", "grep", "-n", "-E", _HELPERS[idea], "--", "src/pbp_facilitate"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    places = {line.split(":", 1)[0] for line in out.splitlines()}
    outside = sorted(
        p
        for p in places
        if not p.startswith("src/pbp_facilitate/text/") and p not in _WRAPPERS.get(idea, set())
    )
    assert not outside, f"{idea} is implemented outside text/: {outside}"


def test_importer_goal_checker_and_theme_engine_share_the_language_rule(tmp_path):
    """One idea gets one language wherever it goes (the goal checker falls back to English)."""
    from pbp_facilitate.demo import demo_ideas
    from pbp_facilitate.goals import check_goal, detect_language
    from pbp_facilitate.importers import import_file
    from pbp_facilitate.store import Store
    from pbp_facilitate.surveys import load_survey

    texts = [text for _, _, text in demo_ideas()][:60] + ["the and el la", "Parks"]
    for t in texts:
        assert detect_language(t) == (guess_language(t) or "en")
    assert check_goal(texts[0]).language == detect_language(texts[0])
    notes = tmp_path / "notes.txt"
    notes.write_text("\n".join(texts) + "\n", encoding="utf-8")
    with Store(f"sqlite:///{tmp_path / 's.sqlite3'}") as store:
        session = store.create_session(load_survey(ROOT / "surveys" / "visioning.yaml"), "Lang")
        import_file(store, session, notes)
        stored = {s.text: s.language for s in store.list_submissions(session.id)}
    assert len(stored) >= 50 and {"en", "es"} <= set(stored.values())
    for t in texts:
        if t in stored:
            assert stored[t] == guess_language(t, session.languages), t


def test_text_imports_nothing_else_of_the_kit():
    for path in (PACKAGE / "text").glob("*.py"):
        src = path.read_text(encoding="utf-8")
        assert "from .." not in src and "pbp_facilitate." not in src.replace(
            "pbp_facilitate.text", ""
        ), path.name


def test_public_names():
    assert set(text.__all__) >= {"fold", "guess_language", "stop_words", "shorten", "esc"}


def test_english_list_is_scikit_learns_and_import_stays_light():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from pbp_facilitate.text.stopwords import _SKLEARN_ENGLISH

    assert set(_SKLEARN_ENGLISH.split()) == set(ENGLISH_STOP_WORDS)
    code = "import sys, pbp_facilitate.text; print('sklearn' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"
