"""Roles, what each may see and do, and the masking of personal data (UU 27/2022 Pelindungan Data Pribadi).
Pure: imports no Django."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from jaring.core.errors import ErrorCode


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
    Role.SPONSOR: "Sponsor (CSR, donatur)",
}
ROLE_LABELS_EN = {Role.ADMIN: "BPJS administrator", Role.BRANCH: "Branch office officer",
                  Role.REGION: "Local government officer", Role.VILLAGE: "Village operator",
                  Role.AGENT: "PERISAI agent", Role.SPONSOR: "Sponsor (CSR, donor)"}  # fmt: skip


class Permission(StrEnum):
    """What a role may do. One table (GRANTS) says who; views, services and the menu ask `Viewer.may/require`."""

    SEE_PERSONAL_DATA = "see_personal_data"
    IMPORT = "import"
    EDIT_WORKERS = "edit_workers"
    REGISTER_WORKERS = "register_workers"
    HANDLE_PAYMENTS = "handle_payments"
    REPORT_CLAIMS = "report_claims"
    DECIDE_CLAIMS = "decide_claims"
    MANAGE_FUNDING = "manage_funding"
    REVIEW_DUPLICATES = "review_duplicates"
    ADMINISTER = "administer"
    SEE_COVERAGE = "see_coverage"
    SET_TARGETS = "set_targets"


_ALL = frozenset(Role)
GRANTS: dict[Permission, frozenset[Role]] = {
    # Roles that must identify a person (register, verify, correct) see NIK, birth date and mother's name in
    # full. A budget officer or a sponsor needs counts and names, not identity documents: they see them masked.
    Permission.SEE_PERSONAL_DATA: frozenset({Role.ADMIN, Role.BRANCH, Role.VILLAGE, Role.AGENT}),
    Permission.IMPORT: frozenset({Role.ADMIN, Role.BRANCH, Role.VILLAGE, Role.AGENT}),
    Permission.EDIT_WORKERS: frozenset({Role.ADMIN, Role.BRANCH, Role.VILLAGE}),
    # PERISAI agents sign workers up (domain rules section 6); correcting a record stays with the offices.
    Permission.REGISTER_WORKERS: frozenset({Role.ADMIN, Role.BRANCH, Role.VILLAGE, Role.AGENT}),
    # Billing runs, recording payments and settling the reconciliation queue: the branch office's finance work.
    Permission.HANDLE_PAYMENTS: frozenset({Role.ADMIN, Role.BRANCH}),
    # Claims: villages and agents report them (with documents); the branch office decides and opens documents.
    Permission.REPORT_CLAIMS: frozenset({Role.ADMIN, Role.BRANCH, Role.VILLAGE, Role.AGENT}),
    Permission.DECIDE_CLAIMS: frozenset({Role.ADMIN, Role.BRANCH}),
    # Sponsors' programs: the branch office, a regency or village budget officer for their own region's
    # sponsors, and a sponsor's own users. Agents sign workers up; they do not spend budgets.
    Permission.MANAGE_FUNDING: frozenset({Role.ADMIN, Role.BRANCH, Role.REGION, Role.VILLAGE, Role.SPONSOR}),
    # Duplicates: the branch office settles the review queue (it sees both records in full); only an
    # administrator undoes a merge or turns automatic merging on.
    Permission.REVIEW_DUPLICATES: frozenset({Role.ADMIN, Role.BRANCH}),
    Permission.ADMINISTER: frozenset({Role.ADMIN}),
    # Coverage figures (issue #15): every role, each in its own scope (a sponsor: only the workers it funds).
    Permission.SEE_COVERAGE: _ALL,
    # A region's denominator (its vulnerable workers, with source and year) is entered by the region itself
    # (a regency's or a village's officer) or by the branch office; agents and sponsors read it.
    Permission.SET_TARGETS: frozenset({Role.ADMIN, Role.BRANCH, Role.REGION, Role.VILLAGE}),
}

# What a refusal says (Indonesian, the clerk's language) and its stable code.
DENIED: dict[Permission, tuple[str, str]] = {
    Permission.SEE_PERSONAL_DATA: (
        "Peran Anda tidak melihat data pribadi.",
        ErrorCode.PERSONAL_DATA_NOT_ALLOWED,
    ),
    Permission.IMPORT: ("Peran Anda tidak mengunggah daftar pekerja.", ErrorCode.IMPORT_NOT_ALLOWED),
    Permission.EDIT_WORKERS: ("Peran Anda tidak boleh mengubah data pekerja.", ErrorCode.EDIT_NOT_ALLOWED),
    Permission.REGISTER_WORKERS: (
        "Peran Anda tidak boleh mendaftarkan pekerja.",
        ErrorCode.REGISTER_NOT_ALLOWED,
    ),
    Permission.HANDLE_PAYMENTS: (
        "Hanya petugas kantor cabang atau administrator yang mencatat tagihan dan pembayaran.",
        "PAYMENTS_NOT_ALLOWED",
    ),
    Permission.REPORT_CLAIMS: ("Peran Anda tidak menangani klaim.", ErrorCode.CLAIMS_NOT_ALLOWED),
    Permission.DECIDE_CLAIMS: (
        "Hanya kantor cabang yang memutuskan klaim.",
        ErrorCode.CLAIM_DECISION_NOT_ALLOWED,
    ),
    Permission.MANAGE_FUNDING: (
        "Peran Anda tidak mengelola program pendanaan.",
        ErrorCode.FUNDING_NOT_ALLOWED,
    ),
    Permission.REVIEW_DUPLICATES: ("Peran Anda tidak memeriksa duplikat.", ErrorCode.DUPLICATES_NOT_ALLOWED),
    Permission.ADMINISTER: ("Hanya administrator BPJS yang boleh melakukan ini.", ErrorCode.ADMIN_ONLY),
    Permission.SEE_COVERAGE: ("Peran Anda tidak melihat cakupan.", ErrorCode.COVERAGE_NOT_ALLOWED),
    Permission.SET_TARGETS: (
        "Hanya pemerintah daerah, desa atau kantor cabang yang mencatat target wilayahnya.",
        ErrorCode.TARGETS_NOT_ALLOWED,
    ),
}


def may(role: Role, permission: Permission) -> bool:
    return role in GRANTS[permission]


def permissions_of(role: Role) -> frozenset[Permission]:
    return frozenset(p for p, roles in GRANTS.items() if role in roles)


def sees_personal_data(role: Role) -> bool:
    return may(role, Permission.SEE_PERSONAL_DATA)


def may_import(role: Role) -> bool:
    return may(role, Permission.IMPORT)


def may_edit_workers(role: Role) -> bool:
    return may(role, Permission.EDIT_WORKERS)


def may_register_workers(role: Role) -> bool:
    return may(role, Permission.REGISTER_WORKERS)


def may_handle_payments(role: Role) -> bool:
    return may(role, Permission.HANDLE_PAYMENTS)


def may_report_claims(role: Role) -> bool:
    return may(role, Permission.REPORT_CLAIMS)


def may_decide_claims(role: Role) -> bool:
    return may(role, Permission.DECIDE_CLAIMS)


def may_review_duplicates(role: Role) -> bool:
    return may(role, Permission.REVIEW_DUPLICATES)


def may_manage_funding(role: Role) -> bool:
    return may(role, Permission.MANAGE_FUNDING)


def mask_nik(nik: str | None) -> str:
    """Keep the region prefix (6) and the last 2 digits: enough to tell records apart, not to reuse the NIK."""
    if not nik:
        return ""
    if len(nik) <= 8:
        return "*" * len(nik)
    return nik[:6] + "*" * (len(nik) - 8) + nik[-2:]


def date_as_written(text: str) -> str:
    """An ISO date as people write it here: 1965-04-28 -> 28-04-1965; anything else as it is (a masked
    "**-**-1965" is already written that way)."""
    parts = (text or "").split("-")
    return f"{parts[2]}-{parts[1]}-{parts[0]}" if len(parts) == 3 and len(parts[0]) == 4 else (text or "")


def mask_date(value: dt.date | None) -> str:
    return f"**-**-{value.year}" if value else ""


def mask_name(name: str | None) -> str:
    if not name:
        return ""
    return " ".join(part[0] + "*" * (len(part) - 1) for part in name.split())


def region_level_of(code: str) -> int:
    """Kemendagri code `PP.KK.CC.DDDD`: the level is the number of dotted parts (1 province ... 4 village)."""
    return code.count(".") + 1


def common_region(codes: list[str]) -> str:
    """The longest region code, in whole levels, that all the codes lie in: 36.03.01.2003 and 36.03.02.2001 give
    36.03; codes of two provinces give "" (national)."""
    if not codes:
        return ""
    common: list[str] = []
    for level in zip(*(c.split(".") for c in codes), strict=False):
        if len(set(level)) != 1:
            break
        common.append(level[0])
    return ".".join(common)
