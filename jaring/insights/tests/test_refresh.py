"""The coverage aggregates against the live ledger (issue #15): over random ledgers, every region's figures in
every month equal a count of the bill lines and workers behind them; the jobs that change who is covered mark
their months in their own transaction and the refresh follows their commit; denominators are entered in scope."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from jaring.contributions.factories import at, member
from jaring.contributions.models import BillLine, Payer
from jaring.contributions.services import billing_run, payment_record
from jaring.core.errors import PermissionDenied, ValidationFailed
from jaring.core.factories import make_viewer
from jaring.core.models import AuditEvent
from jaring.core.rules import Role
from jaring.core.selectors import SYSTEM
from jaring.core.types import Period
from jaring.insights.models import CoverageFigure, CoverageTarget, DirtyPeriod
from jaring.insights.selectors import coverage_report, coverage_trend, naive_report, village_goals
from jaring.insights.services import coverage_refresh, coverage_refresh_pending, coverage_target_set
from jaring.registry.factories import OTHER_REGENCY_VILLAGE, VILLAGE
from jaring.registry.models import Worker

pytestmark = pytest.mark.django_db
MONTHS = ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
SECOND_VILLAGE = "36.03.01.2005"  # Talagasari, Kec. Balaraja, beside VILLAGE
VILLAGES = (VILLAGE, SECOND_VILLAGE, OTHER_REGENCY_VILLAGE)


def _ledger(plan: list[tuple[int, list[bool]]]) -> list[Worker]:
    """Workers (village index, whether each month is paid), billed month by month at its first day, each
    paid month paid on the 10th (a month left unpaid more than 3 months ends the membership)."""
    workers = [member(village=VILLAGES[v], nik=None) for v, _ in plan]
    for i, month in enumerate(MONTHS):
        billing_run(period=Period.parse(month), viewer=SYSTEM, actor=None, issued_at=at(f"{month}-01", 7))
        for worker, (_, paid) in zip(workers, plan, strict=True):
            line = BillLine.objects.filter(worker=worker, period=month, status="open").first()
            if line is None or not paid[i]:
                continue
            payer = Payer.objects.get(pk=line.payer_id)
            payment_record(va_number=payer.va_number, amount=line.amount, paid_at=at(f"{month}-10"),
                           recorded_at=at(f"{month}-10"), reference=f"T-{worker.pk}-{month}", bank="bni",
                           viewer=SYSTEM, actor=None)  # fmt: skip
    return workers


def _counted(region: str, month: str) -> dict[str, int]:
    """The ledger counted by hand: what the figures must say."""
    found = naive_report(region_code=region, period=Period.parse(month))
    workers = Worker.objects.filter(merged_into__isnull=True)
    if region:
        workers = workers.filter(village__code__startswith=region)
    firsts = {w: min(p for (p,) in BillLine.objects.filter(worker_id=w).values_list("period")) for w in
              workers.filter(pk__in=BillLine.objects.values("worker_id")).values_list("pk", flat=True)}  # fmt: skip
    found["registered"] = sum(
        1
        for w in workers.values_list("pk", flat=True)
        if w not in firsts or firsts[w] <= month or month >= "2026-12"
    )
    return found


@settings(max_examples=8, deadline=None, phases=[Phase.explicit, Phase.generate], suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                HealthCheck.too_slow])  # fmt: skip
@given(st.lists(st.tuples(st.integers(0, 2), st.lists(st.booleans(), min_size=6, max_size=6)), min_size=1,
                max_size=5))  # fmt: skip
def test_figures_equal_a_count_from_the_ledger(plan: list[tuple[int, list[bool]]]) -> None:
    with transaction.atomic():
        _ledger(plan)
        coverage_refresh(periods=None)
        for month in MONTHS:
            for region in (
                "",
                "36",
                "36.03",
                "36.03.01",
                VILLAGE,
                SECOND_VILLAGE,
                "35.25",
                OTHER_REGENCY_VILLAGE,
            ):
                report = coverage_report(viewer=SYSTEM, region_code=region, period=Period.parse(month)).region
                counted = _counted(region, month)
                got = {k: getattr(report, k) for k in counted}
                assert got == counted, (region, month)
                assert report.members == report.covered + report.arrears + report.lapsed
        # a month's rows per village add up to the regency's
        rows = coverage_report(
            viewer=SYSTEM, region_code="36.03", period=Period.parse("2025-03"), by="village"
        ).rows
        top = coverage_report(viewer=SYSTEM, region_code="36.03", period=Period.parse("2025-03")).region
        assert sum(r.covered for r in rows) == top.covered and sum(r.members for r in rows) == top.members
        transaction.set_rollback(True)


def test_new_renewed_and_stopped_follow_the_months() -> None:
    # one worker pays January and February, then stops; the other never pays
    _ledger([(0, [True, True, False, False, False, False]), (0, [False] * 6)])
    coverage_refresh(periods=None)
    month = {
        m: coverage_report(viewer=SYSTEM, region_code=VILLAGE, period=Period.parse(m)).region for m in MONTHS
    }
    assert (month["2025-01"].new, month["2025-02"].new) == (2, 0)
    assert (month["2025-02"].renewed, month["2025-03"].stopped, month["2025-04"].stopped) == (1, 1, 0)
    # four unpaid months end the second membership at May's billing; its months lapse (Perdir 22/2022)
    assert (month["2025-01"].lapsed, month["2025-01"].covered, month["2025-04"].members) == (1, 1, 2)
    assert (month["2025-05"].members, month["2025-06"].arrears) == (1, 1)
    trend = coverage_trend(viewer=SYSTEM, region_code=VILLAGE, period=Period.parse("2025-06"), months=6)
    assert [t.covered for t in trend] == [1, 1, 0, 0, 0, 0]


def test_a_billing_run_marks_its_months_and_the_refresh_follows_its_commit(
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(
        execute=True
    ):  # a registration, then a billing run, each committed
        worker = member(village=VILLAGE, nik=None)
    with django_capture_on_commit_callbacks(execute=True):
        billing_run(period=Period.parse("2025-01"), viewer=SYSTEM, actor=None, issued_at=at("2025-01-01", 7))
    # the immediate task backend ran the refresh on commit: the mark is gone, the figure is there
    assert not DirtyPeriod.objects.exists()
    figure = CoverageFigure.objects.get(region_code=VILLAGE, period="2025-01", dimension="", key="")
    assert (figure.members, figure.arrears, figure.covered) == (1, 1, 0)
    line = BillLine.objects.get(worker=worker, period="2025-01")
    payer = Payer.objects.get(pk=line.payer_id)
    with django_capture_on_commit_callbacks(execute=True):
        payment_record(va_number=payer.va_number, amount=line.amount, paid_at=at("2025-01-05"),
                       recorded_at=at("2025-01-05"), reference="T-1", bank="bni", viewer=SYSTEM, actor=None)  # fmt: skip
    figure = CoverageFigure.objects.get(region_code=VILLAGE, period="2025-01", dimension="", key="")
    assert (figure.covered, figure.arrears, figure.paid_amount) == (1, 0, line.amount)


def test_a_job_rolled_back_leaves_no_mark() -> None:
    member(village=VILLAGE, nik=None)
    DirtyPeriod.objects.all().delete()
    with pytest.raises(RuntimeError), transaction.atomic():
        billing_run(period=Period.parse("2025-01"), viewer=SYSTEM, actor=None, issued_at=at("2025-01-01", 7))
        assert DirtyPeriod.objects.filter(period="2025-01").exists()  # marked inside the job's transaction
        raise RuntimeError("the job failed")
    assert not DirtyPeriod.objects.exists()


def test_pending_months_are_refreshed_once() -> None:
    member(village=VILLAGE, nik=None)
    billing_run(period=Period.parse("2025-01"), viewer=SYSTEM, actor=None, issued_at=at("2025-01-01", 7))
    assert DirtyPeriod.objects.filter(period="2025-01").exists()
    result = coverage_refresh_pending()
    assert result is not None and "2025-01" in result.periods
    assert not DirtyPeriod.objects.exists() and coverage_refresh_pending() is None


def test_splits_by_payer_type_and_occupation() -> None:
    _ledger([(0, [True] * 6), (1, [True] * 6)])
    Worker.objects.filter(village_id=SECOND_VILLAGE).update(occupation="nelayan")
    coverage_refresh(periods=["2025-02"])
    by_job = coverage_report(
        viewer=SYSTEM, region_code="36.03", period=Period.parse("2025-02"), by="occupation"
    )
    assert {(r.code, r.name, r.covered) for r in by_job.rows} == {
        ("petani", "Petani", 1),
        ("nelayan", "Nelayan", 1),
    }
    by_payer = coverage_report(
        viewer=SYSTEM, region_code="36.03", period=Period.parse("2025-02"), by="payer-type"
    )
    assert [(r.code, r.covered) for r in by_payer.rows] == [("mandiri", 2)]


def test_a_regency_enters_its_denominator_and_gresiks_coverage_is_reproduced() -> None:
    user, viewer = make_viewer(Role.REGION, region_code="35.25")
    coverage_target_set(region_code="35.25", workers=628_876, source="BPS Kab. Gresik", year=2022, viewer=viewer,
                        actor=user)  # fmt: skip
    CoverageFigure.objects.create(
        region_code="35.25", level=2, period="2022-12", covered=247_777, members=247_777
    )
    report = coverage_report(viewer=viewer, region_code="35.25", period=Period.parse("2022-12")).region
    assert (report.target, report.coverage_pct, report.target_source) == (
        628_876,
        39.40,
        "BPS Kab. Gresik (2022)",
    )
    assert AuditEvent.objects.filter(action="coverage_target.set", actor=user).exists()
    # a newer year's figure counts; the old one stays
    coverage_target_set(
        region_code="35.25", workers=700_000, source="BPS", year=2025, viewer=viewer, actor=user
    )
    assert (
        coverage_report(viewer=viewer, region_code="35.25", period=Period.parse("2022-12")).region.target
        == 700_000
    )
    assert CoverageTarget.objects.filter(region_code="35.25").count() == 2


@pytest.mark.parametrize(
    ("role", "region", "target_region", "error"),
    [
        (Role.REGION, "35.25", "36.03", PermissionDenied),  # another regency
        (Role.VILLAGE, VILLAGE, "36.03", PermissionDenied),  # above the village
        (Role.SPONSOR, "", "36.03", PermissionDenied),  # sponsors read, they do not count a region's people
        (Role.AGENT, "36.03.01", "36.03.01", PermissionDenied),
    ],
)
def test_targets_only_in_scope_and_by_roles_that_count(
    role: Role, region: str, target_region: str, error: type
) -> None:
    user, viewer = make_viewer(role, region_code=region)
    with pytest.raises(error):
        coverage_target_set(
            region_code=target_region, workers=10, source="x", year=2025, viewer=viewer, actor=user
        )
    assert not CoverageTarget.objects.exists()


@pytest.mark.parametrize(
    ("workers", "source", "year", "field"),
    [
        (0, "BPS", 2025, "workers"),
        (10, "", 2025, "source"),
        (10, "BPS", 1990, "year"),
        (10, "x" * 201, 2025, "source"),
    ],
)
def test_a_bad_target_says_which_field(workers: int, source: str, year: int, field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        coverage_target_set(
            region_code="36.03", workers=workers, source=source, year=year, viewer=SYSTEM, actor=None
        )
    assert caught.value.field == field and caught.value.code == "TARGET_INVALID"


def test_scope_a_village_sees_its_village_a_regency_below_a_sponsor_its_workers() -> None:
    _ledger([(0, [True] * 6), (2, [True] * 6)])
    coverage_refresh(periods=["2025-02"])
    _, village = make_viewer(Role.VILLAGE, region_code=VILLAGE)
    assert (
        coverage_report(viewer=village, region_code=VILLAGE, period=Period.parse("2025-02")).region.covered
        == 1
    )
    for outside in ("", "36.03", OTHER_REGENCY_VILLAGE):
        with pytest.raises(PermissionDenied):
            coverage_report(viewer=village, region_code=outside, period=Period.parse("2025-02"))
    _, regency = make_viewer(Role.REGION, region_code="36.03")
    rows = coverage_report(
        viewer=regency, region_code="36.03", period=Period.parse("2025-02"), by="district"
    ).rows
    assert sum(r.covered for r in rows) == 1
    # a sponsor that funds nobody sees nothing, nationally
    sponsor = make_viewer(Role.SPONSOR, region_code="")[1]
    sponsor = type(sponsor)(**{**sponsor.__dict__, "sponsor_ref": "nobody"})
    assert coverage_report(viewer=sponsor, region_code="", period=Period.parse("2025-02")).region.covered == 0


def test_village_goals_list_every_village_below_its_goal() -> None:
    _ledger([(0, [True] * 6)])
    coverage_refresh(periods=["2025-02"])
    goals = village_goals(viewer=SYSTEM, region_code="36.03.01", period=Period.parse("2025-02"))
    assert goals.reached == 0 and len(goals.villages) == len(goals.below) >= 2
    assert goals.below[0].covered == 0 and {v.target for v in goals.villages} == {100}
    assert [g.code for g in goals.groups] == ["36.03.01"]
