"""Reads of duplicate detection: the review queue (proposed pairs first), one pair side by side with its
evidence and differences, merges (for undoing) and NIK conflicts; all scoped to the viewer's region."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from jaring.contributions.models import PayerAssignment, PayerKind
from jaring.core.errors import ErrorCode, NotFound
from jaring.core.labels import label_of
from jaring.core.rules import Permission, date_as_written, mask_date, mask_name, mask_nik
from jaring.core.selectors import Viewer
from jaring.linkage import rules
from jaring.linkage.models import CandidatePair, Merge, NikConflict, PairStatus
from jaring.regions.selectors import region_labels
from jaring.registry.models import Worker

FIELD_LABELS = {"nik": "NIK", "full_name": "Nama", "sex": "Jenis kelamin", "birth_date": "Tanggal lahir",
                "birth_place": "Tempat lahir", "mother_name": "Nama ibu kandung", "phone": "Telepon",
                "village_code": "Desa", "address": "Alamat", "occupation": "Pekerjaan"}  # fmt: skip
EVIDENCE_LABELS = {"nik": "NIK", "name": "Nama", "birth_date": "Tanggal lahir", "sex": "Jenis kelamin",
                   "place": "Wilayah", "mother": "Nama ibu", "phone": "Telepon"}  # fmt: skip


SEX_WORDS = {"L": "laki-laki", "P": "perempuan"}


def _scoped_pairs(viewer: Viewer) -> Any:
    pairs = CandidatePair.objects.all()
    if not viewer.all_regions:
        mine = Worker.objects.filter(viewer.region_q()).values("pk")
        pairs = pairs.filter(Q(worker_a__in=mine) | Q(worker_b__in=mine))
    return pairs


def _person(w: Worker, viewer: Viewer) -> dict[str, Any]:
    full = viewer.sees_personal_data  # every role that reviews duplicates does today; the mask keeps it so
    return {"id": w.pk, "nik": (w.nik or "") if full else mask_nik(w.nik), "name": w.full_name,
            "birth_date": (w.birth_date.isoformat() if w.birth_date else "") if full else mask_date(w.birth_date),
            "village_code": w.village_id}  # fmt: skip


@dataclass(frozen=True)
class PairRow:
    id: int
    probability: float
    priority: int
    nik_typo: bool
    status: str
    a: dict[str, Any]
    b: dict[str, Any]


def pair_queue(*, viewer: Viewer, status: str = PairStatus.OPEN, limit: int = 200) -> list[PairRow]:
    """Open pairs of the viewer's region, proposed first (high probability and a NIK typo), then by
    probability. Pairs whose worker was merged in another decision leave the queue."""
    viewer.require(Permission.REVIEW_DUPLICATES)
    pairs = _scoped_pairs(viewer).filter(status=status)
    if status == PairStatus.OPEN:
        pairs = pairs.filter(worker_a__merged_into__isnull=True, worker_b__merged_into__isnull=True)
    pairs = pairs.select_related("worker_a", "worker_b").order_by("priority", "-probability", "id")[:limit]
    return [PairRow(id=p.pk, probability=p.probability, priority=p.priority, nik_typo=p.nik_typo, status=p.status,
                    a=_person(p.worker_a, viewer), b=_person(p.worker_b, viewer)) for p in pairs]  # fmt: skip


@dataclass(frozen=True)
class PairDetail:
    id: int
    probability: float
    status: str
    reason: str
    nik_typo: bool
    rows: list[tuple[str, str, str, bool]]  # label, value a, value b, differ
    evidence: list[Evidence]
    a_id: int
    b_id: int
    suggested_survivor: int
    holds: list[
        tuple[str, str, str]
    ]  # what each record holds: the card, the funding, the claims (label, a, b)
    survivor_why: str  # why the suggested record is kept, in words
    status_label: str = ""


@dataclass(frozen=True)
class Evidence:
    field: str  # "Nama"
    level: str  # "nama hampir sama"
    weight: float | None  # match weight: log2 of the Bayes factor
    bayes_factor: float | None
    words: str  # "mendukung orang yang sama"
    factor_text: str  # "× 120", "÷ 8"


def _fields(w: Worker, viewer: Viewer) -> dict[str, Any]:
    person = _person(w, viewer)
    mother = w.mother_name if viewer.sees_personal_data else mask_name(w.mother_name)
    return {"nik": person["nik"], "full_name": w.full_name, "sex": w.sex, "birth_date": person["birth_date"],
            "birth_place": w.birth_place, "mother_name": mother, "phone": w.phone, "village_code": w.village_id, "address": w.address,
            "occupation": w.occupation}  # fmt: skip


def merge_side(worker: Worker) -> rules.MergeSide:
    """What `rules.survivor_choice` weighs of one record: its NIK, an active card, its claims."""
    return rules.MergeSide(worker_id=worker.pk, has_nik=bool(worker.nik),
                           active_card=worker.memberships.filter(status="active").exists(),
                           claims=worker.claims.count())  # fmt: skip


def pair_get(*, viewer: Viewer, pair_id: int) -> PairDetail:
    viewer.require(Permission.REVIEW_DUPLICATES)
    pair = _scoped_pairs(viewer).filter(pk=pair_id).select_related("worker_a", "worker_b").first()
    if pair is None:
        raise NotFound("Pasangan tidak ditemukan.", code=ErrorCode.PAIR_NOT_FOUND)
    a, b = _fields(pair.worker_a, viewer), _fields(pair.worker_b, viewer)
    differ = rules.differences(a, b)
    places = region_labels(codes=sorted({str(a["village_code"]), str(b["village_code"])} - {"", "None"}))
    for side in (a, b):
        code = str(side["village_code"] or "")
        side["village_code"] = f"{places[code]} ({code})" if places.get(code) else code
        side["occupation"] = label_of("occupation", side["occupation"]) if side["occupation"] else ""
        side["sex"] = SEX_WORDS.get(str(side["sex"]), side["sex"])
        side["birth_date"] = date_as_written(str(side["birth_date"] or ""))
    sides = [merge_side(w) for w in (pair.worker_a, pair.worker_b)]
    survivor = rules.survivor_choice(*sides)
    return PairDetail(
        id=pair.pk, probability=pair.probability, status=pair.status, reason=pair.reason, nik_typo=pair.nik_typo,
        rows=[(label, str(a[k]), str(b[k]), k in differ) for k, label in FIELD_LABELS.items()],
        evidence=[_evidence(f, e) for f, e in pair.evidence.items()], a_id=pair.worker_a_id, b_id=pair.worker_b_id,
        suggested_survivor=survivor, holds=_holds(pair.worker_a, pair.worker_b, sides),
        survivor_why=_survivor_why(sides, survivor), status_label=PairStatus(pair.status).label,
    )  # fmt: skip


def _evidence(field: str, e: dict[str, Any]) -> Evidence:
    bf = e.get("bf")
    weight = e.get("weight")
    if weight is None and bf:
        weight = math.log2(float(bf))
    return Evidence(EVIDENCE_LABELS.get(field, field), str(e.get("level", "")), weight, bf,
                    rules.evidence_words(weight), rules.bayes_factor_text(bf))  # fmt: skip


def _holds(a: Worker, b: Worker, sides: list[rules.MergeSide]) -> list[tuple[str, str, str]]:
    """The card, the funding and the claims of each record: what a merge moves to the one it keeps."""
    cards = {
        w.pk: w.memberships.filter(status="active").values_list("kpj", flat=True).first() for w in (a, b)
    }
    funders: dict[int, list[str]] = {a.pk: [], b.pk: []}
    for worker_id, name in (
        PayerAssignment.objects.filter(worker_id__in=[a.pk, b.pk], last_period="")
        .exclude(payer__kind=PayerKind.WORKER)
        .values_list("worker_id", "payer__name")
    ):
        funders[worker_id].append(name)
    claims = {s.worker_id: s.claims for s in sides}
    return [
        ("Kartu aktif (KPJ)", cards[a.pk] or "—", cards[b.pk] or "—"),
        (
            "Didanai oleh",
            ", ".join(funders[a.pk]) or "bayar sendiri",
            ", ".join(funders[b.pk]) or "bayar sendiri",
        ),
        ("Klaim", str(claims[a.pk]), str(claims[b.pk])),
    ]


def _survivor_why(sides: list[rules.MergeSide], survivor: int) -> str:
    kept = next(s for s in sides if s.worker_id == survivor)
    other = next(s for s in sides if s.worker_id != survivor)
    if kept.has_nik and not other.has_nik:
        return "hanya data ini yang ber-NIK"
    if kept.active_card and not other.active_card:
        return "data ini memegang kartu aktif"
    if kept.claims > other.claims:
        return "data ini memiliki klaim"
    return "data yang lebih dulu terdaftar"


def duplicates_list(*, viewer: Viewer, limit: int = 10_000) -> list[dict[str, Any]]:
    """Open pairs for `jaring duplicates list --json`: probability and, for both workers, id, nik (empty where
    unknown), name, birth date and village code."""
    return [{"id": r.id, "probability": round(r.probability, 6), "proposed": r.priority == 0, "nik_typo": r.nik_typo,
             "workers": [r.a, r.b]} for r in pair_queue(viewer=viewer, limit=limit)]  # fmt: skip


@dataclass(frozen=True)
class MergeRow:
    id: int
    survivor_id: int
    survivor_name: str
    retired_id: int
    retired_name: str
    reason: str
    merged_at: dt.datetime
    undone_at: dt.datetime | None
    moved: dict[str, int]
    kept: dict[str, int]


def merge_list(*, viewer: Viewer, limit: int = 200) -> list[MergeRow]:
    viewer.require(Permission.REVIEW_DUPLICATES)
    merges = Merge.objects.select_related("survivor", "retired").order_by("-id")
    if not viewer.all_regions:
        merges = merges.filter(survivor__in=Worker.objects.filter(viewer.region_q()).values("pk"))
    return [MergeRow(id=m.pk, survivor_id=m.survivor_id, survivor_name=m.survivor.full_name, retired_id=m.retired_id,
                     retired_name=m.retired.full_name, reason=m.reason, merged_at=m.merged_at, undone_at=m.undone_at,
                     moved={k: len(v) for k, v in m.moved.items() if v}, kept={k: len(v) for k, v in m.kept.items() if v})
            for m in merges[:limit]]  # fmt: skip


@dataclass(frozen=True)
class ConflictRow:
    id: int
    worker_id: int
    nik: str
    registered_name: str
    name_written: str
    birth_date_written: str
    village_written: str
    batch_id: int | None
    row: int | None
    status: str
    resolution: str
    source: str = "list"


def nik_conflict_list(*, viewer: Viewer, status: str = "open", limit: int = 200) -> list[ConflictRow]:
    viewer.require(Permission.REVIEW_DUPLICATES)
    conflicts = NikConflict.objects.filter(status=status).select_related("worker").order_by("-id")
    if not viewer.all_regions:
        conflicts = conflicts.filter(worker__in=Worker.objects.filter(viewer.region_q()).values("pk"))
    return [ConflictRow(id=c.pk, worker_id=c.worker_id,
                        nik=(c.worker.nik or "") if viewer.sees_personal_data else mask_nik(c.worker.nik), registered_name=c.worker.full_name,
                        name_written=c.name_written, birth_date_written=c.birth_date_written,
                        village_written=c.village_written, batch_id=c.batch_id, row=c.row, status=c.status,
                        resolution=c.resolution, source=c.source) for c in conflicts[:limit]]  # fmt: skip


def open_pair_count(*, viewer: Viewer) -> int:
    """For a home page: the pairs waiting in the viewer's duplicate queue."""
    if not viewer.may(Permission.REVIEW_DUPLICATES):
        return 0
    return (_scoped_pairs(viewer).filter(status=PairStatus.OPEN, worker_a__merged_into__isnull=True,
                                         worker_b__merged_into__isnull=True).count())  # fmt: skip
