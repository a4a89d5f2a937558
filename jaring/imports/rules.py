"""How a village list becomes worker rows: forgiving header matching, the date formats offices write, and
the validation of one row into accepted, accepted with warnings, or rejected. Pure: no Django."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Container, Sequence
from dataclasses import dataclass, field

from jaring.registry import rules as reg
from jaring.registry.rules import ERROR, WARNING, Problem

# ------------------------------------------------------------------------------------------ headers

FIELDS = (
    "nik", "full_name", "sex", "birth_place", "birth_date", "birth_place_date", "mother_name", "address",
    "village_code", "phone", "occupation", "ecosystem", "sector", "income", "poverty_decile",
)  # fmt: skip

# The template's headers (Indonesian), in order; the first name of each field is what the template writes.
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "nik": ("NIK", "No KTP", "Nomor KTP", "No NIK", "NIK KTP", "Nomor Induk Kependudukan", "No Induk Kependudukan"),
    "full_name": ("Nama Lengkap", "Nama", "Nama Peserta", "Nama Pekerja", "Nama Sesuai KTP", "Nama Tenaga Kerja"),
    "sex": ("Jenis Kelamin", "JK", "L/P", "Kelamin", "Gender", "Sex"),
    "birth_place": ("Tempat Lahir", "Tmp Lahir", "Tpt Lahir"),
    "birth_date": ("Tanggal Lahir", "Tgl Lahir", "Tgl Lhr", "Tanggal Lhr", "Date of Birth"),
    "birth_place_date": ("Tempat Tanggal Lahir", "TTL", "Tempat/Tgl Lahir", "Tempat, Tanggal Lahir",
                         "Tempat/Tanggal Lahir"),
    "mother_name": ("Nama Ibu Kandung", "Ibu Kandung", "Nama Ibu"),
    "address": ("Alamat", "Alamat Lengkap", "Alamat Domisili", "Alamat Rumah"),
    "village_code": ("Kode Desa", "Kode Wilayah", "Kode Kelurahan", "Kode Desa/Kelurahan", "Kd Desa",
                     "Kode Kemendagri"),
    "phone": ("No HP", "Nomor HP", "No Telp", "No Telepon", "Telepon", "HP", "No Handphone", "No WA",
              "Nomor Telepon", "Nomor WA", "Handphone"),
    "occupation": ("Pekerjaan", "Jenis Pekerjaan", "Profesi", "Jabatan"),
    "ecosystem": ("Ekosistem",),
    "sector": ("Sektor", "Sektor Usaha"),
    "income": ("Penghasilan", "Penghasilan per Bulan", "Upah", "Pendapatan", "Penghasilan Sebulan"),
    "poverty_decile": ("Desil", "Desil Kesejahteraan", "Desil DTSEN", "Desil DTKS"),
}  # fmt: skip

TEMPLATE_FIELDS = (
    "nik", "full_name", "sex", "birth_place", "birth_date", "mother_name", "address", "village_code",
    "phone", "occupation", "ecosystem", "sector", "income", "poverty_decile",
)  # fmt: skip


def header_key(text: object) -> str:
    """Case, spacing, punctuation, bracketed hints ("Tanggal Lahir (dd-mm-yyyy)") and required marks vanish."""
    s = str(text or "").lower()
    s = re.sub(r"\(.*?\)|\[.*?\]", " ", s)
    s = s.replace(".", " ").replace(",", " ").replace(":", " ").replace("*", " ").replace("_", " ")
    s = re.sub(r"\s*/\s*", "/", s)
    return " ".join(s.split())


_HEADER_INDEX = {header_key(name): f for f, names in HEADER_NAMES.items() for name in names}


def header_field(text: object) -> str | None:
    return _HEADER_INDEX.get(header_key(text))


@dataclass(frozen=True)
class HeaderMatch:
    row_index: int  # 0-based index of the header row in the sheet
    columns: dict[str, int]  # field -> 0-based column
    labels: dict[str, str]  # field -> header as written in the file
    ignored: list[str] = field(default_factory=list)

    def label(self, field_name: str) -> str:
        return self.labels.get(field_name, field_name)


def header_find(rows: Sequence[Sequence[object]], *, max_scan: int = 20) -> HeaderMatch | None:
    """The header is the row among the first `max_scan` that names the most known fields, with a name."""
    best: HeaderMatch | None = None
    for i, row in enumerate(rows[:max_scan]):
        columns: dict[str, int] = {}
        labels: dict[str, str] = {}
        ignored: list[str] = []
        for j, cell in enumerate(row):
            f = header_field(cell)
            if f and f not in columns:
                columns[f] = j
                labels[f] = str(cell).strip()
            elif str(cell or "").strip():
                ignored.append(str(cell).strip())
        if (
            "full_name" in columns
            and len(columns) >= 2
            and (best is None or len(columns) > len(best.columns))
        ):
            best = HeaderMatch(i, columns, labels, ignored)
    return best


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
    s = "".join(ch for ch in raw if ch.isdigit() or ch == ".")
    digits = s.replace(".", "")
    if len(digits) == 10:
        return f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:]}"
    return s


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def row_validate(cells: dict[str, object], ctx: RowContext) -> RowResult:
    """Validate one row (cells by field; a cell is text, a number, a date or None)."""
    issues: list[RowIssue] = []

    def add(fld: str, problem: Problem) -> None:
        issues.append(RowIssue(fld, problem.code, problem.message, problem.severity))

    def err(fld: str, code: str, message: str) -> None:
        issues.append(RowIssue(fld, code, message, ERROR))

    def warn(fld: str, code: str, message: str) -> None:
        issues.append(RowIssue(fld, code, message, WARNING))

    values: dict[str, object] = {}

    full_name = reg.name_clean(_text(cells.get("full_name")))
    if not full_name:
        err("full_name", "NAME_MISSING", "Nama lengkap wajib diisi.")
    elif len(full_name) > 150:
        err("full_name", "NAME_TOO_LONG", "Nama lengkap paling panjang 150 huruf.")
    values["full_name"] = full_name

    birth_place = _text(cells.get("birth_place"))
    birth_raw: object = cells.get("birth_date")
    combined = _text(cells.get("birth_place_date"))
    if combined and birth_raw in (None, ""):
        place, _, when = combined.rpartition(",")
        birth_place = birth_place or place.strip()
        birth_raw = when.strip() or combined
    values["birth_place"] = birth_place[:100]
    birth_date, date_problem = date_parse(birth_raw, today=ctx.today)
    if date_problem:
        add("birth_date", date_problem)
    elif birth_date and birth_date > ctx.today:
        err("birth_date", "DATE_IN_FUTURE", f"Tanggal lahir {birth_date:%d-%m-%Y} ada di masa depan.")
        birth_date = None

    sex_raw = _text(cells.get("sex"))
    sex = reg.sex_parse(sex_raw) if sex_raw else None
    if sex_raw and sex is None:
        err(
            "sex",
            "SEX_INVALID",
            f"Jenis kelamin '{sex_raw}' tidak dikenal: isi L (laki-laki) atau P (perempuan).",
        )

    nik_cell = cells.get("nik")
    nik: str | None = None
    if isinstance(nik_cell, float | int) and not isinstance(nik_cell, bool):
        err("nik", "NIK_NUMERIC_CELL", NIK_NUMBER_MESSAGE)
    else:
        nik_raw = _text(nik_cell)
        if _SCIENTIFIC.match(nik_raw):
            err("nik", "NIK_NUMERIC_CELL", NIK_NUMBER_MESSAGE)
        elif not nik_raw or nik_raw in ("-", "0"):
            warn("nik", "NIK_MISSING", "NIK kosong: peserta dicatat tanpa NIK dan harus dilengkapi.")
        else:
            check = reg.nik_check(
                nik_raw, today=ctx.today, known_prefixes=ctx.known_prefixes, birth_date=birth_date, sex=sex
            )
            for p in check.problems:
                add("nik", p)
            if check.facts is not None:
                nik = check.nik
                if birth_date is None and not date_problem:
                    birth_date = check.facts.birth_date
                    warn("birth_date", "BIRTH_DATE_FROM_NIK", "Tanggal lahir kosong: diambil dari NIK.")
                if sex is None and not sex_raw:
                    sex = check.facts.sex
    values["nik"] = nik
    if sex is None and not sex_raw:
        err("sex", "SEX_MISSING", "Jenis kelamin wajib diisi (L atau P) bila NIK tidak ada.")
    values["sex"] = sex or ""

    if birth_date is None and not date_problem and not any(i.field == "birth_date" for i in issues):
        err("birth_date", "BIRTH_DATE_MISSING", f"Tanggal lahir wajib diisi bila NIK tidak ada. {DATE_HINT}")
    if birth_date is not None:
        age_problem = reg.registration_age_problem(
            birth_date, today=ctx.today, minimum=ctx.age_min, maximum=ctx.age_max
        )
        if age_problem:
            add("birth_date", age_problem)
    values["birth_date"] = birth_date

    values["mother_name"] = reg.name_clean(_text(cells.get("mother_name")))[:150]
    values["address"] = " ".join(_text(cells.get("address")).split())[:255]

    village_raw = _text(cells.get("village_code"))
    village = village_code_normalise(village_raw) if village_raw else ctx.default_village
    if not village:
        err("village_code", "VILLAGE_MISSING", "Kode desa/kelurahan wajib diisi (contoh 36.03.01.2003).")
    elif village not in ctx.village_codes:
        err(
            "village_code",
            "VILLAGE_UNKNOWN",
            f"Kode desa '{village_raw or village}' tidak ada di kode wilayah Kemendagri 2025 "
            "(format PP.KK.CC.DDDD, contoh 36.03.01.2003).",
        )
    values["village_code"] = village

    phone_raw = _text(cells.get("phone"))
    phone = reg.phone_parse(phone_raw) if phone_raw else None
    if phone_raw and phone is None:
        warn(
            "phone",
            "PHONE_INVALID",
            f"Nomor HP '{phone_raw}' tidak dikenali (contoh 081234567890); tidak disimpan.",
        )
    values["phone"] = phone or ""

    occ_raw = _text(cells.get("occupation"))
    occupation = reg.occupation_parse(occ_raw) if occ_raw else None
    values["occupation_text"] = ""
    if occupation is None:
        occupation = reg.OCCUPATION_BY_CODE["lainnya"]
        if occ_raw:
            warn(
                "occupation",
                "OCCUPATION_UNKNOWN",
                f"Pekerjaan '{occ_raw}' tidak ada di daftar: dicatat sebagai Lainnya.",
            )
            values["occupation_text"] = occ_raw[:100]
        else:
            warn("occupation", "OCCUPATION_MISSING", "Pekerjaan kosong: dicatat sebagai Lainnya.")
    values["occupation"] = occupation.code

    eco_raw = _text(cells.get("ecosystem"))
    ecosystem = reg.ecosystem_parse(eco_raw) if eco_raw else occupation.ecosystem
    if ecosystem is None:
        warn(
            "ecosystem",
            "ECOSYSTEM_UNKNOWN",
            f"Ekosistem '{eco_raw}' tidak dikenal (Desa, Pasar, UMKM, Rentan): diambil dari pekerjaan.",
        )
        ecosystem = occupation.ecosystem
    values["ecosystem"] = ecosystem.value

    sector_raw = _text(cells.get("sector"))
    sector = reg.sector_parse(sector_raw) if sector_raw else occupation.sector
    if sector is None:
        err(
            "sector", "SECTOR_INVALID", f"Sektor '{sector_raw}' tidak dikenal: isi Transportasi atau Lainnya."
        )
        sector = occupation.sector
    values["sector"] = sector.value

    income_raw = _text(cells.get("income"))
    income = reg.rupiah_parse(income_raw) if income_raw else ctx.default_income
    if income is None:
        err("income", "INCOME_INVALID", f"Penghasilan '{income_raw}' bukan angka rupiah (contoh 1000000).")
    else:
        income_problem = reg.income_problem(income, minimum=ctx.income_min, maximum=ctx.income_max)
        if income_problem:
            add("income", income_problem)
    values["income_tier"] = income if income is not None else ctx.default_income

    decile_raw = _text(cells.get("poverty_decile"))
    decile = int(decile_raw) if decile_raw.isdigit() else None
    if decile_raw and (decile is None or not 1 <= decile <= 10):
        warn("poverty_decile", "DECILE_INVALID", f"Desil '{decile_raw}' harus 1 sampai 10; tidak disimpan.")
        decile = None
    values["poverty_decile"] = decile
    return RowResult(values, issues)
