"""The public check and the membership card (issue #14): a worker or an heir, without an account, asks with NIK
and birth date (or the card's QR) whether the worker is covered this month, until when, and who pays. The name is
masked, a wrong answer looks like an unknown one, the lookups are rate-limited, the NIK never enters a URL."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from jaring.contributions.factories import member
from jaring.contributions.models import BillLine, Payer
from jaring.contributions.selectors import card_token, cards
from jaring.contributions.services import billing_run, payment_record
from jaring.core.factories import make_user
from jaring.core.rules import Role
from jaring.core.selectors import SYSTEM
from jaring.core.types import Period
from jaring.registry.factories import OTHER_REGENCY_VILLAGE, VILLAGE
from jaring.registry.models import Membership, Worker

pytestmark = pytest.mark.django_db


def covered_now(**cells: Any) -> Worker:
    """A member whose current month is billed and paid today."""
    worker = member(**cells)
    period = Period.of(timezone.localdate())
    billing_run(period=period, viewer=SYSTEM, actor=None)
    amount = BillLine.objects.get(worker=worker, period=str(period)).amount
    payment_record(va_number=Payer.objects.get(worker=worker).va_number, amount=amount, paid_at=timezone.now(),
                   reference=f"R-{worker.pk}", bank="demo", viewer=SYSTEM, actor=None)  # fmt: skip
    return worker


def _ask(client: Client, nik: str, birth: str) -> str:
    """The page's answer: its main part, without the form's CSRF token (new on every answer)."""
    page = client.post("/cek/", {"nik": nik, "birth_date": birth}).content.decode()
    main = page.split("<main>")[1].split("</main>")[0]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)


def test_a_covered_worker_is_told_so_with_the_name_masked(client: Client) -> None:
    worker = covered_now(full_name="Sutrisno Wibowo")
    page = _ask(client, worker.nik or "", worker.birth_date.isoformat() if worker.birth_date else "")
    assert 'id="check-covered"' in page and "Terlindungi bulan ini" in page
    assert str(Period.of(timezone.localdate())) in page
    assert "S******* W*****" in page and "Sutrisno" not in page
    assert (worker.nik or "") not in page  # the NIK is not shown back either


def test_a_worker_not_paid_this_month_is_told_so(client: Client) -> None:
    worker = member()
    page = _ask(client, worker.nik or "", worker.birth_date.isoformat() if worker.birth_date else "")
    assert "Belum terlindungi bulan ini" in page


def test_a_wrong_birth_date_looks_exactly_like_an_unknown_nik(client: Client) -> None:
    worker = covered_now()
    wrong_date = _ask(client, worker.nik or "", "1970-01-01")
    unknown = _ask(client, "3603011204850999", "1985-04-12")
    garbage = _ask(client, "not-a-nik", "yesterday")
    assert 'id="check-none"' in wrong_date
    assert wrong_date == unknown == garbage.replace("not-a-nik", "").replace("yesterday", "")


def test_the_check_is_rate_limited_per_address(client: Client, settings: object) -> None:
    for _ in range(20):
        assert client.post("/cek/", {"nik": "1", "birth_date": "2000-01-01"}).status_code == 200
    assert client.post("/cek/", {"nik": "1", "birth_date": "2000-01-01"}).status_code == 429


def test_a_nik_in_the_url_is_never_looked_up(client: Client) -> None:
    worker = covered_now()
    page = client.get(f"/cek/?nik={worker.nik}&birth_date={worker.birth_date}").content.decode()
    assert 'id="check-result"' not in page and 'id="check-form"' in page


def test_the_login_page_links_the_public_checks(client: Client) -> None:
    page = client.get("/login/").content.decode()
    assert 'href="/cek/"' in page and 'href="/klaim/status/"' in page


def test_the_card_carries_the_kpj_a_qr_code_and_opens_the_check(client: Client) -> None:
    worker = covered_now(full_name="Tukiyem")
    client.force_login(make_user(Role.VILLAGE, region_code=VILLAGE))
    response = client.get(f"/iuran/pekerja/{worker.pk}/kartu.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    kpj = Membership.objects.get(worker=worker).kpj
    assert kpj in text and "Tukiyem" in text and (worker.nik or "") not in text
    assert len(reader.pages[0].images) == 1  # the QR code
    # what the QR opens: the check of this card, name masked, no account needed
    token = cards(viewer=SYSTEM, worker_id=worker.pk, today=timezone.localdate())[0].token
    check = Client().get(f"/cek/kartu/{token}/")
    assert check.status_code == 200 and "Terlindungi bulan ini" in check.content.decode()
    assert "T******" in check.content.decode()


def test_a_forged_card_token_gets_the_neutral_answer(client: Client) -> None:
    worker = covered_now()
    membership = Membership.objects.get(worker=worker)
    forged = card_token(membership_id=membership.pk)[:-3] + "abc"
    page = client.get(f"/cek/kartu/{forged}/")
    assert page.status_code == 404 and 'id="check-none"' in page.content.decode()


def test_a_village_prints_its_cards_ten_to_a_sheet(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    for i in range(12):
        member(full_name=f"Warga {i}")
    member(village=OTHER_REGENCY_VILLAGE)
    client.force_login(make_user(Role.VILLAGE, region_code=VILLAGE))
    with django_assert_max_num_queries(12):  # a fixed number of queries, not a few per card
        response = client.get(f"/iuran/kartu.pdf?desa={VILLAGE}")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2 and sum(len(p.images) for p in reader.pages) == 12


def test_cards_stay_inside_the_scope(client: Client) -> None:
    theirs = member(village=OTHER_REGENCY_VILLAGE)
    client.force_login(make_user(Role.VILLAGE, region_code=VILLAGE))
    assert client.get(f"/iuran/pekerja/{theirs.pk}/kartu.pdf").status_code == 404
    assert client.get(f"/iuran/kartu.pdf?desa={OTHER_REGENCY_VILLAGE}").status_code == 404
    assert client.get("/api/v1/contributions/workers/999999/card").status_code == 404
    assert Client().get(f"/iuran/pekerja/{theirs.pk}/kartu.pdf").status_code == 302  # to the sign-in page


def test_the_api_gives_the_card(client: Client) -> None:
    worker = member()
    client.force_login(make_user(Role.BRANCH, branch_code="KC-TGR-CKP"))
    response = client.get(f"/api/v1/contributions/workers/{worker.pk}/card")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
