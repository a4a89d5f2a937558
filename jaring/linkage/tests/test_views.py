"""Duplicate review pages: success, bad input and permission for each; differences highlighted side by side;
only an administrator undoes a merge or turns automatic merging on."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jaring.contributions.factories import member
from jaring.core.factories import make_user
from jaring.core.rules import Role
from jaring.imports.tests.files import row_of, xlsx_bytes
from jaring.imports.tests.test_services import commit, stage
from jaring.linkage.models import CandidatePair, LinkageSettings, Merge, NikConflict, PairStatus
from jaring.linkage.services import dedupe_run
from jaring.linkage.tests.test_services import _same_person_twice
from jaring.registry.factories import nik_for, worker_cells

pytestmark = pytest.mark.django_db


@pytest.fixture
def branch(client: Client) -> Client:
    client.force_login(make_user(Role.BRANCH, branch_code="KC-TGR-CKP"))
    return client


def _pair() -> CandidatePair:
    _same_person_twice()
    dedupe_run(actor=None)
    return CandidatePair.objects.get()


def test_queue_and_pair_side_by_side(branch: Client) -> None:
    pair = _pair()
    page = branch.get(reverse("linkage:queue")).content.decode()
    assert "H. Moh. Yusup" in page and reverse("linkage:pair", args=[pair.pk]) in page
    page = branch.get(reverse("linkage:pair", args=[pair.pk])).content.decode()
    assert "<mark>Muhammad Yusuf</mark>" in page and "<mark>H. Moh. Yusup</mark>" in page
    assert "tanggal lahir sama" in page  # the evidence per field
    evidence = page[page.index('id="evidence"') :]
    evidence = evidence[: evidence.index("</table>")]
    assert "sangat mendukung orang yang sama" in evidence and "× " in evidence  # the weight, in words
    holds = page[page.index('id="holds"') :]
    assert "Kartu aktif (KPJ)" in holds and "Didanai oleh" in holds and "Klaim" in holds
    assert 'id="survivor-why"' in page  # the suggested record says why


def test_dismiss_and_merge_from_the_page(branch: Client) -> None:
    pair = _pair()
    response = branch.post(reverse("linkage:pair_decide", args=[pair.pk]), {"decision": "merge", "reason": "KK sama",
                                                                            "survivor": str(pair.worker_a_id)})  # fmt: skip
    assert response.status_code == 302 and Merge.objects.get().survivor_id == pair.worker_a_id
    assert CandidatePair.objects.get().status == PairStatus.MERGED


def test_a_decision_without_a_reason_is_refused(branch: Client) -> None:
    pair = _pair()
    response = branch.post(
        reverse("linkage:pair_decide", args=[pair.pk]), {"decision": "dismiss", "reason": ""}
    )
    assert response.status_code == 400 and "REASON_MISSING" in response.content.decode()
    assert CandidatePair.objects.get().status == PairStatus.OPEN


def test_roles_that_do_not_review_duplicates(client: Client) -> None:
    pair = _pair()
    assert client.get(reverse("linkage:queue")).status_code == 302  # log in first
    client.force_login(make_user(Role.VILLAGE, region_code="36.03.01.2003"))
    assert client.get(reverse("linkage:queue")).status_code == 403
    assert client.get(reverse("linkage:pair", args=[pair.pk])).status_code == 403
    assert client.post(reverse("linkage:pair_decide", args=[pair.pk]), {"reason": "x"}).status_code == 403
    client.force_login(make_user(Role.BRANCH, branch_code="KC-GRS"))
    assert client.get(reverse("linkage:pair", args=[pair.pk])).status_code == 404  # another branch's pair
    assert CandidatePair.objects.get().status == PairStatus.OPEN


def test_undo_and_settings_are_for_administrators(client: Client) -> None:
    pair = _pair()
    client.force_login(make_user(Role.BRANCH, branch_code="KC-TGR-CKP"))
    client.post(reverse("linkage:pair_decide", args=[pair.pk]), {"decision": "merge", "reason": "sama"})
    merge = Merge.objects.get()
    assert client.post(reverse("linkage:merge_undo", args=[merge.pk]), {"reason": "x"}).status_code == 403
    assert (
        client.post(reverse("linkage:settings"), {"auto_merge": "1", "threshold": "0.95"}).status_code == 403
    )
    client.force_login(make_user(Role.ADMIN))
    assert "Batalkan" in client.get(reverse("linkage:merges")).content.decode()
    client.post(reverse("linkage:merge_undo", args=[merge.pk]), {"reason": "kembar"})
    assert Merge.objects.get().undone_at is not None
    client.post(reverse("linkage:settings"), {"auto_merge": "1", "threshold": "dua"})
    assert not LinkageSettings.objects.exists()  # refused with a message, nothing saved
    client.post(reverse("linkage:settings"), {"auto_merge": "1", "threshold": "0,95"})
    assert LinkageSettings.objects.get().auto_merge_threshold == 0.95


def test_nik_conflicts_page(branch: Client) -> None:
    nik = nik_for()
    member(full_name="Budi Santoso", nik=nik)
    commit(stage(xlsx_bytes([row_of(worker_cells(nik=nik, full_name="Siti Rohmah"))])))
    conflict = NikConflict.objects.get()
    assert "Siti Rohmah" in branch.get(reverse("linkage:conflicts")).content.decode()
    branch.post(reverse("linkage:conflict_resolve", args=[conflict.pk]), {"resolution": ""})
    assert NikConflict.objects.get().status == "open"  # a resolution needs words
    branch.post(
        reverse("linkage:conflict_resolve", args=[conflict.pk]), {"resolution": "NIK diperbaiki desa"}
    )
    assert NikConflict.objects.get().status == "resolved"
