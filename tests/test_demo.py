"""The demo data set: synthetic lists taken through the real intake, logins per role, repeatable."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone

from jaring.claims.models import Claim
from jaring.cli import main
from jaring.contributions.models import BillLine
from jaring.core.selectors import SYSTEM, viewer_for
from jaring.core.types import Period
from jaring.demo.funding import CSR_REF
from jaring.demo.load import demo_load
from jaring.funding.models import Allocation, Program
from jaring.funding.selectors import overlap_report, program_list
from jaring.imports.models import BatchStatus, ImportBatch
from jaring.insights.models import CoverageTarget
from jaring.insights.selectors import coverage_report
from jaring.linkage.models import CandidatePair
from jaring.registry.models import Membership, Worker

pytestmark = pytest.mark.django_db


def test_demo_data_fills_the_four_seed_regions_and_runs_again_without_change(tmp_path: Path) -> None:
    result = demo_load(workers=400, seed=3, out_dir=tmp_path)
    created = Worker.objects.count()
    assert created == result["workers_created"] and 330 < created < 420  # some rows are rejected, on purpose
    provinces = set(Worker.objects.values_list("province_code", flat=True))
    regencies = set(Worker.objects.values_list("regency_code", flat=True))
    assert {"36.03", "35.25", "35.10"} <= regencies and "61" in provinces
    lists = result["lists"]
    assert isinstance(lists, list)
    assert ImportBatch.objects.filter(status=BatchStatus.COMMITTED).count() == len(lists)
    assert ImportBatch.objects.filter(rejected__gt=0).exists()  # the lists carry mistakes
    # every worker registered through a list holds a card (issue #12: nobody waits "KPJ —" for ever)
    assert not Worker.objects.filter(merged_into__isnull=True).exclude(memberships__isnull=False).exists()
    assert Membership.objects.count() >= created
    users = result["users"]
    assert isinstance(users, list)
    assert {u["role"] for u in users if u["username"] == "donatur"} == {"Donatur (GN Lingkaran)"}
    assert (tmp_path / "truth.csv").exists()
    assert any(p.suffix == ".csv" for p in tmp_path.iterdir()) and any(
        p.suffix == ".xlsx" for p in tmp_path.iterdir()
    )
    for username in ("admin", "cabang", "pemda", "desa", "agen", "sponsor", "donatur"):
        assert viewer_for(get_user_model().objects.get(username=username)) is not None
    _funding_side_by_side()
    states = set(Claim.objects.values_list("status", flat=True))
    assert states == {"reported", "documents", "verified", "approved", "paid", "rejected"}
    assert Claim.objects.filter(reject_code="contribution_not_paid_before_event").exists()
    # PP 82/2019's benefits (issue #17): a home-care claim and an aid capped at its ceiling
    assert Claim.objects.filter(claim_type="jkk_home_care", total=4_800_000).exists()
    assert Claim.objects.filter(claim_type="jkk_aids", aid="glasses", total=1_000_000).exists()
    # The regency's list repeats village people, some without a NIK: sensible pairs wait for review (the
    # generator keeps a person's mother's name, so a true pair shares it).
    pairs = CandidatePair.objects.select_related("worker_a", "worker_b")
    duplicates = result["duplicates"]
    assert isinstance(duplicates, dict) and duplicates["proposed"] == pairs.count() > 0
    assert all(p.worker_a.mother_name == p.worker_b.mother_name for p in pairs)

    # the coverage figures are there for every role's scope (issue #15), with Kab. Tangerang's own denominator
    tangerang = coverage_report(
        viewer=SYSTEM, region_code="36.03", period=Period.of(timezone.localdate())
    ).region
    assert tangerang.covered > 0 and tangerang.target == 75_000 and tangerang.target_kind == "entered"

    again = demo_load(workers=400, seed=3, out_dir=tmp_path)
    assert again["workers_created"] == 0 and Worker.objects.count() == created
    assert CoverageTarget.objects.filter(region_code="36.03").count() == 1


def _funding_side_by_side() -> None:
    """APBD, Dana Desa, CSR and a donation fund workers together and no worker-month is funded twice; only last
    year's legacy lists overlap (closed programs, for the overlap report); no month is billed twice."""
    kinds = set(Program.objects.filter(funded_workers__gt=0).values_list("payer_type", flat=True))
    assert {"apbd_kabkota", "apbdes", "csr", "donor"} <= kinds
    months: set[tuple[int, int]] = set()
    for a in Allocation.objects.all():
        if a.source == "legacy":
            continue
        for i in range(a.months):
            key = (a.worker_id, Period.parse(a.first_period).plus(i).index)
            assert key not in months
            months.add(key)
    overlaps = overlap_report(viewer=SYSTEM).rows
    assert len(overlaps) == 5 and all(o.last_period < min(a.first_period for a in Allocation.objects.filter(source="run"))
                                      for o in overlaps)  # fmt: skip
    assert not Allocation.objects.filter(source="legacy", program__status="active").exists()
    billed = BillLine.objects.values("worker_id", "period").annotate(n=Count("id")).filter(n__gt=1)
    assert not billed.exists()
    sponsor = viewer_for(get_user_model().objects.get(username="sponsor"))
    assert sponsor is not None and {p.sponsor_ref for p in program_list(viewer=sponsor)} == {CSR_REF}


def test_demo_data_writes_its_lists_under_the_var_dir(
    tmp_path: Path, settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue #12: the lists went to ./var/demo even when JARING_VAR_DIR pointed elsewhere."""
    settings.VAR_DIR = tmp_path / "var"
    assert main(["demo-data", "--workers", "120", "--seed", "5", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert Path(out["out_dir"]) == tmp_path / "var" / "demo"
    assert any((tmp_path / "var" / "demo").glob("*.xlsx"))
    assert not Worker.objects.filter(merged_into__isnull=True, memberships__isnull=True).exists()
