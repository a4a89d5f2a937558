"""Every write checks the same scope as the reads (issue #13). An outside test found a branch that saw the
national reconciliation queue and gave another branch's unmatched transfer to its own workers, recorded
payments to another branch's accounts, and created programs under a national company for another branch's
region. Each case here failed before the fix."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from django.utils import timezone

from jaring.contributions.factories import at, member
from jaring.contributions.models import BillLine, Payer, Payment, PaymentStatus
from jaring.contributions.selectors import reconciliation_queue
from jaring.contributions.services import billing_run, payment_record, payment_resolve, statement_import
from jaring.core.errors import NotFound, ValidationFailed
from jaring.core.factories import make_user, make_viewer
from jaring.core.rules import Role
from jaring.core.selectors import SYSTEM, Viewer
from jaring.core.types import Period
from jaring.funding.models import Program
from jaring.funding.services import (
    allocation_run,
    program_budget_change,
    program_close,
    program_create,
    sponsor_create,
)
from jaring.registry.factories import OTHER_REGENCY_VILLAGE

pytestmark = pytest.mark.django_db
NOV = Period(2026, 11)


def _branches() -> tuple[Viewer, Viewer]:
    return make_viewer(Role.BRANCH, branch_code="KC-TGR-CKP")[1], make_viewer(
        Role.BRANCH, branch_code="KC-GRS"
    )[1]


def _gresik_payer() -> Payer:
    worker = member(village=OTHER_REGENCY_VILLAGE)
    billing_run(period=NOV, viewer=SYSTEM, actor=None, issued_at=at("2026-11-01"))
    return Payer.objects.get(worker=worker)


def _unmatched(viewer: Viewer, ref: str) -> Payment:
    payment, _ = payment_record(va_number="8889-salah", amount=16_800, paid_at=at("2026-11-03"), reference=ref,
                                bank="bri", viewer=viewer, actor=None, recorded_at=at("2026-11-03", 12))  # fmt: skip
    return payment


def test_a_branch_sees_and_settles_only_its_own_unmatched_money() -> None:
    tangerang, gresik = _branches()
    theirs, national = _unmatched(gresik, "G-1"), _unmatched(SYSTEM, "N-1")
    mine = _unmatched(tangerang, "T-1")
    assert [p.reference for p in reconciliation_queue(viewer=tangerang)] == ["T-1"]
    assert {p.reference for p in reconciliation_queue(viewer=SYSTEM)} == {"G-1", "N-1", "T-1"}
    own_worker = member()
    billing_run(period=NOV, viewer=SYSTEM, actor=None, issued_at=at("2026-11-01"))
    own = Payer.objects.get(worker=own_worker)
    for payment in (theirs, national):  # not in the branch's queue: not found, not given to its workers
        with pytest.raises(NotFound):
            payment_resolve(payment_id=payment.pk, va_number=own.va_number, note="punya kami", viewer=tangerang,
                            actor=None)  # fmt: skip
    with pytest.raises(ValidationFailed) as caught:  # its own money, but to another branch's payer
        payment_resolve(payment_id=mine.pk, va_number=_gresik_payer().va_number, note="salah ketik",
                        viewer=tangerang, actor=None)  # fmt: skip
    assert caught.value.code == "VA_OUTSIDE_SCOPE"
    assert Payment.objects.filter(status=PaymentStatus.UNMATCHED).count() == 3
    payment_resolve(
        payment_id=mine.pk, va_number=own.va_number, note="salah ketik", viewer=tangerang, actor=None
    )
    assert Payment.objects.get(pk=mine.pk).payer_id == own.pk


def test_a_branch_does_not_record_payments_to_another_branchs_accounts() -> None:
    tangerang, gresik = _branches()
    payer = _gresik_payer()
    with pytest.raises(ValidationFailed) as caught:
        payment_record(va_number=payer.va_number, amount=16_800, paid_at=at("2026-11-03"), reference="X-1",
                       bank="bri", viewer=tangerang, actor=None, recorded_at=at("2026-11-03", 12))  # fmt: skip
    assert caught.value.code == "VA_OUTSIDE_SCOPE" and not Payment.objects.exists()
    payment, created = payment_record(va_number=payer.va_number, amount=BillLine.objects.get().amount,
                                      paid_at=at("2026-11-03"), reference="X-1", bank="bri", viewer=gresik,
                                      actor=None, recorded_at=at("2026-11-03", 12))  # fmt: skip
    assert created and payment.status == PaymentStatus.MATCHED


def test_a_branchs_statement_does_not_pay_another_branchs_accounts() -> None:
    tangerang, _ = _branches()
    payer = _gresik_payer()
    data = f"reference,va_number,amount,paid_at\nS-1,{payer.va_number},16800,2026-11-05 09:00\n".encode()
    statement_import(stream=io.BytesIO(data), file_name="r.csv", profile_name="jaring", viewer=tangerang,
                     actor=None, recorded_at=at("2026-11-06"))  # fmt: skip
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.UNMATCHED and payment.reason_code == "VA_OUTSIDE_SCOPE"
    assert BillLine.objects.get().status == "open"  # the other branch's month stays open: nobody settled it
    assert [p.reference for p in reconciliation_queue(viewer=SYSTEM)] == ["S-1"]  # the head office settles it


def _national_company() -> int:
    return sponsor_create(name="PT Contoh Nasional", payer_type="csr", kind="company", viewer=SYSTEM,
                          actor=None).pk  # fmt: skip


def test_a_branch_funds_only_its_own_regions_even_for_a_national_company() -> None:
    tangerang, _ = _branches()
    sponsor = _national_company()
    with pytest.raises(ValidationFailed) as caught:
        program_create(sponsor_id=sponsor, name="CSR Gresik", budget=10_000_000, first_period=NOV, months=12,
                       region_codes=["35.25"], viewer=tangerang, actor=None)  # fmt: skip
    assert caught.value.code == "REGION_OUTSIDE_SCOPE" and not Program.objects.exists()
    own = program_create(sponsor_id=sponsor, name="CSR Tangerang", budget=10_000_000, first_period=NOV, months=12,
                         viewer=tangerang, actor=None)  # fmt: skip
    assert own.region_codes == "36.03"  # no region given: the branch's, never the whole country


def test_a_branch_does_not_change_another_branchs_program() -> None:
    tangerang, gresik = _branches()
    theirs = program_create(sponsor_id=_national_company(), name="CSR Gresik", budget=10_000_000,
                            first_period=NOV, months=12, region_codes=["35.25"], viewer=gresik, actor=None)  # fmt: skip
    for change in (
        lambda: program_budget_change(program_id=theirs.pk, budget=1, viewer=tangerang, actor=None),
        lambda: program_close(program_id=theirs.pk, viewer=tangerang, actor=None),
        lambda: allocation_run(program_ids=[theirs.pk], viewer=tangerang, actor=None),
    ):
        with pytest.raises(NotFound):
            change()
    assert allocation_run(program_ids=None, viewer=tangerang, actor=None).programs == []
    theirs.refresh_from_db()
    assert theirs.budget == 10_000_000 and theirs.status == "active"


def test_the_api_refuses_a_payment_to_another_branchs_account(client: Client) -> None:
    payer = _gresik_payer()
    client.force_login(make_user(Role.BRANCH, branch_code="KC-TGR-CKP"))
    body = {"va_number": payer.va_number, "amount": 16_800, "paid_at": timezone.now().isoformat(),
            "reference": "API-X", "bank": "BRI"}  # fmt: skip
    response = client.post(
        "/api/v1/contributions/payments", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "VA_OUTSIDE_SCOPE"
    assert not Payment.objects.exists()
