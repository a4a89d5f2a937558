"""Test and demo helpers shared by every app's tests: users with a role and a scope, and viewers."""

from __future__ import annotations

import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User

from jaring.core.rules import Role
from jaring.core.selectors import Viewer, viewer_for
from jaring.core.services import user_profile_set

_seq = itertools.count(1)
PASSWORD = "test-pass-123"


def make_user(
    role: Role, *, region_code: str = "", branch_code: str = "", username: str = "", sponsor_ref: str = ""
) -> User:
    user: User = get_user_model().objects.create_user(
        username=username or f"{role.value}{next(_seq)}", password=PASSWORD
    )
    user_profile_set(
        user=user,
        role=role,
        region_code=region_code,
        branch_code=branch_code,
        sponsor_ref=sponsor_ref,
        actor=None,
    )
    return user


def make_viewer(role: Role, *, region_code: str = "", branch_code: str = "") -> tuple[User, Viewer]:
    user = make_user(role, region_code=region_code, branch_code=branch_code)
    viewer = viewer_for(user)
    assert viewer is not None
    return user, viewer
