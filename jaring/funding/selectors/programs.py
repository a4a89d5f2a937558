"""Sponsors and programs as each viewer may see them: scoping, a program's funded workers, waiting list and
the last run's decisions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Q, Sum

from jaring.contributions.models import Payment, PaymentStatus
from jaring.core.errors import ErrorCode, NotFound
from jaring.core.rules import Role, mask_nik
from jaring.core.selectors import Viewer
from jaring.core.types import Period
from jaring.funding import rules
from jaring.funding.models import Allocation, AllocationRun, Decision, Program, Sponsor
from jaring.funding.rules import Outcome, Reason


def precedence_order() -> tuple[str, ...]:
    """Which payer level keeps a worker-month two programs want (a setting, docs/decisions/0007)."""
    return rules.precedence_parse(settings.JARING["FUNDING_PRECEDENCE"])


def sponsor_q(viewer: Viewer, prefix: str = "") -> Q:
    """Sponsors the viewer may see: a sponsor's users their own; region roles the sponsors of their region
    (the branch office also the national ones: companies and donors); administrators all."""
    if viewer.all_regions:
        return Q()
    if viewer.role == Role.SPONSOR:
        return Q(**{f"{prefix}ref": viewer.sponsor_ref}) if viewer.sponsor_ref else Q(pk__in=[])
    q = Q(pk__in=[])
    for code in viewer.region_codes:
        q |= Q(**{f"{prefix}region_code": code}) | Q(**{f"{prefix}region_code__startswith": code + "."})
    if viewer.role == Role.BRANCH:
        q |= Q(**{f"{prefix}region_code": ""})
    return q


def program_q(viewer: Viewer) -> Q:
    return sponsor_q(viewer, prefix="sponsor__")


def program_manageable(viewer: Viewer, program: Program) -> bool:
    """May this viewer change the program (budget, close, allocate): administrators all; a sponsor's users their
    own sponsor's; a region role only programs whose every region lies in its own (a branch sees the national
    companies' programs, but changes only those for its own regions: issue #13). Reads use `program_q`."""
    if viewer.all_regions:
        return True
    if viewer.role == Role.SPONSOR:
        return bool(viewer.sponsor_ref) and program.sponsor.ref == viewer.sponsor_ref
    codes = [c for c in program.region_codes.split(",") if c]
    return bool(codes) and all(viewer.may_see_region(c) for c in codes)


def _worker_scope(viewer: Viewer, prefix: str = "worker__") -> Q:
    """Workers of a visible program: a region role sees those of its own region; a sponsor all it funds."""
    if viewer.all_regions or viewer.role == Role.SPONSOR:
        return Q()
    return viewer.region_q(prefix=prefix)


def sponsor_list(*, viewer: Viewer) -> list[Sponsor]:
    return list(
        Sponsor.objects.filter(sponsor_q(viewer)).annotate(program_count=Count("programs")).order_by("name")
    )


@dataclass(frozen=True)
class ProgramRow:
    id: int
    name: str
    sponsor: str
    sponsor_ref: str
    payer_type: str
    budget: int
    committed: int
    left: int
    funded_workers: int
    first_period: str
    last_period: str
    months: int
    status: str
    is_donation: bool
    va_number: str

    @property
    def used_percent(self) -> int:
        return round(100 * self.committed / self.budget) if self.budget else 0


def sponsor_names_of(refs: list[str]) -> dict[str, str]:
    """Sponsors' names by ref, for figures split by sponsor (core.selectors.sponsor_names); the caller scopes."""
    return dict(Sponsor.objects.filter(ref__in=refs).values_list("ref", "name"))


def sponsor_find(*, viewer: Viewer, key: str) -> Sponsor | None:
    """A sponsor in the viewer's reach named by its code (ref) or its id (the command line)."""
    found = Sponsor.objects.filter(sponsor_q(viewer), ref=key).first()
    if found is None and key.isdigit():
        found = Sponsor.objects.filter(sponsor_q(viewer), pk=int(key)).first()
    return found


def _row(p: Program) -> ProgramRow:
    last = str(Period.parse(p.first_period).plus(p.months - 1))
    return ProgramRow(
        id=p.pk, name=p.name, sponsor=p.sponsor.name, sponsor_ref=p.sponsor.ref, payer_type=p.payer_type,
        budget=p.budget, committed=p.committed, left=p.budget - p.committed, funded_workers=p.funded_workers,
        first_period=p.first_period, last_period=last, months=p.months, status=p.status, is_donation=p.is_donation,
        va_number=p.payer.va_number,
    )  # fmt: skip


def program_list(
    *, viewer: Viewer, sponsor_id: int | None = None, donations: bool | None = None
) -> list[ProgramRow]:
    query = Program.objects.filter(program_q(viewer)).select_related("sponsor", "payer")
    if sponsor_id is not None:
        query = query.filter(sponsor_id=sponsor_id)
    if donations is not None:
        query = query.filter(is_donation=donations)
    return [_row(p) for p in query.order_by("-id")[:500]]


def program_get(*, viewer: Viewer, program_id: int) -> Program:
    program = (
        Program.objects.filter(program_q(viewer), pk=program_id).select_related("sponsor", "payer").first()
    )
    if program is None:
        raise NotFound("Program tidak ditemukan.", code=ErrorCode.PROGRAM_NOT_FOUND)
    return program


def program_summary(*, viewer: Viewer, program_id: int) -> ProgramRow:
    return _row(program_get(viewer=viewer, program_id=program_id))


@dataclass(frozen=True)
class Received:
    """Money that arrived in a program's virtual account (matched to its payer), for the donor's document: an
    invoice until the donation is paid in full, a receipt after (issue #14)."""

    amount: int
    payments: int
    last_at: dt.datetime | None  # when Jaring counted the last of it

    def covers(self, due: int) -> bool:
        return due > 0 and self.amount >= due


def program_received(*, viewer: Viewer, program_id: int) -> Received:
    program_get(viewer=viewer, program_id=program_id)
    return programs_received(viewer=viewer, program_ids=[program_id])[program_id]


def programs_received(*, viewer: Viewer, program_ids: list[int]) -> dict[int, Received]:
    """What arrived for each of several visible programs, in two queries (a donor's home lists them all)."""
    payers = dict(Program.objects.filter(program_q(viewer), pk__in=program_ids).values_list("payer_id", "pk"))
    found = (
        Payment.objects.filter(payer_id__in=list(payers), status=PaymentStatus.MATCHED)
        .values("payer_id")
        .annotate(amount=Sum("amount"), payments=Count("id"), last_at=Max("counted_at"))
    )
    out = {pk: Received(0, 0, None) for pk in payers.values()}
    for row in found:
        out[payers[row["payer_id"]]] = Received(int(row["amount"] or 0), int(row["payments"]), row["last_at"])
    return out


@dataclass(frozen=True)
class FundedRow:
    id: int  # the allocation (keyset)
    worker_id: int
    name: str
    nik: str
    village_code: str
    occupation: str
    first_period: str
    last_period: str
    months: int
    cost: int


def program_workers(
    *, viewer: Viewer, program_id: int, after: int | None = None, limit: int | None = 100
) -> list[FundedRow]:
    """The workers a program funds, in allocation order. NIK masked for those who do not need it."""
    program_get(viewer=viewer, program_id=program_id)
    query = Allocation.objects.filter(_worker_scope(viewer), program_id=program_id).order_by("id")
    if after:
        query = query.filter(id__gt=after)
    values = query.values_list(
        "id", "worker_id", "worker__full_name", "worker__nik", "worker__village_id", "worker__occupation",
        "first_period", "last_period", "months", "cost",
    )  # fmt: skip
    rows = values if limit is None else values[:limit]
    masked = not viewer.sees_personal_data
    return [
        FundedRow(
            i, w, name, mask_nik(nik) if masked else (nik or ""), village, occ, first, last, months, cost
        )
        for i, w, name, nik, village, occ, first, last, months, cost in rows
    ]


def _latest_run(program_id: int) -> int | None:
    """The latest allocation run that included the program."""
    return (
        AllocationRun.objects.filter(outcomes__has_key=str(program_id))
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )


@dataclass(frozen=True)
class WaitRow:
    rank: int
    worker_id: int
    name: str
    nik: str
    village_code: str
    reason: str
    reason_label: str
    months: int
    cost: int


def program_waitlist(*, viewer: Viewer, program_id: int, limit: int = 200) -> list[WaitRow]:
    """The waiting list of the program's latest run, in priority order."""
    program_get(viewer=viewer, program_id=program_id)
    run = _latest_run(program_id)
    if run is None:
        return []
    rows = (
        Decision.objects.filter(_worker_scope(viewer), program_id=program_id, run_id=run, outcome=Outcome.WAITLISTED)
        .order_by("rank")
        .values_list("rank", "worker_id", "worker__full_name", "worker__nik", "worker__village_id", "reason",
                     "months", "cost")[:limit]
    )  # fmt: skip
    masked = not viewer.sees_personal_data
    return [
        WaitRow(rank or 0, w, name, mask_nik(nik) if masked else (nik or ""), village, reason,
                rules.REASON_LABELS.get(Reason(reason), reason), months, cost)
        for rank, w, name, nik, village, reason, months, cost in rows
    ]  # fmt: skip


@dataclass(frozen=True)
class ReasonCount:
    outcome: str
    reason: str
    label: str
    workers: int


def _last_outcome(viewer: Viewer, program_id: int) -> dict[str, Any] | None:
    """The program's part of the latest run that included it (its counts by outcome and reason)."""
    program_get(viewer=viewer, program_id=program_id)
    key = str(program_id)
    run = (
        AllocationRun.objects.filter(outcomes__has_key=key)
        .order_by("-id")
        .values_list("outcomes", flat=True)
        .first()
    )
    return None if run is None else dict(run[key])


def program_nobody_funded(*, viewer: Viewer, program_id: int) -> dict[str, str] | None:
    """Why the latest run that included the program funded nobody new (code, message, message_en), if it did."""
    found = _last_outcome(viewer, program_id)
    return None if found is None else found.get("nobody_funded")


def program_decisions(*, viewer: Viewer, program_id: int) -> list[ReasonCount]:
    """What the latest run that included the program decided, counted by outcome and reason (the run keeps
    the counts: workers whose months other programs fund are counted there, not listed)."""
    found = _last_outcome(viewer, program_id)
    if found is None:
        return []
    out = (
        [ReasonCount(Outcome.ASSIGNED.value, "", "Didanai", found.get("assigned", 0))]
        if found.get("assigned")
        else []
    )
    for outcome in (Outcome.WAITLISTED, Outcome.EXCLUDED):
        for reason, n in sorted(found.get(outcome.value, {}).items(), key=lambda kv: -kv[1]):
            out.append(ReasonCount(outcome.value, reason, rules.REASON_LABELS[Reason(reason)], n))
    return out


@dataclass(frozen=True)
class RunPreview:
    """Whom one run funds and why it leaves the others, for a dry run's page (read before its rollback)."""

    program_id: int
    funded: list[FundedRow]
    waiting: list[WaitRow]
    excluded: list[WaitRow]


def run_preview(*, viewer: Viewer, run_id: int, program_id: int, limit: int = 50) -> RunPreview:
    """The first `limit` workers a run funds for a program, waits for and excludes, each with its reason.
    Scoped and masked like the program's own lists."""
    masked = not viewer.sees_personal_data
    funded = (
        Allocation.objects.filter(_worker_scope(viewer), program_id=program_id, run_id=run_id)
        .order_by("rank", "id")
        .values_list("id", "worker_id", "worker__full_name", "worker__nik", "worker__village_id",
                     "worker__occupation", "first_period", "last_period", "months", "cost")[:limit]
    )  # fmt: skip

    def decided(outcome: Outcome) -> list[WaitRow]:
        rows = (
            Decision.objects.filter(_worker_scope(viewer), program_id=program_id, run_id=run_id, outcome=outcome)
            .order_by("rank", "id")
            .values_list("rank", "worker_id", "worker__full_name", "worker__nik", "worker__village_id", "reason",
                         "months", "cost")[:limit]
        )  # fmt: skip
        return [
            WaitRow(rank or 0, w, name, mask_nik(nik) if masked else (nik or ""), village, reason,
                    rules.REASON_LABELS.get(Reason(reason), reason) if reason else "", months, cost)
            for rank, w, name, nik, village, reason, months, cost in rows
        ]  # fmt: skip

    return RunPreview(
        program_id,
        [FundedRow(i, w, name, mask_nik(nik) if masked else (nik or ""), village, occ, first, last, months, cost)
         for i, w, name, nik, village, occ, first, last, months, cost in funded],
        decided(Outcome.WAITLISTED),
        decided(Outcome.EXCLUDED),
    )  # fmt: skip
