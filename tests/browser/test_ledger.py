"""A branch clerk bills a month, records a payment by hand, and sees the worker covered, in a real browser."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from jaring.contributions.factories import member
from jaring.contributions.models import Bill, Payer
from jaring.core.factories import PASSWORD, make_user
from jaring.core.rules import Role
from tests.browser.conftest import login

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
