"""Funding services against the database: programs, allocation runs (budget, quota, priority, precedence,
no worker-month funded twice, re-runs, dry runs), legacy lists and the overlap report, donations, the end of
sponsorship and permissions. Amounts come from the contribution rules: APBD Rp 16,800 a month; CSR and donors
Rp 8,400 under PP 50/2025 until December 2026 (other sectors), Rp 16,800 after."""

from __future__ import annotations

import datetime as dt

import pytest

from jaring.contributions.factories import at, member
from jaring.contributions.models import Bill, BillLine, Payer, PayerAssignment
from jaring.contributions.rules import PayerType
from jaring.contributions.services import billing_run, payment_record
from jaring.core.errors import NotFound, PermissionDenied, ValidationFailed
from jaring.core.rules import Role
from jaring.core.selectors import SYSTEM, Viewer
from jaring.core.types import Period
from jaring.funding.models import Allocation, AllocationRun, Program, Sponsor
from jaring.funding.rules import Reason
from jaring.funding.selectors import (
    budget_plan,
    overlap_report,
    program_decisions,
    program_waitlist,
    program_workers,
    sponsorship_ending,
)
from jaring.funding.services import (
    AllocationResult,
    allocation_record_legacy,
    allocation_run,
    donation_create,
    program_budget_change,
    program_create,
    sponsor_create,
)
from jaring.registry.factories import OTHER_REGENCY_VILLAGE, VILLAGE
from jaring.registry.models import Membership

pytestmark = pytest.mark.django_db

NOV = Period(2026, 11)
APBD_YEAR = 12 * 16_800  # APBD pays the full rate (PP 50/2025 excludes APBD)
CSR_YEAR = 2 * 8_400 + 10 * 16_800  # Nov-Dec 2026 discounted, Jan-Oct 2027 full


def _sponsor(
    payer_type: str = "apbd_kabkota", region: str = "36.03", name: str = "Pemkab Tangerang"
) -> Sponsor:
    return sponsor_create(name=name, payer_type=payer_type, region_code=region, viewer=SYSTEM, actor=None)


def _program(sponsor: Sponsor, *, budget: int = 10_000_000, months: int = 12, **kw: object) -> Program:
    return program_create(sponsor_id=sponsor.pk, name=kw.pop("name", "Program 2026"), budget=budget,  # type: ignore[arg-type]  # test helper passes str
                          first_period=kw.pop("first_period", NOV), months=months, viewer=SYSTEM, actor=None, **kw)  # type: ignore[arg-type]  # test helper  # fmt: skip


def _run(*programs: Program, dry_run: bool = False) -> AllocationResult:
    return allocation_run(program_ids=[p.pk for p in programs], viewer=SYSTEM, actor=None, dry_run=dry_run)


def test_program_gets_its_own_virtual_account_and_region() -> None:
    program = _program(_sponsor())
    payer = Payer.objects.get(pk=program.payer_id)
    assert payer.kind == "program" and payer.program_ref == f"funding:{program.pk}"
    assert payer.sponsor_ref == program.sponsor.ref and payer.regency_code == "36.03"
    assert program.region_codes == "36.03"  # defaults to the sponsor's region


def test_allocation_funds_eligible_workers_and_the_next_bill_goes_to_the_program() -> None:
    workers = [member(poverty_decile=str(d)) for d in (3, 1, 2)]
    program = _program(_sponsor())
    result = _run(program)
    outcome = result.programs[0]
    assert (outcome.assigned, outcome.assigned_months, outcome.waitlisted) == (3, 36, 0)
    assert outcome.committed_by_run == outcome.budget_committed == 3 * APBD_YEAR
    assert outcome.budget_left == 10_000_000 - 3 * APBD_YEAR
    program.refresh_from_db()
    assert (program.committed, program.funded_workers) == (3 * APBD_YEAR, 3)
    assigned = PayerAssignment.objects.filter(payer_id=program.payer_id)
    assert {(a.worker_id, a.first_period, a.last_period) for a in assigned} == {
        (w.pk, "2026-11", "2027-10") for w in workers
    }
    billing_run(period=NOV, viewer=SYSTEM, actor=None, issued_at=at("2026-11-01"))
    bill = Bill.objects.get(payer_id=program.payer_id)
    assert (bill.lines_count, bill.amount_total) == (3, 3 * 16_800)
    # poorest first: the ranks follow the decile
    ranks = dict(Allocation.objects.filter(program=program).values_list("worker_id", "rank"))
    assert [ranks[w.pk] for w in workers] == [3, 1, 2]


def test_csr_costs_follow_pp_50_2025_month_by_month() -> None:
    member()
    csr = _program(_sponsor("csr", "", "PT Contoh Tbk"))
    assert _run(csr).programs[0].budget_committed == CSR_YEAR


def test_budget_never_exceeded_and_the_rest_waits_poorest_first() -> None:
    poor, poorer, unknown = member(poverty_decile="3"), member(poverty_decile="1"), member()
    program = _program(_sponsor(), budget=2 * APBD_YEAR + 16_799)
    outcome = _run(program).programs[0]
    assert (outcome.assigned, outcome.waitlisted, outcome.waitlist_reasons) == (
        2,
        1,
        {Reason.BUDGET.value: 1},
    )
    assert outcome.budget_committed == 2 * APBD_YEAR <= program.budget
    funded = {r.worker_id for r in program_workers(viewer=SYSTEM, program_id=program.pk)}
    assert funded == {poor.pk, poorer.pk}
    waiting = program_waitlist(viewer=SYSTEM, program_id=program.pk)
    assert [(w.worker_id, w.reason, w.rank) for w in waiting] == [(unknown.pk, "budget_exhausted", 3)]
    # A budget revision lets the next run fund the one who waited, and only them.
    program_budget_change(program_id=program.pk, budget=3 * APBD_YEAR, viewer=SYSTEM, actor=None)
    again = _run(program).programs[0]
    assert (again.assigned, again.excluded_reasons) == (1, {Reason.ALREADY_ASSIGNED.value: 2})
    assert again.budget_left == 0


def test_budget_cannot_drop_below_what_is_committed() -> None:
    member()
    program = _program(_sponsor())
    _run(program)
    with pytest.raises(ValidationFailed) as err:
        program_budget_change(program_id=program.pk, budget=APBD_YEAR - 1, viewer=SYSTEM, actor=None)
    assert err.value.code == "BUDGET_BELOW_COMMITTED"


def test_quota_of_workers() -> None:
    for _ in range(3):
        member()
    outcome = _run(_program(_sponsor(), max_workers=2)).programs[0]
    assert (outcome.assigned, outcome.waitlist_reasons) == (2, {Reason.MAX_WORKERS.value: 1})


def test_conditions_exclude_with_their_reasons() -> None:
    member(occupation="Nelayan", poverty_decile="1")
    member(poverty_decile="9")
    member()  # decile unknown
    member(birth=dt.date(1962, 1, 1), poverty_decile="1")  # 64 years old
    fine = member(poverty_decile="2")
    member(village=OTHER_REGENCY_VILLAGE, poverty_decile="1")  # outside the program's region: not considered
    program = _program(_sponsor(), occupations=["petani"], decile_max=4, age_min=18, age_max=60)
    outcome = _run(program).programs[0]
    assert outcome.assigned == 1
    assert outcome.excluded_reasons == {
        Reason.OCCUPATION.value: 1, Reason.DECILE.value: 1, Reason.DECILE_UNKNOWN.value: 1, Reason.AGE.value: 1,
    }  # fmt: skip
    assert {r.worker_id for r in program_workers(viewer=SYSTEM, program_id=program.pk)} == {fine.pk}
    labels = {c.reason: c.workers for c in program_decisions(viewer=SYSTEM, program_id=program.pk)}
    assert labels[Reason.OCCUPATION.value] == 1 and labels[""] == 1


def test_two_programs_together_village_keeps_the_worker_regency_funds_the_rest() -> None:
    shared, regency_only = member(), member(village="36.03.01.2005")
    regency = _program(_sponsor(), name="APBD")
    village = _program(_sponsor("apbdes", VILLAGE, "Desa Cangkudu"), name="Dana Desa", months=6)
    result = allocation_run(program_ids=[regency.pk, village.pk], viewer=SYSTEM, actor=None)
    by = {o.program_id: o for o in result.programs}
    assert by[village.pk].assigned == 1 and by[village.pk].assigned_months == 6
    # The regency funds the shared worker only after the village's six months: no overlap, no gap.
    spans = {(a.program_id, a.worker_id): (a.first_period, a.last_period) for a in Allocation.objects.all()}
    assert spans[(village.pk, shared.pk)] == ("2026-11", "2027-04")
    assert spans[(regency.pk, shared.pk)] == ("2027-05", "2027-10")
    assert spans[(regency.pk, regency_only.pk)] == ("2026-11", "2027-10")
    _assert_no_month_funded_twice()


def test_precedence_decides_when_both_want_every_month() -> None:
    member()
    regency = _program(_sponsor(), name="APBD")
    village = _program(_sponsor("apbdes", VILLAGE, "Desa Cangkudu"), name="Dana Desa")
    result = allocation_run(program_ids=None, viewer=SYSTEM, actor=None)
    by = {o.program_id: o for o in result.programs}
    assert by[village.pk].assigned == 1
    assert by[regency.pk].excluded_reasons == {Reason.FUNDED_ELSEWHERE.value: 1}


def test_a_later_run_never_takes_months_another_program_already_funds() -> None:
    member()
    regency = _program(_sponsor(), name="APBD")
    _run(regency)
    village = _program(_sponsor("apbdes", VILLAGE, "Desa Cangkudu"), name="Dana Desa")
    outcome = _run(village).programs[0]
    assert (outcome.assigned, outcome.excluded_reasons) == (0, {Reason.FUNDED_ELSEWHERE.value: 1})
    _assert_no_month_funded_twice()


def test_rerun_changes_nothing_and_dry_run_keeps_nothing() -> None:
    for _ in range(2):
        member()
    program = _program(_sponsor())
    dry = _run(program, dry_run=True)
    assert dry.run_id is None and dry.programs[0].assigned == 2
    assert not Allocation.objects.exists() and not AllocationRun.objects.exists()
    assert not PayerAssignment.objects.exists()
    _run(program)
    again = _run(program).programs[0]
    assert (again.assigned, again.committed_by_run, again.excluded_reasons) == (
        0, 0, {Reason.ALREADY_ASSIGNED.value: 2},
    )  # fmt: skip
    assert Allocation.objects.count() == 2 and PayerAssignment.objects.count() == 2


def test_only_uncovered_skips_workers_paying_their_own_way() -> None:
    payer_worker, other = member(), member()
    billing_run(period=Period(2026, 10), viewer=SYSTEM, actor=None, issued_at=at("2026-10-01"))
    own = Payer.objects.get(worker=payer_worker)
    amount = BillLine.objects.get(worker=payer_worker).amount
    payment_record(va_number=own.va_number, amount=amount, paid_at=at("2026-10-05"), recorded_at=at("2026-10-05"), reference="R1", bank="demo",
                   viewer=SYSTEM, actor=None)  # fmt: skip
    outcome = _run(_program(_sponsor(), only_uncovered=True)).programs[0]
    assert (outcome.assigned, outcome.excluded_reasons) == (1, {Reason.ALREADY_COVERED.value: 1})
    assert Allocation.objects.get().worker_id == other.pk


def test_legacy_double_funding_shows_in_the_overlap_report_with_the_credit() -> None:
    worker = member()
    regency = _program(_sponsor(), name="APBD 2026", first_period=Period(2026, 1))
    village = _program(
        _sponsor("apbdes", VILLAGE, "Desa Cangkudu"), name="Dana Desa 2026", first_period=Period(2026, 1)
    )
    allocation_record_legacy(program_id=regency.pk, worker_ids=[worker.pk], first_period=Period(2026, 1),
                             last_period=Period(2026, 12), viewer=SYSTEM, actor=None)  # fmt: skip
    allocation_record_legacy(program_id=village.pk, worker_ids=[worker.pk], first_period=Period(2026, 10),
                             last_period=Period(2027, 3), viewer=SYSTEM, actor=None)  # fmt: skip
    report = overlap_report(viewer=SYSTEM)
    assert len(report.rows) == 1
    row = report.rows[0]
    # The village keeps Oct-Dec 2026; the regency is credited what APBD committed for those months.
    assert (row.keeps_program, row.credit_program) == ("Dana Desa 2026", "APBD 2026")
    assert (row.first_period, row.last_period, row.months, row.credit_amount) == (
        "2026-10",
        "2026-12",
        3,
        3 * 16_800,
    )
    assert report.credit_by_sponsor == [("Pemkab Tangerang", 3, 3 * 16_800)]


def test_legacy_list_cannot_exceed_the_budget() -> None:
    worker = member()
    program = _program(_sponsor(), budget=16_800)
    with pytest.raises(ValidationFailed) as err:
        allocation_record_legacy(program_id=program.pk, worker_ids=[worker.pk], first_period=NOV,
                                 last_period=Period(2026, 12), viewer=SYSTEM, actor=None)  # fmt: skip
    assert err.value.code == "BUDGET_EXCEEDED" and not Allocation.objects.exists()


def _donor_viewer(sponsor: Sponsor) -> Viewer:
    return Viewer(user_id=None, username="donor", role=Role.SPONSOR, sponsor_ref=sponsor.ref)


def test_donor_funds_the_neediest_of_a_village_and_pays_exactly_their_cost() -> None:
    poorest, poor, _rich = member(poverty_decile="1"), member(poverty_decile="2"), member(poverty_decile="8")
    member(village=OTHER_REGENCY_VILLAGE, poverty_decile="1")
    donor = _sponsor("donor", "", "GN Lingkaran - Ibu Ani")
    donation = donation_create(workers=2, months=6, region_code=VILLAGE, viewer=_donor_viewer(donor), actor=None,
                               today=dt.date(2026, 11, 21))  # fmt: skip
    program = donation.program
    per_worker = 8_400 + 5 * 16_800  # Dec 2026 discounted (donor, other sector), Jan-May 2027 full
    assert (program.funded_workers, program.committed, program.budget) == (2, 2 * per_worker, 2 * per_worker)
    assert {a.worker_id for a in Allocation.objects.filter(program=program)} == {poorest.pk, poor.pk}
    assert program.is_donation and program.frequency == 6 and program.first_period == "2026-12"
    # The donor sees the people they protect, NIK masked.
    rows = program_workers(viewer=_donor_viewer(donor), program_id=program.pk)
    assert all("*" in r.nik for r in rows)


def test_donation_with_nobody_eligible_keeps_nothing() -> None:
    donor = _sponsor("donor", "", "Donatur")
    with pytest.raises(ValidationFailed) as err:
        donation_create(workers=5, months=12, region_code=VILLAGE, viewer=_donor_viewer(donor), actor=None)
    assert err.value.code == "NO_ELIGIBLE_WORKERS"
    assert not Program.objects.exists() and not Payer.objects.exists()


def test_end_of_sponsorship_lists_who_is_not_picked_up() -> None:
    picked_up, ending = member(full_name="Siti Aminah"), member(full_name="Dewi Lestari")
    regency = _program(_sponsor(), first_period=Period(2026, 1), months=12)
    _run(regency)
    village = _program(
        _sponsor("apbdes", VILLAGE, "Desa Cangkudu"), first_period=Period(2027, 1), max_workers=1
    )
    Program.objects.filter(pk=village.pk).update(priority="earliest")
    _run(village)  # picks up the earliest registered only
    report = sponsorship_ending(viewer=SYSTEM, today=dt.date(2026, 11, 21))
    (row,) = report.rows  # the worker the village continues to fund is not invited
    assert row.worker_id == ending.pk and picked_up.pk != ending.pk
    assert row.last_period == "2026-12" and "Desember 2026" in row.invitation
    assert report.by_sponsor == [("Pemkab Tangerang", 1)] and report.by_village[0][2] == 1
    assert sponsorship_ending(viewer=SYSTEM, today=dt.date(2026, 9, 1)).rows == []  # 4 months away


def _assert_no_month_funded_twice() -> None:
    months: set[tuple[int, int]] = set()
    for a in Allocation.objects.all():
        for i in range(a.months):
            key = (a.worker_id, Period.parse(a.first_period).plus(i).index)
            assert key not in months
            months.add(key)


# ------------------------------------------------------------------------------------- who may do what


def test_agents_do_not_spend_budgets() -> None:
    agent = Viewer(user_id=None, username="agen", role=Role.AGENT, region_codes=("36.03.01",))
    with pytest.raises(PermissionDenied):
        allocation_run(program_ids=None, viewer=agent, actor=None)


def test_region_officer_manages_only_their_regions_sponsors() -> None:
    gresik = Viewer(user_id=None, username="gresik", role=Role.REGION, region_codes=("35.25",))
    program = _program(_sponsor())
    with pytest.raises(NotFound):
        allocation_run(program_ids=[program.pk], viewer=gresik, actor=None)
    with pytest.raises(PermissionDenied):
        sponsor_create(name="Pemkab Tangerang 2", payer_type="apbd_kabkota", region_code="36.03", viewer=gresik,
                       actor=None)  # fmt: skip
    tangerang = Viewer(user_id=None, username="tgr", role=Role.REGION, region_codes=("36.03",))
    assert allocation_run(program_ids=[program.pk], viewer=tangerang, actor=None).run_id is not None


def test_sponsor_sees_only_its_own_programs() -> None:
    mine, theirs = _sponsor("csr", "", "PT Satu"), _sponsor("csr", "", "PT Dua")
    program = _program(theirs)
    with pytest.raises(NotFound):
        program_workers(viewer=_donor_viewer(mine), program_id=program.pk)
    with pytest.raises(NotFound):
        program_create(sponsor_id=theirs.pk, name="x", budget=1, first_period=NOV, months=1,
                       viewer=_donor_viewer(mine), actor=None)  # fmt: skip


@pytest.mark.parametrize(
    ("kw", "code"),
    [
        ({"budget": 0}, "BUDGET_INVALID"),
        ({"months": 0}, "MONTHS_INVALID"),
        ({"region_codes": ["35.25"]}, "REGION_OUTSIDE_SPONSOR"),
        ({"region_codes": ["99.99"]}, "REGION_UNKNOWN"),
        ({"occupations": ["astronot"]}, "OCCUPATION_UNKNOWN"),
        ({"ecosystems": ["laut"]}, "ECOSYSTEM_UNKNOWN"),
        ({"age_min": 60, "age_max": 18}, "AGE_RANGE_INVALID"),
        ({"decile_max": 11}, "DECILE_INVALID"),
        ({"priority": "richest"}, "PRIORITY_UNKNOWN"),
        ({"frequency": 5}, "FREQUENCY_INVALID"),
    ],
)
def test_program_input_is_checked(kw: dict[str, object], code: str) -> None:
    sponsor = _sponsor()
    args = {"budget": 1_000_000, "months": 12, **kw}
    with pytest.raises(ValidationFailed) as err:
        program_create(sponsor_id=sponsor.pk, name="P", first_period=NOV, viewer=SYSTEM, actor=None, **args)  # type: ignore[arg-type]  # parametrized
    assert err.value.code == code
    assert not Program.objects.exists()


@pytest.mark.parametrize(
    ("payer_type", "first", "per_worker"),
    [
        (PayerType.APBD_KABKOTA, Period(2026, 11), APBD_YEAR),  # PP 50/2025 excludes APBD
        (PayerType.CSR, Period(2026, 11), CSR_YEAR),  # discount Nov-Dec 2026 only
        (PayerType.APBDES, Period(2026, 4), 9 * 8_400 + 3 * 16_800),  # Apr-Dec 2026 discounted (not APBD)
    ],
)
def test_budget_plan(payer_type: PayerType, first: Period, per_worker: int) -> None:
    plan = budget_plan(
        payer_type=payer_type, months=12, first_period=first, workers=86_000, budget=1_000_000_000
    )
    assert plan.cost_per_worker == per_worker and plan.total == 86_000 * per_worker
    assert plan.workers_covered == 1_000_000_000 // per_worker
    assert any("PP" in s for s in plan.sources)


def test_budget_plan_needs_workers_or_budget() -> None:
    with pytest.raises(ValidationFailed) as err:
        budget_plan(payer_type=PayerType.CSR, months=12, first_period=NOV)
    assert err.value.code == "PLAN_INPUT_MISSING"


def test_overlap_report_shows_a_branch_only_the_workers_of_its_regions() -> None:
    """A branch office sees national programs, but the overlap rows only for workers of its regencies."""
    here, there = member(), member(village=OTHER_REGENCY_VILLAGE)
    first, second = (
        _program(_sponsor("csr", "", name), name=name, first_period=Period(2026, 1))
        for name in ("PT A", "PT B")
    )
    for program in (first, second):
        allocation_record_legacy(program_id=program.pk, worker_ids=[here.pk, there.pk], first_period=Period(2026, 1),
                                 last_period=Period(2026, 3), viewer=SYSTEM, actor=None)  # fmt: skip
    assert {r.worker_id for r in overlap_report(viewer=SYSTEM).rows} == {here.pk, there.pk}
    branch = Viewer(user_id=None, username="kc", role=Role.BRANCH, region_codes=("36.03",))
    assert [r.worker_id for r in overlap_report(viewer=branch).rows] == [here.pk]


def test_workers_without_a_card_get_an_outcome_and_a_run_funding_nobody_says_why() -> None:
    """Issue #12: every worker of the program's regions has an outcome; nobody silently falls out."""
    no_card, ended, ok = member(), member(), member()
    Membership.objects.filter(worker=no_card).delete()
    Membership.objects.filter(worker=ended).update(status="ended")
    village = _sponsor("apbdes", region=VILLAGE, name="Desa Cangkudu")
    program = _program(village, budget=1_000_000, region_codes=[VILLAGE], name="1 Desa 100 Pekerja Rentan")
    result = _run(program)
    o = result.programs[0]
    assert (o.region_workers, o.assigned) == (3, 1)
    assert o.excluded_reasons == {Reason.NO_MEMBERSHIP.value: 1, Reason.MEMBERSHIP_ENDED.value: 1}
    funded = [w.worker_id for w in program_workers(viewer=SYSTEM, program_id=program.pk)]
    assert o.nobody_funded is None and funded == [ok.pk]
    again = _run(program).totals()
    assert again["assigned"] == 0 and again["nobody_funded"]["code"] == "ALL_EXCLUDED"
    assert "belum memiliki kartu kepesertaan" in again["nobody_funded"]["message"]
    empty = _program(_sponsor("apbdes", region=OTHER_REGENCY_VILLAGE, name="Desa Lain"),
                     region_codes=[OTHER_REGENCY_VILLAGE], name="Kosong")  # fmt: skip
    assert _run(empty).totals()["nobody_funded"]["code"] == "NO_WORKERS_IN_REGION"
