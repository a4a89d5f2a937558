"""Every write to the registry: registering workers one at a time or in bulk, correcting them, issuing
membership cards and settling the contact changes a list proposed. Atomic and audited."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl
from django.db import IntegrityError, transaction
from django.utils import timezone

from jaring.core.bulk import db_datetime, insert_frame, insert_rows
from jaring.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from jaring.core.rules import may_edit_workers, may_register_workers
from jaring.core.selectors import Viewer
from jaring.core.services import Actor, actor_user, audit_record, counter_take
from jaring.imports.rules import row_validate
from jaring.regions.selectors import region_get
from jaring.registry import rules
from jaring.registry.models import ContactChangeProposal, Membership, Worker
from jaring.registry.selectors import row_context

# The columns a bulk registration writes, in order.
WORKER_COLUMNS = (
    "nik", "full_name", "name_key", "sex", "birth_place", "birth_date", "mother_name", "address",
    "village_code", "district_code", "regency_code", "province_code", "phone", "occupation",
    "occupation_text", "ecosystem", "sector", "income_tier", "poverty_decile", "created_at", "updated_at",
    "created_batch_id", "created_by_id",
)  # fmt: skip

EDITABLE_FIELDS = (
    "full_name", "sex", "birth_place", "birth_date", "mother_name", "address", "village_code", "phone",
    "occupation", "ecosystem", "sector", "income_tier", "poverty_decile",
)  # fmt: skip


def _ancestors(village_code: str) -> tuple[str, str, str]:  # (district, regency, province)
    return village_code[:8], village_code[:5], village_code[:2]


def workers_bulk_create(*, rows: pl.DataFrame, batch_id: int | None, actor_id: int | None) -> int:
    """Insert validated rows (the value columns of imports.rules.RowValidator) in one set-based statement.
    The caller holds the transaction and writes the batch-level audit event."""
    now = db_datetime(timezone.now())
    # In village order: rows of one village land on the same index pages (and NIKs start with the district).
    frame = rows.sort("village_code", "nik", nulls_last=True).select(
        pl.col("nik"), pl.col("full_name"), name_key_expr(pl.col("full_name")).alias("name_key"), "sex", "birth_place",
        pl.col("birth_date").dt.strftime("%Y-%m-%d"), "mother_name", "address", "village_code",
        pl.col("village_code").str.slice(0, 8).alias("district_code"),
        pl.col("village_code").str.slice(0, 5).alias("regency_code"),
        pl.col("village_code").str.slice(0, 2).alias("province_code"),
        "phone", "occupation", "occupation_text", "ecosystem", "sector", "income_tier", "poverty_decile",
        pl.lit(now).alias("created_at"), pl.lit(now).alias("updated_at"),
        pl.lit(batch_id, dtype=pl.Int64).alias("created_batch_id"), pl.lit(actor_id, dtype=pl.Int64).alias("created_by_id"),
    )  # fmt: skip
    return insert_frame(
        Worker._meta.db_table, frame.rename(dict(zip(frame.columns, WORKER_COLUMNS, strict=True)))
    )


def name_key_expr(name: pl.Expr) -> pl.Expr:
    """registry.rules.name_key for a whole column (the same result: tests compare them)."""
    return (
        name.str.to_lowercase()
        .str.replace_all(r"[^0-9a-z ]", " ")
        .str.replace_all(r" +", " ")
        .str.strip_chars(" ")
    )


class _VillageLookup:
    """Membership test against the region table, for single-record paths (bulk paths load the whole set)."""

    def __contains__(self, code: object) -> bool:
        region = region_get(code=str(code))
        return region is not None and region.level == 4


def worker_register(*, data: Mapping[str, object], viewer: Viewer, actor: Actor) -> Worker:
    """Register one worker from a form or the API, by the same rules as a list row."""
    if not may_register_workers(viewer.role):
        raise PermissionDenied("Peran Anda tidak boleh mendaftarkan pekerja.")
    result = row_validate(dict(data), row_context(today=timezone.localdate(), village_codes=_VillageLookup()))
    errors = [i for i in result.issues if i.severity == rules.ERROR]
    if errors:
        first = errors[0]
        raise ValidationFailed(first.message, code=first.code, field=first.field)
    village = str(result.values["village_code"])
    if not viewer.may_see_region(village):
        raise PermissionDenied("Desa ini di luar wilayah kerja Anda.", field="village_code")
    nik = result.values["nik"]
    if nik and Worker.objects.filter(nik=nik).exists():
        raise Conflict("NIK ini sudah terdaftar.", code="NIK_ALREADY_REGISTERED", field="nik")
    district, regency, province = _ancestors(village)
    values = dict(result.values)
    values.pop("village_code")
    try:
        with transaction.atomic():
            worker = Worker.objects.create(
                **values,
                name_key=rules.name_key(str(values["full_name"])),
                village_id=village,
                district_code=district,
                regency_code=regency,
                province_code=province,
                created_by_id=viewer.user_id,
            )
            audit_record(
                actor=actor,
                action="worker.register",
                entity_type="worker",
                entity_id=worker.pk,
                changes={"warnings": [i.code for i in result.issues]},
            )
    except IntegrityError as exc:
        raise Conflict("NIK ini sudah terdaftar.", code="NIK_ALREADY_REGISTERED", field="nik") from exc
    return worker


def _fields_of(changes: Mapping[str, object]) -> set[str]:
    return {"income" if f == "income_tier" else f for f in changes}


def worker_update(*, worker_id: int, changes: Mapping[str, object], viewer: Viewer, actor: Actor) -> Worker:
    """Correct a worker's record. Every changed field is kept in the audit trail with its old value."""
    if not may_edit_workers(viewer.role):
        raise PermissionDenied("Peran Anda tidak boleh mengubah data pekerja.")
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationFailed(
            f"Kolom tidak dapat diubah: {', '.join(sorted(unknown))}.", code="FIELD_NOT_EDITABLE"
        )
    with transaction.atomic():
        worker = Worker.objects.select_for_update().filter(viewer.region_q(), pk=worker_id).first()
        if worker is None:
            raise NotFound("Pekerja tidak ditemukan.")
        current = {f: getattr(worker, "village_id" if f == "village_code" else f) for f in EDITABLE_FIELDS}
        cells: dict[str, object] = {**current, **changes, "nik": worker.nik or ""}
        cells["income"] = cells.pop("income_tier")
        result = row_validate(cells, row_context(today=timezone.localdate(), village_codes=_VillageLookup()))
        errors = [i for i in result.issues if i.severity == rules.ERROR and i.field in _fields_of(changes)]
        if errors:
            raise ValidationFailed(errors[0].message, code=errors[0].code, field=errors[0].field)
        diff: dict[str, list[object]] = {}
        for f in changes:
            new, old = result.values[f], current[f]
            if new == old:
                continue
            diff[f] = [None if old is None else str(old), None if new is None else str(new)]
            if f == "village_code":
                if not viewer.may_see_region(str(new)):
                    raise PermissionDenied("Desa tujuan di luar wilayah kerja Anda.", field="village_code")
                worker.village_id = str(new)
                worker.district_code, worker.regency_code, worker.province_code = _ancestors(str(new))
            else:
                setattr(worker, f, new)
        if diff:
            worker.name_key = rules.name_key(worker.full_name)
            worker.save()
            audit_record(
                actor=actor, action="worker.update", entity_type="worker", entity_id=worker.pk, changes=diff
            )
    return worker


def memberships_register(*, worker_ids: list[int], actor: Actor) -> int:
    """Issue card numbers (KPJ) to workers that have no active membership. Returns how many were issued."""
    with transaction.atomic():
        have = set(
            Membership.objects.filter(worker_id__in=worker_ids, status="active").values_list(
                "worker_id", flat=True
            )
        )
        todo = [w for w in worker_ids if w not in have]
        if not todo:
            return 0
        first = counter_take(name="kpj", count=len(todo))
        now = timezone.now()
        actor_id = getattr(actor_user(actor), "pk", None)
        insert_rows(
            Membership._meta.db_table,
            ("worker_id", "kpj", "status", "registered_at", "registered_by_id"),
            ((wid, rules.kpj_number(first + i), "active", now, actor_id) for i, wid in enumerate(todo)),
        )
        audit_record(
            actor=actor,
            action="membership.register_bulk",
            entity_type="membership_set",
            entity_id=f"kpj-{first}-{first + len(todo) - 1}",
            changes={"count": len(todo)},
        )
    return len(todo)


def proposal_decide(*, proposal_id: int, accept: bool, viewer: Viewer, actor: Actor) -> ContactChangeProposal:
    if not may_edit_workers(viewer.role):
        raise PermissionDenied("Peran Anda tidak boleh mengubah data pekerja.")
    with transaction.atomic():
        proposal = (
            ContactChangeProposal.objects.select_for_update()
            .filter(pk=proposal_id, status="open")
            .filter(worker__in=Worker.objects.filter(viewer.region_q()))
            .first()
        )
        if proposal is None:
            raise NotFound("Usulan perubahan tidak ditemukan atau sudah diputuskan.")
        if accept:
            worker_update(
                worker_id=proposal.worker_id,
                changes={proposal.field_name: proposal.proposed_value},
                viewer=viewer,
                actor=actor,
            )
        proposal.status = "accepted" if accept else "rejected"
        proposal.decided_by_id = viewer.user_id
        proposal.decided_at = timezone.now()
        proposal.save()
        audit_record(
            actor=actor,
            action="proposal.accept" if accept else "proposal.reject",
            entity_type="worker",
            entity_id=proposal.worker_id,
            changes={"field": proposal.field_name, "proposed": proposal.proposed_value},
        )
    return proposal
