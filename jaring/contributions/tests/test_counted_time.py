"""Cover is never bought after the event (issue #13): money counts from when Jaring learned of it, or from a
bank's signed settlement time, never from a date someone typed. A clerk's value date is bounded (not in the
future, not before the bill, at most PAYMENT_BACKDATE_DAYS back), audited, and shown on the claim."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse

from jaring.claims.models import Claim
from jaring.claims.rules import ClaimType
from jaring.claims.selectors import claim_assess
from jaring.claims.services import claim_file
from jaring.contributions.factories import at, member
from jaring.contributions.models import BillLine, Payer, Payment, PaymentSource
from jaring.contributions.services import billing_run, payment_record, statement_import
from jaring.core.errors import ValidationFailed
from jaring.core.factories import make_user
from jaring.core.models import AuditEvent
from jaring.core.rules import Role
from jaring.core.selectors import SYSTEM
from jaring.core.types import Period
from jaring.registry.models import Worker

pytestmark = pytest.mark.django_db
DEATH = dt.date(2026, 10, 20)


def _billed() -> tuple[Worker, Payer, int]:
    worker = member()
    billing_run(period=Period(2026, 10), viewer=SYSTEM, actor=None, issued_at=at("2026-10-01"))
    amount = BillLine.objects.get(worker=worker, period="2026-10").amount
    return worker, Payer.objects.get(worker=worker), amount


def _pay(payer: Payer, amount: int, *, paid: str, recorded: str, ref: str = "R1", **kw: object) -> Payment:
    payment, _ = payment_record(va_number=payer.va_number, amount=amount, paid_at=at(paid), reference=ref,
                                bank="BRI", viewer=SYSTEM, actor=None, recorded_at=at(recorded, 14), **kw)  # type: ignore[arg-type]  # fmt: skip
    return payment


def _jkm(worker: Worker) -> bool:
    return claim_assess(nik=worker.nik or "", claim=ClaimType.JKM, event=DEATH, viewer=SYSTEM,
                        today=dt.date(2026, 11, 1)).eligible  # fmt: skip


def test_a_payment_recorded_after_a_death_with_an_earlier_date_does_not_cover_it() -> None:
    """The attack: the worker died on the 20th; on the 21st a clerk records the month's payment dated the 19th.
    Before the fix the claim was eligible; now the month counts from the 21st."""
    worker, payer, amount = _billed()
    payment = _pay(payer, amount, paid="2026-10-19", recorded="2026-10-21")
    assert payment.paid_at == at("2026-10-19") and payment.counted_at == at("2026-10-21", 14)
    assert BillLine.objects.get(worker=worker).paid_at == at("2026-10-21", 14)
    assert not _jkm(worker)
    refused = claim_file(
        nik=worker.nik or "", claim_type=ClaimType.JKM, event=DEATH, viewer=SYSTEM, actor=None
    )
    assert refused.reject_code == "contribution_not_paid_before_event" and refused.cover is None


def test_a_payment_recorded_before_the_death_covers_it_and_the_claim_shows_how() -> None:
    worker, payer, amount = _billed()
    _pay(payer, amount, paid="2026-10-02", recorded="2026-10-03")
    assert _jkm(worker)
    claim = claim_file(nik=worker.nik or "", claim_type=ClaimType.JKM, event=DEATH, viewer=SYSTEM, actor=None)
    assert (
        claim.cover is not None and claim.cover["period"] == "2026-10" and claim.cover["source"] == "manual"
    )
    assert claim.cover["counted_at"].startswith("2026-10-03") and claim.cover["value_date"].startswith(
        "2026-10-02"
    )


def test_a_banks_signed_settlement_time_counts() -> None:
    """A bank's signed notification carries its settlement time: that time counts, even if it reached Jaring
    a day later (never later than it reached Jaring)."""
    worker, payer, amount = _billed()
    payment = _pay(payer, amount, paid="2026-10-19", recorded="2026-10-21", source=PaymentSource.NOTIFICATION)
    assert payment.counted_at == at("2026-10-19") and _jkm(worker)


def test_a_statement_counts_from_its_import() -> None:
    worker, payer, amount = _billed()
    data = f"reference,va_number,amount,paid_at\nS1,{payer.va_number},{amount},2026-10-05 09:00\n".encode()
    statement_import(stream=io.BytesIO(data), file_name="r.csv", profile_name="jaring", viewer=SYSTEM, actor=None,
                     recorded_at=at("2026-10-22", 9))  # fmt: skip
    assert Payment.objects.get().counted_at == at("2026-10-22", 9) and not _jkm(worker)


@pytest.mark.parametrize(
    ("paid", "recorded", "code"),
    [
        ("2026-10-13", "2026-10-21", "PAID_AT_TOO_OLD"),  # 8 days back: more than PAYMENT_BACKDATE_DAYS (7)
        ("2026-09-30", "2026-10-03", "PAID_AT_BEFORE_BILL"),  # the October bill was issued on the 1st
        ("2026-10-25", "2026-10-21", "PAID_AT_FUTURE"),
    ],
)
def test_a_typed_value_date_is_bounded(paid: str, recorded: str, code: str) -> None:
    _, payer, amount = _billed()
    with pytest.raises(ValidationFailed) as caught:
        _pay(payer, amount, paid=paid, recorded=recorded)
    assert caught.value.code == code and caught.value.field == "paid_at" and not Payment.objects.exists()


def test_the_backdate_limit_is_a_setting(settings: pytest.FixtureRequest) -> None:
    settings.JARING = {**settings.JARING, "PAYMENT_BACKDATE_DAYS": 30}  # type: ignore[attr-defined]
    _, payer, amount = _billed()
    assert _pay(payer, amount, paid="2026-10-02", recorded="2026-10-21").counted_at == at("2026-10-21", 14)


def test_the_value_date_and_the_counted_time_are_audited() -> None:
    _, payer, amount = _billed()
    payment = _pay(payer, amount, paid="2026-10-19", recorded="2026-10-21")
    event = AuditEvent.objects.get(action="payment.record", entity_id=str(payment.pk))
    assert event.changes["paid_at"].startswith("2026-10-19") and event.changes["counted_at"].startswith(
        "2026-10-21"
    )


def test_the_claim_page_shows_when_the_month_counts(client: Client) -> None:
    worker, payer, amount = _billed()
    _pay(payer, amount, paid="2026-10-02", recorded="2026-10-03")
    claim = claim_file(nik=worker.nik or "", claim_type=ClaimType.JKM, event=DEATH, viewer=SYSTEM, actor=None)
    client.force_login(make_user(Role.BRANCH, branch_code="KC-TGR-CKP"))
    page = client.get(reverse("claims:claim_detail", args=[claim.pk])).content.decode()
    assert 'id="cover"' in page and "03-10-2026 14:00" in page and "02-10-2026" in page
    late = member()
    billing_run(period=Period(2026, 10), viewer=SYSTEM, actor=None, issued_at=at("2026-10-01"))
    refused = claim_file(nik=late.nik or "", claim_type=ClaimType.JKM, event=DEATH, viewer=SYSTEM, actor=None)
    page = client.get(reverse("claims:claim_detail", args=[refused.pk])).content.decode()
    assert "belum lunas pada tanggal kejadian" in page and Claim.objects.count() == 2


def test_the_payment_form_refuses_an_old_date(client: Client) -> None:
    _, payer, amount = _billed()
    client.force_login(make_user(Role.BRANCH, branch_code="KC-TGR-CKP"))
    response = client.post(reverse("contributions:payment_list"), {
        "action": "manual", "va_number": payer.va_number, "amount": str(amount), "paid_at": "2026-10-02",
        "bank": "BRI", "reference": "KW-OLD"})  # fmt: skip
    assert response.status_code == 400 and "PAID_AT_TOO_OLD" in response.content.decode()
    assert not Payment.objects.exists()
