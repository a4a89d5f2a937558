from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from jaring.registry.rules import ECOSYSTEM_LABELS, OCCUPATIONS, Sector


class Worker(models.Model):
    """A vulnerable worker (peserta BPU). NIK is unique where known; lists without NIK still register."""

    nik = models.CharField(max_length=16, null=True, blank=True)
    full_name = models.CharField(max_length=150)
    name_key = models.CharField(max_length=150)  # searched by word (LIKE), which no b-tree index serves
    sex = models.CharField(max_length=1, choices=[("L", "Laki-laki"), ("P", "Perempuan")])
    birth_place = models.CharField(max_length=100, blank=True, default="")
    birth_date = models.DateField(null=True, blank=True)
    mother_name = models.CharField(max_length=150, blank=True, default="")
    address = models.CharField(max_length=255, blank=True, default="")
    # Indexed by the (village, -id) index below; no second single-column index.
    village = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, db_column="village_code", db_index=False
    )
    # Denormalised ancestors of the village: region scoping is an indexed equality, never a LIKE.
    district_code = models.CharField(max_length=8)
    regency_code = models.CharField(max_length=5)
    province_code = models.CharField(max_length=2)
    phone = models.CharField(max_length=16, blank=True, default="")
    occupation = models.CharField(max_length=32, choices=[(o.code, o.label) for o in OCCUPATIONS])
    occupation_text = models.CharField(max_length=100, blank=True, default="")  # as written, when unmapped
    ecosystem = models.CharField(
        max_length=8, choices=[(e.value, lbl) for e, lbl in ECOSYSTEM_LABELS.items()]
    )
    sector = models.CharField(max_length=10, choices=[(s.value, s.value) for s in Sector])
    income_tier = models.BigIntegerField(default=1_000_000)  # whole rupiah
    poverty_decile = models.PositiveSmallIntegerField(null=True, blank=True)  # DTSEN decile 1-10
    # A merged duplicate keeps its row and points to the worker that survived (linkage.Merge says what moved).
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_batch = models.ForeignKey(
        "imports.ImportBatch", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["nik"], condition=Q(nik__isnull=False), name="worker_nik_unique"),
            models.CheckConstraint(condition=Q(sex__in=["L", "P"]), name="worker_sex_valid"),
            models.CheckConstraint(condition=Q(income_tier__gte=0), name="worker_income_positive"),
        ]
        indexes = [
            models.Index(fields=["regency_code", "-id"]),
            models.Index(fields=["district_code", "-id"]),
            models.Index(fields=["village", "-id"]),
        ]

    def __str__(self) -> str:
        return self.full_name


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", "Aktif"
    ENDED = "ended", "Berakhir"


class Membership(models.Model):
    """Registration with BPJS Ketenagakerjaan: the 11-digit card number (KPJ)."""

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="memberships")
    kpj = models.CharField(max_length=11, unique=True)
    status = models.CharField(
        max_length=12, default=MembershipStatus.ACTIVE, choices=MembershipStatus.choices
    )
    registered_at = models.DateTimeField(auto_now_add=True)
    # Who issued the card: read from the audit trail, never searched by, so no index to keep up (a committed
    # list issues a million cards in one statement).
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["worker"], condition=Q(status="active"), name="membership_one_active_per_worker"
            )
        ]

    def __str__(self) -> str:
        return self.kpj


class ContactChangeProposal(models.Model):
    """A list brought different contact details for a worker already registered: proposed, not overwritten."""

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="change_proposals")
    field_name = models.CharField(max_length=32)
    current_value = models.CharField(max_length=255, blank=True, default="")
    proposed_value = models.CharField(max_length=255)
    batch = models.ForeignKey("imports.ImportBatch", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=10,
        default="open",
        choices=[("open", "Menunggu"), ("accepted", "Diterima"), ("rejected", "Ditolak")],
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["worker", "field_name", "batch"], name="proposal_once_per_batch")
        ]

    def __str__(self) -> str:
        return f"{self.worker_id}.{self.field_name} -> {self.proposed_value}"
