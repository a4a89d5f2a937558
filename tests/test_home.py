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
