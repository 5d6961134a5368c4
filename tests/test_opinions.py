"""Opinion groups (Polis's method), the reactions store and the Polis votes import."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from sklearn.base import clone
from sklearn.metrics import adjusted_rand_score, homogeneity_score

from pbp_facilitate.cli import cli
from pbp_facilitate.errors import ClosedError, ImportFormatError, NotFoundError, ValidationError
from pbp_facilitate.importers import detect_format, import_file
from pbp_facilitate.opinions import OpinionModel, analyze_opinions, vote_matrix
from pbp_facilitate.opinions.session import opinions_json, participant_label, session_opinions
from pbp_facilitate.store import NewReaction, SessionRecord, Store

SMALL = Path(__file__).parent / "data" / "polis_small"
SHARED_POLIS = Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "polis"


def planted(n: int = 120, m: int = 30, groups: int = 2, seen: float = 0.6, seed: int = 1):
    """Triples from ``groups`` planted opinion groups; ideas 0-2 are agreed by everyone."""
    rng = np.random.default_rng(seed)
    lean = rng.choice([-1, 1], size=(groups, m))
    lean[:, :3] = 1
    truth = np.arange(n) % groups
    out = []
    for p in range(n):
        for i in range(m):
            if i >= 3 and rng.random() > seen:
                continue
            agree = rng.random() < (0.9 if lean[truth[p], i] == 1 else 0.1)
            out.append((f"p{p}", f"i{i}", 1 if agree else -1))
    return out, truth


# -- the pure package ------------------------------------------------------------------------


def test_vote_matrix_keeps_the_latest_reaction_and_only_the_ideas_asked_for() -> None:
    vm = vote_matrix([("a", "x", 1), ("b", "x", -1), ("a", "x", 0), ("a", "hidden", 1)])
    assert vm.participants == ("a", "b") and vm.ideas == ("x", "hidden")
    assert vm.values[0, 0] == 0 and vm.values[1, 0] == -1 and np.isnan(vm.values[1, 1])
    only = vote_matrix([("a", "x", 1), ("a", "hidden", 1)], ideas=["x"])
    assert only.ideas == ("x",) and only.n_votes == 1


def test_vote_matrix_rejects_a_value_that_is_no_reaction() -> None:
    with pytest.raises(ValidationError, match=r"1 \(agree\), -1 \(disagree\) or 0 \(pass\)"):
        vote_matrix([("a", "x", 2)])


@pytest.mark.parametrize("groups", [2, 3])
def test_planted_groups_are_found(groups: int) -> None:
    triples, truth = planted(groups=groups)
    res = analyze_opinions(triples)
    assert res.n_groups == groups
    labels = [res.participant_groups()[f"p{p}"] for p in range(len(truth))]
    assert adjusted_rand_score(truth, labels) > 0.9


def test_consensus_representative_and_divisive_ideas() -> None:
    triples, truth = planted(groups=2, seed=3)
    res = analyze_opinions(triples)
    agreed = {c["idea"] for c in res.consensus}
    assert {"i0", "i1", "i2"} <= agreed
    for c in res.consensus:
        assert all(p > 0.5 for p in c["group_agree"])
    assert res.divisive and all(d["idea"] not in {"i0", "i1", "i2"} for d in res.divisive)
    for g in res.groups:
        assert g["representative"] and g["representative"][0]["significant"]
        r = g["representative"][0]
        share = r["agree"] / r["seen"] if r["direction"] == "agree" else r["disagree"] / r["seen"]
        assert share > 0.5


def test_participants_with_too_few_reactions_are_not_placed() -> None:
    triples, _ = planted(n=60, groups=2)
    triples += [("newcomer", "i0", 1), ("newcomer", "i5", -1)]
    res = analyze_opinions(triples, min_votes=7)
    assert res.participant_groups()["newcomer"] is None
    row = next(p for p in res.to_dict()["participants"] if p["participant"] == "newcomer")
    assert row["group"] is None and isinstance(row["x"], float)


def test_too_few_participants_give_no_groups_and_no_error() -> None:
    res = analyze_opinions([("a", "x", 1), ("b", "x", -1)])
    assert res.n_groups == 0 and res.groups == [] and res.consensus == []
    assert res.to_dict()["participants"][0]["group"] is None
    assert analyze_opinions([]).n_groups == 0


def test_model_follows_the_estimator_contract_and_is_reproducible() -> None:
    triples, _ = planted(groups=2)
    x = vote_matrix(triples).values
    model = OpinionModel(min_votes=5, random_state=4)
    assert clone(model).get_params() == model.get_params()
    a = model.fit(x).labels_.copy()
    b = OpinionModel(min_votes=5, random_state=4).fit_predict(x)
    assert (a == b).all()
    assert (model.predict(x[:10]) == a[:10]).all()
    with pytest.raises(
        ValidationError, match="Expected as many ideas \\(columns\\) as fitted, 30; got 5"
    ):
        model.predict(x[:, :5])
    with pytest.raises(ValidationError, match="2-D"):
        OpinionModel().fit(np.zeros(3))
    with pytest.raises(ValidationError, match="k_range"):
        OpinionModel(k_range=(1, 3)).fit(x)


def test_every_parameter_is_checked_from_one_table() -> None:
    from pbp_facilitate.opinions.model import PARAMS

    x = vote_matrix(planted(groups=2)[0]).values
    assert set(PARAMS) == set(OpinionModel().get_params())
    bad = {
        "min_votes": 0,
        "min_placed": -1,
        "k_range": (3, 2),
        "base_k": 1,
        "init": "random",
        "random_state": -1,
    }
    for name, value in bad.items():
        with pytest.raises(ValidationError, match=f"^{name} must be "):
            OpinionModel(**{name: value}).fit(x)
    assert OpinionModel(min_votes=True).get_params()["min_votes"] is True  # stored as given
    with pytest.raises(ValidationError, match="min_votes must be int"):
        OpinionModel(min_votes=True).fit(x)


def test_polis_start_is_deterministic_and_k_means_plus_plus_follows_random_state() -> None:
    x = vote_matrix(planted(n=150, groups=3, seed=3)[0]).values
    a = OpinionModel(init="polis", random_state=0).fit(x).labels_
    b = OpinionModel(init="polis", random_state=7).fit(x).labels_
    assert (a == b).all()  # Polis's start (first distinct points) uses no randomness
    c = OpinionModel(random_state=7).fit(x).labels_
    d = OpinionModel(random_state=7).fit(x).labels_
    assert (c == d).all()
    truth = np.arange(150) % 3
    assert adjusted_rand_score(truth, c) > 0.9 and adjusted_rand_score(truth, a) > 0.9


def test_who_is_placed_follows_polis_in_conv_rule() -> None:
    # Polis (conversation.clj :in-conv): at least min(7, n comments) votes, passes included,
    # then the most active others until 15 are placed
    triples, _ = planted(n=40, m=30, groups=2)
    triples += [("six", f"i{i}", 0) for i in range(6)]
    triples += [("seven", f"i{i}", 0 if i % 2 else 1) for i in range(7)]
    model = analyze_opinions(triples, min_votes=7).model
    placed = dict(zip(analyze_opinions(triples).matrix.participants, model.placed_, strict=True))
    assert placed["seven"] and not placed["six"]
    # with 5 ideas, 5 reactions are enough (min(7, n_ideas))
    few = [(f"p{p}", f"i{i}", 1 if (p + i) % 3 else -1) for p in range(20) for i in range(5)]
    few += [("all5", f"i{i}", 1) for i in range(5)] + [("four", f"i{i}", 1) for i in range(4)]
    res = analyze_opinions(few)
    got = dict(zip(res.matrix.participants, res.model.placed_, strict=True))
    assert got["all5"] and not got["four"]
    # fewer than 15 would qualify: the most active others are added up to 15
    tiny = [(f"p{p}", f"i{i}", 1 if p % 2 else -1) for p in range(10) for i in range(8)]
    tiny += [(f"q{p}", f"i{i}", 1) for p in range(8) for i in range(p % 4 + 1)]
    m = analyze_opinions(tiny).model
    assert m.placed_.sum() == 15 and m.placed_[:10].all()


# -- the store --------------------------------------------------------------------------------


def _ideas(store: Store, session: SessionRecord, n: int = 4, author: str = "author-key"):
    prompt = store.list_prompts(session.id)[0]
    return prompt, [
        store.add_submission(session.id, prompt.id, f"Idea number {i}", participant_key=author)[0]
        for i in range(n)
    ]


def test_reactions_need_an_open_round_and_are_one_per_key_and_idea(
    store: Store, session: SessionRecord
) -> None:
    prompt, subs = _ideas(store, session)
    r = NewReaction(subs[0].id, "k1", 1)
    with pytest.raises(ClosedError):
        store.add_reaction(session.id, r)
    rnd = store.open_reactions(session.id, prompt.id)
    assert rnd.status == "open" and rnd.prompt_id == prompt.id
    assert store.add_reaction(session.id, r) is True
    assert store.add_reaction(session.id, r) is False  # the same form again: no change
    assert store.add_reaction(session.id, NewReaction(subs[0].id, "k1", -1)) is True
    assert store.participant_reactions(session.id, "k1") == {subs[0].id: -1}
    assert store.reaction_counts(session.id)[subs[0].id] == {"agree": 0, "disagree": 1, "pass": 0}
    with pytest.raises(ValidationError, match="own idea"):
        store.add_reaction(session.id, NewReaction(subs[1].id, "author-key", 1))
    with pytest.raises(ValidationError, match="1 \\(agree\\)"):
        store.add_reaction(session.id, NewReaction(subs[1].id, "k1", 5))
    store.set_hidden(subs[2].id, True)
    with pytest.raises(NotFoundError):
        store.add_reaction(session.id, NewReaction(subs[2].id, "k1", 1))
    store.close_reactions(session.id)
    with pytest.raises(ClosedError):
        store.add_reaction(session.id, NewReaction(subs[3].id, "k1", 1))
    assert store.current_reactions_round(session.id).status == "closed"
    actions = [a["action"] for a in store.audit_log(session.id)]
    assert "reactions_open" in actions and "reactions_close" in actions


def test_group_commit_fails_only_the_bad_items(store: Store, session: SessionRecord) -> None:
    prompt, subs = _ideas(store, session)
    store.open_reactions(session.id, prompt.id)
    out = store.add_reaction_group(
        [
            (session.id, NewReaction(subs[0].id, "a", 1)),
            (session.id, NewReaction(subs[0].id, "author-key", 1)),
            (session.id, NewReaction(subs[1].id, "b", 0)),
        ]
    )
    assert out[0] is True and isinstance(out[1], ValidationError) and out[2] is True
    assert len(store.list_reactions(session.id)) == 2


def test_next_ideas_favour_few_reactions_and_skip_own_hidden_and_done(
    store: Store, session: SessionRecord
) -> None:
    prompt, subs = _ideas(store, session, n=5)
    mine = store.add_submission(session.id, prompt.id, "My own idea", participant_key="me")[0]
    store.open_reactions(session.id, prompt.id)
    for k in ("x", "y"):
        store.add_reaction(session.id, NewReaction(subs[0].id, k, 1))
    store.add_reaction(session.id, NewReaction(subs[1].id, "x", 1))
    store.add_reaction(session.id, NewReaction(subs[4].id, "me", 1))
    store.set_hidden(subs[2].id, True)
    todo, remaining = store.ideas_to_react(session.id, "me", prompt_id=prompt.id, limit=10)
    ids = [s.id for s in todo]
    assert mine.id not in ids and subs[2].id not in ids and subs[4].id not in ids
    assert remaining == 3 and ids[0] == subs[3].id and ids[-1] == subs[0].id


# -- the Polis votes import -------------------------------------------------------------------


def _polis_session(store: Store, session: SessionRecord, folder: Path = SMALL):
    import_file(store, session, folder / "comments.csv")
    return import_file(store, session, folder / "participants-votes.csv")


def test_polis_participants_votes_import_and_reimport(store: Store, session: SessionRecord) -> None:
    assert detect_format(SMALL / "participants-votes.csv") == "polis-votes"
    assert detect_format(SMALL / "votes.csv") == "polis-votes"
    report = _polis_session(store, session)
    # 24 participants; 23 saw 8 comments, one saw 3; comment 6 was moderated out in Polis:
    # stored hidden by the comments import, so its votes are imported too (as Polis keeps them)
    assert report.added == 23 * 8 + 3 and report.participants == 24
    assert report.skipped_by_reason == {}
    again = import_file(store, session, SMALL / "participants-votes.csv")
    assert again.added == 0 and again.already_present == report.added
    votes = import_file(store, session, SMALL / "votes.csv")
    assert votes.added == 0 and votes.already_present == report.added
    refs = {ref for _, ref, _, _ in store.list_reactions(session.id)}
    assert refs == {str(p) for p in range(24)}


def test_polis_votes_csv_latest_vote_wins(store: Store, session: SessionRecord) -> None:
    import_file(store, session, SMALL / "comments.csv")
    report = import_file(store, session, SMALL / "votes.csv")
    assert report.format == "polis-votes" and report.added == 23 * 8 + 3
    text = "Turn the old depot into a community kitchen."
    sid = next(s.id for s in store.list_submissions(session.id) if s.text == text)
    vals = {ref: v for _, ref, s, v in store.list_reactions(session.id) if s == sid}
    assert vals["5"] == -1  # the later vote, not the earlier pass


def test_polis_votes_without_comments_say_what_to_do(
    store: Store, session: SessionRecord, tmp_path: Path
) -> None:
    shutil.copy(SMALL / "participants-votes.csv", tmp_path / "participants-votes.csv")
    with pytest.raises(ImportFormatError, match="comments.csv of the same export must lie"):
        import_file(store, session, tmp_path / "participants-votes.csv")
    with pytest.raises(ImportFormatError, match="import the comments first"):
        import_file(store, session, SMALL / "participants-votes.csv")
    assert store.list_reactions(session.id) == []


def test_polis_import_then_opinions_find_the_exported_groups(
    store: Store, session: SessionRecord
) -> None:
    _polis_session(store, session)
    analysis, subs = session_opinions(store, session.id)
    data = opinions_json(analysis, subs)
    with (SMALL / "participants-votes.csv").open() as fh:
        ref = {r["participant"]: r["group-id"] for r in csv.DictReader(fh) if r["group-id"]}
    ours = {p["participant"]: p["group"] for p in data["participants"]}
    assert ours["23"] is None  # three votes: not placed
    both = sorted(ref)
    # every group found holds members of one Polis group only (the tiny set has few distinct
    # vote patterns, so the silhouette may split a side); at Polis's k they are the same
    assert homogeneity_score([ref[p] for p in both], [ours[p] for p in both]) == pytest.approx(1)
    fixed, _ = session_opinions(store, session.id, k_range=(2, 2))
    two = fixed.participant_groups()
    assert adjusted_rand_score([ref[p] for p in both], [two[p] for p in both]) == 1.0
    two_data = opinions_json(fixed, subs)
    agreed = {c["text"] for c in two_data["consensus"]}
    assert {"Open the library on Sundays.", "A free summer meal program for kids."} <= agreed
    divisive = {d["text"] for d in two_data["divisive"]}
    assert "Build protected bike lanes on Main Street." in divisive
    assert not agreed & divisive


def test_hidden_ideas_are_zeroed_as_polis_moderated_out_and_never_listed(
    store: Store, session: SessionRecord
) -> None:
    _polis_session(store, session)
    text = "Build protected bike lanes on Main Street."
    sid = next(s.id for s in store.list_submissions(session.id) if s.text == text)
    before = opinions_json(*session_opinions(store, session.id))
    store.set_hidden(sid, True)
    analysis, subs = session_opinions(store, session.id)
    data = opinions_json(analysis, subs)
    # kept as a column (Polis: zero-out-columns), named as moderated out, never shown; the
    # comment moderated out in Polis (imported hidden, with its votes) is one too
    spam = next(
        s.id
        for s in store.list_submissions(session.id, include_hidden=True)
        if s.hidden and s.id != sid
    )
    assert before["n_ideas"] == 7 and spam not in subs
    assert sid not in subs and set(analysis.moderated_out) == {sid, spam}
    j = analysis.matrix.ideas.index(sid)
    assert analysis.model.moderated_out_[j] and np.allclose(analysis.model.components_[:, j], 0)
    listed = [r["idea"] for g in data["groups"] for r in g["representative"]]
    listed += [c["idea"] for c in data["consensus"] + data["divisive"]]
    assert sid not in listed and text not in json.dumps(data)
    assert data["n_ideas"] == before["n_ideas"] - 1


def test_moderated_out_columns_count_for_placing_and_scaling_as_in_polis() -> None:
    triples, _ = planted(n=60, m=12, groups=2, seen=1.0)
    # "late" reacted to 4 visible ideas and to 3 ideas later moderated out
    triples += [("late", f"i{i}", 1) for i in range(4)]
    triples += [("late", f"out{i}", -1) for i in range(3)] + [("p0", "out0", 1)]
    res = analyze_opinions(triples, moderated_out={"out0", "out1", "out2"}, min_votes=7)
    # placed: 7 votes counted on the raw matrix (Polis's user-vote-counts)
    assert res.participant_groups()["late"] is not None
    m = res.model
    row = res.matrix.participants.index("late")
    x = res.matrix.values.copy()
    x[:, m.moderated_out_] = 0.0
    seen = ~np.isnan(x)
    # scaled by sqrt(all ideas with votes / own votes), zeroed columns counted in both
    assert m.n_ideas_voted_ == 15 and seen[row].sum() == 4 + 3
    expected = (np.where(seen, x - m.center_, 0.0)[row] @ m.components_.T) * np.sqrt(15 / 7)
    assert np.allclose(m.projection_[row], expected)
    with pytest.raises(ValidationError, match="moderated_out must be one True/False per idea"):
        OpinionModel().fit(res.matrix.values, moderated_out=np.ones(3, dtype=bool))
    # dropping those ideas instead would leave "late" with 4 votes: not placed
    kept = [t for t in triples if not str(t[1]).startswith("out")]
    assert analyze_opinions(kept, min_votes=7).participant_groups()["late"] is None


def test_groups_come_from_size_weighted_base_clusters_and_k_is_capped_as_in_polis() -> None:
    triples, _ = planted(n=30, m=20, groups=2)
    model = OpinionModel(min_votes=5, random_state=0).fit(vote_matrix(triples).values)
    # 30 participants: at most 30 base clusters, so k goes up to 2 + 30 // 12 = 4 (max-k-fn)
    assert set(model.silhouettes_) <= {2, 3, 4} and model.n_groups_ >= 2
    # a fixed k below the cap is honoured
    fixed = OpinionModel(min_votes=5, k_range=(3, 3)).fit(vote_matrix(triples).values)
    assert fixed.n_groups_ == 3


def test_live_participants_are_named_by_a_pseudonym_not_their_key() -> None:
    label = participant_label("secret-signed-key", None)
    assert label.startswith("p-") and "secret" not in label
    assert participant_label("import:abc", "17") == "17"


def test_cli_opinions_json_and_text(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/cli.sqlite3"
    run = CliRunner()
    survey = Path(__file__).resolve().parents[1] / "surveys" / "visioning.yaml"
    out = run.invoke(
        cli, ["--db", db, "session", "create", "--survey", str(survey), "--title", "T"]
    )
    code = out.output.split("Join code:")[1].split()[0]
    for f in ("comments.csv", "participants-votes.csv"):
        res = run.invoke(cli, ["--db", db, "import", code, str(SMALL / f)])
        assert res.exit_code == 0, res.output
    res = run.invoke(cli, ["--db", db, "opinions", code, "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["n_groups"] >= 2 and data["consensus"]
    assert {"participant": "0", "group": data["participants"][0]["group"]}.items() <= data[
        "participants"
    ][0].items()
    text = run.invoke(cli, ["--db", db, "opinions", code])
    assert "Agreed across all groups" in text.output and "Open the library" in text.output
    bad = run.invoke(cli, ["--db", db, "opinions", "NOPE99"])
    assert bad.exit_code == 1 and "Error" in bad.output
    usage = run.invoke(cli, ["--db", db, "opinions", code, "--prompt", "nope"])
    assert usage.exit_code == 2


@pytest.mark.skipif(not SHARED_POLIS.is_dir(), reason="shared Polis exports not present")
def test_a_real_polis_export_agrees_with_polis_groups(sqlite_url: str, visioning_survey) -> None:
    folder = SHARED_POLIS / "brexit-consensus"
    with Store(sqlite_url) as store:
        session = store.create_session(visioning_survey, "Brexit")
        report = _polis_session(store, session, folder)
        assert report.added > 5000
        analysis, _ = session_opinions(store, session.id)
        with (folder / "participants-votes.csv").open() as fh:
            ref = {r["participant"]: r["group-id"] for r in csv.DictReader(fh) if r["group-id"]}
        ours = analysis.participant_groups()
        both = [p for p in ref if ours.get(p) is not None]
        assert adjusted_rand_score([ref[p] for p in both], [ours[p] for p in both]) > 0.8


@pytest.mark.skipif(not SHARED_POLIS.is_dir(), reason="shared Polis exports not present")
def test_import_keeps_moderated_out_votes_so_it_agrees_as_the_export_matrix(
    sqlite_url: str, visioning_survey
) -> None:
    # Seattle: 23 of 54 comments moderated out, with votes. Polis keeps them as zeroed columns
    # (they change everyone's scaling); the import must keep them too (hidden, with votes)
    folder = SHARED_POLIS / "15-per-hour-seattle"
    with (folder / "comments.csv").open(encoding="utf-8") as fh:
        mods = {r["comment-id"]: r["moderated"] for r in csv.DictReader(fh)}
    with (folder / "participants-votes.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    ref = {r["participant"]: r["group-id"] for r in rows if r["group-id"]}
    cids = [c for c in rows[0] if c.isdigit()]
    triples = [(r["participant"], c, int(r[c])) for r in rows for c in cids if r[c] != ""]
    out = {c for c in cids if mods[c] == "-1"}
    assert len(out) == 23

    def ari(groups: dict) -> float:
        both = [p for p in ref if groups.get(p) is not None]
        assert len(both) == len(ref) == 138  # Polis's in-conv: the 138 with 7 votes or more
        return adjusted_rand_score([ref[p] for p in both], [groups[p] for p in both])

    direct = analyze_opinions(triples, moderated_out=out, random_state=1)
    with Store(sqlite_url) as store:
        session = store.create_session(visioning_survey, "Seattle")
        report = _polis_session(store, session, folder)
        # one comment (pending moderation) has no letter or digit: the comments import skips
        # it, and its one vote
        assert report.added == len(triples) - 1
        assert report.skipped_by_reason == {"comment_not_imported": 1}
        imported, subs = session_opinions(store, session.id, random_state=1)
        assert len(imported.moderated_out) == 23
        assert not set(imported.moderated_out) & set(subs)
        assert (imported.model.n_ideas_voted_, direct.model.n_ideas_voted_) == (53, 54)
    # measured: 0.941 both (seeds 0-4: 0.86-0.97); before keeping the votes the import gave 0.58
    assert ari(direct.participant_groups()) > 0.85
    assert ari(imported.participant_groups()) > 0.85
    # the same seed gives the same groups on the same matrix
    again = analyze_opinions(triples, moderated_out=out, random_state=1)
    assert (again.model.labels_ == direct.model.labels_).all()


@pytest.mark.parametrize(
    ("lang", "title", "heading"),
    [
        ("en", "Where we agree", "Ideas every group agreed with"),
        (
            "es",
            "Dónde estamos de acuerdo",
            "Ideas con las que todos los grupos estuvieron de acuerdo",
        ),
    ],
)
def test_summary_where_we_agree_in_every_language(
    tmp_path: Path, visioning_survey, lang: str, title: str, heading: str
) -> None:
    from pbp_facilitate.summaries import sections as sr

    url = f"sqlite:///{tmp_path / 'summary.sqlite3'}"
    with Store(url) as store:
        empty = store.create_session(visioning_survey, "Nobody reacted", code="NOREAC")
        s = store.create_session(visioning_survey, "Reacted", code="REACTD")
        _polis_session(store, s)
        text = "Open the library on Sundays."
        sid = next(x.id for x in store.list_submissions(s.id) if x.text == text)
        store.add_submission(s.id, None, "<b>not html</b>")  # a stray idea: no reactions
    sec = sr.where_we_agree_section(sr.load_summary(s.id, url, lang=lang))
    assert sec.title == title and sec.key == "agree"
    assert heading in sec.html and sec.data["groups"] >= 2
    assert sec.data["participants"] == 24 and sid
    assert "A free summer meal program for kids." in sec.data["consensus"]
    assert "A free summer meal program for kids." in sec.html and "<b>" not in sec.html
    none = sr.where_we_agree_section(sr.load_summary(empty.id, url, lang=lang))
    assert none.data == {"groups": 0, "consensus": []}
