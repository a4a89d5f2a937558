"""Claim pages: success, bad input and permission for each; documents only for those who handle claims; the
status lookup needs the claim number and the NIK, posted."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jaring.claims.factories import covered_member, pdf_bytes
from jaring.claims.models import Claim, ClaimDocument, ClaimStatus
from jaring.contributions.factories import member
from jaring.core.factories import make_user
from jaring.core.rules import Role
from jaring.registry.models import Worker

pytestmark = pytest.mark.django_db
PDF = pdf_bytes("ktp")


@pytest.fixture(autouse=True)
def _claims_dir(tmp_path, settings) -> None:
    settings.JARING = {**settings.JARING, "CLAIMS_DIR": tmp_path / "claims"}


def _covered() -> Worker:
    return covered_member()


@pytest.fixture
def village(client: Client) -> Client:
    client.force_login(make_user(Role.VILLAGE, region_code="36.03.01.2003"))
    return client


def test_village_reports_a_claim_and_uploads_a_document(village: Client) -> None:
    worker = _covered()
    response = village.post(reverse("claims:claim_file"), {"nik": worker.nik, "claim_type": "jkm",
                                                           "event_date": "2026-10-20"})  # fmt: skip
    claim = Claim.objects.get()
    assert response.status_code == 302 and claim.status == ClaimStatus.REPORTED and claim.total == 42_000_000
    page = village.get(reverse("claims:claim_detail", args=[claim.pk]))
    assert page.status_code == 200 and "Rp 42.000.000" in page.content.decode()
    village.post(reverse("claims:claim_document", args=[claim.pk]),
                 {"doc_type": "id_card", "file": SimpleUploadedFile("ktp.pdf", PDF, "application/pdf")})  # fmt: skip
    document = ClaimDocument.objects.get()
    # A village officer reports; documents are opened only by those who handle claims.
    assert village.get(reverse("claims:document_download", args=[document.pk])).status_code == 403
    assert village.post(reverse("claims:claim_step", args=[claim.pk])).status_code == 403


def test_bad_claim_input_is_refused_and_nothing_recorded(village: Client) -> None:
    worker = _covered()
    response = village.post(reverse("claims:claim_file"), {"nik": worker.nik, "claim_type": "jkk_stmb",
                                                           "event_date": "2026-10-20"})  # fmt: skip
    assert response.status_code == 400 and "DAYS_MISSING" in response.content.decode()
    response = village.post(
        reverse("claims:claim_file"), {"nik": worker.nik, "claim_type": "jkm", "event_date": "x"}
    )
    assert response.status_code == 400 and "CLAIM_INPUT_INVALID" in response.content.decode()
    assert not Claim.objects.exists()


def test_branch_takes_the_steps_with_four_eyes(client: Client) -> None:
    worker = _covered()
    a, b = make_user(Role.BRANCH, branch_code="KC-TGR-CKP"), make_user(Role.BRANCH, branch_code="KC-TGR-CKP")
    client.force_login(a)
    client.post(
        reverse("claims:claim_file"), {"nik": worker.nik, "claim_type": "jkm", "event_date": "2026-10-20"}
    )
    claim = Claim.objects.get()
    step = reverse("claims:claim_step", args=[claim.pk])
    page = client.post(step, follow=True)
    assert "DOCUMENTS_MISSING" in page.content.decode()
    for doc_type in ("death_certificate", "id_card", "family_card"):
        client.post(reverse("claims:claim_document", args=[claim.pk]),
                    {"doc_type": doc_type, "file": SimpleUploadedFile(f"{doc_type}.pdf", PDF)})  # fmt: skip
    bad = client.post(reverse("claims:claim_document", args=[claim.pk]),
                      {"doc_type": "other", "file": SimpleUploadedFile("virus.exe", b"MZ\x90\x00")}, follow=True)  # fmt: skip
    assert "FILE_TYPE_NOT_ALLOWED" in bad.content.decode() and ClaimDocument.objects.count() == 3
    document = ClaimDocument.objects.first()
    assert document is not None
    download = client.get(reverse("claims:document_download", args=[document.pk]))
    assert download.status_code == 200 and download.content == PDF
    client.post(step)  # documents complete
    client.post(step)  # verified by a
    detail = client.get(reverse("claims:claim_detail", args=[claim.pk])).content.decode()
    assert 'id="four-eyes"' in detail and ">Setujui</button>" not in detail  # not offered to the verifier
    refused = client.post(step, follow=True)  # and refused if posted all the same
    assert "FOUR_EYES" in refused.content.decode()
    client.force_login(b)
    assert ">Setujui</button>" in client.get(reverse("claims:claim_detail", args=[claim.pk])).content.decode()
    client.post(step)  # approved by b
    client.post(
        step, {"beneficiary_name": "Siti", "bank": "BRI", "account_number": "0123", "payment_reference": "T1"}
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAID and claim.verified_by_id == a.pk and claim.approved_by_id == b.pk
    # Issue #14: every step with who took it and when, oldest first
    html = client.get(reverse("claims:claim_detail", args=[claim.pk])).content.decode()
    steps = html[html.index('id="steps"') : html.index("</ol>", html.index('id="steps"'))]
    order = [
        "Klaim dilaporkan",
        "Dokumen klaim lengkap",
        "Klaim diverifikasi",
        "Klaim disetujui",
        "Klaim dibayar",
    ]
    assert [steps.index(label) for label in order] == sorted(steps.index(label) for label in order)
    verified = steps[steps.index("Klaim diverifikasi") :].split("</li>")[0]
    approved = steps[steps.index("Klaim disetujui") :].split("</li>")[0]
    assert a.get_username() in verified and b.get_username() in approved


def test_other_regions_and_roles(client: Client) -> None:
    worker = _covered()
    client.force_login(make_user(Role.BRANCH, branch_code="KC-TGR-CKP"))
    client.post(
        reverse("claims:claim_file"), {"nik": worker.nik, "claim_type": "jkm", "event_date": "2026-10-20"}
    )
    claim = Claim.objects.get()
    client.force_login(make_user(Role.VILLAGE, region_code="35.25.01.2001"))  # another regency's village
    assert client.get(reverse("claims:claim_detail", args=[claim.pk])).status_code == 404
    client.force_login(make_user(Role.REGION, region_code="36.03"))  # budget officers do not handle claims
    assert client.get(reverse("claims:claim_detail", args=[claim.pk])).status_code == 403
    client.force_login(make_user(Role.SPONSOR))
    assert client.get(reverse("claims:claim_list")).status_code == 403


def test_status_lookup_needs_number_and_nik(client: Client) -> None:
    worker = _covered()
    client.force_login(make_user(Role.BRANCH, branch_code="KC-TGR-CKP"))
    client.post(
        reverse("claims:claim_file"), {"nik": worker.nik, "claim_type": "jkm", "event_date": "2026-10-20"}
    )
    claim = Claim.objects.get()
    client.logout()
    found = client.post(reverse("claims:status"), {"number": claim.number.lower(), "nik": worker.nik})
    assert found.status_code == 200 and "Dilaporkan" in found.content.decode()
    wrong = client.post(reverse("claims:status"), {"number": claim.number, "nik": "3603011204850099"})
    assert wrong.status_code == 404 and claim.number not in wrong.content.decode()


def test_worker_page_lists_the_workers_claims(village: Client) -> None:
    worker = _covered()
    village.post(
        reverse("claims:claim_file"), {"nik": worker.nik, "claim_type": "jkm", "event_date": "2026-10-20"}
    )
    part = village.get(reverse("claims:worker_claims", args=[worker.pk]))
    assert part.status_code == 200 and Claim.objects.get().number in part.content.decode()
    other = member(full_name="Tanpa Klaim")
    assert "Belum ada klaim" in village.get(reverse("claims:worker_claims", args=[other.pk])).content.decode()


def test_worker_claims_part_is_empty_for_roles_without_claims(client: Client) -> None:
    worker = _covered()
    client.force_login(make_user(Role.REGION, region_code="36.03"))
    part = client.get(reverse("claims:worker_claims", args=[worker.pk]))
    assert part.status_code == 200 and part.content == b""


def test_scholarship_from_the_parent_claims_page(village: Client) -> None:
    worker = _covered()
    village.post(
        reverse("claims:claim_file"), {"nik": worker.nik, "claim_type": "jkm", "event_date": "2026-10-20"}
    )
    parent = Claim.objects.get()
    url = reverse("claims:scholarship_file", args=[parent.pk])
    response = village.post(url, {"child_name": "Rina", "child_birth_date": "2015-03-01", "child_order": "1",
                                  "level": "sd", "school_year": "2026"})  # fmt: skip
    child = Claim.objects.exclude(pk=parent.pk).get()
    assert response.status_code == 302 and child.parent_id == parent.pk
    assert child.reject_code == "scholarship_needs_36_paid_months"  # one paid month, JKM needs 36
    page = village.get(reverse("claims:claim_detail", args=[parent.pk]))
    assert child.number in page.content.decode()
    bad = village.post(url, {"child_name": "Rina", "child_birth_date": "kemarin", "level": "sd"}, follow=True)
    assert "SCHOLARSHIP_INPUT_INVALID" in bad.content.decode() and Claim.objects.count() == 2


def test_scholarship_not_for_other_roles(client: Client) -> None:
    worker = _covered()
    client.force_login(make_user(Role.BRANCH, branch_code="KC-TGR-CKP"))
    client.post(
        reverse("claims:claim_file"), {"nik": worker.nik, "claim_type": "jkm", "event_date": "2026-10-20"}
    )
    parent = Claim.objects.get()
    client.force_login(make_user(Role.SPONSOR))
    response = client.post(reverse("claims:scholarship_file", args=[parent.pk]),
                           {"child_name": "Rina", "child_birth_date": "2015-03-01", "child_order": "1", "level": "sd"})  # fmt: skip
    assert response.status_code == 403 and Claim.objects.count() == 1


def test_partial_disability_from_the_table_on_the_report_form(village: Client) -> None:
    worker = _covered()
    page = village.get(reverse("claims:claim_list")).content.decode()
    assert "Ibu jari tangan kanan (15 %)" in page  # the table offered as a choice
    response = village.post(reverse("claims:claim_file"), {
        "nik": worker.nik, "claim_type": "jkk_partial_disability", "event_date": "2026-10-20",
        "part": ["ibu_jari_kanan", "telunjuk_kanan"], "part_function": ["", "50"],
    })  # fmt: skip
    claim = Claim.objects.get()
    assert response.status_code == 302 and claim.total == 12_000_000 + 3_600_000
    assert claim.injuries == [{"code": "ibu_jari_kanan", "function_lost": "100"},
                              {"code": "telunjuk_kanan", "function_lost": "50"}]  # fmt: skip
    detail = village.get(reverse("claims:claim_detail", args=[claim.pk])).content.decode()
    assert "PP 82/2019 Lampiran III tabel cacat tetap sebagian anatomis (PP 44/2015 no. 15)" in detail


def test_partial_disability_bad_part_is_refused(village: Client) -> None:
    worker = _covered()
    response = village.post(reverse("claims:claim_file"), {
        "nik": worker.nik, "claim_type": "jkk_partial_disability", "event_date": "2026-10-20",
        "part": ["ibu_jari_kanan"], "part_function": ["separuh"],
    })  # fmt: skip
    assert response.status_code == 400 and "PART_FUNCTION_INVALID" in response.content.decode()
    assert 'value="separuh"' in response.content.decode()  # what was typed stays in the form
    response = village.post(reverse("claims:claim_file"), {
        "nik": worker.nik, "claim_type": "jkk_partial_disability", "event_date": "2026-10-20",
    })  # fmt: skip
    assert response.status_code == 400 and "PART_MISSING" in response.content.decode()
    assert not Claim.objects.exists()


def test_the_public_status_lookup_is_rate_limited_per_address(settings: Any) -> None:
    """Issue #13: the lookup by claim number and NIK is public; an address may try it a bounded number of times."""
    settings.JARING = {**settings.JARING, "PUBLIC_LOOKUPS_PER_HOUR": 3}
    prober, neighbour = Client(REMOTE_ADDR="203.0.113.9"), Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(3):
        assert (
            prober.post(reverse("claims:status"), {"number": "KLM-2026-000001", "nik": "1"}).status_code
            == 404
        )
    refused = prober.post(reverse("claims:status"), {"number": "KLM-2026-000001", "nik": "1"})
    assert refused.status_code == 429 and "RATE_LIMITED" in refused.content.decode()
    assert (
        neighbour.post(reverse("claims:status"), {"number": "KLM-2026-000001", "nik": "1"}).status_code == 404
    )


def test_a_village_operator_reports_but_is_never_offered_a_decision(village: Client) -> None:
    """Issue #14: the approve button only for someone who may approve; the reporter sees the steps."""
    worker = _covered()
    village.post(
        reverse("claims:claim_file"), {"nik": worker.nik, "claim_type": "jkm", "event_date": "2026-10-20"}
    )
    claim = Claim.objects.get()
    html = village.get(reverse("claims:claim_detail", args=[claim.pk])).content.decode()
    assert "Klaim dilaporkan" in html and 'id="steps"' in html
    assert "claim_step" not in html and reverse("claims:claim_step", args=[claim.pk]) not in html
    assert ">Setujui</button>" not in html and "Tolak klaim" not in html
    assert village.post(reverse("claims:claim_step", args=[claim.pk])).status_code == 403


def test_the_report_form_marks_each_field_with_the_claim_types_that_ask_for_it(village: Client) -> None:
    """Issue #14: a form per claim type; jaring.js hides what the chosen type does not ask for (browser test)."""
    html = village.get(reverse("claims:claim_list")).content.decode()
    assert "data-claim-form" in html and "data-claim-type" in html
    assert 'data-for="jkk_home_care jkk_stmb"' in html or 'data-for="jkk_stmb jkk_home_care"' in html
    mode = html[html.index('name="mode"') - 200 : html.index('name="mode"')]
    assert 'data-for="jkk_transport"' in mode
    assert "Darat, sungai atau danau" in html  # transport modes in words
