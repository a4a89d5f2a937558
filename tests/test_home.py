"""Each role's home counts what that role acts on, in its scope (issue #14): every list (the admin's count
stopped at the 10 it shows), a regency's lists, who is covered this month, and the branch's queues."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.test import Client
from django.utils import timezone

from jaring.contributions.factories import member
from jaring.contributions.models import BillLine, Payer
from jaring.contributions.services import billing_run, payment_record
from jaring.core.factories import make_user
from jaring.core.rules import Role
from jaring.core.selectors import SYSTEM
from jaring.core.types import Period
from jaring.imports.models import BatchStatus, ImportBatch
from jaring.registry.factories import OTHER_REGENCY_VILLAGE, VILLAGE

pytestmark = pytest.mark.django_db


def _stat(page: str, name: str) -> str:
    found = re.search(rf'id="home-{name}">([^<]*)<', page)
    assert found, name
    return found.group(1)


def _batches(n: int, region: str, status: str = BatchStatus.COMMITTED) -> None:
    for i in range(n):
        ImportBatch.objects.create(file_name=f"daftar-{region}-{i}.xlsx", file_sha256=hashlib.sha256(f"{region}-{status}-{i}".encode()).hexdigest(),
                                   file_size=1, source="APBD", region_code=region, status=status)  # fmt: skip


def test_the_administrators_home_counts_every_list(client: Client) -> None:
    _batches(12, "36.03")
    client.force_login(make_user(Role.ADMIN))
    assert _stat(client.get("/").content.decode(), "batches") == "12"


def test_a_regency_sees_its_lists_and_who_is_covered_this_month(client: Client) -> None:
    _batches(2, "36.03")
    _batches(3, "35.25")
    covered, _unpaid, _other = member(), member(), member(village=OTHER_REGENCY_VILLAGE)
    period = Period.of(timezone.localdate())
    billing_run(period=period, viewer=SYSTEM, actor=None)
    amount = BillLine.objects.get(worker=covered, period=str(period)).amount
    payment_record(va_number=Payer.objects.get(worker=covered).va_number, amount=amount, paid_at=timezone.now(),
                   reference="R-home", bank="demo", viewer=SYSTEM, actor=None)  # fmt: skip
    client.force_login(make_user(Role.REGION, region_code="36.03"))
    page = client.get("/").content.decode()
    assert (_stat(page, "batches"), _stat(page, "workers"), _stat(page, "covered")) == ("2", "2", "1")
    assert re.search(r"\(50[.,]0%\)", page) and "Kab. Tangerang" in page


def test_the_branch_sees_its_queues(client: Client) -> None:
    _batches(1, VILLAGE, status=BatchStatus.STAGED)
    _batches(1, OTHER_REGENCY_VILLAGE, status=BatchStatus.STAGED)
    client.force_login(make_user(Role.BRANCH, branch_code="KC-TGR-CKP"))
    queues = client.get("/").content.decode().split('id="home-queues"')[1].split("</div>")[0]
    assert "1</b><span>daftar siap dikonfirmasi" in queues
    village = Client()
    village.force_login(make_user(Role.VILLAGE, region_code=OTHER_REGENCY_VILLAGE))
    assert "pasangan data ganda" not in village.get("/").content.decode()  # not the village's queue


def test_a_sponsors_home_shows_its_programs_money_and_claims_paid_to_its_workers(client: Client) -> None:
    """Issue #14: a sponsor's home showed 0 workers. Its programs, committed and used, workers it funds."""
    from jaring.funding.services import allocation_run, program_create, sponsor_create  # noqa: PLC0415

    member(full_name="Sutrisno")
    csr = sponsor_create(
        name="PT Contoh Tbk", payer_type="csr", region_code="36.03", viewer=SYSTEM, actor=None
    )
    program = program_create(sponsor_id=csr.pk, name="CSR Nelayan 2027", budget=1_000_000,
                             first_period=Period(2027, 1), months=12, viewer=SYSTEM, actor=None)  # fmt: skip
    allocation_run(program_ids=[program.pk], viewer=SYSTEM, actor=None)
    program.refresh_from_db()
    client.force_login(make_user(Role.SPONSOR, sponsor_ref=csr.ref))
    page = client.get("/").content.decode()
    assert _stat(page, "workers") == "1" and _stat(page, "funded") == "1"
    assert _stat(page, "budget") == "Rp 1.000.000"
    assert (
        _stat(page, "committed") == "Rp " + f"{program.committed:,}".replace(",", ".") and program.committed
    )
    assert "CSR Nelayan 2027" in page.split('id="home-programs"')[1] and _stat(page, "claims-paid") == "0"
    assert "pekerja yang Anda danai" in page


def test_a_donors_home_lists_its_donations_paid_or_awaiting_payment(client: Client) -> None:
    from jaring.funding.services import sponsor_create  # noqa: PLC0415

    member(poverty_decile="1")
    donor = sponsor_create(name="Ibu Ani", payer_type="donor", viewer=SYSTEM, actor=None)
    client.force_login(make_user(Role.SPONSOR, sponsor_ref=donor.ref))
    client.post("/dana/donasi/", {"workers": "1", "months": "6", "region_code": VILLAGE, "action": "confirm"})
    donations = client.get("/").content.decode().split('id="home-donations"')[1].split("</table>")[0]
    assert "menunggu pembayaran" in donations and "diterima" not in donations


def test_an_agents_home_counts_the_workers_it_signed_up_and_its_collection(client: Client) -> None:
    from jaring.contributions.models import PayerKind  # noqa: PLC0415
    from jaring.contributions.rules import PayerType  # noqa: PLC0415
    from jaring.contributions.services import payer_assign, payer_create  # noqa: PLC0415
    from jaring.core.selectors import viewer_for  # noqa: PLC0415
    from jaring.registry.factories import worker_cells  # noqa: PLC0415
    from jaring.registry.services import worker_register  # noqa: PLC0415

    agent = make_user(Role.AGENT, region_code="36.03.01")
    viewer = viewer_for(agent)
    assert viewer is not None
    signed = [worker_register(data=worker_cells(), viewer=viewer, actor=agent) for _ in range(2)]
    member()  # registered by someone else
    payer = payer_create(kind=PayerKind.AGENT, payer_type=PayerType.MANDIRI, name="Kolektif Agen", agent_id=agent.pk,
                         region_code="36.03.01", actor=None)  # fmt: skip
    payer_assign(payer_id=payer.pk, worker_ids=[w.pk for w in signed], first_period=Period(2026, 11),
                 last_period=None, actor=None)  # fmt: skip
    client.force_login(agent)
    page = client.get("/").content.decode()
    assert _stat(page, "registered") == "2" and _stat(page, "collection-workers") == "2"
    assert payer.va_number in page


def test_a_village_sees_who_holds_a_card_but_is_not_covered_this_month(client: Client) -> None:
    covered, _late = member(), member()
    period = Period.of(timezone.localdate())
    billing_run(period=period, viewer=SYSTEM, actor=None)
    amount = BillLine.objects.get(worker=covered, period=str(period)).amount
    payment_record(va_number=Payer.objects.get(worker=covered).va_number, amount=amount, paid_at=timezone.now(),
                   reference="R-v", bank="demo", viewer=SYSTEM, actor=None)  # fmt: skip
    client.force_login(make_user(Role.VILLAGE, region_code=VILLAGE))
    page = client.get("/").content.decode()
    assert (_stat(page, "covered"), _stat(page, "not-covered")) == ("1", "1")


def test_long_work_is_found_again_on_the_page_of_ones_own_background_work(
    client: Client, settings, jobs
) -> None:
    """Issue #14: a billing run started from the page can be left and found again, with its status; another
    user's work is not listed."""
    from django.urls import reverse  # noqa: PLC0415
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415

    member()
    clerk, other = (
        make_user(Role.BRANCH, branch_code="KC-TGR-CKP"),
        make_user(Role.BRANCH, branch_code="KC-TGR-CKP"),
    )
    client.force_login(clerk)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # queued, as in production
    with jobs():
        client.post(reverse("contributions:bill_list"), {"period": "2026-11"})
    assert DBTaskResult.objects.count() == 1
    page = client.get(reverse("jobs")).content.decode()
    listed = page.split('id="job-list"')[1].split("</table>")[0]
    assert "Penagihan bulan 2026-11" in listed and "Menunggu giliran" in listed
    assert 'hx-trigger="every 2s"' in page  # refreshes itself while it waits or runs
    viewer = Client()
    viewer.force_login(other)
    assert "Penagihan bulan 2026-11" not in viewer.get(reverse("jobs")).content.decode()
    DBTaskResult.objects.update(status="SUCCESSFUL", finished_at=timezone.now())
    done = client.get(reverse("jobs")).content.decode()
    assert "Selesai" in done.split('id="job-list"')[1] and 'hx-trigger="every 2s"' not in done
