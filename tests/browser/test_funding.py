"""A donor funds workers in the browser: chooses a village, sees whom and what, confirms, gets the receipt;
a regency budget officer creates a program and allocates it with a dry run first."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from jaring.contributions.factories import member
from jaring.contributions.services import payment_record
from jaring.core.factories import PASSWORD, make_user
from jaring.core.rules import Role
from jaring.core.selectors import SYSTEM
from jaring.funding.models import Allocation, Program
from jaring.funding.services import sponsor_create
from tests.browser.conftest import fits, login, nav, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# The seeded rows (rules, banks, profiles) come back before each test: tests/browser/conftest.py (seeds_reload).


@pytest.mark.parametrize("page", ["desk", "phone"], indirect=True)
def test_donor_funds_the_neediest_of_a_village(page: Page) -> None:
    member(full_name="Siti Aminah", poverty_decile="1")
    member(full_name="Budi Santoso", poverty_decile="2")
    member(full_name="Dewi Lestari", poverty_decile="9")
    donor = sponsor_create(name="Ibu Ani (GN Lingkaran)", payer_type="donor", viewer=SYSTEM, actor=None)
    make_user(Role.SPONSOR, sponsor_ref=donor.ref, username="donatur")
    login(page, "donatur", PASSWORD)
    page.goto("/dana/donasi/")
    page.fill("input[name=workers]", "2")
    page.select_option("select[name=months]", "6")
    page.fill("input[name=region_code]", "36.03.01.2003")
    page.get_by_role("button", name="Lihat siapa dan berapa").click()
    preview = page.locator("#preview")
    expect(preview).to_contain_text("S*** A*****")  # the poorest two, names masked
    expect(preview).to_contain_text("B*** S******")
    expect(preview).not_to_contain_text("D***")
    assert not Program.objects.exists()
    fits(page)
    page.get_by_role("button", name="Konfirmasi donasi").click()
    # Issue #14: before the money arrives the donor holds an invoice with the virtual account, not a receipt
    expect(page.locator("h1")).to_contain_text("Tagihan donasi")
    expect(page.locator("#awaiting-payment")).to_be_visible()
    program = Program.objects.select_related("payer").get()
    expect(page.locator("#receipt-workers")).to_have_text("2")
    expect(page.locator("#receipt-amount")).to_contain_text(f"{program.committed:,}".replace(",", "."))
    expect(page.locator("#protected")).not_to_contain_text("Siti Aminah")
    expect(page.locator("#protected")).to_contain_text("Cangkudu")  # the village by name
    fits(page)
    shot(page, "donor-invoice")
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh tagihan (PDF)").click()
    assert download.value.suggested_filename == f"tagihan-donasi-{program.pk}.pdf"
    payment_record(va_number=program.payer.va_number, amount=program.committed, paid_at=timezone.now(),
                   reference="DON-1", bank="bri", viewer=SYSTEM, actor=None)  # fmt: skip
    page.reload()
    expect(page.locator("h1")).to_contain_text("Tanda terima donasi")
    expect(page.locator("#received")).to_contain_text(f"{program.committed:,}".replace(",", "."))
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh tanda terima (PDF)").click()
    assert download.value.suggested_filename == f"tanda-terima-donasi-{program.pk}.pdf"


@pytest.mark.parametrize("page", ["desk", "phone"], indirect=True)
def test_budget_officer_creates_and_allocates_a_program(page: Page) -> None:
    for name in ("Siti Aminah", "Budi Santoso"):
        member(full_name=name, poverty_decile="3")
    sponsor_create(
        name="Pemkab Tangerang", payer_type="apbd_kabkota", region_code="36.03", viewer=SYSTEM, actor=None
    )
    make_user(Role.REGION, region_code="36.03", username="pemda")
    login(page, "pemda", PASSWORD)
    nav(page, "Pendanaan")
    page.get_by_role("link", name="Program baru").click()
    page.fill("input[name=name]", "APBD 2027")
    page.fill("input[name=budget]", "403200")
    page.fill("input[name=first_period]", "2027-01")
    page.fill("input[name=months]", "12")
    page.get_by_role("button", name="Buat program").click()
    expect(page.locator("h1")).to_contain_text("APBD 2027")
    page.get_by_role("button", name="Simulasikan dulu").click()
    expect(page.locator("#dry-run")).to_contain_text("simulasi")
    expect(page.locator("#preview-funded")).to_contain_text("Siti Aminah")
    fits(page)
    shot(page, "allocation-dry-run")
    assert not Allocation.objects.exists()
    page.get_by_role("button", name="Jalankan alokasi ini").click()
    expect(page.locator(".alert.success")).to_contain_text("2 pekerja didanai")
    expect(page.locator("#funded-workers")).to_contain_text("Siti Aminah")
    expect(page.locator("#left")).to_contain_text("Rp 0")
