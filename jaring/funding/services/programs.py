"""Funding programs: budget, months, conditions, priority and quota, each with its own virtual account."""

from __future__ import annotations

import time
from collections.abc import Sequence

from django.db import transaction

from jaring.contributions.models import PayerKind
from jaring.contributions.rules import FREQUENCIES, PayerType
from jaring.contributions.services import payer_create, payer_program_link
from jaring.core.audit import AuditAction, Entity
from jaring.core.errors import ErrorCode, NotFound, ValidationFailed
from jaring.core.rules import Permission, Role
from jaring.core.selectors import Viewer
from jaring.core.services import Actor, actor_user, audit_record
from jaring.core.types import Period
from jaring.funding.models import (
    Program,
    ProgramStatus,
    Sponsor,
)
from jaring.funding.rules import Priority
from jaring.funding.selectors import (
    program_manageable,
    program_q,
    sponsor_q,
)
from jaring.regions.selectors import region_get
from jaring.registry.rules import OCCUPATIONS, Ecosystem

# ------------------------------------------------------------------------------------- programs


def _codes(values: Sequence[str], known: set[str], *, label: str, code: str, fld: str) -> list[str]:
    out = sorted({v.strip() for v in values if v.strip()})
    unknown = [v for v in out if v not in known]
    if unknown:
        raise ValidationFailed(
            f"{label} tidak dikenal: {', '.join(unknown)}. Pilih dari: {', '.join(sorted(known))}.",
            code=code, field=fld,
        )  # fmt: skip
    return out


def program_create(
    *,
    sponsor_id: int,
    name: str,
    budget: int,
    first_period: Period,
    months: int,
    jht: bool = False,
    frequency: int = 1,
    region_codes: Sequence[str] = (),
    occupations: Sequence[str] = (),
    ecosystems: Sequence[str] = (),
    age_min: int | None = None,
    age_max: int | None = None,
    decile_max: int | None = None,
    only_uncovered: bool = False,
    priority: str = Priority.POOREST,
    max_workers: int | None = None,
    is_donation: bool = False,
    viewer: Viewer,
    actor: Actor,
) -> Program:
    """A funding program of a sponsor the viewer manages, with its own virtual account (a contributions payer
    of kind program). Regions must lie within the sponsor's region."""
    viewer.require(Permission.MANAGE_FUNDING)
    sponsor = Sponsor.objects.filter(sponsor_q(viewer), pk=sponsor_id).first()
    if sponsor is None:
        raise NotFound("Sponsor tidak ditemukan.", code=ErrorCode.SPONSOR_NOT_FOUND)
    name = name.strip()
    if not name:
        raise ValidationFailed("Nama program wajib diisi.", code=ErrorCode.PROGRAM_NAME_MISSING, field="name")
    if budget <= 0:
        raise ValidationFailed(
            "Anggaran harus lebih dari Rp 0.", code=ErrorCode.BUDGET_INVALID, field="budget"
        )
    if not 1 <= months <= 60:
        raise ValidationFailed("Lama program 1-60 bulan.", code=ErrorCode.MONTHS_INVALID, field="months")
    if frequency not in FREQUENCIES:
        raise ValidationFailed(
            "Frekuensi bayar 1, 3, 6 atau 12 bulan.", code=ErrorCode.FREQUENCY_INVALID, field="frequency"
        )
    for label, value, fld in (("Usia minimum", age_min, "age_min"), ("Usia maksimum", age_max, "age_max")):
        if value is not None and not 0 <= value <= 120:
            raise ValidationFailed(f"{label} harus 0-120.", code=ErrorCode.AGE_INVALID, field=fld)
    if age_min is not None and age_max is not None and age_min > age_max:
        raise ValidationFailed(
            "Usia minimum melebihi usia maksimum.", code=ErrorCode.AGE_RANGE_INVALID, field="age_min"
        )
    if decile_max is not None and not 1 <= decile_max <= 10:
        raise ValidationFailed("Desil maksimum 1-10.", code=ErrorCode.DECILE_INVALID, field="decile_max")
    if max_workers is not None and max_workers < 1:
        raise ValidationFailed(
            "Kuota pekerja minimal 1.", code=ErrorCode.MAX_WORKERS_INVALID, field="max_workers"
        )
    if priority not in Priority._value2member_map_:
        raise ValidationFailed(
            f"Urutan prioritas '{priority}' tidak dikenal: poorest atau earliest.",
            code=ErrorCode.PRIORITY_UNKNOWN, field="priority",
        )  # fmt: skip
    regions = sorted({c.strip() for c in region_codes if c.strip()})
    for code in regions:
        if region_get(code=code) is None:
            raise ValidationFailed(
                f"Kode wilayah '{code}' tidak dikenal.", code=ErrorCode.REGION_UNKNOWN, field="region_codes"
            )
        if sponsor.region_code and not (
            code == sponsor.region_code or code.startswith(sponsor.region_code + ".")
        ):
            raise ValidationFailed(
                f"Wilayah {code} di luar wilayah sponsor {sponsor.region_code}.",
                code=ErrorCode.REGION_OUTSIDE_SPONSOR, field="region_codes",
            )  # fmt: skip
    if not regions and sponsor.region_code:
        regions = [sponsor.region_code]
    if not viewer.all_regions and viewer.role != Role.SPONSOR:
        # A region role funds workers of its own regions only, whoever the sponsor (a national company too).
        if not regions:
            regions = sorted(viewer.region_codes)
        outside = [c for c in regions if not viewer.may_see_region(c)]
        if outside or not regions:
            raise ValidationFailed(f"Wilayah {', '.join(outside) or '(nasional)'} di luar wilayah Anda.",
                                   code=ErrorCode.REGION_OUTSIDE_SCOPE, field="region_codes")  # fmt: skip
    occ = _codes(occupations, {o.code for o in OCCUPATIONS}, label="Pekerjaan", code=ErrorCode.OCCUPATION_UNKNOWN,
                 fld="occupations")  # fmt: skip
    eco = _codes(ecosystems, {e.value for e in Ecosystem}, label="Ekosistem", code=ErrorCode.ECOSYSTEM_UNKNOWN,
                 fld="ecosystems")  # fmt: skip
    with transaction.atomic():
        program = Program(
            sponsor=sponsor, name=name, payer_type=sponsor.payer_type, budget=budget, first_period=str(first_period),
            months=months, jht=jht, frequency=frequency, region_codes=",".join(regions), occupations=",".join(occ),
            ecosystems=",".join(eco), age_min=age_min, age_max=age_max, decile_max=decile_max,
            only_uncovered=only_uncovered, priority=str(priority), max_workers=max_workers, is_donation=is_donation,
            created_by=actor_user(actor),
        )  # fmt: skip
        program.payer = payer_create(
            kind=PayerKind.PROGRAM, payer_type=PayerType(sponsor.payer_type), name=f"{sponsor.name} - {name}"[:200],
            frequency=frequency, jht=jht, sponsor_ref=sponsor.ref, region_code=sponsor.region_code,
            program_ref=f"funding:new:{sponsor.pk}:{time.monotonic_ns()}", actor=actor,
        )  # fmt: skip
        program.save()
        payer_program_link(payer_id=program.payer_id, program_ref=f"funding:{program.pk}")
        audit_record(
            actor=actor, action=AuditAction.PROGRAM_CREATE, entity_type=Entity.PROGRAM, entity_id=program.pk,
            changes={"sponsor": sponsor.ref, "name": name, "budget": budget, "first_period": str(first_period),
                     "months": months, "regions": regions, "occupations": occ, "ecosystems": eco,
                     "age_min": age_min, "age_max": age_max, "decile_max": decile_max,
                     "only_uncovered": only_uncovered, "priority": str(priority), "max_workers": max_workers},
        )  # fmt: skip
    return program


def program_budget_change(*, program_id: int, budget: int, viewer: Viewer, actor: Actor) -> Program:
    """A budget revision (APBD-P): never below what is already committed."""
    viewer.require(Permission.MANAGE_FUNDING)
    with transaction.atomic():
        program = Program.objects.select_for_update().filter(program_q(viewer), pk=program_id).first()
        if program is None or not program_manageable(viewer, program):
            raise NotFound("Program tidak ditemukan.", code=ErrorCode.PROGRAM_NOT_FOUND)
        if budget < program.committed:
            raise ValidationFailed(
                f"Anggaran baru Rp {budget:,} lebih kecil dari yang sudah terikat Rp {program.committed:,}.",
                code=ErrorCode.BUDGET_BELOW_COMMITTED, field="budget",
            )  # fmt: skip
        before = program.budget
        program.budget = budget
        program.save(update_fields=["budget"])
        audit_record(actor=actor, action=AuditAction.PROGRAM_BUDGET_CHANGE, entity_type=Entity.PROGRAM, entity_id=program.pk,
                     changes={"budget": [before, budget]})  # fmt: skip
    return program


def program_close(*, program_id: int, viewer: Viewer, actor: Actor) -> Program:
    """No new allocations; funded months stay funded."""
    viewer.require(Permission.MANAGE_FUNDING)
    with transaction.atomic():
        program = Program.objects.select_for_update().filter(program_q(viewer), pk=program_id).first()
        if program is None or not program_manageable(viewer, program):
            raise NotFound("Program tidak ditemukan.", code=ErrorCode.PROGRAM_NOT_FOUND)
        program.status = ProgramStatus.CLOSED
        program.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action=AuditAction.PROGRAM_CLOSE,
            entity_type=Entity.PROGRAM,
            entity_id=program.pk,
            changes={},
        )
    return program
