"""Writes of the core app: the audit trail, counters and user profiles."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from jaring.core.audit import AuditAction, Entity
from jaring.core.context import request_id_var
from jaring.core.errors import Conflict, ErrorCode, NotFound, ValidationFailed
from jaring.core.models import ApiToken, AuditEvent, Counter, UserProfile
from jaring.core.rules import Role
from jaring.core.selectors import region_directory
from jaring.core.types import text_checked

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


TOKEN_PREFIX = "jrg_"
TOKEN_MAX_DAYS = 3650
TOKEN_USE_RECORDED_EVERY = dt.timedelta(minutes=1)  # last_used_at is a hint, not a log: the audit is the log


def api_token_hash(key: str) -> str:
    """A key is 32 random bytes: a fast hash is enough (nothing to brute-force), and it is looked up by it."""
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_issue(
    *, username: str, name: str, days: int | None = None, actor: Actor
) -> tuple[ApiToken, str]:
    """A key for a partner system acting as `username` (its role and scope). Returns the token and the key,
    which is shown once and never stored."""
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None or not (UserProfile.objects.filter(user=user).exists() or user.is_superuser):
        raise ValidationFailed(
            f"Pengguna '{username}' tidak ada, tidak aktif, atau belum memiliki peran di Jaring.",
            code=ErrorCode.TOKEN_USER_INVALID, field="username",
        )  # fmt: skip
    name = text_checked(name, field="name", max_length=100)
    if days is not None and not 1 <= days <= TOKEN_MAX_DAYS:
        raise ValidationFailed(f"Masa berlaku token 1-{TOKEN_MAX_DAYS} hari.", code=ErrorCode.TOKEN_DAYS_INVALID,
                               field="days")  # fmt: skip
    prefix = TOKEN_PREFIX + secrets.token_hex(4)
    key = f"{prefix}_{secrets.token_urlsafe(32)}"
    expires = timezone.now() + dt.timedelta(days=days) if days else None
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, prefix=prefix, key_hash=api_token_hash(key),
                                        created_by=actor_user(actor), expires_at=expires)  # fmt: skip
        audit_record(actor=actor, action=AuditAction.API_TOKEN_ISSUE, entity_type=Entity.API_TOKEN,
                     entity_id=token.pk, changes={"user": username, "name": name, "prefix": prefix,
                                                  "expires_at": expires.isoformat() if expires else None})  # fmt: skip
    return token, key


def api_token_revoke(*, token: str, actor: Actor) -> ApiToken:
    """Revoke by id or prefix; a revoked token answers 401 from the next call on. Revoking twice is harmless."""
    query = Q(prefix=token) | (Q(pk=int(token)) if token.isdigit() and len(token) < 19 else Q(pk__in=[]))
    with transaction.atomic():
        found = ApiToken.objects.select_for_update().filter(query).first()
        if found is None:
            raise NotFound(f"Token '{token}' tidak ada.", code=ErrorCode.TOKEN_NOT_FOUND, field="token")
        if found.revoked_at is None:
            found.revoked_at = timezone.now()
            found.save(update_fields=["revoked_at"])
            audit_record(actor=actor, action=AuditAction.API_TOKEN_REVOKE, entity_type=Entity.API_TOKEN,
                         entity_id=found.pk, changes={"prefix": found.prefix, "user": found.user.get_username()})  # fmt: skip
    return found


def api_token_use(*, key: str) -> ApiToken | None:
    """The token a request presents, if it is valid now (not revoked, not expired, its user active)."""
    if not key.startswith(TOKEN_PREFIX) or len(key) > 100:
        return None
    token = (ApiToken.objects.select_related("user")
             .filter(key_hash=api_token_hash(key), revoked_at__isnull=True, user__is_active=True).first())  # fmt: skip
    now = timezone.now()
    if token is None or (token.expires_at is not None and token.expires_at <= now):
        return None
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_RECORDED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def api_call_record(*, token: ApiToken, method: str, path: str, status: int) -> None:
    """Every call made with a token, audited under the token: who, what (method and path, never a query
    string or a body) and how it ended."""
    audit_record(actor=token.user, action=AuditAction.API_CALL, entity_type=Entity.API_TOKEN, entity_id=token.pk,
                 changes={"method": method, "path": path[:300], "status": status})  # fmt: skip
