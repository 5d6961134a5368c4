"""The store on SQLite and PostgreSQL.

Sessions, idempotency, consent, votes, goals, upgrades, concurrency.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from pbp_facilitate.errors import (
    ClosedError,
    ConflictError,
    NotFoundError,
    StoreFullError,
    ValidationError,
)
from pbp_facilitate.store import NewSubmission, SessionRecord, Store
from pbp_facilitate.store import schema as t
from pbp_facilitate.store.migrate import HEAD, upgrade
from pbp_facilitate.surveys import Survey


def test_open_creates_schema_at_head(store: Store) -> None:
    assert store.schema_version() == HEAD == "0008"


def test_schema_has_no_ip_or_user_agent(store: Store) -> None:
    insp = sa.inspect(store.engine)
    for table in insp.get_table_names():
        for col in insp.get_columns(table):
            name = col["name"].lower()
            assert "ip" not in name.split("_") and "agent" not in name and "addr" not in name, (
                table,
                name,
            )


def test_session_create_get_list(store: Store, visioning_survey: Survey) -> None:
    a = store.create_session(visioning_survey, "  Eastside visioning ")
    b = store.create_session(visioning_survey, "Westside", code="west01")
    assert a.title == "Eastside visioning" and len(a.code) == 6
    assert b.code == "WEST01"
    assert store.get_session("west01").id == b.id
    assert store.get_session(a.id).code == a.code
    assert [s.id for s in store.list_sessions()] == [b.id, a.id]
    prompts = store.list_prompts(a.id)
    assert [p.key for p in prompts] == ["vision", "barriers", "assets", "priorities"]
    assert [p.is_open for p in prompts] == [True, False, False, False]
    assert prompts[0].text["es"].startswith("Imagine nuestra comunidad")
    with pytest.raises(ValidationError, match="taken"):
        store.create_session(visioning_survey, "Again", code="WEST01")
    with pytest.raises(NotFoundError, match="pbp session list"):
        store.get_session("NOPE99")
    with pytest.raises(ValidationError):
        store.create_session(visioning_survey, "   ")


def test_submission_idempotency_and_hostile_text(store: Store, session: SessionRecord) -> None:
    pid = store.list_prompts(session.id)[0].id
    hostile = '=HYPERLINK("http://x")\u202e <script>alert(1)</script> 👩‍👩‍👧 e\u0301 中文 end'
    rec, created = store.add_submission(
        session.id, pid, hostile, language="en", idempotency_key="k-1"
    )
    again, created2 = store.add_submission(session.id, pid, hostile, idempotency_key="k-1")
    assert created and not created2
    with pytest.raises(ConflictError, match="already used for another idea"):
        store.add_submission(session.id, pid, "different text", idempotency_key="k-1")
    assert again.id == rec.id and again.text == hostile
    assert store.count_submissions(session.id) == 1
    assert store.get_submission(rec.id).text == hostile
    for bad in ("nul \x00 byte", "lone \ud800 surrogate"):
        with pytest.raises(ValidationError):
            store.add_submission(session.id, pid, bad)
    assert store.count_submissions(session.id) == 1


def test_closed_prompt_and_session_refuse(store: Store, session: SessionRecord) -> None:
    prompts = store.list_prompts(session.id)
    with pytest.raises(ClosedError, match="closed"):
        store.add_submission(session.id, prompts[1].id, "x", require_open=True)
    store.open_only(session.id, prompts[1].id)
    assert [p.is_open for p in store.list_prompts(session.id)] == [False, True, False, False]
    store.add_submission(session.id, prompts[1].id, "x", require_open=True)
    store.set_session_status(session.id, "closed")
    with pytest.raises(ClosedError, match="session is closed"):
        store.add_submission(session.id, prompts[1].id, "y", require_open=True)
    assert store.count_submissions(session.id) == 1


def test_hide_restore_is_audited(store: Store, session: SessionRecord) -> None:
    pid = store.list_prompts(session.id)[0].id
    rec, _ = store.add_submission(session.id, pid, "spam spam")
    store.add_submission(session.id, pid, "real idea")
    store.set_hidden(rec.id, True, actor="maria", reason="spam")
    assert [s.text for s in store.list_submissions(session.id)] == ["real idea"]
    assert len(store.list_submissions(session.id, include_hidden=True)) == 2
    store.set_hidden(rec.id, False, actor="maria")
    log = [e for e in store.audit_log(session.id) if e["target"] == rec.id]
    assert [(e["actor"], e["action"]) for e in log] == [("maria", "hide"), ("maria", "restore")]
    assert log[0]["detail"] == {"reason": "spam"} and log[0]["at"] <= log[1]["at"]


def test_since_cursor(store: Store, session: SessionRecord) -> None:
    pid = store.list_prompts(session.id)[0].id
    first = store.add_submission(session.id, pid, "one")[0]
    store.add_submission(session.id, pid, "two")
    newer = store.list_submissions(session.id, since_seq=first.seq)
    assert [s.text for s in newer] == ["two"]
    assert [s.text for s in store.list_submissions(session.id, newest_first=True, limit=1)] == [
        "two"
    ]


def test_bulk_add_is_all_or_nothing(store: Store, session: SessionRecord) -> None:
    items = [
        NewSubmission(text="fine", source="survey"),
        NewSubmission(text="bad", source="telepathy"),
    ]
    with pytest.raises(ValidationError, match="source"):
        store.add_submissions(session.id, items)
    assert store.count_submissions(session.id) == 0
    out = store.add_submissions(
        session.id, [NewSubmission(text=f"idea {i}", idempotency_key=f"b{i}") for i in range(5)]
    )
    assert all(created for _, created in out)
    out2 = store.add_submissions(session.id, [NewSubmission(text="idea 0", idempotency_key="b0")])
    assert out2[0][1] is False and store.count_submissions(session.id) == 5


def test_demographics_only_with_consent(store: Store, session: SessionRecord) -> None:
    pid = store.list_prompts(session.id)[0].id
    for key in ("p1", "p2", "p3"):
        store.add_submission(session.id, pid, "idea", participant_key=key)
    store.save_profile(
        session.id,
        "p1",
        consented=True,
        demographics={"race_ethnicity": "Hispanic or Latino", "role": ["Resident", "Student"]},
    )
    store.save_profile(session.id, "p2", consented=False, demographics={"race_ethnicity": "White"})
    df = store.participants_frame(session.id).set_index("participant_key")
    assert df.loc["p1", "race_ethnicity"] == "Hispanic or Latino"
    assert df.loc["p1", "role"] == ["Resident", "Student"]
    assert not df.loc["p2", "consented"] and df.loc["p2", "race_ethnicity"] is None
    assert not df.loc["p3", "consented"]
    with store.engine.connect() as conn:
        raw = conn.execute(
            sa.select(t.participant_profiles.c.demographics_json).where(
                t.participant_profiles.c.participant_key == "p2"
            )
        ).scalar()
    assert json.loads(raw) == {}
    # Withdrawing consent erases what was stored.
    store.save_profile(session.id, "p1", consented=False)
    assert (
        store.participants_frame(session.id)
        .set_index("participant_key")
        .loc["p1", "race_ethnicity"]
        is None
    )
    with pytest.raises(ValidationError, match="not an option"):
        store.save_profile(session.id, "p3", consented=True, demographics={"age_band": "ancient"})


def test_voting_round(store: Store, session: SessionRecord) -> None:
    r = store.start_voting_round(
        session.id, [{"id": 1, "label": "Housing"}, {"id": 2, "label": "Transit"}], dots=3
    )
    store.cast_ballot(r.id, "p1", {1: 2, 2: 1})
    store.cast_ballot(r.id, "p2", {2: 3})
    store.cast_ballot(r.id, "p1", {1: 3})  # changed ballot replaces the old one
    assert store.ballot(r.id, "p1") == {1: 3}
    assert store.vote_totals(r.id) == {1: {"dots": 3, "voters": 1}, 2: {"dots": 3, "voters": 1}}
    with pytest.raises(ValidationError, match="4 placed, and the most is 3"):
        store.cast_ballot(r.id, "p3", {1: 2, 2: 2})
    with pytest.raises(ValidationError, match="not in this round"):
        store.cast_ballot(r.id, "p3", {9: 1})
    store.close_voting_round(r.id)
    with pytest.raises(ClosedError):
        store.cast_ballot(r.id, "p1", {2: 1})
    assert store.current_voting_round(session.id).status == "closed"
    assert store.votes_frame(r.id)["dots"].sum() == 6


def test_theme_snapshots_edits_goals(store: Store, session: SessionRecord) -> None:
    assert store.latest_theme_snapshot(session.id) is None
    store.save_theme_snapshot(session.id, {"themes": [{"id": 1, "label": "housing"}]})
    store.save_theme_snapshot(session.id, {"themes": [{"id": 1, "label": "housing, rent"}]})
    assert store.latest_theme_snapshot(session.id)["themes"][0]["label"] == "housing, rent"
    store.add_theme_edit(session.id, {"op": "rename", "theme_id": 1, "label": "Housing"})
    store.add_theme_edit(session.id, {"op": "pin", "theme_id": 1})
    assert [e["op"] for e in store.list_theme_edits(session.id)] == ["rename", "pin"]
    g = store.save_goal(
        session.id, "By 2028, halve evictions", check={"is_goal": True}, theme_ids=[1]
    )
    g2 = store.save_goal(
        session.id, "By 2028, halve evictions for renters", status="agreed", goal_id=g.id
    )
    assert g2.id == g.id and g2.status == "agreed" and g2.theme_ids == []
    with pytest.raises(ValidationError):
        store.save_goal(session.id, "x", status="maybe")
    store.delete_goal(g.id)
    assert store.list_goals(session.id) == []


def test_updated_at_moves_on_every_change(store: Store, session: SessionRecord) -> None:
    before = store.get_session(session.id).updated_at
    store.add_submission(session.id, None, "idea")
    assert store.get_session(session.id).updated_at > before


def _old_database(url: str, survey: Survey) -> None:
    """Build a database at schema 0001 with data in it, as an older kit would have left it."""
    s = Store(url, upgrade_schema=False)
    upgrade(s.engine, "0001")
    with s.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO sessions (code, title, survey_key, survey_json, languages, status, "
                "created_at, updated_at) VALUES ('OLD001', 'Old session', 'visioning', :sj, "
                "'en,es', 'open', '2025-01-01T00:00:00.000000Z', '2025-01-01T00:00:00.000000Z')"
            ),
            {"sj": survey.to_json()},
        )
        conn.execute(
            sa.text(
                "INSERT INTO submissions (id, session_id, text, language, source, created_at, "
                "idempotency_key) VALUES ('old-1', 1, 'Más autobuses ✓', 'es', 'form', "
                "'2025-01-01T00:00:01.000000Z', 'ik-old')"
            )
        )
    s.close()


def test_upgrade_from_older_schema_keeps_data(store_url: str, visioning_survey: Survey) -> None:
    _old_database(store_url, visioning_survey)
    with Store(store_url) as s:
        assert s.schema_version() == HEAD
        old = s.get_session("OLD001")
        subs = s.list_submissions(old.id)
        assert [(x.id, x.text, x.hidden) for x in subs] == [("old-1", "Más autobuses ✓", False)]
        # new features work on the upgraded database
        s.set_hidden("old-1", True)
        assert s.count_submissions(old.id) == 0
        assert s.start_voting_round(old.id, [{"id": 1, "label": "Transit"}]).dots == 3
    with Store(store_url) as s:  # opening again is a no-op
        assert s.schema_version() == HEAD


def _writer(url: str, session_id: int, worker: int, n: int, q: mp.Queue) -> None:
    errors: list[str] = []
    ids: list[str] = []
    s = Store(url)
    try:
        for i in range(n):
            try:
                rec, _ = s.add_submission(
                    session_id,
                    None,
                    f"w{worker}-{i}",
                    participant_key=f"w{worker}",
                    idempotency_key=f"w{worker}-{i}",
                )
                ids.append(rec.id)
                if i % 10 == 0:
                    s.save_profile(
                        session_id, f"w{worker}", consented=True, demographics={"age_band": "25-44"}
                    )
            except Exception as exc:  # noqa: BLE001 - reported to the parent
                errors.append(repr(exc))
    finally:
        s.close()
        q.put((ids, errors))


def test_eight_concurrent_writer_processes(store_url: str, visioning_survey: Survey) -> None:
    with Store(store_url) as s:
        sid = s.create_session(visioning_survey, "Load").id
    ctx = mp.get_context("spawn")
    q: mp.Queue = ctx.Queue()
    n = 60
    procs = [ctx.Process(target=_writer, args=(store_url, sid, w, n, q)) for w in range(8)]
    for p in procs:
        p.start()
    results = [q.get(timeout=180) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    errors = [e for _, errs in results for e in errs]
    assert errors == []
    acked = {i for ids, _ in results for i in ids}
    with Store(store_url) as s:
        stored = s.list_submissions(sid)
        assert len(stored) == 8 * n == len(acked)
        assert {x.id for x in stored} == acked
        assert s.integrity_check() == "ok"


def test_sqlite_pragmas(sqlite_url: str) -> None:
    with Store(sqlite_url) as s, s.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_disk_full_is_clear_and_writes_nothing(tmp_path: Path, visioning_survey: Survey) -> None:
    url = f"sqlite:///{tmp_path / 'full.sqlite3'}"
    with Store(url) as s:
        sid = s.create_session(visioning_survey, "Full").id
        s.add_submission(sid, None, "before")
    path = tmp_path / "full.sqlite3"
    with sqlite3.connect(path) as raw:
        pages = raw.execute("PRAGMA page_count").fetchone()[0]
    with Store(url) as s:
        from sqlalchemy import event

        @event.listens_for(s.engine, "connect")
        def _cap(dbapi_conn, _rec):  # type: ignore[no-untyped-def]
            dbapi_conn.execute(f"PRAGMA max_page_count={pages}")

        s.engine.dispose()
        with pytest.raises(StoreFullError, match="nothing was saved"):
            s.add_submissions(sid, [NewSubmission(text="x" * 4000) for _ in range(50)])
    with Store(url) as s:
        assert [x.text for x in s.list_submissions(sid)] == ["before"]
        assert s.integrity_check() == "ok"


def test_all_digit_codes_are_codes_first(store: Store, visioning_survey: Survey) -> None:
    first = store.create_session(visioning_survey, "First")
    digits = store.create_session(visioning_survey, "Digits", code=str(first.id + 1000))
    assert store.get_session(digits.code).id == digits.id
    assert store.get_session(str(first.id)).id == first.id  # no such code: an id
    assert store.get_session(first.id).id == first.id
    with pytest.raises(NotFoundError):
        store.get_session(str(first.id), by="code")


def test_bulk_import_refuses_unstorable_text_and_writes_nothing(
    store: Store, session: SessionRecord
) -> None:
    items = [
        NewSubmission(text="fine", idempotency_key="i1"),
        NewSubmission(text="nul \x00", idempotency_key="i2"),
    ]
    with pytest.raises(ValidationError, match="NUL"):
        store.import_submissions(session.id, items)
    assert store.count_submissions(session.id) == 0
    assert store.import_submissions(session.id, items[:1]) == (1, 0)


_UNSTORABLE = [("nul \x00 byte", "nul"), ("lone \ud800 surrogate", "encoding"), (b"bytes", "type")]


@pytest.mark.parametrize("path", ["single", "many", "group", "import"])
@pytest.mark.parametrize(("bad", "code"), _UNSTORABLE)
def test_every_write_path_runs_the_one_text_check(
    store: Store, session: SessionRecord, path: str, bad: object, code: str
) -> None:
    items = [
        NewSubmission(text="fine", idempotency_key="ok-1"),
        NewSubmission(text=bad, idempotency_key="bad-1"),  # type: ignore[arg-type]
    ]
    if path == "group":
        out = store.add_submission_group([(session.id, it) for it in items], require_open=False)
        assert isinstance(out[1], ValidationError) and out[1].code == code
        assert [s.text for s in store.list_submissions(session.id)] == ["fine"]
        return
    with pytest.raises(ValidationError) as info:
        if path == "single":
            store.add_submission(session.id, None, bad)  # type: ignore[arg-type]
        elif path == "many":
            store.add_submissions(session.id, items)
        else:
            store.import_submissions(session.id, items)
    assert info.value.code == code
    assert store.count_submissions(session.id) == 0


@pytest.mark.parametrize(("bad", "code"), _UNSTORABLE[:2])
def test_goals_and_session_titles_run_the_text_check_too(
    store: Store, session: SessionRecord, visioning_survey: Survey, bad: str, code: str
) -> None:
    with pytest.raises(ValidationError) as info:
        store.save_goal(session.id, f"Cut waits to 10 minutes {bad}")
    assert info.value.code == code and store.list_goals(session.id) == []
    before = len(store.list_sessions())
    with pytest.raises(ValidationError) as info:
        store.create_session(visioning_survey, f"Town hall {bad}")
    assert info.value.code == code and len(store.list_sessions()) == before


def test_package_keeps_its_public_names() -> None:
    import pbp_facilitate.store as pkg

    assert sorted(pkg.__all__) == sorted(
        [
            "Store",
            "open_store",
            "SessionRecord",
            "PromptRecord",
            "SubmissionRecord",
            "NewSubmission",
            "ReactionRound",
            "NewReaction",
            "SeriesRecord",
            "REACTION_VALUES",
            "VotingRound",
            "GoalRecord",
            "SOURCES",
            "SESSION_CODE_ALPHABET",
            "check_storable_text",
        ]
    )
    assert all(hasattr(pkg, name) for name in pkg.__all__)


def test_no_sql_outside_the_store() -> None:
    """Only store/ builds SQL; elsewhere SQLAlchemy may only parse URLs (``sa.engine.make_url``)."""
    import ast

    import pbp_facilitate

    root = Path(pbp_facilitate.__file__).parent
    offenders = []
    for path in sorted(root.rglob("*.py")):
        if "store" in path.relative_to(root).parts[:1]:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = {
            a.asname or a.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for a in node.names
            if a.name.split(".")[0] == "sqlalchemy"
        }
        if any(
            isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy")
            for node in ast.walk(tree)
        ):
            offenders.append(f"{path.name}: from sqlalchemy import ...")
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                if node.value.id in aliases and node.attr != "engine":
                    offenders.append(f"{path.name}: {node.value.id}.{node.attr}")
            if isinstance(node, ast.Attribute) and node.attr != "make_url":
                inner = node.value
                if (
                    isinstance(inner, ast.Attribute)
                    and inner.attr == "engine"
                    and isinstance(inner.value, ast.Name)
                    and inner.value.id in aliases
                ):
                    offenders.append(f"{path.name}: sa.engine.{node.attr}")
    assert offenders == []
