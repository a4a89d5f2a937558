"""The village journey in a real browser (Debian's headless Chromium): the village secretary uploads and commits
her list, sets up and allocates the village's "1 Desa 100 Pekerja Rentan" program, the branch clerk bills the
month and records the village's transfer, the worker's page shows the month paid, and a death reported that
month is eligible for the JKM. Pages only; the database is read only to check what the pages say."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from jaring.contributions.models import Bill
from jaring.core.factories import PASSWORD, make_user
from jaring.core.rules import Role
from jaring.core.selectors import SYSTEM
from jaring.funding.services import sponsor_create
from jaring.imports.tests.files import row_of, xlsx_bytes
from jaring.registry.factories import VILLAGE, nik_for, worker_cells
from jaring.registry.models import Worker
from tests.browser.conftest import login
from tests.conftest import seeds_reload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _regulation(transactional_db: None) -> None:
    # Transactional tests empty every table afterwards, seeded regions and rows included: put them back.
    seeds_reload()


def test_a_village_list_is_funded_billed_paid_and_covered_in_the_browser(page: Page, tmp_path: Path) -> None:
    today = timezone.localdate()
    month = today.strftime("%Y-%m")
    make_user(Role.VILLAGE, region_code=VILLAGE, username="sekdes")
    make_user(Role.BRANCH, branch_code="KC-TGR-CKP", username="cabang")
    sponsor_create(name="Pemerintah Desa Cangkudu", payer_type="apbdes", region_code=VILLAGE, viewer=SYSTEM,
                   actor=None)  # fmt: skip
    niks = [nik_for(serial=6100 + i) for i in range(5)]
    path = tmp_path / "daftar-cangkudu.xlsx"
    path.write_bytes(
        xlsx_bytes([row_of(worker_cells(nik=n, full_name=f"Warga Cangkudu {i}")) for i, n in enumerate(niks)])
    )

    login(page, "sekdes", PASSWORD)
    page.click("text=Impor Daftar")
    page.set_input_files("input[name=file]", str(path))
    page.fill("input[name=source]", f"Desa Cangkudu {month}")
    page.click("text=Unggah dan periksa")
    expect(page.locator("#count-accepted")).to_have_text("5")
    page.click("#commit-button")
    expect(page.locator("#committed-note")).to_contain_text("5 pekerja baru")

    page.goto("/dana/")
    page.get_by_role("link", name="Program baru").click()
    page.fill("input[name=name]", "1 Desa 100 Pekerja Rentan")
    page.fill("input[name=budget]", str(100 * 12 * 16_800))
    page.fill("input[name=first_period]", month)
    page.fill("input[name=months]", "12")
    page.get_by_role("button", name="Buat program").click()
    expect(page.locator("h1")).to_contain_text("1 Desa 100 Pekerja Rentan")
    page.get_by_role("button", name="Jalankan alokasi").click()
    expect(page.locator(".alert.success")).to_contain_text("5 pekerja didanai")
    expect(page.locator("#nobody-funded")).to_have_count(0)
    page.get_by_role("button", name="Keluar").click()

    login(page, "cabang", PASSWORD)
    page.goto("/iuran/")
    page.fill("input[name=period]", month)
    page.click("text=Jalankan penagihan")
    expect(page.locator("#bills")).to_contain_text("1 Desa 100 Pekerja Rentan")
    bill = Bill.objects.get(payer__name__contains="1 Desa 100")
    page.goto("/iuran/pembayaran/")
    page.fill("input[name=va_number]", bill.va_number)
    page.fill("input[name=amount]", str(bill.amount_total))
    page.fill("input[name=paid_at]", today.isoformat())
    page.select_option("select[name=bank]", "bri")
    page.fill("input[name=reference]", "DESA-CANGKUDU-01")
    page.get_by_role("button", name="Catat", exact=True).click()
    expect(page.locator(".alert.success")).to_be_visible()
    worker = Worker.objects.get(nik=niks[0])
    page.goto(f"/pekerja/{worker.pk}/")
    expect(page.locator("#coverage")).to_contain_text("Lunas")

    page.goto("/klaim/")
    page.fill("input[name=nik]", niks[0])
    page.select_option("select[name=claim_type]", "jkm")
    page.fill("input[name=event_date]", today.isoformat())
    page.get_by_role("button", name="Catat klaim").click()
    expect(page.locator("#total")).to_have_text("Rp 42.000.000")
    expect(page.locator("#status")).not_to_contain_text("Ditolak")
