from __future__ import annotations

from django.conf import settings
from django.db import models

from jaring.core.rules import ROLE_LABELS, Role


class UserProfile(models.Model):
    """Who a user is in Jaring: a role and the one scope they work in (a region, a branch or a sponsor)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(max_length=16, choices=[(r.value, ROLE_LABELS[r]) for r in Role])
    # A Kemendagri code of any level (province "36", regency "36.03", district, village); empty = none.
    region_code = models.CharField(max_length=13, blank=True, default="")
    branch_code = models.CharField(max_length=16, blank=True, default="")
    sponsor_ref = models.CharField(max_length=64, blank=True, default="")
    # A password someone else chose (the first one `jaring user add` prints): changed at the next sign-in.
    must_change_password = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class AuditEvent(models.Model):
    """Who did what, when, to which record, from which batch or request. Append-only."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    actor_label = models.CharField(max_length=150, blank=True, default="")
    action = models.CharField(max_length=64)
    entity_type = models.CharField(max_length=64)
    entity_id = models.CharField(max_length=64)
    batch_ref = models.CharField(max_length=64, blank=True, default="")
    request_id = models.CharField(max_length=64, blank=True, default="")
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["entity_type", "entity_id", "at"])]
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.entity_type}#{self.entity_id}"


class Counter(models.Model):
    """Named monotonic counters (card numbers); advanced under a row lock."""

    name = models.CharField(max_length=32, primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class ApiToken(models.Model):
    """A partner system's key to the API (a regency's information system, a bank): it acts as its user, with
    that user's role and scope. Only a SHA-256 of the key is kept; the key is shown once, when issued."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)  # what it is for: "SIPD Kab. Tangerang"
    prefix = models.CharField(max_length=12, unique=True)  # shown in lists and logs; not enough to use it
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "Token API"
        verbose_name_plural = "Token API"

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name} ({self.user})"
