"""The seeded regulation, read from the database, for every payer type and every month of 2026 and 2027."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from jaring.contributions.models import PayerTypeSetting, RateRule
from jaring.contributions.rules import PayerType
from jaring.contributions.selectors import contribution_quote
from jaring.core.models import AuditEvent
from jaring.core.types import Period

pytestmark = pytest.mark.django_db

APBN_APBD = {"apbn", "apbd_provinsi", "apbd_kabkota"}


@pytest.mark.parametrize("payer", list(PayerType))
@pytest.mark.parametrize("sector", ["transport", "other"])
def test_every_month_of_2026_and_2027(payer: PayerType, sector: str) -> None:
    for month in range(24):
        period = Period(2026, 1).plus(month)
        text = str(period)
        if sector == "transport":
            window = "2026-01" <= text <= "2027-03"  # PP 50/2025, transport
        else:
            window = "2026-04" <= text <= "2026-12"  # PP 50/2025, other sectors
        discounted = window and payer.value not in APBN_APBD
        q = contribution_quote(income=1_000_000, period=period, payer_type=payer, sector=sector, jht=True)
        expected = (5_000, 3_400, 20_000, 28_400) if discounted else (10_000, 6_800, 20_000, 36_800)
        assert (q.due.jkk, q.due.jkm, q.due.jht, q.due.total) == expected, (text, payer, sector)
        assert all(row.get("source") for row in q.rows)


def test_apbdes_exclusion_is_a_setting() -> None:
    period = Period(2026, 6)
    assert (
        contribution_quote(
            income=1_000_000, period=period, payer_type=PayerType.APBDES, sector="other", jht=False
        ).due.total
        == 8_400
    )
    PayerTypeSetting.objects.filter(payer_type="apbdes").update(discount_excluded=True)
    quote = contribution_quote(
        income=1_000_000, period=period, payer_type=PayerType.APBDES, sector="other", jht=False
    )
    assert quote.due.total == 16_800
    assert {"rule": "payer_type", "payer_type": "apbdes", "discount_excluded": True}.items() <= quote.rows[
        2
    ].items()


def test_an_administrator_changes_a_rate_and_it_is_audited(client: Client) -> None:
    client.force_login(get_user_model().objects.create_superuser(username="root", password="x-123456789"))
    old = RateRule.objects.get(program="jkm")
    response = client.post(f"/admin/contributions/raterule/{old.pk}/change/", {
        "program": "jkm", "basis": "flat", "value": "6800", "valid_from": "2015-07", "valid_to": "2027-12", "source": old.source,
    })  # fmt: skip
    assert response.status_code == 302
    response = client.post("/admin/contributions/raterule/add/", {
        "program": "jkm", "basis": "flat", "value": "7000", "valid_from": "2028-01", "valid_to": "", "source": "contoh",
    })  # fmt: skip
    assert response.status_code == 302
    assert (
        contribution_quote(
            income=1_000_000, period=Period(2027, 12), payer_type=PayerType.MANDIRI, sector="other", jht=False
        ).due.jkm
        == 6_800
    )
    assert (
        contribution_quote(
            income=1_000_000, period=Period(2028, 1), payer_type=PayerType.MANDIRI, sector="other", jht=False
        ).due.jkm
        == 7_000
    )
    assert AuditEvent.objects.filter(action="raterule.change", changes__valid_to="2027-12").exists()
    assert AuditEvent.objects.filter(action="raterule.add").exists()
    bad = client.post("/admin/contributions/raterule/add/", {
        "program": "jkm", "basis": "flat", "value": "7000", "valid_from": "2028-13", "valid_to": "", "source": "x",
    })  # fmt: skip
    assert bad.status_code == 200 and "bukan bulan yang sah" in bad.content.decode()
    assert client.post(f"/admin/contributions/raterule/{old.pk}/delete/").status_code == 403
