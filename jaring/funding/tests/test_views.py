"""Funding pages: success, bad input and permission for each."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jaring.contributions.factories import member
from jaring.core.factories import make_user
from jaring.core.rules import Role
from jaring.core.selectors import SYSTEM
from jaring.core.types import Period
from jaring.funding.models import Allocation, Program, Sponsor
from jaring.funding.services import allocation_run, program_create, sponsor_create

pytestmark = pytest.mark.django_db


def _sponsor(
    payer_type: str = "apbd_kabkota", region: str = "36.03", name: str = "Pemkab Tangerang"
) -> Sponsor:
    return sponsor_create(name=name, payer_type=payer_type, region_code=region, viewer=SYSTEM, actor=None)


def _program(sponsor: Sponsor, budget: int = 10_000_000) -> Program:
    return program_create(sponsor_id=sponsor.pk, name="APBD 2027", budget=budget, first_period=Period(2027, 1),
                          months=12, viewer=SYSTEM, actor=None)  # fmt: skip


@pytest.fixture
def officer(client: Client) -> Client:
    """A regency budget officer of Kab. Tangerang."""
    client.force_login(make_user(Role.REGION, region_code="36.03"))
    return client


@pytest.fixture
def agent(client: Client) -> Client:
    client.force_login(make_user(Role.AGENT, region_code="36.03.01"))
    return client


def test_officer_creates_a_program_runs_a_dry_run_then_allocates(officer: Client) -> None:
    member(poverty_decile="1")
    sponsor = _sponsor()
    response = officer.post(reverse("funding:program_create"), {
        "sponsor": sponsor.pk, "name": "APBD 2027", "budget": "10.000.000", "first_period": "2027-01", "months": "12",
        "frequency": "1", "priority": "poorest", "occupations": ["petani"],
    })  # fmt: skip
    program = Program.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/dana/program/{program.pk}/")
    assert program.occupations == "petani" and program.budget == 10_000_000
    url = reverse("funding:program_allocate", args=[program.pk])
    officer.post(url, {"dry_run": "on"})
    assert not Allocation.objects.exists()
    page = officer.post(url, follow=True)
    assert Allocation.objects.count() == 1
    html = page.content.decode()
    assert "Alokasi selesai: 1 pekerja didanai" in html and "201.600" in html
    assert page.context["workers"][0].nik.count("*") == 8  # a budget officer sees NIKs masked
    again = officer.post(url, follow=True).content.decode()  # nobody new: the page says why, not a silent 0
    assert 'id="nobody-funded"' in again and "ALREADY_FUNDED" in again


def test_program_form_rejects_bad_input_and_keeps_nothing(officer: Client) -> None:
    sponsor = _sponsor()
    response = officer.post(reverse("funding:program_create"), {
        "sponsor": sponsor.pk, "name": "X", "budget": "banyak", "first_period": "2027-01", "months": "12",
    })  # fmt: skip
    assert response.status_code == 400 and "BUDGET_INVALID" in response.content.decode()
    response = officer.post(reverse("funding:program_create"), {
        "sponsor": sponsor.pk, "name": "X", "budget": "1000", "first_period": "2027-13", "months": "12",
    })  # fmt: skip
    assert response.status_code == 400 and "PERIOD_INVALID" in response.content.decode()
    assert not Program.objects.exists()


def test_agent_may_not_manage_funding(agent: Client) -> None:
    program = _program(_sponsor())
    assert agent.get(reverse("funding:program_create")).status_code == 403
    assert agent.post(reverse("funding:program_allocate", args=[program.pk])).status_code == 403
    assert agent.get(reverse("funding:donation")).status_code == 403
    assert agent.post(reverse("funding:sponsor_list"), {"name": "x", "payer_type": "csr"}).status_code == 403


def test_other_regions_program_is_not_found(client: Client) -> None:
    program = _program(_sponsor())
    client.force_login(make_user(Role.REGION, region_code="35.25"))
    assert client.get(reverse("funding:program_detail", args=[program.pk])).status_code == 404
    assert client.post(reverse("funding:program_allocate", args=[program.pk])).status_code == 404
    assert "APBD 2027" not in client.get(reverse("funding:program_list")).content.decode()


def test_sponsor_page_registers_and_refuses(officer: Client) -> None:
    response = officer.post(reverse("funding:sponsor_list"), {
        "name": "Desa Cangkudu", "payer_type": "apbdes", "kind": "government", "region_code": "36.03.01.2003",
    })  # fmt: skip
    assert response.status_code == 302 and Sponsor.objects.get().ref == "desa-cangkudu"
    response = officer.post(reverse("funding:sponsor_list"), {
        "name": "Pemkab Gresik", "payer_type": "apbd_kabkota", "region_code": "35.25",
    })  # fmt: skip
    assert response.status_code == 403 and "REGION_NOT_ALLOWED" in response.content.decode()
    assert Sponsor.objects.count() == 1


def test_donor_previews_then_confirms_and_gets_the_receipt(client: Client) -> None:
    member(poverty_decile="1", full_name="Siti Aminah")
    donor = _sponsor("donor", "", "Ibu Ani")
    client.force_login(make_user(Role.SPONSOR, sponsor_ref=donor.ref))
    form = {"workers": "1", "months": "12", "region_code": "36.03.01.2003", "occupation": "", "ecosystem": ""}
    preview = client.post(reverse("funding:donation"), {**form, "action": "preview"})
    assert preview.status_code == 200 and "S*** A*****" in preview.content.decode()
    assert not Program.objects.exists()
    done = client.post(reverse("funding:donation"), {**form, "action": "confirm"})
    program = Program.objects.get()
    assert done.status_code == 302 and done["Location"].endswith(f"/dana/donasi/{program.pk}/")
    receipt = client.get(done["Location"])
    assert receipt.status_code == 200 and "Siti Aminah" not in receipt.content.decode()
    pdf = client.get(done["Location"] + "?format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_donation_with_bad_numbers_is_refused(client: Client) -> None:
    donor = _sponsor("donor", "", "Ibu Ani")
    client.force_login(make_user(Role.SPONSOR, sponsor_ref=donor.ref))
    response = client.post(reverse("funding:donation"), {"workers": "0", "months": "12", "action": "confirm"})
    assert response.status_code == 400 and "WORKERS_INVALID" in response.content.decode()
    response = client.post(reverse("funding:donation"), {"workers": "3", "months": "7", "action": "confirm"})
    assert response.status_code == 400 and "MONTHS_INVALID" in response.content.decode()


def test_planner_answers_both_questions(officer: Client) -> None:
    page = officer.get(reverse("funding:plan"), {"payer_type": "apbd_kabkota", "workers": "86000", "months": "12",
                                                  "first_period": "2027-01", "budget": "1000000000"})  # fmt: skip
    assert page.status_code == 200
    plan = page.context["plan"]
    assert (plan.cost_per_worker, plan.total, plan.workers_covered) == (201_600, 86_000 * 201_600, 4960)
    bad = officer.get(reverse("funding:plan"), {"payer_type": "pemda", "workers": "1", "months": "12"})
    assert bad.status_code == 400 and "PAYER_TYPE_UNKNOWN" in bad.content.decode()


def test_ending_and_overlap_pages(officer: Client) -> None:
    member()
    program = program_create(sponsor_id=_sponsor().pk, name="APBD", budget=1_000_000,
                             first_period=Period(2026, 11), months=2, viewer=SYSTEM, actor=None)  # fmt: skip
    allocation_run(program_ids=[program.pk], viewer=SYSTEM, actor=None)
    page = officer.get(reverse("funding:ending"))
    assert page.status_code == 200 and len(page.context["r"].rows) == 1
    xlsx = officer.get(reverse("funding:ending") + "?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert officer.get(reverse("funding:overlap")).status_code == 200


def test_pages_need_a_login(client: Client) -> None:
    for name in (
        "funding:program_list",
        "funding:plan",
        "funding:ending",
        "funding:overlap",
        "funding:donation",
    ):
        assert client.get(reverse(name)).status_code == 302


def test_a_sponsor_opens_the_workers_it_funds_and_no_others(client: Client) -> None:
    """Issue #14: every name on a CSR's own bill was a 404. It opens the workers it funds, masked; never others."""
    csr = _sponsor(payer_type="csr", region="36.03", name="PT Contoh Tbk")
    funded, unfunded = member(full_name="Sutrisno Wibowo"), member()
    program = _program(csr)
    allocation_run(program_ids=[program.pk], viewer=SYSTEM, actor=None)
    assert Allocation.objects.filter(worker=funded).exists()
    Allocation.objects.filter(worker=unfunded).delete()  # one funded, one not: the program had room for both
    from jaring.contributions.models import PayerAssignment  # noqa: PLC0415

    PayerAssignment.objects.filter(worker=unfunded).exclude(payer__worker=unfunded).delete()
    client.force_login(make_user(Role.SPONSOR, sponsor_ref=csr.ref))
    page = client.get(reverse("registry:worker_detail", args=[funded.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Sutrisno Wibowo" in html and (funded.nik or "") not in html  # the name, the NIK masked
    assert client.get(reverse("registry:worker_detail", args=[unfunded.pk])).status_code == 404
    assert client.get(reverse("contributions:coverage", args=[funded.pk])).status_code == 200
    listed = client.post(reverse("registry:worker_list"), {"q": ""}).content.decode()
    assert "Sutrisno Wibowo" in listed
    assert client.get(f"/api/v1/workers/{unfunded.pk}").status_code == 404


def test_a_dry_run_shows_whom_it_would_fund_and_why_not_the_others_and_keeps_nothing(officer: Client) -> None:
    """Issue #14: a dry run shows whom it would fund and why the others not, before anyone commits."""
    member(full_name="Sutrisno Wibowo", occupation="Petani")
    member(full_name="Paijo Nelayan", occupation="Nelayan")
    sponsor = _sponsor()
    program = program_create(sponsor_id=sponsor.pk, name="APBD petani", budget=10_000_000,
                             first_period=Period(2027, 1), months=12, occupations=["petani"], viewer=SYSTEM,
                             actor=None)  # fmt: skip
    page = officer.post(reverse("funding:program_allocate", args=[program.pk]), {"dry_run": "on"})
    assert page.status_code == 200 and not Allocation.objects.exists()
    html = page.content.decode()
    funded = html[html.index('id="preview-funded"') : html.index('id="preview-waiting"')]
    excluded = html[html.index('id="preview-excluded"') :]
    assert "Sutrisno Wibowo" in funded and "Paijo Nelayan" not in funded
    assert "Paijo Nelayan" in excluded and "Pekerjaan tidak termasuk sasaran program" in excluded
    assert page.context["preview"].funded[0].nik.count("*") == 8  # masked for a budget officer
    assert 'id="commit"' in html  # the same page commits
    committed = officer.post(reverse("funding:program_allocate", args=[program.pk]), follow=True)
    assert (
        Allocation.objects.count() == 1 and "Alokasi selesai: 1 pekerja didanai" in committed.content.decode()
    )


def test_a_dry_run_is_refused_to_a_role_that_may_not_allocate(agent: Client) -> None:
    program = _program(_sponsor())
    assert (
        agent.post(reverse("funding:program_allocate", args=[program.pk]), {"dry_run": "on"}).status_code
        == 403
    )


def test_a_donor_holds_an_invoice_until_the_money_arrives_then_a_receipt(client: Client) -> None:
    """Issue #14: a "tanda terima" was issued before any payment. Before: an invoice with the virtual account;
    after the transfer is matched: the receipt, with what arrived and when."""
    import io  # noqa: PLC0415

    from django.utils import timezone  # noqa: PLC0415
    from pypdf import PdfReader  # noqa: PLC0415

    from jaring.contributions.services import payment_record  # noqa: PLC0415

    member(poverty_decile="1")
    donor = sponsor_create(name="Ibu Ani", payer_type="donor", viewer=SYSTEM, actor=None)
    client.force_login(make_user(Role.SPONSOR, sponsor_ref=donor.ref))
    client.post(reverse("funding:donation"), {"workers": "1", "months": "6", "region_code": "36.03.01.2003",
                                              "action": "confirm"})  # fmt: skip
    program = Program.objects.select_related("payer").get()
    url = reverse("funding:donation_receipt", args=[program.pk])
    html = client.get(url).content.decode()
    assert "Tagihan donasi" in html and 'id="awaiting-payment"' in html and program.payer.va_number in html
    pdf = client.get(url + "?format=pdf")
    assert pdf["Content-Disposition"].endswith(f'tagihan-donasi-{program.pk}.pdf"')
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Tagihan Donasi" in text and "Tanda Terima" not in text and "bukan tanda terima" in text
    payment_record(va_number=program.payer.va_number, amount=program.committed, paid_at=timezone.now(),
                   reference="DON-1", bank="bri", viewer=SYSTEM, actor=None)  # fmt: skip
    html = client.get(url).content.decode()
    assert "Tanda terima donasi" in html and 'id="awaiting-payment"' not in html
    pdf = client.get(url + "?format=pdf")
    assert pdf["Content-Disposition"].endswith(f'tanda-terima-donasi-{program.pk}.pdf"')
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Tanda Terima Donasi" in text and "Telah diterima" in text and "BPJS Ketenagakerjaan" in text
