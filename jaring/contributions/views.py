"""Pages of the ledger: bills and their lines, payments (by hand or a bank statement), the reconciliation
queue, arrears lists and a worker's coverage calendar. Thin: each calls one selector or service."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jaring.contributions import exports
from jaring.contributions.models import BillingRun, BillStatus, PaymentStatus
from jaring.contributions.selectors import (
    ArrearsGroup,
    Card,
    arrears_list,
    banks,
    bill_get,
    bill_lines,
    bill_list,
    bill_office,
    cards,
    coverage_get,
    payment_list,
    public_cover,
    public_cover_by_card,
    reconciliation_queue,
    reconciliation_suggestions,
    statement_profiles,
)
from jaring.contributions.services import payment_record, payment_resolve, statement_import
from jaring.contributions.tasks import enqueue_billing
from jaring.core.errors import FORM_ERRORS, ErrorCode, ValidationFailed
from jaring.core.ratelimit import allow
from jaring.core.rules import Permission, may_handle_payments
from jaring.core.selectors import Viewer
from jaring.core.types import Period, whole_number
from jaring.core.views_util import XLSX, download, viewer_required


def _this_month() -> Period:
    return Period.of(timezone.localdate())


@viewer_required
def bill_list_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    period = request.GET.get("period", "")[:7]
    status = request.GET.get("status", "")[:8]
    context: dict[str, object] = {"period": period, "status": status, "statuses": BillStatus.choices,
                                  "may_bill": may_handle_payments(viewer.role), "this_month": str(_this_month())}  # fmt: skip
    if request.method == "POST":
        try:
            target = Period.parse(request.POST.get("period", ""))
            enqueue_billing(period=target, viewer=viewer)
        except FORM_ERRORS as exc:
            context["error"] = f"{exc.message} [{exc.code}]"
            context["page"] = bill_list(viewer=viewer)
            return render(request, "contributions/bill_list.html", context, status=exc.http_status)
        where = "seluruh wilayah (nasional)" if viewer.all_regions else "wilayah kerja Anda"
        messages.success(
            request,
            f"Penagihan bulan {target} untuk {where} dijalankan di latar belakang; ikuti di Pekerjaan latar.",
        )
        return redirect("contributions:bill_list")
    context["page"] = bill_list(viewer=viewer, period=period, status=status,
                                after=whole_number(request.GET.get("after", "")))  # fmt: skip
    if may_handle_payments(viewer.role):
        context["runs"] = BillingRun.objects.order_by("-id")[:5]
    return render(request, "contributions/bill_list.html", context)


@viewer_required
def bill_detail_view(request: HttpRequest, viewer: Viewer, bill_id: int) -> HttpResponse:
    bill = bill_get(viewer=viewer, bill_id=bill_id)
    after = whole_number(request.GET.get("after", ""))
    lines = bill_lines(viewer=viewer, bill_id=bill_id, after=after, limit=101)
    context = {"bill": bill, "lines": lines[:100], "next_after": lines[99].id if len(lines) > 100 else None}
    if request.headers.get("HX-Request") and after:
        return render(request, "contributions/_line_rows.html", context)
    return render(request, "contributions/bill_detail.html", context)


@viewer_required
def bill_xlsx_view(request: HttpRequest, viewer: Viewer, bill_id: int) -> HttpResponse:
    bill = bill_get(viewer=viewer, bill_id=bill_id)
    data = exports.bill_xlsx(bill, bill_lines(viewer=viewer, bill_id=bill_id, limit=None))
    return download(data, f"tagihan-{bill.id}-{bill.period}.xlsx", XLSX)


@viewer_required
def bill_pdf_view(request: HttpRequest, viewer: Viewer, bill_id: int) -> HttpResponse:
    bill = bill_get(viewer=viewer, bill_id=bill_id)
    lines = bill_lines(viewer=viewer, bill_id=bill_id, limit=exports.PDF_MAX_LINES + 1)
    office = bill_office(viewer=viewer, bill_id=bill_id)
    return download(exports.bill_pdf(bill, lines, office=office), f"tagihan-{bill.id}-{bill.period}.pdf",
                    "application/pdf")  # fmt: skip


PAYMENT_FIELDS = ("va_number", "amount", "paid_at", "reference", "bank")


@viewer_required
def payment_list_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """Payments; the branch office also records one by hand or imports a bank statement here."""
    handles = may_handle_payments(viewer.role)
    context: dict[str, object] = {
        "may_handle": handles,
        "form": {},
        "profiles": statement_profiles() if handles else [],
        "banks": banks() if handles else [],
    }
    status = 200
    if request.method == "POST":
        viewer.require(Permission.HANDLE_PAYMENTS)
        status = _payment_post(request, viewer, context)
        if status == 302:
            return redirect("contributions:payment_list")
    rows, next_after = payment_list(viewer=viewer, status=request.GET.get("status", "")[:9],
                                    after=whole_number(request.GET.get("after", "")))  # fmt: skip
    context.update(payments=rows, next_after=next_after, statuses=PaymentStatus.choices)
    return render(request, "contributions/payment_list.html", context, status=status)


def _payment_post(request: HttpRequest, viewer: Viewer, context: dict[str, object]) -> int:
    try:
        if request.POST.get("action") == "statement":
            upload = request.FILES.get("file")
            if upload is None:
                raise ValidationFailed(
                    "Pilih berkas rekening koran (.csv).", code=ErrorCode.FILE_MISSING, field="file"
                )
            result = statement_import(stream=upload, file_name=upload.name or "rekening.csv",
                                      profile_name=request.POST.get("profile", ""), viewer=viewer, actor=request.user)  # fmt: skip
            st = result.statement
            if not result.created:
                messages.info(
                    request,
                    f"Berkas ini sudah pernah diimpor ({st.created_at:%d-%m-%Y}); tidak ada yang berubah.",
                )
            else:
                messages.success(request, f"{st.lines} baris: {st.matched} cocok, {st.unmatched} menunggu rekonsiliasi, "
                                          f"{st.duplicates} referensi ganda dilewati, {len(result.problems)} ditolak.")  # fmt: skip
            if result.problems:
                context["problems"] = result.problems
                return 200
            return 302
        form = {f: request.POST.get(f, "").strip() for f in PAYMENT_FIELDS}
        context["form"] = form
        amount = whole_number(form["amount"].replace(".", ""))
        if amount is None:
            raise ValidationFailed(
                "Jumlah bayar harus angka rupiah utuh.", code=ErrorCode.AMOUNT_INVALID, field="amount"
            )
        try:
            paid_at = timezone.make_aware(dt.datetime.fromisoformat(form["paid_at"]))
        except ValueError:
            raise ValidationFailed("Tanggal bayar tidak sah (YYYY-MM-DD).", code=ErrorCode.PAID_AT_INVALID,
                                   field="paid_at") from None  # fmt: skip
        payment, created = payment_record(va_number=form["va_number"], amount=amount, paid_at=paid_at,
                                          reference=form["reference"], bank=form["bank"], viewer=viewer,
                                          actor=request.user)  # fmt: skip
    except FORM_ERRORS as exc:
        context["error"] = f"{exc.message} [{exc.code}]"
        return exc.http_status
    if not created:
        messages.info(request, "Referensi ini sudah tercatat; tidak dicatat dua kali.")
    elif payment.status == PaymentStatus.UNMATCHED:
        messages.warning(request, f"Pembayaran dicatat tetapi belum cocok: {payment.reason}")
    else:
        messages.success(request, "Pembayaran dicatat dan dibukukan.")
    return 302


@viewer_required
def reconciliation_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    viewer.require(Permission.HANDLE_PAYMENTS)
    queue = reconciliation_queue(viewer=viewer)
    suggested = reconciliation_suggestions(viewer=viewer, payments=queue)
    return render(request, "contributions/reconciliation.html",
                  {"queue": [(p, suggested.get(p.id, [])) for p in queue]})  # fmt: skip


@viewer_required
@require_POST
def payment_resolve_view(request: HttpRequest, viewer: Viewer, payment_id: int) -> HttpResponse:
    viewer.require(Permission.HANDLE_PAYMENTS)
    try:
        payment_resolve(payment_id=payment_id, va_number=request.POST.get("va_number", ""),
                        returned=request.POST.get("decision") == "return", note=request.POST.get("note", ""),
                        viewer=viewer, actor=request.user)  # fmt: skip
        messages.success(request, "Pembayaran diselesaikan.")
    except FORM_ERRORS as exc:
        messages.error(request, f"{exc.message} [{exc.code}]")
    return redirect("contributions:reconciliation")


ARREARS_TITLES = {ArrearsGroup.PAYER: "per pembayar", ArrearsGroup.VILLAGE: "per desa",
                  ArrearsGroup.AGENT: "per agen PERISAI"}  # fmt: skip


@viewer_required
def arrears_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    try:
        group = ArrearsGroup(request.GET.get("group", "payer"))
    except ValueError:
        group = ArrearsGroup.PAYER
    as_of = _this_month()
    rows = arrears_list(viewer=viewer, group=group, as_of=as_of)
    if request.GET.get("format") == "xlsx":
        title = f"Tunggakan iuran {ARREARS_TITLES[group]}, bulan {as_of}"
        return download(
            exports.arrears_xlsx(rows, title=title), f"tunggakan-{group.value}-{as_of}.xlsx", XLSX
        )
    return render(request, "contributions/arrears.html",
                  {"rows": rows, "group": group.value, "groups": ARREARS_TITLES.items(), "as_of": as_of})  # fmt: skip


@viewer_required
def coverage_view(request: HttpRequest, viewer: Viewer, worker_id: int) -> HttpResponse:
    """The twelve months up to now at a glance (an htmx part of the worker page)."""
    coverage = coverage_get(viewer=viewer, worker_id=worker_id, as_of=_this_month())
    return render(request, "contributions/_coverage.html", {"c": coverage})


def _lookup_allowed(request: HttpRequest) -> bool:
    return allow(scope="coverage-check", key=str(request.META.get("REMOTE_ADDR", "")),
                 limit=int(settings.JARING["PUBLIC_LOOKUPS_PER_HOUR"]))  # fmt: skip


def _birth_date(text: str) -> dt.date | None:
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def public_check_view(request: HttpRequest) -> HttpResponse:
    """For a worker or an heir, without an account: NIK and birth date, posted (never in the URL). Whatever is
    wrong (an unknown NIK, another birth date) gets the same answer, so the page reveals nothing."""
    context: dict[str, object] = {}
    status = 200
    if request.method == "POST":
        if not _lookup_allowed(request):
            context["error"] = (
                "Terlalu banyak pencarian dari alamat ini; coba lagi satu jam lagi. [RATE_LIMITED]"
            )
            return render(request, "contributions/public_check.html", context, status=429)
        found = public_cover(nik=request.POST.get("nik", ""), birth_date=_birth_date(request.POST.get("birth_date", "")),
                             today=timezone.localdate())  # fmt: skip
        if found is None:
            context["not_found"] = True
        context["cover"] = found
    return render(request, "contributions/public_check.html", context, status=status)


def card_check_view(request: HttpRequest, token: str) -> HttpResponse:
    """The page a card's QR code opens: this card's cover, with the name masked."""
    if not _lookup_allowed(request):
        limited = {
            "error": "Terlalu banyak pencarian dari alamat ini; coba lagi satu jam lagi. [RATE_LIMITED]"
        }
        return render(request, "contributions/public_check.html", limited, status=429)
    found = public_cover_by_card(token=token, today=timezone.localdate())
    context: dict[str, object] = {"cover": found, "not_found": found is None, "from_card": True}
    return render(request, "contributions/public_check.html", context, status=200 if found else 404)


def _cards_pdf(request: HttpRequest, found: list[Card]) -> bytes:
    return exports.cards_pdf(
        found, lambda c: request.build_absolute_uri(reverse("card_check", args=[c.token]))
    )


@viewer_required
def card_pdf_view(request: HttpRequest, viewer: Viewer, worker_id: int) -> HttpResponse:
    """The worker's membership card (kartu peserta), card size, with the QR of the public check."""
    found = cards(viewer=viewer, worker_id=worker_id, today=timezone.localdate())
    return download(_cards_pdf(request, found), f"kartu-{found[0].kpj}.pdf", "application/pdf")


@viewer_required
def village_cards_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """A village's cards, ten to an A4 sheet (`?desa=<village code>`)."""
    village = request.GET.get("desa", "").strip()[:13]
    found = cards(viewer=viewer, village_code=village, today=timezone.localdate())
    return download(_cards_pdf(request, found), f"kartu-desa-{village}.pdf", "application/pdf")
