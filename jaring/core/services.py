"""Writes of the core app: the audit trail, counters and user profiles."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import F

from jaring.core.context import request_id_var
from jaring.core.models import AuditEvent, Counter, UserProfile
from jaring.core.rules import Role

Actor = AbstractBaseUser | AnonymousUser | None


def _actor_fields(actor: Actor) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_label": "system"}
    return {"actor": actor, "actor_label": actor.get_username()}


def audit_record(
    *,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: object,
    changes: dict[str, Any] | None = None,
    batch_ref: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        **_actor_fields(actor),
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        batch_ref=batch_ref,
        request_id=request_id_var.get(),
        changes=changes or {},
    )


def counter_take(*, name: str, count: int = 1) -> int:
    """Reserve `count` consecutive values; returns the first. Must run inside the caller's transaction."""
    with transaction.atomic():
        Counter.objects.get_or_create(name=name)
        Counter.objects.filter(name=name).update(value=F("value") + count)
        last = Counter.objects.select_for_update().get(name=name).value
    return last - count + 1


def user_profile_set(
    *, user: AbstractBaseUser, role: Role, region_code: str = "", branch_code: str = "", actor: Actor
) -> UserProfile:
    with transaction.atomic():
        profile, _ = UserProfile.objects.update_or_create(
            user_id=user.pk,
            defaults={"role": role.value, "region_code": region_code, "branch_code": branch_code},
        )
        audit_record(
            actor=actor,
            action="user_profile.set",
            entity_type="user",
            entity_id=user.pk,
            changes={"role": role.value, "region_code": region_code, "branch_code": branch_code},
        )
    return profile
