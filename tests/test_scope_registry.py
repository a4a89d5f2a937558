"""Personal data stays inside its scope (issue #13): a list is visible, and each of its rows committable, only
to those whose region holds its rows, whatever default village the uploader chose; a contact change from one
village's list is decided only where the worker lives; "is this NIK registered anywhere?" gets a neutral
answer outside the worker's region and the case waits for the branch. Each case failed before the fix."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client

from jaring.core.errors import Conflict, Deferred, NotFound
from jaring.core.factories import make_user, make_viewer
from jaring.core.models import AuditEvent
from jaring.core.rules import Role
from jaring.core.selectors import SYSTEM
from jaring.imports import services
from jaring.imports.models import ImportBatch
from jaring.imports.selectors import batch_get, batch_rejected_xlsx
from jaring.imports.tests.files import csv_bytes, row_of
from jaring.linkage.models import NikConflict
from jaring.registry.factories import OTHER_REGENCY_VILLAGE, VILLAGE, nik_for, worker_cells
from jaring.registry.models import ContactChangeProposal, Worker
from jaring.registry.services import proposal_decide, worker_register

pytestmark = pytest.mark.django_db
TALAGASARI = "36.03.01.2005"  # another village of Kec. Balaraja


def _branch_list(default_village: str) -> ImportBatch:
    """A branch's list for two villages, uploaded with one of them (or a third) as the default village."""
    _, branch = make_viewer(Role.BRANCH, branch_code="KC-TGR-CKP")
    rows = [row_of(worker_cells(full_name="Budi Santoso", village_code=TALAGASARI, nik=nik_for(serial=11))),
            row_of(worker_cells(full_name="Siti Aminah", sex="P", village_code=TALAGASARI, nik=nik_for(sex="P", serial=12),
                                mother_name="Ibu Siti", phone="081234567890")),
            row_of(worker_cells(full_name="", village_code=TALAGASARI, nik=nik_for(serial=13)))]  # fmt: skip
    upload = services.import_upload(stream=io.BytesIO(csv_bytes(rows)), file_name="cabang.csv", source="cabang",
                                    viewer=branch, actor=None, default_village_code=default_village)  # fmt: skip
    return services.import_stage(batch_id=upload.batch.pk)


def test_a_list_is_not_shown_to_the_village_chosen_as_its_default() -> None:
    batch = _branch_list(default_village=VILLAGE)
    assert batch.region_code == TALAGASARI  # the smallest region holding its rows, not the default village
    _, cangkudu = make_viewer(Role.VILLAGE, region_code=VILLAGE)
    with pytest.raises(NotFound):
        batch_get(viewer=cangkudu, batch_id=batch.pk)
    with pytest.raises(NotFound):
        batch_rejected_xlsx(viewer=cangkudu, batch_id=batch.pk)  # mothers' names and phones of rejected rows
    with pytest.raises(NotFound):
        services.import_commit(batch_id=batch.pk, viewer=cangkudu, actor=None)
    assert not Worker.objects.exists()
    _, talagasari = make_viewer(Role.VILLAGE, region_code=TALAGASARI)
    assert batch_get(viewer=talagasari, batch_id=batch.pk).pk == batch.pk  # its rows are all theirs


def test_a_list_over_two_villages_belongs_to_their_district() -> None:
    _, branch = make_viewer(Role.BRANCH, branch_code="KC-TGR-CKP")
    rows = [row_of(worker_cells(village_code=TALAGASARI, nik=nik_for(serial=21))),
            row_of(worker_cells(village_code=VILLAGE, nik=nik_for(serial=22)))]  # fmt: skip
    upload = services.import_upload(stream=io.BytesIO(csv_bytes(rows)), file_name="dua.csv", source="cabang",
                                    viewer=branch, actor=None, default_village_code=VILLAGE)  # fmt: skip
    batch = services.import_stage(batch_id=upload.batch.pk)
    assert batch.region_code == "36.03.01"
    for village in (VILLAGE, TALAGASARI):
        with pytest.raises(NotFound):
            batch_get(viewer=make_viewer(Role.VILLAGE, region_code=village)[1], batch_id=batch.pk)


def test_a_contact_change_is_decided_only_where_the_worker_lives() -> None:
    nik = nik_for(serial=51)
    worker = worker_register(data=worker_cells(village_code=TALAGASARI, phone="081100001111", nik=nik), viewer=SYSTEM,
                             actor=None)  # fmt: skip
    user, cangkudu = make_viewer(Role.VILLAGE, region_code=VILLAGE)
    rows = [
        row_of(worker_cells(nik=nik, village_code=VILLAGE, phone="089900002222"))
    ]  # Cangkudu's list, Talagasari's NIK
    upload = services.import_upload(stream=io.BytesIO(csv_bytes(rows)), file_name="desa.csv", source="desa",
                                    viewer=cangkudu, actor=user)  # fmt: skip
    services.import_stage(batch_id=upload.batch.pk)
    services.import_commit(batch_id=upload.batch.pk, viewer=cangkudu, actor=user)
    proposal = ContactChangeProposal.objects.get(worker=worker, field_name="phone")
    with pytest.raises(NotFound):
        proposal_decide(proposal_id=proposal.pk, accept=True, viewer=cangkudu, actor=None)
    _, talagasari = make_viewer(Role.VILLAGE, region_code=TALAGASARI)
    proposal_decide(proposal_id=proposal.pk, accept=True, viewer=talagasari, actor=None)
    worker.refresh_from_db()
    assert worker.phone == "089900002222"


def test_a_nik_registered_elsewhere_gets_a_neutral_answer_and_waits_for_the_branch() -> None:
    nik = nik_for(serial=31)
    gresik_worker = worker_register(data=worker_cells(village_code=OTHER_REGENCY_VILLAGE, nik=nik), viewer=SYSTEM,
                                    actor=None)  # fmt: skip
    user, cangkudu = make_viewer(Role.VILLAGE, region_code=VILLAGE)
    with pytest.raises(Deferred) as caught:
        worker_register(data=worker_cells(nik=nik, full_name="Orang Lain"), viewer=cangkudu, actor=user)
    assert caught.value.code == "NIK_TO_BE_CHECKED" and caught.value.http_status == 202
    assert "terdaftar" not in caught.value.message  # nothing says the NIK is registered
    assert Worker.objects.count() == 1
    case = NikConflict.objects.get()
    assert (case.worker_id, case.source, case.name_written, case.requested_by_id) == (
        gresik_worker.pk, "form", "Orang Lain", user.pk)  # fmt: skip
    assert AuditEvent.objects.filter(action="worker.nik_check", entity_id=str(gresik_worker.pk)).exists()
    # inside the worker's own region the answer stays plain: that worker is theirs to see
    _, gresik = make_viewer(Role.BRANCH, branch_code="KC-GRS")
    with pytest.raises(Conflict) as plain:
        worker_register(
            data=worker_cells(village_code=OTHER_REGENCY_VILLAGE, nik=nik), viewer=gresik, actor=None
        )
    assert plain.value.code == "NIK_ALREADY_REGISTERED"


def test_the_api_answers_202_and_the_branch_sees_the_case(client: Client) -> None:
    nik = nik_for(serial=41)
    worker_register(data=worker_cells(village_code=OTHER_REGENCY_VILLAGE, nik=nik), viewer=SYSTEM, actor=None)
    client.force_login(make_user(Role.VILLAGE, region_code=VILLAGE))
    body = {k: str(v) for k, v in worker_cells(nik=nik, full_name="Orang Lain").items() if v is not None}
    response = client.post("/api/v1/workers/", json.dumps(body), content_type="application/json")
    assert response.status_code == 202 and response.json()["error"]["code"] == "NIK_TO_BE_CHECKED"
    client.force_login(make_user(Role.BRANCH, branch_code="KC-GRS", username="grs"))
    page = client.get("/duplikat/konflik-nik/").content.decode()
    assert "Orang Lain" in page and "formulir pendaftaran dari luar wilayah" in page
