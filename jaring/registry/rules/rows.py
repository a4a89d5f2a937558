"""A worker record from the cells of a list row or a form: the date formats offices write, and the validation
of one record into accepted, accepted with warnings, or rejected, each problem with its field, code and
message. The registry's rule for a worker record, used by every path that registers one (list intake, form,
API, agent). Pure: no Django."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Container
from dataclasses import dataclass

from jaring.core.types import whole_number
from jaring.registry import rules as reg
from jaring.registry.rules import ERROR, WARNING, Problem

# The cells a record may carry (a list's columns, a form's fields).
FIELDS = (
    "nik", "full_name", "sex", "birth_place", "birth_date", "birth_place_date", "mother_name", "address",
    "village_code", "phone", "occupation", "ecosystem", "sector", "income", "poverty_decile",
)  # fmt: skip

# What RowValidator produces for a row: the worker's values, normalised.
VALUE_FIELDS = (
    "nik", "full_name", "sex", "birth_place", "birth_date", "mother_name", "address", "village_code", "phone",
    "occupation", "occupation_text", "ecosystem", "sector", "income_tier", "poverty_decile",
)  # fmt: skip

# The columns of the list template, in order.
TEMPLATE_FIELDS = (
    "nik", "full_name", "sex", "birth_place", "birth_date", "mother_name", "address", "village_code",
    "phone", "occupation", "ecosystem", "sector", "income", "poverty_decile",
)  # fmt: skip


# ------------------------------------------------------------------------------------------ dates

MONTHS = {
    "januari": 1, "jan": 1, "january": 1, "februari": 2, "feb": 2, "pebruari": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "jun": 6,
    "june": 6, "juli": 7, "jul": 7, "july": 7, "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8,
    "august": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11, "nopember": 11, "nop": 11, "peb": 2, "desember": 12, "des": 12, "dec": 12, "december": 12,
}  # fmt: skip

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_NUMERIC = re.compile(r"^(\d{1,3}|\d{2,})(\.\d+)?$")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$")
_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$")
_TEXT = re.compile(r"^(\d{1,2})[\s-]+([a-z]+)[\s-]+(\d{4})$")

DATE_HINT = "Tulis tanggal sebagai dd-mm-yyyy, misalnya 17-08-1980."


def _two_digit_year(yy: int, today: dt.date) -> int:
    return 2000 + yy if 2000 + yy <= today.year else 1900 + yy


def _make(y: int, m: int, d: int, raw: str) -> tuple[dt.date | None, Problem | None]:
    if not 1 <= m <= 12:
        if 1 <= d <= 12 and 1 <= m <= 31:
            msg = f"'{raw}': bulan {m} tidak ada; tanggal dan bulan tampaknya tertukar. {DATE_HINT}"
            return None, Problem("DATE_DAY_MONTH_SWAPPED", msg)
        return None, Problem("DATE_INVALID", f"'{raw}': bulan {m} tidak ada. {DATE_HINT}")
    try:
        return dt.date(y, m, d), None
    except ValueError:
        return None, Problem("DATE_INVALID", f"'{raw}' bukan tanggal yang ada. {DATE_HINT}")


def date_parse(value: object, *, today: dt.date) -> tuple[dt.date | None, Problem | None]:
    """Dates as offices write them: dd-mm-yyyy, dd/mm/yyyy, yyyy-mm-dd, Excel serial numbers, date cells and
    "1 Januari 1980". Returns (date, None), (None, problem) or (None, None) for an empty cell."""
    if value is None:
        return None, None
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(float(value), str(value))
    raw = str(value).strip()
    if not raw:
        return None, None
    low = raw.lower()
    if _NUMERIC.match(low):
        return _serial(float(low), raw)
    m = _DMY.match(low)
    if m:
        d, mo, y = int(m[1]), int(m[2]), m[3]
        return _make(_two_digit_year(int(y), today) if len(y) == 2 else int(y), mo, d, raw)
    m = _YMD.match(low)
    if m:
        return _make(int(m[1]), int(m[2]), int(m[3]), raw)
    m = _TEXT.match(low.replace(",", " "))
    if m and m[2] in MONTHS:
        return _make(int(m[3]), MONTHS[m[2]], int(m[1]), raw)
    return None, Problem("DATE_UNREADABLE", f"'{raw}' tidak terbaca sebagai tanggal. {DATE_HINT}")


def _serial(number: float, raw: str) -> tuple[dt.date | None, Problem | None]:
    # Excel's day numbers: 1 = 1900-01-01 (with its fictitious 29 Feb 1900, hence the 1899-12-30 epoch).
    if 1 <= number < 2958466:
        return _EXCEL_EPOCH + dt.timedelta(days=int(number)), None
    return None, Problem("DATE_UNREADABLE", f"'{raw}' tidak terbaca sebagai tanggal. {DATE_HINT}")


# ----------------------------------------------------------------------------------------- a row


@dataclass(frozen=True)
class RowContext:
    today: dt.date
    known_prefixes: Collection[str]
    village_codes: Container[str]
    default_village: str = ""
    age_min: int = 18
    age_max: int = 65
    income_min: int = 1_000_000
    income_max: int = 20_700_000
    default_income: int = 1_000_000


@dataclass
class RowIssue:
    field: str
    code: str
    message: str
    severity: str


@dataclass
class RowResult:
    values: dict[str, object]
    issues: list[RowIssue]

    @property
    def rejected(self) -> bool:
        return any(i.severity == ERROR for i in self.issues)

    @property
    def status(self) -> str:
        if self.rejected:
            return "rejected"
        return "warning" if self.issues else "accepted"


NIK_NUMBER_MESSAGE = (
    "NIK tersimpan sebagai angka, bukan teks: Excel membulatkan angka 16 digit sehingga digit terakhir "
    "berubah menjadi 0. Format kolom NIK sebagai Teks, ketik ulang NIK, lalu unggah kembali."
)
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?e\+?\d+$", re.IGNORECASE)


def village_code_normalise(raw: str) -> str:
    """ "36.03.01.2003" and "3603012003" both name Desa Cangkudu."""
    s = "".join(ch for ch in raw if ch in "0123456789.")
    digits = s.replace(".", "")
    if len(digits) == 10:
        return f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:]}"
    return s


def _text(value: object) -> str:
    if value.__class__ is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_Issue = tuple[str, str, str, str]  # field, code, message, severity


class RowValidator:
    """Validates rows against one context. Fields with few distinct values (dates, villages, occupations,
    income, ...) are parsed once per distinct value: a million-row list has a few thousand of each."""

    def __init__(self, ctx: RowContext) -> None:
        self.ctx = ctx
        self._dates: dict[object, tuple[dt.date | None, Problem | None]] = {}
        self._sex: dict[str, str | None] = {}
        self._village: dict[str, tuple[str, _Issue | None]] = {}
        self._occupation: dict[str, tuple[reg.Occupation, str, _Issue | None]] = {}
        self._ecosystem: dict[tuple[str, str], tuple[str, _Issue | None]] = {}
        self._sector: dict[tuple[str, str], tuple[str, _Issue | None]] = {}
        self._income: dict[str, tuple[int, _Issue | None]] = {}
        self._decile: dict[str, tuple[int | None, _Issue | None]] = {}

    def _date(self, value: object) -> tuple[dt.date | None, Problem | None]:
        key = value if isinstance(value, str | int | float | dt.date) else repr(value)
        hit = self._dates.get(key)
        if hit is None:
            hit = self._dates[key] = date_parse(value, today=self.ctx.today)
        return hit

    def _village_of(self, raw: str) -> tuple[str, _Issue | None]:
        hit = self._village.get(raw)
        if hit is None:
            village = village_code_normalise(raw) if raw else self.ctx.default_village
            issue: _Issue | None = None
            if not village:
                issue = (
                    "village_code",
                    "VILLAGE_MISSING",
                    "Kode desa/kelurahan wajib diisi (contoh 36.03.01.2003).",
                    ERROR,
                )
            elif village not in self.ctx.village_codes:
                issue = ("village_code", "VILLAGE_UNKNOWN", f"Kode desa '{raw or village}' tidak ada di kode wilayah "
                         "Kemendagri 2025 (format PP.KK.CC.DDDD, contoh 36.03.01.2003).", ERROR)  # fmt: skip
            hit = self._village[raw] = (village, issue)
        return hit

    def _occupation_of(self, raw: str) -> tuple[reg.Occupation, str, _Issue | None]:
        hit = self._occupation.get(raw)
        if hit is None:
            occupation = reg.occupation_parse(raw) if raw else None
            if occupation is not None:
                hit = (occupation, "", None)
            elif raw:
                msg = f"Pekerjaan '{raw}' tidak ada di daftar: dicatat sebagai Lainnya."
                hit = (
                    reg.OCCUPATION_BY_CODE["lainnya"],
                    raw[:100],
                    ("occupation", "OCCUPATION_UNKNOWN", msg, WARNING),
                )
            else:
                msg = "Pekerjaan kosong: dicatat sebagai Lainnya."
                hit = (
                    reg.OCCUPATION_BY_CODE["lainnya"],
                    "",
                    ("occupation", "OCCUPATION_MISSING", msg, WARNING),
                )
            self._occupation[raw] = hit
        return hit

    def _ecosystem_of(self, raw: str, occupation: reg.Occupation) -> tuple[str, _Issue | None]:
        key = (raw, occupation.code)
        hit = self._ecosystem.get(key)
        if hit is None:
            eco = reg.ecosystem_parse(raw) if raw else occupation.ecosystem
            issue: _Issue | None = None
            if eco is None:
                issue = ("ecosystem", "ECOSYSTEM_UNKNOWN", f"Ekosistem '{raw}' tidak dikenal (Desa, Pasar, UMKM, "
                         "Rentan): diambil dari pekerjaan.", WARNING)  # fmt: skip
                eco = occupation.ecosystem
            hit = self._ecosystem[key] = (eco.value, issue)
        return hit

    def _sector_of(self, raw: str, occupation: reg.Occupation) -> tuple[str, _Issue | None]:
        key = (raw, occupation.code)
        hit = self._sector.get(key)
        if hit is None:
            sector = reg.sector_parse(raw) if raw else occupation.sector
            issue: _Issue | None = None
            if sector is None:
                issue = (
                    "sector",
                    "SECTOR_INVALID",
                    f"Sektor '{raw}' tidak dikenal: isi Transportasi atau Lainnya.",
                    ERROR,
                )
                sector = occupation.sector
            hit = self._sector[key] = (sector.value, issue)
        return hit

    def _income_of(self, raw: str) -> tuple[int, _Issue | None]:
        hit = self._income.get(raw)
        if hit is None:
            ctx = self.ctx
            income = reg.rupiah_parse(raw) if raw else ctx.default_income
            issue: _Issue | None = None
            if income is None:
                issue = (
                    "income",
                    "INCOME_INVALID",
                    f"Penghasilan '{raw}' bukan angka rupiah (contoh 1000000).",
                    ERROR,
                )
                income = ctx.default_income
            else:
                problem = reg.income_problem(income, minimum=ctx.income_min, maximum=ctx.income_max)
                if problem:
                    issue = ("income", problem.code, problem.message, problem.severity)
            hit = self._income[raw] = (income, issue)
        return hit

    def _decile_of(self, raw: str) -> tuple[int | None, _Issue | None]:
        hit = self._decile.get(raw)
        if hit is None:
            decile = whole_number(raw)
            issue: _Issue | None = None
            if raw and (decile is None or not 1 <= decile <= 10):
                issue = (
                    "poverty_decile",
                    "DECILE_INVALID",
                    f"Desil '{raw}' harus 1 sampai 10; tidak disimpan.",
                    WARNING,
                )
                decile = None
            hit = self._decile[raw] = (decile, issue)
        return hit

    def validate(self, cells: dict[str, object]) -> RowResult:
        """Validate one row (cells by field; a cell is text, a number, a date or None)."""
        ctx = self.ctx
        issues: list[RowIssue] = []

        def add(fld: str, code: str, message: str, severity: str) -> None:
            issues.append(RowIssue(fld, code, message, severity))

        values: dict[str, object] = {}
        full_name = reg.name_clean(_text(cells.get("full_name")))
        if not full_name:
            add("full_name", "NAME_MISSING", "Nama lengkap wajib diisi.", ERROR)
        elif len(full_name) > 150:
            add("full_name", "NAME_TOO_LONG", "Nama lengkap paling panjang 150 huruf.", ERROR)
        values["full_name"] = full_name

        birth_place = _text(cells.get("birth_place"))
        birth_raw: object = cells.get("birth_date")
        combined = _text(cells.get("birth_place_date"))
        if combined and birth_raw in (None, ""):
            place, _, when = combined.rpartition(",")
            birth_place = birth_place or place.strip()
            birth_raw = when.strip() or combined
        values["birth_place"] = birth_place[:100]
        birth_date, date_problem = self._date(birth_raw)
        if date_problem:
            add("birth_date", date_problem.code, date_problem.message, date_problem.severity)
        elif birth_date and birth_date > ctx.today:
            add(
                "birth_date",
                "DATE_IN_FUTURE",
                f"Tanggal lahir {birth_date:%d-%m-%Y} ada di masa depan.",
                ERROR,
            )
            birth_date = None

        sex_raw = _text(cells.get("sex"))
        sex: str | None = None
        if sex_raw:
            if sex_raw not in self._sex:
                self._sex[sex_raw] = reg.sex_parse(sex_raw)
            sex = self._sex[sex_raw]
            if sex is None:
                add(
                    "sex",
                    "SEX_INVALID",
                    f"Jenis kelamin '{sex_raw}' tidak dikenal: isi L (laki-laki) atau P (perempuan).",
                    ERROR,
                )

        nik_cell = cells.get("nik")
        nik: str | None = None
        if isinstance(nik_cell, float | int) and not isinstance(nik_cell, bool):
            add("nik", "NIK_NUMERIC_CELL", NIK_NUMBER_MESSAGE, ERROR)
        else:
            nik_raw = _text(nik_cell)
            if _SCIENTIFIC.match(nik_raw):
                add("nik", "NIK_NUMERIC_CELL", NIK_NUMBER_MESSAGE, ERROR)
            elif not nik_raw or nik_raw in ("-", "0"):
                add(
                    "nik",
                    "NIK_MISSING",
                    "NIK kosong: peserta dicatat tanpa NIK dan harus dilengkapi.",
                    WARNING,
                )
            else:
                check = reg.nik_check(
                    nik_raw,
                    today=ctx.today,
                    known_prefixes=ctx.known_prefixes,
                    birth_date=birth_date,
                    sex=sex,
                )
                for p in check.problems:
                    add("nik", p.code, p.message, p.severity)
                if check.facts is not None:
                    nik = check.nik
                    if birth_date is None and not date_problem:
                        birth_date = check.facts.birth_date
                        add(
                            "birth_date",
                            "BIRTH_DATE_FROM_NIK",
                            "Tanggal lahir kosong: diambil dari NIK.",
                            WARNING,
                        )
                    if sex is None and not sex_raw:
                        sex = check.facts.sex
        values["nik"] = nik
        if sex is None and not sex_raw:
            add("sex", "SEX_MISSING", "Jenis kelamin wajib diisi (L atau P) bila NIK tidak ada.", ERROR)
        values["sex"] = sex or ""

        if birth_date is None and not date_problem and not any(i.field == "birth_date" for i in issues):
            add(
                "birth_date",
                "BIRTH_DATE_MISSING",
                f"Tanggal lahir wajib diisi bila NIK tidak ada. {DATE_HINT}",
                ERROR,
            )
        if birth_date is not None:
            age_problem = reg.registration_age_problem(
                birth_date, today=ctx.today, minimum=ctx.age_min, maximum=ctx.age_max
            )
            if age_problem:
                add("birth_date", age_problem.code, age_problem.message, age_problem.severity)
        values["birth_date"] = birth_date

        values["mother_name"] = reg.name_clean(_text(cells.get("mother_name")))[:150]
        values["address"] = " ".join(_text(cells.get("address")).split())[:255]

        village, village_issue = self._village_of(_text(cells.get("village_code")))
        if village_issue:
            add(*village_issue)
        values["village_code"] = village

        phone_raw = _text(cells.get("phone"))
        phone = reg.phone_parse(phone_raw) if phone_raw else None
        if phone_raw and phone is None:
            add(
                "phone",
                "PHONE_INVALID",
                f"Nomor HP '{phone_raw}' tidak dikenali (contoh 081234567890); tidak disimpan.",
                WARNING,
            )
        values["phone"] = phone or ""

        occupation, occupation_text, occupation_issue = self._occupation_of(_text(cells.get("occupation")))
        if occupation_issue:
            add(*occupation_issue)
        values["occupation"] = occupation.code
        values["occupation_text"] = occupation_text
        for fld, (value, issue) in (
            ("ecosystem", self._ecosystem_of(_text(cells.get("ecosystem")), occupation)),
            ("sector", self._sector_of(_text(cells.get("sector")), occupation)),
            ("income_tier", self._income_of(_text(cells.get("income")))),
            ("poverty_decile", self._decile_of(_text(cells.get("poverty_decile")))),
        ):
            values[fld] = value
            if issue:
                add(*issue)
        return RowResult(values, issues)


def row_validate(cells: dict[str, object], ctx: RowContext) -> RowResult:
    """Validate one row; for many rows make one RowValidator and call validate() on each."""
    return RowValidator(ctx).validate(cells)
