"""Exports: RFC 4180 CSV with formula neutralisation and an exact round trip, JSON, privacy, CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pbp_facilitate.cli import cli
from pbp_facilitate.errors import ValidationError
from pbp_facilitate.exports import (
    EXPORT_COLUMNS,
    FORMULA_TRIGGERS,
    export_session,
    is_formula_like,
    neutralise_cell,
    read_export_csv,
    restore_cell,
    write_csv,
)
from pbp_facilitate.store import NewSubmission, SessionRecord, Store

ROOT = Path(__file__).resolve().parents[1]

HOSTILE = [
    '=HYPERLINK("http://x")',
    "@SUM(1)",
    "-1+1",
    "+1",
    "=1+1",
    "'=1+1",
    "''@x",
    "'",
    "''",
    "- a bullet",
    "\tTAB first",
    "\rCR first",
    "a\r\nb",
    "line one\nline two",
    'He said "hi", then left',
    "a,b,c",
    "👩🏽‍🚀 family 👨‍👩‍👧",
    "שלום עולם",
    "\u202eevil.exe",
    "e\u0301\u0301\u0301",
    "社区花园 🌳",
    " leading and trailing ",
    "",
    "ÿ€ cp1252 bits",
    "\ufeffBOM inside",
    "x" * 1000,
]
# Stored text never holds NUL (the importer rejects it; PostgreSQL cannot store it) or lone
# surrogates
# (not valid UTF-8); everything else goes.
STORED_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60
)


def _add(store: Store, session: SessionRecord, texts: list[str]) -> None:
    prompt = store.list_prompts(session.id)[0]
    store.add_submissions(
        session.id,
        [
            NewSubmission(text=t, prompt_id=prompt.id, source="form", participant_key=f"p{i}")
            for i, t in enumerate(texts)
        ],
    )


def _csv(store: Store, session: SessionRecord, **kw) -> str:  # type: ignore[no-untyped-def]
    buf = io.StringIO(newline="")
    export_session(store, session, "csv", buf, **kw)
    return buf.getvalue()


# -- the neutralisation rule -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1+1", "'-1+1"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=1", "''=1"),
        ("''@x", "'''@x"),
        ("'", "'"),
        ("''", "''"),
        ("'plain", "'plain"),
        ("", ""),
        ("plain - text = fine", "plain - text = fine"),
        (" =1", "' =1"),
        ("\n=1", "'\n=1"),
        ("\u00a0+1", "'\u00a0+1"),
        ("\u200b=1", "'\u200b=1"),
        ("\ufeff@x", "'\ufeff@x"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("\u2212" + "1", "'\u22121"),
        (" \n\u200b\u3000-2", "' \n\u200b\u3000-2"),
        ("' =1", "'' =1"),
        (" plain", " plain"),
        ("\u200bplain", "\u200bplain"),
    ],
)
def test_neutralise_cell(raw: str, written: str) -> None:
    assert neutralise_cell(raw) == written
    assert restore_cell(written) == raw


@given(st.text())
def test_neutralise_is_exactly_inverted_and_safe(s: str) -> None:
    w = neutralise_cell(s)
    assert restore_cell(w) == s
    assert not w.startswith(FORMULA_TRIGGERS)
    if is_formula_like(s):
        assert w == "'" + s
    if not is_formula_like(s):
        assert w == s  # every other field is written (and read by any reader) unchanged


@given(st.lists(st.lists(st.text(), min_size=3, max_size=3), max_size=5))
def test_write_csv_round_trip_any_text(rows: list[list[str]]) -> None:
    buf = io.StringIO(newline="")
    write_csv([dict(zip("abc", r, strict=True)) for r in rows], buf, ["a", "b", "c"])
    buf.seek(0)
    back = read_export_csv(buf)
    assert [[d["a"], d["b"], d["c"]] for d in back] == rows


# -- CSV export ------------------------------------------------------------------------------


def test_csv_is_rfc4180_with_bom_and_crlf(store: Store, session: SessionRecord) -> None:
    _add(store, session, ['He said "hi", then left', "line one\nline two", "=1+1"])
    out = _csv(store, session)
    assert out.startswith(
        "\ufeffid,session_code,prompt_key,prompt_text,text,language,source,participant,"
        "created_at\r\n"
    )
    lines = out[1:].split("\r\n")
    assert lines[-1] == "" and len(lines) == 5  # header, 3 rows, final CRLF
    assert ',"He said ""hi"", then left",' in lines[1]
    assert ',"line one\nline two",' in lines[2]  # LF inside a quoted field stays as written
    assert ",'=1+1," in lines[3]
    assert f",{session.code},vision," in lines[1]
    assert '"Imagine our community ten years from now, at its best. What do you see?"' in lines[1]
    encoded = out.encode("utf-8")
    assert encoded.startswith(b"\xef\xbb\xbf")


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(texts=st.lists(st.one_of(st.sampled_from(HOSTILE), STORED_TEXT), min_size=1, max_size=8))
def test_export_round_trip_hostile_strings(
    store: Store, visioning_survey, texts: list[str]
) -> None:  # type: ignore[no-untyped-def]
    session = store.create_session(visioning_survey, "Round trip")
    _add(store, session, texts)
    out = _csv(store, session)
    # Exact round trip through the kit's reader.
    back = read_export_csv(io.StringIO(out, newline=""))
    assert [r["text"] for r in back] == texts
    stored = store.list_submissions(session.id)
    assert [r["id"] for r in back] == [s.id for s in stored]
    assert all(r["participant"] == "" for r in back)  # no secret given: no pseudonym, no key
    # Any plain CSV reader: every field reads back unchanged, except the neutralised ones gain one
    # "'".
    plain = list(csv.reader(io.StringIO(out.lstrip("\ufeff"), newline="")))
    assert plain[0] == list(EXPORT_COLUMNS)
    for row, t in zip(plain[1:], texts, strict=True):
        text_cell = row[EXPORT_COLUMNS.index("text")]
        if is_formula_like(t):
            assert text_cell == "'" + t
        else:
            assert text_cell == t
        assert not any(cell.startswith(FORMULA_TRIGGERS) for cell in row)
    # JSON round trip is exact without any escaping rule.
    buf = io.StringIO()
    export_session(store, session, "json", buf)
    assert [s["text"] for s in json.loads(buf.getvalue())["submissions"]] == texts


def test_csv_file_round_trip_via_path(store: Store, session: SessionRecord, tmp_path: Path) -> None:
    _add(store, session, HOSTILE)
    path = tmp_path / "out.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        n = export_session(store, session, "csv", fh)
    assert n == len(HOSTILE)
    assert [r["text"] for r in read_export_csv(path)] == HOSTILE


def test_hidden_only_on_request(store: Store, session: SessionRecord) -> None:
    _add(store, session, ["keep me", "spam spam"])
    spam = store.list_submissions(session.id)[1]
    store.set_hidden(spam.id, True, reason="spam")
    visible = read_export_csv(io.StringIO(_csv(store, session), newline=""))
    assert [r["text"] for r in visible] == ["keep me"] and "hidden" not in visible[0]
    everything = read_export_csv(io.StringIO(_csv(store, session, include_hidden=True), newline=""))
    assert [(r["text"], r["hidden"]) for r in everything] == [
        ("keep me", "false"),
        ("spam spam", "true"),
    ]
    buf = io.StringIO()
    export_session(store, session, "json", buf, include_hidden=True)
    assert [s["hidden"] for s in json.loads(buf.getvalue())["submissions"]] == [False, True]


def test_demographics_are_never_exported(store: Store, session: SessionRecord) -> None:
    _add(store, session, ["Safer crossings"])
    store.save_profile(
        session.id,
        "p0",
        consented=True,
        demographics={
            "race_ethnicity": "Native Hawaiian or Pacific Islander",
            "neighbourhood": "Northgate",
        },
    )
    for fmt in ("csv", "json"):
        buf = io.StringIO(newline="")
        export_session(store, session, fmt, buf, include_hidden=True)
        assert "Pacific Islander" not in buf.getvalue() and "Northgate" not in buf.getvalue()
        assert "race_ethnicity" not in buf.getvalue() and "consent" not in buf.getvalue()


def test_json_shape(store: Store, session: SessionRecord) -> None:
    _add(store, session, ["Más árboles 🌳", "=1+1"])
    buf = io.StringIO()
    export_session(store, session, "json", buf)
    raw = buf.getvalue()
    assert "Más árboles 🌳" in raw  # not ASCII-escaped
    doc = json.loads(raw)
    assert set(doc) == {"session", "prompts", "submissions"}
    assert doc["session"]["code"] == session.code
    assert [p["key"] for p in doc["prompts"]] == ["vision", "barriers", "assets", "priorities"]
    assert doc["prompts"][0]["text"]["es"].startswith("Imagine nuestra comunidad")
    assert list(doc["submissions"][0]) == list(EXPORT_COLUMNS)
    assert doc["submissions"][1]["text"] == "=1+1"  # data, not a spreadsheet: no escaping
    assert doc["submissions"][0]["language"] is None


def test_unknown_format(store: Store, session: SessionRecord) -> None:
    with pytest.raises(ValidationError, match="'csv' or 'json', got 'xlsx'"):
        export_session(store, session, "xlsx", io.StringIO())


def test_empty_session_exports_header_only(store: Store, session: SessionRecord) -> None:
    out = _csv(store, session)
    assert out == "\ufeff" + ",".join(EXPORT_COLUMNS) + "\r\n"
    assert read_export_csv(io.StringIO(out, newline="")) == []


# -- CLI -------------------------------------------------------------------------------------


@pytest.fixture
def run(tmp_path: Path):  # type: ignore[no-untyped-def]
    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"

    def _run(*args: str):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)

    assert (
        _run(
            "session",
            "create",
            "--survey",
            str(ROOT / "surveys/visioning.yaml"),
            "--title",
            "East",
            "--code",
            "EAST23",
        ).exit_code
        == 0
    )
    assert (
        _run(
            "import", "EAST23", str(ROOT / "tests/data/imports/google_forms_visioning.csv")
        ).exit_code
        == 0
    )
    return _run


def test_cli_export_file_and_stdout(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "east.csv"
    res = run("export", "EAST23", "-o", str(out))
    assert res.exit_code == 0, res.output
    rows = read_export_csv(out)
    assert len(rows) == 16 and rows[0]["session_code"] == "EAST23"
    assert out.read_bytes().startswith(b"\xef\xbb\xbf") and b"\r\n" in out.read_bytes()
    hostile = [r for r in rows if "HYPERLINK" in r["text"]]
    assert hostile[0]["text"] == '=HYPERLINK("http://evil.example","click")'
    assert b"'=HYPERLINK" in out.read_bytes()
    res = run("export", "EAST23", "--format", "json")
    assert res.exit_code == 0 and len(json.loads(res.output)["submissions"]) == 16


def test_cli_export_errors(run) -> None:  # type: ignore[no-untyped-def]
    res = run("export", "NOPE99")
    assert res.exit_code == 1 and res.output.startswith("Error: ")
    assert run("export", "EAST23", "--format", "xlsx").exit_code == 2
    assert run("export").exit_code == 2


# --- streaming (issue 18): rows come from the store one chunk at a time -------------------------


def test_iter_submissions_matches_list_submissions_in_any_chunk_size(
    store: Store, session: SessionRecord
) -> None:
    _add(store, session, [f"idea {i}" for i in range(7)])
    store.set_hidden(store.list_submissions(session.id)[3].id, True, reason="spam")
    for hidden in (False, True):
        want = store.list_submissions(session.id, include_hidden=hidden)
        for chunk in (1, 2, 1000):
            got = list(store.iter_submissions(session.id, include_hidden=hidden, chunk_size=chunk))
            assert got == want, (hidden, chunk)
    assert len(list(store.iter_submissions(session.id))) == 6


def test_iter_submissions_is_one_snapshot_while_others_write(
    store: Store, session: SessionRecord
) -> None:
    """An export started before a participant's idea arrives does not half-include it."""
    _add(store, session, [f"before {i}" for i in range(5)])
    it = store.iter_submissions(session.id, chunk_size=2)
    first = next(it)
    _add(store, session, ["after the export started"])  # committed by another connection
    rest = list(it)
    assert [first.text, *(s.text for s in rest)] == [f"before {i}" for i in range(5)]
    assert store.count_submissions(session.id) == 6


def test_abandoned_export_releases_its_connection(store: Store, session: SessionRecord) -> None:
    _add(store, session, [f"idea {i}" for i in range(5)])
    for _ in range(30):  # more than the pool holds: a leaked connection would block here
        it = store.iter_submissions(session.id, chunk_size=2)
        next(it)
        it.close()
    assert store.count_submissions(session.id) == 5


@pytest.mark.parametrize("n", [0, 1, 3])
def test_streamed_json_is_exactly_json_dump_of_the_document(
    store: Store, session: SessionRecord, n: int
) -> None:
    from pbp_facilitate.exports import export_rows

    _add(store, session, ["Más árboles 🌳", 'quote " and \\ and\nnewline', "=1+1"][:n])
    buf = io.StringIO()
    assert export_session(store, session, "json", buf, include_hidden=True) == n
    doc = {
        "session": session.to_dict(),
        "prompts": [
            {"key": p.key, "kind": p.kind, "position": p.position, "text": dict(p.text)}
            for p in store.list_prompts(session.id)
        ],
        "submissions": export_rows(store, session, include_hidden=True),
    }
    assert buf.getvalue() == json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
