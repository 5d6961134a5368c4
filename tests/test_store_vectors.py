"""The sentence vectors of ideas in the store, on SQLite and PostgreSQL.

Round trip, upsert, models and sessions kept apart, deleted and unknown ideas,
input checks, the upgrade from the previous schema, and the tables the
migrations build matching ``store/schema.py``.
"""

from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from pbp_facilitate.errors import ValidationError
from pbp_facilitate.store import SessionRecord, Store
from pbp_facilitate.store import schema as t
from pbp_facilitate.store.migrate import HEAD, VERSION_TABLE, upgrade
from pbp_facilitate.surveys import Survey

MODEL = "use-m3-f16"


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _vector(seed: int) -> bytes:
    """1024 bytes (512 float16 values' worth) that differ per seed and include NUL bytes."""
    return bytes((seed * 7 + i) % 256 for i in range(1024))


def _ideas(store: Store, session_id: int, *texts: str) -> list[str]:
    return [store.add_submission(session_id, None, x)[0].id for x in texts]


def test_round_trip(store: Store, session: SessionRecord) -> None:
    a, b, c = _ideas(store, session.id, "Más autobuses", "Safer crossings", "中文 idea")
    rows = {a: (_digest("Más autobuses"), _vector(1)), b: (_digest("Safer crossings"), _vector(2))}
    assert store.save_vectors(MODEL, rows) == 2
    got = store.load_vectors(session.id, MODEL)
    assert got == rows
    assert all(type(vec) is bytes and len(vec) == 1024 for _, vec in got.values())
    assert c not in got  # not encoded yet
    assert store.save_vectors(MODEL, {}) == 0


def test_upsert_replaces(store: Store, session: SessionRecord) -> None:
    (a,) = _ideas(store, session.id, "first text")
    store.save_vectors(MODEL, {a: (_digest("first text"), _vector(1))})
    assert store.save_vectors(MODEL, {a: (_digest("edited text"), _vector(9))}) == 1
    assert store.load_vectors(session.id, MODEL) == {a: (_digest("edited text"), _vector(9))}
    with store.engine.connect() as conn:
        n = conn.execute(sa.select(sa.func.count()).select_from(t.submission_vectors)).scalar()
    assert n == 1


def test_models_are_kept_apart(store: Store, session: SessionRecord) -> None:
    (a,) = _ideas(store, session.id, "idea")
    store.save_vectors(MODEL, {a: (_digest("idea"), _vector(1))})
    store.save_vectors("other-model", {a: (_digest("idea"), _vector(2))})
    assert store.load_vectors(session.id, MODEL) == {a: (_digest("idea"), _vector(1))}
    assert store.load_vectors(session.id, "other-model") == {a: (_digest("idea"), _vector(2))}
    assert store.load_vectors(session.id, "never-used") == {}


def test_other_sessions_vectors_are_not_returned(
    store: Store, session: SessionRecord, visioning_survey: Survey
) -> None:
    other = store.create_session(visioning_survey, "Westside")
    (a,) = _ideas(store, session.id, "east idea")
    (b,) = _ideas(store, other.id, "west idea")
    rows = {a: (_digest("e"), _vector(1)), b: (_digest("w"), _vector(2))}
    assert store.save_vectors(MODEL, rows) == 2
    assert store.load_vectors(session.id, MODEL) == {a: (_digest("e"), _vector(1))}
    assert store.load_vectors(other.id, MODEL) == {b: (_digest("w"), _vector(2))}
    assert store.load_vectors(987654, MODEL) == {}


def test_hidden_ideas_keep_their_vectors(store: Store, session: SessionRecord) -> None:
    (a,) = _ideas(store, session.id, "idea")
    store.save_vectors(MODEL, {a: (_digest("idea"), _vector(1))})
    store.set_hidden(a, True)
    assert a in store.load_vectors(session.id, MODEL)


def test_unknown_ids_are_skipped_and_deleted_ideas_lose_their_vectors(
    store: Store, session: SessionRecord
) -> None:
    a, b = _ideas(store, session.id, "kept", "deleted")
    rows = {
        a: (_digest("kept"), _vector(1)),
        b: (_digest("deleted"), _vector(2)),
        "no-such-idea": (_digest("gone"), _vector(3)),
    }
    assert store.save_vectors(MODEL, rows) == 2
    assert store.save_vectors(MODEL, {"no-such-idea": (_digest("gone"), _vector(3))}) == 0
    # The kit has no API that deletes an idea; delete it as the database would (FK cascade).
    with store.engine.begin() as conn:
        conn.execute(t.submissions.delete().where(t.submissions.c.id == b))
    assert store.load_vectors(session.id, MODEL) == {a: (_digest("kept"), _vector(1))}
    with store.engine.connect() as conn:
        left = conn.execute(sa.select(t.submission_vectors.c.submission_id)).scalars().all()
    assert left == [a]
    # a refit that encoded the deleted idea before it went still saves the rest
    assert store.save_vectors(MODEL, rows) == 1


def test_idea_deleted_during_the_save_is_skipped(store: Store, session: SessionRecord) -> None:
    """An idea deleted (by another connection) while vectors are saved is skipped, not an error.

    On PostgreSQL the save reads the idea, then its insert waits on the deleting
    transaction's row lock and fails the foreign key once that commits; the save
    runs again without it. On SQLite the save waits for the write lock instead.
    """
    import threading
    import time

    a, b = _ideas(store, session.id, "kept", "deleted meanwhile")
    rows = {a: (_digest("kept"), _vector(1)), b: (_digest("deleted"), _vector(2))}
    calls: list[int] = []
    run_write = store._run_write

    def counting(fn):  # type: ignore[no-untyped-def]
        calls.append(1)
        return run_write(fn)

    store._run_write = counting  # type: ignore[method-assign]
    result: list[object] = []
    deleter = store.engine.connect().execution_options(pbp_write=True)
    tx = deleter.begin()
    deleter.execute(t.submissions.delete().where(t.submissions.c.id == b))
    worker = threading.Thread(target=lambda: result.append(store.save_vectors(MODEL, rows)))
    worker.start()
    try:
        if store.dialect == "postgresql":
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:  # until the save's insert waits on our lock
                waiting = deleter.execute(
                    sa.text(
                        "SELECT count(*) FROM pg_locks "
                        "WHERE NOT granted AND pg_backend_pid() = ANY(pg_blocking_pids(pid))"
                    )
                ).scalar()
                if waiting:
                    break
                time.sleep(0.02)
            else:
                pytest.fail("the save never waited on the deleting transaction")
        else:
            time.sleep(0.3)
        tx.commit()
    finally:
        deleter.close()
        worker.join(timeout=30)
    assert result == [1]
    assert store.load_vectors(session.id, MODEL) == {a: (_digest("kept"), _vector(1))}
    if store.dialect == "postgresql":
        assert len(calls) == 2  # the first try hit the foreign key, the second skipped the idea


def test_many_rows_in_chunks(store: Store, session: SessionRecord) -> None:
    from pbp_facilitate.store import NewSubmission

    items = [NewSubmission(text=f"idea {i}", idempotency_key=f"k{i}") for i in range(1203)]
    store.import_submissions(session.id, items)
    ids = [x.id for x in store.list_submissions(session.id)]
    rows = {sid: (_digest(sid), _vector(i)) for i, sid in enumerate(ids)}
    assert store.save_vectors(MODEL, rows) == 1203
    assert store.load_vectors(session.id, MODEL) == rows


@pytest.mark.parametrize(
    ("model", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        (None, "type"),
        (3, "type"),
        ("m" * 41, "too_long"),
        ("use\x00m3", "characters"),
        ("use\nm3", "characters"),
    ],
)
def test_bad_model_is_refused(
    store: Store, session: SessionRecord, model: object, code: str
) -> None:
    (a,) = _ideas(store, session.id, "idea")
    with pytest.raises(ValidationError) as info:
        store.save_vectors(model, {a: (_digest("idea"), _vector(1))})  # type: ignore[arg-type]
    assert info.value.code == code and info.value.field == "model"
    with pytest.raises(ValidationError):
        store.load_vectors(session.id, model)  # type: ignore[arg-type]
    assert store.load_vectors(session.id, MODEL) == {}


def test_model_at_the_limit_is_fine(store: Store, session: SessionRecord) -> None:
    (a,) = _ideas(store, session.id, "idea")
    assert store.save_vectors("m" * 40, {a: (_digest("idea"), _vector(1))}) == 1
    assert a in store.load_vectors(session.id, "m" * 40)


@pytest.mark.parametrize(
    ("value", "field", "code"),
    [
        ("not a pair", "vector", "type"),
        ((_digest("x"),), "vector", "type"),
        ((_digest("x"), "text, not bytes"), "vector", "type"),
        ((_digest("x"), [0, 1, 2]), "vector", "type"),
        ((_digest("x"), b""), "vector", "empty"),
        (("short", _vector(1)), "text_digest", "length"),
        (("d" * 41, _vector(1)), "text_digest", "length"),
        ((b"0123456789abcdef", _vector(1)), "text_digest", "type"),
        (("0123456789abcde\x00", _vector(1)), "text_digest", "characters"),
        (("0123456789abcdeé", _vector(1)), "text_digest", "characters"),
    ],
)
def test_bad_rows_are_refused_and_nothing_is_written(
    store: Store, session: SessionRecord, value: object, field: str, code: str
) -> None:
    a, b = _ideas(store, session.id, "good", "bad")
    rows = {a: (_digest("good"), _vector(1)), b: value}
    with pytest.raises(ValidationError) as info:
        store.save_vectors(MODEL, rows)  # type: ignore[arg-type]
    assert (info.value.field, info.value.code) == (field, code)
    assert b in str(info.value)  # the message names the idea
    assert store.load_vectors(session.id, MODEL) == {}


def test_bad_ids_and_containers_are_refused(store: Store, session: SessionRecord) -> None:
    bad_ids: list[object] = [1, "", "id\x00", "id\ud800"]
    for bad in bad_ids:
        rows = {bad: (_digest("x"), _vector(1))}
        with pytest.raises(ValidationError, match="submission id") as info:
            store.save_vectors(MODEL, rows)  # type: ignore[arg-type]
        assert info.value.field == "submission_id"
    with pytest.raises(ValidationError, match="mapping"):
        store.save_vectors(MODEL, [("id", (_digest("x"), _vector(1)))])  # type: ignore[arg-type]


def test_bytearray_and_memoryview_are_stored_as_bytes(store: Store, session: SessionRecord) -> None:
    a, b = _ideas(store, session.id, "one", "two")
    store.save_vectors(
        MODEL,
        {a: (_digest("one"), bytearray(_vector(1))), b: (_digest("two"), memoryview(_vector(2)))},
    )
    got = store.load_vectors(session.id, MODEL)
    assert got == {a: (_digest("one"), _vector(1)), b: (_digest("two"), _vector(2))}
    assert {type(vec) for _, vec in got.values()} == {bytes}


def test_saving_vectors_is_not_a_session_change(store: Store, session: SessionRecord) -> None:
    (a,) = _ideas(store, session.id, "idea")
    before = store.get_session(session.id).updated_at
    audit_before = store.audit_log(session.id)
    store.save_vectors(MODEL, {a: (_digest("idea"), _vector(1))})
    assert store.get_session(session.id).updated_at == before
    assert store.audit_log(session.id) == audit_before


def _database_at_previous_head(url: str, survey: Survey) -> None:
    """Build a database at schema 0002 (the head before vectors) with ideas in it."""
    s = Store(url, upgrade_schema=False)
    upgrade(s.engine, "0002")
    with s.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO sessions (code, title, survey_key, survey_json, languages, status, "
                "created_at, updated_at) VALUES ('OLD002', 'Old session', 'visioning', :sj, "
                "'en,es', 'open', '2025-06-01T00:00:00.000000Z', '2025-06-01T00:00:00.000000Z')"
            ),
            {"sj": survey.to_json()},
        )
        conn.execute(
            sa.text(
                "INSERT INTO submissions (id, session_id, text, language, source, created_at, "
                "hidden, idempotency_key) VALUES "
                "('old-1', 1, 'Más autobuses ✓', 'es', 'form', '2025-06-01T00:00:01.000000Z', "
                ":f, 'ik-1'), "
                "('old-2', 1, 'Hidden idea', 'en', 'form', '2025-06-01T00:00:02.000000Z', "
                ":t, 'ik-2')"
            ),
            {"f": False, "t": True},
        )
    s.close()


def test_upgrade_from_previous_head_adds_the_table_and_keeps_data(
    store_url: str, visioning_survey: Survey
) -> None:
    assert HEAD >= "0003"  # later revisions (0005: goal indicators) build on it
    _database_at_previous_head(store_url, visioning_survey)
    with Store(store_url, upgrade_schema=False) as s:
        assert s.schema_version() == "0002"
        assert "submission_vectors" not in sa.inspect(s.engine).get_table_names()
    with Store(store_url) as s:
        assert s.schema_version() == HEAD
        assert "submission_vectors" in sa.inspect(s.engine).get_table_names()
        old = s.get_session("OLD002")
        subs = s.list_submissions(old.id, include_hidden=True)
        assert [(x.id, x.text, x.hidden) for x in subs] == [
            ("old-1", "Más autobuses ✓", False),
            ("old-2", "Hidden idea", True),
        ]
        assert s.load_vectors(old.id, MODEL) == {}
        rows = {x.id: (_digest(x.text), _vector(i)) for i, x in enumerate(subs)}
        assert s.save_vectors(MODEL, rows) == 2
    with Store(store_url) as s:  # opening again is a no-op and the vectors are there
        assert s.schema_version() == HEAD
        assert s.load_vectors(s.get_session("OLD002").id, MODEL) == rows


def test_migrations_build_the_tables_of_schema_py(store: Store) -> None:
    """The database the migrations build matches ``store/schema.py`` column for column."""
    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"compare_type": True, "version_table": VERSION_TABLE}
        )
        assert compare_metadata(ctx, t.metadata) == []
    insp = sa.inspect(store.engine)
    assert insp.get_pk_constraint("submission_vectors")["constrained_columns"] == [
        "submission_id",
        "model",
    ]
    (fk,) = insp.get_foreign_keys("submission_vectors")
    assert (fk["referred_table"], fk["referred_columns"]) == ("submissions", ["id"])
    assert (fk["options"] or {}).get("ondelete", "").upper() == "CASCADE"
