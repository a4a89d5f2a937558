"""Funding for the demo: Kab. Tangerang's APBD program, two villages' Dana Desa programs ("1 Desa 100 Pekerja
Rentan"; one ends within 60 days), a company's CSR program for fishers and traders in Banten and a GN
Lingkaran donation, allocated together by precedence so that no worker-month is funded twice; plus last
year's legacy lists of the regency and a village, which overlap, for the overlap report. Starts `months_back`
months ago."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count

from jaring.contributions.rules import PayerType
from jaring.core.rules import Role
from jaring.core.selectors import SYSTEM, Viewer
from jaring.core.types import Period
from jaring.funding.models import Allocation, Program, Sponsor, SponsorKind
from jaring.funding.selectors import plan_month_costs
from jaring.funding.services import (
    allocation_record_legacy,
    allocation_run,
    donation_create,
    program_close,
    program_create,
    sponsor_create,
)
from jaring.regions.selectors import region_get
from jaring.registry.models import Membership, Worker

CSR_REF = "pt-contoh-sejahtera"
DONOR_REF = "gn-lingkaran"


def _year_cost(payer_type: PayerType, first: Period, months: int = 12) -> int:
    return sum(plan_month_costs(payer_type=payer_type, first_period=first, months=months))


def funding_demo(*, today: dt.date, months_back: int) -> dict[str, int]:
    """Idempotent: a registry that already has sponsors is left as it is."""
    if Sponsor.objects.exists():
        return {"programs": 0}
    first = Period.of(today).plus(-(months_back - 1))
    active = Membership.objects.filter(status="active").values("worker_id")
    tangerang = Worker.objects.filter(pk__in=active, regency_code="36.03").count()
    if not tangerang:
        return {"programs": 0}

    def make(
        name: str, payer_type: PayerType, region: str, ref: str, kind: str = SponsorKind.GOVERNMENT
    ) -> Sponsor:
        return sponsor_create(name=name, payer_type=payer_type.value, region_code=region, ref=ref, kind=kind,
                              viewer=SYSTEM, actor=None)  # fmt: skip

    regency = make("Pemerintah Kabupaten Tangerang", PayerType.APBD_KABKOTA, "36.03", "pemkab-tangerang")
    apbd = program_create(
        sponsor_id=regency.pk, name=f"Perlindungan Pekerja Rentan APBD {first.year}",
        budget=_year_cost(PayerType.APBD_KABKOTA, first) * (tangerang // 3), first_period=first, months=12,
        age_min=18, age_max=65, viewer=SYSTEM, actor=None,
    )  # fmt: skip
    villages = list(
        Worker.objects.filter(pk__in=active, regency_code="36.03")
        .values("village_id").annotate(n=Count("id")).order_by("-n", "village_id")
        .values_list("village_id", flat=True)[:2]
    )  # fmt: skip
    village_programs = []
    for i, code in enumerate(villages):
        region = region_get(code=code)
        sponsor = make(f"Pemerintah Desa {region.name if region else code}", PayerType.APBDES, code,
                       f"desa-{code.replace('.', '')}")  # fmt: skip
        months = 12 if i == 0 else months_back + 1  # the second village's program ends next month
        quota = 30
        village_programs.append(program_create(
            sponsor_id=sponsor.pk, name="1 Desa 100 Pekerja Rentan (Dana Desa)",
            budget=_year_cost(PayerType.APBDES, first, months) * (quota + 5), first_period=first, months=months,
            max_workers=quota, viewer=SYSTEM, actor=None,
        ))  # fmt: skip
    company = make("PT Contoh Sejahtera Tbk", PayerType.CSR, "", CSR_REF, SponsorKind.COMPANY)
    program_create(
        sponsor_id=company.pk, name="CSR Nelayan dan Pedagang Banten", budget=_year_cost(PayerType.CSR, first) * 60,
        first_period=first, months=12, region_codes=["36"],
        occupations=["nelayan", "pedagang_pasar", "pedagang_kaki_lima"], viewer=SYSTEM, actor=None,
    )  # fmt: skip
    allocation_run(program_ids=None, viewer=SYSTEM, actor=None)
    # Last year, before Jaring: the regency's and the first village's Excel lists both paid for five workers
    # (the overlap report shows them, with what to credit back); those programs are closed.
    if village_programs:
        _legacy_year(regency=regency, village=village_programs[0].sponsor, apbd=apbd, first=first)
    donor = make("GN Lingkaran - Gerakan Donasi", PayerType.DONOR, "", DONOR_REF, SponsorKind.ORGANISATION)
    donation_create(workers=40, months=6, viewer=Viewer(user_id=None, username="demo", role=Role.SPONSOR,
                                                        sponsor_ref=donor.ref),
                    actor=None, first_period=first, today=first.first_day())  # fmt: skip
    return {"programs": Program.objects.count(), "allocations": Allocation.objects.count()}


def _legacy_year(*, regency: Sponsor, village: Sponsor, apbd: Program, first: Period) -> None:
    start = first.plus(-12)
    funded = list(
        Allocation.objects.filter(program=apbd).order_by("id").values_list("worker_id", flat=True)[:40]
    )
    village_people = list(
        Worker.objects.filter(village_id=village.region_code, pk__in=Membership.objects.filter(status="active")
                              .values("worker_id")).exclude(pk__in=funded).order_by("id").values_list("id", flat=True)[:10]
    )  # fmt: skip
    lists = [(regency, f"APBD {start.year} (data lama)", funded), (village, f"Dana Desa {start.year} (data lama)",
             village_people + funded[:5])]  # fmt: skip
    for sponsor, name, workers in lists:
        if not workers:
            continue
        old = program_create(sponsor_id=sponsor.pk, name=name, budget=_year_cost(PayerType(sponsor.payer_type), start)
                             * len(workers) * 2, first_period=start, months=12, viewer=SYSTEM, actor=None)  # fmt: skip
        allocation_record_legacy(program_id=old.pk, worker_ids=workers, first_period=start, last_period=start.plus(11),
                                 viewer=SYSTEM, actor=None)  # fmt: skip
        program_close(program_id=old.pk, viewer=SYSTEM, actor=None)
