from __future__ import annotations

import pytest

from jaring.core.factories import make_viewer
from jaring.core.rules import Role
from jaring.core.selectors import SYSTEM, Viewer
from jaring.registry.factories import OTHER_REGENCY_VILLAGE, nik_for
from jaring.registry.selectors import WorkerFilters, worker_get, worker_history, worker_list
from jaring.registry.services import worker_update
from jaring.registry.tests.helpers import add_worker

pytestmark = pytest.mark.django_db


def names(viewer: Viewer, **filters: str) -> list[str]:
    return [r.full_name for r in worker_list(viewer=viewer, filters=WorkerFilters(**filters)).rows]


def test_each_viewer_sees_only_their_regions() -> None:
    add_worker(full_name="Budi Tangerang")
    add_worker(full_name="Joko Gresik", village_code=OTHER_REGENCY_VILLAGE, nik=nik_for(district="352501"))
    assert sorted(names(SYSTEM)) == ["Budi Tangerang", "Joko Gresik"]
    assert names(make_viewer(Role.BRANCH, branch_code="KC-GRS")[1]) == ["Joko Gresik"]
    assert names(make_viewer(Role.REGION, region_code="36.03")[1]) == ["Budi Tangerang"]
    assert names(make_viewer(Role.VILLAGE, region_code="36.03.01.2005")[1]) == []
    assert names(make_viewer(Role.SPONSOR)[1]) == []


def test_search_by_name_word_and_by_nik() -> None:
    nik = nik_for()
    add_worker(full_name="Siti Aminah", sex="P", nik=nik_for(sex="P"))
    add_worker(full_name="Budi Santoso", nik=nik)
    assert names(SYSTEM, q="siti") == ["Siti Aminah"]
    assert names(SYSTEM, q="AMINAH") == ["Siti Aminah"]
    assert names(SYSTEM, q="min") == []  # word starts, not fragments
    assert names(SYSTEM, q=nik) == ["Budi Santoso"]
    assert names(SYSTEM, q=nik[:6]) == ["Budi Santoso", "Siti Aminah"]  # a district prefix, newest first
    assert names(SYSTEM, q=nik[:8]) == ["Budi Santoso"]


def test_a_role_that_sees_niks_masked_finds_a_whole_nik_but_no_prefix() -> None:
    """Issue #13, the NIK oracle: a regency officer recovered any NIK in 44 prefix searches."""
    nik = nik_for()
    add_worker(full_name="Budi Santoso", nik=nik)
    officer = make_viewer(Role.REGION, region_code="36.03")[1]
    assert names(officer, q=nik) == ["Budi Santoso"]
    for prefix in (nik[:6], nik[:10], nik[:15]):
        assert names(officer, q=prefix) == []
    assert names(officer, q=nik[:15] + ("1" if nik[15] != "1" else "2")) == []  # another valid NIK: nobody
    assert names(make_viewer(Role.VILLAGE, region_code="36.03.01.2003")[1], q=nik[:8]) == ["Budi Santoso"]


def test_filters_by_region_and_occupation() -> None:
    add_worker(full_name="A Petani", occupation="Petani")
    add_worker(full_name="B Ojek", occupation="Ojek")
    assert names(SYSTEM, occupation="ojek") == ["B Ojek"]
    assert sorted(names(SYSTEM, region_code="36.03.01")) == ["A Petani", "B Ojek"]
    assert names(SYSTEM, region_code="35") == []


def test_keyset_pages_cover_everyone_once() -> None:
    for i in range(7):
        add_worker(full_name=f"Pekerja {i}")
    seen: list[int] = []
    after = None
    while True:
        page = worker_list(viewer=SYSTEM, filters=WorkerFilters(), after=after, limit=3)
        seen += [r.id for r in page.rows]
        if page.next_after is None:
            break
        after = page.next_after
    assert len(seen) == 7 == len(set(seen))


def test_personal_data_is_masked_for_roles_that_do_not_need_it() -> None:
    worker = add_worker(mother_name="Siti Aminah")
    _, officer = make_viewer(Role.REGION, region_code="36.03")
    row = worker_list(viewer=officer, filters=WorkerFilters()).rows[0]
    assert "*" in row.nik and row.birth_date.startswith("**-**-")
    detail = worker_get(viewer=officer, worker_id=worker.pk)
    assert detail.mother_name == "S*** A*****" and "*" in detail.phone
    clerk_detail = worker_get(
        viewer=make_viewer(Role.BRANCH, branch_code="KC-TGR-CKP")[1], worker_id=worker.pk
    )
    assert clerk_detail.row.nik == worker.nik and clerk_detail.mother_name == "Siti Aminah"


def test_history_lists_every_change_newest_first() -> None:
    worker = add_worker()
    worker_update(worker_id=worker.pk, changes={"address": "Jl. Satu"}, viewer=SYSTEM, actor=None)
    worker_update(worker_id=worker.pk, changes={"address": "Jl. Dua"}, viewer=SYSTEM, actor=None)
    history = worker_history(viewer=SYSTEM, worker_id=worker.pk)
    assert [h.action for h in history] == ["worker.update", "worker.update", "worker.register"]
    assert history[0].changes["address"] == ["Jl. Satu", "Jl. Dua"]


@pytest.mark.parametrize(
    ("changes", "lines"),
    [
        ({"warnings": []}, ()),  # issue #14: the page showed "warnings: []"
        ({"warnings": ["NIK_REGION_UNKNOWN"]}, (("Peringatan", "1", "NIK_REGION_UNKNOWN"),)),
        ({"phone": ["0812", "0813"]}, (("No HP", "0812 → 0813", ""),)),
        ({"nik": ["***", "***"]}, (("NIK", "*** → ***", ""),)),
        ({"period": "2026-11", "kpj": "00000000018"}, (("Bulan", "2026-11", ""), ("KPJ", "00000000018", ""))),
        ({"village_written": ""}, ()),
        ({"claims": 2}, (("claims", "2", ""),)),
    ],
)
def test_a_workers_history_reads_in_words(
    changes: dict[str, object], lines: tuple[tuple[str, str, str], ...]
) -> None:
    from jaring.registry.selectors import change_lines  # noqa: PLC0415

    assert change_lines(changes) == lines
