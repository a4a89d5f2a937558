"""Roles, what each may see and do, and the masking of personal data (UU 27/2022 Pelindungan Data Pribadi).
Pure: imports no Django."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"  # BPJS administrator: everything, everywhere
    BRANCH = "branch"  # kantor cabang clerk: the regencies of one branch office
    REGION = "region"  # provincial or regency government officer (budget, coverage)
    VILLAGE = "village"  # village secretary / operator: one village
    AGENT = "agent"  # PERISAI agent: the area they work in
    SPONSOR = "sponsor"  # CSR manager or donor: only the workers they fund


ROLE_LABELS = {
    Role.ADMIN: "Administrator BPJS",
    Role.BRANCH: "Petugas Kantor Cabang",
    Role.REGION: "Petugas Pemerintah Daerah",
    Role.VILLAGE: "Operator Desa",
    Role.AGENT: "Agen PERISAI",
    Role.SPONSOR: "Sponsor / CSR",
}

# Roles that must identify a person (register, verify, correct) see NIK, birth date and mother's name in full.
# A budget officer or a sponsor needs counts and names, not identity documents: they see them masked.
_SEES_PERSONAL_DATA = {Role.ADMIN, Role.BRANCH, Role.VILLAGE, Role.AGENT}
_MAY_IMPORT = {Role.ADMIN, Role.BRANCH, Role.VILLAGE, Role.AGENT}
_MAY_EDIT_WORKERS = {Role.ADMIN, Role.BRANCH, Role.VILLAGE}
# PERISAI agents sign workers up (domain rules section 6); correcting a record stays with the offices.
_MAY_REGISTER_WORKERS = {Role.ADMIN, Role.BRANCH, Role.VILLAGE, Role.AGENT}
# Billing runs, recording payments and settling the reconciliation queue: the branch office's finance work.
_MAY_HANDLE_PAYMENTS = {Role.ADMIN, Role.BRANCH}
# Sponsors' programs: the branch office, a regency or village budget officer for their own region's sponsors,
# and a sponsor's own users. Agents sign workers up; they do not spend budgets.
# Claims: villages and agents report them (with documents); the branch office decides and opens the documents.
_MAY_REPORT_CLAIMS = {Role.ADMIN, Role.BRANCH, Role.VILLAGE, Role.AGENT}
_MAY_DECIDE_CLAIMS = {Role.ADMIN, Role.BRANCH}
_MAY_MANAGE_FUNDING = {Role.ADMIN, Role.BRANCH, Role.REGION, Role.VILLAGE, Role.SPONSOR}
# Duplicates: the branch office settles the review queue (it sees both records in full); only an administrator
# undoes a merge or turns automatic merging on.
_MAY_REVIEW_DUPLICATES = {Role.ADMIN, Role.BRANCH}


def sees_personal_data(role: Role) -> bool:
    return role in _SEES_PERSONAL_DATA


def may_import(role: Role) -> bool:
    return role in _MAY_IMPORT


def may_edit_workers(role: Role) -> bool:
    return role in _MAY_EDIT_WORKERS


def may_register_workers(role: Role) -> bool:
    return role in _MAY_REGISTER_WORKERS


def may_handle_payments(role: Role) -> bool:
    return role in _MAY_HANDLE_PAYMENTS


def may_report_claims(role: Role) -> bool:
    return role in _MAY_REPORT_CLAIMS


def may_decide_claims(role: Role) -> bool:
    return role in _MAY_DECIDE_CLAIMS


def may_review_duplicates(role: Role) -> bool:
    return role in _MAY_REVIEW_DUPLICATES


def may_manage_funding(role: Role) -> bool:
    return role in _MAY_MANAGE_FUNDING


def mask_nik(nik: str | None) -> str:
    """Keep the region prefix (6) and the last 2 digits: enough to tell records apart, not to reuse the NIK."""
    if not nik:
        return ""
    if len(nik) <= 8:
        return "*" * len(nik)
    return nik[:6] + "*" * (len(nik) - 8) + nik[-2:]


def mask_date(value: dt.date | None) -> str:
    return f"**-**-{value.year}" if value else ""


def mask_name(name: str | None) -> str:
    if not name:
        return ""
    return " ".join(part[0] + "*" * (len(part) - 1) for part in name.split())


def region_level_of(code: str) -> int:
    """Kemendagri code `PP.KK.CC.DDDD`: the level is the number of dotted parts (1 province ... 4 village)."""
    return code.count(".") + 1
