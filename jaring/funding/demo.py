"""Funding for the demo: Kab. Tangerang's APBD program, two villages' Dana Desa programs ("1 Desa 100 Pekerja
Rentan"; one ends within 60 days), a company's CSR program for fishers and traders in Banten and a GN
Lingkaran donation, allocated together by precedence so that no worker-month is funded twice; plus a
village's legacy list that overlaps the regency's, for the overlap report. Starts `months_back` months ago."""

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
    # A village's list from before Jaring: five workers the regency also pays for, three months.
    if village_programs:
        overlap = list(
            Allocation.objects.filter(program=apbd).order_by("id").values_list("worker_id", flat=True)[:5]
        )
        allocation_record_legacy(program_id=village_programs[0].pk, worker_ids=overlap, first_period=first,
                                 last_period=first.plus(2), viewer=SYSTEM, actor=None)  # fmt: skip
    donor = make("GN Lingkaran - Gerakan Donasi", PayerType.DONOR, "", DONOR_REF, SponsorKind.ORGANISATION)
    donation_create(workers=40, months=6, viewer=Viewer(user_id=None, username="demo", role=Role.SPONSOR,
                                                        sponsor_ref=donor.ref),
                    actor=None, first_period=first, today=first.first_day())  # fmt: skip
    return {"programs": Program.objects.count(), "allocations": Allocation.objects.count()}
