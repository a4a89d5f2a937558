"""What a village secretary, a branch clerk and a regency officer do, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from jaring.core.factories import PASSWORD, make_user
from jaring.core.rules import Role
from jaring.imports.tests.files import row_of, xlsx_bytes
from jaring.registry.factories import VILLAGE, nik_for, worker_cells
from jaring.registry.models import Worker
from tests.browser.conftest import fits, login, nav, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("page", ["desk", "phone"], indirect=True)
def test_secretary_uploads_a_messy_list_reviews_errors_and_commits(page: Page, tmp_path) -> None:
    make_user(Role.VILLAGE, region_code=VILLAGE, username="sekdes")
    good_nik = nik_for()
    rows = [
        row_of(worker_cells(full_name="Budi Santoso", nik=good_nik)),
        row_of(worker_cells(full_name="Rina Wati", sex="P", nik=nik_for(sex="P"), birth_date="04-25-1985")),
        row_of(worker_cells(full_name="Joko Excel", nik=float(nik_for()[:15] + "0"))),
    ]
    path = tmp_path / "daftar-cangkudu.xlsx"
    path.write_bytes(xlsx_bytes(rows, title_rows=1))

    login(page, "sekdes", PASSWORD)
    shot(page, "village-home")
    nav(page, "Impor Daftar")
    page.set_input_files("input[name=file]", str(path))
    page.fill("input[name=source]", "Desa Cangkudu November 2026")
    page.click("text=Unggah dan periksa")
    expect(page.locator("#batch-status-badge")).to_have_text("Siap ditinjau")
    expect(page.locator("#count-accepted")).to_have_text("1")
    expect(page.locator("#count-rejected")).to_have_text("2")
    fits(page)
    shot(page, "batch-review")
    preview = page.locator("#preview")
    expect(preview).to_contain_text("tertukar")  # the swapped day and month, explained
    expect(preview).to_contain_text("Format kolom NIK sebagai Teks")
    with page.expect_download() as download:
        page.click("text=Unduh baris ditolak (.xlsx)")
    assert download.value.suggested_filename == "daftar-cangkudu-ditolak.xlsx"
    assert Worker.objects.count() == 0

    page.click("#commit-button")
    expect(page.locator("#committed-note")).to_contain_text("1 pekerja baru")
    assert list(Worker.objects.values_list("nik", flat=True)) == [good_nik]

    nav(page, "Pekerja")
    page.fill("input[name=q]", good_nik)
    page.click("button:has-text('Cari')")
    expect(page.locator("#worker-table")).to_contain_text("Budi Santoso")
    assert good_nik not in page.url  # searched by POST: the NIK never enters a URL
    page.click("text=Budi Santoso")
    expect(page.locator("h1")).to_have_text("Budi Santoso")
    fits(page)
    shot(page, "worker")
    expect(page.locator("body")).to_contain_text("import.commit")


def test_regency_officer_sees_names_but_masked_niks(page: Page) -> None:
    make_user(Role.REGION, region_code="36.03", username="pemda")
    worker = Worker.objects.create(
        nik=nik_for(), full_name="Siti Aminah", name_key="siti aminah", sex="P", village_id=VILLAGE,
        district_code=VILLAGE[:8], regency_code="36.03", province_code="36", occupation="petani",
        ecosystem="rentan", sector="other",
    )  # fmt: skip
    login(page, "pemda", PASSWORD)
    page.goto("/pekerja/")
    table = page.locator("#worker-table")
    expect(table).to_contain_text("Siti Aminah")
    expect(table).to_contain_text(str(worker.nik)[:6] + "********")
    expect(table).not_to_contain_text(str(worker.nik))


def test_a_file_that_is_not_a_spreadsheet_gets_one_clear_message(page: Page, tmp_path) -> None:
    make_user(Role.VILLAGE, region_code=VILLAGE, username="sekdes2")
    path = tmp_path / "foto.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    login(page, "sekdes2", PASSWORD)
    page.goto("/impor/")
    page.set_input_files("input[name=file]", str(path))
    page.fill("input[name=source]", "Salah berkas")
    page.click("text=Unggah dan periksa")
    expect(page.locator("[role=alert]")).to_contain_text("bukan lembar kerja")
    expect(page.locator("[role=alert]")).to_contain_text("FILE_NOT_SPREADSHEET")


def test_the_language_switch_turns_the_pages_english(page: Page) -> None:
    make_user(Role.BRANCH, branch_code="KC-TGR-CKP", username="clerk")
    login(page, "clerk", PASSWORD)
    expect(page.locator("nav")).to_contain_text("Pekerja")  # Indonesian by default, whatever the browser says
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    page.goto("/pekerja/")
    expect(page.locator("h1")).to_have_text("Workers")
    expect(page.locator("nav")).to_contain_text("Import lists")
