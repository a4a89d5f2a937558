"""Every read of the registry an interface needs. Scoped by the viewer; personal data masked by role."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Container, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

import polars as pl
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from jaring.core.audit import AuditAction, Entity
from jaring.core.config import setting_int
from jaring.core.errors import NotFound
from jaring.core.models import AuditEvent
from jaring.core.rules import mask_date, mask_name, mask_nik, may_edit_workers
from jaring.core.selectors import Viewer, region_q
from jaring.regions.selectors import nik_prefixes, region_names
from jaring.registry.models import ContactChangeProposal, Membership, Worker
from jaring.registry.rules import (
    ECOSYSTEM_LABELS,
    OCCUPATION_BY_CODE,
    Ecosystem,
    NikQuery,
    name_key,
    nik_clean,
    nik_query,
)
from jaring.registry.rules.rows import RowContext

PAGE_SIZE = 50


@dataclass(frozen=True)
class WorkerFilters:
    q: str = ""
    region_code: str = ""
    occupation: str = ""


@dataclass(frozen=True)
class WorkerRow:
    id: int
    nik: str
    full_name: str
    sex: str
    birth_date: str
    village_code: str
    village_name: str
    occupation: str
    occupation_label: str
    kpj: str


@dataclass(frozen=True)
class WorkerPage:
    rows: list[WorkerRow]
    next_after: int | None  # keyset cursor: the id to continue after; no COUNT of the whole table


def _search_q(q: str, viewer: Viewer) -> Q:
    kind, key = nik_query(q, sees_nik=viewer.sees_personal_data, today=timezone.localdate())
    if kind == NikQuery.EXACT:
        return Q(nik=key)
    if kind == NikQuery.PREFIX:  # an indexed range, never a LIKE
        return Q(nik__gte=key, nik__lt=key + ":")
    if kind == NikQuery.NOTHING:
        return Q(pk__in=[])
    key = name_key(key)
    if not key:
        return Q()
    # Word-start match on the normalised name: "siti" finds "Siti Aminah", "aminah" finds it too.
    return Q(name_key__startswith=key) | Q(name_key__contains=" " + key)


def worker_list(
    *, viewer: Viewer, filters: WorkerFilters, after: int | None = None, limit: int = PAGE_SIZE
) -> WorkerPage:
    qs = Worker.objects.filter(
        viewer.worker_q(), merged_into__isnull=True
    )  # a merged duplicate is not listed
    if filters.region_code and re.fullmatch(r"\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?", filters.region_code):
        qs = qs.filter(region_q(filters.region_code))
    if filters.occupation:
        qs = qs.filter(occupation=filters.occupation)
    if filters.q:
        qs = qs.filter(_search_q(filters.q, viewer))
    if after is not None:
        qs = qs.filter(id__lt=after)
    workers = list(
        qs.select_related("village")
        .order_by("-id")[: limit + 1]
        .only("id", "nik", "full_name", "sex", "birth_date", "village__name", "village_id", "occupation")
    )
    more = len(workers) > limit
    workers = workers[:limit]
    kpj = _kpj_of(w.id for w in workers)
    rows = [_row(w, viewer, kpj.get(w.id, "")) for w in workers]
    return WorkerPage(rows=rows, next_after=workers[-1].id if more and workers else None)


def _kpj_of(ids: Iterable[int]) -> dict[int, str]:
    return dict(
        Membership.objects.filter(worker_id__in=list(ids), status="active").values_list("worker_id", "kpj")
    )


def _row(w: Worker, viewer: Viewer, kpj: str) -> WorkerRow:
    full = viewer.sees_personal_data
    occupation = OCCUPATION_BY_CODE.get(w.occupation)
    return WorkerRow(
        id=w.id,
        nik=(w.nik or "") if full else mask_nik(w.nik),
        full_name=w.full_name,
        sex=w.sex,
        birth_date=(f"{w.birth_date:%d-%m-%Y}" if w.birth_date else "") if full else mask_date(w.birth_date),
        village_code=w.village_id,
        village_name=w.village.name,
        occupation=w.occupation,
        occupation_label=occupation.label if occupation else w.occupation,
        kpj=kpj,
    )


@dataclass(frozen=True)
class WorkerDetail:
    row: WorkerRow
    birth_place: str
    mother_name: str
    address: str
    phone: str
    district_name: str
    regency_name: str
    province_name: str
    ecosystem_label: str
    sector: str
    income_tier: int
    poverty_decile: int | None
    occupation_text: str
    created_at: dt.datetime
    created_batch_id: int | None
    memberships: list[Membership]
    merged_into_id: int | None = None  # a merged duplicate: the worker it became


def _scoped_worker(viewer: Viewer, worker_id: int) -> Worker:
    worker = Worker.objects.filter(viewer.worker_q(), pk=worker_id).select_related("village").first()
    if worker is None:
        raise NotFound("Pekerja tidak ditemukan atau di luar wilayah Anda.")
    return worker


def worker_visible(*, viewer: Viewer, worker_id: int) -> bool:
    return Worker.objects.filter(viewer.worker_q(), pk=worker_id).exists()


def worker_get(*, viewer: Viewer, worker_id: int) -> WorkerDetail:
    w = _scoped_worker(viewer, worker_id)
    memberships = list(w.memberships.order_by("-registered_at"))
    active = next((m.kpj for m in memberships if m.status == "active"), "")
    names = region_names(codes={w.district_code, w.regency_code, w.province_code})
    full = viewer.sees_personal_data
    return WorkerDetail(
        row=_row(w, viewer, active),
        birth_place=w.birth_place,
        mother_name=w.mother_name if full else mask_name(w.mother_name),
        address=w.address,
        phone=w.phone if full else (w.phone[:4] + "****" + w.phone[-2:] if w.phone else ""),
        district_name=names.get(w.district_code, ""),
        regency_name=names.get(w.regency_code, ""),
        province_name=names.get(w.province_code, ""),
        ecosystem_label=ECOSYSTEM_LABELS.get(Ecosystem(w.ecosystem), w.ecosystem),
        sector=w.sector,
        income_tier=w.income_tier,
        poverty_decile=w.poverty_decile,
        occupation_text=w.occupation_text,
        created_at=w.created_at,
        created_batch_id=w.created_batch_id,
        memberships=memberships,
        merged_into_id=w.merged_into_id,
    )


@dataclass(frozen=True)
class HistoryEntry:
    at: dt.datetime
    actor: str
    action: str
    changes: dict[str, object]
    batch_ref: str
    lines: tuple[tuple[str, str, str], ...] = ()  # the changes in words (label, text, codes in small print)


# What a worker's history says, in words (issue #14: the page showed "warnings: []").
CHANGE_LABELS = {
    "warnings": "Peringatan", "village_written": "Desa yang ditulis", "count": "Jumlah", "field": "Kolom",
    "proposed": "Usulan", "survivor": "Digabung ke data", "retired": "Data yang digabung", "other": "Data lain",
    "reason": "Alasan", "period": "Bulan", "kpj": "KPJ", "file_name": "Berkas", "created_workers": "Pekerja baru",
    "linked_existing": "Sudah terdaftar", "phone": "No HP", "address": "Alamat", "full_name": "Nama",
    "nik": "NIK", "birth_date": "Tanggal lahir", "mother_name": "Nama ibu kandung", "occupation": "Pekerjaan",
    "village_code": "Desa", "income": "Penghasilan",
}  # fmt: skip


def change_lines(changes: dict[str, object]) -> tuple[tuple[str, str, str], ...]:
    """Each change as (label, value) in words: a pair [old, new] as "old → new", a list joined, nothing for an
    empty list or value; counts of moved records ("claims": 2) under their own key."""
    out = []
    for key, value in changes.items():
        if value in (None, "", [], {}):
            continue
        if key == "warnings" and isinstance(value, list):  # stable codes of the checks: small print
            out.append((CHANGE_LABELS[key], f"{len(value)}", ", ".join(str(v) for v in value)))
            continue
        if isinstance(value, list) and len(value) == 2 and key in CHANGE_LABELS and key != "warnings":
            text = f"{value[0] or '—'} → {value[1] or '—'}"
        elif isinstance(value, list | tuple):
            text = ", ".join(str(v) for v in value)
        elif isinstance(value, dict):
            text = ", ".join(f"{k}: {v}" for k, v in value.items())
        else:
            text = str(value)
        out.append((CHANGE_LABELS.get(key, key.replace("_", " ")), text, ""))
    return tuple(out)


_PERSONAL_FIELDS = {"nik", "birth_date", "mother_name", "phone"}


def worker_history(*, viewer: Viewer, worker_id: int) -> list[HistoryEntry]:
    """Every change of one worker, newest first; the list that brought them in is the first entry."""
    w = _scoped_worker(viewer, worker_id)
    events = list(
        AuditEvent.objects.filter(entity_type=Entity.WORKER, entity_id=str(w.pk)).order_by("-at", "-id")
    )
    if w.created_batch_id:
        events += list(
            AuditEvent.objects.filter(
                entity_type=Entity.IMPORT_BATCH,
                entity_id=str(w.created_batch_id),
                action=AuditAction.IMPORT_COMMIT,
            )
        )
    out = []
    for e in events:
        changes = dict(e.changes)
        if not viewer.sees_personal_data:
            changes = {k: (["***", "***"] if k in _PERSONAL_FIELDS else v) for k, v in changes.items()}
        out.append(HistoryEntry(e.at, e.actor_label, e.action, changes, e.batch_ref, change_lines(changes)))
    return out


class Registered(NamedTuple):
    id: int
    phone: str
    address: str
    full_name: str


def workers_by_nik(*, niks: Iterable[str], chunk: int = 100_000) -> dict[str, Registered]:
    """For intake: nik -> the worker already registered with it (id, contact details, name); a NIK kept by a
    merged duplicate answers with the worker it was merged into. One array parameter per chunk (ANY on
    PostgreSQL, json_each on SQLite) instead of thousands of placeholders."""
    table = connection.ops.quote_name(Worker._meta.db_table)
    select = (f"SELECT w.nik, COALESCE(s.id, w.id), COALESCE(s.phone, w.phone), COALESCE(s.address, w.address), "
              f"COALESCE(s.full_name, w.full_name) FROM {table} w LEFT JOIN {table} s ON s.id = w.merged_into_id")  # fmt: skip
    if connection.vendor == "postgresql":
        sql = f"{select} WHERE w.nik = ANY(%s)"
    else:
        sql = f"{select} WHERE w.nik IN (SELECT value FROM json_each(%s))"
    found: dict[str, Registered] = {}
    niks = list(niks)
    with connection.cursor() as cursor:
        for i in range(0, len(niks), chunk):
            part = niks[i : i + chunk]
            cursor.execute(sql, [part if connection.vendor == "postgresql" else json.dumps(part)])
            for nik, wid, phone, address, full_name in cursor.fetchall():
                found[nik] = Registered(wid, phone, address, full_name)
    return found


def proposals_open(*, viewer: Viewer, worker_id: int | None = None) -> list[ContactChangeProposal]:
    """Open contact changes; they quote phone numbers and addresses, so only the roles that decide them see them."""
    if not may_edit_workers(viewer.role):
        return []
    qs = ContactChangeProposal.objects.filter(
        status="open", worker__in=Worker.objects.filter(viewer.region_q())
    )
    if worker_id is not None:
        qs = qs.filter(worker_id=worker_id)
    return list(qs.select_related("worker").order_by("id")[:500])


def row_context(*, today: dt.date, village_codes: Container[str], default_village: str = "") -> RowContext:
    """What every intake path (list, form, API) validates a worker row against: the shipped NIK prefixes,
    the village codes and the registry settings."""
    return RowContext(
        today=today,
        known_prefixes=nik_prefixes(),
        village_codes=village_codes,
        default_village=default_village,
        age_min=setting_int("REGISTRATION_AGE_MIN"),
        age_max=setting_int("REGISTRATION_AGE_MAX"),
        income_min=setting_int("INCOME_MIN"),
        income_max=setting_int("INCOME_MAX"),
        default_income=setting_int("DEFAULT_INCOME_TIER"),
    )


def registry_counts(*, viewer: Viewer) -> tuple[int, int]:
    """Workers and card holders in the viewer's regions (dashboard figures, not for every list page)."""
    workers = Worker.objects.filter(viewer.worker_q(), merged_into__isnull=True)
    return workers.count(), Membership.objects.filter(status="active", worker__in=workers).count()


def worker_records(*, batch_id: int | None = None, exclude_batch: int | None = None) -> pl.DataFrame:
    """Workers not merged away, as duplicate detection's records (one batch's, or all but one batch's), read
    with one cursor."""
    sql = ("SELECT id, nik, full_name, sex, CAST(birth_date AS TEXT), mother_name, phone, village_code "
           f"FROM {Worker._meta.db_table} WHERE merged_into_id IS NULL")  # fmt: skip
    params: list[Any] = []
    if batch_id is not None:
        sql += " AND created_batch_id = %s"
        params.append(batch_id)
    if exclude_batch is not None:
        sql += " AND (created_batch_id IS NULL OR created_batch_id <> %s)"
        params.append(exclude_batch)
    schema = {"unique_id": pl.Int64, "nik": pl.String, "full_name": pl.String, "sex": pl.String,
              "birth_date": pl.String, "mother_name": pl.String, "phone": pl.String, "village_code": pl.String}  # fmt: skip
    chunks = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(200_000):
            chunks.append(pl.DataFrame(rows, schema=schema, orient="row"))
    return pl.concat(chunks) if chunks else pl.DataFrame(schema=schema)


def worker_id_by_key(*, key: str) -> int | None:
    """A worker named on the command line by NIK (16 digits) or by id."""
    key = nik_clean(key)
    if not (key.isascii() and key.isdigit()):
        return None
    if len(key) == 16:
        return Worker.objects.filter(nik=key).values_list("id", flat=True).first()
    return int(key)


def batch_registered(*, batch_id: int) -> bool:
    """Whether a committed list brought workers into the registry (the batch a duplicate check looks at)."""
    return Worker.objects.filter(created_batch_id=batch_id).exists()


def worker_kpj(*, worker_id: int) -> str:
    """The worker's active card number ("" when the worker has none)."""
    return _kpj_of([worker_id]).get(worker_id, "")


def registrations_by(*, viewer: Viewer, since: dt.datetime) -> tuple[int, int]:
    """For an agent's home (issue #14): workers the viewer signed up on the form, in all and since `since`, from
    the audit trail (indexed by actor; the worker's own column is never searched by)."""
    if viewer.user_id is None:
        return 0, 0
    events = AuditEvent.objects.filter(actor_id=viewer.user_id, action=AuditAction.WORKER_REGISTER,
                                       entity_type=Entity.WORKER)  # fmt: skip
    return events.count(), events.filter(at__gte=since).count()
