"""Donations (GN Lingkaran): a donor picks whom to protect, pays 6 or 12 months at once, gets a receipt."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jaring.contributions.rules import PayerType
from jaring.core.audit import AuditAction, Entity
from jaring.core.errors import ErrorCode, NotFound, ValidationFailed
from jaring.core.rules import Permission, Role
from jaring.core.selectors import Viewer
from jaring.core.services import Actor, audit_record
from jaring.core.types import Period
from jaring.funding import rules
from jaring.funding.models import (
    Program,
    Sponsor,
    SponsorKind,
)
from jaring.funding.selectors import (
    FundedRow,
    plan_month_costs,
    program_workers,
)
from jaring.funding.services.allocation import AllocationResult, allocation_run
from jaring.funding.services.programs import program_create
from jaring.funding.services.sponsors import _sponsor_view, sponsor_create


@dataclass
class Donation:
    program: Program
    result: AllocationResult
    people: list[FundedRow]  # the first 200, names for the donor to see (NIK masked)


def donation_create(
    *,
    workers: int,
    months: int,
    viewer: Viewer,
    actor: Actor,
    region_code: str = "",
    occupation: str = "",
    ecosystem: str = "",
    donor_name: str = "",
    first_period: Period | None = None,
    today: dt.date | None = None,
    dry_run: bool = False,
) -> Donation:
    """A donor funds up to `workers` of the neediest not yet covered workers in a village (or district,
    regency, anywhere), of an occupation or ecosystem, for 6 or 12 months paid at once. A sponsor user gives
    as their own sponsor; branch staff record a walk-in donor by name. The donor pays exactly what the funded
    workers cost: the program's budget is what was committed. A dry run shows whom and what, keeps nothing."""
    viewer.require(Permission.MANAGE_FUNDING)
    if months not in rules.DONATION_MONTHS:
        raise ValidationFailed("Donasi untuk 6 atau 12 bulan.", code=ErrorCode.MONTHS_INVALID, field="months")
    if not 1 <= workers <= 100_000:
        raise ValidationFailed("Jumlah pekerja 1-100.000.", code=ErrorCode.WORKERS_INVALID, field="workers")
    today = today or timezone.localdate()
    start = first_period or Period.of(today).plus(1)
    with transaction.atomic():
        if viewer.role == Role.SPONSOR:
            sponsor = Sponsor.objects.filter(ref=viewer.sponsor_ref).first()
            if sponsor is None:
                raise NotFound("Akun Anda belum terhubung ke sponsor.", code=ErrorCode.SPONSOR_NOT_FOUND)
        else:
            if not donor_name.strip():
                raise ValidationFailed(
                    "Nama donatur wajib diisi.", code=ErrorCode.DONOR_NAME_MISSING, field="donor_name"
                )
            # A walk-in donor: national for the branch office, the officer's own region otherwise.
            home = "" if viewer.all_regions or viewer.role == Role.BRANCH else viewer.region_codes[0]
            sponsor = sponsor_create(name=donor_name, payer_type=PayerType.DONOR.value, kind=SponsorKind.PERSON,
                                     region_code=home, viewer=viewer, actor=actor)  # fmt: skip
        ptype = PayerType(sponsor.payer_type)
        # The budget only bounds the allocation (the quota decides); it is then cut to what the workers cost.
        cost = sum(plan_month_costs(payer_type=ptype, first_period=start, months=months,
                                    income=settings.JARING["INCOME_MAX"]))  # fmt: skip
        program = program_create(
            sponsor_id=sponsor.pk, name=f"Donasi {today:%d-%m-%Y} ({workers} pekerja, {months} bulan)",
            budget=cost * workers, first_period=start, months=months, frequency=months,
            region_codes=[region_code] if region_code else [], occupations=[occupation] if occupation else [],
            ecosystems=[ecosystem] if ecosystem else [], only_uncovered=True, max_workers=workers,
            is_donation=True, viewer=_sponsor_view(viewer, sponsor), actor=actor,
        )  # fmt: skip
        result = allocation_run(program_ids=[program.pk], viewer=_sponsor_view(viewer, sponsor), actor=actor)
        program.refresh_from_db()
        if program.funded_workers == 0:
            raise ValidationFailed(
                "Tidak ada pekerja yang memenuhi pilihan ini dan belum terlindungi: perluas wilayah atau pekerjaan.",
                code=ErrorCode.NO_ELIGIBLE_WORKERS,
            )
        Program.objects.filter(pk=program.pk).update(budget=program.committed)
        program.refresh_from_db()
        audit_record(actor=actor, action=AuditAction.DONATION_CREATE, entity_type=Entity.PROGRAM, entity_id=program.pk,
                     changes={"sponsor": sponsor.ref, "workers": program.funded_workers, "months": months,
                              "amount": program.committed})  # fmt: skip
        people = program_workers(viewer=_sponsor_view(viewer, sponsor), program_id=program.pk, limit=200)
        if dry_run:
            transaction.set_rollback(True)
    return Donation(program=program, result=result, people=people)
