"""Realistic synthetic workers and the messy lists villages send, for demos, tests and benchmarks.

People get Indonesian names with their real variation, NIKs consistent with birth district, date and sex,
occupations in plausible proportions, spread over the seed regions (Kab. Tangerang, Kab. Gresik,
Kab. Banyuwangi, Kalimantan Barat). Lists carry a controlled share of the mistakes real lists carry."""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import xlsxwriter

from jaring.imports.rules import HEADER_NAMES
from jaring.registry.rules import OCCUPATION_BY_CODE
from jaring.registry.rules.rows import TEMPLATE_FIELDS

SEED_REGIONS = {"36.03": 0.35, "35.25": 0.15, "35.10": 0.20, "61": 0.30}

MALE = (
    "Muhammad Ahmad Abdul Agus Budi Slamet Joko Bambang Hendra Rudi Eko Dedi Asep Ujang Dadang Yusuf Rahmat "
    "Ali Hasan Ismail Ibrahim Sutrisno Sugeng Wahyu Heri Dian Andi Arif Fajar Rizki Aditya Bayu Dimas Teguh "
    "Supriyadi Suparman Darmawan Iwan Yanto Rohmat Syaiful Zainal Hamzah Usman Komarudin Nanang Ade Cecep "
    "Anton Robert Yohanes Petrus Antonius Stefanus Ignatius Apai Ringkai Akiong Acong Burhan Hamdani"
).split()
FEMALE = (
    "Siti Nur Sri Dewi Ani Yuni Wati Rina Lina Fitri Ratna Eka Endang Sumiati Suyati Kartini Aminah Fatimah "
    "Khadijah Aisyah Maryam Rohmah Nurul Indah Putri Wulan Sari Ayu Lestari Rahayu Tuti Yati Neneng Euis "
    "Imas Cucu Enok Popon Iis Lilis Komariah Halimah Syarifah Maria Theresia Agustina Yohana Margaretha "
    "Mei Lan Susanti Fransiska Dayang Intan Nurhayati Suryani Mulyani"
).split()
FAMILY = (
    "Saputra Santoso Wijaya Hidayat Setiawan Nugroho Kurniawan Susanto Hartono Pratama Lestari Rahayu "
    "Suryadi Maulana Firmansyah Hakim Siregar Nasution Harahap Lubis Sinaga Simanjuntak Situmorang Hasibuan "
    "Daulay Rangkuti Sembiring Tarigan Ginting Purba Saragih Damanik Manurung Pardede Panjaitan Hutapea "
    "Sulaiman Effendi Gunawan Budiman Halim Tanoto Salim Kusuma Permana Sopian Sobari Supardi Mulyadi "
    "Suhendra Rosyidi Anshori Mahmud Zakaria Wahid Rosadi Jaelani Mansur Syahputra Rusdi"
).split()
# Common spelling variants that lists use for the same name (duplicate detection must see through them).
VARIANTS = {
    "Muhammad": ["Mohammad", "Muhamad", "Mohamad", "Moh.", "M."], "Ahmad": ["Achmad", "Akhmad", "Amad"],
    "Abdul": ["Abd.", "Abdoel"], "Yusuf": ["Yusup", "Yoesoef"], "Rahmat": ["Rachmat", "Rakhmat"],
    "Siti": ["Sitti", "St."], "Nur": ["Nurul", "Noer"], "Syarifah": ["Sarifah", "Syarifa"],
    "Fatimah": ["Fatima", "Patimah"], "Aisyah": ["Aisah", "Aisya"], "Hasan": ["Hassan"],
    "Komarudin": ["Komarudin", "Qomarudin"], "Sutrisno": ["Soetrisno"], "Sugeng": ["Soegeng"],
    "Khadijah": ["Hadijah", "Kadijah"], "Yohanes": ["Johanes"], "Rohmat": ["Rochmat"],
}  # fmt: skip
BIRTH_PLACES = {
    "36.03": ["Tangerang", "Balaraja", "Cikupa", "Serang", "Jakarta"],
    "35.25": ["Gresik", "Surabaya", "Lamongan", "Sidayu"],
    "35.10": ["Banyuwangi", "Genteng", "Rogojampi", "Jember"],
    "61": ["Pontianak", "Singkawang", "Sambas", "Ketapang", "Sintang", "Sanggau"],
}
OCCUPATION_WEIGHTS = {
    "petani": 22, "buruh_harian_lepas": 12, "pedagang_kaki_lima": 8, "pedagang_pasar": 7, "nelayan": 6,
    "ojek": 7, "pekebun": 5, "tukang": 5, "perangkat_desa": 4, "ketua_rt": 3, "ketua_rw": 1, "anggota_bpd": 1,
    "pelaku_umkm": 4, "peternak": 3, "marbot": 1, "guru_ngaji": 2, "sopir": 2, "kurir": 2, "pemulung": 1,
    "kader_desa": 2, "penjahit": 1, "pengrajin": 1, "asisten_rumah_tangga": 1, "pembudidaya_ikan": 1,
    "relawan_damkar": 0.3, "linmas": 0.7,
}  # fmt: skip
# How offices actually write an occupation (the mapping in registry.rules understands all but the last).
OCCUPATION_SPELLINGS = {"petani": ["Petani", "PETANI", "Tani", "Buruh Tani", "Petani/Pekebun"], "ojek": ["Ojek", "OJOL", "Tukang Ojek"],
                        "pedagang_kaki_lima": ["PKL", "Pedagang Kaki Lima"], "buruh_harian_lepas": ["Buruh Harian Lepas", "BHL", "Serabutan"]}  # fmt: skip
UNKNOWN_OCCUPATIONS = ["Pedagang Sayur Keliling", "Tukang Parkir", "Penarik Becak"]


@dataclass(frozen=True)
class Person:
    """The truth about one person; lists show them with mistakes."""

    person_id: int
    nik: str
    full_name: str
    sex: str
    birth_place: str
    birth_date: dt.date
    mother_name: str
    address: str
    village_code: str
    phone: str
    occupation: str
    income: int
    poverty_decile: int | None


@dataclass(frozen=True)
class MistakeRates:
    missing_nik: float = 0.03
    excel_nik: float = 0.01
    swapped_date: float = 0.02
    name_typo: float = 0.03
    bad_village: float = 0.005
    bad_phone: float = 0.02
    unknown_occupation: float = 0.02
    repeated_row: float = 0.005
    too_old: float = 0.005


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.4:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind < 0.7:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def name_variant(rng: random.Random, name: str, sex: str = "L") -> str:
    """The same person written by another office: a spelling variant, a title, bin/binti, or a typo."""
    parts = name.split()
    r = rng.random()
    if r < 0.45 and any(p in VARIANTS for p in parts):
        parts = [rng.choice(VARIANTS[p]) if p in VARIANTS else p for p in parts]
    elif r < 0.6:
        parts = ["Hj." if sex == "P" else "H.", *parts]
    elif r < 0.7:
        parts = [*parts, rng.choice(["S.Pd.", "S.E.", "A.Md."])]
    elif r < 0.8 and len(parts) > 1:
        parts = parts[:1]
    else:
        j = rng.randrange(len(parts))
        parts[j] = _typo(rng, parts[j])
    out = " ".join(parts)
    return out.upper() if rng.random() < 0.2 else out


class PeopleFactory:
    def __init__(
        self, *, seed: int, villages: Sequence[str], known_districts: Sequence[str], today: dt.date
    ) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.villages_by_region: dict[str, list[str]] = {k: [] for k in SEED_REGIONS}
        for v in villages:
            for k in SEED_REGIONS:
                if v.startswith(k + "."):
                    self.villages_by_region[k].append(v)
        self.villages_by_region = {k: sorted(v) for k, v in self.villages_by_region.items() if v}
        self.known_districts = list(known_districts)
        self.used: set[str] = set()
        self.next_id = 1
        occ = list(OCCUPATION_WEIGHTS)
        self._occ, self._occ_w = occ, [OCCUPATION_WEIGHTS[o] for o in occ]

    def _region(self) -> str:
        regions = list(self.villages_by_region)
        return self.rng.choices(regions, weights=[SEED_REGIONS[r] for r in regions])[0]

    def _nik(self, district_digits: str, birth: dt.date, sex: str) -> str:
        day = birth.day + (40 if sex == "P" else 0)
        while True:
            nik = f"{district_digits}{day:02d}{birth.month:02d}{birth.year % 100:02d}{self.rng.randint(1, 9999):04d}"
            if nik not in self.used:
                self.used.add(nik)
                return nik

    def person(self, *, village: str | None = None) -> Person:
        rng = self.rng
        region = (
            self._region()
            if village is None
            else next(k for k in self.villages_by_region if village.startswith(k + "."))
        )
        village = village or rng.choice(self.villages_by_region[region])
        sex = "P" if rng.random() < 0.42 else "L"
        first = rng.choice(FEMALE if sex == "P" else MALE)
        middle = rng.choice(FEMALE if sex == "P" else MALE) if rng.random() < 0.25 else ""
        family = rng.choice(FAMILY) if rng.random() < 0.7 else ""
        name = " ".join(p for p in (first, middle, family) if p)
        age_days = rng.randint(19 * 365, 64 * 365)
        birth = self.today - dt.timedelta(days=age_days)
        district = village[:8].replace(".", "")
        if rng.random() < 0.1 and self.known_districts:
            district = rng.choice(self.known_districts)  # NIK first issued elsewhere: people move
        occupation = rng.choices(self._occ, weights=self._occ_w)[0]
        person = Person(
            person_id=self.next_id,
            nik=self._nik(district, birth, sex),
            full_name=name,
            sex=sex,
            birth_place=rng.choice(BIRTH_PLACES[region]),
            birth_date=birth,
            mother_name=f"{rng.choice(FEMALE)}{' ' + rng.choice(FAMILY) if rng.random() < 0.3 else ''}",
            address=f"Dusun {rng.choice(['Krajan', 'Sukamaju', 'Mekarsari', 'Tengah', 'Baru', 'Timur'])} "
            f"RT {rng.randint(1, 12):03d}/RW {rng.randint(1, 6):03d}",
            village_code=village,
            phone=f"08{rng.choice(['12', '13', '21', '52', '57', '77', '78', '95', '96'])}{rng.randint(10**7, 10**8 - 1)}",
            occupation=occupation,
            income=1_000_000
            if rng.random() < 0.93
            else rng.choice([1_500_000, 2_000_000, 2_500_000, 3_000_000]),
            poverty_decile=rng.randint(1, 6) if rng.random() < 0.6 else None,
        )
        self.next_id += 1
        return person


def list_row(
    rng: random.Random, p: Person, rates: MistakeRates, *, variant: bool = False
) -> dict[str, object]:
    """One row of a list as an office would type it; values are text unless Excel would hold a number."""
    name = name_variant(rng, p.full_name, p.sex) if variant else p.full_name
    if not variant and rng.random() < rates.name_typo:
        name = name_variant(rng, name, p.sex)
    birth = p.birth_date
    date_text = f"{birth:%d-%m-%Y}"
    if rng.random() < rates.swapped_date:
        date_text = f"{birth:%m-%d-%Y}"
    elif rng.random() < 0.15:
        date_text = f"{birth:%d/%m/%Y}"
    nik: object = p.nik
    r = rng.random()
    if r < rates.missing_nik:
        nik = ""
    elif r < rates.missing_nik + rates.excel_nik:
        nik = float(p.nik[:15] + "0")  # what Excel keeps of a NIK typed as a number
    village: str = p.village_code
    if rng.random() < rates.bad_village:
        village = village[:-4] + "9999"
    phone = p.phone
    if rng.random() < rates.bad_phone:
        phone = phone[:6]
    occ_label = OCCUPATION_BY_CODE[p.occupation].label
    if p.occupation in OCCUPATION_SPELLINGS and rng.random() < 0.5:
        occ_label = rng.choice(OCCUPATION_SPELLINGS[p.occupation])
    if rng.random() < rates.unknown_occupation:
        occ_label = rng.choice(UNKNOWN_OCCUPATIONS)
    if rng.random() < rates.too_old:
        date_text = f"{birth.day:02d}-{birth.month:02d}-{birth.year - 30}"
    return {
        "nik": nik, "full_name": name, "sex": p.sex, "birth_place": p.birth_place, "birth_date": date_text,
        "mother_name": p.mother_name, "address": p.address, "village_code": village, "phone": phone,
        "occupation": occ_label, "ecosystem": "", "sector": "", "income": str(p.income),
        "poverty_decile": str(p.poverty_decile or ""),
    }  # fmt: skip


def write_list(path: Path, rows: Sequence[dict[str, object]], *, title: str = "") -> None:
    """Write a list as .xlsx (NIK as text, a float where the mistake put one) or .csv (semicolon, UTF-8)."""
    headers = [HEADER_NAMES[f][0] for f in TEMPLATE_FIELDS]
    if path.suffix == ".csv":
        with open(path, "w", newline="", encoding="utf-8-sig") as fh:
            w = csv.writer(fh, delimiter=";")
            if title:
                w.writerow([title])
                w.writerow([])
            w.writerow(["No", *headers])
            for i, row in enumerate(rows, 1):
                nik = row["nik"]
                cells = [
                    f"{nik:.5E}" if isinstance(nik, float) else nik,
                    *[row[f] for f in TEMPLATE_FIELDS[1:]],
                ]
                w.writerow([i, *cells])
        return
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    wb.set_properties({"created": dt.datetime(2026, 1, 1)})  # same people, same bytes: a re-run is recognised
    ws = wb.add_worksheet("Daftar")
    bold = wb.add_format({"bold": True})
    r = 0
    if title:
        ws.write_string(0, 0, title, bold)
        r = 2
    ws.write_row(r, 0, ["No", *headers], bold)
    for i, row in enumerate(rows, 1):
        ws.write_number(r + i, 0, i)
        for c, f in enumerate(TEMPLATE_FIELDS, 1):
            value = row[f]
            if isinstance(value, float):
                ws.write_number(r + i, c, value)
            else:
                ws.write_string(r + i, c, str(value))
    wb.close()


@dataclass(frozen=True)
class GeneratedList:
    path: Path
    source: str
    person_ids: list[int]


def generate_lists(
    *,
    factory: PeopleFactory,
    workers: int,
    out_dir: Path,
    rates: MistakeRates = MistakeRates(),
    duplicate_share: float = 0.04,
) -> tuple[list[Person], list[GeneratedList]]:
    """People grouped into village lists (xlsx and csv); a share of them appear again in a regency-wide
    list under another spelling, as happens when village and regency both register the same person."""
    rng = factory.rng
    people = [factory.person() for _ in range(workers)]
    out_dir.mkdir(parents=True, exist_ok=True)
    by_district: dict[str, list[Person]] = {}
    for p in people:
        by_district.setdefault(p.village_code[:8], []).append(p)
    lists: list[GeneratedList] = []
    districts = sorted(by_district)
    groups = [
        districts[i : i + max(1, len(districts) // 12)]
        for i in range(0, len(districts), max(1, len(districts) // 12))
    ]
    for gi, group in enumerate(groups):
        members = [p for d in group for p in by_district[d]]
        rows = [list_row(rng, p, rates) for p in members]
        ids = [p.person_id for p in members]
        for k in range(len(members)):
            if rng.random() < rates.repeated_row:
                rows.append(rows[k])
                ids.append(ids[k])
        suffix = ".csv" if gi % 3 == 2 else ".xlsx"
        path = out_dir / f"daftar-{gi + 1:02d}-kec-{group[0].replace('.', '')}{suffix}"
        source = f"Daftar pekerja rentan kecamatan {group[0]}" + (
            f" s.d. {group[-1]}" if len(group) > 1 else ""
        )
        write_list(path, rows, title=f"DAFTAR PEKERJA RENTAN {source.upper()}")
        lists.append(GeneratedList(path, source, ids))
    repeated = [p for p in people if rng.random() < duplicate_share]
    if repeated:
        rows = [list_row(rng, replace(p, phone=p.phone if rng.random() < 0.7 else p.phone[:-2] + "11"), rates, variant=True)
                for p in repeated]  # fmt: skip
        for row in rows:
            if rng.random() < 0.3:
                row["nik"] = ""  # the second office did not have the NIK
        path = out_dir / "daftar-apbd-kabupaten.xlsx"
        write_list(path, rows, title="DATA PESERTA BPU DIBIAYAI APBD")
        lists.append(GeneratedList(path, "Data peserta APBD kabupaten", [p.person_id for p in repeated]))
    truth = out_dir / "truth.csv"
    with open(truth, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["person_id", "nik", "full_name", "birth_date", "sex", "village_code"])
        for p in people:
            w.writerow([p.person_id, p.nik, p.full_name, p.birth_date.isoformat(), p.sex, p.village_code])
    return people, lists


def _record(row: dict[str, object], unique_id: int) -> dict[str, object]:
    """A list row as the registry would hold it once imported: a NIK Excel turned into a number keeps its
    damaged last digit, a date that cannot be read is missing (a day over 12 swapped with the month)."""
    nik = row["nik"]
    nik_text = f"{int(nik):016d}" if isinstance(nik, float) else str(nik or "")
    text = str(row["birth_date"]).replace("/", "-")
    try:
        birth: dt.date | None = dt.datetime.strptime(text, "%d-%m-%Y").date()
    except ValueError:
        birth = None
    return {"unique_id": unique_id, "nik": nik_text or None, "full_name": row["full_name"], "sex": row["sex"],
            "birth_date": birth, "mother_name": row["mother_name"], "phone": row["phone"],
            "village_code": row["village_code"]}  # fmt: skip


def duplicate_set(
    factory: PeopleFactory, *, people: int, duplicate_share: float = 0.2, rates: MistakeRates = MistakeRates()
) -> tuple[list[dict[str, object]], list[int]]:
    """Records with ground truth for measuring duplicate detection: every person once as a village list typed
    them, and a share of them again as another office wrote them (a name variant, title, typo or capitals; the
    NIK left out in 30 %, damaged by Excel or mistyped by a digit; day and month swapped; 10 % moved to another
    village of the regency; a new phone in 30 %). Returns the records and, per record, the person it is."""
    rng = factory.rng
    records: list[dict[str, object]] = []
    truth: list[int] = []
    persons = [factory.person() for _ in range(people)]
    by_regency: dict[str, list[str]] = {}
    for villages in factory.villages_by_region.values():
        for v in villages:
            by_regency.setdefault(v[:5], []).append(v)
    for p in persons:
        records.append(_record(list_row(rng, p, rates), len(records) + 1))
        truth.append(p.person_id)
    for p in persons:
        if rng.random() >= duplicate_share:
            continue
        again = p
        if rng.random() < 0.1:
            again = replace(again, village_code=rng.choice(by_regency[p.village_code[:5]]))
        if rng.random() < 0.3:
            again = replace(again, phone=again.phone[:-4] + f"{rng.randint(0, 9999):04d}")
        row = list_row(rng, again, rates, variant=True)
        r = rng.random()
        if r < 0.3:
            row["nik"] = ""
        elif r < 0.35:
            i = rng.randrange(6, 16)
            row["nik"] = p.nik[:i] + str((int(p.nik[i]) + rng.randint(1, 9)) % 10) + p.nik[i + 1 :]
        elif r < 0.38:
            row["nik"] = float(p.nik[:15] + "0")
        records.append(_record(row, len(records) + 1))
        truth.append(p.person_id)
    return records, truth
