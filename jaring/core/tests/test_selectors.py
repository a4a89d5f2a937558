"""Region scoping is decided once, in the viewer."""

import pytest
from django.contrib.auth import get_user_model

from jaring.core.factories import make_user, make_viewer
from jaring.core.models import AuditEvent
from jaring.core.rules import Role
from jaring.core.selectors import viewer_for

pytestmark = pytest.mark.django_db


def test_branch_clerk_sees_the_regencies_of_their_branch() -> None:
    _, viewer = make_viewer(Role.BRANCH, branch_code="KC-PTK")
    assert "61.71" in viewer.region_codes and "61.12" in viewer.region_codes
    assert "61.72" not in viewer.region_codes  # Singkawang has its own branch
    assert viewer.may_see_region("61.71.01.1001") and not viewer.may_see_region("61.72.01.1001")


def test_village_operator_sees_one_village() -> None:
    _, viewer = make_viewer(Role.VILLAGE, region_code="36.03.01.2003")
    assert viewer.may_see_region("36.03.01.2003")
    assert not viewer.may_see_region("36.03.01.2005")
    assert not viewer.may_see_region("36.03.01")


def test_a_user_without_a_role_sees_nothing() -> None:
    user = get_user_model().objects.create_user(username="tamu", password="x-12345678")
    assert viewer_for(user) is None


def test_sponsor_sees_no_region_until_funding_exists() -> None:
    _, viewer = make_viewer(Role.SPONSOR)
    assert not viewer.all_regions and viewer.region_codes == ()


def test_profile_change_is_audited() -> None:
    user = make_user(Role.REGION, region_code="36.03")
    event = AuditEvent.objects.filter(action="user_profile.set", entity_id=str(user.pk)).get()
    assert event.changes["region_code"] == "36.03"
