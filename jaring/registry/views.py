"""Worker pages. Searches travel in POST bodies: a NIK never appears in a URL (UU 27/2022)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jaring.core.errors import FORM_ERRORS
from jaring.core.rules import Permission, may_register_workers
from jaring.core.selectors import Viewer
from jaring.core.types import whole_number
from jaring.core.views_util import viewer_required
from jaring.regions.selectors import region_choices, region_resolve
from jaring.registry.rules import OCCUPATIONS, NikQuery, nik_query
from jaring.registry.selectors import WorkerFilters, proposals_open, worker_get, worker_history, worker_list
from jaring.registry.services import proposal_decide, worker_register


def _filters(data: dict[str, str]) -> WorkerFilters:
    return WorkerFilters(
        q=data.get("q", "")[:100],
        region_code=data.get("region", "")[:13],
        occupation=data.get("occupation", "")[:32],
    )


def _after(raw: str) -> int | None:
    return whole_number(raw)


@viewer_required
def worker_list_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    cells = {k: data.get(k, "") for k in ("q", "region", "occupation")}
    if (
        request.method != "POST"
        and nik_query(cells["q"], sees_nik=True, today=timezone.localdate())[0] != NikQuery.NAME
    ):
        # A NIK never travels in a URL (it would sit in logs and browser history): searched only by POST.
        messages.error(request, "Cari NIK lewat kotak pencarian, bukan lewat alamat halaman. [NIK_IN_URL]")
        cells["q"] = ""
    filters = _filters(cells)
    page = worker_list(viewer=viewer, filters=filters, after=_after(data.get("after", "")))
    context = {"page": page, "filters": filters, "viewer": viewer}
    if request.headers.get("HX-Request") and request.method == "POST":
        template = "registry/_worker_rows.html" if data.get("after") else "registry/_worker_table.html"
        return render(request, template, context)
    context.update(
        may_register=may_register_workers(viewer.role),
        regions=region_choices(codes=viewer.region_codes, all_regions=viewer.all_regions),
        occupations=OCCUPATIONS,
    )
    return render(request, "registry/worker_list.html", context)


@viewer_required
def worker_detail_view(request: HttpRequest, viewer: Viewer, worker_id: int) -> HttpResponse:
    detail = worker_get(viewer=viewer, worker_id=worker_id)
    history = worker_history(viewer=viewer, worker_id=worker_id)
    proposals = proposals_open(viewer=viewer, worker_id=worker_id)
    return render(
        request, "registry/worker_detail.html", {"w": detail, "history": history, "proposals": proposals}
    )


@viewer_required
@require_POST
def proposal_decide_view(
    request: HttpRequest, viewer: Viewer, worker_id: int, proposal_id: int
) -> HttpResponse:
    accept = request.POST.get("decision") == "accept"
    try:
        proposal_decide(proposal_id=proposal_id, accept=accept, viewer=viewer, actor=request.user)
        messages.success(request, "Usulan perubahan diterima." if accept else "Usulan perubahan ditolak.")
    except FORM_ERRORS as exc:  # a refusal (403/404) goes to the one error page
        messages.error(request, f"{exc.message} [{exc.code}]")
    return redirect("registry:worker_detail", worker_id=worker_id)


REGISTER_FIELDS = ("nik", "full_name", "sex", "birth_place", "birth_date", "mother_name", "address", "village_code",
                   "phone", "occupation", "income")  # fmt: skip


@viewer_required
def worker_register_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """One worker at a time (a PERISAI agent in the field, a clerk at the desk), by the rules of a list row."""
    viewer.require(Permission.REGISTER_WORKERS)
    own_village = (
        viewer.region_codes[0]
        if len(viewer.region_codes) == 1 and viewer.region_codes[0].count(".") == 3
        else ""
    )
    form = {f: request.POST.get(f, "").strip() for f in REGISTER_FIELDS} if request.method == "POST" else {}
    form.setdefault("village_code", own_village)
    context: dict[str, object] = {"form": form, "occupations": OCCUPATIONS}
    if request.method == "POST":
        try:
            form["village_code"] = region_resolve(
                text=form["village_code"],
                level=4,
                within=viewer.region_codes,
                all_regions=viewer.all_regions,
                field="village_code",
            )  # a name: its code
            worker = worker_register(data=form, viewer=viewer, actor=request.user)
        except FORM_ERRORS as exc:
            context["error"] = exc
            return render(request, "registry/worker_register.html", context, status=exc.http_status)
        messages.success(request, f"{worker.full_name} terdaftar.")
        return redirect("registry:worker_detail", worker_id=worker.pk)
    return render(request, "registry/worker_register.html", context)
