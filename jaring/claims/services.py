"""Every write of claims: filing a claim (assessed by the rules against the ledger; refused claims are recorded
as rejected with the rules' reason), its documents (type and size checked, stored outside the web root), the
steps reported -> documents complete -> verified -> approved -> paid with four eyes, and rejection."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO

import pypdf
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from PIL import Image

from jaring.claims import rules
from jaring.claims.models import Claim, ClaimDocument, ClaimStatus, DisabilityRate, DocumentType
from jaring.claims.rules import Aid, Child, ClaimType, Injury, Level, Mode
from jaring.claims.selectors import claim_assess, claim_facts
from jaring.core.audit import AuditAction, Entity
from jaring.core.changes import coverage_touched
from jaring.core.errors import Conflict, ErrorCode, FileRejected, NotFound, PermissionDenied, ValidationFailed
from jaring.core.rules import may_decide_claims, may_report_claims
from jaring.core.selectors import Viewer
from jaring.core.services import Actor, actor_user, audit_record, counter_take
from jaring.core.types import Period
from jaring.registry.models import Worker
from jaring.registry.movers import move_whole, register_mover


def _claim_for(viewer: Viewer, claim_id: int, *, lock: bool = False) -> Claim:
    query = Claim.objects.filter(pk=claim_id)
    if not viewer.all_regions:
        query = query.filter(viewer.region_q(prefix="worker__"))
    claim = (query.select_for_update() if lock else query).first()
    if claim is None:
        raise NotFound("Klaim tidak ditemukan.", code=ErrorCode.CLAIM_NOT_FOUND)
    return claim


def claim_file(
    *, nik: str, claim_type: ClaimType, event: dt.date, reported_at: dt.datetime | None = None,
    days: int | None = None, percent: Decimal | None = None, mode: Mode | None = None, amount: int | None = None,
    injuries: Sequence[Injury] = (), left_handed: bool = False, aid: Aid | None = None,
    diagnosis: dt.date | None = None, occupational_disease: bool = False, viewer: Viewer, actor: Actor,
) -> Claim:  # fmt: skip
    """Record a claim with the breakdown the rules give today. A claim the rules refuse (a month paid after the
    event, a second death, a lapsed JKK right, an aid given once already) is recorded as rejected with that
    reason: nothing is lost. The accident's earlier claims are read under a lock on the worker, so two home-care
    claims at once cannot both take the same year's remainder."""
    if not may_report_claims(viewer.role):
        raise PermissionDenied("Peran Anda tidak mencatat klaim.", code=ErrorCode.CLAIMS_NOT_ALLOWED)
    reported_at = reported_at or timezone.now()
    with transaction.atomic():
        assessment = claim_assess(nik=nik, claim=claim_type, event=event, viewer=viewer, reported=reported_at,
                                  days=days, percent=percent, mode=mode, amount=amount, injuries=injuries,
                                  left_handed=left_handed, aid=aid, diagnosis=diagnosis,
                                  occupational_disease=occupational_disease)  # fmt: skip
        if claim_type in (ClaimType.JKK_HOME_CARE, ClaimType.JKK_AIDS):  # caps per accident: one at a time
            Worker.objects.select_for_update().filter(pk=assessment.worker_id).first()
            assessment = claim_assess(nik=nik, claim=claim_type, event=event, viewer=viewer, reported=reported_at,
                                      days=days, percent=percent, mode=mode, amount=amount, aid=aid,
                                      diagnosis=diagnosis, occupational_disease=occupational_disease)  # fmt: skip
        number = f"KLM-{timezone.localdate():%Y}-{counter_take(name='claim'):06d}"
        refused = [r["code"] for r in assessment.reasons]
        claim = Claim.objects.create(
            number=number, worker_id=assessment.worker_id, claim_type=claim_type.value, event_date=event, reported_at=reported_at,
            days=days, percent=percent, mode=mode.value if mode else "", amount_claimed=amount, left_handed=left_handed,
            aid=aid.value if aid else "", diagnosis_date=diagnosis, cover=assessment.cover,
            injuries=[{"code": i.code, "function_lost": str(i.function_lost)}
                      | ({"value": str(i.value)} if i.value is not None else {}) for i in injuries],
            income=assessment.income, lines=[{"item": x.item, "amount": x.amount, "basis": x.basis} for x in assessment.lines],
            total=assessment.total, refusals=refused, flags=[f["code"] for f in assessment.flags],
            status=ClaimStatus.REJECTED if refused else ClaimStatus.REPORTED,
            reject_code=refused[0] if refused else "", reject_reason=assessment.reasons[0]["message"] if refused else "",
            filed_by=actor_user(actor),
        )  # fmt: skip
        audit_record(actor=actor, action=AuditAction.CLAIM_FILE, entity_type=Entity.CLAIM, entity_id=claim.pk,
                     changes={"number": number, "type": claim_type.value, "event": event.isoformat(),
                              "diagnosis": diagnosis.isoformat() if diagnosis else None, "aid": claim.aid,
                              "total": claim.total, "status": claim.status, "refusals": refused})  # fmt: skip
    coverage_touched([str(Period.of(timezone.localdate(claim.reported_at)))])  # claims filed that month
    return claim


def claim_document_add(
    *, claim_id: int, doc_type: str, stream: IO[bytes], file_name: str, viewer: Viewer, actor: Actor
) -> ClaimDocument:
    """A PDF, JPEG or PNG up to the size limit, recognised by its bytes; stored under JARING CLAIMS_DIR by its
    hash, never under the web root or by the name it came with."""
    if not may_report_claims(viewer.role):
        raise PermissionDenied(
            "Peran Anda tidak mengunggah dokumen klaim.", code=ErrorCode.CLAIMS_NOT_ALLOWED
        )
    if doc_type not in DocumentType.values:
        raise ValidationFailed(f"Jenis dokumen '{doc_type}' tidak dikenal.", code=ErrorCode.DOCUMENT_TYPE_UNKNOWN,
                               field="doc_type")  # fmt: skip
    limit = settings.JARING["CLAIM_DOCUMENT_MAX_BYTES"]
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise FileRejected(
            f"Dokumen lebih dari {limit // (1024 * 1024)} MB.", code=ErrorCode.FILE_TOO_LARGE, field="file"
        )
    kind = document_inspect(data)
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        claim = _claim_for(viewer, claim_id, lock=True)
        if claim.status in (ClaimStatus.PAID, ClaimStatus.REJECTED):
            raise Conflict("Klaim ini sudah selesai.", code=ErrorCode.CLAIM_CLOSED)
        stored = Path(claim.number) / f"{digest}{rules.DOCUMENT_TYPES[kind]}"
        target = Path(settings.JARING["CLAIMS_DIR"]) / stored
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        document = ClaimDocument.objects.create(
            claim=claim, doc_type=doc_type, file_name=Path(file_name).name[:255], stored_as=str(stored),
            content_type=kind, size=len(data), sha256=digest, uploaded_by=actor_user(actor),
        )  # fmt: skip
        audit_record(actor=actor, action=AuditAction.CLAIM_DOCUMENT_ADD, entity_type=Entity.CLAIM, entity_id=claim.pk,
                     changes={"doc_type": doc_type, "size": len(data), "sha256": digest})  # fmt: skip
    return document


MAX_IMAGE_PIXELS = 40_000_000  # a phone photo of a document is at most a few tens of megapixels


def document_inspect(data: bytes) -> str:
    """The content type a whole file proves (issue #13: the first bytes are not enough; `%PDF-<script>` was
    accepted): a PDF that opens and has pages, a JPEG or PNG that decodes completely, within a pixel bound.
    Anything else is refused with its reason."""
    kind = rules.document_kind(data[:16])
    if kind is None:
        raise FileRejected(
            "Dokumen harus PDF, JPG atau PNG.", code=ErrorCode.FILE_TYPE_NOT_ALLOWED, field="file"
        )
    bad = FileRejected("Berkas rusak atau bukan dokumen yang utuh; pindai atau foto ulang dokumennya.",
                       code=ErrorCode.FILE_CORRUPT, field="file")  # fmt: skip
    if kind == "application/pdf":
        try:
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            if len(reader.pages) < 1:
                raise bad
            reader.pages[0].mediabox  # noqa: B018 (reading the first page proves the structure)
        except FileRejected:
            raise
        except Exception:  # noqa: BLE001 (pypdf raises many kinds for a broken file; all mean one thing here)
            raise bad from None
        return kind
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise FileRejected("Gambar terlalu besar (lebih dari 40 megapiksel).", code=ErrorCode.FILE_TOO_LARGE,
                                   field="file")  # fmt: skip
            if {"image/jpeg": "JPEG", "image/png": "PNG"}[kind] != image.format:
                raise bad
            image.load()  # decodes every pixel: a truncated or crafted image fails here
    except FileRejected:
        raise
    except Exception:  # noqa: BLE001 (Pillow's errors for a broken image: OSError, SyntaxError, bombs, ...)
        raise bad from None
    return kind


def claim_advance(
    *, claim_id: int, viewer: Viewer, actor: Actor, beneficiary_name: str = "", bank: str = "",
    account_number: str = "", payment_reference: str = "",
) -> Claim:  # fmt: skip
    """One step forward: documents complete (every required document present), verified, approved (by someone
    other than the verifier), paid (to a named account, with the transfer's reference)."""
    if not may_decide_claims(viewer.role):
        raise PermissionDenied(
            "Hanya petugas kantor cabang yang memproses klaim.", code=ErrorCode.CLAIMS_NOT_ALLOWED
        )
    with transaction.atomic():
        claim = _claim_for(viewer, claim_id, lock=True)
        target = rules.NEXT_STEP.get(claim.status)
        if target is None:
            raise Conflict("Klaim ini sudah selesai.", code=ErrorCode.CLAIM_CLOSED)
        user = actor_user(actor)
        if target == ClaimStatus.DOCUMENTS_COMPLETE:
            present = set(claim.documents.values_list("doc_type", flat=True))
            missing = rules.missing_documents(claim=ClaimType(claim.claim_type), present=present)
            if missing:
                labels = ", ".join(DocumentType(m).label for m in missing)
                raise ValidationFailed(f"Dokumen belum lengkap: {labels}.", code=ErrorCode.DOCUMENTS_MISSING)
        elif target == ClaimStatus.VERIFIED:
            claim.verified_by = user
        elif target == ClaimStatus.APPROVED:
            if user is not None and claim.verified_by_id == user.pk:
                raise PermissionDenied(
                    "Yang menyetujui tidak boleh orang yang memverifikasi.", code=ErrorCode.FOUR_EYES
                )
            claim.approved_by = user
        elif target == ClaimStatus.PAID:
            fields = {"beneficiary_name": beneficiary_name, "bank": bank, "account_number": account_number,
                      "payment_reference": payment_reference}  # fmt: skip
            for name, value in fields.items():
                if not value.strip():
                    raise ValidationFailed("Isi nama penerima, bank, nomor rekening dan referensi transfer.",
                                           code=ErrorCode.PAYMENT_DETAILS_MISSING, field=name)  # fmt: skip
                setattr(claim, name, value.strip()[:150])
            claim.paid_at = timezone.now()
        claim.status = target
        claim.save()
        audit_record(actor=actor, action=AuditAction(f"claim.{target}"), entity_type=Entity.CLAIM, entity_id=claim.pk,
                     changes={"status": target})  # fmt: skip
    if claim.paid_at is not None and target == ClaimStatus.PAID:
        coverage_touched([str(Period.of(timezone.localdate(claim.paid_at)))])  # claims paid that month
    return claim


REJECT_CODES = {"documents_invalid": "Dokumen tidak sah", "not_work_related": "Bukan kecelakaan kerja",
                "duplicate_claim": "Klaim ganda", "other": "Alasan lain"}  # fmt: skip


def claim_reject(*, claim_id: int, code: str, reason: str, viewer: Viewer, actor: Actor) -> Claim:
    if not may_decide_claims(viewer.role):
        raise PermissionDenied(
            "Hanya petugas kantor cabang yang memproses klaim.", code=ErrorCode.CLAIMS_NOT_ALLOWED
        )
    if code not in REJECT_CODES:
        raise ValidationFailed(f"Kode penolakan '{code}' tidak dikenal: {', '.join(REJECT_CODES)}.",
                               code=ErrorCode.REJECT_CODE_UNKNOWN, field="code")  # fmt: skip
    if not reason.strip():
        raise ValidationFailed("Tulis alasan penolakan.", code=ErrorCode.REASON_MISSING, field="reason")
    with transaction.atomic():
        claim = _claim_for(viewer, claim_id, lock=True)
        if claim.status in (ClaimStatus.PAID, ClaimStatus.REJECTED):
            raise Conflict("Klaim ini sudah selesai.", code=ErrorCode.CLAIM_CLOSED)
        claim.status, claim.reject_code, claim.reject_reason = (
            ClaimStatus.REJECTED,
            code,
            reason.strip()[:255],
        )
        claim.save()
        audit_record(actor=actor, action=AuditAction.CLAIM_REJECT, entity_type=Entity.CLAIM, entity_id=claim.pk,
                     changes={"code": code, "reason": reason.strip()})  # fmt: skip
    return claim


def scholarship_file(
    *, parent_claim_id: int, child_name: str, child_birth_date: dt.date, child_index: int, level: Level,
    married_or_working: bool = False, school_year: int | None = None, viewer: Viewer, actor: Actor,
) -> Claim:  # fmt: skip
    """A yearly scholarship claim for one child after a death or total disability (PP 82/2019): at most two
    children (0 and 1 in the order the family gives), until 23, married or working, years per level; a JKM
    scholarship needs 36 paid months. One claim per child and school year; refused ones are recorded rejected."""
    if not may_report_claims(viewer.role):
        raise PermissionDenied("Peran Anda tidak mencatat klaim.", code=ErrorCode.CLAIMS_NOT_ALLOWED)
    if not child_name.strip():
        raise ValidationFailed(
            "Nama anak wajib diisi.", code=ErrorCode.CHILD_NAME_MISSING, field="child_name"
        )
    today = timezone.localdate()
    year = school_year or today.year
    with transaction.atomic():
        parent = _claim_for(viewer, parent_claim_id, lock=True)
        if parent.status == ClaimStatus.REJECTED:
            raise Conflict("Klaim asalnya ditolak: tidak ada beasiswa.", code=ErrorCode.PARENT_CLAIM_REJECTED)
        earlier = Claim.objects.filter(parent=parent, child_index=child_index).exclude(
            status=ClaimStatus.REJECTED
        )
        if earlier.filter(school_year=year).exists():
            raise Conflict(
                f"Beasiswa anak ini untuk tahun {year} sudah diklaim.", code=ErrorCode.SCHOLARSHIP_THIS_YEAR
            )
        facts = claim_facts(worker_id=parent.worker_id, event=parent.event_date)
        refusals = rules.scholarship_eligibility(
            trigger=ClaimType(parent.claim_type), paid_months=facts.paid_months,
            # the rule reads the child at its place in the family's order
            children=[Child(child_birth_date, married_or_working)] * (child_index + 1), child_index=child_index,
            level=level, years_claimed_at_level=earlier.filter(level=level.value).count(),
            years_claimed_tk_sd=earlier.filter(level__in=[Level.TK.value, Level.SD.value]).count(), today=today,
        )  # fmt: skip
        lines = rules.scholarship_benefit(level=level)
        number = f"KLM-{today:%Y}-{counter_take(name='claim'):06d}"
        claim = Claim.objects.create(
            number=number, worker_id=parent.worker_id, claim_type=ClaimType.SCHOLARSHIP.value,
            event_date=parent.event_date, reported_at=timezone.now(), income=parent.income,
            lines=[{"item": x.item, "amount": x.amount, "basis": x.basis} for x in lines], total=rules.total(lines),
            refusals=[r.value for r in refusals], status=ClaimStatus.REJECTED if refusals else ClaimStatus.REPORTED,
            reject_code=refusals[0].value if refusals else "",
            reject_reason=rules.REFUSAL_TEXT[refusals[0]] if refusals else "", parent=parent,
            child_name=child_name.strip()[:150], child_birth_date=child_birth_date, child_index=child_index,
            level=level.value, school_year=year, filed_by=actor_user(actor),
        )  # fmt: skip
        audit_record(actor=actor, action=AuditAction.CLAIM_SCHOLARSHIP_FILE, entity_type=Entity.CLAIM, entity_id=claim.pk,
                     changes={"parent": parent.number, "child_index": child_index, "level": level.value,
                              "year": year, "status": claim.status})  # fmt: skip
    coverage_touched([str(Period.of(timezone.localdate(claim.reported_at)))])
    return claim


TABLE_COLUMNS = ("code", "part", "percent", "mirror", "valid_from", "source")


def disability_table_load(*, rows: Sequence[dict[str, str]], actor: Actor) -> int:
    """A new version of the disability table (a new regulation): rows with the columns of
    `claims/data/disability_table.csv` (and, optionally, `percent_max`, `step` and `unit` of
    `disability_table_pp82_2019.csv`: a range the doctor fixes within, or a rate per measured step), all with
    one `valid_from`. Every row is checked first; one bad row
    loads nothing and the error names its line (the header is line 1). Older versions stay for older events."""
    if not rows:
        raise FileRejected("Berkas tabel cacat kosong.", code=ErrorCode.FILE_EMPTY)
    missing = [c for c in TABLE_COLUMNS if c not in rows[0]]
    if missing:
        raise FileRejected(f"Kolom tidak ada: {', '.join(missing)}. Kolom yang diperlukan: {', '.join(TABLE_COLUMNS)}.",
                           code=ErrorCode.COLUMNS_MISSING)  # fmt: skip
    made: list[DisabilityRate] = []
    for line, row in enumerate(rows, start=2):
        where = f"Baris {line}: "
        try:
            percent = Decimal(row["percent"].strip().replace(",", "."))
            valid_from = dt.date.fromisoformat(row["valid_from"].strip())
            percent_max, step = (
                Decimal(text.replace(",", ".")) if (text := (row.get(name) or "").strip()) else None
                for name in ("percent_max", "step")
            )
        except (ArithmeticError, ValueError):
            raise ValidationFailed(where + "persentase, percent_max dan step harus angka dan valid_from tanggal "
                                   "YYYY-MM-DD.", code=ErrorCode.ROW_INVALID, field=f"line {line}") from None  # fmt: skip
        unit = (row.get("unit") or "").strip()
        if (
            not (percent.is_finite() and Decimal(0) < percent <= 100)
            or (percent_max is not None and not (percent_max.is_finite() and percent <= percent_max <= 100))
            or (step is not None and not (step.is_finite() and 0 < step <= 1000 and unit and len(unit) <= 8))
        ):
            raise ValidationFailed(where + "persentase lebih dari 0 dan paling banyak 100; percent_max di antara "
                                   "persentase dan 100; step lebih dari 0 dengan unit.", code=ErrorCode.ROW_INVALID,
                                   field=f"line {line}")  # fmt: skip
        code = row["code"].strip().lower()
        if (
            not code
            or not row["part"].strip()
            or not row["source"].strip()
            or not Decimal(0) < percent <= 100
        ):
            raise ValidationFailed(where + "code, part dan source wajib diisi; persentase lebih dari 0, paling banyak 100.",
                                   code=ErrorCode.ROW_INVALID, field=f"line {line}")  # fmt: skip
        made.append(DisabilityRate(code=code, part=row["part"].strip(), percent=percent, source=row["source"].strip(),
                                   mirror=row["mirror"].strip().lower(), valid_from=valid_from,
                                   percent_max=percent_max, step=step, unit=unit))  # fmt: skip
    codes = [r.code for r in made]
    if len(set(codes)) != len(codes) or len({r.valid_from for r in made}) != 1:
        raise ValidationFailed(
            "Setiap kode sekali saja, dan semua baris dengan satu valid_from.", code=ErrorCode.TABLE_INVALID
        )
    unknown = sorted({r.mirror for r in made if r.mirror and r.mirror not in set(codes)})
    if unknown:
        raise ValidationFailed(
            f"Kolom mirror menyebut kode yang tidak ada: {', '.join(unknown)}.", code=ErrorCode.TABLE_INVALID
        )
    if DisabilityRate.objects.filter(valid_from=made[0].valid_from).exists():
        raise Conflict(f"Tabel cacat berlaku {made[0].valid_from} sudah dimuat.", code=ErrorCode.TABLE_EXISTS)
    with transaction.atomic():
        DisabilityRate.objects.bulk_create(made)
        audit_record(actor=actor, action=AuditAction.DISABILITY_TABLE_LOAD, entity_type=Entity.DISABILITY_RATE,
                     entity_id=made[0].valid_from.isoformat(), changes={"rows": len(made)})  # fmt: skip
    return len(made)


def movers_register() -> None:
    """A merged worker's claims follow the survivor (called from ClaimsConfig.ready)."""
    move, undo = move_whole(Claim, "claim")
    register_mover("claim", move=move, undo=undo)
