"""A farmer's widow gets the JKM: the village reports the death, the branch uploads the documents, one officer
verifies, another approves and records the transfer, and the heir looks the claim up, in a real browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from jaring.claims.factories import pdf_bytes, png_bytes
from jaring.claims.models import Claim
from jaring.contributions.factories import at, member
from jaring.contributions.models import BillLine, Payer
from jaring.contributions.services import billing_run, payment_record
from jaring.core.factories import PASSWORD, make_user
from jaring.core.rules import Role
from jaring.core.selectors import SYSTEM
from jaring.core.types import Period
from tests.browser.conftest import login, logout, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _regulation(tmp_path: Path, settings) -> None:
    # The seeded rows come back with tests/browser/conftest.py (seeds_reload).
    settings.JARING = {**settings.JARING, "CLAIMS_DIR": tmp_path / "claims"}


def test_jkm_from_the_report_to_the_payment(page: Page, tmp_path: Path) -> None:
    worker = member(full_name="Sarmin")
    billing_run(period=Period(2026, 10), viewer=SYSTEM, actor=None, issued_at=at("2026-10-01"))
    amount = BillLine.objects.get(worker=worker).amount
    payment_record(va_number=Payer.objects.get(worker=worker).va_number, amount=amount, paid_at=at("2026-10-02"), recorded_at=at("2026-10-02"),
                   reference="R1", bank="BRI", viewer=SYSTEM, actor=None)  # fmt: skip
    make_user(Role.VILLAGE, region_code="36.03.01.2003", username="desa")
    make_user(Role.BRANCH, branch_code="KC-TGR-CKP", username="verifikator")
    make_user(Role.BRANCH, branch_code="KC-TGR-CKP", username="kepala")
    pdf = tmp_path / "akta.pdf"
    pdf.write_bytes(pdf_bytes("akta kematian"))

    login(page, "desa", PASSWORD)
    page.goto("/klaim/")
    page.fill("input[name=nik]", worker.nik or "")
    page.select_option("select[name=claim_type]", "jkm")
    page.fill("input[name=event_date]", "2026-10-20")
    page.get_by_role("button", name="Catat klaim").click()
    expect(page.locator("#total")).to_have_text("Rp 42.000.000")
    claim = Claim.objects.get()
    for doc_type in ("death_certificate", "id_card", "family_card"):
        page.select_option("select[name=doc_type]", doc_type)
        page.set_input_files("input[name=file]", str(pdf))
        page.get_by_role("button", name="Unggah").click()
        expect(page.locator(".alert.success")).to_contain_text("Dokumen diunggah")
    expect(page.locator("#documents tbody tr")).to_have_count(3)
    logout(page)

    login(page, "verifikator", PASSWORD)
    page.goto(f"/klaim/{claim.pk}/")
    page.get_by_role("button", name="Tandai dokumen lengkap").click()
    page.get_by_role("button", name="Verifikasi").click()
    expect(page.locator("#status")).to_contain_text("Diverifikasi")
    expect(page.locator("#four-eyes")).to_be_visible()  # the verifier is not offered "Setujui"
    expect(page.get_by_role("button", name="Setujui")).to_have_count(0)
    logout(page)

    login(page, "kepala", PASSWORD)
    page.goto(f"/klaim/{claim.pk}/")
    page.get_by_role("button", name="Setujui").click()
    page.fill("input[name=beneficiary_name]", "Siti (istri)")
    page.fill("input[name=bank]", "BRI")
    page.fill("input[name=account_number]", "0021-01-000123-50-9")
    page.fill("input[name=payment_reference]", "TRF-0001")
    page.get_by_role("button", name="Catat pembayaran").click()
    expect(page.locator("#status")).to_contain_text("Dibayar")
    logout(page)

    page.goto("/klaim/status/")
    page.fill("input[name=number]", claim.number)
    page.fill("input[name=nik]", worker.nik or "")
    page.get_by_role("button", name="Cek").click()
    expect(page.locator("#claim-status")).to_contain_text("Dibayar")


def test_jkk_fisher_gets_his_wages_while_he_cannot_work(page: Page, tmp_path: Path) -> None:
    """A fisher injured at sea: STMB for 45 days and the boat home, reported late (flagged, still paid)."""
    worker = member(full_name="Darto", occupation="Nelayan")
    billing_run(period=Period(2026, 10), viewer=SYSTEM, actor=None, issued_at=at("2026-10-01"))
    amount = BillLine.objects.get(worker=worker).amount
    payment_record(va_number=Payer.objects.get(worker=worker).va_number, amount=amount, paid_at=at("2026-10-02"), recorded_at=at("2026-10-02"),
                   reference="R2", bank="BRI", viewer=SYSTEM, actor=None)  # fmt: skip
    make_user(Role.BRANCH, branch_code="KC-TGR-CKP", username="petugas")
    make_user(Role.BRANCH, branch_code="KC-TGR-CKP", username="kepala")
    scan = tmp_path / "laporan.png"
    scan.write_bytes(png_bytes())  # a photo that decodes (documents are checked whole)

    login(page, "petugas", PASSWORD)
    page.goto("/klaim/")
    page.fill("input[name=nik]", worker.nik or "")
    page.select_option("select[name=claim_type]", "jkk_stmb")
    page.fill("input[name=event_date]", "2026-10-05")
    page.fill("input[name=days]", "45")
    page.get_by_role("button", name="Catat klaim").click()
    expect(page.locator("#total")).to_have_text("Rp 1.500.000")  # 45 days x Rp 1,000,000 / 30
    expect(page.locator("#breakdown")).to_contain_text("PP 82/2019 Lampiran III")
    expect(page.locator("dl.facts")).to_contain_text("lebih dari 2 x 24 jam")  # reported weeks later
    claim = Claim.objects.get()
    for doc_type in ("id_card", "accident_report"):
        page.select_option("select[name=doc_type]", doc_type)
        page.set_input_files("input[name=file]", str(scan))
        page.get_by_role("button", name="Unggah").click()
    expect(page.locator("#documents tbody tr")).to_have_count(2)
    page.get_by_role("button", name="Tandai dokumen lengkap").click()
    page.get_by_role("button", name="Verifikasi").click()
    logout(page)
    login(page, "kepala", PASSWORD)
    page.goto(f"/klaim/{claim.pk}/")
    page.get_by_role("button", name="Setujui").click()
    page.fill("input[name=beneficiary_name]", "Darto")
    page.fill("input[name=bank]", "BRI")
    page.fill("input[name=account_number]", "0021-01-000456-50-1")
    page.fill("input[name=payment_reference]", "TRF-0002")
    page.get_by_role("button", name="Catat pembayaran").click()
    expect(page.locator("#status")).to_contain_text("Dibayar")


def test_the_report_form_asks_each_claim_type_only_for_its_fields_on_a_phone(page: Page) -> None:
    """Issue #14: a form per claim type. STMB asks for the days, not the transport mode; transport for the mode and
    the ticket, not the days; JKM for nothing more than the event. A hidden field is not sent."""
    member(full_name="Sarmin")
    make_user(Role.VILLAGE, region_code="36.03.01.2003", username="desa")
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "desa", PASSWORD)
    page.goto("/klaim/")
    page.select_option("select[name=claim_type]", "jkk_stmb")
    expect(page.locator("input[name=days]")).to_be_visible()
    expect(page.locator("select[name=mode]")).to_be_hidden()
    expect(page.locator("input[name=amount]")).to_be_hidden()
    page.select_option("select[name=claim_type]", "jkk_transport")
    expect(page.locator("select[name=mode]")).to_be_visible()
    expect(page.locator("input[name=amount]")).to_be_visible()
    expect(page.locator("input[name=days]")).to_be_hidden()
    expect(page.locator("input[name=days]")).to_be_disabled()
    shot(page, "claim-form")
    page.select_option("select[name=claim_type]", "jkm")
    expect(page.locator("input[name=diagnosis_date]")).to_be_hidden()
    expect(page.locator("select[name=part]").first).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
