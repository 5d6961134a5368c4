"""Importers: every format with files written as the real tools export them, bad files, keys,
privacy, CLI.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import unicodedata
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pbp_facilitate.cli import cli
from pbp_facilitate.errors import ImportFormatError, StoreError
from pbp_facilitate.importers import FORMATS, detect_format, import_bytes, import_file
from pbp_facilitate.importers.records import (
    is_metadata,
    normalise_header,
    parse_export_time,
)
from pbp_facilitate.settings import Settings
from pbp_facilitate.store import SessionRecord, Store
from pbp_facilitate.surveys import load_survey

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "imports"
KEY_RE = re.compile(r"^import:[0-9a-f]{16}$")
SETTINGS = Settings()


@pytest.fixture
def town_hall(store: Store) -> SessionRecord:
    """A fresh town-hall session (prompts concerns, ideas, priorities)."""
    return store.create_session(
        load_survey(ROOT / "surveys" / "town-hall.yaml"), "Eastside town hall"
    )


def _texts(store: Store, session: SessionRecord, prompt_key: str | None = None) -> list[str]:
    prompts = {p.key: p.id for p in store.list_prompts(session.id)}
    pid = prompts[prompt_key] if prompt_key else None
    return [s.text for s in store.list_submissions(session.id, prompt_id=pid)]


def _codes(report) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return report.skipped_by_reason()


# -- detection -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("google_forms_visioning.csv", "google-forms"),
        ("microsoft_forms_visioning_cp1252.csv", "microsoft-forms"),
        ("microsoft_forms_visioning_utf8bom.csv", "microsoft-forms"),
        ("surveymonkey_visioning.csv", "surveymonkey"),
        ("polis_comments.csv", "polis"),
        ("town_hall_notes.md", "notes"),
        ("town_hall_notes_plain.txt", "notes"),
        ("custom_headers.csv", "csv"),
    ],
)
def test_detect_format(name: str, fmt: str) -> None:
    assert detect_format(DATA / name) == fmt


def test_every_format_has_an_importer_with_a_label() -> None:
    assert set(FORMATS) == {
        "google-forms",
        "microsoft-forms",
        "surveymonkey",
        "qualtrics",
        "typeform",
        "surveygizmo",
        "wenjuanxing",
        "polis",
        "notes",
        "csv",
    }
    assert all(
        imp.label and imp.source in ("survey", "import", "notes") for imp in FORMATS.values()
    )


# -- Google Forms ----------------------------------------------------------------------------


def test_google_forms(store: Store, session: SessionRecord) -> None:
    report = import_file(store, session, DATA / "google_forms_visioning.csv", settings=SETTINGS)
    assert report.format == "google-forms" and report.encoding == "utf-8"
    assert report.rows_read == 10
    # The 10,139-character answer is over the import limit (import_max_text_chars, 10,000):
    # reported, not cut, and the skip line names the column by number and a short header,
    # never the whole question.
    assert report.added == 16 and report.already_present == 0
    assert _codes(report) == {
        "duplicate_row": 1,
        "no_answers": 1,
        "empty_row": 1,
        "no_text": 1,
        "too_long": 1,
    }
    dup = next(s for s in report.skipped if s.code == "duplicate_row")
    assert dup.row == 4 and "row 3" in dup.reason
    long = next(s for s in report.skipped if s.code == "too_long")
    assert (
        long.row == 8
        and long.column == "What gets in the way of that future today?"
        and "10139" in long.reason
    )
    assert (
        "1 x over the import limit of 10000 characters (PBP_IMPORT_MAX_TEXT_CHARS): row 8 "
        "column 4 ('What gets in the way of that fu…')" in report.format_text()
    )
    assert report.columns == {
        "Imagine our community ten years from now, at its best. What do you see?": "vision",
        "What gets in the way of that future today?": "barriers",
        "What strengths, places or people can we build on?": "assets",
        "If we could change one thing first, what should it be?": "priorities",
    }
    # The neighbourhood column is the survey's demographic question, not stored without consent.
    assert {u["column"]: u["non_empty"] for u in report.unmapped} == {
        "Anything else you'd like to share?": 3,
    }
    assert report.demographics["columns"] == {
        "Which neighbourhood do you live in?": "neighbourhood"
    }
    assert report.demographics["stored"] is False
    assert report.ignored == ["Timestamp"]
    assert report.withheld == [{"column": "Email Address", "family": "email", "non_empty": 3}]
    subs = store.list_submissions(session.id)
    assert len(subs) == 16
    assert all(s.source == "survey" and KEY_RE.match(s.participant_key or "") for s in subs)
    # A multi-line cell with quotes and an emoji (with skin tone) comes through whole.
    assert (
        'A neighbourhood where "everyone" knows each other,\nand elders are cared for 👵🏽'
        in _texts(store, session)
    )
    # "More parks" from two different people is two ideas, not a duplicate.
    assert _texts(store, session, "vision").count("More parks") == 2
    # Timestamps: 6:05:12 PM GMT-4 is 22:05:12 UTC.
    first = subs[0]
    assert first.created_at == "2024-03-14T22:05:12.000000Z"
    assert {s.language for s in subs if s.text.startswith("Parques")} == {"es"}
    assert {s.language for s in subs if s.text.startswith("Kids walking")} == {"en"}
    # One key per respondent row, the same for all answers of that row.
    row2 = {s.participant_key for s in subs if s.created_at == "2024-03-14T22:05:12.000000Z"}
    assert len(row2) == 1
    assert len({s.participant_key for s in subs}) == 7


def test_metadata_is_never_stored(store: Store, session: SessionRecord) -> None:
    import_file(store, session, DATA / "google_forms_visioning.csv", settings=SETTINGS)
    import_file(store, session, DATA / "surveymonkey_visioning.csv", settings=SETTINGS)
    with store.engine.connect() as conn:
        dump = json.dumps(
            [
                list(map(str, r))
                for table in ("submissions", "participant_profiles", "audit_log")
                for r in conn.execute(sa.text(f"SELECT * FROM {table}")).all()  # noqa: S608
            ]
        )
    for secret in (
        "maria.lopez@example.org",
        "j.smith@example.com",
        "203.0.113.24",
        "198.51.100.7",
        "114230987651",
        "431234567",
        "Eastside,",
    ):
        assert secret not in dump
    # The participant key is not a hash of the email.
    email_hash = hashlib.sha256(b"maria.lopez@example.org").hexdigest()[:16]
    assert email_hash not in dump


def test_reimport_adds_nothing_and_counts_already_present(
    store: Store, session: SessionRecord
) -> None:
    first = import_file(store, session, DATA / "google_forms_visioning.csv", settings=SETTINGS)
    again = import_file(store, session, DATA / "google_forms_visioning.csv", settings=SETTINGS)
    assert (again.added, again.already_present) == (0, first.added)
    assert store.count_submissions(session.id) == first.added
    assert "Added 0 ideas from 0 responses; 7 responses already there" in again.format_text()
    assert again.responses_already_present == 7


def test_raising_the_limit_adds_only_the_skipped_idea(store: Store, session: SessionRecord) -> None:
    first = import_file(store, session, DATA / "google_forms_visioning.csv", settings=SETTINGS)
    assert first.added == 16 and first.skipped_by_reason()["too_long"] == 1
    bigger = import_file(
        store,
        session,
        DATA / "google_forms_visioning.csv",
        settings=SETTINGS.replace(import_max_text_chars=20000),
    )
    assert (bigger.added, bigger.already_present) == (1, 16)
    assert any(len(t) == 10139 for t in _texts(store, session, "barriers"))


def test_same_file_into_two_sessions_is_two_imports(
    store: Store, visioning_survey, session
) -> None:  # type: ignore[no-untyped-def]
    other = store.create_session(visioning_survey, "Westside visioning")
    a = import_file(store, session, DATA / "google_forms_visioning.csv", settings=SETTINGS)
    b = import_file(store, other, DATA / "google_forms_visioning.csv", settings=SETTINGS)
    assert a.added == b.added == 16


# -- Microsoft Forms -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("microsoft_forms_visioning_cp1252.csv", "cp1252"),
        ("microsoft_forms_visioning_utf8bom.csv", "utf-8-sig"),
    ],
)
def test_microsoft_forms_cp1252_and_bom(
    store: Store, session: SessionRecord, name: str, encoding: str
) -> None:
    report = import_file(store, session, DATA / name, settings=SETTINGS)
    assert report.format == "microsoft-forms" and report.encoding == encoding
    assert report.added == 7 and _codes(report) == {"no_answers": 1}
    texts = _texts(store, session)
    assert "Not enough “good jobs” nearby" in texts
    assert "El costo de la vivienda – demasiado alto" in texts
    assert "A café on every corner and safe sidewalks" in texts
    assert not any(t.startswith("\ufeff") for t in texts)
    assert set(report.ignored) >= {"ID", "Start time", "Completion time"}
    assert {w["column"] for w in report.withheld} == {"Email", "Name"}
    assert report.unmapped == []
    assert report.demographics["columns"] == {"How old are you?": "age_band"}
    subs = store.list_submissions(session.id)
    assert subs[0].created_at == "2024-03-14T18:05:40.000000Z"  # Completion time, no zone: UTC


# -- SurveyMonkey ----------------------------------------------------------------------------


def test_surveymonkey_two_header_rows(store: Store, session: SessionRecord) -> None:
    report = import_file(store, session, DATA / "surveymonkey_visioning.csv", settings=SETTINGS)
    assert report.format == "surveymonkey"
    assert report.added == 4 and _codes(report) == {"no_answers": 1}
    assert report.skipped[0].row == 5  # data starts on spreadsheet row 3
    assert "Custom Data 1" in report.ignored
    assert {w["column"]: w["family"] for w in report.withheld} == {
        "IP Address": "ip",
        "Email Address": "email",
        "First Name": "name",
        "Last Name": "name",
    }
    unmapped = {u["column"] for u in report.unmapped}
    assert "Which of these would help most? [Other (please specify)]" in unmapped
    # The neighbourhood question's option columns match the survey's demographic question.
    assert set(report.demographics["columns"].values()) == {"neighbourhood"}
    assert report.layout == "2 header rows (question, sub-label)"
    subs = store.list_submissions(session.id)
    assert subs[0].created_at == "2024-03-14T18:04:51.000000Z"
    assert _texts(store, session, "barriers") == [
        "Too few after-school programmes",
        "La falta de transporte, sobre todo los domingos",
    ]


def test_surveymonkey_other_box_through_mapping(
    store: Store, session: SessionRecord, tmp_path: Path
) -> None:
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        '"Which of these would help most? [Other (please specify)]": priorities\n', encoding="utf-8"
    )
    report = import_file(
        store, session, DATA / "surveymonkey_visioning.csv", mapping=mapping, settings=SETTINGS
    )
    assert report.added == 5
    assert _texts(store, session, "priorities") == ["Clases de inglés para adultos"]


# -- Polis -----------------------------------------------------------------------------------


def test_polis_comments(store: Store, session: SessionRecord) -> None:
    report = import_file(store, session, DATA / "polis_comments.csv", settings=SETTINGS)
    assert report.format == "polis" and report.added == 5
    assert report.skipped == []
    # moderated = 0: imported hidden, pending moderation, and the report says so.
    assert "1 comment not yet moderated in Polis" in report.format_text()
    assert "until a facilitator accepts it (restore it on" in report.format_text()
    # moderated = -1: imported hidden too (its votes count as Polis counts them), never shown
    assert "1 comment moderated out in Polis (moderated = -1) imported hidden" in (
        report.format_text()
    )
    hidden = [s for s in store.list_submissions(session.id, include_hidden=True) if s.hidden]
    assert sorted(s.text for s in hidden) == [
        'Keep the pool open in August, "it\'s the only cool place"',
        "This is spam, buy cheap watches",
    ]
    assert "This is spam, buy cheap watches" not in [
        s.text for s in store.list_submissions(session.id)
    ]
    subs = [s for s in store.list_submissions(session.id, include_hidden=True)]
    assert all(s.source == "import" for s in subs)
    subs = [s for s in subs if s.text != "This is spam, buy cheap watches"]
    assert 'Keep the pool open in August, "it\'s the only cool place"' in [s.text for s in subs]
    # Author 4 wrote two comments: one pseudonymous key.
    by_text = {s.text: s for s in subs}
    assert (
        by_text["More bilingual staff at the clinic, please"].participant_key
        == by_text['Keep the pool open in August, "it\'s the only cool place"'].participant_key
    )
    assert len({s.participant_key for s in subs}) == 3
    assert subs[0].created_at == "2024-03-14T22:05:12.000000Z"
    first_prompt = store.list_prompts(session.id)[0]
    assert {s.prompt_id for s in subs} == {first_prompt.id}


def test_polis_to_a_chosen_prompt(store: Store, session: SessionRecord, tmp_path: Path) -> None:
    mapping = tmp_path / "polis.json"
    mapping.write_text('{"comment-body": "barriers"}', encoding="utf-8")
    report = import_file(
        store, session, DATA / "polis_comments.csv", mapping=mapping, settings=SETTINGS
    )
    assert report.columns == {"comment-body": "barriers"}
    assert len(_texts(store, session, "barriers")) == 3  # the fourth waits for moderation


def test_polis_missing_body_column(store: Store, session: SessionRecord, tmp_path: Path) -> None:
    bad = tmp_path / "comments.csv"
    bad.write_text(
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated\n1,x,0,0,1,0,1\n"
    )
    with pytest.raises(
        ImportFormatError, match=r"has no 'comment-body' column; expected the header .*comment-body"
    ):
        import_file(store, session, bad, format="polis", settings=SETTINGS)


# -- notes -----------------------------------------------------------------------------------


def test_markdown_town_hall_notes(store: Store, town_hall: SessionRecord) -> None:
    report = import_file(store, town_hall, DATA / "town_hall_notes.md", settings=SETTINGS)
    assert report.format == "notes" and report.added == 10
    assert [(s.row, s.code, s.column) for s in report.skipped] == [
        (30, "unknown_heading", "Parking lot"),
        (31, "unknown_heading", "Parking lot"),
    ]
    assert _texts(store, town_hall, "concerns") == [
        "Rent went up 20% this year",
        "Buses stop at 7pm, night-shift workers can't get home (especially on weekends)",
        "Streetlights out on Elm Ave",
        "Falta de guarderías cerca del trabajo",
        "Rent went up 20% this year",  # the same idea at two tables is kept twice
    ]
    assert _texts(store, town_hall, "ideas") == [
        "Tenant rights workshop at the library",
        "A night bus loop",
        "Un banco de alimentos los sábados",
        "Más programas después de la escuela",
    ]
    assert _texts(store, town_hall, "priorities") == ["Housing, everyone agreed"]
    subs = store.list_submissions(town_hall.id)
    assert all(s.source == "notes" and s.participant_key is None for s in subs)


def test_notes_mapping_rescues_unknown_heading(store: Store, town_hall: SessionRecord) -> None:
    report = import_file(
        store,
        town_hall,
        DATA / "town_hall_notes.md",
        mapping=DATA / "town_hall_mapping.json",
        settings=SETTINGS,
    )
    assert report.added == 12 and report.skipped == []
    assert "Who owns the vacant lot on 5th?" in _texts(store, town_hall, "ideas")


def test_plain_text_notes(store: Store, town_hall: SessionRecord) -> None:
    report = import_file(store, town_hall, DATA / "town_hall_notes_plain.txt", settings=SETTINGS)
    assert report.added == 5 and report.skipped == []
    assert _texts(store, town_hall, "concerns") == [
        "Potholes on Jefferson",
        "Nobody answers at the housing office",
    ]
    assert _texts(store, town_hall, "priorities") == ["Housing"]


def test_notes_lines_under_no_heading_and_nested_topics(
    store: Store, town_hall: SessionRecord, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text(
        "Sidewalks are broken\n\n## Ideas\n### Housing\n- Land trust\n+ Co-op loans\n\n___\n"
        "### Mesa 2\n- Still under ideas\n## Table 3\n- A sibling of Ideas: no prompt, so the "
        "first\n",
        encoding="utf-8",
    )
    report = import_file(store, town_hall, notes, settings=SETTINGS)
    assert report.added == 5
    assert _texts(store, town_hall, "concerns") == [
        "Sidewalks are broken",
        "A sibling of Ideas: no prompt, so the first",
    ]
    assert _texts(store, town_hall, "ideas") == ["Land trust", "Co-op loans", "Still under ideas"]


def test_notes_with_no_matching_heading_fail_with_the_headings(
    store: Store, town_hall: SessionRecord, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("## Housing\n- Rent\n## Transit\n- Buses\n", encoding="utf-8")
    with pytest.raises(ImportFormatError) as info:
        import_file(store, town_hall, notes, settings=SETTINGS)
    msg = str(info.value)
    assert "['Housing', 'Transit']" in msg and "concerns" in msg and "--mapping" in msg
    assert store.count_submissions(town_hall.id) == 0


# -- mapping and header matching -------------------------------------------------------------


def test_custom_headers_need_a_mapping(store: Store, session: SessionRecord) -> None:
    with pytest.raises(ImportFormatError) as info:
        import_file(store, session, DATA / "custom_headers.csv", settings=SETTINGS)
    msg = str(info.value)
    # Two short rows: too little typed text to call any column a free-text question.
    assert "Columns found: 1 'Submitted': metadata; 2 'Q1 - dream': choice" in msg
    assert '{"Q1 - dream": "vision"}' in msg
    assert "vision (" in msg and "--mapping" in msg
    report = import_file(
        store,
        session,
        DATA / "custom_headers.csv",
        mapping=DATA / "custom_headers_mapping.yaml",
        settings=SETTINGS,
    )
    assert report.added == 3 and report.columns == {
        "Q1 - dream": "vision",
        "Q2 - obstacles": "barriers",
    }
    # "Internal note" is mapped to null: left out on purpose, not reported as unmapped;
    # "Submitted" holds times: metadata.
    assert report.unmapped == [] and report.ignored == ["Submitted"]


def test_spanish_headers_and_prompt_keys_match(
    store: Store, session: SessionRecord, tmp_path: Path
) -> None:
    f = tmp_path / "respuestas.csv"
    f.write_text(
        '"Marca temporal","  IMAGINE nuestra comunidad dentro de diez anos, en su mejor momento: '
        '¿que ve?",'
        '"1. ¿Qué impide hoy ese futuro? (opcional)","priorities"\n'
        '"2024/03/14 6:05:12 PM GMT-4","Un parque","El tráfico","Vivienda"\n',
        encoding="utf-8",
    )
    report = import_file(store, session, f, settings=SETTINGS)
    assert list(report.columns.values()) == ["vision", "barriers", "priorities"]
    assert report.added == 3


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ('"Q1 - dream": nonexistent\n', r"'nonexistent', which is neither a prompt.*vision"),
        ('"Email": vision\n', r"private column \(email.*never imported"),
        ('"Submitted": vision\n', r"metadata column.*never imported"),
        ("Q1: dream: vision\n", r"not valid YAML.*\"Q1: dream\": vision"),
        ("- just\n- a list\n", r"must map column headers"),
        ('"Q1": [unclosed\n', r"not valid YAML"),
    ],
)
def test_bad_mapping_files(
    store: Store, session: SessionRecord, tmp_path: Path, content: str, match: str
) -> None:
    m = tmp_path / "mapping.yaml"
    m.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFormatError, match=match):
        import_file(store, session, DATA / "custom_headers.csv", mapping=m, settings=SETTINGS)


def test_normalise_and_metadata() -> None:
    assert normalise_header("  ¿Qué impide HOY ese   futuro? ") == "que impide hoy ese futuro"
    for h in (
        "Timestamp",
        "Email Address",
        "E-mail",
        "Respondent ID",
        "IP Address",
        "Start time",
        "Completion time",
        "Custom Data 2",
        "Your name (optional)",
        "First Name",
        "Points - Q1",
        "Correo electrónico",
    ):
        assert is_metadata(h), h
    assert is_metadata("Email (optional, for updates)") and is_metadata("Phone number")
    for h in (
        "What gets in the way?",
        "Which neighbourhood do you live in?",
        "Name one thing you love here",
        "Would email updates help you stay involved?",
        "Would a phone app help?",
    ):
        assert not is_metadata(h), h


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2024/03/14 6:05:12 PM GMT-4", "2024-03-14T22:05:12.000000Z"),
        ("2024/03/14 6:05:12 PM GMT+5:30", "2024-03-14T12:35:12.000000Z"),
        ("2024/03/14 6:05:12 PM EST", "2024-03-14T23:05:12.000000Z"),
        ("3/14/2024 18:05:12", "2024-03-14T18:05:12.000000Z"),
        ("14/3/2024 18:05", "2024-03-14T18:05:00.000000Z"),
        ("03/14/2024 06:05:12 PM", "2024-03-14T18:05:12.000000Z"),
        (
            "Thu Mar 14 2024 18:05:12 GMT-0400 (Eastern Daylight Time)",
            "2024-03-14T22:05:12.000000Z",
        ),
        ("1710453912", "2024-03-14T22:05:12.000000Z"),
        ("1710453912000", "2024-03-14T22:05:12.000000Z"),
        ("2024-03-14T18:05:12-04:00", "2024-03-14T22:05:12.000000Z"),
        ("", None),
        ("yesterday-ish", None),
    ],
)
def test_parse_export_time(raw: str, iso: str | None) -> None:
    assert parse_export_time(raw) == iso


# -- text rules, duplicates, very long cells ------------------------------------------------


def _form(tmp_path: Path, rows: list[list[str]], name: str = "form.csv") -> Path:
    header = [
        "Timestamp",
        "What gets in the way of that future today?",
        "If we could change one thing first, what should it be?",
    ]
    p = tmp_path / name
    with open(p, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, *rows])
    return p


def test_duplicate_rules(store: Store, session: SessionRecord, tmp_path: Path) -> None:
    t = "2024/03/14 6:05:12 PM GMT-4"
    f = _form(
        tmp_path,
        [
            [t, "Rent", "Housing"],
            [
                "2024/03/14 6:05:19 PM GMT-4",
                "Rent",
                "Housing",
            ],  # double submit: two answers, same content
            [t, "Buses", ""],
            ["2024/03/14 6:09:00 PM GMT-4", "Buses", ""],  # one short answer, another person: kept
            ["2024/03/14 6:09:00 PM GMT-4", "Buses", ""],  # whole row identical: duplicate
        ],
    )
    report = import_file(store, session, f, settings=SETTINGS)
    assert [(s.row, s.code) for s in report.skipped] == [(3, "duplicate_row"), (6, "duplicate_row")]
    assert report.added == 4


def test_very_long_cell_is_reported_not_truncated(
    store: Store, session: SessionRecord, tmp_path: Path
) -> None:
    huge = "x" * 300_000  # larger than the csv module's default field limit (131,072)
    limit_before = csv.field_size_limit()
    f = _form(tmp_path, [["", huge, "Parks"]])
    report = import_file(store, session, f, settings=SETTINGS)
    assert csv.field_size_limit() == limit_before
    assert report.added == 1 and [s.code for s in report.skipped] == ["too_long"]
    assert "300000 characters" in report.skipped[0].reason
    assert _texts(store, session) == ["Parks"]


def test_text_is_nfc_normalised_and_stripped_and_nul_rejected(
    store: Store, session: SessionRecord, tmp_path: Path
) -> None:
    f = _form(tmp_path, [["", "  Cafe\u0301 closes early \n", "bad\x00byte"]])
    report = import_file(store, session, f, settings=SETTINGS)
    assert _texts(store, session) == ["Café closes early"]
    assert [s.code for s in report.skipped] == ["nul_character"]


HOSTILE = [
    '=HYPERLINK("http://x")',
    "@SUM(1)",
    "-1+1",
    "+1",
    "👩🏽‍🚀 family 👨‍👩‍👧",
    "שלום עולם",
    "\u202eevil",
    "e\u0301\u0301\u0301",
    "社区花园",
    'He said "hi", then left',
    "line one\nline two",
    "\tindent",
]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    texts=st.lists(
        st.one_of(
            st.sampled_from(HOSTILE),
            st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_import_round_trips_hostile_cells(
    store: Store, visioning_survey, tmp_path_factory, texts
) -> None:  # type: ignore[no-untyped-def]
    session = store.create_session(visioning_survey, "Hypothesis")
    tmp = tmp_path_factory.mktemp("hyp")
    f = _form(tmp, [["", t, ""] for t in texts])
    import_file(store, session, f, settings=SETTINGS)
    expected = []
    seen: set[str] = set()
    for t in texts:
        if t.strip() in seen:  # the whole row repeats an earlier one: skipped as a duplicate row
            continue
        seen.add(t.strip())
        clean = unicodedata.normalize("NFC", t).strip()
        if clean and any(ch.isalnum() for ch in clean):
            expected.append(clean)
    assert _texts(store, session) == expected


# -- bad files -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "match"),
    [
        (
            b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 40,
            "responses.xlsx",
            r"zip archive that is no readable Excel workbook.*CSV UTF-8",
        ),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "minutes.pdf", r"PDF document"),
        (bytes(range(256)) * 8, "random.bin", r"NUL bytes|binary"),
        (b"", "empty.csv", r"is empty"),
        (b"\n \r\n", "blank.csv", r"is empty"),
        (
            "Timestamp,What gets in the way?\n2024,caf\xe9 \x81\n".encode("latin-1"),
            "latin.csv",
            r"neither UTF-8 nor Windows-1252.*0x81",
        ),
        (
            b'Timestamp,What gets in the way of that future today?\n2024,"never closed\n',
            "broken.csv",
            r"not valid CSV",
        ),
        (b"just one column\nand more\n", "one.csv", r"not a table"),
        (
            b"\x01\x02\x03\x04\x05\x06\x07\x08 some text \x0e\x0f\x10\x11\x12\x13\x14\x15",
            "ctrl.txt",
            r"control characters",
        ),
    ],
)
def test_bad_files_fail_clearly_and_write_nothing(
    store: Store, session: SessionRecord, data: bytes, name: str, match: str
) -> None:
    with pytest.raises(ImportFormatError, match=match):
        import_bytes(store, session, data, name, settings=SETTINGS)
    assert store.count_submissions(session.id) == 0


def test_missing_columns_name_headers_and_prompts(
    store: Store, session: SessionRecord, tmp_path: Path
) -> None:
    f = tmp_path / "form.csv"
    f.write_text(
        "Timestamp,Email Address,Favourite colour\n2024/03/14 6:05:12 PM GMT-4,a@b.c,blue\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFormatError) as info:
        import_file(store, session, f, settings=SETTINGS)
    msg = str(info.value)
    assert (
        "Columns found: 1 'Timestamp': metadata; 2 'Email Address': private; "
        "3 'Favourite colour': choice" in msg
    )
    assert "barriers ('What gets in the way of that future today?')" in msg
    assert '{"Favourite colour": "vision"}' in msg and "--mapping" in msg


def test_excel_unicode_text_utf16_tab_separated(
    store: Store, session: SessionRecord, tmp_path: Path
) -> None:
    f = tmp_path / "export.txt"
    content = (
        "ID\tStart time\tCompletion time\tEmail\tName\tWhat gets in the way of that future "
        "today?\r\n1\t3/14/2024 18:02:11\t3/14/2024 18:05:40\tanonymous\t\tNiños sin guardería\r\n"
    )
    f.write_bytes(content.encode("utf-16"))
    report = import_file(store, session, f, format="microsoft-forms", settings=SETTINGS)
    assert report.encoding == "utf-16" and report.added == 1
    assert _texts(store, session) == ["Niños sin guardería"]


def test_import_is_all_or_nothing(sqlite_url: str, visioning_survey) -> None:  # type: ignore[no-untyped-def]
    store = Store(sqlite_url)
    try:
        session = store.create_session(visioning_survey, "Atomic")
        with store.engine.begin() as conn:  # the database refuses one idea late in the file
            conn.exec_driver_sql(
                "CREATE TRIGGER refuse BEFORE INSERT ON submissions WHEN NEW.text = 'Late-night "
                "buses' BEGIN SELECT RAISE(ABORT, 'refused'); END"
            )
        with pytest.raises((StoreError, sa.exc.IntegrityError)):
            import_file(store, session, DATA / "google_forms_visioning.csv", settings=SETTINGS)
        assert store.count_submissions(session.id) == 0
    finally:
        store.close()


def test_dry_run_writes_nothing(store: Store, session: SessionRecord) -> None:
    report = import_file(
        store, session, DATA / "google_forms_visioning.csv", settings=SETTINGS, dry_run=True
    )
    assert report.added == 16 and report.dry_run and store.count_submissions(session.id) == 0
    text = report.format_text()
    assert "Would add 16 ideas from 7 responses (dry run: nothing written)" in text
    # The plan: every column with its role, counts and two sample answers (never private ones).
    assert "    2 'Email Address' -> private (e-mail): withheld, never stored" in text
    assert (
        "    4 'What gets in the way of that future today?' -> prompt barriers (header), "
        "5 answers: 'Rent keeps going up, families are pushe…' | "
        "'No hay suficientes guarderías en el bar…'" in text
    )
    assert "maria.lopez" not in text


# -- report ----------------------------------------------------------------------------------


def test_report_dict_and_text(store: Store, session: SessionRecord) -> None:
    report = import_file(store, session, DATA / "google_forms_visioning.csv", settings=SETTINGS)
    d = json.loads(json.dumps(report.to_dict()))
    assert d["format"] == "google-forms" and d["added"] == 16 and d["rows_read"] == 10
    assert d["skipped_count"] == 5 and d["responses_found"] == 7
    assert d["plan"][1] == {
        "column": 2,
        "header": "Email Address",
        "role": "private",
        "target": None,
        "how": "email",
        "non_empty": 3,
        "samples": [],
    }
    assert {
        "row": 4,
        "column": None,
        "code": "duplicate_row",
        "reason": "duplicate row (same answers as row 3)",
    } in d["skipped"]
    assert len(d["sha256"]) == 64
    text = report.format_text()
    assert "Added 16 ideas from 7 responses; 0 responses already there" in text
    assert "Withheld (private, never stored): 'Email Address' (e-mail)." in text
    assert "    1 'Timestamp' -> ignored (time)" in text
    # Participant text appears only in a dry run's samples (it may hold anything).
    assert "HYPERLINK" not in text and "Rent keeps" not in text


# -- CLI -------------------------------------------------------------------------------------


@pytest.fixture
def run(tmp_path: Path):  # type: ignore[no-untyped-def]
    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"

    def _run(*args: str):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)

    res = _run(
        "session",
        "create",
        "--survey",
        str(ROOT / "surveys/visioning.yaml"),
        "--title",
        "East",
        "--code",
        "EAST23",
    )
    assert res.exit_code == 0, res.output
    return _run


def test_cli_import(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    res = run("import", "EAST23", str(DATA / "google_forms_visioning.csv"))
    assert res.exit_code == 0, res.output
    assert "Added 16 ideas from" in res.output
    res = run("import", "EAST23", str(DATA / "google_forms_visioning.csv"), "--json")
    assert res.exit_code == 0
    d = json.loads(res.output)
    assert (d["added"], d["already_present"]) == (0, 16)
    res = run(
        "import",
        "east23",
        str(DATA / "custom_headers.csv"),
        "--mapping",
        str(DATA / "custom_headers_mapping.yaml"),
        "--format",
        "CSV",
        "--json",
    )
    assert res.exit_code == 0 and json.loads(res.output)["added"] == 3


def test_cli_import_errors(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "book.csv"
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 30)
    res = run("import", "EAST23", str(bad))
    assert res.exit_code == 1 and res.output.startswith("Error: ") and "xlsx" in res.output
    res = run("import", "EAST23", str(DATA / "custom_headers.csv"))
    assert res.exit_code == 1 and "--mapping" in res.output
    res = run("import", "NOPE99", str(DATA / "google_forms_visioning.csv"))
    assert res.exit_code == 1 and "Error: " in res.output
    res = run("import", "EAST23", str(DATA / "google_forms_visioning.csv"), "--format", "excel")
    assert res.exit_code == 2
    res = run("import", "EAST23", str(tmp_path / "missing.csv"))
    assert res.exit_code == 2
    res = run("import", "EAST23")
    assert res.exit_code == 2
