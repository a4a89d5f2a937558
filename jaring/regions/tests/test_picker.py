"""The region picker (issue #14): a village found by name as one types, only inside one's scope; a name typed
in a region field is taken as that region when it is the only one of that name (the agent who typed "Sarongan"
got "Kode desa/kelurahan wajib diisi")."""

from __future__ import annotations

import pytest
from django.db.models import Count
from django.test import Client

from jaring.core.errors import ValidationFailed
from jaring.core.factories import make_user
from jaring.core.rules import Role
from jaring.regions.models import Region
from jaring.regions.selectors import region_labels, region_resolve, region_search
from jaring.registry.factories import VILLAGE
from jaring.registry.models import Worker

pytestmark = pytest.mark.django_db


def test_a_village_is_found_by_name_with_its_district_and_regency() -> None:
    name = Region.objects.get(code=VILLAGE).name
    hits = region_search(q=name[:5].lower(), level=4, within=("36.03",), all_regions=False)
    hit = next(h for h in hits if h.code == VILLAGE)
    assert hit.label.startswith(("Desa ", "Kel. ")) and "Kec. " in hit.label and "Kab. Tangerang" in hit.label
    assert all(h.code.startswith("36.03.") for h in hits)


@pytest.mark.parametrize(
    ("q", "within", "all_regions", "found"),
    [("", ("36.03",), False, False), ("c", ("36.03",), False, False), ("<cangkudu>", ("36.03",), False, False),
     ("CANGKUDU", ("36.03",), False, True), ("cangkudu", ("35.25",), False, False), ("cangkudu", (), False, False),
     ("cangkudu", (), True, True)],
)  # fmt: skip
def test_the_search_stays_inside_the_scope(
    q: str, within: tuple[str, ...], all_regions: bool, found: bool
) -> None:
    hits = region_search(q=q, level=4, within=within, all_regions=all_regions)
    assert any(h.code == VILLAGE for h in hits) == found


def test_a_name_typed_is_its_code_when_it_is_the_only_one() -> None:
    name = Region.objects.get(code=VILLAGE).name
    assert region_resolve(text=name, level=4, within=("36.03",), all_regions=False, field="v") == VILLAGE
    assert region_resolve(text=VILLAGE, level=4, within=("36.03",), all_regions=False, field="v") == VILLAGE
    with pytest.raises(ValidationFailed) as unknown:
        region_resolve(text="Atlantis", level=4, within=("36.03",), all_regions=False, field="v")
    assert unknown.value.code == "REGION_NOT_FOUND" and unknown.value.field == "v"


def test_several_villages_of_one_name_are_offered_to_choose_from() -> None:
    name = (Region.objects.filter(level=4).values("name").annotate(n=Count("code")).filter(n__gt=1)
            .order_by("name").values_list("name", flat=True).first())  # fmt: skip
    assert name
    with pytest.raises(ValidationFailed) as many:
        region_resolve(text=name, level=4, within=(), all_regions=True, field="v")
    assert many.value.code == "REGION_AMBIGUOUS" and "Pilih salah satu" in many.value.message


def test_the_options_page_answers_the_field_as_it_is_typed(client: Client) -> None:
    client.force_login(make_user(Role.AGENT, region_code="36.03.01"))
    name = Region.objects.get(code=VILLAGE).name
    page = client.get("/wilayah/pilih/", {"level": "4", "village_code": name})
    assert page.status_code == 200 and f'<option value="{VILLAGE}">' in page.content.decode()
    outside = client.get(
        "/wilayah/pilih/", {"level": "4", "village_code": "Sarongan"}
    )  # Banyuwangi, not hers
    assert "<option" not in outside.content.decode()
    assert Client().get("/wilayah/pilih/", {"village_code": name}).status_code == 302  # signed in only


def test_an_agent_registers_a_worker_by_the_villages_name(client: Client) -> None:
    client.force_login(make_user(Role.AGENT, region_code="36.03.01"))
    name = Region.objects.get(code=VILLAGE).name
    form = {"nik": "", "full_name": "Sutrisno", "sex": "L", "birth_place": "Tangerang", "birth_date": "12-04-1980",
            "mother_name": "Tukiyem", "village_code": name, "occupation": "Petani", "income": "1000000"}  # fmt: skip
    response = client.post("/pekerja/baru/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Worker.objects.get(full_name="Sutrisno").village_id == VILLAGE
    unknown = client.post("/pekerja/baru/", {**form, "full_name": "Paijo", "village_code": "Sarongan"})
    assert unknown.status_code == 400 and "REGION_NOT_FOUND" in unknown.content.decode()


def test_every_level_is_named_as_people_write_it() -> None:
    labels = region_labels(codes=["36", "36.03", "36.03.01", VILLAGE])
    assert labels["36"] == "Prov. Banten"  # the home said "Wilayah 36"
    assert labels["36.03"] == "Kab. Tangerang, Prov. Banten"
    assert labels["36.03.01"].startswith("Kec. Balaraja, Kab. Tangerang")
    assert labels[VILLAGE] == "Desa Cangkudu, Kec. Balaraja, Kab. Tangerang"
