"""Intake rules: forgiving headers and dates, and the verdict on one row (domain rules section 4 for NIK)."""

import datetime as dt
import io
import zipfile

import pytest

from jaring.imports import rules
from jaring.imports.exports import template_xlsx
from jaring.imports.rules import header_field
from jaring.registry.factories import VILLAGE, nik_for, worker_cells
from jaring.registry.rules import rows as record

TODAY = dt.date(2026, 11, 21)
CTX = record.RowContext(
    today=TODAY,
    known_prefixes=frozenset({"3603", "360301"}),
    village_codes=frozenset({VILLAGE, "36.03.01.2005"}),
)


@pytest.mark.parametrize(
    ("header", "field"),
    [("NIK", "nik"), ("No KTP", "nik"), ("no. ktp", "nik"), ("NOMOR INDUK KEPENDUDUKAN", "nik"), ("NIK*", "nik"),
     ("Nama Lengkap", "full_name"), ("  nama   lengkap ", "full_name"), ("NAMA", "full_name"),
     ("Tgl. Lahir", "birth_date"), ("Tanggal Lahir (dd-mm-yyyy)", "birth_date"), ("TTL", "birth_place_date"),
     ("Tempat/Tgl Lahir", "birth_place_date"), ("L/P", "sex"), ("Jenis_Kelamin", "sex"), ("No. HP", "phone"),
     ("Kode Desa/Kelurahan", "village_code"), ("Nama Ibu Kandung", "mother_name"), ("Desil", "poverty_decile"),
     ("Keterangan", None), ("", None), (None, None)],
)  # fmt: skip
def test_header_matching_is_forgiving(header: object, field: str | None) -> None:
    assert rules.header_field(header) == field


def test_header_row_is_found_below_title_rows() -> None:
    rows = [
        ["DAFTAR PEKERJA RENTAN DESA CANGKUDU"],
        [""],
        ["No", "No KTP", "Nama Lengkap", "Keterangan"],
        ["1", "x", "y"],
    ]
    match = rules.header_find(rows)
    assert match is not None
    assert match.row_index == 2
    assert match.columns == {"nik": 1, "full_name": 2}
    assert match.labels["nik"] == "No KTP"
    assert match.ignored == ["No", "Keterangan"]


def test_no_header_without_a_name_column() -> None:
    assert rules.header_find([["NIK", "Tanggal Lahir"], ["1", "2"]]) is None
    assert rules.header_find([["a", "b"], ["c", "d"]]) is None


@pytest.mark.parametrize(
    ("value", "expected", "code"),
    [
        ("17-08-1980", dt.date(1980, 8, 17), None),
        ("17/08/1980", dt.date(1980, 8, 17), None),
        ("7.8.1980", dt.date(1980, 8, 7), None),
        ("1980-08-17", dt.date(1980, 8, 17), None),
        ("1 Januari 1980", dt.date(1980, 1, 1), None),
        ("17 agustus 1945", dt.date(1945, 8, 17), None),
        ("5 Nop 1990", dt.date(1990, 11, 5), None),
        ("17-Aug-1980", dt.date(1980, 8, 17), None),
        ("17-08-80", dt.date(1980, 8, 17), None),
        ("29450", dt.date(1980, 8, 17), None),  # an Excel serial number written out as text
        (29450.0, dt.date(1980, 8, 17), None),  # an Excel date cell without a date format
        (dt.datetime(1980, 8, 17, 0, 0), dt.date(1980, 8, 17), None),  # a real date cell
        (dt.date(1980, 8, 17), dt.date(1980, 8, 17), None),
        ("08-17-1980", None, "DATE_DAY_MONTH_SWAPPED"),  # month 17: day and month swapped
        ("31-02-1980", None, "DATE_INVALID"),
        ("12-45-1980", None, "DATE_INVALID"),
        ("kemarin", None, "DATE_UNREADABLE"),
        ("", None, None),
        (None, None, None),
    ],
)
def test_dates_as_offices_write_them(value: object, expected: dt.date | None, code: str | None) -> None:
    parsed, problem = record.date_parse(value, today=TODAY)
    assert parsed == expected
    assert (problem.code if problem else None) == code


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("36.03.01.2003", "36.03.01.2003"),
        ("3603012003", "36.03.01.2003"),
        (" 36.03.01.2003 ", "36.03.01.2003"),
    ],
)
def test_village_codes_dotted_or_digits(raw: str, code: str) -> None:
    assert record.village_code_normalise(raw) == code


def codes(result: record.RowResult) -> list[str]:
    return [i.code for i in result.issues]


def test_a_clean_row_is_accepted() -> None:
    result = record.row_validate(worker_cells(), CTX)
    assert result.status == "accepted", result.issues
    assert result.values["birth_date"] == dt.date(1985, 4, 12)
    assert result.values["occupation"] == "petani"
    assert result.values["sector"] == "other"
    assert result.values["ecosystem"] == "rentan"
    assert result.values["income_tier"] == 1_000_000


@pytest.mark.parametrize(
    ("overrides", "expected_codes", "status"),
    [
        ({"nik": 3603011204850000.0}, ["NIK_NUMERIC_CELL"], "rejected"),  # Excel turned the NIK into a number
        ({"nik": "3.60301E+15"}, ["NIK_NUMERIC_CELL"], "rejected"),  # ... and saved it to CSV that way
        ({"nik": ""}, ["NIK_MISSING"], "warning"),
        ({"nik": "-"}, ["NIK_MISSING"], "warning"),
        ({"nik": "12345"}, ["NIK_LENGTH"], "rejected"),
        ({"nik": nik_for(serial=9999)[:12] + "0000"}, ["NIK_SERIAL_ZERO"], "rejected"),
        ({"birth_date": "12-04-1986"}, ["NIK_BIRTHDATE_MISMATCH"], "warning"),
        ({"birth_date": "04-25-1985"}, ["DATE_DAY_MONTH_SWAPPED"], "rejected"),
        ({"birth_date": ""}, ["BIRTH_DATE_FROM_NIK"], "warning"),
        ({"nik": "", "birth_date": ""}, ["NIK_MISSING", "BIRTH_DATE_MISSING"], "rejected"),
        ({"sex": "P", "nik": nik_for(sex="L")}, ["NIK_SEX_MISMATCH"], "warning"),
        ({"sex": "X"}, ["SEX_INVALID"], "rejected"),
        ({"sex": ""}, [], "accepted"),  # taken from the NIK
        ({"nik": "", "sex": ""}, ["SEX_MISSING", "NIK_MISSING"], "rejected"),
        ({"full_name": "  "}, ["NAME_MISSING"], "rejected"),
        ({"village_code": "36.03.01.9999"}, ["VILLAGE_UNKNOWN"], "rejected"),
        ({"village_code": ""}, ["VILLAGE_MISSING"], "rejected"),
        ({"phone": "0812"}, ["PHONE_INVALID"], "warning"),
        ({"occupation": "Astronot"}, ["OCCUPATION_UNKNOWN"], "warning"),
        ({"occupation": ""}, ["OCCUPATION_MISSING"], "warning"),
        ({"income": "500000"}, ["INCOME_OUT_OF_RANGE"], "rejected"),
        ({"income": "sejuta"}, ["INCOME_INVALID"], "rejected"),
        ({"poverty_decile": "11"}, ["DECILE_INVALID"], "warning"),
        ({"sector": "Pesawat"}, ["SECTOR_INVALID"], "rejected"),
        ({"ecosystem": "Kota"}, ["ECOSYSTEM_UNKNOWN"], "warning"),
    ],
)
def test_row_verdicts(overrides: dict[str, object], expected_codes: list[str], status: str) -> None:
    result = record.row_validate(worker_cells(**overrides), CTX)
    assert sorted(codes(result)) == sorted(expected_codes)
    assert result.status == status


def test_age_window_at_registration() -> None:
    old = dt.date(1950, 1, 1)
    result = record.row_validate(worker_cells(birth=old, nik=nik_for(birth=old)), CTX)
    assert codes(result) == ["AGE_OUT_OF_RANGE"]
    young = dt.date(2010, 1, 1)
    assert codes(record.row_validate(worker_cells(birth=young, nik=nik_for(birth=young)), CTX)) == [
        "AGE_OUT_OF_RANGE"
    ]


def test_combined_place_and_date_column() -> None:
    cells = worker_cells(birth_place="", birth_date=None, birth_place_date="Tangerang, 12-04-1985")
    result = record.row_validate(cells, CTX)
    assert result.status == "accepted", result.issues
    assert result.values["birth_place"] == "Tangerang"
    assert result.values["birth_date"] == dt.date(1985, 4, 12)


def test_transport_occupation_sets_the_pp_50_2025_sector() -> None:
    result = record.row_validate(worker_cells(occupation="Ojol"), CTX)
    assert result.values["sector"] == "transport"


def test_default_village_fills_rows_without_a_code() -> None:
    ctx = record.RowContext(
        today=TODAY,
        known_prefixes=CTX.known_prefixes,
        village_codes=CTX.village_codes,
        default_village=VILLAGE,
    )
    assert record.row_validate(worker_cells(village_code=""), ctx).values["village_code"] == VILLAGE


def test_the_template_has_indonesian_headers_and_excel_data_validation() -> None:
    with zipfile.ZipFile(io.BytesIO(template_xlsx())) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        strings = z.read("xl/sharedStrings.xml").decode()
    assert sheet.count("<dataValidation ") >= 8  # NIK length, L/P, date, occupation list, sector, income, ...
    assert 'type="textLength"' in sheet and 'type="list"' in sheet and 'type="date"' in sheet
    for header in ("NIK", "Nama Lengkap", "Tanggal Lahir", "Nama Ibu Kandung", "Kode Desa", "Pekerjaan"):
        assert f">{header}<" in strings
    header_fields = [header_field(h) for h in (rules.HEADER_NAMES[f][0] for f in record.TEMPLATE_FIELDS)]
    assert header_fields == list(record.TEMPLATE_FIELDS)  # the template reads back as itself


@pytest.mark.parametrize(
    ("field", "value", "code"), [("poverty_decile", "²", "DECILE_INVALID"), ("income", "²", "INCOME_INVALID")]
)
def test_unicode_digits_are_refused_not_crashed_on(field: str, value: str, code: str) -> None:
    # "²".isdigit() is True but int("²") fails: found by Hypothesis.
    assert code in codes(record.row_validate(worker_cells(**{field: value}), CTX))
