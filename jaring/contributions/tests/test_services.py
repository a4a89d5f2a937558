"""The ledger against a real database: billing runs, payments, settling oldest month first, credit, the
reconciliation queue, lapse and re-activation (domain rules section 2)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from jaring.contributions.factories import at, member
from jaring.contributions.models import (
    Bill,
    BillingRun,
    BillLine,
    Discount,
    Payer,
    PayerKind,
    Payment,
    PaymentStatus,
)
from jaring.contributions.rules import PayerType, va_number, va_valid
from jaring.contributions.services import (
    BillingResult,
    billing_run,
    discount_credit_apply,
    membership_reactivate,
    payer_assign,
    payer_create,
    payment_record,
    payment_resolve,
)
from jaring.core.errors import Conflict, PermissionDenied, ValidationFailed
from jaring.core.factories import make_viewer
from jaring.core.models import AuditEvent
from jaring.core.rules import Role
from jaring.core.selectors import SYSTEM
from jaring.core.types import Period
from jaring.registry.factories import OTHER_REGENCY_VILLAGE
from jaring.registry.models import Membership, Worker

pytestmark = pytest.mark.django_db
P = Period.parse


def bill(period: str, issued: str | None = None) -> BillingResult:
    return billing_run(period=P(period), viewer=SYSTEM, actor=None, issued_at=at(issued or f"{period}-01"))


def pay(payer: Payer, amount: int, day: str, ref: str) -> Payment:
    payment, _ = payment_record(
        va_number=payer.va_number, amount=amount, paid_at=at(day), recorded_at=at(day), reference=ref, bank="bni", viewer=SYSTEM,
        actor=None,
    )  # fmt: skip
    return payment


def lines_of(worker: Worker) -> dict[str, tuple[str, int]]:
    return {
        line.period: (line.status, line.amount)
        for line in BillLine.objects.filter(worker=worker).order_by("period")
    }


def own_payer(worker: Worker) -> Payer:
    return Payer.objects.get(worker=worker)


def test_a_month_billed_once_per_payer_and_a_rerun_changes_nothing() -> None:
    farmer, driver = member(), member(occupation="Ojek Online")
    result = bill("2026-11")
    assert (result.bills, result.lines) == (2, 2)
    # PP 50/2025: Rp 8,400 for a self-paying worker in November 2026, transport or not.
    assert lines_of(farmer) == {"2026-11": ("open", 8_400)}
    assert lines_of(driver) == {"2026-11": ("open", 8_400)}
    payer = own_payer(farmer)
    kpj = Membership.objects.get(worker=farmer).kpj
    assert payer.kind == PayerKind.WORKER and payer.va_number == "8889" + kpj + payer.va_number[-1]
    assert va_valid(payer.va_number)
    again = bill("2026-11")
    assert (again.bills, again.lines, again.amount_total) == (0, 0, 0)
    assert Bill.objects.count() == 2 and BillLine.objects.count() == 2
    assert AuditEvent.objects.filter(action="billing.run").count() == 2


def test_a_bill_is_frozen_when_issued() -> None:
    worker = member()
    bill("2027-01")  # no discount for "other" sectors in 2027: Rp 16,800
    Worker.objects.filter(pk=worker.pk).update(income_tier=5_000_000)
    assert lines_of(worker) == {"2027-01": ("open", 16_800)}
    bill("2027-02")
    assert lines_of(worker)["2027-02"] == ("open", 50_000 + 6_800)  # JKK 1 % of the new income


def test_a_late_joiner_lands_on_a_second_bill_of_the_month() -> None:
    member()
    bill("2026-11")
    late = member()
    result = bill("2026-11")
    assert (result.bills, result.lines) == (1, 1)
    assert Bill.objects.get(payer__worker=late).seq == 1
    program = payer_create(kind=PayerKind.PROGRAM, payer_type=PayerType.APBD_KABKOTA, name="APBD Kab. Tangerang",
                           region_code="36.03", actor=None)  # fmt: skip
    third = member()
    payer_assign(
        payer_id=program.pk, worker_ids=[third.pk], first_period=P("2026-11"), last_period=None, actor=None
    )
    bill("2026-11")
    assert Bill.objects.get(payer=program).lines_count == 1


def test_program_bill_one_line_per_worker_at_the_apbd_rate() -> None:
    workers = [member() for _ in range(3)]
    program = payer_create(kind=PayerKind.PROGRAM, payer_type=PayerType.APBD_KABKOTA, name="APBD Kab. Tangerang",
                           region_code="36.03", actor=None)  # fmt: skip
    payer_assign(payer_id=program.pk, worker_ids=[w.pk for w in workers[:2]], first_period=P("2026-11"),
                 last_period=P("2026-12"), actor=None)  # fmt: skip
    bill("2026-11")
    program_bill = Bill.objects.get(payer=program)
    # APBD payers are outside PP 50/2025: Rp 16,800 per worker-month.
    assert (program_bill.lines_count, program_bill.amount_total) == (2, 33_600)
    assert Bill.objects.get(payer__worker=workers[2]).amount_total == 8_400
    bill("2027-01")  # the program ended in December: the workers are billed to themselves again
    assert BillLine.objects.get(worker=workers[0], period="2027-01").payer_id == own_payer(workers[0]).pk


def test_payment_in_advance_bills_the_whole_cycle_once() -> None:
    workers = [member(), member()]
    donor = payer_create(kind=PayerKind.PROGRAM, payer_type=PayerType.DONOR, name="GN Lingkaran", frequency=3,
                         actor=None)  # fmt: skip
    payer_assign(payer_id=donor.pk, worker_ids=[workers[0].pk], first_period=P("2026-10"), last_period=None,
                 actor=None)  # fmt: skip
    bill("2026-10")
    first = Bill.objects.get(payer=donor)
    assert (first.first_period, first.last_period, first.lines_count) == ("2026-10", "2026-12", 3)
    payer_assign(payer_id=donor.pk, worker_ids=[workers[1].pk], first_period=P("2026-11"), last_period=None,
                 actor=None)  # fmt: skip
    result = bill("2026-11")  # mid-cycle: only the new worker, up to the cycle's end
    assert result.lines == 2
    assert set(lines_of(workers[1])) == {"2026-10", "2026-11", "2026-12"}  # October was still their own
    assert bill("2026-12").lines == 0
    assert bill("2027-01").lines == 6  # the next quarter for both


def test_exact_payment_pays_the_month_on_the_payment_date() -> None:
    worker = member()
    bill("2026-11")
    payment = pay(own_payer(worker), 8_400, "2026-11-05", "REF-1")
    assert payment.status == PaymentStatus.MATCHED
    line = BillLine.objects.get(worker=worker)
    assert line.status == "paid" and line.payment_id == payment.pk and line.paid_at == at("2026-11-05")
    assert Bill.objects.get().status == "paid"
    assert own_payer(worker).credit == 0


def test_partial_payment_pays_the_oldest_months_and_keeps_the_rest_as_credit() -> None:
    worker = member()
    for month in ("2026-08", "2026-09", "2026-10"):
        bill(month)
    pay(own_payer(worker), 20_000, "2026-10-10", "REF-2")  # two months of 8,400 and 3,200 left over
    assert lines_of(worker) == {
        "2026-08": ("paid", 8_400), "2026-09": ("paid", 8_400), "2026-10": ("open", 8_400)
    }  # fmt: skip
    assert own_payer(worker).credit == 3_200
    pay(own_payer(worker), 5_200, "2026-10-20", "REF-3")  # 3,200 + 5,200 = one more month
    assert lines_of(worker)["2026-10"] == ("paid", 8_400)
    assert own_payer(worker).credit == 0
    assert BillLine.objects.get(worker=worker, period="2026-10").paid_at == at("2026-10-20")


def test_over_payment_becomes_credit_that_pays_later_bills() -> None:
    worker = member()
    bill("2026-11")
    pay(own_payer(worker), 8_400 * 3, "2026-11-02", "REF-4")
    assert own_payer(worker).credit == 16_800
    bill("2026-12", issued="2026-12-01")
    assert lines_of(worker)["2026-12"] == ("paid", 8_400)
    line = BillLine.objects.get(worker=worker, period="2026-12")
    assert line.paid_at == at("2026-12-01") and line.payment_id is None  # paid from credit when billed
    assert own_payer(worker).credit == 8_400


def test_the_same_bank_reference_is_recorded_once() -> None:
    worker = member()
    bill("2026-11")
    payer = own_payer(worker)
    first, created = payment_record(va_number=payer.va_number, amount=8_400, paid_at=at("2026-11-03"), recorded_at=at("2026-11-03"),
                                    reference="TRX-9", bank="bni", viewer=SYSTEM, actor=None)  # fmt: skip
    again, created_again = payment_record(va_number=payer.va_number, amount=8_400, paid_at=at("2026-11-03"), recorded_at=at("2026-11-03"),
                                          reference="TRX-9", bank="bni", viewer=SYSTEM, actor=None)  # fmt: skip
    assert created and not created_again and first.pk == again.pk
    assert Payment.objects.count() == 1 and own_payer(worker).credit == 0


@pytest.mark.parametrize(
    ("va", "code"),
    [
        ("", "VA_MISSING"),
        ("12345", "VA_INVALID"),
        (va_number(prefix="8889", customer="99999999999"), "VA_UNKNOWN"),
    ],
)
def test_an_unmatched_payment_waits_with_its_reason(va: str, code: str) -> None:
    payment, _ = payment_record(va_number=va, amount=8_400, paid_at=at("2026-11-03"), recorded_at=at("2026-11-03"), reference=f"R-{va}",
                                bank="bni", viewer=SYSTEM, actor=None)  # fmt: skip
    assert payment.status == PaymentStatus.UNMATCHED and payment.payer_id is None
    assert payment.reason_code == code and payment.reason


def test_the_queue_settles_a_payment_to_the_right_account_once() -> None:
    worker = member()
    bill("2026-11")
    payment, _ = payment_record(va_number="8889-typo", amount=8_400, paid_at=at("2026-11-03"), recorded_at=at("2026-11-03"), reference="Q-1",
                                bank="bni", viewer=SYSTEM, actor=None)  # fmt: skip
    with pytest.raises(ValidationFailed) as exc:
        payment_resolve(payment_id=payment.pk, va_number="123", note="salah ketik", viewer=SYSTEM, actor=None)
    assert exc.value.code == "VA_INVALID"
    with pytest.raises(ValidationFailed):
        payment_resolve(payment_id=payment.pk, va_number=own_payer(worker).va_number, note=" ", viewer=SYSTEM,
                        actor=None)  # fmt: skip
    before = timezone.now()
    payment_resolve(payment_id=payment.pk, va_number=own_payer(worker).va_number, note="VA salah ketik di bank",
                    viewer=SYSTEM, actor=None)  # fmt: skip
    assert lines_of(worker) == {"2026-11": ("paid", 8_400)}
    # Whose money it was, the branch learned when it settled the queue: the month counts from then (decision
    # 0013), the transfer keeps the day it arrived.
    counted = BillLine.objects.get(worker=worker).paid_at
    assert counted is not None and counted >= before
    payment.refresh_from_db()
    assert (
        payment.paid_at == at("2026-11-03")
        and payment.counted_at is not None
        and payment.counted_at >= before
    )
    with pytest.raises(Conflict):
        payment_resolve(payment_id=payment.pk, returned=True, note="lagi", viewer=SYSTEM, actor=None)


def test_four_unpaid_months_end_the_membership_and_a_new_payment_reactivates_it() -> None:
    worker, other = member(), member()
    for month in ("2026-05", "2026-06", "2026-07", "2026-08"):
        bill(month)
        pay(own_payer(other), 8_400, f"{month}-10", f"O-{month}")
    # Perdir 22/2022: May-August unpaid (four months): the membership ends when September is billed.
    result = bill("2026-09")
    assert result.run.memberships_ended == 1
    assert Membership.objects.get(worker=worker).status == "ended"
    assert {s for s, _ in lines_of(worker).values()} == {"lapsed"}
    assert "2026-09" not in lines_of(worker)  # an ended member is not billed
    assert Membership.objects.get(worker=other).status == "active"
    # A new payment in October re-activates from October; the gap stays uncovered for ever.
    pay(own_payer(worker), 8_400, "2026-10-07", "BACK-1")
    assert Membership.objects.get(worker=worker).status == "active"
    states = lines_of(worker)
    assert states["2026-10"] == ("paid", 8_400)
    assert [states[m][0] for m in ("2026-05", "2026-06", "2026-07", "2026-08")] == ["lapsed"] * 4
    assert AuditEvent.objects.filter(action="membership.reactivate", entity_id=str(worker.pk)).exists()


def test_arrears_inside_the_grace_window_can_still_be_paid() -> None:
    worker = member()
    for month in ("2026-06", "2026-07", "2026-08", "2026-09"):
        bill(month)
    # June is unpaid since July; in September it may still be paid (up to 3 months after, Perdir 22/2022).
    pay(own_payer(worker), 8_400 * 4, "2026-09-20", "LATE-1")
    assert {s for s, _ in lines_of(worker).values()} == {"paid"}
    assert BillLine.objects.get(worker=worker, period="2026-06").paid_at == at("2026-09-20")


def test_a_month_past_its_grace_lapses_and_the_money_stays_credit() -> None:
    worker, sponsor_worker = member(), member()
    program = payer_create(kind=PayerKind.PROGRAM, payer_type=PayerType.CSR, name="CSR PT Contoh", actor=None)
    bill("2026-05")  # May billed to the worker, never paid
    payer_assign(payer_id=program.pk, worker_ids=[worker.pk, sponsor_worker.pk], first_period=P("2026-06"),
                 last_period=None, actor=None)  # fmt: skip
    for month in ("2026-06", "2026-07", "2026-08", "2026-09"):
        bill(month)
        pay(program, 8_400 * 2, f"{month}-05", f"CSR-{month}")
    assert lines_of(worker)["2026-05"] == ("lapsed", 8_400)  # not payable after August
    assert Membership.objects.get(worker=worker).status == "active"  # one unpaid month is not four
    pay(own_payer(worker), 8_400, "2026-09-10", "TOO-LATE")
    assert lines_of(worker)["2026-05"] == ("lapsed", 8_400)
    assert own_payer(worker).credit == 8_400


def test_clerk_reactivates_an_ended_membership_for_a_new_sponsor() -> None:
    worker = member()
    for month in ("2026-01", "2026-02", "2026-03", "2026-04", "2026-05"):
        bill(month)
    assert Membership.objects.get(worker=worker).status == "ended"
    result = membership_reactivate(worker_id=worker.pk, period=P("2026-06"), viewer=SYSTEM, actor=None)
    assert result.lines == 1 and lines_of(worker)["2026-06"] == ("open", 8_400)
    with pytest.raises(Conflict):
        membership_reactivate(worker_id=worker.pk, period=P("2026-06"), viewer=SYSTEM, actor=None)


def test_pp_50_2025_over_payment_is_credited_to_later_months() -> None:
    worker, second = member(), member()
    saved = list(Discount.objects.values())
    Discount.objects.all().delete()  # the bills were issued before PP 50/2025 was known
    bill("2026-04")
    pay(own_payer(worker), 16_800, "2026-04-02", "PRE-1")
    Discount.objects.bulk_create([Discount(**row) for row in saved])
    result = discount_credit_apply(viewer=SYSTEM, actor=None)
    assert result == {"lines_lowered": 1, "lines_credited": 1, "credit_total": 8_400}
    assert own_payer(worker).credit == 8_400
    assert lines_of(second) == {"2026-04": ("open", 8_400)}  # the unpaid bill is lowered
    assert Bill.objects.get(payer__worker=second).amount_total == 8_400
    assert discount_credit_apply(viewer=SYSTEM, actor=None)["credit_total"] == 0  # once


@pytest.mark.parametrize("role", [Role.VILLAGE, Role.REGION, Role.AGENT, Role.SPONSOR])
def test_only_the_branch_office_bills_and_records_payments(role: Role) -> None:
    region = {"village": "36.03.01.2003", "region": "36.03", "agent": "36.03.01"}.get(role.value, "")
    _, viewer = make_viewer(role, region_code=region)
    with pytest.raises(PermissionDenied):
        billing_run(period=P("2026-11"), viewer=viewer, actor=None)
    with pytest.raises(PermissionDenied):
        payment_record(va_number="8889", amount=1, paid_at=at("2026-11-01"), recorded_at=at("2026-11-01"), reference="x", bank="bni",
                       viewer=viewer, actor=None)  # fmt: skip
    assert not Payment.objects.exists() and not Bill.objects.exists()


@pytest.mark.parametrize(
    ("amount", "reference", "bank", "code"),
    [(0, "R", "bni", "AMOUNT_INVALID"), (-5, "R", "bni", "AMOUNT_INVALID"), (100, " ", "bni", "REFERENCE_MISSING"),
     (100, "R", "", "BANK_MISSING"), (100, "R", "bank gaib", "BANK_UNKNOWN")],
)  # fmt: skip
def test_a_bad_payment_is_refused_with_its_reason(amount: int, reference: str, bank: str, code: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        payment_record(va_number="8889", amount=amount, paid_at=at("2026-11-01"), recorded_at=at("2026-11-01"), reference=reference, bank=bank,
                       viewer=SYSTEM, actor=None)  # fmt: skip
    assert exc.value.code == code
    assert not Payment.objects.exists()


def test_each_month_is_priced_by_its_own_rules() -> None:
    # PP 50/2025: the other sectors' discount starts in April 2026; March stays at the full Rp 16,800,
    # also when it is paid later as arrears.
    worker = member()
    bill("2026-03")
    bill("2026-04")
    assert lines_of(worker) == {"2026-03": ("open", 16_800), "2026-04": ("open", 8_400)}
    pay(own_payer(worker), 16_800 + 8_400, "2026-04-20", "BOTH")
    assert {s for s, _ in lines_of(worker).values()} == {"paid"}


def test_a_reactivated_member_is_not_ended_again_by_a_rerun() -> None:
    worker = member()
    for month in ("2026-05", "2026-06", "2026-07", "2026-08", "2026-09"):
        bill(month)
    assert Membership.objects.get(worker=worker).status == "ended"
    pay(own_payer(worker), 8_400, "2026-09-15", "BACK-2")
    assert Membership.objects.get(worker=worker).status == "active"
    assert bill("2026-09").run.memberships_ended == 0
    assert bill("2026-10").run.memberships_ended == 0
    assert Membership.objects.get(worker=worker).status == "active"


def test_a_branch_clerks_billing_run_bills_only_the_branchs_regions() -> None:
    """Issue #12: a Tangerang clerk's run billed Banyuwangi and West Kalimantan. A national run is the
    administrator's (or the scheduler's) and says so."""
    here, there = member(), member(village=OTHER_REGENCY_VILLAGE)
    clerk = make_viewer(Role.BRANCH, branch_code="KC-TGR-CKP")[1]
    run = billing_run(period=P("2026-11"), viewer=clerk, actor=None, issued_at=at("2026-11-01"))
    assert run.lines == 1 and run.run.scope == "36.03"
    assert set(BillLine.objects.values_list("worker_id", flat=True)) == {here.pk}
    national = bill("2026-11")
    assert national.run.scope == "" and set(BillLine.objects.values_list("worker_id", flat=True)) == {
        here.pk,
        there.pk,
    }


@pytest.mark.parametrize(
    ("period", "issued", "code"),
    [
        ("2023-01", "2026-11-01", "PERIOD_TOO_OLD"),  # the attack: 2023 billed for workers who joined in 2026
        ("2026-07", "2026-11-01", "PERIOD_TOO_OLD"),  # payable until 2026-10 (Perdir 22/2022: 3 more months)
        ("2027-12", "2026-11-01", "PERIOD_TOO_FAR"),
    ],
)
def test_a_month_that_can_no_longer_be_paid_is_not_billed(period: str, issued: str, code: str) -> None:
    member()
    with pytest.raises(ValidationFailed) as caught:
        billing_run(period=P(period), viewer=SYSTEM, actor=None, issued_at=at(issued))
    assert caught.value.code == code and caught.value.field == "period"
    assert not Bill.objects.exists() and not BillingRun.objects.exists()
    assert (
        billing_run(period=P("2026-08"), viewer=SYSTEM, actor=None, issued_at=at(issued)).lines == 1
    )  # still payable
