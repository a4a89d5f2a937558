"""The coverage pages (issue #15): a dashboard per region (counters, 12-month trend, map, the regions below to
click into, the splits), the ranking, 1 Desa 100, a region's denominator; every table as .xlsx, the report
as PDF. Figures come from the aggregates; JaringErrors become pages in core's middleware."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from jaring.core.errors import ErrorCode, ValidationFailed
from jaring.core.rules import Permission, Role
from jaring.core.selectors import Viewer
from jaring.core.types import Period
from jaring.core.views_util import XLSX, download, viewer_required
from jaring.insights import exports, rules
from jaring.insights.selectors import (
    BY_DIMENSION,
    BY_LEVEL,
    coverage_map,
    coverage_ranking,
    coverage_report,
    coverage_trend,
    region_check,
    scope_root,
    targets_of,
    village_goals,
)
from jaring.insights.services import coverage_target_set
from jaring.regions.models import Region

NEXT_LEVEL = {0: "province", 1: "regency", 2: "district", 3: "village"}
SPLITS = (("occupation", _("Pekerjaan")), ("ecosystem", _("Ekosistem")), ("payer-type", _("Jenis pembayar")),
          ("sponsor", _("Sponsor")))  # fmt: skip
LEVEL_TABS = (("province", _("Provinsi")), ("regency", _("Kabupaten/Kota")), ("district", _("Kecamatan")),
              ("village", _("Desa/Kelurahan")))  # fmt: skip


def _period(request: HttpRequest) -> Period:
    text = (request.GET.get("period") or "").strip()
    return Period.parse(text) if text else Period.of(timezone.localdate())


def _region(request: HttpRequest, viewer: Viewer) -> str:
    code = request.GET.get("region")
    return scope_root(viewer) if code is None else code.strip()


def _trail(viewer: Viewer, code: str) -> list[tuple[str, str]]:
    """The regions above this one the viewer may open (the nation first), for the breadcrumb."""
    codes = [code[:n] for n in (2, 5, 8) if len(code) > n]
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    trail = [("", "Indonesia")] if viewer.all_regions or viewer.role == Role.SPONSOR else []
    return trail + [(c, names.get(c, c)) for c in codes if viewer.all_regions or viewer.role == Role.SPONSOR
                    or viewer.may_see_region(c)]  # fmt: skip


def _query(**params: str) -> str:
    return "&".join(f"{k}={v}" for k, v in params.items() if v is not None)


@viewer_required
def dashboard_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    code, period = _region(request, viewer), _period(request)
    split = request.GET.get("by", "")
    report = coverage_report(viewer=viewer, region_code=code, period=period,
                             by=NEXT_LEVEL.get(rules.level_of(code), ""))  # fmt: skip
    splits = coverage_report(viewer=viewer, region_code=code, period=period, by=split) \
        if split in BY_DIMENSION and viewer.role != Role.SPONSOR else None  # fmt: skip
    trend = coverage_trend(viewer=viewer, region_code=code, period=period)
    if rules.level_of(code) <= 1:  # the map colours the same regions as the table below
        level, shapes = rules.level_of(code) + 1, report.rows
    else:
        level, shapes = coverage_map(viewer=viewer, region_code=code, period=period)
    chart = {
        "months": [t.code for t in trend], "covered": [t.covered for t in trend],
        "members": [t.members for t in trend], "registered": [t.registered for t in trend],
        "labels": {"covered": "Terlindungi", "members": "Peserta", "registered": "Terdaftar"},
    }  # fmt: skip
    geo = None
    if shapes:
        geo = {
            "url": reverse("insights:geo") + "?" + _query(level=str(level), province=code[:2] if level == 2 else ""),
            "figures": [{"name": s.code, "value": s.coverage_pct, "label": s.name, "covered": s.covered}
                        for s in shapes],
            "link": reverse("insights:dashboard") + "?" + _query(period=str(period)) + "&region=",
        }  # fmt: skip
    rows = report.rows
    return render(request, "insights/dashboard.html", {
        "report": report, "region": report.region, "rows": rows, "period": period, "code": code,
        "trail": _trail(viewer, code), "chart": chart, "trend": trend, "geo": geo, "splits": splits, "split": split,
        "split_choices": SPLITS if viewer.role != Role.SPONSOR else (), "children_by": NEXT_LEVEL.get(rules.level_of(code), ""),
        "may_set_target": viewer.may(Permission.SET_TARGETS) and (viewer.all_regions or (code and viewer.may_see_region(code))),
    })  # fmt: skip


@viewer_required
def export_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """Any coverage table as .xlsx: the region's row and one row per region below (or per split, ?by=)."""
    code, period = _region(request, viewer), _period(request)
    by = request.GET.get("by") or NEXT_LEVEL.get(rules.level_of(code), "")
    report = coverage_report(viewer=viewer, region_code=code, period=period, by=by)
    return download(
        exports.report_xlsx(report), f"cakupan-{code or 'ID'}-{period}-{by or 'wilayah'}.xlsx", XLSX
    )


@viewer_required
def report_pdf_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    code, period = _region(request, viewer), _period(request)
    report = coverage_report(viewer=viewer, region_code=code, period=period,
                             by=NEXT_LEVEL.get(rules.level_of(code), ""))  # fmt: skip
    trend = coverage_trend(viewer=viewer, region_code=code, period=period)
    data = exports.report_pdf(report=report, trend=trend, viewer=viewer)
    return download(data, f"laporan-cakupan-{code or 'ID'}-{period}.pdf", "application/pdf")


@viewer_required
def geo_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """The shipped boundaries for the map: the provinces (level=1) or one province's regencies (level=2)."""
    region_check(viewer, "" if viewer.all_regions or viewer.role == Role.SPONSOR else scope_root(viewer))
    province = (request.GET.get("province") or "")[:2]
    level = 2 if province or request.GET.get("level") == "2" else 1
    if level == 2 and not (province.isdigit() and len(province) == 2):
        raise ValidationFailed("Provinsi peta tidak sah.", field="province")
    response = HttpResponse(json.dumps(exports.geo_features(level=level, province=province)),
                            content_type="application/geo+json")  # fmt: skip
    response["Cache-Control"] = "private, max-age=86400"
    return response


@viewer_required
def ranking_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    code, period = _region(request, viewer), _period(request)
    by = request.GET.get("level") or NEXT_LEVEL.get(rules.level_of(code), "village")
    if by not in BY_LEVEL or BY_LEVEL[by] <= rules.level_of(code):
        by = NEXT_LEVEL.get(rules.level_of(code), "village")
    # a village has nothing below it to rank
    rows = coverage_ranking(viewer=viewer, region_code=code, level=BY_LEVEL[by], period=period) \
        if rules.level_of(code) < 4 else []  # fmt: skip
    region = coverage_report(viewer=viewer, region_code=code, period=period).region
    levels = [(k, w) for k, w in LEVEL_TABS if BY_LEVEL[k] > rules.level_of(code)]
    return render(request, "insights/ranking.html", {"rows": rows[:500], "region": region, "code": code,
                                                     "period": period, "by": by, "levels": levels,
                                                     "trail": _trail(viewer, code)})  # fmt: skip


@viewer_required
def goals_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    code, period = _region(request, viewer), _period(request)
    if request.GET.get("format") == "xlsx":
        report = coverage_report(viewer=viewer, region_code=code, period=period, by="village") \
            if rules.level_of(code) < 4 else coverage_report(viewer=viewer, region_code=code, period=period)  # fmt: skip
        return download(exports.report_xlsx(report), f"desa-100-{code or 'ID'}-{period}.xlsx", XLSX)
    goals = village_goals(viewer=viewer, region_code=code, period=period)
    region = coverage_report(viewer=viewer, region_code=code, period=period).region
    return render(request, "insights/goals.html", {"goals": goals, "below": goals.below[:300], "region": region,
                                                   "code": code, "period": period, "trail": _trail(viewer, code),
                                                   "goal": rules.VILLAGE_GOAL})  # fmt: skip


@viewer_required
@require_http_methods(["GET", "POST"])
def target_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """A region's denominator: its vulnerable/informal workers with source and year (a new figure each time)."""
    code = _region(request, viewer) if request.method == "GET" else (request.POST.get("region") or "").strip()
    viewer.require(Permission.SET_TARGETS)
    region = region_check(viewer, code)
    error = ""
    values: dict[str, Any] = {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in ("workers", "source", "year")}
        try:
            coverage_target_set(region_code=code, workers=_whole(values["workers"], "workers"), source=values["source"],
                                year=_whole(values["year"], "year"), viewer=viewer, actor=request.user)  # fmt: skip
            return redirect(reverse("insights:dashboard") + "?" + _query(region=code))
        except ValidationFailed as exc:
            error = f"{exc.message} [{exc.code}]"
    current = coverage_report(viewer=viewer, region_code=code, period=Period.of(timezone.localdate())).region
    return render(request, "insights/target.html", {
        "region": region, "code": code, "current": current, "entered": targets_of(viewer=viewer, region_code=code),
        "error": error, "values": values, "trail": _trail(viewer, code), "year": timezone.localdate().year,
    }, status=400 if error else 200)  # fmt: skip


def _whole(text: str, field: str) -> int:
    cleaned = (text or "").replace(".", "").replace(" ", "").strip()
    if not cleaned.isdigit():
        raise ValidationFailed(
            "Tulis bilangan bulat, misalnya 628876.", code=ErrorCode.TARGET_INVALID, field=field
        )
    return int(cleaned)
