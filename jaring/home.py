"""The home page per role (project level: it reads several apps)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jaring.core.rules import ROLE_LABELS
from jaring.core.selectors import Viewer
from jaring.core.views_util import viewer_required
from jaring.imports.selectors import batch_list
from jaring.regions.selectors import region_names
from jaring.registry.selectors import registry_counts


@viewer_required
def home(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    names = region_names(codes=set(viewer.region_codes))
    scope = "semua" if viewer.all_regions else ", ".join(names.get(c, c) for c in viewer.region_codes) or "-"
    workers, members = registry_counts(viewer=viewer)
    batches = batch_list(viewer=viewer, limit=10)
    return render(
        request,
        "home.html",
        {
            "scope_label": scope,
            "worker_count": workers,
            "member_count": members,
            "batch_count": len(batches),
            "batches": batches,
            "role_label": ROLE_LABELS[viewer.role],
        },
    )
