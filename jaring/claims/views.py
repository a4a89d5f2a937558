"""Pages of claims: the branch's queue and a claim with its breakdown, documents and next step; filing a claim
(village officers and agents report); a status lookup for a worker or an heir (claim number + NIK, posted,
never in the URL). Thin: each calls one selector or service."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jaring.claims.models import ClaimStatus, DocumentType
from jaring.claims.rules import (
    AID_LABELS,
    CLAIM_FIELDS,
    NEXT_STEP,
    REQUIRED_DOCUMENTS,
    SCHOLARSHIP_TRIGGERS,
    Aid,
    ClaimType,
    Injury,
    Level,
    Mode,
    RuleInputError,
    injury_parse,
)
from jaring.claims.selectors import (
    claim_document_get,
    claim_get,
    claim_list,
    claim_status_lookup,
    claim_steps,
    disability_table,
    document_download_name,
)
from jaring.claims.services import (
    REJECT_CODES,
    claim_advance,
    claim_document_add,
    claim_file,
    claim_reject,
    scholarship_file,
)
from jaring.contributions.models import PaymentSource
from jaring.core.errors import FORM_ERRORS, ErrorCode, JaringError, NotFound, ValidationFailed
from jaring.core.ratelimit import allow
from jaring.core.rules import Permission, may_decide_claims
from jaring.core.selectors import Viewer
from jaring.core.types import whole_number
from jaring.core.views_util import download, viewer_required
from jaring.registry.selectors import worker_visible

STEP_LABELS = {"documents": "Tandai dokumen lengkap", "verified": "Verifikasi", "approved": "Setujui",
               "paid": "Catat pembayaran"}  # fmt: skip


@viewer_required
def claim_list_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    viewer.require(Permission.REPORT_CLAIMS)
    status = request.GET.get("status", "")[:10]
    return render(request, "claims/claim_list.html", _list_context(viewer, status=status, form=QueryDict()))


def _list_context(viewer: Viewer, *, status: str, form: QueryDict) -> dict[str, Any]:
    chosen, functions, values = (
        form.getlist("part"),
        form.getlist("part_function"),
        form.getlist("part_value"),
    )
    rows = [
        (chosen[i] if i < len(chosen) else "", functions[i] if i < len(functions) else "",
         values[i] if i < len(values) else "") for i in range(2)
    ]  # fmt: skip
    return {"claims": claim_list(viewer=viewer, status=status), "status": status, "statuses": ClaimStatus.choices,
            "types": [c.value for c in ClaimType if c != ClaimType.SCHOLARSHIP], "modes": [m.value for m in Mode],
            "aids": [(a.value, AID_LABELS[a]) for a in Aid],
            "parts": list(disability_table(on=timezone.localdate()).values()), "part_rows": rows, "form": form,
            "fields": _field_types()}  # fmt: skip


def _field_types() -> dict[str, str]:
    """Each optional field of the claim form with the claim types that ask for it (`data-for`, jaring.js)."""
    names = {name for wanted in CLAIM_FIELDS.values() for name in wanted}
    return {
        name: " ".join(t.value for t, wanted in CLAIM_FIELDS.items() if name in wanted)
        for name in sorted(names)
    }


def _injuries(form: QueryDict) -> list[Injury]:
    """Up to two body parts from the form, each with the percentage of its function lost (empty = all) or the
    doctor's value (a range row's percentage, a per-step row's measured loss)."""
    functions, values = form.getlist("part_function"), form.getlist("part_value")
    injuries = []
    for i, code in enumerate(form.getlist("part")):
        if code.strip():
            function = functions[i].strip().replace(",", ".") if i < len(functions) else ""
            value = values[i].strip().replace(",", ".") if i < len(values) else ""
            text = (f"{code}:{function}" if function else code) + (f"={value}" if value else "")
            try:
                injuries.append(injury_parse(text))
            except RuleInputError as exc:
                raise ValidationFailed(str(exc), code=exc.code, field=exc.field) from None
    return injuries


def _decimal(text: str) -> Decimal | None:
    if not text.strip():
        return None
    try:
        return Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationFailed(
            "Persentase harus angka.", code=ErrorCode.PERCENT_INVALID, field="percent"
        ) from None


@viewer_required
@require_POST
def claim_file_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    viewer.require(Permission.REPORT_CLAIMS)
    form = request.POST
    try:
        try:
            claim_type = ClaimType(form.get("claim_type", ""))
            event = dt.date.fromisoformat(form.get("event_date", ""))
        except ValueError:
            raise ValidationFailed("Pilih jenis klaim dan isi tanggal kejadian (YYYY-MM-DD).",
                                   code=ErrorCode.CLAIM_INPUT_INVALID, field="event_date") from None  # fmt: skip
        mode = Mode(form["mode"]) if form.get("mode") in Mode._value2member_map_ else None
        aid = Aid(form["aid"]) if form.get("aid") in Aid._value2member_map_ else None
        try:
            diagnosis = dt.date.fromisoformat(form["diagnosis_date"]) if form.get("diagnosis_date") else None
        except ValueError:
            raise ValidationFailed("Tanggal diagnosis tidak sah (YYYY-MM-DD).", code=ErrorCode.DIAGNOSIS_DATE_INVALID,
                                   field="diagnosis_date") from None  # fmt: skip
        claim = claim_file(
            nik=form.get("nik", ""), claim_type=claim_type, event=event, days=whole_number(form.get("days", "")),
            percent=_decimal(form.get("percent", "")), mode=mode, injuries=_injuries(form),
            left_handed=form.get("left_handed") == "1", aid=aid, diagnosis=diagnosis,
            occupational_disease=form.get("occupational_disease") == "1",
            amount=whole_number(form.get("amount", "").replace(".", "")), viewer=viewer, actor=request.user,
        )  # fmt: skip
    except JaringError as exc:
        context = _list_context(viewer, status="", form=form) | {"error": f"{exc.message} [{exc.code}]"}
        return render(request, "claims/claim_list.html", context, status=exc.http_status)
    if claim.status == ClaimStatus.REJECTED:
        messages.warning(request, f"Klaim {claim.number} dicatat dan ditolak: {claim.reject_reason}")
    else:
        messages.success(request, f"Klaim {claim.number} dicatat. Unggah dokumennya.")
    return redirect("claims:claim_detail", claim_id=claim.pk)


@viewer_required
def claim_detail_view(request: HttpRequest, viewer: Viewer, claim_id: int) -> HttpResponse:
    viewer.require(Permission.REPORT_CLAIMS)
    claim = claim_get(viewer=viewer, claim_id=claim_id)
    present = set(claim.documents.values_list("doc_type", flat=True))
    required = sorted(REQUIRED_DOCUMENTS[ClaimType(claim.claim_type)])
    step = NEXT_STEP.get(claim.status)
    # Four eyes: the officer who verified never approves, so the button is not offered to them.
    if (
        step == ClaimStatus.APPROVED
        and claim.verified_by_id is not None
        and claim.verified_by_id == viewer.user_id
    ):
        step, awaiting_other = None, True
    else:
        awaiting_other = False
    return render(request, "claims/claim_detail.html", {"awaiting_other": awaiting_other, "cover": _cover(claim.cover),
        "claim": claim, "documents": claim.documents.order_by("id"), "doc_types": DocumentType.choices,
        "required": [(d, DocumentType(d).label, d in present) for d in required], "step": step,
        "step_label": STEP_LABELS.get(step or "", ""), "may_decide": may_decide_claims(viewer.role),
        "reject_codes": REJECT_CODES.items(), "sees_documents": may_decide_claims(viewer.role),
        "scholarships": claim.scholarships.order_by("child_index", "school_year"), "levels": [v.value for v in Level],
        "may_scholarship": claim.claim_type in SCHOLARSHIP_TRIGGERS and claim.status != ClaimStatus.REJECTED,
        "steps": claim_steps(viewer=viewer, claim_id=claim.pk),
    })  # fmt: skip


def _cover(cover: dict[str, str] | None) -> dict[str, Any] | None:
    """The event month's payment as the claim page shows it: when it counts and the date it carried."""
    if not cover:
        return None
    source = cover.get("source", "")
    return {"period": cover["period"], "counted_at": dt.datetime.fromisoformat(cover["counted_at"]),
            "value_date": dt.datetime.fromisoformat(cover["value_date"]) if cover.get("value_date") else None,
            "source": PaymentSource(source).label if source in PaymentSource.values else "Kredit pembayar",
            "payer": cover.get("payer", "")}  # fmt: skip


@viewer_required
@require_POST
def claim_document_view(request: HttpRequest, viewer: Viewer, claim_id: int) -> HttpResponse:
    claim_get(
        viewer=viewer, claim_id=claim_id
    )  # the role and the scope first: a claim outside it is not there
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationFailed("Pilih berkas dokumen.", code=ErrorCode.FILE_MISSING, field="file")
        claim_document_add(claim_id=claim_id, doc_type=request.POST.get("doc_type", ""), stream=upload,
                           file_name=upload.name or "dokumen", viewer=viewer, actor=request.user)  # fmt: skip
        messages.success(request, "Dokumen diunggah.")
    except FORM_ERRORS as exc:
        messages.error(request, f"{exc.message} [{exc.code}]")
    return redirect("claims:claim_detail", claim_id=claim_id)


@viewer_required
@require_POST
def claim_step_view(request: HttpRequest, viewer: Viewer, claim_id: int) -> HttpResponse:
    claim_get(viewer=viewer, claim_id=claim_id)
    form = request.POST
    try:
        if form.get("action") == "reject":
            claim_reject(claim_id=claim_id, code=form.get("code", ""), reason=form.get("reason", ""), viewer=viewer,
                         actor=request.user)  # fmt: skip
            messages.success(request, "Klaim ditolak; alasannya tercatat.")
        else:
            claim = claim_advance(claim_id=claim_id, viewer=viewer, actor=request.user,
                                  beneficiary_name=form.get("beneficiary_name", ""), bank=form.get("bank", ""),
                                  account_number=form.get("account_number", ""),
                                  payment_reference=form.get("payment_reference", ""))  # fmt: skip
            messages.success(request, f"Klaim kini: {ClaimStatus(claim.status).label}.")
    except FORM_ERRORS as exc:
        messages.error(request, f"{exc.message} [{exc.code}]")
    return redirect("claims:claim_detail", claim_id=claim_id)


@viewer_required
def document_download_view(request: HttpRequest, viewer: Viewer, document_id: int) -> HttpResponse:
    document, path = claim_document_get(viewer=viewer, document_id=document_id)
    # Served under a safe name with its real type, never as the name it came with (issue #13).
    return download(path.read_bytes(), document_download_name(document), document.content_type)  # a few MB


def status_view(request: HttpRequest) -> HttpResponse:
    """For a worker or an heir, without an account: the claim number and the worker's NIK, posted."""
    context: dict[str, Any] = {}
    status = 200
    if request.method == "POST" and not allow(scope="claim-status", key=str(request.META.get("REMOTE_ADDR", "")),
                                              limit=int(settings.JARING["PUBLIC_LOOKUPS_PER_HOUR"])):  # fmt: skip
        context["error"] = "Terlalu banyak pencarian dari alamat ini; coba lagi satu jam lagi. [RATE_LIMITED]"
        return render(request, "claims/status.html", context, status=429)
    if request.method == "POST":
        try:
            context["found"] = claim_status_lookup(
                number=request.POST.get("number", ""), nik=request.POST.get("nik", "")
            )
        except NotFound as exc:
            context["error"] = exc.message
            status = 404
    return render(request, "claims/status.html", context, status=status)


@viewer_required
def worker_claims_view(request: HttpRequest, viewer: Viewer, worker_id: int) -> HttpResponse:
    """The worker page's claims (an htmx part the page loads for every role): not there for a worker outside the
    viewer's region; empty for roles that do not handle claims."""
    if not worker_visible(viewer=viewer, worker_id=worker_id):
        raise NotFound("Pekerja tidak ditemukan atau di luar wilayah Anda.", code=ErrorCode.WORKER_NOT_FOUND)
    if not viewer.may(Permission.REPORT_CLAIMS):
        return HttpResponse("")
    return render(
        request, "claims/_worker_claims.html", {"claims": claim_list(viewer=viewer, worker_id=worker_id)}
    )


@viewer_required
@require_POST
def scholarship_file_view(request: HttpRequest, viewer: Viewer, claim_id: int) -> HttpResponse:
    """A child's scholarship for a school year, claimed from the parent claim's page."""
    claim_get(viewer=viewer, claim_id=claim_id)
    form = request.POST
    try:
        try:
            birth = dt.date.fromisoformat(form.get("child_birth_date", ""))
            level = Level(form.get("level", ""))
            order = int(form.get("child_order", ""))
        except ValueError:
            raise ValidationFailed("Isi tanggal lahir anak, urutan anak dan jenjang sekolah.",
                                   code=ErrorCode.SCHOLARSHIP_INPUT_INVALID, field="child_birth_date") from None  # fmt: skip
        claim = scholarship_file(parent_claim_id=claim_id, child_name=form.get("child_name", ""),
                                 child_birth_date=birth, child_index=max(order, 1) - 1, level=level,
                                 married_or_working=form.get("married_or_working") == "on",
                                 school_year=whole_number(form.get("school_year", "")), viewer=viewer,
                                 actor=request.user)  # fmt: skip
    except FORM_ERRORS as exc:
        messages.error(request, f"{exc.message} [{exc.code}]")
        return redirect("claims:claim_detail", claim_id=claim_id)
    if claim.status == ClaimStatus.REJECTED:
        messages.warning(request, f"Beasiswa {claim.number} dicatat dan ditolak: {claim.reject_reason}")
    else:
        messages.success(request, f"Beasiswa {claim.number} dicatat.")
    return redirect("claims:claim_detail", claim_id=claim.pk)
