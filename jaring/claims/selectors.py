"""Reads for claims: what the ledger says about a worker at the moment of an event, and a claim assessed by
the rules without recording anything (`jaring claim assess`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import polars as pl
from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone

from jaring.claims import rules
from jaring.claims.models import Claim, ClaimDocument, ClaimStatus, DisabilityRate
from jaring.claims.rules import Aid, ClaimType, Facts, Line, Mode
from jaring.contributions.selectors import contribution_paid, paid_months
from jaring.core.audit import ACTION_LABELS, AuditAction, Entity
from jaring.core.errors import ErrorCode, NotFound, PermissionDenied, ValidationFailed
from jaring.core.models import AuditEvent
from jaring.core.rules import Permission, mask_nik, may_decide_claims
from jaring.core.selectors import Viewer
from jaring.core.types import Period
from jaring.registry.models import Worker


def claim_facts(*, worker_id: int, event: dt.date) -> Facts:
    """Was the event's month paid on or before the end of the event day, and how many months were paid by then.
    A death recorded by a claim that was not rejected is the worker's death. The accident's earlier claims (same
    worker, same event day, not rejected) give the aids already claimed and the home care already used."""
    end_of_day = timezone.make_aware(dt.datetime.combine(event, dt.time.max))
    paid = contribution_paid(worker_id=worker_id, period=Period.of(event), on_or_before=end_of_day)
    death = (
        Claim.objects.filter(worker_id=worker_id, claim_type__in=[t.value for t in rules.DEATH_TYPES])
        .exclude(status=ClaimStatus.REJECTED)
        .order_by("event_date")
        .values_list("event_date", flat=True)
        .first()
    )
    accident = Claim.objects.filter(worker_id=worker_id, event_date=event).exclude(
        status=ClaimStatus.REJECTED
    )
    aids = frozenset(accident.filter(claim_type=ClaimType.JKK_AIDS.value).values_list("aid", flat=True))
    home = accident.filter(claim_type=ClaimType.JKK_HOME_CARE.value).aggregate(
        days=Sum("days"), paid=Sum("total")
    )
    return Facts(event_month_paid_on_time=paid is not None,
                 paid_months=paid_months(worker_id=worker_id, on_or_before=end_of_day), death_date=death,
                 aids_claimed=aids, home_care_days=home["days"] or 0, home_care_paid=home["paid"] or 0)  # fmt: skip


def event_cover(*, worker_id: int, event: dt.date) -> dict[str, str] | None:
    """How the event's month was paid, for the claim's breakdown: when it counts as paid (when Jaring learned of
    the money), the value date the payment carried, its source and payer. None: not paid by the event day."""
    end_of_day = timezone.make_aware(dt.datetime.combine(event, dt.time.max))
    paid = contribution_paid(worker_id=worker_id, period=Period.of(event), on_or_before=end_of_day)
    if paid is None:
        return None
    return {"period": paid.period, "counted_at": paid.paid_at.isoformat(),
            "value_date": paid.value_date.isoformat() if paid.value_date else "", "source": paid.source,
            "payer": paid.payer_name}  # fmt: skip


@dataclass(frozen=True)
class Assessment:
    claim: str
    worker_id: int
    income: int
    eligible: bool
    reasons: list[dict[str, str]]  # refusals: code and message
    flags: list[dict[str, str]]
    lines: list[Line]
    total: int
    cover: dict[str, str] | None = None  # how the event's month was paid (event_cover)


def claim_assess(
    *, nik: str, claim: ClaimType, event: dt.date, viewer: Viewer, reported: dt.datetime | None = None,
    days: int | None = None, percent: Decimal | None = None, mode: Mode | None = None, amount: int | None = None,
    injuries: Sequence[rules.Injury] = (), left_handed: bool = False, today: dt.date | None = None,
    aid: Aid | None = None, diagnosis: dt.date | None = None, occupational_disease: bool = False,
) -> Assessment:  # fmt: skip
    """Eligibility and the benefit breakdown for one event of a worker of the viewer's region, by the rules of
    the schedule in force on the event day; records nothing. An occupational disease (`occupational_disease`, or
    a `diagnosis` date given) needs its diagnosis date: the JKK right runs from it."""
    viewer.require(Permission.REPORT_CLAIMS)
    worker = Worker.objects.filter(viewer.region_q(), nik=nik.strip()).select_related("merged_into").first()
    worker = worker.merged_into if worker is not None and worker.merged_into else worker  # a merged duplicate
    if worker is None:
        raise NotFound(
            "Tidak ada pekerja dengan NIK ini di wilayah Anda.", code=ErrorCode.WORKER_NOT_FOUND, field="nik"
        )
    today = today or timezone.localdate()
    _check_diagnosis(claim=claim, event=event, today=today, diagnosis=diagnosis, disease=occupational_disease)
    schedule = rules.schedule_on(event)
    facts = claim_facts(worker_id=worker.pk, event=event)
    refusals, flags = rules.eligibility(claim=claim, event=event, reported=reported, today=today, facts=facts,
                                        diagnosis=diagnosis, aid=aid, schedule=schedule)  # fmt: skip
    lines = _lines(claim=claim, income=worker.income_tier, event=event, days=days, percent=percent,
                   injuries=list(injuries), left_handed=left_handed, mode=mode, amount=amount, aid=aid,
                   facts=facts, schedule=schedule)  # fmt: skip
    return Assessment(
        claim=claim.value, worker_id=worker.pk, income=worker.income_tier, eligible=not refusals,
        reasons=[{"code": r.value, "message": rules.REFUSAL_TEXT[r], "message_en": rules.REFUSAL_TEXT_EN[r]}
                 for r in refusals],
        flags=[{"code": f.value, "message": rules.FLAG_TEXT[f]} for f in flags],
        lines=lines, total=rules.total(lines), cover=event_cover(worker_id=worker.pk, event=event),
    )  # fmt: skip


def _check_diagnosis(
    *, claim: ClaimType, event: dt.date, today: dt.date, diagnosis: dt.date | None, disease: bool
) -> None:
    if diagnosis is None:
        if disease:
            raise ValidationFailed("Klaim penyakit akibat kerja memerlukan tanggal diagnosis (--diagnosis-date).",
                                   code=ErrorCode.DIAGNOSIS_DATE_MISSING, field="diagnosis_date")  # fmt: skip
        return
    if claim not in rules.JKK_TYPES:
        raise ValidationFailed("Tanggal diagnosis hanya untuk klaim JKK karena penyakit akibat kerja.",
                               code=ErrorCode.DIAGNOSIS_DATE_INVALID, field="diagnosis_date")  # fmt: skip
    if diagnosis > today or diagnosis < event:
        raise ValidationFailed("Tanggal diagnosis tidak boleh di masa depan atau sebelum tanggal kejadian.",
                               code=ErrorCode.DIAGNOSIS_DATE_INVALID, field="diagnosis_date")  # fmt: skip


def _need(value: object, name: str, what: str) -> None:
    if value is None:
        raise ValidationFailed(f"Klaim ini memerlukan {what}.", code=f"{name.upper()}_MISSING", field=name)


def disability_table(*, on: dt.date) -> dict[str, rules.BodyPart]:
    """The disability table in force on a day: per code, the row with the latest `valid_from` on or before it."""
    table: dict[str, rules.BodyPart] = {}
    for row in DisabilityRate.objects.filter(valid_from__lte=on).order_by("valid_from", "id"):
        table[row.code] = rules.BodyPart(code=row.code, part=row.part, percent=row.percent, mirror=row.mirror,
                                         source=row.source, percent_max=row.percent_max, step=row.step,
                                         unit=row.unit)  # fmt: skip
    return table


def _lines(
    *,
    claim: ClaimType,
    income: int,
    event: dt.date,
    days: int | None,
    percent: Decimal | None,
    injuries: list[rules.Injury],
    left_handed: bool,
    mode: Mode | None,
    amount: int | None,
    aid: Aid | None,
    facts: Facts,
    schedule: rules.Schedule,
) -> list[Line]:
    if claim == ClaimType.JKM:
        return rules.jkm_benefit(schedule=schedule)
    if claim == ClaimType.JKK_DEATH:
        return rules.jkk_death_benefit(income=income, schedule=schedule)
    if claim == ClaimType.JKK_TOTAL_DISABILITY:
        return rules.total_disability_benefit(income=income, schedule=schedule)
    if claim == ClaimType.JKK_PARTIAL_DISABILITY:
        if injuries:
            try:
                return rules.partial_disability_lines(income=income, injuries=injuries, left_handed=left_handed,
                                                      table=disability_table(on=event), schedule=schedule)  # fmt: skip
            except rules.RuleInputError as exc:
                raise ValidationFailed(str(exc), code=exc.code, field=exc.field) from None
        _need(percent, "part", "bagian tubuh dari tabel cacat (--part) atau persentase dokter (--percent)")
        assert percent is not None
        if not Decimal(0) < percent <= Decimal(100):
            raise ValidationFailed("Persentase cacat harus lebih dari 0 dan paling banyak 100.",
                                   code=ErrorCode.PERCENT_INVALID, field="percent")  # fmt: skip
        return rules.partial_disability_benefit(income=income, percent=percent, schedule=schedule)
    if claim == ClaimType.JKK_STMB:
        _need(days, "days", "jumlah hari tidak mampu bekerja (--days)")
        assert days is not None
        return rules.stmb_benefit(income=income, days=_days(days), schedule=schedule)
    if claim == ClaimType.JKK_TRANSPORT:
        _need(mode, "mode", "moda transportasi (--mode land|sea|air)")
        _need(amount, "amount", "biaya transportasi (--amount)")
        assert mode is not None and amount is not None
        return rules.transport_benefit(mode=mode, amount=_positive(amount), schedule=schedule)
    if claim == ClaimType.JKK_MEDICAL:
        _need(amount, "amount", "jumlah tagihan fasilitas kesehatan (--amount)")
        assert amount is not None
        return rules.medical_benefit(amount=_positive(amount))
    if claim == ClaimType.JKK_HOME_CARE:
        _need(amount, "amount", "jumlah tagihan perawatan di rumah (--amount)")
        _need(days, "days", "jumlah hari perawatan di rumah (--days)")
        assert amount is not None and days is not None
        return rules.home_care_benefit(amount=_positive(amount), days=_days(days), used_days=facts.home_care_days,
                                       used_amount=facts.home_care_paid, schedule=schedule)  # fmt: skip
    if claim == ClaimType.JKK_AIDS:
        _need(aid, "aid", "jenis alat bantu (--aid glasses|hearing|other|prosthesis)")
        _need(amount, "amount", "harga alat bantu menurut kuitansi (--amount)")
        assert aid is not None and amount is not None
        return rules.aid_benefit(aid=aid, amount=_positive(amount), schedule=schedule)
    raise ValidationFailed("Beasiswa dinilai per anak per tahun bersama klaim asalnya.", code=ErrorCode.CLAIM_TYPE_INVALID,
                           field="type")  # fmt: skip


def _days(days: int) -> int:
    if not 1 <= days <= 36_500:
        raise ValidationFailed("Jumlah hari paling sedikit 1.", code=ErrorCode.DAYS_INVALID, field="days")
    return days


def _positive(amount: int) -> int:
    if amount <= 0:
        raise ValidationFailed("Jumlah harus lebih dari Rp 0.", code=ErrorCode.AMOUNT_INVALID, field="amount")
    return amount


def _scope(viewer: Viewer) -> Q:
    return Q() if viewer.all_regions else viewer.region_q(prefix="worker__")


@dataclass(frozen=True)
class ClaimRow:
    id: int
    number: str
    claim_type: str
    worker_id: int
    worker_name: str
    nik: str
    event_date: dt.date
    status: str
    status_label: str
    total: int
    flags: list[str]


def claim_list(
    *, viewer: Viewer, status: str = "", worker_id: int | None = None, limit: int = 200
) -> list[ClaimRow]:
    """The branch's queue: claims of the viewer's region, newest first; NIK masked for roles that need not see it."""
    viewer.require(Permission.REPORT_CLAIMS)
    query = Claim.objects.filter(_scope(viewer)).select_related("worker").order_by("-id")
    if status:
        query = query.filter(status=status)
    if worker_id is not None:
        query = query.filter(worker_id=worker_id)
    masked = not viewer.sees_personal_data
    return [
        ClaimRow(c.pk, c.number, c.claim_type, c.worker_id, c.worker.full_name,
                 mask_nik(c.worker.nik) if masked else (c.worker.nik or ""), c.event_date, c.status,
                 ClaimStatus(c.status).label, c.total, list(c.flags))
        for c in query[:limit]
    ]  # fmt: skip


@dataclass(frozen=True)
class ClaimStep:
    at: dt.datetime
    action: str  # the audit action's code (small print)
    label: str  # in words: "Klaim diverifikasi"
    actor: str  # who: the user's name, "sistem" when no one signed in


def claim_steps(*, viewer: Viewer, claim_id: int) -> list[ClaimStep]:
    """Every step of one claim, oldest first, with who took it and when (issue #14), from the audit log."""
    claim = claim_get(viewer=viewer, claim_id=claim_id)
    events = AuditEvent.objects.filter(entity_type=Entity.CLAIM, entity_id=str(claim.pk)).order_by("at", "id")
    return [ClaimStep(e.at, e.action, ACTION_LABELS.get(AuditAction(e.action), e.action)
                      if e.action in AuditAction._value2member_map_ else e.action, e.actor_label or "sistem")
            for e in events.only("at", "action", "actor_label")[:200]]  # fmt: skip


def claim_get(*, viewer: Viewer, claim_id: int) -> Claim:
    viewer.require(Permission.REPORT_CLAIMS)
    claim = Claim.objects.filter(_scope(viewer), pk=claim_id).select_related("worker").first()
    if claim is None:
        raise NotFound("Klaim tidak ditemukan.", code=ErrorCode.CLAIM_NOT_FOUND)
    return claim


def claim_document_get(*, viewer: Viewer, document_id: int) -> tuple[ClaimDocument, Path]:
    """A claim's document for those who handle claims in its region only (personal data, UU 27/2022)."""
    if not may_decide_claims(viewer.role):
        raise PermissionDenied(
            "Dokumen klaim hanya untuk petugas yang menangani klaim.", code=ErrorCode.CLAIMS_NOT_ALLOWED
        )
    document = ClaimDocument.objects.filter(
        pk=document_id, claim__in=Claim.objects.filter(_scope(viewer))
    ).first()
    if document is None:
        raise NotFound("Dokumen tidak ditemukan.", code=ErrorCode.DOCUMENT_NOT_FOUND)
    return document, Path(settings.JARING["CLAIMS_DIR"]) / document.stored_as


def document_download_name(document: ClaimDocument) -> str:
    """The name a claim document is served under: never the name it came with (`evil.html`), but the claim,
    the document's type and its real extension."""
    return f"{document.claim.number}-{document.doc_type}-{document.pk}{rules.DOCUMENT_TYPES[document.content_type]}"


@dataclass(frozen=True)
class ClaimStatusView:
    number: str
    claim_type: str
    status: str
    status_label: str
    reported: dt.date
    reject_reason: str
    paid_at: dt.datetime | None


def claim_status_lookup(*, number: str, nik: str) -> ClaimStatusView:
    """What a worker or an heir may see with the claim number and the worker's NIK: the status, nothing more."""
    claim = Claim.objects.filter(number=number.strip().upper(), worker__nik=nik.strip()).first()
    if claim is None:
        raise NotFound("Nomor klaim dan NIK tidak cocok.", code=ErrorCode.CLAIM_NOT_FOUND)
    return ClaimStatusView(claim.number, claim.claim_type, claim.status, ClaimStatus(claim.status).label,
                           timezone.localtime(claim.reported_at).date(), claim.reject_reason, claim.paid_at)  # fmt: skip


def scholarship_outlook(
    *, worker_id: int, event: dt.date, trigger: ClaimType, children: int
) -> dict[str, object]:
    """How many of a worker's children may claim the scholarship after this event (rules.scholarship_children_
    eligible on the months paid by then): children_eligible, paid_months, and the refusal's code if any."""
    months = claim_facts(worker_id=worker_id, event=event).paid_months
    eligible, refusal = rules.scholarship_children_eligible(
        trigger=trigger, paid_months=months, children=children
    )
    return {"children_eligible": eligible, "paid_months": months, "reason": refusal.value if refusal else ""}


def claims_paid(*, viewer: Viewer) -> tuple[int, int]:
    """For a sponsor's home (issue #14): claims paid to the workers the viewer may open, and their amount."""
    found = Claim.objects.filter(
        status=ClaimStatus.PAID, worker__in=Worker.objects.filter(viewer.worker_q())
    ).aggregate(n=Count("id"), amount=Sum("total"))
    return int(found["n"] or 0), int(found["amount"] or 0)


def claim_counts(*, viewer: Viewer) -> list[tuple[str, str, int]]:
    """For a home page: the viewer's claims still in progress, by step (status, label, count)."""
    if not viewer.may(Permission.REPORT_CLAIMS):
        return []
    open_steps = [
        ClaimStatus.REPORTED,
        ClaimStatus.DOCUMENTS_COMPLETE,
        ClaimStatus.VERIFIED,
        ClaimStatus.APPROVED,
    ]
    counts = dict(Claim.objects.filter(_scope(viewer), status__in=open_steps).values_list("status")
                  .annotate(n=Count("id")).values_list("status", "n"))  # fmt: skip
    return [(s.value, s.label, counts.get(s.value, 0)) for s in open_steps]


def claim_months_frame(months: list[str]) -> pl.DataFrame:
    """The claims reported or paid in these months (Jakarta time), for the coverage figures (issue #15):
    worker_id, reported_period, paid_period (None unless paid), total. Registered in ClaimsConfig.ready."""
    schema = {
        "worker_id": pl.Int64,
        "reported_period": pl.String,
        "paid_period": pl.String,
        "total": pl.Int64,
    }
    if not months:
        return pl.DataFrame(schema=schema)
    first = Period.parse(min(months)).first_day()
    since = dt.datetime.combine(first, dt.time(), tzinfo=timezone.get_current_timezone())
    wanted = set(months)
    rows = []
    found = Claim.objects.filter(Q(reported_at__gte=since) | Q(paid_at__gte=since)).values_list(
        "worker_id", "reported_at", "status", "paid_at", "total")  # fmt: skip
    for worker_id, reported_at, status, paid_at, total in found:
        reported = f"{timezone.localtime(reported_at):%Y-%m}"
        paid = f"{timezone.localtime(paid_at):%Y-%m}" if status == ClaimStatus.PAID and paid_at else None
        if reported in wanted or paid in wanted:
            rows.append((worker_id, reported, paid, int(total or 0)))
    return pl.DataFrame(rows, schema=schema, orient="row")
