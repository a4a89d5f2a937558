"""The public check (issue #14): whether a worker is covered, asked without an account by NIK and birth date or by
a membership card's QR code; and the cards themselves."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core import signing

from jaring.contributions.models import (
    BillLine,
    LineStatus,
    Payer,
)
from jaring.core.errors import ErrorCode, NotFound, ValidationFailed
from jaring.core.rules import mask_name
from jaring.core.selectors import Viewer
from jaring.core.types import Period
from jaring.registry.models import Membership, Worker
from jaring.registry.rules import nik_clean

# The public check (issue #14): a worker or an heir, without an account, asks whether the worker is covered.
CARD_SALT = "jaring.card"  # a card's QR carries a signed membership id: no NIK, nothing guessable
SELF_PAID = "Peserta sendiri (mandiri)"  # the worker's own account is never named: it is the worker's name


@dataclass(frozen=True)
class PublicCover:
    """What the public check says: the name masked, this month covered or not, until when it is paid, who pays."""

    name_masked: str
    kpj: str
    period: str  # this month
    covered_now: bool
    paid_until: str  # the last month paid without a gap from this month on ("" when this month is not paid)
    last_paid: str  # the latest month ever paid ("" never)
    payer: str  # who pays this month, else who paid the last paid month
    months: list[tuple[str, bool]]  # the last 6 months and the next 2: paid or not


def _covers_of(workers: list[Worker], today: dt.date) -> dict[int, PublicCover]:
    """The cover of each worker, in two queries whatever their number (a village's sheet of cards)."""
    now = Period.of(today)
    ids = [w.pk for w in workers]
    paid: dict[int, dict[Period, str]] = {i: {} for i in ids}
    lines = BillLine.objects.filter(worker_id__in=ids, status=LineStatus.PAID).values_list(
        "worker_id", "period", "payer__name", "payer__worker_id"
    )
    for worker_id, period, name, own in lines:
        # Who pays, by name: a program, a village, a company; the worker's own account is not named.
        paid[worker_id][Period.parse(period)] = SELF_PAID if own == worker_id else name
    kpjs: dict[int, str] = {}
    for worker_id, kpj in (
        Membership.objects.filter(worker_id__in=ids).order_by("id").values_list("worker_id", "kpj")
    ):
        kpjs[worker_id] = kpj  # the newest card
    out = {}
    for w in workers:
        months = paid[w.pk]
        until, cursor = "", now
        while cursor in months:
            until, cursor = str(cursor), cursor.plus(1)
        last = max(months) if months else None
        out[w.pk] = PublicCover(
            name_masked=mask_name(w.full_name), kpj=kpjs.get(w.pk, ""), period=str(now), covered_now=now in months,
            paid_until=until, last_paid=str(last) if last else "",
            payer=months.get(now) or (months[last] if last else ""),
            months=[(str(now.plus(i)), now.plus(i) in months) for i in range(-5, 3)],
        )  # fmt: skip
    return out


def _cover_of(worker: Worker, today: dt.date) -> PublicCover:
    return _covers_of([worker], today)[worker.pk]


def public_cover(*, nik: str, birth_date: dt.date | None, today: dt.date) -> PublicCover | None:
    """The cover of the worker with this NIK *and* this birth date; None for anything else (an unknown NIK, a
    wrong date, a merged record's old NIK): the page says the same for all of them, so it tells nothing."""
    key = nik_clean(nik)
    if len(key) != 16 or not key.isdigit() or birth_date is None:
        return None
    worker = Worker.objects.filter(nik=key, birth_date=birth_date, merged_into__isnull=True).first()
    return _cover_of(worker, today) if worker is not None else None


def card_token(*, membership_id: int) -> str:
    return signing.dumps(membership_id, salt=CARD_SALT)


def public_cover_by_card(*, token: str, today: dt.date) -> PublicCover | None:
    """The cover of the card whose QR was scanned; None for a token that is not Jaring's."""
    try:
        membership_id = signing.loads(token[:200], salt=CARD_SALT)
    except signing.BadSignature:
        return None
    worker = Worker.objects.filter(memberships__pk=membership_id, merged_into__isnull=True).first()
    return _cover_of(worker, today) if worker is not None else None


@dataclass(frozen=True)
class Card:
    """One membership card (kartu peserta): what is printed on it. No NIK: the card is shown to others."""

    full_name: str
    kpj: str
    village: str
    programs: str
    cover: PublicCover
    token: str  # for the QR: the public check of this card


CARD_LIMIT = 1000  # one village's sheet


def cards(
    *, viewer: Viewer, worker_id: int | None = None, village_code: str = "", today: dt.date
) -> list[Card]:
    """The cards of one worker, or of a village's active members, inside the viewer's region."""
    query = Worker.objects.filter(viewer.worker_q(), merged_into__isnull=True)
    if worker_id is not None:
        query = query.filter(pk=worker_id)
    elif village_code:
        query = query.filter(village_id=village_code)
    else:
        raise ValidationFailed("Pilih pekerja atau desa.", code=ErrorCode.VILLAGE_UNKNOWN, field="desa")
    workers = list(query.select_related("village").order_by("full_name", "pk")[:CARD_LIMIT])
    if not workers:
        raise NotFound("Pekerja tidak ditemukan atau di luar wilayah Anda.", code=ErrorCode.WORKER_NOT_FOUND)
    memberships = dict(
        Membership.objects.filter(worker_id__in=[w.pk for w in workers], status="active")
        .order_by("id")
        .values_list("worker_id", "pk")
    )
    jht = set(
        Payer.objects.filter(worker_id__in=[w.pk for w in workers], jht=True).values_list(
            "worker_id", flat=True
        )
    )
    covers = _covers_of([w for w in workers if w.pk in memberships], today)
    out = []
    for w in workers:
        if w.pk not in memberships:
            continue
        cover = covers[w.pk]
        programs = "JKK, JKM" + (", JHT" if w.pk in jht else "")
        village = w.village.name if w.village_id and w.village else ""
        out.append(
            Card(
                w.full_name, cover.kpj, village, programs, cover, card_token(membership_id=memberships[w.pk])
            )
        )
    if not out:
        raise NotFound("Belum ada kartu aktif untuk pekerja ini.", code=ErrorCode.WORKER_NOT_FOUND)
    return out
