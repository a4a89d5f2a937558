"""Reads of the ledger: scoping by region and sponsor, masking, the coverage calendar, the claim question
and the arrears lists."""

from __future__ import annotations

import datetime as dt

import pytest

from jaring.contributions.factories import at, member
from jaring.contributions.models import Payer, PayerKind
from jaring.contributions.rules import PayerType
from jaring.contributions.selectors import (
    ArrearsGroup,
    arrears_list,
    bill_lines,
    bill_list,
    contribution_paid,
    coverage_get,
    payment_list,
    reconciliation_queue,
    reconciliation_suggestions,
)
from jaring.contributions.services import billing_run, payer_assign, payer_create, payment_record
from jaring.core.errors import NotFound
from jaring.core.factories import make_viewer
from jaring.core.models import UserProfile
from jaring.core.rules import Role
from jaring.core.selectors import SYSTEM, viewer_for
from jaring.core.types import Period
from jaring.registry.factories import OTHER_REGENCY_VILLAGE
from jaring.registry.models import Worker

pytestmark = pytest.mark.django_db
P = Period.parse


def bill(period: str) -> None:
    billing_run(period=P(period), viewer=SYSTEM, actor=None, issued_at=at(f"{period}-01"))


def pay(worker: Worker, amount: int, day: str, ref: str) -> None:
    payer = Payer.objects.get(worker=worker)
    payment_record(va_number=payer.va_number, amount=amount, paid_at=at(day), recorded_at=at(day), reference=ref, bank="bni",
                   viewer=SYSTEM, actor=None)  # fmt: skip


def test_each_viewer_sees_the_bills_of_their_own_region_or_sponsorship() -> None:
    here, there = member(), member(village=OTHER_REGENCY_VILLAGE)
    csr = payer_create(kind=PayerKind.PROGRAM, payer_type=PayerType.CSR, name="CSR PT Contoh", sponsor_ref="csr-1",
                       actor=None)  # fmt: skip
    payer_assign(
        payer_id=csr.pk, worker_ids=[there.pk], first_period=P("2026-11"), last_period=None, actor=None
    )
    bill("2026-11")
    names = {r.payer_name for r in bill_list(viewer=SYSTEM).rows}
    assert names == {here.full_name, "CSR PT Contoh"}
    _, region = make_viewer(Role.REGION, region_code="36.03")
    assert [r.payer_name for r in bill_list(viewer=region).rows] == [here.full_name]
    sponsor_user, sponsor = make_viewer(Role.SPONSOR)
    assert bill_list(viewer=sponsor).rows == []  # a sponsor login without a sponsor sees nothing
    UserProfile.objects.filter(user=sponsor_user).update(sponsor_ref="csr-1")
    sponsor2 = viewer_for(sponsor_user)
    assert sponsor2 is not None
    rows = bill_list(viewer=sponsor2).rows
    assert [r.payer_name for r in rows] == ["CSR PT Contoh"]
    # The sponsor sees the names of the people it protects, not their NIKs.
    lines = bill_lines(viewer=sponsor2, bill_id=rows[0].id)
    assert lines[0].full_name == there.full_name and lines[0].nik != there.nik and "*" in lines[0].nik
    with pytest.raises(NotFound):
        bill_lines(viewer=region, bill_id=rows[0].id)


def test_coverage_calendar_shows_paid_unpaid_and_lapsed_months() -> None:
    worker = member()
    bill("2026-01")
    pay(worker, 16_800, "2026-01-10", "C-1")  # January (Rp 16,800, before the April discount)
    for month in ("2026-02", "2026-03", "2026-04", "2026-05", "2026-06"):
        bill(month)
    # February-May unpaid: when June is billed the membership ends (Perdir 22/2022) and June is not billed.
    pay(worker, 8_400, "2026-07-02", "C-2")  # re-activated in July
    c = coverage_get(viewer=SYSTEM, worker_id=worker.pk, as_of=P("2026-08"), months=8)
    states = {m.period: m.state for m in c.months}
    assert states == {"2026-01": "paid", "2026-02": "lapsed", "2026-03": "lapsed", "2026-04": "lapsed",
                      "2026-05": "lapsed", "2026-06": "none", "2026-07": "paid", "2026-08": "none"}  # fmt: skip
    january = c.months[0]
    assert january.paid_at == at("2026-01-10") and january.payer_name == worker.full_name
    assert (c.standing, c.ended_in, c.reactivated_in) == ("active", "2026-06", "2026-07")


def test_the_claim_question_is_paid_on_or_before_the_event() -> None:
    worker = member()
    bill("2026-11")
    pay(worker, 8_400, "2026-11-20", "K-1")
    accident = at("2026-11-15")
    # Paid on the 20th: an accident on the 15th is not covered (no buying cover after the accident).
    assert contribution_paid(worker_id=worker.pk, period=P("2026-11"), on_or_before=accident) is None
    paid = contribution_paid(worker_id=worker.pk, period=P("2026-11"), on_or_before=at("2026-11-20", hour=23))
    assert paid is not None and paid.payer_type == "mandiri"
    assert contribution_paid(worker_id=worker.pk, period=P("2026-10"), on_or_before=at("2026-12-01")) is None


def test_arrears_per_payer_and_per_village_count_what_restores_cover() -> None:
    late, paid_up = member(), member()
    bill("2026-10")
    bill("2026-11")
    pay(paid_up, 16_800, "2026-11-02", "A-1")
    rows = arrears_list(viewer=SYSTEM, group=ArrearsGroup.PAYER, as_of=P("2026-11"))
    assert [(r.name, r.workers, r.months, r.amount) for r in rows] == [(late.full_name, 1, 2, 16_800)]
    villages = arrears_list(viewer=SYSTEM, group=ArrearsGroup.VILLAGE, as_of=P("2026-11"))
    assert [(r.key, r.amount) for r in villages] == [(late.village_id, 16_800)]
    _, other = make_viewer(Role.REGION, region_code="35.25")
    assert arrears_list(viewer=other, group=ArrearsGroup.PAYER, as_of=P("2026-11")) == []


def test_the_reconciliation_queue_is_for_the_branch_office() -> None:
    _, branch = make_viewer(Role.BRANCH, branch_code="KC-TGR-CKP")
    payment_record(va_number="123", amount=5, paid_at=at("2026-11-01"), recorded_at=at("2026-11-01"), reference="U",
                   bank="bni", viewer=branch, actor=None)  # fmt: skip
    payment_record(va_number="124", amount=5, paid_at=at("2026-11-01"), recorded_at=at("2026-11-01"), reference="N",
                   bank="bni", viewer=SYSTEM, actor=None)  # fmt: skip
    _, village = make_viewer(Role.VILLAGE, region_code="36.03.01.2003")
    # the branch's own unmatched money; the national queue (a bank's, the head office's) is not the branch's
    assert [p.reference for p in reconciliation_queue(viewer=branch)] == ["U"]
    assert [p.reference for p in reconciliation_queue(viewer=SYSTEM)] == ["U", "N"]
    assert reconciliation_queue(viewer=village) == []
    assert payment_list(viewer=village)[0] == []
    assert dt.date(2026, 11, 1) == at("2026-11-01").date()


def _swapped(va: str) -> str:
    i = next(i for i in range(6, 14) if va[i] != va[i + 1])
    return va[:i] + va[i + 1] + va[i] + va[i + 2 :]


def test_the_queue_suggests_the_payer_a_transfer_was_meant_for_within_the_viewers_payers() -> None:
    """Issue #14: an unmatched transfer gets the likely bill (near-miss account, the amount owed); never a payer
    the viewer may not see."""
    worker = member(full_name="Sutrisno Wibowo")
    far = member(village=OTHER_REGENCY_VILLAGE, full_name="Tukiyem")
    bill("2026-11")
    mine, theirs = Payer.objects.get(worker=worker), Payer.objects.get(worker=far)
    _, branch = make_viewer(Role.BRANCH, branch_code="KC-TGR-CKP")
    for ref, va in (("A", _swapped(mine.va_number)), ("B", _swapped(theirs.va_number)), ("C", "1234")):
        payment_record(va_number=va, amount=8_400, paid_at=at("2026-11-03"), recorded_at=at("2026-11-03"),
                       reference=ref, bank="bni", viewer=branch, actor=None)  # fmt: skip
    queue = reconciliation_queue(viewer=branch)
    found = reconciliation_suggestions(viewer=branch, payments=queue)
    by_ref = {p.reference: found[p.id] for p in queue}
    best = by_ref["A"][0]
    assert (best.payer_id, best.va_number, best.owed, best.score) == (mine.pk, mine.va_number, 8_400, 3)
    assert best.reasons == ["VA: dua angka bertukar tempat", "jumlah sama dengan tagihan terbuka"]
    assert all(s.payer_id != theirs.pk for s in (*by_ref["B"], *by_ref["C"]))  # another branch's payer
    assert [s.payer_id for s in by_ref["C"]] == [mine.pk]  # the amount alone, owed by one payer in reach
    everywhere = reconciliation_suggestions(viewer=SYSTEM, payments=queue)
    assert everywhere[next(p.id for p in queue if p.reference == "B")][0].payer_id == theirs.pk
