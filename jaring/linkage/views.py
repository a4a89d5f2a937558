"""Pages of the duplicate review: the queue (proposed pairs first), one pair side by side with the differences
highlighted and the evidence, confirm (merge) or dismiss with a reason; merges with undo for administrators;
the NIK-conflict queue. Thin: each calls one selector or service."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jaring.core.errors import FORM_ERRORS
from jaring.core.rules import Permission, Role
from jaring.core.selectors import Viewer
from jaring.core.types import whole_number
from jaring.core.views_util import viewer_required
from jaring.linkage.models import LinkageSettings
from jaring.linkage.selectors import merge_list, nik_conflict_list, pair_get, pair_queue
from jaring.linkage.services import (
    linkage_settings_set,
    merge_undo,
    nik_conflict_resolve,
    pair_dismiss,
    pair_merge,
)
from jaring.regions.selectors import region_labels


@viewer_required
def queue_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    viewer.require(Permission.REVIEW_DUPLICATES)
    pairs = pair_queue(viewer=viewer)
    codes = {str(p.a.get("village_code") or "") for p in pairs} | {
        str(p.b.get("village_code") or "") for p in pairs
    }
    places = region_labels(codes=sorted(codes - {""}), levels=1)
    return render(request, "linkage/queue.html", {"pairs": pairs, "places": places,
                                                  "settings": LinkageSettings.objects.first(),
                                                  "is_admin": viewer.role == Role.ADMIN})  # fmt: skip


@viewer_required
def pair_view(request: HttpRequest, viewer: Viewer, pair_id: int) -> HttpResponse:
    viewer.require(Permission.REVIEW_DUPLICATES)
    pair = pair_get(viewer=viewer, pair_id=pair_id)
    return render(request, "linkage/pair.html", {"pair": pair})


@viewer_required
@require_POST
def pair_decide_view(request: HttpRequest, viewer: Viewer, pair_id: int) -> HttpResponse:
    viewer.require(Permission.REVIEW_DUPLICATES)
    form = request.POST
    try:
        if form.get("decision") == "merge":
            merge = pair_merge(pair_id=pair_id, survivor_id=whole_number(form.get("survivor", "")),
                               reason=form.get("reason", ""), viewer=viewer, actor=request.user)  # fmt: skip
            messages.success(
                request, f"Digabung: data {merge.retired_id} kini menunjuk ke data {merge.survivor_id}."
            )
        else:
            pair_dismiss(pair_id=pair_id, reason=form.get("reason", ""), viewer=viewer, actor=request.user)
            messages.success(request, "Dicatat: dua orang berbeda. Pasangan ini tidak akan diusulkan lagi.")
    except FORM_ERRORS as exc:
        context = {"pair": pair_get(viewer=viewer, pair_id=pair_id), "error": f"{exc.message} [{exc.code}]",
                   "form": form}  # fmt: skip
        return render(request, "linkage/pair.html", context, status=exc.http_status)
    return redirect("linkage:queue")


@viewer_required
def merges_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    viewer.require(Permission.REVIEW_DUPLICATES)
    return render(request, "linkage/merges.html", {"merges": merge_list(viewer=viewer),
                                                   "is_admin": viewer.role == Role.ADMIN})  # fmt: skip


@viewer_required
@require_POST
def merge_undo_view(request: HttpRequest, viewer: Viewer, merge_id: int) -> HttpResponse:
    viewer.require(Permission.ADMINISTER)
    try:
        merge_undo(
            merge_id=merge_id, reason=request.POST.get("reason", ""), viewer=viewer, actor=request.user
        )
    except FORM_ERRORS as exc:
        messages.error(request, f"{exc.message} [{exc.code}]")
        return redirect("linkage:merges")
    messages.success(request, "Penggabungan dibatalkan; kedua data kembali seperti semula.")
    return redirect("linkage:merges")


@viewer_required
@require_POST
def settings_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    viewer.require(Permission.ADMINISTER)
    try:
        threshold = float(request.POST.get("threshold", "").replace(",", "."))
        linkage_settings_set(auto_merge=request.POST.get("auto_merge") == "1", threshold=threshold, viewer=viewer,
                             actor=request.user)  # fmt: skip
    except FORM_ERRORS as exc:
        messages.error(request, f"{exc.message} [{exc.code}]")
    except ValueError:
        messages.error(request, "Ambang harus angka antara 0,9 dan 1. [THRESHOLD_INVALID]")
    else:
        messages.success(request, "Pengaturan penggabungan otomatis disimpan.")
    return redirect("linkage:queue")


@viewer_required
def conflicts_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    viewer.require(Permission.REVIEW_DUPLICATES)
    return render(request, "linkage/conflicts.html", {"conflicts": nik_conflict_list(viewer=viewer)})


@viewer_required
@require_POST
def conflict_resolve_view(request: HttpRequest, viewer: Viewer, conflict_id: int) -> HttpResponse:
    viewer.require(Permission.REVIEW_DUPLICATES)
    try:
        nik_conflict_resolve(conflict_id=conflict_id, resolution=request.POST.get("resolution", ""), viewer=viewer,
                             actor=request.user)  # fmt: skip
    except FORM_ERRORS as exc:
        messages.error(request, f"{exc.message} [{exc.code}]")
        return redirect("linkage:conflicts")
    messages.success(request, "Konflik NIK ditandai selesai.")
    return redirect("linkage:conflicts")
