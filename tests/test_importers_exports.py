"""Imports of real-shaped exports of every tool: the plan without a mapping, private columns,
re-downloads, workbooks, long answers, dates, header rows, demographics and Polis moderation.

Fixture files in tests/data/imports/ are written from each tool's documented export format (see
its README); workbooks are written here with openpyxl the way each source lays them out.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from pbp_facilitate.cli import cli
from pbp_facilitate.errors import ImportFormatError
from pbp_facilitate.importers import detect_format, import_bytes, import_file
from pbp_facilitate.importers.plan import similarity
from pbp_facilitate.importers.records import date_order, is_private, parse_export_time
from pbp_facilitate.settings import Settings
from pbp_facilitate.store import SessionRecord, Store

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "imports"
POLIS = ROOT.parent / "shared" / "datasets" / "polis"
SETTINGS = Settings()
VISION = "Imagine our community ten years from now, at its best. What do you see?"


def _texts(store: Store, session: SessionRecord, key: str | None = None) -> list[str]:
    prompts = {p.key: p.id for p in store.list_prompts(session.id)}
    subs = store.list_submissions(session.id, include_hidden=True)
    return [s.text for s in subs if key is None or s.prompt_id == prompts[key]]


def _dump(store: Store) -> str:
    with store.engine.connect() as conn:
        return json.dumps(
            [
                list(map(str, r))
                for table in (
                    "submissions",
                    "participant_profiles",
                    "audit_log",
                    "prompts",
                    "imports",
                )
                for r in conn.execute(sa.text(f"SELECT * FROM {table}")).all()  # noqa: S608
            ],
            ensure_ascii=False,
        )


def _workbook(rows: list[list[object]], *, sheets: dict[str, list[list[object]]] | None = None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    for r in rows:
        ws.append(r)
    for title, extra in (sheets or {}).items():
        other = wb.create_sheet(title)
        for r in extra:
            other.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# -- each tool: detected, planned without a mapping ------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt", "prompts", "withheld"),
    [
        (
            "qualtrics_visioning.csv",
            "qualtrics",
            {"vision": 3, "barriers": 3},
            {"ip", "name", "email", "contact", "location"},
        ),
        (
            "surveymonkey_contact_long.csv",
            "surveymonkey",
            {"vision": 3, "barriers": 3},
            {"ip", "email", "name", "contact"},
        ),
        (
            "surveymonkey_legacy.csv",
            "surveymonkey",
            {"vision": 2, "assets": 2},
            {"ip", "email", "name"},
        ),
        ("typeform_visioning.csv", "typeform", {"vision": 4}, {"device"}),
        (
            "surveygizmo_visioning.csv",
            "surveygizmo",
            {"vision": 3, "barriers": 3},
            {"contact", "device", "ip", "location"},
        ),
        ("wenjuanxing_visioning.csv", "wenjuanxing", {"vision": 2, "barriers": 2}, {"ip"}),
        ("google_forms_dayfirst.csv", "google-forms", {"vision": 4, "barriers": 4}, {"name"}),
        ("excel_unicode_text.txt", "microsoft-forms", {"vision": 3}, {"email", "name"}),
    ],
)
def test_each_tool_imports_without_a_mapping(
    store: Store,
    session: SessionRecord,
    name: str,
    fmt: str,
    prompts: dict[str, int],
    withheld: set[str],
) -> None:
    assert detect_format(DATA / name) == fmt
    report = import_file(store, session, DATA / name, settings=SETTINGS)
    assert report.format == fmt
    for key, n in prompts.items():
        assert len(_texts(store, session, key)) == n, key
    assert {w["family"] for w in report.withheld} == withheld
    text = report.format_text()
    assert report.label in text and "Plan:" in text
    # Nothing from a header row, a metadata cell or a private cell became an idea.
    for t in _texts(store, session):
        assert "ImportId" not in t and "@" not in t and "Open-Ended Response" not in t
        assert t not in ("Response", "25-44", "45-64", "(跳过)")


def test_qualtrics_three_header_rows_new_prompt_and_similar_wording(
    store: Store, session: SessionRecord
) -> None:
    report = import_file(store, session, DATA / "qualtrics_visioning.csv", settings=SETTINGS)
    assert report.layout == "3 header rows (short name, question, import id)"
    assert report.encoding == "utf-8-sig"
    plan = {cp.header: cp for cp in report.plan}
    # "a better future" is worded like the barriers prompt ("that future"): matched by similarity.
    assert plan["What gets in the way of a better future today?"].target == "barriers"
    assert plan["What gets in the way of a better future today?"].how == "similar"
    # A free-text question no prompt fits becomes a new prompt (kind imported, closed).
    new = [p for p in store.list_prompts(session.id) if p.kind == "imported"]
    assert len(new) == 1 and not new[0].is_open
    assert new[0].text_for("en").startswith("Is there anything else you would like to tell")
    assert len(_texts(store, session, new[0].key)) == 3
    # The satisfaction scale is a closed question: not imported, not an idea.
    assert plan["How satisfied are you with local parks?"].role == "choice"
    assert "Somewhat satisfied" not in _texts(store, session)
    # Re-importing reuses the new prompt and adds nothing.
    again = import_file(store, session, DATA / "qualtrics_visioning.csv", settings=SETTINGS)
    assert again.added == 0 and again.responses_already_present == 3
    assert [p.key for p in store.list_prompts(session.id) if p.kind == "imported"] == [new[0].key]


def test_surveymonkey_legacy_subheader_row_is_not_an_idea(
    store: Store, session: SessionRecord
) -> None:
    report = import_file(store, session, DATA / "surveymonkey_legacy.csv", settings=SETTINGS)
    assert report.layout == "2 header rows (question, sub-label)"
    assert report.rows_read == 2 and report.added == 4
    assert "Open-Ended Response" not in _texts(store, session)


def test_typeform_other_columns_are_told_apart(
    store: Store, session: SessionRecord, tmp_path: Path
) -> None:
    report = import_file(store, session, DATA / "typeform_visioning.csv", settings=SETTINGS)
    headers = [cp.header for cp in report.plan]
    assert "Which of these should come first? [Other]" in headers
    assert "Which of these would you use? [Other]" in headers
    assert "How did you hear about this survey? [Other]" in headers
    # A mapping names one of them by column number; the others stay out.
    m = tmp_path / "map.yaml"
    m.write_text("6: new\n", encoding="utf-8")
    report = import_file(
        store, session, DATA / "typeform_visioning.csv", mapping=m, settings=SETTINGS
    )
    assert report.added == 2
    new = next(p for p in store.list_prompts(session.id) if p.kind == "imported")
    assert new.text_for("en") == "Which of these would you use? [Other]"
    assert sorted(_texts(store, session, new.key)) == [
        "A tool library for home repairs and gardening",
        "Un centro de salud mental comunitario",
    ]


# -- private data ----------------------------------------------------------------------------


def test_private_data_of_every_tool_never_enters(store: Store, session: SessionRecord) -> None:
    for name in (
        "qualtrics_visioning.csv",
        "surveymonkey_contact_long.csv",
        "surveymonkey_legacy.csv",
        "typeform_visioning.csv",
        "surveygizmo_visioning.csv",
        "wenjuanxing_visioning.csv",
        "google_forms_dayfirst.csv",
        "excel_unicode_text.txt",
    ):
        import_file(store, session, DATA / name, settings=SETTINGS, demographics_consented=True)
    dump = _dump(store)
    for secret in (
        "ada.okafor@example.org",
        "Okafor",
        "203.0.113.41",
        "EXT-0091",
        "39.7392",
        "rosa.mendez@example.org",
        "Rosa Méndez",
        "555-0142",
        "203.0.113.5",
        "5f1e2d3c4b",
        "Mozilla/5.0",
        "1682845201_644e2a11a1b2c",
        "80202",
        "203.0.113.9(广东-深圳)",
        "ana.r@example.org",
        "R_1aBcDeFgHiJkLmN",
    ):
        assert secret not in dump, secret


@pytest.mark.parametrize(
    "header",
    [
        "IPAddress",
        "RecipientEmail",
        "RecipientFirstName",
        "Username",
        "来自IP",
        "Contact Information [Email Address]",
        "Contact Information [Name]",
        "Contact Information [Phone Number]",
        "Información de contacto [Dirección]",
        "LocationLatitude",
        "User Agent",
        "Network ID",
        "Correo electrónico",
        "Su nombre (opcional)",
    ],
)
def test_private_families_are_recognised(header: str) -> None:
    assert is_private(header)


@pytest.mark.parametrize(
    "header",
    [VISION, "What gets in the way?", "Comments", "Other", "How old are you?", "Neighbourhood"],
)
def test_questions_are_not_private(header: str) -> None:
    assert not is_private(header)


@pytest.mark.parametrize(
    ("line", "match"),
    [
        ('"IPAddress": vision\n', r"private column \(ip"),
        ('"Contact Information [Email Address]": vision\n', r"private column \(email"),
        ("4: vision\n", r"column 4 \('IP Address'\).*private column \(ip"),
        ("12: age_band\n", r"column 12 \('Recipient Email'\).*private"),
        ("9: vision\n", r"column 9 \('Response ID'\).*metadata column"),
    ],
)
def test_mapping_a_private_column_is_refused(
    store: Store, session: SessionRecord, tmp_path: Path, line: str, match: str
) -> None:
    m = tmp_path / "map.yaml"
    m.write_text(line, encoding="utf-8")
    with pytest.raises(ImportFormatError, match=match):
        import_file(store, session, DATA / "qualtrics_visioning.csv", mapping=m, settings=SETTINGS)
    assert store.count_submissions(session.id) == 0


def test_a_column_of_email_addresses_is_private_whatever_its_header(
    store: Store, session: SessionRecord, tmp_path: Path
) -> None:
    f = tmp_path / "sheet.csv"
    f.write_text(
        "Contact,What gets in the way of that future today?\n"
        "a@example.org,Too few buses on weekends\nb@example.org,Rent is too high for families\n",
        encoding="utf-8",
    )
    report = import_file(store, session, f, settings=SETTINGS)
    assert report.withheld == [{"column": "Contact", "family": "email", "non_empty": 2}]
    assert "a@example.org" not in _dump(store)


# -- re-downloads ----------------------------------------------------------------------------


def _google_rows(n: int) -> list[list[str]]:
    rows = [["Timestamp", "Email Address", VISION, "What gets in the way of that future today?"]]
    for i in range(n):
        vision = "More parks" if i % 20 == 0 else f"Vision number {i}: a safe walk to school"
        rows.append(
            [
                f"2024/03/{1 + i // 10:02d} {1 + i % 10}:05:12 PM GMT-4",
                f"person{i}@example.org" if i % 3 else "",
                vision,
                f"Obstáculo {i}: el alquiler sube" if i % 2 else "",
            ]
        )
    return rows


def _csv_bytes(rows: list[list[str]], *, bom: bool = False, crlf: bool = False) -> bytes:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n" if crlf else "\n", quoting=csv.QUOTE_ALL).writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode("utf-8")


def test_redownloads_partial_exports_and_resaves_add_nothing(
    store: Store, session: SessionRecord
) -> None:
    full = _google_rows(81)
    distinct = sum(1 for r in full[1:] for c in r[2:] if c)
    first = import_bytes(store, session, _csv_bytes(full[:61]), "responses.csv", settings=SETTINGS)
    assert first.responses_added == 60
    second = import_bytes(store, session, _csv_bytes(full), "responses (1).csv", settings=SETTINGS)
    assert (second.responses_added, second.responses_already_present) == (21, 60)
    assert "21 responses; 60 responses already there" in second.format_text()
    resave = import_bytes(
        store, session, _csv_bytes(full, bom=True, crlf=True), "responses.csv", settings=SETTINGS
    )
    assert resave.added == 0 and resave.responses_already_present == 81
    assert store.count_submissions(session.id) == distinct
    # "More parks" from five different people stays five ideas, one participant each.
    assert _texts(store, session, "vision").count("More parks") == 5
    keys = {s.participant_key for s in store.list_submissions(session.id)}
    assert len(keys) == 81
    assert len(store.list_imports(session.id)) == 3


def test_sheet_download_of_the_same_google_form_adds_nothing(
    store: Store, session: SessionRecord
) -> None:
    rows = _google_rows(12)
    import_bytes(store, session, _csv_bytes(rows), "responses.csv", settings=SETTINGS)
    # The linked Google Sheet downloaded as .xlsx: the timestamp is a date cell, not text.
    sheet = [rows[0]] + [
        [datetime(2024, 3, 1 + i // 10, 13 + i % 10, 5, 12), *r[1:]] for i, r in enumerate(rows[1:])
    ]
    report = import_bytes(store, session, _workbook(sheet), "responses.xlsx", settings=SETTINGS)
    assert report.format == "google-forms" and report.encoding == "xlsx"
    assert report.added == 0 and report.responses_already_present == 12


def test_surveymonkey_updated_export_adds_only_new_respondents(
    store: Store, session: SessionRecord
) -> None:
    raw = (DATA / "surveymonkey_contact_long.csv").read_bytes()
    lines = raw.split(b"\r\n")
    partial = b"\r\n".join(lines[:3]) + b"\r\n"  # two header rows and the first respondent
    a = import_bytes(store, session, partial, "export.csv", settings=SETTINGS)
    b = import_bytes(store, session, raw, "export.csv", settings=SETTINGS)
    assert (a.responses_added, b.responses_added, b.responses_already_present) == (1, 2, 1)
    assert store.count_submissions(session.id) == 6


# -- workbooks -------------------------------------------------------------------------------


def _ms_forms_rows() -> list[list[object]]:
    return [
        ["ID", "Start time", "Completion time", "Email", "Name", VISION, "How old are you?"],
        [1, datetime(2023, 4, 28, 9, 1), datetime(2023, 4, 28, 9, 5, 10), "anonymous", None,
         "Affordable homes near the light rail", "25-44"],
        [2, datetime(2023, 4, 30, 9, 15), datetime(2023, 4, 30, 9, 20, 33), "anonymous", None,
         "Una clínica con personal que hable español", "45-64"],
        [3, datetime(2023, 5, 1, 14, 0), datetime(2023, 5, 1, 14, 2, 12), "jo@example.org",
         "Jo Lee", "Safe crossings at every school", "65 and over"],
    ]  # fmt: skip


def test_microsoft_forms_xlsx(store: Store, session: SessionRecord) -> None:
    data = _workbook(_ms_forms_rows())
    report = import_bytes(store, session, data, "Visioning(1-3).xlsx", settings=SETTINGS)
    assert report.format == "microsoft-forms" and report.encoding == "xlsx"
    assert report.added == 3 and {w["column"] for w in report.withheld} == {"Email", "Name"}
    subs = store.list_submissions(session.id)
    # Date cells: never a day/month guess.
    assert subs[1].created_at == "2023-04-30T09:20:33.000000Z" and report.date_order is None
    assert "jo@example.org" not in _dump(store) and "Jo Lee" not in _dump(store)
    # The same responses saved as CSV later: identified by ID, nothing added.
    buf = io.StringIO(newline="")
    csv.writer(buf).writerows(
        [[("" if c is None else c.strftime("%m/%d/%Y %H:%M:%S") if isinstance(c, datetime)
           else str(c)) for c in r] for r in _ms_forms_rows()]
    )  # fmt: skip
    again = import_bytes(store, session, buf.getvalue().encode("cp1252", "replace"), "v.csv")
    assert again.added == 0 and again.responses_already_present == 3


def test_excel_workbook_of_surveymonkey_and_sheet_choice(
    store: Store, session: SessionRecord
) -> None:
    with (DATA / "surveymonkey_legacy.csv").open(encoding="utf-8", newline="") as fh:
        rows: list[list[object]] = [list(r) for r in csv.reader(fh)]
    data = _workbook([["Summary"], ["Responses: 2"]], sheets={"Responses": rows})
    with pytest.raises(ImportFormatError, match="not a table of responses.*--sheet"):
        import_bytes(store, session, data, "export.xlsx", settings=SETTINGS)
    with pytest.raises(ImportFormatError, match=r"no sheet 'Nope'.*\['Sheet1', 'Responses'\]"):
        import_bytes(store, session, data, "export.xlsx", sheet="Nope", settings=SETTINGS)
    report = import_bytes(store, session, data, "export.xlsx", sheet="Responses", settings=SETTINGS)
    assert report.format == "surveymonkey" and report.added == 4
    with pytest.raises(ImportFormatError, match="not an Excel workbook"):
        import_file(store, session, DATA / "surveymonkey_legacy.csv", sheet="Responses")


def test_qualtrics_xlsx_numbers_and_formulas(store: Store, session: SessionRecord) -> None:
    with (DATA / "qualtrics_visioning.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows: list[list[object]] = [list(r) for r in csv.reader(fh)]
    rows[3][4] = 100  # Progress as a number cell
    rows[3][17] = '=HYPERLINK("http://example.org","click")'
    report = import_bytes(store, session, _workbook(rows), "q.xlsx", settings=SETTINGS)
    # A formula is never evaluated: its cached value is read, and a workbook saved without one
    # (as openpyxl writes it) holds no answer in that cell.
    assert report.format == "qualtrics" and report.added == 8
    assert not any(t.startswith("=") for t in _texts(store, session))
    assert report.plan[4].role == "metadata" and report.plan[4].non_empty == 4


def test_broken_workbook_is_refused_clearly(store: Store, session: SessionRecord) -> None:
    data = _workbook(_ms_forms_rows())[:400]
    with pytest.raises(ImportFormatError):
        import_bytes(store, session, data, "cut.xlsx", settings=SETTINGS)
    assert store.count_submissions(session.id) == 0


# -- long answers ----------------------------------------------------------------------------


def test_long_answers_are_kept_whole_up_to_the_import_limit(
    store: Store, session: SessionRecord
) -> None:
    report = import_file(store, session, DATA / "surveymonkey_contact_long.csv", settings=SETTINGS)
    long = [t for t in _texts(store, session, "barriers") if len(t) > 1500]
    assert len(long) == 2 and report.skipped == []
    assert SETTINGS.max_text_chars == 1000  # the live form's limit is separate
    low = import_file(
        store,
        session,
        DATA / "surveymonkey_contact_long.csv",
        settings=SETTINGS.replace(import_max_text_chars=2000),
        dry_run=True,
    )
    skip_lines = [ln for ln in low.format_text().splitlines() if "import limit" in ln]
    assert len(skip_lines) == 1 and VISION not in skip_lines[0]


# -- dates -----------------------------------------------------------------------------------


def test_day_first_file_is_read_day_first_throughout(store: Store, session: SessionRecord) -> None:
    report = import_file(store, session, DATA / "google_forms_dayfirst.csv", settings=SETTINGS)
    assert report.date_order == "day-first"
    assert "Dates read day/month for the whole file" in report.format_text()
    times = sorted({s.created_at[:10] for s in store.list_submissions(session.id)})
    assert times == ["2023-04-28", "2023-04-30", "2023-05-01", "2023-05-02"]


def test_month_first_and_ambiguous_files(
    store: Store, session: SessionRecord, tmp_path: Path
) -> None:
    r = import_file(store, session, DATA / "surveymonkey_contact_long.csv", settings=SETTINGS)
    assert r.date_order == "month-first"
    f = tmp_path / "amb.csv"
    f.write_text(
        "Timestamp,What gets in the way of that future today?\n"
        "01/05/2023 10:00:00,Rent\n02/05/2023 11:00:00,Buses\n",
        encoding="utf-8",
    )
    amb = import_file(store, session, f, settings=SETTINGS)
    assert amb.date_order == "ambiguous"
    assert any("fits both day/month orders" in w for w in amb.warnings)


def test_date_order_and_parsing() -> None:
    assert date_order(["30/04/2023 10:00", "01/05/2023 09:00"]) == "day-first"
    assert date_order(["04/30/2023", "05/01/2023"]) == "month-first"
    assert date_order(["01/05/2023", "02/05/2023"]) == "ambiguous"
    assert date_order(["30/04/2023", "04/30/2023"]) == "mixed"
    assert date_order(["2023-04-30 10:00:00"]) is None
    assert parse_export_time("01/05/2023 09:00:00", dayfirst=True) == "2023-05-01T09:00:00.000000Z"
    assert parse_export_time("01/05/2023 09:00:00", dayfirst=False) == "2023-01-05T09:00:00.000000Z"
    assert parse_export_time("30.04.2023 18:00", dayfirst=True) == "2023-04-30T18:00:00.000000Z"


# -- demographics ----------------------------------------------------------------------------


def test_demographics_only_with_recorded_consent(store: Store, session: SessionRecord) -> None:
    report = import_file(store, session, DATA / "surveygizmo_visioning.csv", settings=SETTINGS)
    assert report.demographics["stored"] is False
    assert (
        "not stored" in report.format_text() and "--demographics-consented" in report.format_text()
    )
    frame = store.participants_frame(session.id)
    assert len(frame) == 3 and not frame["consented"].any()
    assert frame["race_ethnicity"].isna().all()
    assert store.list_imports(session.id)[0]["demographics_consented"] is False
    again = import_file(
        store,
        session,
        DATA / "surveygizmo_visioning.csv",
        settings=SETTINGS,
        demographics_consented=True,
    )
    assert again.added == 0 and again.demographics["respondents"] == 3
    frame = store.participants_frame(session.id)
    assert frame["consented"].all()
    assert sorted(frame["race_ethnicity"]) == [
        "Black or African American",
        "Hispanic or Latino",
        "White",
    ]
    assert store.list_imports(session.id)[-1]["demographics_consented"] is True


def test_demographic_mapping_and_values_that_are_no_option(
    store: Store, session: SessionRecord, tmp_path: Path
) -> None:
    f = tmp_path / "survey.csv"
    f.write_text(
        "Response ID,Age,Barrio,What gets in the way of that future today?\n"
        "1,25-44,Eastside,Too few buses\n2,45-64,Southside,Rent is too high\n"
        "3,about forty,Westside,No child care nearby\n",
        encoding="utf-8",
    )
    m = tmp_path / "map.yaml"
    m.write_text('"Age": age_band\n"Barrio": demographic:neighbourhood\n', encoding="utf-8")
    report = import_file(
        store, session, f, mapping=m, settings=SETTINGS, demographics_consented=True
    )
    assert report.demographics["columns"] == {"Age": "age_band", "Barrio": "neighbourhood"}
    frame = store.participants_frame(session.id).set_index("participant_key")
    assert sorted(frame["age_band"].dropna()) == ["25-44", "45-64"]
    assert sorted(frame["neighbourhood"].dropna()) == ["Eastside", "Westside"]
    assert any("not options of its question" in w for w in report.warnings)


# -- mapping file ----------------------------------------------------------------------------


def test_mapping_by_prefix_and_number_and_yaml_quoting_hint(
    store: Store, session: SessionRecord, tmp_path: Path
) -> None:
    m = tmp_path / "map.yaml"
    m.write_text('"Imagine our community...": barriers\n22: null\n', encoding="utf-8")
    report = import_file(
        store, session, DATA / "qualtrics_visioning.csv", mapping=m, settings=SETTINGS
    )
    assert len(_texts(store, session, "barriers")) == 6
    assert not [p for p in store.list_prompts(session.id) if p.kind == "imported"]
    assert report.warnings == []
    bad = tmp_path / "bad.yaml"
    bad.write_text("What matters: to you?: vision\n", encoding="utf-8")
    with pytest.raises(
        ImportFormatError, match=r'write that line as "What matters: to you\?": vision'
    ):
        import_file(store, session, DATA / "qualtrics_visioning.csv", mapping=bad)


def test_similarity_of_wording() -> None:
    assert similarity("¿Qué impide hoy un futuro mejor?", "¿Qué impide hoy ese futuro?") >= 0.6
    assert similarity("How satisfied are you with parks?", "What gets in the way?") == 0.0


# -- Polis -----------------------------------------------------------------------------------


def test_polis_pending_moderation_or_only_accepted(store: Store, session: SessionRecord) -> None:
    report = import_file(
        store, session, DATA / "polis_comments.csv", settings=SETTINGS, only_accepted=True
    )
    # 3 accepted, 1 moderated out (stored hidden, for its votes), 1 pending skipped
    assert report.added == 4 and report.skipped_by_reason()["not_moderated"] == 1
    assert "skipped (--only-accepted)" in report.format_text()
    assert store.count_submissions(session.id) == 3
    later = import_file(store, session, DATA / "polis_comments.csv", settings=SETTINGS)
    assert later.added == 1 and later.responses_already_present == 4
    hidden = [s for s in store.list_submissions(session.id, include_hidden=True) if s.hidden]
    pending = [s for s in hidden if s.text != "This is spam, buy cheap watches"]
    assert len(hidden) == 2 and len(pending) == 1
    store.set_hidden(pending[0].id, False, actor="facilitator", reason="accepted")
    assert store.count_submissions(session.id) == 4


@pytest.mark.skipif(not POLIS.is_dir(), reason="shared Polis exports not present")
def test_real_polis_exports(store: Store, session: SessionRecord) -> None:
    path = POLIS / "scoop-hivemind.ubi" / "comments.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        mods = [r["moderated"] for r in csv.DictReader(fh)]
    report = import_file(store, session, path, settings=SETTINGS)
    assert report.added == len(mods)
    hidden = [s for s in store.list_submissions(session.id, include_hidden=True) if s.hidden]
    # pending (0) and moderated out (-1) are both stored hidden, never shown
    assert len(hidden) == mods.count("0") + mods.count("-1") and mods.count("-1") > 0
    assert report.skipped_by_reason().get("moderated_out", 0) == 0
    again = import_file(store, session, path, settings=SETTINGS)
    assert again.added == 0


# -- CLI -------------------------------------------------------------------------------------


def test_cli_dry_run_plan_consent_and_sheet(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"

    def run(*args: str):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)

    res = run("session", "create", "--survey", str(ROOT / "surveys/visioning.yaml"), "--title",
              "East", "--code", "EAST24")  # fmt: skip
    assert res.exit_code == 0, res.output
    res = run("import", "EAST24", str(DATA / "qualtrics_visioning.csv"), "--dry-run")
    assert res.exit_code == 0, res.output
    assert "-> private (IP address): withheld, never stored" in res.output
    assert "-> NEW prompt imp_" in res.output and "Would add 9 ideas from" in res.output
    assert "'A riverfront park where families picnic…'" in res.output
    res = run("import", "EAST24", str(DATA / "qualtrics_visioning.csv"), "--demographics-consented",
              "--json")  # fmt: skip
    d = json.loads(res.output)
    assert d["added"] == 9 and d["demographics"]["stored"] is True
    xlsx = tmp_path / "ms.xlsx"
    xlsx.write_bytes(_workbook([["x"]], sheets={"Form1": _ms_forms_rows()}))
    res = run("import", "EAST24", str(xlsx), "--sheet", "Form1", "--json")
    assert res.exit_code == 0 and json.loads(res.output)["added"] == 3
    res = run("import", "EAST24", str(xlsx), "--sheet", "Missing")
    assert res.exit_code == 1 and "no sheet 'Missing'" in res.output


_COUNTED = {
    # language: {rows: (head, summary, plan line end, summary of the same file again)}
    "en": {
        1: ("1 row read", "Added 1 idea from 1 response; 0 responses already there (0 ideas "
            "already present); 0 skipped.", ", 1 answer\n",
            "Added 0 ideas from 0 responses; 1 response already there (1 idea already present); "
            "0 skipped."),
        2: ("2 rows read", "Added 2 ideas from 2 responses; 0 responses already there (0 ideas "
            "already present); 0 skipped.", ", 2 answers\n",
            "Added 0 ideas from 0 responses; 2 responses already there (2 ideas already "
            "present); 0 skipped."),
    },
    "es": {
        1: ("1 fila leída", "Se añadió 1 idea de 1 respuesta; 0 respuestas ya estaban (0 ideas "
            "ya guardadas); 0 omitidas.", ", 1 respuesta\n",
            "Se añadieron 0 ideas de 0 respuestas; 1 respuesta ya estaba (1 idea ya guardada); "
            "0 omitidas."),
        2: ("2 filas leídas", "Se añadieron 2 ideas de 2 respuestas; 0 respuestas ya estaban "
            "(0 ideas ya guardadas); 0 omitidas.", ", 2 respuestas\n",
            "Se añadieron 0 ideas de 0 respuestas; 2 respuestas ya estaban (2 ideas ya "
            "guardadas); 0 omitidas."),
    },
}  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("n", [1, 2])
def test_cli_report_counts_one_and_two_in_each_language(tmp_path: Path, lang: str, n: int) -> None:
    """``pbp import --language``: "1 row read" / "2 rows read", "1 fila leída" / "2 filas
    leídas", the verb agreeing in Spanish ("Se añadió 1 idea"), no "(s)" anywhere."""
    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"

    def run(*args: str):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)

    res = run("session", "create", "--survey", str(ROOT / "surveys/visioning.yaml"), "--title",
              "Counts", "--code", "COUNT1")  # fmt: skip
    assert res.exit_code == 0, res.output
    answers = ["Rent keeps going up every single year", "No hay guarderías cerca del trabajo"]
    f = tmp_path / "export.csv"
    f.write_text(
        "Timestamp,What gets in the way of that future today?\n"
        + "".join(f"2024/03/14 6:0{i}:12 PM GMT-4,{a}\n" for i, a in enumerate(answers[:n])),
        encoding="utf-8",
    )
    read, added, answers_line, again = _COUNTED[lang][n]
    first = run("import", "COUNT1", str(f), "--language", lang)
    assert first.exit_code == 0, first.output
    assert f", {read}, " in first.output and added in first.output, first.output
    assert answers_line in first.output, first.output
    second = run("import", "COUNT1", str(f), "--language", lang)
    assert second.exit_code == 0, second.output
    assert again in second.output, second.output
    assert "(s)" not in first.output + second.output


def test_report_in_spanish(store: Store, session: SessionRecord) -> None:
    report = import_file(
        store, session, DATA / "wenjuanxing_visioning.csv", settings=SETTINGS, dry_run=True
    )
    es = report.format_text(lang="es")
    assert "Se añadirían 4 ideas de 3 respuestas" in es
    assert "-> privada (dirección IP): retenida, nunca se guarda" in es
    assert "no se guardaron" in es and "Plan:" in es
    assert report.format_text(lang="en") != es


def test_themes_handle_long_imported_answers(store: Store, session: SessionRecord) -> None:
    from pbp_facilitate.themes.session import fit_stored_session

    base = [
        "Rent keeps rising and families leave the neighbourhood. ",
        "Buses stop early and night shifts have no way home. ",
        "Child care is too expensive for young parents. ",
    ]
    rows = [["Response ID", "What gets in the way of that future today?"]]
    rows += [[str(i), (base[i % 3] * (1 + (i % 4) * 60))[:9000]] for i in range(30)]
    buf = io.StringIO(newline="")
    csv.writer(buf).writerows(rows)
    report = import_bytes(store, session, buf.getvalue().encode(), "long.csv", settings=SETTINGS)
    assert report.added == 30 and max(len(t) for t in _texts(store, session)) > 8000
    model = fit_stored_session(store, session.id, save=True, method="tfidf", n_themes=3)
    quotes = [q for th in model.themes_ for q in th.quotes]
    assert quotes and all(len(q) <= 280 for q in quotes)
    assert sum(len(th.members) for th in model.themes_) >= 27


def test_two_forms_numbering_their_responses_alike_stay_apart(
    store: Store, session: SessionRecord, tmp_path: Path
) -> None:
    head = "ID,Start time,Completion time,Email,Name,What gets in the way of that future today?\n"
    a = tmp_path / "eastside.csv"
    a.write_text(
        head + "1,4/1/2024 9:00,4/1/2024 9:05,anonymous,,Rent is too high\n"
        "2,4/1/2024 9:10,4/1/2024 9:15,anonymous,,Buses stop at 7 pm\n",
        encoding="utf-8",
    )
    b = tmp_path / "westside.csv"
    b.write_text(
        head + "1,4/2/2024 9:00,4/2/2024 9:05,anonymous,,No grocery store nearby\n"
        "2,4/2/2024 9:10,4/2/2024 9:15,anonymous,,Streetlights are out\n",
        encoding="utf-8",
    )
    assert import_file(store, session, a, settings=SETTINGS).added == 2
    assert import_file(store, session, b, settings=SETTINGS).added == 2
    # A later download of the first form (one more response) adds only that one.
    a.write_text(
        a.read_text(encoding="utf-8") + "3,4/3/2024 9:00,4/3/2024 9:05,anonymous,,Child care\n",
        encoding="utf-8",
    )
    again = import_file(store, session, a, settings=SETTINGS)
    assert (again.added, again.responses_already_present) == (1, 2)


def test_no_column_error_suggests_the_typed_question_not_the_consent_box(
    store: Store, session: SessionRecord, tmp_path: Path
) -> None:
    f = tmp_path / "form.csv"
    f.write_text(
        "Timestamp,Do you agree to take part?,Your idea\n"
        "2024/03/14 6:05:12 PM GMT-4,Yes,Buses at night\n"
        "2024/03/14 6:06:12 PM GMT-4,Yes,More trees\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFormatError, match=r'\{"Your idea": "vision"\}'):
        import_file(store, session, f, settings=SETTINGS)


@pytest.mark.parametrize(
    ("name", "delimiter", "encoding", "bom"),
    [
        ("qualtrics_visioning.csv", "\t", "utf-16-le", b"\xff\xfe"),  # Qualtrics TSV download
        ("surveygizmo_visioning.csv", ";", "cp1252", b""),  # Excel "CSV" in a comma-decimal locale
        ("typeform_visioning.csv", ",", "utf-8", b"\xef\xbb\xbf"),  # re-saved as CSV UTF-8
    ],
)
def test_resaved_copies_import_the_same(
    store: Store, session: SessionRecord, name: str, delimiter: str, encoding: str, bom: bytes
) -> None:
    original = import_file(store, session, DATA / name, settings=SETTINGS)
    with (DATA / name).open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    data = bom + buf.getvalue().encode(encoding, "replace")
    saved_as = name.replace(".csv", ".txt") if delimiter == "\t" else name
    copy = import_bytes(store, session, data, saved_as, settings=SETTINGS)
    assert copy.format == original.format
    assert copy.added == 0 and copy.responses_already_present == original.responses_found


def test_demo_pre_survey_imports_by_its_plan(store: Store, session: SessionRecord) -> None:
    from pbp_facilitate.importers.demo_seed import seed_demo_import

    first = seed_demo_import(store, session)
    assert first.format == "google-forms" and first.added == 17
    assert [w["family"] for w in first.withheld] == ["email"]
    assert first.demographics["columns"] == {"Which neighbourhood do you live in?": "neighbourhood"}
    assert seed_demo_import(store, session).added == 0
