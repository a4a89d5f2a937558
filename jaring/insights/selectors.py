"""Every read of the coverage figures, scoped like everything else (issue #15): a village sees its village, a
regency its regency and below, a branch its regencies, a sponsor only the workers it funds (the "sponsor" split
of every region). Reads go to the aggregates (CoverageFigure), never to the live ledger; the frames the refresh
job reads from the ledger are here too (`ledger_frames`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import polars as pl
from django.db import connection
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from jaring.contributions.models import BillLine, Payer
from jaring.core.bulk import read_frame
from jaring.core.errors import ErrorCode, NotFound, PermissionDenied, ValidationFailed
from jaring.core.labels import label_of
from jaring.core.rules import Permission, Role
from jaring.core.selectors import Viewer, claim_months, sponsor_names
from jaring.core.types import Period
from jaring.insights import engine, rules
from jaring.insights.models import CoverageFigure, CoverageRefresh, CoverageTarget, DirtyPeriod
from jaring.regions.models import Region
from jaring.registry.models import Worker

# What `--by` takes: a level below the region, or a split of it.
BY_LEVEL = {"province": 1, "regency": 2, "district": 3, "village": 4}
BY_DIMENSION = {"occupation": "occupation", "ecosystem": "ecosystem", "payer-type": "payer_type",
                "sponsor": "sponsor"}  # fmt: skip
BY_CHOICES = (*BY_LEVEL, *BY_DIMENSION)
DIMENSION_VOCABULARY = {"occupation": "occupation", "ecosystem": "ecosystem", "payer_type": "payer_type"}


# ------------------------------------------------------------------------------------- the refresh job's input


def _month_sql(column: str) -> str:
    """A timestamp's month in Jakarta, as YYYY-MM, in the database's own SQL."""
    if connection.vendor == "postgresql":
        return f"to_char({column} AT TIME ZONE 'Asia/Jakarta', 'YYYY-MM')"
    return f"strftime('%Y-%m', {column}, '+7 hours')"


def ledger_frames(*, periods: list[str]) -> dict[str, pl.DataFrame]:
    """What the cube of these months needs: the workers (not merged), each one's first billed month, the bill
    lines of these months and of the months before them (with the payer's type and sponsor), the claims."""
    worker, line, payer = Worker._meta.db_table, BillLine._meta.db_table, Payer._meta.db_table
    workers = read_frame(
        f"SELECT id, village_code, occupation, ecosystem, {_month_sql('created_at')} FROM {worker} "
        f"WHERE merged_into_id IS NULL",
        [],
        engine.WORKERS_SCHEMA,
    )
    firsts = read_frame(
        f"SELECT worker_id, MIN(period) FROM {line} GROUP BY worker_id", [], engine.FIRSTS_SCHEMA
    )
    months = sorted({*periods, *(engine.previous(p) for p in periods)})
    marks = ", ".join(["%s"] * len(months))
    lines = read_frame(
        f"SELECT l.worker_id, l.period, l.status, l.amount, p.payer_type, p.sponsor_ref FROM {line} l "
        f"JOIN {payer} p ON p.id = l.payer_id WHERE l.period IN ({marks})",
        months,
        engine.LINES_SCHEMA,
    )
    claims = claim_months(months)
    if claims is None:
        claims = pl.DataFrame(schema=engine.CLAIMS_SCHEMA)
    return {"workers": workers, "firsts": firsts, "lines": lines, "claims": claims}


def ledger_months() -> list[str]:
    """Every month the ledger holds, and this month (workers registered but not billed yet)."""
    line = BillLine._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN(period), MAX(period) FROM {line}")
        low, high = cursor.fetchone()
    now = Period.of(timezone.localdate())
    first = Period.parse(low) if low else now
    last = max(Period.parse(high), now) if high else now
    return [str(first.plus(i)) for i in range(last.index - first.index + 1)]


def dirty_marks() -> list[tuple[int, str]]:
    """(mark id, month) of every month waiting for the refresh job."""
    return list(DirtyPeriod.objects.order_by("id").values_list("id", "period"))


def dirty_periods() -> list[str]:
    return sorted({p for _, p in dirty_marks()})


# ------------------------------------------------------------------------------------- figures


@dataclass
class Figures:
    code: str
    name: str
    level: int
    registered: int = 0
    members: int = 0
    covered: int = 0
    arrears: int = 0
    lapsed: int = 0
    new: int = 0
    renewed: int = 0
    stopped: int = 0
    billed_amount: int = 0
    paid_amount: int = 0
    claims_filed: int = 0
    claims_paid: int = 0
    claims_paid_amount: int = 0
    target: int | None = None
    target_kind: str = ""
    target_source: str = ""
    coverage_pct: float | None = None
    goal_reached: bool | None = None  # villages: 1 Desa 100 (or the village's own target)
    rank: int | None = None
    growth_points: float | None = None
    growth_rank: int | None = None


@dataclass(frozen=True)
class Freshness:
    refreshed_at: dt.datetime | None
    pending: list[str]


@dataclass
class Report:
    region: Figures
    period: str
    by: str
    rows: list[Figures] = field(default_factory=list)
    sponsor: str = ""  # the sponsor whose workers these are ("" = everyone's)
    freshness: Freshness | None = None


def freshness() -> Freshness:
    last = CoverageRefresh.objects.filter(finished_at__isnull=False).aggregate(at=Max("finished_at"))["at"]
    return Freshness(last, dirty_periods())


def scope_root(viewer: Viewer) -> str:
    """The region a viewer's dashboard opens on: the nation for national roles and sponsors, else its region
    (the first of a branch's regencies)."""
    if viewer.all_regions or viewer.role == Role.SPONSOR:
        return ""
    return viewer.region_codes[0] if viewer.region_codes else ""


def dotted(code: str) -> str:
    """A region code as people also write it, without dots ("3603", "3603012003"), in Kemendagri form."""
    text = (code or "").strip()
    if text.isdigit() and len(text) in (2, 4, 6, 10):
        return ".".join(p for p in (text[:2], text[2:4], text[4:6], text[6:]) if p)
    return text


def region_check(viewer: Viewer, code: str) -> Region | None:
    """The region named, if the viewer may see its figures (None: the nation). Refuses what is outside."""
    viewer.require(Permission.SEE_COVERAGE)
    code = dotted(code)
    if viewer.role != Role.SPONSOR and not viewer.all_regions and not (code and viewer.may_see_region(code)):
        raise PermissionDenied("Wilayah ini di luar wilayah kerja Anda.", code=ErrorCode.REGION_OUTSIDE_SCOPE,
                               field="region")  # fmt: skip
    if viewer.role == Role.SPONSOR and not viewer.sponsor_ref:
        raise PermissionDenied(
            "Akun sponsor ini belum terhubung ke sponsor.", code=ErrorCode.COVERAGE_NOT_ALLOWED
        )
    if not code:
        return None
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise NotFound(
            f"Kode wilayah '{code}' tidak dikenal.", code=ErrorCode.REGION_NOT_FOUND, field="region"
        )
    return region


def _split(viewer: Viewer) -> tuple[str, str]:
    return ("sponsor", viewer.sponsor_ref) if viewer.role == Role.SPONSOR else ("", "")


def _figure(code: str, name: str, level: int, found: Any = None) -> Figures:
    """Figures of a region or group, with the counts of an aggregate row (zeros without one)."""
    figure = Figures(code, name, level)
    if found is not None:
        for column in engine.COUNTS:
            setattr(figure, column, int(getattr(found, column)))
    return figure


def _figures_of(*, codes: list[str], period: str, dimension: str, key: str) -> dict[str, CoverageFigure]:
    return {f.region_code: f for f in CoverageFigure.objects.filter(period=period, dimension=dimension, key=key,
                                                                    region_code__in=codes)}  # fmt: skip


def _children_figures(
    *, under: str, level: int, period: str, dimension: str, key: str
) -> dict[str, CoverageFigure]:
    """Every figure of one level under a region, by an index range on the code (never a scan)."""
    qs = CoverageFigure.objects.filter(period=period, dimension=dimension, key=key, level=level)
    if under:
        qs = qs.filter(region_code__gt=under + ".", region_code__lt=under + "/")
    return {f.region_code: f for f in qs}


def _regions_under(*, under: str, level: int) -> list[tuple[str, str]]:
    qs = Region.objects.filter(level=level)
    if under:
        qs = qs.filter(code__gt=under + ".", code__lt=under + "/")
    return list(qs.order_by("code").values_list("code", "name"))


@lru_cache(maxsize=4)
def _population_of_provinces(_loaded: int) -> int:
    total = Region.objects.filter(level=1).aggregate(s=Sum("population"))["s"]
    return int(total or 0)


@lru_cache(maxsize=4)
def _villages_per_district_of(_loaded: int) -> dict[str, int]:
    found = Region.objects.filter(level=4).values_list("parent_id").annotate(n=Count("code"))
    return {parent: n for parent, n in found.values_list("parent_id", "n")}


def _villages_per_district() -> dict[str, int]:
    """How many villages each district has (the 100-per-village denominator), read once per region load."""
    return _villages_per_district_of(Region.objects.count())


def _national_population() -> int:
    """The nation's people (the provinces' sum), read once per region load (the loader counts its loads)."""
    return _population_of_provinces(Region.objects.count())


MANY = 900  # more codes than this: read the small tables whole rather than a long IN (...) list


def _in(codes: list[str], field: str) -> Q:
    return Q(**{f"{field}__in": codes}) if len(codes) <= MANY else Q()


def _targets(codes: list[str]) -> dict[str, rules.Target]:
    """Each region's denominator by the rule (rules.target_for): entered, else estimated."""
    wanted = set(codes)
    entered: dict[str, rules.Entered] = {}
    for t in CoverageTarget.objects.filter(_in(codes, "region_code")).order_by("region_code", "year", "id"):
        if t.region_code in wanted:  # the newest year, then the newest row, wins
            entered[t.region_code] = rules.Entered(t.workers, t.source, t.year)
    upper = [
        c for c in codes if rules.level_of(c) in (1, 2)
    ]  # only provinces and regencies have a population
    populations = dict(Region.objects.filter(_in(upper, "code"), level__in=(1, 2)).values_list("code", "population")) \
        if upper else {}  # fmt: skip
    per_district = _villages_per_district()
    villages = {c: per_district.get(c, 0) for c in codes if c not in entered and rules.level_of(c) == 3}
    for c in upper:  # a province or regency without a population: 100 per village
        if c not in entered and not populations.get(c):
            villages[c] = sum(n for d, n in per_district.items() if d.startswith(c + "."))
    national = _national_population()
    return {
        c: rules.target_for(level=rules.level_of(c), entered=entered.get(c), population=populations.get(c),
                            national_population=national, villages=villages.get(c, 0))
        for c in codes
    }  # fmt: skip


def _measure(row: Figures, target: rules.Target) -> Figures:
    """A row's denominator, its source and its coverage % (and, for a village, whether it reached its goal)."""
    row.target, row.target_kind, row.target_source = target.workers, target.kind.value, target.source
    row.coverage_pct = rules.coverage_pct(covered=row.covered, target=target.workers)
    if rules.level_of(row.code) == 4:  # a village's own row (a split's key or a month is no village)
        row.goal_reached = rules.goal_reached(covered=row.covered, goal=target.workers)
    return row


def _complete(rows: list[Figures]) -> list[Figures]:
    """Regions' rows, each measured against its own denominator."""
    targets = _targets([r.code for r in rows])
    return [_measure(r, targets[r.code]) for r in rows]


def _region_figures(code: str, name: str, found: CoverageFigure | None) -> Figures:
    return _figure(code, name, rules.level_of(code), found)


def coverage_report(*, viewer: Viewer, region_code: str, period: Period, by: str = "") -> Report:
    """One region's figures in one month, and (with `by`) one row per region one or more levels below or per
    key of a split, each with its denominator and coverage %."""
    region = region_check(viewer, region_code)
    code = region.code if region else ""
    name = region.name if region else "Indonesia"
    dimension, key = _split(viewer)
    own = _figures_of(codes=[code], period=str(period), dimension=dimension, key=key).get(code)
    top_target = _targets([code])[code]
    top = _measure(_region_figures(code, name, own), top_target)
    report = Report(top, str(period), by, sponsor=key, freshness=freshness())
    if not by:
        return report
    if by in BY_LEVEL:
        level = BY_LEVEL[by]
        if level <= top.level:
            raise ValidationFailed(
                f"'{by}' tidak berada di bawah wilayah ini: pilih tingkat yang lebih rendah.",
                code=ErrorCode.COVERAGE_DIMENSION_INVALID, field="by",
            )  # fmt: skip
        found = _children_figures(under=code, level=level, period=str(period), dimension=dimension, key=key)
        report.rows = _complete(
            [_region_figures(c, n, found.get(c)) for c, n in _regions_under(under=code, level=level)]
        )
        return report
    if by not in BY_DIMENSION:
        raise ValidationFailed(f"'{by}' tidak dikenal; pilih salah satu: {', '.join(BY_CHOICES)}.",
                               code=ErrorCode.COVERAGE_DIMENSION_INVALID, field="by")  # fmt: skip
    split = BY_DIMENSION[by]
    if viewer.role == Role.SPONSOR and split != "sponsor":
        raise ValidationFailed("Angka sponsor dirinci per wilayah saja.", code=ErrorCode.COVERAGE_DIMENSION_INVALID,
                               field="by")  # fmt: skip
    qs = CoverageFigure.objects.filter(period=str(period), dimension=split, region_code=code)
    if viewer.role == Role.SPONSOR:
        qs = qs.filter(key=viewer.sponsor_ref)
    found_rows = list(qs.order_by("-covered", "key"))
    names = (
        sponsor_names([f.key for f in found_rows]) if split == "sponsor"
        else {f.key: label_of(DIMENSION_VOCABULARY[split], f.key) for f in found_rows}
    )  # fmt: skip
    report.rows = [
        _measure(_figure(f.key, names.get(f.key, f.key), top.level, f), top_target) for f in found_rows
    ]
    return report


def coverage_trend(*, viewer: Viewer, region_code: str, period: Period, months: int = 12) -> list[Figures]:
    """The region's figures month by month, oldest first, ending with `period` (months without figures: 0)."""
    region = region_check(viewer, region_code)
    code = region.code if region else ""
    dimension, key = _split(viewer)
    first = period.plus(-(months - 1))
    found = {
        f.period: f
        for f in CoverageFigure.objects.filter(region_code=code, dimension=dimension, key=key,
                                               period__gte=str(first), period__lte=str(period))
    }  # fmt: skip
    target = _targets([code])[code]
    out = []
    for i in range(months):
        p = str(first.plus(i))
        out.append(_measure(_figure(p, p, rules.level_of(code), found.get(p)), target))
    return out


def coverage_ranking(*, viewer: Viewer, region_code: str, level: int, period: Period) -> list[Figures]:
    """The regions of one level under a region ranked by coverage % and by its growth over 12 months, in the
    manner of the Paritrana Award's coverage part; best first."""
    region_code = dotted(region_code)
    by = {v: k for k, v in BY_LEVEL.items()}.get(level)
    if by is None:
        raise ValidationFailed("Tingkat peringkat: provinsi, kabupaten/kota, kecamatan atau desa.",
                               code=ErrorCode.COVERAGE_DIMENSION_INVALID, field="level")  # fmt: skip
    now = coverage_report(viewer=viewer, region_code=region_code, period=period, by=by).rows
    before = coverage_report(viewer=viewer, region_code=region_code, period=period.plus(-12), by=by).rows
    then = {r.code: r.coverage_pct for r in before}
    for r in now:
        r.growth_points = rules.growth_points(now=r.coverage_pct, before=then.get(r.code))
    for r, rank in zip(now, rules.ranks([r.coverage_pct for r in now]), strict=True):
        r.rank = rank
    for r, rank in zip(now, rules.ranks([r.growth_points for r in now]), strict=True):
        r.growth_rank = rank
    return sorted(now, key=lambda r: (r.rank is None, r.rank or 0, r.code))


@dataclass(frozen=True)
class GoalGroup:
    code: str
    name: str
    villages: int
    reached: int
    covered: int


@dataclass
class Goals:
    villages: list[Figures]  # every village under the region, fewest covered first
    groups: list[GoalGroup]  # per district (under a regency or a district) or per regency (higher)
    reached: int = 0

    @property
    def below(self) -> list[Figures]:
        return [v for v in self.villages if not v.goal_reached]


def village_goals(*, viewer: Viewer, region_code: str, period: Period) -> Goals:
    """1 Desa 100: every village under the region with its covered workers against its goal, and per district
    (or per regency, above a regency) how many villages reached it."""
    region_code = dotted(region_code)
    report = coverage_report(viewer=viewer, region_code=region_code, period=period, by="village") \
        if rules.level_of(region_code) < 4 else None  # fmt: skip
    villages = (
        report.rows
        if report
        else [coverage_report(viewer=viewer, region_code=region_code, period=period).region]
    )
    width = 8 if rules.level_of(region_code) >= 2 else 5
    groups: dict[str, list[Figures]] = {}
    for v in villages:
        groups.setdefault(v.code[:width], []).append(v)
    names = dict(Region.objects.filter(code__in=list(groups)).values_list("code", "name"))
    out = [GoalGroup(c, names.get(c, c), len(vs), sum(1 for v in vs if v.goal_reached), sum(v.covered for v in vs))
           for c, vs in sorted(groups.items())]  # fmt: skip
    ordered = sorted(villages, key=lambda v: (v.covered, v.code))
    return Goals(ordered, out, sum(1 for v in villages if v.goal_reached))


def coverage_map(*, viewer: Viewer, region_code: str, period: Period) -> tuple[int, list[Figures]]:
    """What the map colours, (level drawn, rows): the provinces from the nation; a province's regencies from a
    province or from one of its regencies (only those the viewer may see). Districts and villages have no
    boundaries in the shipped data: (level, []) and their table instead."""
    region_code = dotted(region_code)
    level = rules.level_of(region_code)
    if level == 0:
        return 1, coverage_report(viewer=viewer, region_code="", period=period, by="province").rows
    if level >= 3:
        return level, []
    province = region_code[:2]
    if viewer.all_regions or viewer.role == Role.SPONSOR or viewer.may_see_region(province):
        return 2, coverage_report(viewer=viewer, region_code=province, period=period, by="regency").rows
    regencies = sorted({c[:5] for c in viewer.region_codes if c.startswith(province + ".") and len(c) == 5})
    rows = [coverage_report(viewer=viewer, region_code=c, period=period).region for c in regencies]
    return 2, rows


def targets_of(*, viewer: Viewer, region_code: str) -> list[CoverageTarget]:
    """The denominators entered for a region, newest first (what the region said, with source and year)."""
    region_check(viewer, region_code)
    return list(CoverageTarget.objects.filter(region_code=region_code).order_by("-year", "-id")[:20])


def sponsor_money(*, viewer: Viewer) -> tuple[int, int]:
    """A sponsor's workers' months billed and paid so far, in rupiah (from the aggregates: every month)."""
    if viewer.role != Role.SPONSOR or not viewer.sponsor_ref:
        return 0, 0
    found = CoverageFigure.objects.filter(region_code="", dimension="sponsor", key=viewer.sponsor_ref).aggregate(
        billed=Sum("billed_amount"), paid=Sum("paid_amount"))  # fmt: skip
    return int(found["billed"] or 0), int(found["paid"] or 0)


def naive_report(*, region_code: str, period: Period) -> dict[str, int]:
    """The baseline the bench compares against, and the count the tests check the aggregates with: the same
    month's members, covered, arrears and lapsed straight from the live ledger (COUNT ... GROUP BY)."""
    q = Q(period=str(period), worker__merged_into__isnull=True)
    if region_code:
        column = {1: "worker__province_code", 2: "worker__regency_code", 3: "worker__district_code",
                  4: "worker__village_id"}[rules.level_of(region_code)]  # fmt: skip
        q &= Q(**{column: region_code})
    counts = dict(
        BillLine.objects.filter(q).values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return {"members": sum(counts.values()), "covered": counts.get("paid", 0), "arrears": counts.get("open", 0),
            "lapsed": counts.get("lapsed", 0)}  # fmt: skip


# ------------------------------------------------------------------------------------- documents

# The fields every figure carries in a report document, in this order (the API's are the same).
FIELDS = ("registered", "members", "covered", "arrears", "lapsed", "target", "coverage_pct", "target_source",
          "target_kind", "new", "renewed", "stopped", "billed_amount", "paid_amount", "claims_filed", "claims_paid",
          "claims_paid_amount")  # fmt: skip


def figure_doc(f: Figures, *, region: bool) -> dict[str, Any]:
    doc: dict[str, Any] = {"region_code": f.code} if region else {}
    doc.update({"code": f.code, "name": f.name, "level": f.level})
    doc.update({k: getattr(f, k) for k in FIELDS})
    doc["lapsed_this_month"] = f.stopped  # the words for "stopped": covered last month, not this one
    if f.goal_reached is not None:
        doc["goal_reached"] = f.goal_reached
    return doc


def report_doc(report: Report) -> dict[str, Any]:
    """One document: the region's own figures at the top, `rows` one per group with the same fields."""
    top = figure_doc(report.region, region=True)
    fresh = report.freshness
    return {
        **top, "period": report.period, "by": report.by or None, "sponsor": report.sponsor or None,
        "refreshed_at": fresh.refreshed_at.isoformat() if fresh and fresh.refreshed_at else None,
        "pending_months": fresh.pending if fresh else [],
        "rows": [figure_doc(r, region=report.by in BY_LEVEL) for r in report.rows],
    }  # fmt: skip
