"""Sponsors: regencies, villages, companies, donors, BAZNAS, each with its region and users."""

from __future__ import annotations

import re

from django.db import transaction

from jaring.contributions.rules import PayerType, payer_type_parse
from jaring.core.audit import AuditAction, Entity
from jaring.core.errors import Conflict, ErrorCode, PermissionDenied, ValidationFailed
from jaring.core.rules import Permission, Role
from jaring.core.selectors import Viewer
from jaring.core.services import Actor, actor_user, audit_record
from jaring.funding.models import (
    Sponsor,
    SponsorKind,
)
from jaring.regions.selectors import region_get

# ------------------------------------------------------------------------------------- sponsors


def sponsor_create(
    *,
    name: str,
    payer_type: str,
    kind: str = SponsorKind.GOVERNMENT,
    region_code: str = "",
    ref: str = "",
    contact: str = "",
    viewer: Viewer,
    actor: Actor,
) -> Sponsor:
    """A sponsor in the viewer's reach: a regency officer registers sponsors of their regency."""
    viewer.require(Permission.MANAGE_FUNDING)
    if viewer.role == Role.SPONSOR:
        raise PermissionDenied("Sponsor tidak mendaftarkan sponsor lain.", code=ErrorCode.FUNDING_NOT_ALLOWED)
    name = name.strip()
    if not name:
        raise ValidationFailed("Nama sponsor wajib diisi.", code=ErrorCode.SPONSOR_NAME_MISSING, field="name")
    ptype = payer_type_parse(payer_type)
    if ptype == PayerType.MANDIRI:
        raise ValidationFailed(
            "Pekerja mandiri bukan sponsor: pilih APBD, APBDes, CSR, donatur, BAZNAS atau APBN.",
            code=ErrorCode.PAYER_TYPE_NOT_SPONSOR, field="payer_type",
        )  # fmt: skip
    if kind not in SponsorKind.values:
        raise ValidationFailed(
            f"Jenis sponsor '{kind}' tidak dikenal: {', '.join(SponsorKind.values)}.",
            code=ErrorCode.SPONSOR_KIND_UNKNOWN, field="kind",
        )  # fmt: skip
    region_code = region_code.strip()
    if region_code:
        if region_get(code=region_code) is None:
            raise ValidationFailed(
                f"Kode wilayah '{region_code}' tidak dikenal.",
                code=ErrorCode.REGION_UNKNOWN,
                field="region_code",
            )
    if not viewer.all_regions and not (region_code and viewer.may_see_region(region_code)):
        if not (viewer.role == Role.BRANCH and not region_code):
            raise PermissionDenied(
                "Wilayah sponsor di luar wilayah kerja Anda.", code=ErrorCode.REGION_NOT_ALLOWED
            )
    ref = ref.strip() or _slug(name)
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,63}", ref):
        raise ValidationFailed(
            "Kode sponsor: huruf kecil, angka dan tanda hubung (2-64).",
            code=ErrorCode.SPONSOR_REF_INVALID,
            field="ref",
        )
    with transaction.atomic():
        if Sponsor.objects.filter(ref=ref).exists():
            raise Conflict(
                f"Kode sponsor '{ref}' sudah dipakai.", code=ErrorCode.SPONSOR_REF_TAKEN, field="ref"
            )
        sponsor = Sponsor.objects.create(
            ref=ref, name=name, payer_type=ptype.value, kind=kind, region_code=region_code, contact=contact.strip(),
            created_by=actor_user(actor),
        )  # fmt: skip
        audit_record(
            actor=actor, action=AuditAction.SPONSOR_CREATE, entity_type=Entity.SPONSOR, entity_id=sponsor.pk,
            changes={"ref": ref, "name": name, "payer_type": ptype.value, "region_code": region_code},
        )  # fmt: skip
    return sponsor


def _slug(name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:48] or "sponsor"
    ref, n = base, 1
    while Sponsor.objects.filter(ref=ref).exists():
        n += 1
        ref = f"{base}-{n}"
    return ref


def _sponsor_view(viewer: Viewer, sponsor: Sponsor) -> Viewer:
    """The donation acts for its donor: the program belongs to the donor, whoever typed it in."""
    return Viewer(
        user_id=viewer.user_id, username=viewer.username, role=Role.SPONSOR, sponsor_ref=sponsor.ref
    )
