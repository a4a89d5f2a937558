"""Journey: a regency list repeats people the village registered, under other spellings and without NIKs;
the check after the commit queues them; a branch clerk settles them in a real browser (one merged, one
dismissed); a re-run proposes nothing again; an administrator undoes the merge."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from jaring.contributions.factories import member
from jaring.core.factories import PASSWORD, make_user
from jaring.core.rules import Role
from jaring.imports.tests.files import row_of, xlsx_bytes
from jaring.imports.tests.test_services import commit, stage
from jaring.linkage.models import CandidatePair, Merge, PairStatus
from jaring.linkage.services import dedupe_run
from jaring.registry.factories import worker_cells
from jaring.registry.models import Worker
from tests.browser.conftest import fits, login, logout, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("page", ["desk", "phone"], indirect=True)
def test_clerk_settles_the_queue_and_an_administrator_undoes_a_merge(page: Page) -> None:
    yusuf = member(full_name="Muhammad Yusuf", birth=dt.date(1985, 4, 12), mother_name="Siti Aminah",
                   phone="081234567890")  # fmt: skip
    member(
        full_name="Siti Nurhaliza",
        sex="P",
        birth=dt.date(1990, 3, 5),
        mother_name="Aminah",
        phone="085711112222",
    )
    batch = commit(stage(xlsx_bytes([
        row_of(worker_cells(nik="", full_name="H. Moh. Yusup", birth=dt.date(1985, 4, 12), mother_name="Siti Aminah",
                            phone="081234567890")),
        row_of(worker_cells(nik="", full_name="Siti Nurhalizah", sex="P", birth=dt.date(1990, 3, 5),
                            mother_name="Aminah", phone="085711112222")),
    ])))  # fmt: skip
    assert dedupe_run(batch_id=batch.pk, actor=None).proposed == 2
    make_user(Role.BRANCH, branch_code="KC-TGR-CKP", username="cabang")
    make_user(Role.ADMIN, username="kepala")

    login(page, "cabang", PASSWORD)
    page.goto("/duplikat/")
    expect(page.locator("#pairs tbody tr")).to_have_count(2)
    page.locator("#pairs tbody tr", has_text="H. Moh. Yusup").get_by_role("link", name="Periksa").click()
    expect(page.locator("#side-by-side mark").first).to_be_visible()  # the names differ: highlighted
    expect(page.locator("#evidence")).to_contain_text("tanggal lahir sama")
    expect(page.locator("#evidence")).to_contain_text(
        "mendukung orang yang sama"
    )  # each field's weight, in words
    fits(page)
    shot(page, "duplicate-pair")
    page.get_by_role("button", name="Orang yang sama: gabungkan").click()  # no reason: refused, nothing lost
    expect(page.locator("input[name=reason]:invalid")).to_have_count(1)
    page.fill("input[name=reason]", "KK dan tanggal lahir sama")
    page.get_by_role("button", name="Orang yang sama: gabungkan").click()
    expect(page.locator(".alert.success")).to_contain_text("Digabung")
    page.locator("#pairs tbody tr", has_text="Nurhalizah").get_by_role("link", name="Periksa").click()
    page.fill("input[name=reason]", "ibu dan anak dengan nama hampir sama")
    page.get_by_role("button", name="Dua orang berbeda").click()
    expect(page.locator("#pairs")).to_contain_text("Tidak ada pasangan yang menunggu")
    retired = Worker.objects.get(full_name="H. Moh. Yusup")
    assert retired.merged_into_id == yusuf.pk
    assert dedupe_run(actor=None).proposed == 0  # decisions survive a re-run
    logout(page)

    login(page, "kepala", PASSWORD)
    page.goto("/duplikat/gabungan/")
    page.fill("#merges input[name=reason]", "ternyata dua orang")
    page.get_by_role("button", name="Batalkan").click()
    expect(page.locator(".alert.success")).to_contain_text("dibatalkan")
    assert (
        Merge.objects.get().undone_at is not None and Worker.objects.get(pk=retired.pk).merged_into_id is None
    )
    assert set(CandidatePair.objects.values_list("status", flat=True)) == {
        PairStatus.OPEN,
        PairStatus.DISMISSED,
    }
