"""The home page per role (project level: it reads several apps): what that role acts on, counted in its scope
(issue #14): workers and cards, who is covered this month, the lists uploaded and waiting to be confirmed, and
for the branch its queues (duplicates, unmatched transfers, claims by step)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from jaring.claims.selectors import claim_counts
from jaring.contributions.selectors import covered_count, unmatched_count
from jaring.core.rules import ROLE_LABELS
from jaring.core.selectors import Viewer
from jaring.core.types import Period
from jaring.core.views_util import viewer_required
from jaring.imports.selectors import batch_counts, batch_list
from jaring.linkage.selectors import open_pair_count
from jaring.regions.selectors import region_labels
from jaring.registry.selectors import registry_counts


@viewer_required
def home(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    labels = region_labels(codes=list(viewer.region_codes))
    scope = (
        "semua" if viewer.all_regions else "; ".join(labels.get(c) or c for c in viewer.region_codes) or "-"
    )
    workers, members = registry_counts(viewer=viewer)
    period = Period.of(timezone.localdate())
    covered = covered_count(viewer=viewer, period=period)
    batches = batch_counts(viewer=viewer)
    return render(
        request,
        "home.html",
        {
            "scope_label": scope,
            "worker_count": workers,
            "member_count": members,
            "covered_count": covered,
            "covered_percent": round(100 * covered / workers, 1) if workers else 0,
            "period": period,
            "batch_count": batches["all"],
            "to_confirm": batches["to_confirm"],
            "pairs": open_pair_count(viewer=viewer),
            "unmatched": unmatched_count(viewer=viewer),
            "claims": claim_counts(viewer=viewer),
            "batches": batch_list(viewer=viewer, limit=10),
            "role_label": ROLE_LABELS[viewer.role],
        },
    )
