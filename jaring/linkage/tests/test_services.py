"""Duplicate detection against the database: a run queues the pairs a person must see (the shipped model, the
registry being small), decisions survive re-runs, merges move history and are undone exactly, a committed
batch is checked against the registry, and a NIK under a different person waits in its own queue."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jaring.claims.factories import covered_member
from jaring.claims.models import Claim
from jaring.claims.rules import ClaimType
from jaring.claims.services import claim_file
from jaring.contributions.factories import at, member
from jaring.contributions.models import BillLine
from jaring.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from jaring.core.factories import make_viewer
from jaring.core.rules import Role
from jaring.core.selectors import SYSTEM
from jaring.imports.tasks import commit_batch
from jaring.imports.tests.files import row_of, xlsx_bytes
from jaring.imports.tests.test_services import commit, stage
from jaring.linkage.models import CandidatePair, DedupeRun, LinkageModel, Merge, NikConflict, PairStatus
from jaring.linkage.selectors import duplicates_list, merge_list, nik_conflict_list, pair_get, pair_queue
from jaring.linkage.services import (
    dedupe_run,
    linkage_settings_set,
    merge_undo,
    nik_conflict_resolve,
    pair_dismiss,
    pair_merge,
)
from jaring.registry.factories import OTHER_REGENCY_VILLAGE, nik_for, worker_cells
from jaring.registry.models import Membership, Worker
from jaring.registry.selectors import WorkerFilters, worker_history, worker_list
from jaring.registry.services import worker_register

pytestmark = pytest.mark.django_db
BIRTH = dt.date(1985, 4, 12)


def _same_person_twice() -> tuple[Worker, Worker]:
    """The village registered him with his NIK; the regency's list wrote him another way, without a NIK."""
    a = member(full_name="Muhammad Yusuf", birth=BIRTH, mother_name="Siti Aminah", phone="081234567890")
    b = worker_register(data=worker_cells(nik="", full_name="H. Moh. Yusup", birth=BIRTH, mother_name="Sitti Aminah",
                                          phone="081234567890"), viewer=SYSTEM, actor=None)  # fmt: skip
    member(
        full_name="Dewi Lestari",
        sex="P",
        birth=dt.date(1992, 8, 3),
        mother_name="Ratna",
        phone="085700000001",
    )
    member(full_name="Agus Salim", birth=dt.date(1970, 1, 30), mother_name="Fatimah", phone="081300000002")
    return a, b


def test_a_list_with_other_spellings_lands_in_the_queue() -> None:
    a, b = _same_person_twice()
    run = dedupe_run(actor=None)
    assert (run.pairs_found, run.proposed, run.auto_merged) == (1, 1, 0) and run.records == 4
    pair = CandidatePair.objects.get()
    assert (pair.worker_a_id, pair.worker_b_id, pair.status) == (a.pk, b.pk, PairStatus.OPEN)
    assert pair.probability >= 0.9 and pair.evidence["birth_date"]["level"] == "tanggal lahir sama"
    assert pair.evidence["nik"]["level"] == "tidak ada data"  # one NIK unknown: no evidence either way
    # Issue #14: every field's weight is kept (the Bayes-factor column was empty: Splink 4 names it mw_<field>)
    assert pair.evidence["birth_date"]["weight"] > 3 and pair.evidence["birth_date"]["bf"] > 8
    assert pair.evidence["nik"]["weight"] == 0 and pair.evidence["nik"]["bf"] == 1
    assert all(e["bf"] is not None for e in pair.evidence.values())
    assert pair.evidence["sex"]["level"] == "jenis kelamin sama"  # in words, never Splink's English
    assert LinkageModel.objects.get().trained_on == 0  # too small to train: the shipped model
    listed = duplicates_list(viewer=SYSTEM)
    assert listed[0]["workers"][1] == {"id": b.pk, "nik": "", "name": "H. Moh. Yusup", "birth_date": "1985-04-12",
                                       "village_code": "36.03.01.2003"}  # fmt: skip


def test_decisions_survive_a_rerun() -> None:
    _same_person_twice()
    dedupe_run(actor=None)
    pair = CandidatePair.objects.get()
    pair_dismiss(pair_id=pair.pk, reason="ayah dan anak, beda orang", viewer=SYSTEM, actor=None)
    again = dedupe_run(actor=None)
    assert (again.pairs_found, again.proposed) == (1, 0)  # found again, never proposed again
    assert CandidatePair.objects.get().status == PairStatus.DISMISSED and pair_queue(viewer=SYSTEM) == []
    with pytest.raises(Conflict):
        pair_merge(pair_id=pair.pk, reason="x", viewer=SYSTEM, actor=None)


def test_merge_moves_history_to_the_survivor_and_undo_restores_it() -> None:
    survivor = covered_member(full_name="Muhammad Yusuf", birth=BIRTH, mother_name="Siti Aminah")
    retired = member(
        full_name="Moh. Yusuf", birth=BIRTH, mother_name="Siti Aminah", nik=nik_for(birth=BIRTH, serial=9999)
    )
    claim = claim_file(nik=retired.nik or "", claim_type=ClaimType.JKK_MEDICAL, event=at("2026-10-20").date(),
                       amount=100_000, viewer=SYSTEM, actor=None)  # fmt: skip
    run = DedupeRun.objects.create(model=LinkageModel.objects.create(parameters={}, trained_on=0))
    pair = CandidatePair.objects.create(worker_a=survivor, worker_b=retired, probability=0.97, run=run)
    merge = pair_merge(pair_id=pair.pk, survivor_id=survivor.pk, reason="KTP sama", viewer=SYSTEM, actor=None)
    retired.refresh_from_db()
    assert retired.merged_into_id == survivor.pk and retired.nik  # both had a NIK: each keeps its own
    assert Claim.objects.get(pk=claim.pk).worker_id == survivor.pk
    assert Membership.objects.filter(worker=survivor).count() == 2
    assert Membership.objects.filter(worker=survivor, status="active").count() == 1  # one person, one card
    assert retired.pk not in [r.id for r in worker_list(viewer=SYSTEM, filters=WorkerFilters()).rows]
    assert merge_list(viewer=SYSTEM)[0].moved["membership"] == 1
    assert pair_queue(viewer=SYSTEM) == []
    with pytest.raises(PermissionDenied):
        merge_undo(merge_id=merge.pk, reason="salah", viewer=make_viewer(Role.BRANCH)[1], actor=None)
    merge_undo(merge_id=merge.pk, reason="ternyata saudara kembar", viewer=SYSTEM, actor=None)
    retired.refresh_from_db()
    assert retired.merged_into_id is None and Claim.objects.get(pk=claim.pk).worker_id == retired.pk
    assert Membership.objects.filter(worker=retired, status="active").count() == 1
    assert CandidatePair.objects.get().status == PairStatus.OPEN  # back in the queue
    with pytest.raises(Conflict):
        merge_undo(merge_id=merge.pk, reason="lagi", viewer=SYSTEM, actor=None)


def test_a_merge_gives_the_survivor_the_nik_it_lacked_and_keeps_months_billed_twice() -> None:
    with_nik = covered_member(full_name="Muhammad Yusuf", birth=BIRTH)
    without = covered_member(full_name="Moh. Yusuf", birth=BIRTH)
    nik = with_nik.nik
    Worker.objects.filter(pk=without.pk).update(nik=None)
    run = DedupeRun.objects.create(model=LinkageModel.objects.create(parameters={}, trained_on=0))
    pair = CandidatePair.objects.create(worker_a=with_nik, worker_b=without, probability=0.97, run=run)
    merge = pair_merge(pair_id=pair.pk, survivor_id=without.pk, reason="sama", viewer=SYSTEM, actor=None)
    assert Worker.objects.get(pk=without.pk).nik == nik and Worker.objects.get(pk=with_nik.pk).nik is None
    # October 2026 was billed (and paid) for both records: that month stays with the retired one (overlap)
    assert len(merge.kept["bill_line"]) == 1 and BillLine.objects.filter(worker=with_nik).count() == 1
    merge_undo(merge_id=merge.pk, reason="batal", viewer=SYSTEM, actor=None)
    assert Worker.objects.get(pk=with_nik.pk).nik == nik and Worker.objects.get(pk=without.pk).nik is None


def test_who_may_decide_and_what_a_decision_needs() -> None:
    a, b = _same_person_twice()
    dedupe_run(actor=None)
    pair = CandidatePair.objects.get()
    village = make_viewer(Role.VILLAGE, region_code="36.03.01.2003")[1]
    with pytest.raises(PermissionDenied):
        pair_merge(pair_id=pair.pk, reason="sama", viewer=village, actor=None)
    with pytest.raises(PermissionDenied):
        pair_queue(viewer=village)
    elsewhere = make_viewer(Role.BRANCH, branch_code="KC-GRS")[1]
    with pytest.raises(NotFound):
        pair_dismiss(pair_id=pair.pk, reason="beda", viewer=elsewhere, actor=None)
    with pytest.raises(ValidationFailed) as missing:
        pair_dismiss(pair_id=pair.pk, reason="  ", viewer=SYSTEM, actor=None)
    assert missing.value.code == "REASON_MISSING"
    with pytest.raises(ValidationFailed) as invalid:
        pair_merge(pair_id=pair.pk, survivor_id=999_999, reason="sama", viewer=SYSTEM, actor=None)
    assert invalid.value.code == "SURVIVOR_INVALID"
    detail = pair_get(viewer=SYSTEM, pair_id=pair.pk)
    assert ("Nama", "Muhammad Yusuf", "H. Moh. Yusup", True) in detail.rows
    assert detail.suggested_survivor == a.pk  # the record with the NIK and the card
    assert CandidatePair.objects.get().status == PairStatus.OPEN


def test_automatic_merging_only_when_an_administrator_turns_it_on() -> None:
    _same_person_twice()
    with pytest.raises(PermissionDenied):
        linkage_settings_set(auto_merge=True, threshold=0.95, viewer=make_viewer(Role.BRANCH)[1], actor=None)
    with pytest.raises(ValidationFailed):
        linkage_settings_set(auto_merge=True, threshold=0.5, viewer=SYSTEM, actor=None)
    linkage_settings_set(auto_merge=True, threshold=0.9, viewer=SYSTEM, actor=None)
    run = dedupe_run(actor=None)
    assert run.auto_merged == 1 and Merge.objects.get().reason.startswith("otomatis")
    assert CandidatePair.objects.get().status == PairStatus.MERGED


def test_a_committed_batch_is_checked_against_the_registry(settings: Any, jobs: Any) -> None:
    a = member(full_name="Muhammad Yusuf", birth=BIRTH, mother_name="Siti Aminah", phone="081234567890")
    settings.JARING = {**settings.JARING, "DEDUPE_ON_COMMIT": True}
    batch = stage(xlsx_bytes([row_of(worker_cells(nik="", full_name="MOCH. YUSUF", birth=BIRTH,
                                                  mother_name="Siti Aminah", phone="081234567890")),
                              row_of(worker_cells(full_name="Rina Wati", sex="P", birth=dt.date(1990, 2, 2),
                                                  mother_name="Imas", phone="081355500000"))]))  # fmt: skip
    with jobs():  # the check starts once the commit is durable
        commit_batch.call(batch.pk, None)
    run = DedupeRun.objects.get()
    assert run.batch_id == batch.pk and run.proposed == 1
    pair = CandidatePair.objects.get()
    assert (
        pair.worker_a_id == a.pk and Worker.objects.get(pk=pair.worker_b_id).full_name == "Moch. Yusuf"
    )  # capitals tidied by the import


def test_a_registered_nik_under_another_person_waits_as_a_nik_conflict() -> None:
    nik = nik_for()
    member(full_name="Budi Santoso", nik=nik)
    commit(stage(xlsx_bytes([row_of(worker_cells(nik=nik, full_name="Siti Rohmah", sex="L"))])))
    conflict = NikConflict.objects.get()
    assert conflict.name_written == "Siti Rohmah" and conflict.row == 2
    rows = nik_conflict_list(viewer=SYSTEM)
    assert rows[0].registered_name == "Budi Santoso" and rows[0].nik == nik
    assert Worker.objects.filter(nik=nik).count() == 1  # never merged, never a second worker
    with pytest.raises(PermissionDenied):
        nik_conflict_resolve(
            conflict_id=conflict.pk, resolution="x", viewer=make_viewer(Role.SPONSOR)[1], actor=None
        )
    nik_conflict_resolve(conflict_id=conflict.pk, resolution="NIK Siti salah ketik; desa memperbaiki", viewer=SYSTEM,
                         actor=None)  # fmt: skip
    assert nik_conflict_list(viewer=SYSTEM) == []
    with pytest.raises(Conflict):
        nik_conflict_resolve(conflict_id=conflict.pk, resolution="lagi", viewer=SYSTEM, actor=None)


def test_a_branch_sees_only_pairs_of_its_regencies() -> None:
    _same_person_twice()
    dedupe_run(actor=None)
    assert pair_queue(viewer=make_viewer(Role.BRANCH, branch_code="KC-TGR-CKP")[1])
    assert (
        member(village=OTHER_REGENCY_VILLAGE)
        and pair_queue(viewer=make_viewer(Role.BRANCH, branch_code="KC-GRS")[1]) == []
    )


def test_a_nik_kept_by_a_merged_duplicate_reaches_the_survivor() -> None:
    """After a merge where both records had a NIK, a list or a claim with the retired record's NIK reaches the
    person who survived, not the retired record."""
    survivor = covered_member(full_name="Muhammad Yusuf", birth=BIRTH)
    retired = member(full_name="Moh. Yusuf", birth=BIRTH, nik=nik_for(birth=BIRTH, serial=9998))
    run = DedupeRun.objects.create(model=LinkageModel.objects.create(parameters={}, trained_on=0))
    pair = CandidatePair.objects.create(worker_a=survivor, worker_b=retired, probability=0.97, run=run)
    pair_merge(pair_id=pair.pk, survivor_id=survivor.pk, reason="sama", viewer=SYSTEM, actor=None)
    batch = commit(
        stage(xlsx_bytes([row_of(worker_cells(nik=retired.nik, full_name="Moh. Yusuf", birth=BIRTH))]))
    )
    assert batch.created_workers == 0 and batch.existing_workers == 1
    claim = claim_file(nik=retired.nik or "", claim_type=ClaimType.JKK_MEDICAL, event=at("2026-10-20").date(),
                       amount=100_000, viewer=SYSTEM, actor=None)  # fmt: skip
    assert claim.worker_id == survivor.pk


def test_a_merge_and_its_undo_appear_in_both_workers_history() -> None:
    """Each app moves its own rows (registered movers); the registry audits the merge under both workers."""
    survivor = covered_member(full_name="Muhammad Yusuf", birth=BIRTH, mother_name="Siti Aminah")
    retired = member(
        full_name="Moh. Yusuf", birth=BIRTH, mother_name="Siti Aminah", nik=nik_for(birth=BIRTH, serial=9998)
    )
    run = DedupeRun.objects.create(model=LinkageModel.objects.create(parameters={}, trained_on=0))
    pair = CandidatePair.objects.create(worker_a=survivor, worker_b=retired, probability=0.97, run=run)
    merge = pair_merge(pair_id=pair.pk, survivor_id=survivor.pk, reason="KTP sama", viewer=SYSTEM, actor=None)
    merge_undo(merge_id=merge.pk, reason="saudara kembar", viewer=SYSTEM, actor=None)
    for worker in (survivor, retired):
        actions = [h.action for h in worker_history(viewer=SYSTEM, worker_id=worker.pk)]
        assert any(a.startswith("worker.merge") and a != "worker.merge_undo" for a in actions), actions
        assert "worker.merge_undo" in actions, actions
    assert merge.moved["membership"] and "bill_line" in merge.moved  # moved by registry and contributions
