"""Worker pages: success, bad input, permission; NIKs travel only in POST bodies."""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from jaring.core.factories import make_user
from jaring.core.logs import NoQueryStrings
from jaring.core.rules import Role
from jaring.imports.models import ImportBatch
from jaring.registry.factories import OTHER_REGENCY_VILLAGE, nik_for
from jaring.registry.models import ContactChangeProposal, Worker
from jaring.registry.tests.helpers import add_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(client: Client) -> Client:
    client.force_login(make_user(Role.BRANCH, branch_code="KC-TGR-CKP"))
    return client


def test_list_shows_workers_in_scope_only(clerk: Client) -> None:
    add_worker(full_name="Budi Tangerang")
    add_worker(full_name="Joko Gresik", village_code=OTHER_REGENCY_VILLAGE, nik=nik_for(district="352501"))
    html = clerk.get("/pekerja/").content.decode()
    assert "Budi Tangerang" in html and "Joko Gresik" not in html


def test_search_by_nik_is_a_post_and_returns_the_partial(clerk: Client) -> None:
    worker = add_worker(full_name="Budi Santoso")
    add_worker(full_name="Lain")
    response = clerk.post("/pekerja/", {"q": worker.nik}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200 and "Budi Santoso" in body and "Lain" not in body
    assert "<html" not in body  # a fragment for htmx


def test_a_nik_in_the_url_is_not_searched_and_never_logged(clerk: Client) -> None:
    """Issue #13: GET /pekerja/?q=<NIK> ran, and the access log printed the NIK."""
    worker = add_worker(full_name="Budi Santoso")
    nik = worker.nik or ""
    add_worker(full_name="Lain")
    html = clerk.get("/pekerja/", {"q": nik}).content.decode()
    assert "NIK_IN_URL" in html and "Lain" in html  # not searched: the whole list, with the reason
    assert clerk.get("/pekerja/", {"q": "Budi"}).status_code == 200  # names may still travel in a link
    record = logging.LogRecord("django.server", logging.WARNING, __file__, 1, '"%s" %s %s',
                               (f"GET /pekerja/?q={nik} HTTP/1.1", "404", "12"), None)  # fmt: skip
    NoQueryStrings().filter(record)
    assert nik not in record.getMessage() and "/pekerja/?…" in record.getMessage()


def test_pages_and_exports_with_personal_data_are_not_stored(clerk: Client) -> None:
    worker = add_worker(full_name="Budi Santoso")
    for url in (f"/pekerja/{worker.pk}/", "/pekerja/", "/impor/templat.xlsx"):
        response = clerk.get(url)
        assert response.status_code == 200 and "no-store" in response["Cache-Control"], url
    assert "no-store" in clerk.get(f"/api/v1/workers/{worker.pk}")["Cache-Control"]


def test_bad_filter_values_are_ignored_not_errors(clerk: Client) -> None:
    add_worker(full_name="Budi")
    response = clerk.get("/pekerja/", {"region": "'; drop table", "occupation": "x" * 500})
    assert response.status_code == 200


def test_detail_and_out_of_scope(clerk: Client) -> None:
    worker = add_worker(full_name="Budi Santoso")
    other = add_worker(full_name="Joko", village_code=OTHER_REGENCY_VILLAGE, nik=nik_for(district="352501"))
    assert "Budi Santoso" in clerk.get(f"/pekerja/{worker.pk}/").content.decode()
    assert clerk.get(f"/pekerja/{other.pk}/").status_code == 404
    assert clerk.get("/pekerja/999999/").status_code == 404


def test_region_officer_sees_masked_nik(client: Client) -> None:
    worker = add_worker()
    client.force_login(make_user(Role.REGION, region_code="36.03"))
    html = client.get(f"/pekerja/{worker.pk}/").content.decode()
    nik = str(worker.nik)
    assert nik not in html and nik[:6] + "********" in html


def test_anonymous_goes_to_login_and_roleless_is_refused(client: Client) -> None:
    assert client.get("/pekerja/").status_code == 302
    client.force_login(get_user_model().objects.create_user(username="tamu", password="x-123456789"))
    assert client.get("/pekerja/").status_code == 403


def _proposal() -> ContactChangeProposal:
    worker = add_worker(phone="081111111111")
    batch = ImportBatch.objects.create(file_name="x.xlsx", file_sha256="a" * 64, file_size=1, source="x")
    return ContactChangeProposal.objects.create(worker=worker, field_name="phone", current_value="081111111111",
                                                proposed_value="082222222222", batch=batch)  # fmt: skip


def test_accepting_a_proposal_changes_the_record(clerk: Client) -> None:
    p = _proposal()
    response = clerk.post(f"/pekerja/{p.worker_id}/usulan/{p.pk}/", {"decision": "accept"})
    assert response.status_code == 302
    assert Worker.objects.get(pk=p.worker_id).phone == "082222222222"
    p.refresh_from_db()
    assert p.status == "accepted"


def test_proposal_decisions_need_the_right_role(client: Client) -> None:
    p = _proposal()
    client.force_login(make_user(Role.REGION, region_code="36.03"))
    response = client.post(f"/pekerja/{p.worker_id}/usulan/{p.pk}/", {"decision": "accept"})
    assert response.status_code == 403
    p.refresh_from_db()
    assert p.status == "open"


def test_proposal_decision_is_post_only(clerk: Client) -> None:
    p = _proposal()
    assert clerk.get(f"/pekerja/{p.worker_id}/usulan/{p.pk}/").status_code == 405


def test_odd_cursor_values_are_ignored(clerk: Client) -> None:
    add_worker(full_name="Budi")
    assert (
        clerk.post("/pekerja/", {"after": "²", "q": "Budi"}, headers={"HX-Request": "true"}).status_code
        == 200
    )


def test_an_agent_registers_a_worker_in_the_field(client: Client) -> None:
    client.force_login(make_user(Role.AGENT, region_code="36.03.01"))
    assert "Daftarkan pekerja" in client.get("/pekerja/").content.decode()
    nik = nik_for()
    form = {"nik": nik, "full_name": "Rudi Hartono", "birth_date": "12-04-1985", "village_code": "36.03.01.2003",
            "occupation": "Pengemudi Ojek / Ojol", "income": "1000000"}  # fmt: skip
    response = client.post("/pekerja/baru/", form)
    worker = Worker.objects.get(nik=nik)
    assert response.status_code == 302 and response["Location"] == f"/pekerja/{worker.pk}/"
    assert (worker.sex, worker.sector, worker.created_by_id is not None) == ("L", "transport", True)
    assert nik not in response["Location"]


def test_registration_form_errors_and_permissions(client: Client) -> None:
    client.force_login(make_user(Role.AGENT, region_code="36.03.01"))
    bad = client.post("/pekerja/baru/", {"nik": "123", "full_name": "Rudi", "village_code": "36.03.01.2003"})
    assert (
        bad.status_code == 400
        and "NIK harus 16 digit" in bad.content.decode()
        and "NIK_LENGTH" in bad.content.decode()
    )
    outside = client.post("/pekerja/baru/", {"nik": nik_for(district="352501"), "full_name": "Joko", "birth_date": "12-04-1985",
                                              "village_code": OTHER_REGENCY_VILLAGE})  # fmt: skip
    assert outside.status_code == 403 and Worker.objects.count() == 0
    client.force_login(make_user(Role.REGION, region_code="36.03"))
    assert client.get("/pekerja/baru/").status_code == 403
    assert "Daftarkan pekerja" not in client.get("/pekerja/").content.decode()


def test_proposed_contact_details_are_not_shown_to_a_region_officer(client: Client) -> None:
    p = _proposal()
    client.force_login(make_user(Role.REGION, region_code="36.03"))
    html = client.get(f"/pekerja/{p.worker_id}/").content.decode()
    assert "082222222222" not in html and "081111111111" not in html  # the phone is masked, proposals hidden
