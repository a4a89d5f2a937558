"""Writes of the core app: the audit trail, counters and user profiles."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import transaction
from django.db.models import F

from jaring.core.audit import AuditAction, Entity
from jaring.core.context import request_id_var
from jaring.core.errors import Conflict, ErrorCode, ValidationFailed
from jaring.core.models import AuditEvent, Counter, UserProfile
from jaring.core.rules import Role
from jaring.core.selectors import region_directory

Actor = AbstractBaseUser | AnonymousUser | None


def actor_user(actor: Actor) -> Any:
    """The user to store as who did something: None for the system (command line, background jobs)."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _actor_fields(actor: Actor) -> dict[str, Any]:
    user = actor_user(actor)
    if user is None:
        return {"actor": None, "actor_label": "system"}
    return {"actor": user, "actor_label": user.get_username()}


def audit_record(
    *,
    actor: Actor,
    action: AuditAction,
    entity_type: Entity,
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
    *,
    user: AbstractBaseUser,
    role: Role,
    region_code: str = "",
    branch_code: str = "",
    sponsor_ref: str = "",
    actor: Actor,
) -> UserProfile:
    with transaction.atomic():
        profile, _ = UserProfile.objects.update_or_create(
            user_id=user.pk,
            defaults={"role": role.value, "region_code": region_code, "branch_code": branch_code,
                      "sponsor_ref": sponsor_ref},
        )  # fmt: skip
        audit_record(
            actor=actor,
            action=AuditAction.USER_PROFILE_SET,
            entity_type=Entity.USER,
            entity_id=user.pk,
            changes={"role": role.value, "region_code": region_code, "branch_code": branch_code,
                     "sponsor_ref": sponsor_ref},
        )  # fmt: skip
    return profile


# Which region levels each role works at (1 province, 2 regency/city, 3 district, 4 village).
ROLE_LEVELS = {Role.REGION: (1, 2), Role.VILLAGE: (4,), Role.AGENT: (3, 4)}


def user_create(
    *,
    username: str,
    role: Role,
    region_code: str = "",
    branch_code: str = "",
    sponsor_ref: str = "",
    actor: Actor,
) -> tuple[User, str]:
    """A new login with a role and its scope; returns the user and a generated password, shown once."""
    username = username.strip()
    if not username or len(username) > 150:
        raise ValidationFailed(
            "Nama pengguna wajib diisi (paling panjang 150 huruf).",
            code=ErrorCode.USERNAME_INVALID,
            field="username",
        )
    if User.objects.filter(username=username).exists():
        raise Conflict(
            f"Nama pengguna '{username}' sudah dipakai.", code=ErrorCode.USERNAME_TAKEN, field="username"
        )
    if role in ROLE_LEVELS:
        level = region_directory().region_level(code=region_code)
        if level is None or level not in ROLE_LEVELS[role]:
            raise ValidationFailed(
                f"Peran ini bekerja di tingkat wilayah {ROLE_LEVELS[role]}; kode '{region_code}' tidak sesuai.",
                code=ErrorCode.REGION_INVALID,
                field="region_code",
            )
    if role == Role.BRANCH and not region_directory().branch_known(code=branch_code):
        raise ValidationFailed(
            f"Kantor cabang '{branch_code}' tidak dikenal.",
            code=ErrorCode.BRANCH_UNKNOWN,
            field="branch_code",
        )
    if role == Role.SPONSOR and not sponsor_ref:
        raise ValidationFailed(
            "Pengguna sponsor perlu kode sponsor.", code=ErrorCode.SPONSOR_REF_MISSING, field="sponsor_ref"
        )
    password = secrets.token_urlsafe(12)
    with transaction.atomic():
        user = User.objects.create_user(username=username, password=password, is_staff=role == Role.ADMIN)
        user_profile_set(user=user, role=role, region_code=region_code, branch_code=branch_code,
                         sponsor_ref=sponsor_ref if role == Role.SPONSOR else "", actor=actor)  # fmt: skip
        UserProfile.objects.filter(user=user).update(
            must_change_password=True
        )  # the first sign-in changes it
    return user, password


def _address(request: Any) -> str:
    return str(getattr(request, "META", {}).get("REMOTE_ADDR", ""))[:64] if request is not None else ""


def login_failed(*, credentials: dict[str, Any], request: Any = None, **_: Any) -> None:
    """A failed sign-in, audited with the user name tried and the address (never the password)."""
    audit_record(actor=None, action=AuditAction.LOGIN_FAIL, entity_type=Entity.USER,
                 entity_id=str(credentials.get("username", ""))[:150] or "-", changes={"source": _address(request)})  # fmt: skip


def login_locked(*, username: str = "", ip_address: str = "", request: Any = None, **_: Any) -> None:
    """A user name or an address locked out after too many failed sign-ins (django-axes), audited."""
    audit_record(actor=None, action=AuditAction.LOGIN_LOCKED, entity_type=Entity.USER,
                 entity_id=(username or "-")[:150], changes={"source": ip_address or _address(request)})  # fmt: skip
