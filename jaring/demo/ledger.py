"""Twelve months of ledger history for the demo: who pays for whom, a billing run per month, and each month's
payments arriving as a bank statement through the real import. Payers behave like people do: most pay on
time, some late, some stop (and end after the grace window), a few pay a year ahead, a few come back; one
bank line per month carries a mistyped account and waits in the reconciliation queue."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import polars as pl
from django.contrib.auth import get_user_model
from django.utils import timezone

from jaring.contributions.models import BillingRun, BillLine, Payer, PayerAssignment, PayerKind
from jaring.contributions.rules import PayerType
from jaring.contributions.services import billing_run, payer_assign, payer_create, statement_import
from jaring.core.bulk import read_frame
from jaring.core.selectors import SYSTEM
from jaring.core.types import Period
from jaring.regions.selectors import region_names
from jaring.registry.models import Membership, Worker

MONTHS = 12  # issue #6: a full history of the last 12 months


def _behaviour(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.78:
        return "on_time"
    if roll < 0.88:
        return "late"
    if roll < 0.95:
        return "stops"
    return "ahead"


def ledger_demo(*, seed: int, out_dir: Path, today: dt.date) -> dict[str, int]:
    """Idempotent: a registry that already has billing runs is left as it is."""
    if BillingRun.objects.exists():
        return {"months": 0, "statements": 0}
    rng = random.Random(seed * 7919)
    members = list(
        Membership.objects.filter(status="active").order_by("worker_id").values_list("worker_id", flat=True)
    )
    if not members:
        return {"months": 0, "statements": 0}
    first = Period.of(today).plus(-(MONTHS - 1))
    # Sponsors' programs (funding demo) pay for some; the demo agent collects from others; the rest pay
    # themselves (the billing run makes their payers).
    funded = set(PayerAssignment.objects.values_list("worker_id", flat=True))
    rest = [w for w in members if w not in funded]
    agent = get_user_model().objects.filter(username="agen").first()
    if agent is not None:
        area = agent.profile.region_code
        district = region_names(codes={area[:8]}).get(area[:8], area[:8])
        collection = payer_create(kind=PayerKind.AGENT, payer_type=PayerType.MANDIRI, name=f"Kolektif agen PERISAI Kec. {district}",
                                  agent_id=agent.pk, region_code=area, actor=None)  # fmt: skip
        picked = list(Worker.objects.filter(pk__in=rest, district_code=area[:8]).values_list("id", flat=True))
        payer_assign(payer_id=collection.pk, worker_ids=picked[:60], first_period=first, last_period=None,
                     actor=None)  # fmt: skip
    behaviour: dict[int, str] = {}
    statements = 0
    out_dir.mkdir(parents=True, exist_ok=True)
    for i in range(MONTHS):
        period = first.plus(i)
        billing_run(period=period, viewer=SYSTEM, actor=None,
                    issued_at=timezone.make_aware(dt.datetime.combine(period.first_day(), dt.time(7))))  # fmt: skip
        owed = read_frame(
            f"SELECT l.payer_id, p.va_number, p.kind, SUM(l.amount) FROM {BillLine._meta.db_table} l "
            f"JOIN {Payer._meta.db_table} p ON p.id = l.payer_id WHERE l.status = 'open' AND l.period <= %s "
            f"GROUP BY l.payer_id, p.va_number, p.kind ORDER BY l.payer_id",
            [str(period)],
            {"payer_id": pl.Int64, "va_number": pl.String, "kind": pl.String, "amount": pl.Int64},
        )  # fmt: skip
        lines = []
        last_day = min(today, period.plus(1).first_day() - dt.timedelta(days=1))
        for payer_id, va, kind, amount in owed.iter_rows():
            style = "on_time" if kind != "worker" else behaviour.setdefault(payer_id, _behaviour(rng))
            if style == "stops" and i >= 1:
                continue
            if style == "late" and rng.random() < 0.5:
                continue  # pays next month, with the arrears
            if style == "ahead":
                amount *= 12
                behaviour[payer_id] = "paid_ahead"
            if style == "paid_ahead":
                continue
            day = min(last_day, period.first_day() + dt.timedelta(days=rng.randint(2, 20)))
            lines.append(f"DEMO-{period}-{payer_id},{va},{amount},{day:%Y-%m-%d} {rng.randint(8, 16):02d}:00")
        if i == MONTHS - 1:
            lines += _comebacks(rng=rng, behaviour=behaviour, period=period, day=last_day)
        if lines:
            # One payer a month mistypes the account (a digit, two neighbours swapped, a digit left out): the
            # transfer waits in the reconciliation queue, which suggests the payer it was meant for.
            ref, va, amount, when = lines.pop(rng.randrange(len(lines))).split(",")
            slip = i % 3
            wrong = (f"{va[:-1]}{(int(va[-1]) + 1) % 10}" if slip == 0 else
                     f"{va[:6]}{va[7]}{va[6]}{va[8:]}" if slip == 1 and va[6] != va[7] else f"{va[:9]}{va[10:]}")  # fmt: skip
            lines.append(f"{ref}-X,{wrong},{amount},{when}")
        # The branch downloads the account's statement twice a month: money counts from when Jaring learns of
        # it (docs/decisions/0013), so a transfer of the 3rd counts from the 15th.
        middle = period.first_day() + dt.timedelta(days=14)
        halves = [(f"rekening-{period}-a.csv", [x for x in lines if x.split(",")[3][:10] <= f"{middle:%Y-%m-%d}"],
                   middle), (f"rekening-{period}.csv", [x for x in lines if x.split(",")[3][:10] > f"{middle:%Y-%m-%d}"],
                   last_day)]  # fmt: skip
        for name, part, day in halves:
            if not part:
                continue
            path = out_dir / name
            path.write_text("reference,va_number,amount,paid_at\n" + "\n".join(part) + "\n", encoding="utf-8")
            learned = min(timezone.make_aware(dt.datetime.combine(day, dt.time(17))), timezone.now())
            with path.open("rb") as fh:
                statement_import(stream=fh, file_name=path.name, profile_name="jaring", viewer=SYSTEM, actor=None,
                                 recorded_at=learned)  # fmt: skip
            statements += 1
    return {"months": MONTHS, "statements": statements}


def _comebacks(*, rng: random.Random, behaviour: dict[int, str], period: Period, day: dt.date) -> list[str]:
    """A third of the workers whose membership ended pay again: re-activated, the gap stays uncovered."""
    ended = Payer.objects.filter(
        kind=PayerKind.WORKER,
        worker__memberships__status="ended",
        pk__in=[p for p, s in behaviour.items() if s == "stops"],
    ).order_by("pk")
    out = []
    for payer in ended:
        if rng.random() < 0.33:
            last = (
                BillLine.objects.filter(payer=payer)
                .order_by("-period")
                .values_list("amount", flat=True)
                .first()
            )
            out.append(
                f"DEMO-{period}-{payer.pk}-back,{payer.va_number},{last or 16_800},{day:%Y-%m-%d} 09:00"
            )
    return out
