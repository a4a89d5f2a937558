"""Ledger pages: success, bad input and permission for each."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jaring.contributions.factories import at, member
from jaring.contributions.models import Bill, BillingRun, Payer, Payment, PaymentStatus
from jaring.contributions.services import billing_run, payment_record
from jaring.core.factories import make_user
from jaring.core.rules import Role
from jaring.core.selectors import SYSTEM
from jaring.core.types import Period

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(client: Client) -> Client:
    client.force_login(make_user(Role.BRANCH, branch_code="KC-TGR-CKP"))
    return client


@pytest.fixture
def village(client: Client) -> Client:
    client.force_login(make_user(Role.VILLAGE, region_code="36.03.01.2003"))
    return client


def billed() -> tuple[Bill, Payer]:
    worker = member()
    billing_run(period=Period.parse("2026-11"), viewer=SYSTEM, actor=None, issued_at=at("2026-11-01"))
    return Bill.objects.get(), Payer.objects.get(worker=worker)


def test_clerk_runs_billing_from_the_page(clerk: Client, jobs) -> None:
    member()
    with jobs():
        response = clerk.post(reverse("contributions:bill_list"), {"period": "2026-11"})
    assert response.status_code == 302
    assert BillingRun.objects.get().lines == 1
    page = clerk.get(reverse("contributions:bill_list"))
    assert page.status_code == 200 and "2026-11" in page.content.decode()


def test_a_bad_month_is_refused_on_the_page(clerk: Client) -> None:
    response = clerk.post(reverse("contributions:bill_list"), {"period": "2026-13"})
    assert response.status_code == 400 and "PERIOD_INVALID" in response.content.decode()
    assert not BillingRun.objects.exists()


def test_a_village_operator_sees_bills_but_cannot_bill(village: Client) -> None:
    billed()
    assert village.get(reverse("contributions:bill_list")).status_code == 200
    assert village.post(reverse("contributions:bill_list"), {"period": "2026-11"}).status_code == 403
    assert village.get(reverse("contributions:reconciliation")).status_code == 403
    assert village.post(reverse("contributions:payment_list"), {"action": "manual"}).status_code == 403


def test_bill_detail_and_downloads(clerk: Client) -> None:
    bill, _ = billed()
    page = clerk.get(reverse("contributions:bill_detail", args=[bill.pk]))
    assert page.status_code == 200 and bill.va_number in page.content.decode()
    xlsx = clerk.get(reverse("contributions:bill_xlsx", args=[bill.pk]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pdf = clerk.get(reverse("contributions:bill_pdf", args=[bill.pk]))
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"


def test_a_bill_outside_the_viewers_region_is_not_found(client: Client) -> None:
    bill, _ = billed()
    client.force_login(make_user(Role.REGION, region_code="35.25"))
    for name in ("bill_detail", "bill_xlsx", "bill_pdf"):
        assert client.get(reverse(f"contributions:{name}", args=[bill.pk])).status_code == 404


def test_clerk_records_a_payment_by_hand(clerk: Client) -> None:
    bill, payer = billed()
    response = clerk.post(reverse("contributions:payment_list"), {
        "action": "manual", "va_number": payer.va_number, "amount": "8.400",
        "paid_at": timezone.localdate().isoformat(), "bank": "BRI", "reference": "KW-1"})  # fmt: skip
    assert response.status_code == 302
    bill.refresh_from_db()
    assert bill.status == "paid"


@pytest.mark.parametrize(
    ("amount", "paid_at", "code"),
    [("delapan", "2026-11-05", "AMOUNT_INVALID"), ("8400", "5/11", "PAID_AT_INVALID")],
)
def test_a_bad_payment_form_says_what_is_wrong(clerk: Client, amount: str, paid_at: str, code: str) -> None:
    _, payer = billed()
    response = clerk.post(reverse("contributions:payment_list"), {
        "action": "manual", "va_number": payer.va_number, "amount": amount, "paid_at": paid_at, "bank": "BRI",
        "reference": "KW-2"})  # fmt: skip
    assert response.status_code == 400 and code in response.content.decode()
    assert not Payment.objects.exists()


def test_clerk_imports_a_statement_and_settles_the_queue(clerk: Client) -> None:
    bill, payer = billed()
    typo = payer.va_number[:-1] + str((int(payer.va_number[-1]) + 1) % 10)  # a check digit never fits twice
    csv = f"reference,va_number,amount,paid_at\nS1,{typo},8400,2026-11-03 08:00\n"
    upload = SimpleUploadedFile("rekening.csv", csv.encode(), content_type="text/csv")
    response = clerk.post(reverse("contributions:payment_list"), {"action": "statement", "profile": "jaring",
                                                                  "file": upload})  # fmt: skip
    assert response.status_code == 302
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.UNMATCHED
    queue = clerk.get(reverse("contributions:reconciliation"))
    assert "S1" in queue.content.decode()
    url = reverse("contributions:payment_resolve", args=[payment.pk])
    bad = clerk.post(url, {"va_number": "1", "note": "salah"}, follow=True)
    assert "VA_INVALID" in bad.content.decode()
    clerk.post(url, {"va_number": payer.va_number, "note": "VA salah ketik", "decision": "assign"})
    bill.refresh_from_db()
    assert bill.status == "paid"


def test_a_statement_with_bad_lines_lists_them(clerk: Client) -> None:
    billed()
    csv = "reference,va_number,amount,paid_at\nS1,1,abc,2026-11-03 08:00\n"
    upload = SimpleUploadedFile("r.csv", csv.encode(), content_type="text/csv")
    response = clerk.post(reverse("contributions:payment_list"), {"action": "statement", "profile": "jaring",
                                                                  "file": upload})  # fmt: skip
    assert response.status_code == 200 and "AMOUNT_INVALID" in response.content.decode()


def test_arrears_page_and_download(clerk: Client) -> None:
    billed()
    for group in ("payer", "village", "agent", "bogus"):
        assert clerk.get(reverse("contributions:arrears"), {"group": group}).status_code == 200
    xlsx = clerk.get(reverse("contributions:arrears"), {"group": "village", "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_coverage_calendar_on_the_worker_page(clerk: Client) -> None:
    worker = member()
    today = timezone.localdate()
    billing_run(period=Period.of(today), viewer=SYSTEM, actor=None)
    payer = Payer.objects.get(worker=worker)
    payment_record(va_number=payer.va_number, amount=Bill.objects.get().amount_total,
                   paid_at=at(today.isoformat(), hour=0), reference="C", bank="bni", viewer=SYSTEM, actor=None)  # fmt: skip
    response = clerk.get(reverse("contributions:coverage", args=[worker.pk]))
    assert response.status_code == 200 and today.strftime("%d-%m-%Y") in response.content.decode()
    assert "Lunas" in response.content.decode()


def test_coverage_of_a_worker_elsewhere_is_not_found(client: Client) -> None:
    _, payer = billed()
    client.force_login(make_user(Role.REGION, region_code="35.25"))
    assert client.get(reverse("contributions:coverage", args=[payer.worker_id])).status_code == 404


def test_the_queue_suggests_the_likely_payer_and_books_it_in_one_step(clerk: Client) -> None:
    """Issue #14: the likely bill for an unmatched transfer, each transfer once, booked from the suggestion."""
    bill, payer = billed()
    typo = payer.va_number[:-1] + str((int(payer.va_number[-1]) + 1) % 10)
    csv = f"reference,va_number,amount,paid_at\nS1,{typo},8400,2026-11-03 08:00\n"
    upload = SimpleUploadedFile("rekening.csv", csv.encode(), content_type="text/csv")
    clerk.post(
        reverse("contributions:payment_list"), {"action": "statement", "profile": "jaring", "file": upload}
    )
    payment = Payment.objects.get()
    html = clerk.get(reverse("contributions:reconciliation")).content.decode()
    assert html.count(f'id="payment-{payment.pk}"') == 1
    row = html[html.index(f'id="payment-{payment.pk}"') :]
    assert payer.name in row and "satu angka berbeda" in row and "jumlah sama dengan tagihan terbuka" in row
    response = clerk.post(reverse("contributions:payment_resolve", args=[payment.pk]), {
        "va_number": payer.va_number, "note": "Saran Jaring diterima: VA: satu angka berbeda", "decision": "assign",
    })  # fmt: skip
    assert response.status_code == 302
    bill.refresh_from_db()
    payment.refresh_from_db()
    assert bill.status == "paid" and payment.payer_id == payer.pk and "Saran Jaring" in payment.settled_note


def test_the_bill_pdf_carries_the_branch_office_header_and_words_not_codes(clerk: Client) -> None:
    """Issue #14: bills carry the office's header; the payer type in words (never `mandiri` as a code)."""
    import io  # noqa: PLC0415

    from pypdf import PdfReader  # noqa: PLC0415

    bill, _ = billed()
    response = clerk.get(reverse("contributions:bill_pdf", args=[bill.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "BPJS Ketenagakerjaan Kantor Cabang Tangerang Cikupa" in text
    assert "Bukan Penerima Upah" in text
    head = text[text.index("Jenis pembayar") :][:60]
    assert "apbd_" not in head and "Jenis pembayar mandiri" not in head.replace("\n", " ")
