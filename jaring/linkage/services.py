"""Every write of duplicate detection: a run over the registry or over one committed import batch (the model
trained on the registry, or the shipped model while the registry is too small to learn from), the review
decisions (merge, dismiss), undoing a merge, the NIK-conflict queue and the administrator's settings."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jaring.core.audit import AuditAction, Entity
from jaring.core.errors import Conflict, ErrorCode, NotFound, ValidationFailed
from jaring.core.rules import Permission
from jaring.core.selectors import Viewer
from jaring.core.services import Actor, actor_user, audit_record
from jaring.linkage import engine, rules
from jaring.linkage.models import (
    CandidatePair,
    DedupeRun,
    LinkageModel,
    LinkageSettings,
    Merge,
    NikConflict,
    PairStatus,
)
from jaring.linkage.selectors import merge_side
from jaring.registry.models import Worker
from jaring.registry.selectors import worker_records
from jaring.registry.services import workers_merge, workers_unmerge

DEFAULT_MODEL = Path(__file__).resolve().parent / "data" / "default_model.json"


def _setting(name: str, default: Any) -> Any:
    return settings.JARING.get(name, default)


def linkage_model_current(*, records: pl.DataFrame | None = None, retrain: bool = False) -> LinkageModel:
    """The model in use. A registry of at least JARING LINKAGE_MIN_TRAIN workers trains its own; a smaller one
    starts from the shipped model (trained the same way on the synthetic registry, `bench/linkage.py`)."""
    current = LinkageModel.objects.order_by("-id").first()
    if current is not None and not retrain:
        return current
    records = records if records is not None else worker_records()
    started = time.perf_counter()
    if records.height >= _setting("LINKAGE_MIN_TRAIN", 5000):
        parameters, trained_on = engine.train(records), records.height
    else:
        parameters, trained_on = json.loads(DEFAULT_MODEL.read_text(encoding="utf-8")), 0
    return LinkageModel.objects.create(parameters=parameters, trained_on=trained_on,
                                       seconds=time.perf_counter() - started)  # fmt: skip


def dedupe_run(*, batch_id: int | None = None, retrain: bool = False, actor: Actor) -> DedupeRun:
    """Score the registry (or one committed batch against it) and queue the pairs no person has seen yet.
    A pair already in the queue, merged or dismissed is never queued again."""
    started = time.perf_counter()
    threshold = float(_setting("LINKAGE_THRESHOLD", 0.9))
    high = float(_setting("LINKAGE_HIGH", 0.99))
    if batch_id is None:
        records = worker_records()
        model = linkage_model_current(records=records, retrain=retrain)
        scored = engine.score(records, model.parameters, threshold=threshold) if records.height > 1 else None
    else:
        new = worker_records(batch_id=batch_id)
        existing = worker_records(exclude_batch=batch_id)
        records = pl.concat([existing, new])
        model = linkage_model_current(records=records, retrain=retrain)
        scored = (
            engine.score_new(existing, new, model.parameters, threshold=threshold) if new.height else None
        )
    pairs = scored if scored is not None else pl.DataFrame()
    found = pairs.height
    run = DedupeRun.objects.create(batch_id=batch_id, model=model, records=records.height, pairs_found=found)
    labels = engine.level_labels(model.parameters)
    niks = dict(zip(records["unique_id"].to_list(), records["nik"].to_list(), strict=True))
    seen = set(CandidatePair.objects.values_list("worker_a_id", "worker_b_id")) if found else set()
    fresh = [row for row in pairs.iter_rows(named=True) if (row["id_l"], row["id_r"]) not in seen]
    new_pairs = []
    for row in fresh:
        typo = rules.nik_typo_consistent(niks.get(row["id_l"]), niks.get(row["id_r"]))
        new_pairs.append(CandidatePair(
            worker_a_id=row["id_l"], worker_b_id=row["id_r"], probability=float(row["probability"]),
            match_weight=float(row["match_weight"]), evidence=engine.evidence(row, labels), nik_typo=typo,
            priority=rules.pair_priority(probability=float(row["probability"]), nik_typo=typo, high=high), run=run,
        ))  # fmt: skip
    with transaction.atomic():
        CandidatePair.objects.bulk_create(new_pairs, batch_size=5000)
        run.proposed = len(new_pairs)
        auto = LinkageSettings.objects.first()
        if auto is not None and auto.auto_merge:
            for pair in CandidatePair.objects.filter(run=run, probability__gte=auto.auto_merge_threshold):
                if _merge_pair(pair=pair, survivor_id=None, actor=actor,
                               reason=f"otomatis: peluang >= {auto.auto_merge_threshold}") is not None:  # fmt: skip
                    run.auto_merged += 1
        run.seconds = time.perf_counter() - started
        run.save(update_fields=["proposed", "auto_merged", "seconds"])
        audit_record(actor=actor, action=AuditAction.DEDUPE_RUN, entity_type=Entity.DEDUPE_RUN, entity_id=run.pk,
                     changes={"batch": batch_id, "pairs_found": found, "proposed": run.proposed,
                              "auto_merged": run.auto_merged})  # fmt: skip
    return run


def _pair_for(viewer: Viewer, pair_id: int) -> CandidatePair:
    pair = CandidatePair.objects.select_for_update().filter(pk=pair_id).first()
    if pair is None or not (
        Worker.objects.filter(viewer.region_q(), pk__in=[pair.worker_a_id, pair.worker_b_id]).exists()
    ):
        raise NotFound("Pasangan tidak ditemukan.", code=ErrorCode.PAIR_NOT_FOUND)
    if pair.status != PairStatus.OPEN:
        raise Conflict("Pasangan ini sudah diputuskan.", code=ErrorCode.PAIR_DECIDED)
    return pair


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("Tuliskan alasannya.", code=ErrorCode.REASON_MISSING, field="reason")
    return reason[:255]


def pair_dismiss(*, pair_id: int, reason: str, viewer: Viewer, actor: Actor) -> CandidatePair:
    """Two different people: the pair is closed and never proposed again."""
    viewer.require(Permission.REVIEW_DUPLICATES)
    with transaction.atomic():
        pair = _pair_for(viewer, pair_id)  # the scope first: a pair outside it is not there
        reason = _reason(reason)
        pair.status, pair.reason = PairStatus.DISMISSED, reason
        pair.decided_by, pair.decided_at = actor_user(actor), timezone.now()
        pair.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        audit_record(actor=actor, action=AuditAction.PAIR_DISMISS, entity_type=Entity.CANDIDATE_PAIR, entity_id=pair.pk,
                     changes={"reason": reason})  # fmt: skip
    return pair


def pair_merge(
    *, pair_id: int, survivor_id: int | None = None, reason: str, viewer: Viewer, actor: Actor
) -> Merge:
    """One person: keep the survivor (the clerk's choice, else `rules.survivor_choice`), retire the other."""
    viewer.require(Permission.REVIEW_DUPLICATES)
    with transaction.atomic():
        pair = _pair_for(viewer, pair_id)  # the scope first: a pair outside it is not there
        reason = _reason(reason)
        if survivor_id is not None and survivor_id not in (pair.worker_a_id, pair.worker_b_id):
            raise ValidationFailed(
                "Pilih salah satu dari kedua data.", code=ErrorCode.SURVIVOR_INVALID, field="survivor"
            )
        merge = _merge_pair(pair=pair, survivor_id=survivor_id, actor=actor, reason=reason)
        if merge is None:
            raise Conflict(
                "Salah satu data sudah digabung ke data lain.", code=ErrorCode.WORKER_ALREADY_MERGED
            )
    return merge


def _merge_pair(*, pair: CandidatePair, survivor_id: int | None, actor: Actor, reason: str) -> Merge | None:
    workers = {
        w.pk: w
        for w in Worker.objects.select_for_update().filter(pk__in=[pair.worker_a_id, pair.worker_b_id])
    }
    if any(w.merged_into_id for w in workers.values()):
        return None
    a, b = workers[pair.worker_a_id], workers[pair.worker_b_id]
    survivor_id = survivor_id or rules.survivor_choice(merge_side(a), merge_side(b))
    survivor, retired = (a, b) if survivor_id == a.pk else (b, a)
    merge = _move(survivor=survivor, retired=retired, actor=actor, reason=reason, pair=pair)
    pair.status, pair.reason = PairStatus.MERGED, reason
    pair.decided_by, pair.decided_at = actor_user(actor), timezone.now()
    pair.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    return merge


def _move(
    *, survivor: Worker, retired: Worker, actor: Actor, reason: str, pair: CandidatePair | None
) -> Merge:
    """The registry merges the two records (every app moves its own rows through its mover); the decision and
    what moved are kept here, so an administrator can undo it exactly."""
    out = workers_merge(survivor_id=survivor.pk, retired_id=retired.pk, reason=reason, actor=actor)
    return Merge.objects.create(pair=pair, survivor=survivor, retired=retired, moved=out.moved, kept=out.kept,
                                nik_moved=out.nik_moved, reason=reason, merged_by=actor_user(actor))  # fmt: skip


def merge_undo(*, merge_id: int, reason: str, viewer: Viewer, actor: Actor) -> Merge:
    """An administrator puts both records back as they were: every moved row returns, the retired worker's
    card is re-activated where the merge ended it, the NIK goes back, and the pair waits in the queue again."""
    viewer.require(Permission.ADMINISTER)
    reason = _reason(reason)
    with transaction.atomic():
        merge = Merge.objects.select_for_update().filter(pk=merge_id).first()
        if merge is None:
            raise NotFound("Penggabungan tidak ditemukan.", code=ErrorCode.MERGE_NOT_FOUND)
        if merge.undone_at is not None:
            raise Conflict("Penggabungan ini sudah dibatalkan.", code=ErrorCode.MERGE_UNDONE)
        retired = Worker.objects.select_for_update().get(pk=merge.retired_id)
        survivor = Worker.objects.select_for_update().get(pk=merge.survivor_id)
        if Merge.objects.filter(retired=survivor, undone_at__isnull=True).exists():
            raise Conflict("Data yang dipertahankan sudah digabung lagi; batalkan penggabungan itu dulu.",
                           code=ErrorCode.MERGE_CHAINED)  # fmt: skip
        workers_unmerge(survivor_id=survivor.pk, retired_id=retired.pk, moved=merge.moved,
                        nik_moved=merge.nik_moved, reason=reason, actor=actor)  # fmt: skip
        merge.undone_by, merge.undone_at = actor_user(actor), timezone.now()
        merge.save(update_fields=["undone_by", "undone_at"])
        if merge.pair_id:
            CandidatePair.objects.filter(pk=merge.pair_id).update(status=PairStatus.OPEN, reason="", decided_by=None,
                                                                 decided_at=None)  # fmt: skip
    return merge


def linkage_settings_set(
    *, auto_merge: bool, threshold: float, viewer: Viewer, actor: Actor
) -> LinkageSettings:
    viewer.require(Permission.ADMINISTER)
    if not 0.9 <= threshold <= 1:
        raise ValidationFailed("Ambang penggabungan otomatis antara 0,9 dan 1.", code=ErrorCode.THRESHOLD_INVALID,
                               field="threshold")  # fmt: skip
    with transaction.atomic():
        current = LinkageSettings.objects.select_for_update().first() or LinkageSettings()
        current.auto_merge, current.auto_merge_threshold = auto_merge, threshold
        current.save()
        audit_record(actor=actor, action=AuditAction.LINKAGE_SETTINGS, entity_type=Entity.LINKAGE_SETTINGS,
                     entity_id=current.pk, changes={"auto_merge": auto_merge, "threshold": threshold})  # fmt: skip
    return current


def nik_conflicts_record(*, batch_id: int, rows: list[dict[str, Any]]) -> int:
    """Rows of a committed batch whose NIK is registered to a clearly different person (the import's
    NIK_NAME_MISMATCH warning): each waits in the NIK-conflict queue with what the list said."""
    made = [NikConflict(worker_id=r["worker_id"], batch_id=batch_id, sheet=r.get("sheet", ""), row=r["row"],
                        name_written=str(r["name"])[:150], birth_date_written=str(r.get("birth_date") or "")[:32],
                        village_written=str(r.get("village_code") or "")[:16]) for r in rows]  # fmt: skip
    NikConflict.objects.bulk_create(made, ignore_conflicts=True)
    return len(made)


def nik_check_record(
    *, worker_id: int, name: str, birth_date: str, village_code: str, user_id: int | None
) -> None:
    """Someone outside the worker's region registered this worker's NIK: the case waits for the worker's
    branch (nothing was registered; the registrar was told only that the branch checks it)."""
    NikConflict.objects.create(worker_id=worker_id, source="form", name_written=name[:150],
                               birth_date_written=birth_date[:32], village_written=village_code[:16],
                               requested_by_id=user_id)  # fmt: skip


def nik_conflict_resolve(*, conflict_id: int, resolution: str, viewer: Viewer, actor: Actor) -> NikConflict:
    viewer.require(Permission.REVIEW_DUPLICATES)
    with transaction.atomic():
        conflict = NikConflict.objects.select_for_update().filter(pk=conflict_id).first()
        if conflict is None or not Worker.objects.filter(viewer.region_q(), pk=conflict.worker_id).exists():
            raise NotFound("Konflik NIK tidak ditemukan.", code=ErrorCode.CONFLICT_NOT_FOUND)
        resolution = _reason(resolution)  # after the scope: a case outside it is not there, whatever is sent
        if conflict.status != "open":
            raise Conflict("Konflik ini sudah diselesaikan.", code=ErrorCode.CONFLICT_RESOLVED)
        conflict.status, conflict.resolution = "resolved", resolution
        conflict.decided_by, conflict.decided_at = actor_user(actor), timezone.now()
        conflict.save(update_fields=["status", "resolution", "decided_by", "decided_at"])
        audit_record(actor=actor, action=AuditAction.NIK_CONFLICT_RESOLVE, entity_type=Entity.NIK_CONFLICT,
                     entity_id=conflict.pk, changes={"resolution": resolution})  # fmt: skip
    return conflict
