"""Pages of funding for a sponsor, a budget officer and the branch office: programs with budget used and left,
a program's funded workers, decisions and waiting list, allocation (with a dry run), sponsors, the donor
flow with its receipt, the budget planner, the end-of-sponsorship list and the overlap report. Thin."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jaring.contributions.rules import PayerType, payer_type_parse
from jaring.core.errors import FORM_ERRORS, ErrorCode, ValidationFailed
from jaring.core.labels import label_of
from jaring.core.rules import Permission, Role, may_manage_funding
from jaring.core.selectors import Viewer
from jaring.core.types import Period, whole_number
from jaring.core.views_util import XLSX, download, forbidden, viewer_required
from jaring.funding import exports, rules
from jaring.funding.models import SponsorKind
from jaring.funding.rules import DONATION_MONTHS, PRIORITY_LABELS, Priority, Reason
from jaring.funding.selectors import (
    budget_plan,
    overlap_report,
    program_decisions,
    program_get,
    program_list,
    program_nobody_funded,
    program_received,
    program_summary,
    program_waitlist,
    program_workers,
    sponsor_list,
    sponsorship_ending,
)
from jaring.funding.services import allocation_run, donation_create, program_create, sponsor_create
from jaring.regions.selectors import office_of, region_labels
from jaring.registry.rules import ECOSYSTEM_LABELS, OCCUPATIONS

SPONSOR_TYPES = [p.value for p in PayerType if p != PayerType.MANDIRI]


def _number(request: HttpRequest, name: str, label: str, *, required: bool = True) -> int | None:
    raw = request.POST.get(name, "").strip().replace(".", "")
    if not raw and not required:
        return None
    value = whole_number(raw)
    if value is None:
        raise ValidationFailed(f"{label} harus angka utuh.", code=f"{name.upper()}_INVALID", field=name)
    return value


def _choices() -> dict[str, Any]:
    return {"occupations": [(o.code, o.label) for o in OCCUPATIONS],
            "ecosystems": [(e.value, label) for e, label in ECOSYSTEM_LABELS.items()],
            "payer_types": SPONSOR_TYPES, "priorities": [(p.value, PRIORITY_LABELS[p]) for p in Priority]}  # fmt: skip


@viewer_required
def program_list_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    return render(request, "funding/program_list.html", {
        "programs": program_list(viewer=viewer), "may_manage": may_manage_funding(viewer.role),
    })  # fmt: skip


@viewer_required
def program_create_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    viewer.require(Permission.MANAGE_FUNDING)
    sponsors = sponsor_list(viewer=viewer)
    context: dict[str, Any] = {"sponsors": sponsors, "form": {}, **_choices(),
                               "next_month": str(Period.of(timezone.localdate()).plus(1))}  # fmt: skip
    if request.method == "POST":
        form = request.POST
        context["form"] = form
        try:
            sponsor_id = whole_number(form.get("sponsor", ""))
            if sponsor_id is None:
                raise ValidationFailed("Pilih sponsor.", code=ErrorCode.SPONSOR_MISSING, field="sponsor")
            program = program_create(
                sponsor_id=sponsor_id, name=form.get("name", ""), budget=_number(request, "budget", "Anggaran") or 0,
                first_period=Period.parse(form.get("first_period", "")),
                months=_number(request, "months", "Lama (bulan)") or 0, jht=form.get("jht") == "on",
                frequency=_number(request, "frequency", "Frekuensi") or 1,
                region_codes=[c for c in form.get("region_codes", "").replace(" ", ",").split(",") if c],
                occupations=form.getlist("occupations"), ecosystems=form.getlist("ecosystems"),
                age_min=_number(request, "age_min", "Usia minimum", required=False),
                age_max=_number(request, "age_max", "Usia maksimum", required=False),
                decile_max=_number(request, "decile_max", "Desil maksimum", required=False),
                only_uncovered=form.get("only_uncovered") == "on", priority=form.get("priority", Priority.POOREST),
                max_workers=_number(request, "max_workers", "Kuota pekerja", required=False),
                viewer=viewer, actor=request.user,
            )  # fmt: skip
        except FORM_ERRORS as exc:
            context["error"] = f"{exc.message} [{exc.code}]"
            return render(request, "funding/program_form.html", context, status=exc.http_status)
        messages.success(request, f"Program {program.name} dibuat. Jalankan alokasi untuk mendanai pekerja.")
        return redirect("funding:program_detail", program_id=program.pk)
    return render(request, "funding/program_form.html", context)


@viewer_required
def program_detail_view(request: HttpRequest, viewer: Viewer, program_id: int) -> HttpResponse:
    program = program_get(viewer=viewer, program_id=program_id)
    after = whole_number(request.GET.get("after", ""))
    workers = program_workers(viewer=viewer, program_id=program_id, after=after, limit=101)
    context = {"p": program_summary(viewer=viewer, program_id=program_id), "program": program,
               "workers": workers[:100], "next_after": workers[99].id if len(workers) > 100 else None,
               "link_workers": True}  # fmt: skip
    waitlist = (
        []
        if request.headers.get("HX-Request") and after
        else program_waitlist(viewer=viewer, program_id=program_id)
    )
    codes = {w.village_code for w in workers} | {w.village_code for w in waitlist}
    context["places"] = region_labels(codes=sorted(codes))
    if request.headers.get("HX-Request") and after:
        return render(request, "funding/_worker_rows.html", context)
    context.update(
        decisions=program_decisions(viewer=viewer, program_id=program_id),
        nobody_funded=program_nobody_funded(viewer=viewer, program_id=program_id),
        waitlist=waitlist, may_manage=may_manage_funding(viewer.role), conditions=_conditions(program),
    )  # fmt: skip
    return render(request, "funding/program_detail.html", context)


def _conditions(program: Any) -> list[tuple[str, str]]:
    codes = [c for c in program.region_codes.split(",") if c]
    names = region_labels(codes=codes)
    out = [("Wilayah", "; ".join(f"{names.get(c) or c} ({c})" for c in codes) or "seluruh Indonesia")]
    if program.occupations:
        words = [label_of("occupation", c) for c in program.occupations.split(",") if c]
        out.append(("Pekerjaan", ", ".join(words)))
    if program.ecosystems:
        out.append(
            ("Ekosistem", ", ".join(label_of("ecosystem", c) for c in program.ecosystems.split(",") if c))
        )
    if program.age_min is not None or program.age_max is not None:
        out.append(("Usia", f"{program.age_min or 0}-{program.age_max or '…'} tahun"))
    if program.decile_max is not None:
        out.append(("Desil kemiskinan", f"1-{program.decile_max}"))
    if program.only_uncovered:
        out.append(("Sasaran", "hanya yang belum terlindungi"))
    if program.max_workers:
        out.append(("Kuota", f"{program.max_workers:,} pekerja".replace(",", ".")))
    out.append(("Prioritas", PRIORITY_LABELS[Priority(program.priority)]))
    return out


PREVIEW_ROWS = 50  # workers of each kind a dry run lists


@viewer_required
@require_POST
def program_allocate_view(request: HttpRequest, viewer: Viewer, program_id: int) -> HttpResponse:
    viewer.require(Permission.MANAGE_FUNDING)
    dry = request.POST.get("dry_run") == "on"
    try:
        result = allocation_run(program_ids=[program_id], viewer=viewer, actor=request.user, dry_run=dry,
                                preview=PREVIEW_ROWS if dry else 0)  # fmt: skip
    except FORM_ERRORS as exc:
        messages.error(request, f"{exc.message} [{exc.code}]")
        return redirect("funding:program_detail", program_id=program_id)
    o = result.programs[0]
    if dry:
        preview = result.previews[program_id]
        codes = {r.village_code for r in preview.funded} | {
            r.village_code for r in [*preview.waiting, *preview.excluded]
        }
        context = {"p": program_summary(viewer=viewer, program_id=program_id), "o": o, "preview": preview,
                   "places": region_labels(codes=sorted(c for c in codes if c)),
                   "reasons": [(rules.REASON_LABELS[Reason(k)], k, v) for k, v in
                               sorted({**o.waitlist_reasons, **o.excluded_reasons}.items(), key=lambda kv: -kv[1])],
                   "limit": PREVIEW_ROWS}  # fmt: skip
        return render(request, "funding/allocation_preview.html", context)
    text = (f"Alokasi selesai: {o.assigned:,} pekerja didanai "
            f"({o.assigned_months:,} pekerja-bulan, Rp {o.committed_by_run:,}), {o.waitlisted:,} daftar tunggu, "
            f"{o.excluded:,} tidak memenuhi syarat; sisa anggaran Rp {o.budget_left:,}.").replace(",", ".")  # fmt: skip
    messages.success(request, text)
    if o.nobody_funded is not None:
        messages.warning(request, f"{o.nobody_funded.message} [{o.nobody_funded.code}]")
    return redirect("funding:program_detail", program_id=program_id)


@viewer_required
def sponsor_list_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    may_create = may_manage_funding(viewer.role) and viewer.role != Role.SPONSOR
    context: dict[str, Any] = {"sponsors": sponsor_list(viewer=viewer), "may_create": may_create, "form": {},
                               "kinds": SponsorKind.choices, **_choices()}  # fmt: skip
    if request.method == "POST":
        if not may_create:
            return forbidden(request)
        form = request.POST
        context["form"] = form
        try:
            sponsor_create(name=form.get("name", ""), payer_type=form.get("payer_type", ""),
                           kind=form.get("kind", SponsorKind.GOVERNMENT), region_code=form.get("region_code", ""),
                           ref=form.get("ref", ""), contact=form.get("contact", ""), viewer=viewer,
                           actor=request.user)  # fmt: skip
        except FORM_ERRORS as exc:
            context["error"] = f"{exc.message} [{exc.code}]"
            return render(request, "funding/sponsor_list.html", context, status=exc.http_status)
        messages.success(request, "Sponsor didaftarkan.")
        return redirect("funding:sponsor_list")
    return render(request, "funding/sponsor_list.html", context)


@viewer_required
def donation_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """A donor chooses whom (village, occupation, ecosystem, or let Jaring pick the neediest) and for how long;
    sees whom and what first; then confirms and gets the receipt."""
    viewer.require(Permission.MANAGE_FUNDING)
    context: dict[str, Any] = {"form": {"months": "12", "workers": "10"}, "month_choices": DONATION_MONTHS,
                               "staff": viewer.role != Role.SPONSOR, **_choices()}  # fmt: skip
    if request.method == "POST":
        form = request.POST
        context["form"] = form
        confirm = form.get("action") == "confirm"
        try:
            donation = donation_create(
                workers=_number(request, "workers", "Jumlah pekerja") or 0,
                months=_number(request, "months", "Lama (bulan)") or 0, region_code=form.get("region_code", "").strip(),
                occupation=form.get("occupation", ""), ecosystem=form.get("ecosystem", ""),
                donor_name=form.get("donor_name", ""), viewer=viewer, actor=request.user, dry_run=not confirm,
            )  # fmt: skip
        except FORM_ERRORS as exc:
            context["error"] = f"{exc.message} [{exc.code}]"
            return render(request, "funding/donation.html", context, status=exc.http_status)
        if confirm:
            messages.success(
                request,
                "Terima kasih! Donasi tercatat. Bayar ke virtual account pada tagihan ini; "
                "tanda terima terbit setelah uangnya masuk.",
            )
            return redirect("funding:donation_receipt", program_id=donation.program.pk)
        context["preview"] = donation
    return render(request, "funding/donation.html", context)


@viewer_required
def donation_receipt_view(request: HttpRequest, viewer: Viewer, program_id: int) -> HttpResponse:
    """The donor's document: an invoice with the virtual account until the money arrived, a receipt after."""
    program = program_get(viewer=viewer, program_id=program_id)
    summary = program_summary(viewer=viewer, program_id=program_id)
    received = program_received(viewer=viewer, program_id=program_id)
    paid = received.covers(summary.committed)
    rows = program_workers(viewer=viewer, program_id=program_id, limit=None)
    places = region_labels(codes=sorted({r.village_code for r in rows}), levels=1)
    if request.GET.get("format") == "pdf":
        data = exports.donation_receipt_pdf(summary, rows, program.sponsor.name, received=received, places=places,
                                            office=office_of(region_code=program.sponsor.region_code))  # fmt: skip
        name = f"tanda-terima-donasi-{program.pk}.pdf" if paid else f"tagihan-donasi-{program.pk}.pdf"
        return download(data, name, "application/pdf")
    return render(request, "funding/donation_receipt.html",
                  {"p": summary, "program": program, "rows": rows[:500], "more": max(0, len(rows) - 500),
                   "received": received, "paid": paid, "places": places,
                   "to_pay": max(0, summary.committed - received.amount)})  # fmt: skip


@viewer_required
def plan_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """The budget planner: cost of N workers for M months, or how many a budget covers."""
    q = request.GET
    context: dict[str, Any] = {"q": q, "payer_types": SPONSOR_TYPES,
                               "next_month": str(Period.of(timezone.localdate()).plus(1))}  # fmt: skip
    status = 200
    if q.get("months"):
        try:
            workers = whole_number(q.get("workers", "").replace(".", "")) if q.get("workers") else None
            budget = whole_number(q.get("budget", "").replace(".", "")) if q.get("budget") else None
            months = whole_number(q.get("months", ""))
            if months is None:
                raise ValidationFailed(
                    "Lama harus angka bulan.", code=ErrorCode.MONTHS_INVALID, field="months"
                )
            context["plan"] = budget_plan(
                payer_type=payer_type_parse(q.get("payer_type", "")), months=months,
                first_period=Period.parse(q.get("first_period") or context["next_month"]), workers=workers,
                budget=budget, sector=q.get("sector", "other"), jht=q.get("jht") == "on",
            )  # fmt: skip
        except FORM_ERRORS as exc:
            context["error"] = f"{exc.message} [{exc.code}]"
            status = exc.http_status
    return render(request, "funding/plan.html", context, status=status)


@viewer_required
def ending_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    today = timezone.localdate()
    if request.GET.get("format") == "xlsx":
        report = sponsorship_ending(viewer=viewer, today=today, limit=None)
        return download(exports.ending_xlsx(report), f"pendanaan-berakhir-{today:%Y-%m-%d}.xlsx", XLSX)
    report = sponsorship_ending(viewer=viewer, today=today, limit=500)
    return render(request, "funding/ending.html", {"r": report, "link_workers": True})


@viewer_required
def overlap_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    return render(request, "funding/overlap.html", {"r": overlap_report(viewer=viewer)})
