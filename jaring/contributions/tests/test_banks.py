"""Banks are a controlled list (issue #13): one transfer reference counts once per bank however the bank's name
is written ("bca", "BCA", " Bca", "bank bca" were four payments before); an unknown bank is refused with the
list; statement profiles and bank notifications name banks from the list."""

from __future__ import annotations

import hashlib
import hmac
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jaring.contributions import rules
from jaring.contributions.factories import at, member
from jaring.contributions.models import Bank, BillLine, Payer, Payment, StatementProfile
from jaring.contributions.selectors import bank_resolve
from jaring.contributions.services import billing_run, payment_record, statement_import
from jaring.core.errors import ValidationFailed
from jaring.core.factories import make_user
from jaring.core.models import AuditEvent
from jaring.core.rules import Role
from jaring.core.selectors import SYSTEM
from jaring.core.types import Period

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "code"),
    [("bca", "bca"), ("BCA", "bca"), (" Bca ", "bca"), ("bank bca", "bca"), ("Bank_BCA", "bca"),
     ("Bank  Rakyat Indonesia", "rakyat-indonesia"), ("bank-banten", "bank-banten"), ("bank", "bank")],
)  # fmt: skip
def test_bank_code(text: str, code: str) -> None:
    assert rules.bank_code(text) == code


def test_a_bank_is_found_by_its_code_written_any_way_or_its_name() -> None:
    assert bank_resolve("Bank Rakyat Indonesia").code == "bri"
    assert bank_resolve(" BCA").code == "bca" and bank_resolve("bank mandiri").code == "mandiri"
    Bank.objects.filter(code="btn").update(active=False)
    for text, code in (("btn", "BANK_UNKNOWN"), ("Bank Gaib", "BANK_UNKNOWN"), ("  ", "BANK_MISSING")):
        with pytest.raises(ValidationFailed) as caught:
            bank_resolve(text)
        assert caught.value.code == code and caught.value.field == "bank"
    assert "bri" in str(caught.value) or caught.value.code == "BANK_MISSING"


def _payer() -> tuple[Payer, int]:
    worker = member()
    billing_run(period=Period(2026, 11), viewer=SYSTEM, actor=None, issued_at=at("2026-11-01"))
    return Payer.objects.get(worker=worker), BillLine.objects.get(worker=worker).amount


def test_one_transfer_reference_counts_once_per_bank_however_it_is_written() -> None:
    payer, amount = _payer()
    outcomes = [
        payment_record(
            va_number=payer.va_number,
            amount=amount,
            paid_at=at("2026-11-03"),
            reference="TRX-77",
            bank=name,
            viewer=SYSTEM,
            actor=None,
            recorded_at=at("2026-11-03", 12),
        )[1]  # fmt: skip
        for name in ("bca", "BCA", " Bca", "bank bca", "Bank Central Asia")
    ]
    assert outcomes == [True, False, False, False, False]
    assert list(Payment.objects.values_list("bank", flat=True)) == ["bca"]
    payer.refresh_from_db()
    assert isinstance(payer.credit, int)  # no float ever enters a payer's credit


def test_an_unknown_bank_records_nothing() -> None:
    payer, amount = _payer()
    with pytest.raises(ValidationFailed) as caught:
        payment_record(va_number=payer.va_number, amount=amount, paid_at=at("2026-11-03"), reference="TRX-1",
                       bank="Bank Gaib", viewer=SYSTEM, actor=None, recorded_at=at("2026-11-03", 12))  # fmt: skip
    assert caught.value.code == "BANK_UNKNOWN" and not Payment.objects.exists()


def test_a_statement_profile_names_a_bank_of_the_list() -> None:
    payer, amount = _payer()
    StatementProfile.objects.filter(name="jaring").update(bank="Bank Gaib")
    data = f"reference,va_number,amount,paid_at\nS1,{payer.va_number},{amount},2026-11-05 09:00\n".encode()
    with pytest.raises(ValidationFailed) as caught:
        statement_import(stream=io.BytesIO(data), file_name="r.csv", profile_name="jaring", viewer=SYSTEM,
                         actor=None)  # fmt: skip
    assert caught.value.code == "BANK_UNKNOWN" and not Payment.objects.exists()
    StatementProfile.objects.filter(name="jaring").update(bank="BCA")
    statement_import(
        stream=io.BytesIO(data), file_name="r.csv", profile_name="jaring", viewer=SYSTEM, actor=None
    )
    assert Payment.objects.get().bank == "bca"


def _notify(client: Client, bank_header: str, secret: str, reference: str, va: str, amount: int) -> int:
    raw = json.dumps({"reference": reference, "va_number": va, "amount": amount,
                      "paid_at": timezone.now().isoformat()}).encode()  # fmt: skip
    sig = hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return client.post("/api/v1/contributions/payments/notify", raw, content_type="application/json",
                       headers={"X-Jaring-Bank": bank_header, "X-Jaring-Signature": sig}).status_code  # fmt: skip


def test_a_notification_names_a_bank_of_the_list_and_signs_with_its_secret(client: Client) -> None:
    payer, amount = _payer()
    secret = "bca-notify-secret-0123456789abcdef"
    Bank.objects.filter(code="bca").update(notify_secret=secret)
    assert _notify(client, " BCA ", secret, "N-1", payer.va_number, amount) == 201
    assert _notify(client, "bank bca", secret, "N-1", payer.va_number, amount) == 200  # the same transfer
    assert Payment.objects.get().bank == "bca"
    assert _notify(client, "bank gaib", secret, "N-2", payer.va_number, amount) == 401
    event = AuditEvent.objects.get(action="notification.refuse")
    assert event.changes["bank"] == "bank gaib" and event.changes["code"] == "SIGNATURE_INVALID"


def test_the_payment_form_offers_the_banks_of_the_list(client: Client) -> None:
    payer, amount = _payer()
    client.force_login(make_user(Role.BRANCH, branch_code="KC-TGR-CKP"))
    page = client.get(reverse("contributions:payment_list")).content.decode()
    assert '<select name="bank"' in page and "Bank Rakyat Indonesia" in page
    response = client.post(reverse("contributions:payment_list"), {
        "action": "manual", "va_number": payer.va_number, "amount": str(amount),
        "paid_at": timezone.localdate().isoformat(), "bank": "Bank Gaib", "reference": "KW-9"})  # fmt: skip
    assert response.status_code == 400 and "BANK_UNKNOWN" in response.content.decode()
    assert not Payment.objects.exists()


def test_the_admin_keeps_the_list_clean_and_never_audits_a_secret(client: Client) -> None:
    client.force_login(get_user_model().objects.create_superuser(username="root", password="x-123456789"))
    bad = client.post(
        "/admin/contributions/bank/add/", {"code": "Bank Baru!", "name": "Bank Baru", "active": "on"}
    )
    assert bad.status_code == 200 and not Bank.objects.filter(name="Bank Baru").exists()
    good = client.post("/admin/contributions/bank/add/", {"code": "bank-ntt", "name": "Bank NTT", "active": "on",
                                                          "notify_secret": "rahasia-ntt-0123456789"})  # fmt: skip
    assert good.status_code == 302 and Bank.objects.filter(code="bank-ntt").exists()
    event = AuditEvent.objects.get(action="bank.add")
    assert event.changes["notify_secret"] == "***" and "rahasia" not in json.dumps(event.changes)
