"""A regency's budget officer opens the coverage of the regency, at the desk and on a phone (issue #15): the
figures, the year's chart and the map drawn offline, a district clicked into, another month picked; a village
secretary sees the village and its 1 Desa 100 goal."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from jaring.contributions.factories import at, member
from jaring.contributions.models import BillLine, Payer
from jaring.contributions.services import billing_run, payment_record
from jaring.core.factories import PASSWORD, make_user
from jaring.core.rules import Role
from jaring.core.selectors import SYSTEM
from jaring.core.types import Period
from jaring.registry.factories import VILLAGE
from tests.browser.conftest import fits, login, nav, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MONTH = "2025-02"


def _ledger() -> None:
    """Three workers of Desa Cangkudu billed for January and February; two pay. Every job commits, and the
    refresh that follows each (the immediate task backend) leaves the figures."""
    workers = [member(village=VILLAGE, nik=None, full_name=n) for n in ("Siti Aminah", "Budi", "Wati")]
    for month in ("2025-01", MONTH):
        billing_run(period=Period.parse(month), viewer=SYSTEM, actor=None, issued_at=at(f"{month}-01", 7))
        for worker in workers[:2]:
            line = BillLine.objects.get(worker=worker, period=month)
            payment_record(va_number=Payer.objects.get(pk=line.payer_id).va_number, amount=line.amount,
                           paid_at=at(f"{month}-09"), recorded_at=at(f"{month}-09"), reference=f"R{worker.pk}{month}",
                           bank="bni", viewer=SYSTEM, actor=None)  # fmt: skip


@pytest.mark.parametrize("page", ["desk", "phone"], indirect=True)
def test_a_budget_officer_reads_the_regencys_coverage(page: Page) -> None:
    _ledger()
    make_user(Role.REGION, region_code="36.03", username="pemda")
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    login(page, "pemda", PASSWORD)
    nav(page, "Cakupan")
    page.fill("#month-picker input[name=period]", MONTH)
    page.locator("#month-picker button").click()
    expect(page.locator("#fig-covered")).to_have_text("2")
    expect(page.locator("#fig-members")).to_have_text("3")
    expect(page.locator("#target-source")).to_contain_text("penduduk")
    expect(page.locator("#trend-chart canvas")).to_have_count(1)  # drawn by the vendored ECharts
    expect(page.locator("#coverage-map")).to_have_attribute("data-drawn", "8")  # Banten's 8 regencies
    fits(page)
    shot(page, "coverage")
    page.locator("#children").get_by_role("link", name="Balaraja").click()
    expect(page.locator("h1")).to_contain_text("Balaraja")
    expect(page.locator("#children")).to_contain_text("Cangkudu")
    expect(page.locator("#region-36\\.03\\.01\\.2003")).to_contain_text("2")
    fits(page)
    assert not [c for c in console if "Content Security Policy" in c or "Refused" in c], console


@pytest.mark.parametrize("page", ["desk", "phone"], indirect=True)
def test_a_village_secretary_sees_the_village_and_its_goal(page: Page) -> None:
    _ledger()
    make_user(Role.VILLAGE, region_code=VILLAGE, username="desa")
    login(page, "desa", PASSWORD)
    page.goto(f"/cakupan/?period={MONTH}")
    expect(page.locator("h1")).to_contain_text("Cangkudu")
    expect(page.locator("#fig-covered")).to_have_text("2")
    expect(page.locator("#target-source")).to_contain_text("1 Desa 100")
    expect(page.locator("#fig-coverage")).to_contain_text("2,00 %")
    fits(page)
    page.goto("/cakupan/?region=36.03")
    expect(page.locator("body")).to_contain_text("REGION_OUTSIDE_SCOPE")
