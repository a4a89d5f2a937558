"""Registry rules. NIK: domain rules section 4 (Dukcapil, PP 37/2007): `PP KK CC DDMMYY SSSS`, day + 40 for
women, serial 0001-9999; an unknown region prefix and a differing record are warnings, not rejections."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jaring.registry import rules

TODAY = dt.date(2026, 11, 21)
KNOWN = frozenset({"3603", "360301", "9101", "910101", "9301", "930101"})


@pytest.mark.parametrize(
    ("nik", "codes", "birth", "sex"),
    [
        ("3603011204850001", [], dt.date(1985, 4, 12), "L"),  # a man born 12-04-1985 in Kec. Balaraja
        ("3603015204850002", [], dt.date(1985, 4, 12), "P"),  # a woman: day 12 + 40 = 52
        ("3603014101000003", [], dt.date(2000, 1, 1), "P"),  # 41 = day 1 for a woman; YY 00 -> 2000
        ("3603013112990004", [], dt.date(1999, 12, 31), "L"),
        ("3603 0112 0485 0001", [], dt.date(1985, 4, 12), "L"),  # spaces people type are removed
        ("'3603011204850001", [], dt.date(1985, 4, 12), "L"),  # Excel's text apostrophe
        ("3603012902000005", [], dt.date(2000, 2, 29), "L"),  # leap day 2000 is real
        ("9101011204850006", [], dt.date(1985, 4, 12), "L"),  # Merauke before the 2022 Papua split: known
    ],
)
def test_valid_niks_give_birth_date_and_sex(nik: str, codes: list[str], birth: dt.date, sex: str) -> None:
    check = rules.nik_check(nik, today=TODAY, known_prefixes=KNOWN)
    assert check.ok
    assert [p.code for p in check.problems] == codes
    assert check.facts is not None
    assert (check.facts.birth_date, check.facts.sex) == (birth, sex)


@pytest.mark.parametrize(
    ("nik", "code"),
    [
        ("360301120485000", "NIK_LENGTH"),  # 15 digits
        ("36030112048500011", "NIK_LENGTH"),  # 17 digits
        ("", "NIK_NOT_DIGITS"),
        ("36030112048500O1", "NIK_NOT_DIGITS"),  # letter O for zero
        ("360301１２04850001", "NIK_NOT_DIGITS"),  # full-width digits are not ASCII digits
        ("3603013204850001", "NIK_DATE_INVALID"),  # day 32
        ("3603010004850001", "NIK_DATE_INVALID"),  # day 00
        ("3603017204850001", "NIK_DATE_INVALID"),  # 72 - 40 = 32
        ("3603014004850001", "NIK_DATE_INVALID"),  # 40: neither a man's day nor a woman's
        ("3603011213850001", "NIK_DATE_INVALID"),  # month 13
        ("3603013002850001", "NIK_DATE_INVALID"),  # 30 February
        ("3603012902850001", "NIK_DATE_INVALID"),  # 29 February 1985 (not a leap year)
        ("3603011204850000", "NIK_SERIAL_ZERO"),
    ],
)
def test_hard_errors_reject(nik: str, code: str) -> None:
    check = rules.nik_check(nik, today=TODAY, known_prefixes=KNOWN)
    assert not check.ok
    assert code in [p.code for p in check.problems]
    assert all(p.severity == rules.ERROR for p in check.problems)


@pytest.mark.parametrize(
    ("nik", "birth", "sex", "codes"),
    [
        ("9901011204850001", None, None, ["NIK_PREFIX_UNKNOWN"]),  # province 99 never existed: warning only
        ("3603991204850001", None, None, ["NIK_PREFIX_UNKNOWN"]),  # regency known, district not
        ("3603011204850001", dt.date(1985, 12, 4), None, ["NIK_BIRTHDATE_MISMATCH"]),  # day and month swapped
        ("3603011204850001", None, "P", ["NIK_SEX_MISMATCH"]),
        ("3603015204850001", dt.date(1985, 4, 12), "P", []),  # record agrees with the NIK
        (
            "9901011204850001",
            dt.date(1986, 4, 12),
            "P",
            ["NIK_PREFIX_UNKNOWN", "NIK_BIRTHDATE_MISMATCH", "NIK_SEX_MISMATCH"],
        ),
    ],
)
def test_warnings_do_not_reject(nik: str, birth: dt.date | None, sex: str | None, codes: list[str]) -> None:
    check = rules.nik_check(nik, today=TODAY, known_prefixes=KNOWN, birth_date=birth, sex=sex)
    assert check.ok
    assert [p.code for p in check.problems] == codes
    assert all(p.severity == rules.WARNING for p in check.problems)


@pytest.mark.parametrize(
    ("yy", "month", "day", "year"),
    [
        (85, 4, 12, 1985),
        (5, 4, 12, 2005),
        (26, 11, 21, 2026),  # born today
        (26, 11, 22, 1926),  # tomorrow in 2026 is impossible: 1926
        (99, 1, 1, 1999),
    ],
)
def test_century_is_the_latest_not_in_the_future(yy: int, month: int, day: int, year: int) -> None:
    assert rules.nik_birth_year(yy, month, day, today=TODAY) == year


@given(
    birth=st.dates(min_value=dt.date(1927, 1, 1), max_value=TODAY),
    sex=st.sampled_from(["L", "P"]),
    serial=st.integers(min_value=1, max_value=9999),
)
def test_any_real_nik_round_trips(birth: dt.date, sex: str, serial: int) -> None:
    day = birth.day + (40 if sex == "P" else 0)
    nik = f"360301{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"
    check = rules.nik_check(nik, today=TODAY, known_prefixes=KNOWN, birth_date=birth, sex=sex)
    assert check.ok and check.problems == []
    assert check.facts is not None and check.facts.birth_date == birth and check.facts.sex == sex


@pytest.mark.parametrize(
    ("birth", "code"),
    [
        (dt.date(2008, 11, 21), None),  # 18 today: the window's lower bound (setting, default 18)
        (dt.date(2008, 11, 22), "AGE_OUT_OF_RANGE"),  # 18 tomorrow
        (dt.date(1961, 11, 21), "AGE_OUT_OF_RANGE"),  # 65 today, above a maximum of 64
    ],
)
def test_registration_age_window(birth: dt.date, code: str | None) -> None:
    problem = rules.registration_age_problem(birth, today=TODAY, minimum=18, maximum=64)
    assert (problem.code if problem else None) == code


def test_age_window_bounds_are_inclusive() -> None:
    assert rules.registration_age_problem(dt.date(1961, 11, 21), today=TODAY, minimum=18, maximum=65) is None
    assert (
        rules.registration_age_problem(dt.date(1960, 11, 20), today=TODAY, minimum=18, maximum=65) is not None
    )


@pytest.mark.parametrize(
    ("raw", "sex"),
    [("L", "L"), ("laki-laki", "L"), ("Laki Laki", "L"), ("PRIA", "L"), ("P", "P"), ("Perempuan", "P"),
     ("wanita", "P"), ("Lk.", "L"), ("Pr", "P"), ("x", None), ("", None)],
)  # fmt: skip
def test_sex_parse(raw: str, sex: str | None) -> None:
    assert rules.sex_parse(raw) == sex


@pytest.mark.parametrize(
    ("raw", "phone"),
    [("081234567890", "081234567890"), ("+62 812-3456-7890", "081234567890"), ("6281234567890", "081234567890"),
     ("81234567890", "081234567890"), ("0812", None), ("021-5551234", None), ("", None)],
)  # fmt: skip
def test_phone_parse(raw: str, phone: str | None) -> None:
    assert rules.phone_parse(raw) == phone


@pytest.mark.parametrize(
    ("raw", "value"),
    [("1000000", 1_000_000), ("Rp 1.000.000", 1_000_000), ("1,500,000", 1_500_000), ("2000000.0", 2_000_000),
     ("satu juta", None), ("", None)],
)  # fmt: skip
def test_rupiah_parse(raw: str, value: int | None) -> None:
    assert rules.rupiah_parse(raw) == value


@pytest.mark.parametrize(
    ("income", "ok"),
    [(1_000_000, True), (20_700_000, True), (999_999, False), (20_700_001, False)],
)
def test_income_range_lampiran_ii_pp_44_2015(income: int, ok: bool) -> None:
    assert (rules.income_problem(income, minimum=1_000_000, maximum=20_700_000) is None) is ok


def test_every_occupation_of_the_domain_rules_is_in_the_list() -> None:
    # Domain rules section 1: farmers, fishers, street vendors, scavengers, ojek drivers, marbot, religious
    # teachers, RT/RW heads, village officials, BPD members, volunteer firefighters, micro-business workers.
    for name in ("petani", "nelayan", "pedagang kaki lima", "pemulung", "ojek", "marbot", "guru ngaji",
                 "ketua rt", "ketua rw", "perangkat desa", "anggota bpd", "relawan damkar", "pelaku umkm"):  # fmt: skip
        assert rules.occupation_parse(name) is not None, name


@pytest.mark.parametrize(
    ("raw", "code", "sector"),
    [("OJOL", "ojek", "transport"), ("Tukang Ojek", "ojek", "transport"), ("kurir", "kurir", "transport"),
     ("Buruh Tani", "petani", "other"), ("Perangkat Desa", "perangkat_desa", "other"), ("Astronot", None, None)],
)  # fmt: skip
def test_occupation_spellings_and_the_pp_50_2025_transport_sector(
    raw: str, code: str | None, sector: str | None
) -> None:
    occ = rules.occupation_parse(raw)
    assert (occ.code if occ else None) == code
    assert (occ.sector.value if occ else None) == sector


def test_name_clean_and_key() -> None:
    assert rules.name_clean("  SITI   AMINAH ") == "Siti Aminah"
    assert rules.name_clean("Moh. Yusuf") == "Moh. Yusuf"
    assert rules.name_key("H. Moh. Yusuf, S.Pd.") == "h moh yusuf s pd"


def test_kpj_card_numbers_are_11_digits_with_a_check_digit() -> None:
    kpj = rules.kpj_number(1)
    assert len(kpj) == 11 and rules.kpj_valid(kpj)
    assert not rules.kpj_valid(kpj[:10] + str((int(kpj[10]) + 1) % 10))
    assert rules.kpj_number(7992739871) == "79927398713"  # the textbook Luhn example
    with pytest.raises(ValueError):
        rules.kpj_number(0)


@pytest.mark.parametrize(
    ("q", "sees_nik", "expected"),
    [
        # UU 27/2022: a masked role must not recover a NIK by trying prefixes digit by digit (issue #13).
        ("3603011204850001", False, (rules.NikQuery.EXACT, "3603011204850001")),
        ("3603 0112 0485 0001", False, (rules.NikQuery.EXACT, "3603011204850001")),
        ("360301120485000", False, (rules.NikQuery.NOTHING, "")),  # 15 digits: a prefix
        ("360301", False, (rules.NikQuery.NOTHING, "")),
        ("3603019904850001", False, (rules.NikQuery.NOTHING, "")),  # not a valid NIK (day 99)
        ("360301", True, (rules.NikQuery.PREFIX, "360301")),  # roles that see NIKs may search by prefix
        ("3603019904850001", True, (rules.NikQuery.EXACT, "3603019904850001")),
        ("Siti", False, (rules.NikQuery.NAME, "Siti")),
        ("12345", False, (rules.NikQuery.NAME, "12345")),  # too short to be a NIK query
    ],
)
def test_how_a_search_is_read_for_who_sees_niks(q: str, sees_nik: bool, expected: tuple[str, str]) -> None:
    assert rules.nik_query(q, sees_nik=sees_nik, today=TODAY) == expected
