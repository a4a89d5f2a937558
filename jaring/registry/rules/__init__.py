"""Registry rules in the domain's words: the NIK (domain rules section 4, Dukcapil / PP 37/2007), the
registration age window, occupations and the small parsers every intake path shares. Pure: no Django."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from enum import StrEnum

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a value: a stable English code, a message in Indonesian, error or warning."""

    code: str
    message: str
    severity: str = ERROR


# ---------------------------------------------------------------------------------------------- NIK


@dataclass(frozen=True)
class NikFacts:
    """What a valid NIK encodes: `PP KK CC DDMMYY SSSS`."""

    nik: str
    province: str
    regency_digits: str  # PPKK
    district_digits: str  # PPKKCC
    birth_date: dt.date
    sex: str  # "L" or "P"
    serial: str


@dataclass(frozen=True)
class NikCheck:
    nik: str
    facts: NikFacts | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.severity == ERROR for p in self.problems)


_NIK_JUNK = re.compile(r"[\s.\-']")


def nik_clean(raw: str) -> str:
    """Remove what people type around a NIK: spaces, dots, dashes and Excel's text apostrophe."""
    return _NIK_JUNK.sub("", raw or "")


def nik_birth_year(yy: int, month: int, day: int, *, today: dt.date) -> int:
    """YY has no century: take the latest year that is not in the future (a NIK holder is born already)."""
    year = 2000 + yy
    try:
        if dt.date(year, month, day) > today:
            year -= 100
    except ValueError:
        if year > today.year:
            year -= 100
    return year


def nik_parse(raw: str, *, today: dt.date) -> NikCheck:
    """The hard rules: 16 digits, a real birth date (day + 40 for women), serial not 0000."""
    nik = nik_clean(raw)
    if not nik.isdigit() or not nik.isascii():
        return NikCheck(nik, None, [Problem("NIK_NOT_DIGITS", "NIK hanya boleh berisi angka.")])
    if len(nik) != 16:
        return NikCheck(
            nik, None, [Problem("NIK_LENGTH", f"NIK harus 16 digit, yang tertulis {len(nik)} digit.")]
        )
    dd, mm, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    problems: list[Problem] = []
    sex = "P" if dd > 40 else "L"
    day = dd - 40 if dd > 40 else dd
    birth: dt.date | None = None
    if 1 <= day <= 31 and 1 <= mm <= 12:
        year = nik_birth_year(yy, mm, day, today=today)
        try:
            birth = dt.date(year, mm, day)
        except ValueError:
            birth = None
    if birth is None:
        problems.append(
            Problem(
                "NIK_DATE_INVALID",
                f"Digit 7-12 NIK ({nik[6:12]}) bukan tanggal lahir yang ada "
                "(tanggal 01-31, untuk perempuan ditambah 40; bulan 01-12).",
            )
        )
    if nik[12:] == "0000":
        problems.append(Problem("NIK_SERIAL_ZERO", "Empat digit terakhir NIK tidak boleh 0000."))
    if problems or birth is None:
        return NikCheck(nik, None, problems)
    facts = NikFacts(nik, nik[:2], nik[:4], nik[:6], birth, sex, nik[12:])
    return NikCheck(nik, facts, [])


def nik_check(
    raw: str,
    *,
    today: dt.date,
    known_prefixes: Collection[str],
    birth_date: dt.date | None = None,
    sex: str | None = None,
) -> NikCheck:
    """Hard rules plus the warnings: unknown region prefix (checked against every code that has existed,
    2016-2025), and a birth date or sex on the record that differs from the NIK."""
    check = nik_parse(raw, today=today)
    facts = check.facts
    if facts is None:
        return check
    problems = list(check.problems)
    if facts.district_digits not in known_prefixes:
        where = "kabupaten/kota dikenal" if facts.regency_digits in known_prefixes else "tidak dikenal"
        problems.append(
            Problem(
                "NIK_PREFIX_UNKNOWN",
                f"Kode wilayah NIK {facts.district_digits} tidak ada di daftar kecamatan 2016-2025 ({where}); "
                "periksa kembali NIK.",
                WARNING,
            )
        )
    if birth_date is not None and birth_date != facts.birth_date:
        problems.append(
            Problem(
                "NIK_BIRTHDATE_MISMATCH",
                f"Tanggal lahir {birth_date:%d-%m-%Y} berbeda dengan tanggal di NIK "
                f"({facts.birth_date:%d-%m-%Y}).",
                WARNING,
            )
        )
    if sex in ("L", "P") and sex != facts.sex:
        problems.append(
            Problem(
                "NIK_SEX_MISMATCH",
                f"Jenis kelamin {sex} berbeda dengan NIK ({facts.sex}: tanggal NIK "
                f"{'ditambah 40' if facts.sex == 'P' else 'tanpa tambahan 40'}).",
                WARNING,
            )
        )
    return NikCheck(check.nik, facts, problems)


def nik_looks_excel_damaged(value: float) -> bool:
    """Excel keeps 15 significant digits: a 16-digit NIK typed as a number loses its last digit."""
    return value >= 1e15


# ------------------------------------------------------------------------------------------ age


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def registration_age_problem(birth: dt.date, *, today: dt.date, minimum: int, maximum: int) -> Problem | None:
    age = age_on(birth, today)
    if age < minimum or age > maximum:
        return Problem(
            "AGE_OUT_OF_RANGE",
            f"Umur {age} tahun di luar batas pendaftaran ({minimum}-{maximum} tahun).",
        )
    return None


# ------------------------------------------------------------------------------------------ sex


_SEX = {
    "l": "L", "lk": "L", "laki": "L", "laki-laki": "L", "laki laki": "L", "lakilaki": "L", "pria": "L",
    "m": "L", "male": "L", "1": "L",
    "p": "P", "pr": "P", "perempuan": "P", "wanita": "P", "f": "P", "female": "P", "w": "P", "2": "P",
}  # fmt: skip


def sex_parse(raw: str) -> str | None:
    return _SEX.get(" ".join((raw or "").lower().replace(".", "").split()))


# ------------------------------------------------------------------------------------- occupation


class Ecosystem(StrEnum):
    DESA = "desa"
    PASAR = "pasar"
    UMKM = "umkm"
    RENTAN = "rentan"


ECOSYSTEM_LABELS = {
    Ecosystem.DESA: "Desa",
    Ecosystem.PASAR: "Pasar",
    Ecosystem.UMKM: "UMKM / e-commerce",
    Ecosystem.RENTAN: "Pekerja rentan",
}
ECOSYSTEM_LABELS_EN = {
    Ecosystem.DESA: "Village",
    Ecosystem.PASAR: "Market",
    Ecosystem.UMKM: "Small business / e-commerce",
    Ecosystem.RENTAN: "Vulnerable workers",
}
OCCUPATION_LABELS_EN = {
    "petani": "Farmer", "pekebun": "Smallholder planter", "peternak": "Livestock farmer", "nelayan": "Fisher",
    "pembudidaya_ikan": "Fish farmer", "pedagang_kaki_lima": "Street vendor", "pedagang_pasar": "Market trader",
    "pemulung": "Waste picker", "ojek": "Motorcycle taxi driver (ojek / online)", "sopir": "Driver",
    "kurir": "Courier", "buruh_harian_lepas": "Casual day labourer", "tukang": "Builder / construction labourer",
    "marbot": "Mosque caretaker", "guru_ngaji": "Quran / religious teacher", "ketua_rt": "Neighbourhood head (RT)",
    "ketua_rw": "Community head (RW)", "perangkat_desa": "Village official", "anggota_bpd": "Village council member",
    "kader_desa": "Village volunteer (Posyandu, PKK)", "linmas": "Civil defence guard (Linmas)",
    "relawan_damkar": "Volunteer firefighter", "pelaku_umkm": "Small business owner", "penjahit": "Tailor",
    "pengrajin": "Craftsperson", "asisten_rumah_tangga": "Domestic worker", "lainnya": "Other",
}  # fmt: skip


class Sector(StrEnum):
    TRANSPORT = "transport"  # PP 50/2025: the longer discount window
    OTHER = "other"


SECTOR_LABELS = {Sector.TRANSPORT: "transportasi", Sector.OTHER: "bukan transportasi"}
SECTOR_LABELS_EN = {Sector.TRANSPORT: "transport", Sector.OTHER: "not transport"}


@dataclass(frozen=True)
class Occupation:
    code: str
    label: str
    ecosystem: Ecosystem
    sector: Sector
    synonyms: tuple[str, ...] = ()


# Every occupation named in the domain rules (section 1) and the seed documents, with the names lists use.
OCCUPATIONS: tuple[Occupation, ...] = (
    Occupation("petani", "Petani", Ecosystem.RENTAN, Sector.OTHER, ("tani", "petani/pekebun", "buruh tani")),
    Occupation("pekebun", "Pekebun", Ecosystem.RENTAN, Sector.OTHER, ("perkebunan", "petani kebun")),
    Occupation("peternak", "Peternak", Ecosystem.RENTAN, Sector.OTHER, ("ternak",)),
    Occupation("nelayan", "Nelayan", Ecosystem.RENTAN, Sector.OTHER, ("nelayan/perikanan", "buruh nelayan")),
    Occupation("pembudidaya_ikan", "Pembudidaya Ikan", Ecosystem.RENTAN, Sector.OTHER, ("petambak", "tambak")),
    Occupation("pedagang_kaki_lima", "Pedagang Kaki Lima", Ecosystem.RENTAN, Sector.OTHER, ("pkl", "asongan")),
    Occupation("pedagang_pasar", "Pedagang Pasar", Ecosystem.PASAR, Sector.OTHER, ("pedagang", "dagang")),
    Occupation("pemulung", "Pemulung", Ecosystem.RENTAN, Sector.OTHER, ("pengepul barang bekas",)),
    Occupation("ojek", "Pengemudi Ojek / Ojol", Ecosystem.RENTAN, Sector.TRANSPORT,
               ("ojek", "ojol", "ojek online", "tukang ojek", "pengemudi ojek", "driver ojol")),
    Occupation("sopir", "Sopir / Pengemudi", Ecosystem.RENTAN, Sector.TRANSPORT,
               ("supir", "pengemudi", "driver", "sopir angkot")),
    Occupation("kurir", "Kurir", Ecosystem.UMKM, Sector.TRANSPORT, ("kurir online", "ekspedisi")),
    Occupation("buruh_harian_lepas", "Buruh Harian Lepas", Ecosystem.RENTAN, Sector.OTHER,
               ("bhl", "buruh", "buruh lepas", "serabutan")),
    Occupation("tukang", "Tukang / Kuli Bangunan", Ecosystem.RENTAN, Sector.OTHER,
               ("tukang bangunan", "kuli bangunan", "kuli")),
    Occupation("marbot", "Marbot / Penjaga Masjid", Ecosystem.DESA, Sector.OTHER, ("penjaga masjid", "takmir")),
    Occupation("guru_ngaji", "Guru Ngaji / Guru Agama", Ecosystem.DESA, Sector.OTHER,
               ("ustadz", "ustad", "guru agama", "guru mengaji")),
    Occupation("ketua_rt", "Ketua RT", Ecosystem.DESA, Sector.OTHER, ("rt",)),
    Occupation("ketua_rw", "Ketua RW", Ecosystem.DESA, Sector.OTHER, ("rw",)),
    Occupation("perangkat_desa", "Perangkat Desa", Ecosystem.DESA, Sector.OTHER,
               ("aparat desa", "kepala dusun", "kadus", "sekretaris desa", "sekdes", "kaur", "kasi")),
    Occupation("anggota_bpd", "Anggota BPD", Ecosystem.DESA, Sector.OTHER,
               ("bpd", "badan permusyawaratan desa")),
    Occupation("kader_desa", "Kader Desa (Posyandu, PKK)", Ecosystem.DESA, Sector.OTHER,
               ("kader posyandu", "kader pkk", "kader")),
    Occupation("linmas", "Linmas / Hansip", Ecosystem.DESA, Sector.OTHER, ("hansip", "satlinmas")),
    Occupation("relawan_damkar", "Relawan Pemadam Kebakaran", Ecosystem.DESA, Sector.OTHER,
               ("damkar", "relawan damkar", "pemadam kebakaran")),
    Occupation("pelaku_umkm", "Pelaku UMKM", Ecosystem.UMKM, Sector.OTHER,
               ("umkm", "usaha mikro", "wirausaha", "wiraswasta", "pedagang online")),
    Occupation("penjahit", "Penjahit", Ecosystem.UMKM, Sector.OTHER, ()),
    Occupation("pengrajin", "Pengrajin", Ecosystem.UMKM, Sector.OTHER, ("perajin",)),
    Occupation("asisten_rumah_tangga", "Asisten Rumah Tangga", Ecosystem.RENTAN, Sector.OTHER,
               ("art", "pembantu rumah tangga", "prt")),
    Occupation("lainnya", "Lainnya", Ecosystem.RENTAN, Sector.OTHER, ()),
)  # fmt: skip

OCCUPATION_BY_CODE = {o.code: o for o in OCCUPATIONS}


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9/ ]", " ", (text or "").lower()).split())


_OCCUPATION_INDEX: dict[str, Occupation] = {}
for _o in OCCUPATIONS:
    for _name in (_o.code.replace("_", " "), _o.label, *_o.synonyms):
        _OCCUPATION_INDEX.setdefault(_key(_name), _o)


def occupation_parse(raw: str) -> Occupation | None:
    return _OCCUPATION_INDEX.get(_key(raw))


def ecosystem_parse(raw: str) -> Ecosystem | None:
    key = _key(raw)
    for eco, label in ECOSYSTEM_LABELS.items():
        if key in (eco.value, _key(label)):
            return eco
    return {
        "e commerce": Ecosystem.UMKM,
        "ecommerce": Ecosystem.UMKM,
        "pekerja rentan": Ecosystem.RENTAN,
    }.get(key)


def sector_parse(raw: str) -> Sector | None:
    key = _key(raw)
    if key in ("transport", "transportasi", "angkutan"):
        return Sector.TRANSPORT
    if key in ("other", "lainnya", "non transport", "bukan transportasi", "umum"):
        return Sector.OTHER
    return None


# ------------------------------------------------------------------------------------ contacts


def name_clean(raw: str) -> str:
    """Collapse spaces; lists typed in capitals are shown in title case. Spelling is left as written."""
    name = " ".join((raw or "").split())
    if name.isupper():
        name = " ".join(part.capitalize() if part.isalpha() else part.title() for part in name.split())
    return name


def name_key(name: str) -> str:
    """The search key of a name: lower case, letters, digits and single spaces."""
    return " ".join(re.sub(r"[^0-9a-z ]", " ", (name or "").lower()).split())


def phone_parse(raw: str) -> str | None:
    """An Indonesian mobile number as 08…, 10 to 13 digits; +62 / 62 prefixes are folded to 0."""
    digits = re.sub(r"\D", "", raw or "")
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    elif digits.startswith("8"):
        digits = "0" + digits
    if digits.startswith("08") and 10 <= len(digits) <= 13:
        return digits
    return None


def rupiah_parse(raw: str) -> int | None:
    """Whole rupiah from "Rp 1.000.000", "1,000,000", "1000000" or "1000000.0"."""
    text = (raw or "").strip().lower().replace("rp", "").replace(" ", "")
    if not text:
        return None
    if re.fullmatch(r"\d+\.0+", text):
        text = text.split(".")[0]
    text = text.replace(".", "").replace(",", "")
    return int(text) if text.isascii() and text.isdigit() else None


def income_problem(income: int, *, minimum: int, maximum: int) -> Problem | None:
    """Declared income, Lampiran II PP 44/2015: from Rp 1,000,000 to Rp 20,700,000 (domain rules section 2)."""
    if income < minimum or income > maximum:
        return Problem(
            "INCOME_OUT_OF_RANGE",
            f"Penghasilan Rp {income:,} di luar rentang Rp {minimum:,} - Rp {maximum:,}.".replace(",", "."),
        )
    return None


# ------------------------------------------------------------------------------------- card number


def luhn_digit(digits: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def kpj_number(sequence: int) -> str:
    """An 11-digit membership card number (KPJ): a 10-digit sequence and a Luhn check digit."""
    if not 0 < sequence < 10**10:
        raise ValueError("KPJ sequence out of range")
    body = f"{sequence:010d}"
    return body + luhn_digit(body)


def kpj_valid(kpj: str) -> bool:
    return len(kpj) == 11 and kpj.isascii() and kpj.isdigit() and luhn_digit(kpj[:10]) == kpj[10]


def kpj_sql(sequence: str) -> str:
    """`kpj_number` as one SQL expression over an integer expression `sequence`, the same text on SQLite and
    PostgreSQL (integer division and CASE; no `%`, which parameter styles read as a placeholder), so a list's
    cards are numbered inside one INSERT ... SELECT. A database test proves it equal to the rule."""

    def mod10(x: str) -> str:
        return f"({x} - ({x}) / 10 * 10)"

    terms = []
    for place in range(10):  # place 0 = the rightmost digit of the body; Luhn doubles places 0, 2, 4, ...
        digit = mod10(f"{sequence} / {10**place}")
        terms.append(
            f"(CASE WHEN {digit} * 2 > 9 THEN {digit} * 2 - 9 ELSE {digit} * 2 END)"
            if place % 2 == 0
            else digit
        )
    check = mod10(f"10 - {mod10('(' + ' + '.join(terms) + ')')}")
    return f"(SUBSTR(CAST({sequence} + {10**10} AS TEXT), 2) || CAST({check} AS TEXT))"


class NikQuery(StrEnum):
    EXACT = "exact"  # one whole, valid NIK
    PREFIX = "prefix"  # the first digits of NIKs (only for roles that see NIKs)
    NOTHING = "nothing"  # digits that may not be searched by this role: match nobody
    NAME = "name"  # not a NIK: search names


def nik_query(q: str, *, sees_nik: bool, today: dt.date) -> tuple[NikQuery, str]:
    """How a search box's text is read (UU 27/2022): a role that sees NIKs masked may look up a whole, valid NIK
    but never a prefix, or 44 searches digit by digit would recover any NIK (and with it birth date and sex)."""
    digits = nik_clean(q)
    if not (digits.isascii() and digits.isdigit()) or len(digits) < 6:
        return NikQuery.NAME, q.strip()
    if len(digits) == 16 and (sees_nik or nik_parse(digits, today=today).facts is not None):
        return NikQuery.EXACT, digits
    if sees_nik and len(digits) < 16:
        return NikQuery.PREFIX, digits
    return NikQuery.NOTHING, ""
