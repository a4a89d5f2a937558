"""A branch clerk bills a month, records a payment by hand, and sees the worker covered, in a real browser."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from jaring.contributions.factories import member
from jaring.contributions.models import Bill, Payer, Payment
from jaring.contributions.services import billing_run
from jaring.core.factories import PASSWORD, make_user
from jaring.core.rules import Role
from jaring.core.selectors import SYSTEM
from jaring.core.types import Period
from tests.browser.conftest import fits, login, nav, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# The seeded rows (rules, banks, profiles) come back before each test: tests/browser/conftest.py (seeds_reload).


def test_clerk_bills_a_month_records_a_payment_and_the_worker_is_covered(page: Page) -> None:
    worker = member(full_name="Siti Aminah")
    make_user(Role.BRANCH, branch_code="KC-TGR-CKP", username="cabang")
    month = timezone.localdate().strftime("%Y-%m")
    login(page, "cabang", PASSWORD)
    page.goto("/iuran/")
    page.fill("input[name=period]", month)
    page.click("text=Jalankan penagihan")
    expect(page.locator("#bills")).to_contain_text("Siti Aminah")
    bill = Bill.objects.get()
    page.locator("#bills a", has_text=f"#{bill.pk}").click()
    expect(page.locator("dl.facts")).to_contain_text(bill.va_number)
    va = Payer.objects.get(worker=worker).va_number
    page.goto("/iuran/pembayaran/")
    page.fill("input[name=va_number]", va)
    page.fill("input[name=amount]", str(bill.amount_total))
    page.fill("input[name=paid_at]", timezone.localdate().isoformat())
    page.select_option("select[name=bank]", "bri")
    page.fill("input[name=reference]", "KWT-001")
    page.get_by_role("button", name="Catat", exact=True).click()
    expect(page.locator(".alert.success")).to_be_visible()
    expect(page.locator("#payments")).to_contain_text("KWT-001")
    page.goto(f"/pekerja/{worker.pk}/")
    calendar = page.locator("#coverage")
    expect(calendar).to_contain_text("Aktif")
    expect(calendar).to_contain_text("Lunas")


def test_clerk_books_a_mistyped_transfer_from_the_suggestion_on_a_phone(page: Page, tmp_path) -> None:
    """Issue #14: the queue suggests the bill a transfer to a mistyped account was meant for; one tap books it."""
    worker = member(full_name="Siti Aminah")
    month = Period.of(timezone.localdate())
    billing_run(period=month, viewer=SYSTEM, actor=None)
    bill = Bill.objects.get()
    va = Payer.objects.get(worker=worker).va_number
    typo = va[:-1] + str((int(va[-1]) + 1) % 10)
    statement = tmp_path / "rekening.csv"
    statement.write_text(f"reference,va_number,amount,paid_at\nS-1,{typo},{bill.amount_total},"
                         f"{timezone.localtime() - dt.timedelta(minutes=5):%Y-%m-%d %H:%M}\n")  # fmt: skip
    make_user(Role.BRANCH, branch_code="KC-TGR-CKP", username="cabang")
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "cabang", PASSWORD)
    nav(page, "Iuran")
    page.get_by_role("link", name="Pembayaran", exact=True).click()
    page.set_input_files("input[name=file]", str(statement))
    page.select_option("select[name=profile]", "jaring")
    page.get_by_role("button", name="Impor dan cocokkan").click()
    page.get_by_role("link", name="Rekonsiliasi", exact=True).click()
    row = page.locator("#queue tbody tr", has_text="S-1")
    expect(row).to_contain_text("Siti Aminah")
    expect(row).to_contain_text("satu angka berbeda")
    fits(page)
    shot(page, "reconciliation")
    row.get_by_role("button", name="Bukukan ke sini").first.click()
    expect(page.locator(".alert.success")).to_contain_text("diselesaikan")
    assert Payment.objects.get(reference="S-1").payer_id == Payer.objects.get(worker=worker).pk
    bill.refresh_from_db()
    assert bill.status == "paid"
