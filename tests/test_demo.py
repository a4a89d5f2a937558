"""The demo data set: synthetic lists taken through the real intake, logins per role, repeatable."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from jaring.core.selectors import viewer_for
from jaring.imports.models import BatchStatus, ImportBatch
from jaring.registry.demo import demo_load
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
    assert Membership.objects.count() > 0.7 * created
    assert (tmp_path / "truth.csv").exists()
    assert any(p.suffix == ".csv" for p in tmp_path.iterdir()) and any(
        p.suffix == ".xlsx" for p in tmp_path.iterdir()
    )
    for username in ("admin", "cabang", "pemda", "desa", "agen", "sponsor"):
        assert viewer_for(get_user_model().objects.get(username=username)) is not None

    again = demo_load(workers=400, seed=3, out_dir=tmp_path)
    assert again["workers_created"] == 0 and Worker.objects.count() == created
