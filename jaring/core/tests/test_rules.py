"""Personal data under UU 27/2022 (Pelindungan Data Pribadi): masked for roles that do not need it."""

import datetime as dt

import pytest

from jaring.core import rules
from jaring.core.rules import Role


@pytest.mark.parametrize(
    ("nik", "masked"),
    [("3603011204850001", "360301********01"), ("", ""), (None, ""), ("1234", "****")],
)
def test_mask_nik_keeps_region_and_last_two(nik: str | None, masked: str) -> None:
    assert rules.mask_nik(nik) == masked


def test_mask_date_and_name() -> None:
    assert rules.mask_date(dt.date(1985, 4, 12)) == "**-**-1985"
    assert rules.mask_date(None) == ""
    assert rules.mask_name("Siti Aminah") == "S*** A*****"


@pytest.mark.parametrize(
    ("role", "sees", "imports", "edits"),
    [
        (Role.ADMIN, True, True, True),
        (Role.BRANCH, True, True, True),
        (Role.VILLAGE, True, True, True),
        (Role.AGENT, True, True, False),
        (Role.REGION, False, False, False),  # a budget officer needs figures, not identity documents
        (Role.SPONSOR, False, False, False),
    ],
)
def test_what_each_role_may_do(role: Role, sees: bool, imports: bool, edits: bool) -> None:
    assert (rules.sees_personal_data(role), rules.may_import(role), rules.may_edit_workers(role)) == (
        sees,
        imports,
        edits,
    )


@pytest.mark.parametrize(
    ("role", "registers"),
    [
        (Role.ADMIN, True),
        (Role.BRANCH, True),
        (Role.VILLAGE, True),
        (Role.AGENT, True),
        (Role.REGION, False),
        (Role.SPONSOR, False),
    ],
)
def test_who_registers_workers(role: Role, registers: bool) -> None:
    assert rules.may_register_workers(role) is registers


@pytest.mark.parametrize(("code", "level"), [("36", 1), ("36.03", 2), ("36.03.01", 3), ("36.03.01.2003", 4)])
def test_region_level(code: str, level: int) -> None:
    assert rules.region_level_of(code) == level
