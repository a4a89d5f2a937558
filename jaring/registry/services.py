"""Every write to the registry: registering workers one at a time or in bulk, correcting them, issuing
membership cards and settling the contact changes a list proposed. Atomic and audited."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from jaring.core.audit import AuditAction, Entity
from jaring.core.bulk import db_datetime, insert_frame, insert_rows
from jaring.core.changes import coverage_touched
from jaring.core.errors import Conflict, Deferred, ErrorCode, NotFound, PermissionDenied, ValidationFailed
from jaring.core.rules import may_edit_workers, may_register_workers
from jaring.core.selectors import Viewer
from jaring.core.services import Actor, actor_user, audit_record, counter_take
from jaring.core.types import Period
from jaring.regions.selectors import region_get
from jaring.registry import rules
from jaring.registry.models import ContactChangeProposal, Membership, MembershipStatus, Worker
from jaring.registry.movers import Moved, move_whole, movers, register_mover
from jaring.registry.rules.rows import row_validate
from jaring.registry.selectors import row_context
from jaring.registry.signals import nik_check_requested, workers_registered

WORKER = Worker._meta.db_table
MEMBERSHIP = Membership._meta.db_table

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


@dataclass(frozen=True)
class IntakeResult:
    created: int  # new workers
    cards: int  # memberships issued (new workers, and listed workers who never had one)
    seconds: dict[str, float] = field(default_factory=dict)  # workers, cards


def workers_intake(
    *,
    rows: pl.DataFrame,
    linked_worker_ids: Sequence[int],
    batch_id: int,
    actor_id: int | None,
    actor: Actor,
    nik_conflicts: Sequence[Mapping[str, object]] = (),
    check_duplicates: bool = True,
) -> IntakeResult:
    """The registry's side of a committed list: `rows` become new workers, and every worker the list names (new,
    or `linked_worker_ids` already registered under the row's NIK) holds a membership card afterwards, the
    same way the form and the API register one worker (decision 0010). Then the intake is announced
    (signals.workers_registered). The caller holds the transaction."""
    started = time.perf_counter()
    created = workers_bulk_create(rows=rows, batch_id=batch_id, actor_id=actor_id)
    workers_s = time.perf_counter() - started
    cards = memberships_issue_missing(actor=actor, batch_id=batch_id, expected=created)
    cards += memberships_register(worker_ids=list(linked_worker_ids), actor=actor)
    if created:
        coverage_touched([str(Period.of(timezone.localdate()))])
    workers_registered.send(
        sender=Worker, batch_id=batch_id, nik_conflicts=list(nik_conflicts), check_duplicates=check_duplicates
    )
    cards_s = time.perf_counter() - started - workers_s
    return IntakeResult(
        created=created, cards=cards, seconds={"workers": round(workers_s, 2), "cards": round(cards_s, 2)}
    )


def _nik_check_queue(
    *, registered: Worker, values: Mapping[str, object], viewer: Viewer, actor: Actor
) -> None:
    """A NIK registered outside the registrar's scope is not confirmed to them (issue #13: no "registered
    somewhere in the country" oracle): the case waits in the branch's NIK-conflict queue, audited, and the
    registrar hears a neutral "to be checked by the branch"."""
    with transaction.atomic():
        nik_check_requested.send(sender=Worker, worker_id=registered.pk, name=str(values.get("full_name") or ""),
                                 birth_date=str(values.get("birth_date") or ""),
                                 village_code=str(values.get("village_code") or ""), user_id=viewer.user_id)  # fmt: skip
        audit_record(actor=actor, action=AuditAction.WORKER_NIK_CHECK, entity_type=Entity.WORKER,
                     entity_id=registered.pk, changes={"village_written": str(values.get("village_code") or "")})  # fmt: skip
    raise Deferred("Pendaftaran ini diperiksa dulu oleh kantor cabang; belum ada yang didaftarkan. Kantor cabang "
                   "akan menindaklanjuti.", field="nik")  # fmt: skip


def proposals_create(*, proposals: Sequence[tuple[int, str, str, str]], batch_id: int) -> int:
    """Contact details a list brought for registered workers, (worker_id, field, current, proposed): proposed,
    never overwritten; the batch's commit audits them."""
    return insert_rows(
        ContactChangeProposal._meta.db_table,
        ("worker_id", "field_name", "current_value", "proposed_value", "batch_id", "status"),
        [(*p, batch_id, "open") for p in proposals],
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
    registered = Worker.objects.filter(nik=nik).first() if nik else None
    if registered is not None:
        if viewer.all_regions or Worker.objects.filter(viewer.region_q(), pk=registered.pk).exists():
            raise Conflict("NIK ini sudah terdaftar.", code=ErrorCode.NIK_ALREADY_REGISTERED, field="nik")
        _nik_check_queue(registered=registered, values=result.values, viewer=viewer, actor=actor)
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
            memberships_register(worker_ids=[worker.pk], actor=actor)
            audit_record(
                actor=actor,
                action=AuditAction.WORKER_REGISTER,
                entity_type=Entity.WORKER,
                entity_id=worker.pk,
                changes={"warnings": [i.code for i in result.issues]},
            )
    except IntegrityError as exc:
        raise Conflict(
            "NIK ini sudah terdaftar.", code=ErrorCode.NIK_ALREADY_REGISTERED, field="nik"
        ) from exc
    coverage_touched([str(Period.of(timezone.localdate()))])
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
            f"Kolom tidak dapat diubah: {', '.join(sorted(unknown))}.", code=ErrorCode.FIELD_NOT_EDITABLE
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
            if {"village_code", "occupation", "ecosystem"} & set(diff):  # counted elsewhere in every month
                coverage_touched(None)
            audit_record(
                actor=actor,
                action=AuditAction.WORKER_UPDATE,
                entity_type=Entity.WORKER,
                entity_id=worker.pk,
                changes=diff,
            )
    return worker


def memberships_register(*, worker_ids: list[int], actor: Actor) -> int:
    """Issue card numbers (KPJ) to the given workers that never had a membership. Returns how many."""
    issued = 0
    ids = sorted(set(worker_ids))
    for i in range(0, len(ids), 5000):
        chunk = ids[i : i + 5000]
        marks = ", ".join(["%s"] * len(chunk))
        issued += _memberships_issue(where=f" AND w.id IN ({marks})", params=list(chunk), actor=actor)
    return issued


def memberships_issue_missing(
    *, actor: Actor, batch_id: int | None = None, expected: int | None = None
) -> int:
    """Every worker (of one import batch, or of the whole registry) that never had a membership gets its card.
    Idempotent: a second call issues none. Used by list commits and by `jaring memberships issue`."""
    if batch_id is None:
        return _memberships_issue(where="", params=[], actor=actor)
    return _memberships_issue(
        where=" AND w.created_batch_id = %s", params=[batch_id], actor=actor, expected=expected
    )


def _memberships_issue(*, where: str, params: list[Any], actor: Actor, expected: int | None = None) -> int:
    """A card for every worker matching `where` who is not a merged duplicate and never had a membership (an
    ended one is re-activated by a payment, never replaced: decision 0010). Set-based: the numbers are taken
    from the counter once and the cards written by one INSERT ... SELECT (rules.kpj_sql). `expected`: the caller
    knows how many (a batch's new workers), which saves counting them first."""
    todo = (
        f"FROM {WORKER} w WHERE w.merged_into_id IS NULL AND NOT EXISTS "
        f"(SELECT 1 FROM {MEMBERSHIP} m WHERE m.worker_id = w.id){where}"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        if expected is None:
            cursor.execute(f"SELECT COUNT(*) {todo}", params)
            expected = int(cursor.fetchone()[0])
        count = expected
        if not count:
            return 0
        first = counter_take(name="kpj", count=count)
        cursor.execute(
            f"INSERT INTO {MEMBERSHIP} (worker_id, kpj, status, registered_at, registered_by_id) "
            f"SELECT t.id, {rules.kpj_sql('t.seq')}, %s, %s, %s "
            f"FROM (SELECT w.id, %s + ROW_NUMBER() OVER (ORDER BY w.id) - 1 AS seq {todo}) t",
            [MembershipStatus.ACTIVE.value, db_datetime(timezone.now()), getattr(actor_user(actor), "pk", None),
             first, *params],
        )  # fmt: skip
        if cursor.rowcount != count:  # another writer in between: roll back rather than reuse numbers
            raise Conflict("Kartu tidak dapat diterbitkan; coba lagi.", code=ErrorCode.CONFLICT)
        audit_record(
            actor=actor,
            action=AuditAction.MEMBERSHIP_REGISTER_BULK,
            entity_type=Entity.MEMBERSHIP_SET,
            entity_id=f"kpj-{first}-{first + count - 1}",
            changes={"count": count},
        )
    return count


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
            action=AuditAction.PROPOSAL_ACCEPT if accept else AuditAction.PROPOSAL_REJECT,
            entity_type=Entity.WORKER,
            entity_id=proposal.worker_id,
            changes={"field": proposal.field_name, "proposed": proposal.proposed_value},
        )
    return proposal


# ------------------------------------------------------------------------------------- merging two records


def _memberships_move(*, survivor_id: int, retired_id: int) -> Moved:
    """The retired record's cards follow the survivor; one person holds one active card (the survivor's)."""
    active = Membership.objects.filter(worker_id=survivor_id, status=MembershipStatus.ACTIVE).exists()
    ids = list(Membership.objects.filter(worker_id=retired_id).values_list("pk", "status"))
    ended = [pk for pk, status in ids if status == MembershipStatus.ACTIVE and active]
    Membership.objects.filter(pk__in=ended).update(status=MembershipStatus.ENDED)
    Membership.objects.filter(pk__in=[pk for pk, _ in ids]).update(worker_id=survivor_id)
    return Moved(moved={"membership": [pk for pk, _ in ids], "ended_membership": ended})


def _memberships_undo(*, survivor_id: int, retired_id: int, moved: dict[str, list[int]]) -> None:
    Membership.objects.filter(pk__in=moved.get("membership", [])).update(worker_id=retired_id)
    Membership.objects.filter(pk__in=moved.get("ended_membership", [])).update(status=MembershipStatus.ACTIVE)


def movers_register() -> None:
    """The registry's own rows that follow a merge (called from RegistryConfig.ready)."""
    register_mover("membership", move=_memberships_move, undo=_memberships_undo)
    move, undo = move_whole(ContactChangeProposal, "contact_proposal")
    register_mover("contact_proposal", move=move, undo=undo)


@dataclass(frozen=True)
class MergeOutcome:
    moved: dict[str, list[int]]
    kept: dict[str, list[int]]
    nik_moved: bool


def workers_merge(*, survivor_id: int, retired_id: int, reason: str, actor: Actor) -> MergeOutcome:
    """One person, two records: every app's rows of the retired record move to the survivor through the
    movers the apps registered; the retired record keeps its row and points to the survivor; the survivor
    takes the NIK if it had none and holds a card. Both records' histories show the merge."""
    with transaction.atomic():
        workers = {
            w.pk: w for w in Worker.objects.select_for_update().filter(pk__in=[survivor_id, retired_id])
        }
        survivor, retired = workers[survivor_id], workers[retired_id]
        out = Moved()
        for mover in movers():
            part = mover.move(survivor_id=survivor_id, retired_id=retired_id)
            out.moved.update(part.moved)
            out.kept.update(part.kept)
        nik_moved = bool(retired.nik and not survivor.nik)
        if nik_moved:
            survivor.nik, retired.nik = retired.nik, None
            retired.save(update_fields=["nik"])
            survivor.save(update_fields=["nik"])
        retired.merged_into = survivor
        retired.save(update_fields=["merged_into"])
        coverage_touched(None)  # the retired record's months now count once, as the survivor's
        cards = memberships_register(worker_ids=[survivor_id], actor=actor)
        counts = {"moved": {k: len(v) for k, v in out.moved.items() if v},
                  "kept": {k: len(v) for k, v in out.kept.items() if v}, "reason": reason, "cards_issued": cards}  # fmt: skip
        audit_record(actor=actor, action=AuditAction.WORKER_MERGE, entity_type=Entity.WORKER, entity_id=retired.pk,
                     changes={"survivor": survivor.pk, **counts})  # fmt: skip
        audit_record(actor=actor, action=AuditAction.WORKER_MERGE_SURVIVOR, entity_type=Entity.WORKER,
                     entity_id=survivor.pk, changes={"retired": retired.pk, **counts})  # fmt: skip
    return MergeOutcome(out.moved, out.kept, nik_moved)


def workers_unmerge(
    *,
    survivor_id: int,
    retired_id: int,
    moved: dict[str, list[int]],
    nik_moved: bool,
    reason: str,
    actor: Actor,
) -> None:
    """Undo `workers_merge` exactly: every moved row returns, the NIK goes back, the retired record stands again."""
    with transaction.atomic():
        workers = {
            w.pk: w for w in Worker.objects.select_for_update().filter(pk__in=[survivor_id, retired_id])
        }
        survivor, retired = workers[survivor_id], workers[retired_id]
        if nik_moved:
            retired_nik, survivor.nik = survivor.nik, None
            survivor.save(update_fields=["nik"])
            retired.nik = retired_nik
        retired.merged_into = None
        retired.save(update_fields=["nik", "merged_into"])
        coverage_touched(None)
        for mover in movers():
            mover.undo(survivor_id=survivor_id, retired_id=retired_id, moved=moved)
        for worker_id, other in ((retired_id, survivor_id), (survivor_id, retired_id)):
            audit_record(actor=actor, action=AuditAction.WORKER_MERGE_UNDO, entity_type=Entity.WORKER,
                         entity_id=worker_id, changes={"other": other, "reason": reason})  # fmt: skip


# ------------------------------------------------------------------------------------- membership standing


def memberships_end(*, worker_ids_sql: str, params: Sequence[object] = ()) -> int:
    """End the active memberships of the workers a subquery selects (the ledger's lapse rule decided which:
    more than 3 consecutive unpaid months, Perdir 22/2022). Set-based; the caller audits the run."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {MEMBERSHIP} SET status = %s WHERE status = %s AND worker_id IN ({worker_ids_sql})",
            [MembershipStatus.ENDED.value, MembershipStatus.ACTIVE.value, *params],  # type: ignore[list-item]  # SQL parameters
        )
        return cursor.rowcount


def membership_reactivate(*, worker_id: int) -> Membership | None:
    """The latest ended membership of a worker becomes active again (a new payment or a clerk's decision; the
    unpaid gap stays uncovered). None when the worker has an active card or none at all. The caller audits."""
    with transaction.atomic():
        if Membership.objects.filter(worker_id=worker_id, status=MembershipStatus.ACTIVE).exists():
            return None
        membership = (
            Membership.objects.select_for_update()
            .filter(worker_id=worker_id, status=MembershipStatus.ENDED)
            .order_by("-id")
            .first()
        )
        if membership is None:
            return None
        membership.status = MembershipStatus.ACTIVE
        membership.save(update_fields=["status"])
    return membership
