"""Ledger API: success, bad input and permission per endpoint; the bank's signed notification."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from django.test import Client
from django.utils import timezone

from jaring.contributions.factories import at, member
from jaring.contributions.models import Bill, BillingRun, Payer, Payment
from jaring.contributions.services import billing_run
from jaring.core.factories import make_user
from jaring.core.models import AuditEvent
from jaring.core.rules import Role
from jaring.core.selectors import SYSTEM
from jaring.core.types import Period

pytestmark = pytest.mark.django_db
BASE = "/api/v1/contributions"
SECRET = "demo-secret-change-me"


@pytest.fixture
def clerk(client: Client) -> Client:
    client.force_login(make_user(Role.BRANCH, branch_code="KC-TGR-CKP"))
    return client


def billed() -> Payer:
    worker = member()
    billing_run(period=Period.parse("2026-11"), viewer=SYSTEM, actor=None, issued_at=at("2026-11-01"))
    return Payer.objects.get(worker=worker)


def test_bills_list_and_detail(clerk: Client) -> None:
    billed()
    data = clerk.get(f"{BASE}/bills?period=2026-11").json()
    assert len(data["items"]) == 1 and data["items"][0]["amount_total"] == 8_400
    detail = clerk.get(f"{BASE}/bills/{data['items'][0]['id']}").json()
    assert detail["lines"][0]["amount"] == 8_400


def test_bills_need_a_login_and_a_region(client: Client) -> None:
    billed()
    assert client.get(f"{BASE}/bills").status_code == 401
    client.force_login(make_user(Role.REGION, region_code="35.25"))
    assert client.get(f"{BASE}/bills").json()["items"] == []
    assert client.get(f"{BASE}/bills/{Bill.objects.get().pk}").status_code == 404


def test_billing_run_is_queued_and_checked(clerk: Client, jobs) -> None:
    member()
    with jobs():
        response = clerk.post(f"{BASE}/billing-runs", {"period": "2026-11"}, content_type="application/json")
    assert response.status_code == 202 and BillingRun.objects.get().lines == 1
    bad = clerk.post(f"{BASE}/billing-runs", {"period": "November"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "PERIOD_INVALID"


def test_billing_run_is_refused_to_other_roles(client: Client) -> None:
    client.force_login(make_user(Role.VILLAGE, region_code="36.03.01.2003"))
    response = client.post(f"{BASE}/billing-runs", {"period": "2026-11"}, content_type="application/json")
    assert response.status_code == 403


def test_payment_recorded_once(clerk: Client) -> None:
    payer = billed()
    body = {"va_number": payer.va_number, "amount": 8400, "paid_at": timezone.now().isoformat(),
            "reference": "API-1", "bank": "BRI"}  # fmt: skip
    first = clerk.post(f"{BASE}/payments", body, content_type="application/json")
    again = clerk.post(f"{BASE}/payments", body, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["status"] == "matched" and Payment.objects.count() == 1
    bad = clerk.post(
        f"{BASE}/payments", {**body, "amount": 0, "reference": "API-2"}, content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "AMOUNT_INVALID"


def test_payment_refused_to_a_sponsor(client: Client) -> None:
    client.force_login(make_user(Role.SPONSOR))
    body = {"va_number": "1", "amount": 1, "paid_at": "2026-11-03T10:00:00", "reference": "x", "bank": "bni"}
    assert client.post(f"{BASE}/payments", body, content_type="application/json").status_code == 403


def _signed(body: dict[str, object], secret: str = SECRET) -> tuple[bytes, dict[str, str]]:
    raw = json.dumps(body).encode()
    sig = hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return raw, {"X-Jaring-Bank": "demo-bank", "X-Jaring-Signature": sig}


def test_bank_notification_pays_the_bill_once(client: Client) -> None:
    payer = billed()
    raw, headers = _signed({"reference": "N-1", "va_number": payer.va_number, "amount": 8400,
                            "paid_at": "2026-11-03T10:00:00+07:00"})  # fmt: skip
    first = client.post(f"{BASE}/payments/notify", raw, content_type="application/json", headers=headers)
    again = client.post(f"{BASE}/payments/notify", raw, content_type="application/json", headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert Bill.objects.get().status == "paid" and Payment.objects.get().source == "notify"


def test_bank_notification_with_a_wrong_signature_is_refused(client: Client) -> None:
    payer = billed()
    raw, headers = _signed({"reference": "N-2", "va_number": payer.va_number, "amount": 8400,
                            "paid_at": "2026-11-03T10:00:00"}, secret="guess")  # fmt: skip
    response = client.post(f"{BASE}/payments/notify", raw, content_type="application/json", headers=headers,
                           REMOTE_ADDR="203.0.113.7")  # fmt: skip
    assert response.status_code == 401 and not Payment.objects.exists()
    # Issue #13: a refused notification is audited with the bank it claimed, its source address and the reason.
    event = AuditEvent.objects.get(action="notification.refuse")
    assert event.changes["bank"] == "demo-bank" and event.changes["source"] == "203.0.113.7"
    assert event.changes["code"] == "SIGNATURE_INVALID"


def test_bank_notification_with_a_bad_body_says_so(client: Client) -> None:
    raw, headers = _signed({"reference": "N-3", "amount": "lots"})
    response = client.post(f"{BASE}/payments/notify", raw, content_type="application/json", headers=headers)
    assert response.status_code == 400 and response.json()["error"]["code"] == "REQUEST_INVALID"
    assert AuditEvent.objects.get(action="notification.refuse").changes["code"] == "REQUEST_INVALID"


def test_coverage_endpoint(clerk: Client) -> None:
    payer = billed()
    data = clerk.get(f"{BASE}/workers/{payer.worker_id}/coverage?months=3").json()
    assert len(data["months"]) == 3 and data["kpj"]
    assert clerk.get(f"{BASE}/workers/{payer.worker_id}/coverage?months=0").status_code == 400


def test_coverage_endpoint_is_scoped(client: Client) -> None:
    payer = billed()
    client.force_login(make_user(Role.VILLAGE, region_code="35.25.01.2001"))
    assert client.get(f"{BASE}/workers/{payer.worker_id}/coverage").status_code == 404


@pytest.mark.parametrize(
    ("amount", "status", "code"),
    [
        # Issue #13: 9,223,372,036,854,775,807 was accepted (and turned a credit into a float); 1e30 answered 500.
        (9_223_372_036_854_775_807, 400, "AMOUNT_TOO_LARGE"),
        (10**13 + 1, 400, "AMOUNT_TOO_LARGE"),
        (1e30, 422, "REQUEST_INVALID"),
        (8400.5, 422, "REQUEST_INVALID"),  # no fraction of a rupiah, never rounded
        (True, 422, "REQUEST_INVALID"),
        ("8400", 422, "REQUEST_INVALID"),
        (0, 400, "AMOUNT_INVALID"),
    ],
)
def test_amounts_are_whole_rupiah_within_a_bound(
    clerk: Client, amount: object, status: int, code: str
) -> None:
    payer = billed()
    body = {"va_number": payer.va_number, "amount": amount, "paid_at": "2026-11-03T10:00:00", "reference": "R-9",
            "bank": "BRI"}  # fmt: skip
    response = clerk.post(f"{BASE}/payments", json.dumps(body), content_type="application/json")
    assert (response.status_code, response.json()["error"]["code"]) == (status, code)
    assert not Payment.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [("reference", "R" * 5000, "TEXT_TOO_LONG"), ("reference", "R-1\x00", "TEXT_CONTROL_CHARACTER"),
     ("bank", "B\x07RI", "TEXT_CONTROL_CHARACTER"), ("bank", "B" * 101, "TEXT_TOO_LONG"),
     ("bank", "Bank Gaib", "BANK_UNKNOWN")],
)  # fmt: skip
def test_references_and_banks_are_short_clean_text(clerk: Client, field: str, value: str, code: str) -> None:
    payer = billed()
    body = {"va_number": payer.va_number, "amount": 8400, "paid_at": "2026-11-03T10:00:00", "reference": "R-9",
            "bank": "BRI", field: value}  # fmt: skip
    response = clerk.post(f"{BASE}/payments", json.dumps(body), content_type="application/json")
    assert response.status_code == 400 and response.json()["error"] == {
        "code": code, "message": response.json()["error"]["message"], "field": field}  # fmt: skip
    assert not Payment.objects.exists()


def test_a_whole_number_written_with_a_fraction_of_zero_is_that_whole_number(clerk: Client) -> None:
    """JSON Schema's integer includes 8400.0; the body is read with Decimal, so it is 8400 exactly, never a
    float on the way (issue #13)."""
    payer = billed()
    body = (f'{{"va_number": "{payer.va_number}", "amount": 8400.0, "paid_at": "{timezone.now().isoformat()}", '
            '"reference": "R-10", "bank": "BRI"}')  # fmt: skip
    response = clerk.post(f"{BASE}/payments", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert Payment.objects.get().amount == 8400 and isinstance(response.json()["amount"], int)
