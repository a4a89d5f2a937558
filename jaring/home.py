"""The home page per role (project level: it reads several apps): what that role acts on, counted in its scope
(issue #14): workers and cards, who is covered this month and who not, the lists uploaded and waiting to be
confirmed; for the branch its queues (duplicates, unmatched transfers, claims by step); for a sponsor its
programs, money committed and used and the claims paid to its workers; for a donor its donations, paid or
awaiting payment; for an agent the workers it signed up and its collective account."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from jaring.claims.selectors import claim_counts, claims_paid
from jaring.contributions.selectors import agent_collection, covered_count, unmatched_count
from jaring.core.rules import ROLE_LABELS, Role
from jaring.core.selectors import Viewer
from jaring.core.types import Period
from jaring.core.views_util import viewer_required
from jaring.funding.selectors import program_list, programs_received, sponsor_find
from jaring.imports.selectors import batch_counts, batch_list
from jaring.insights.selectors import sponsor_money
from jaring.linkage.selectors import open_pair_count
from jaring.regions.selectors import region_labels
from jaring.registry.selectors import registrations_by, registry_counts


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
    claims = claim_counts(viewer=viewer)
    if viewer.role == Role.SPONSOR:
        sponsor = sponsor_find(viewer=viewer, key=viewer.sponsor_ref) if viewer.sponsor_ref else None
        scope = sponsor.name if sponsor else "-"
    return render(
        request,
        "home.html",
        {
            **_role_part(viewer, period),
            "not_covered": max(0, members - covered),
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
            "claims": claims,
            "claims_open": sum(n for _, _, n in claims),
            "shows_lists": viewer.role not in (Role.SPONSOR, Role.AGENT),
            "batches": batch_list(viewer=viewer, limit=10),
            "role_label": ROLE_LABELS[viewer.role],
        },
    )


def _role_part(viewer: Viewer, period: Period) -> dict[str, Any]:
    """What only some roles' homes show."""
    if viewer.role == Role.SPONSOR:
        programs = program_list(viewer=viewer)
        paid_claims, paid_amount = claims_paid(viewer=viewer)
        gifts = [p for p in programs if p.is_donation][:20]
        received = programs_received(viewer=viewer, program_ids=[p.id for p in gifts])
        donations = [(p, received[p.id].covers(p.committed)) for p in gifts]
        billed, paid = sponsor_money(viewer=viewer)  # the months billed and paid for its workers (issue #15)
        budget = sum(p.budget for p in programs)
        committed = sum(p.committed for p in programs)
        return {"programs": [p for p in programs if not p.is_donation][:20], "donations": donations,
                "budget": budget, "committed": committed, "billed": billed, "paid": paid,
                "left": max(0, budget - committed),
                "funded": sum(p.funded_workers for p in programs), "paid_claims": paid_claims,
                "paid_claims_amount": paid_amount}  # fmt: skip
    if viewer.role == Role.AGENT:
        since = dt.datetime.combine(period.first_day(), dt.time(), tzinfo=timezone.get_current_timezone())
        total, this_month = registrations_by(viewer=viewer, since=since)
        return {
            "registered": total,
            "registered_month": this_month,
            "collection": agent_collection(viewer=viewer),
        }
    return {}
