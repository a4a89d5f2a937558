"""Pages of the intake: upload, progress, preview with errors, confirm, download what was rejected."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jaring.core.errors import FORM_ERRORS
from jaring.core.rules import Permission, may_import
from jaring.core.selectors import Viewer
from jaring.core.types import whole_number
from jaring.core.views_util import XLSX, download, viewer_required
from jaring.imports.exports import template_xlsx
from jaring.imports.models import BatchStatus
from jaring.imports.selectors import (
    batch_get,
    batch_issue_summary,
    batch_issues,
    batch_list,
    batch_preview,
    batch_rejected_xlsx,
)
from jaring.imports.services import import_upload
from jaring.imports.tasks import enqueue_commit, enqueue_stage
from jaring.regions.selectors import region_resolve

PAGE = 50


@viewer_required
def batch_list_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    context: dict[str, object] = {
        "batches": batch_list(viewer=viewer),
        "may_import": may_import(viewer.role),
        "form": {},
    }
    if request.method == "POST":
        viewer.require(Permission.IMPORT)
        upload = request.FILES.get("file")
        form = {k: request.POST.get(k, "") for k in ("source", "default_village_code")}
        context["form"] = form
        if upload is None:
            context["error"] = "Pilih berkas daftar pekerja (.xlsx, .xls atau .csv). [FILE_MISSING]"
            return render(request, "imports/batch_list.html", context, status=400)
        try:
            form["default_village_code"] = region_resolve(
                text=form["default_village_code"],
                level=4,
                within=viewer.region_codes,
                all_regions=viewer.all_regions,
                field="default_village_code",
            )  # a name typed: its code
            result = import_upload(stream=upload, file_name=upload.name or "daftar", source=form["source"],
                                   default_village_code=form["default_village_code"], viewer=viewer, actor=request.user)  # fmt: skip
        except FORM_ERRORS as exc:
            context["error"] = f"{exc.message} [{exc.code}]"
            return render(request, "imports/batch_list.html", context, status=exc.http_status)
        if result.created:
            enqueue_stage(batch=result.batch)
        else:
            messages.info(
                request, "Berkas ini sudah pernah diunggah: tidak ada yang berubah. Berikut hasilnya."
            )
        return redirect("imports:batch_detail", batch_id=result.batch.pk)
    return render(request, "imports/batch_list.html", context)


@viewer_required
def batch_detail_view(request: HttpRequest, viewer: Viewer, batch_id: int) -> HttpResponse:
    batch = batch_get(viewer=viewer, batch_id=batch_id)
    status = request.GET.get("tab", "rejected" if batch.rejected else "accepted")
    status = status if status in ("accepted", "warning", "rejected") else "accepted"
    page = max(whole_number(request.GET.get("page", "")) or 1, 1)
    context = {
        "batch": batch,
        "tab": status,
        "page": page,
        "rows": batch_preview(
            viewer=viewer, batch_id=batch_id, status=status, offset=(page - 1) * PAGE, limit=PAGE
        ),
        "summary": batch_issue_summary(viewer=viewer, batch_id=batch_id),
        "may_import": may_import(viewer.role),
        "rows_allowed": viewer.sees_personal_data,
        "working": batch.status in (BatchStatus.QUEUED, BatchStatus.STAGING, BatchStatus.COMMITTING),
    }
    if request.headers.get("HX-Request"):
        return render(request, "imports/_batch_status.html", context)
    return render(request, "imports/batch_detail.html", context)


@viewer_required
@require_POST
def batch_commit_view(request: HttpRequest, viewer: Viewer, batch_id: int) -> HttpResponse:
    try:
        enqueue_commit(batch_id=batch_id, viewer=viewer, actor=request.user)
    except FORM_ERRORS as exc:
        messages.error(request, f"{exc.message} [{exc.code}]")
    return redirect("imports:batch_detail", batch_id=batch_id)


@viewer_required
def batch_issues_view(request: HttpRequest, viewer: Viewer, batch_id: int) -> HttpResponse:
    after = whole_number(request.GET.get("after", "")) or 0
    issues = batch_issues(
        viewer=viewer, batch_id=batch_id, severity=request.GET.get("severity", ""), after_row=after
    )
    return render(request, "imports/_issues.html", {"issues": issues, "batch_id": batch_id})


@viewer_required
def batch_rejected_view(request: HttpRequest, viewer: Viewer, batch_id: int) -> HttpResponse:
    name, data = batch_rejected_xlsx(viewer=viewer, batch_id=batch_id)
    return download(data, name, XLSX)


@login_required
def template_view(request: HttpRequest) -> HttpResponse:
    return download(template_xlsx(), "templat-daftar-pekerja-jaring.xlsx", XLSX)
