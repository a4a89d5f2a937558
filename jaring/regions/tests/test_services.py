"""The shipped Kemendagri 2025 codes (domain rules section 5)."""

import pytest

from jaring.regions.models import BranchOffice, NikPrefix, Region
from jaring.regions.services import regions_load

pytestmark = pytest.mark.django_db


def test_every_code_of_the_2025_edition_is_loaded() -> None:
    # Loaded once per session by conftest; the counts are those of the 2025 edition.
    assert Region.objects.count() == 91_599
    assert Region.objects.filter(level=1).count() == 38
    assert Region.objects.filter(level=2).count() == 514
    assert Region.objects.filter(level=3).count() == 7_285
    assert Region.objects.filter(level=4).count() == 83_762
    cangkudu = Region.objects.get(code="36.03.01.2003")
    assert (cangkudu.name, cangkudu.kind, cangkudu.parent_id) == ("Cangkudu", "desa", "36.03.01")
    assert Region.objects.get(code="36.03").population and Region.objects.get(code="36").area_km2


def test_names_with_apostrophes_survive() -> None:
    assert Region.objects.filter(name__contains="'").exists()


def test_historical_nik_prefixes_include_codes_that_no_longer_exist() -> None:
    merauke_before_2022 = NikPrefix.objects.get(digits="9101")
    assert merauke_before_2022.last_seen < 2025
    assert NikPrefix.objects.filter(digits="9301").exists()  # Merauke after the Papua split


def test_loading_again_changes_nothing() -> None:
    result = regions_load(actor=None)
    assert (result.regions, result.nik_prefixes) == (91_599, 8_419)
    assert BranchOffice.objects.get(code="KC-TGR-CKP").regencies.get().code == "36.03"
