"""A claim from the first report to the payment: its event, the breakdown assessed by the rules (frozen when
filed, recomputed only by a new assessment), each step with who took it, and its documents (stored outside the
web root). Claims are never deleted: a wrong one is rejected with a reason."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from jaring.claims.rules import ClaimType


class ClaimStatus(models.TextChoices):
    REPORTED = "reported", "Dilaporkan"
    DOCUMENTS_COMPLETE = "documents", "Dokumen lengkap"
    VERIFIED = "verified", "Diverifikasi"
    APPROVED = "approved", "Disetujui"
    PAID = "paid", "Dibayar"
    REJECTED = "rejected", "Ditolak"


class Claim(models.Model):
    number = models.CharField(max_length=20, unique=True)  # what a worker or heir looks up
    worker = models.ForeignKey("registry.Worker", on_delete=models.PROTECT, related_name="claims")
    claim_type = models.CharField(max_length=24, choices=[(c.value, c.value) for c in ClaimType])
    event_date = models.DateField()
    reported_at = models.DateTimeField()
    # Inputs of the breakdown, where the type needs them.
    days = models.PositiveIntegerField(null=True, blank=True)
    percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    injuries = models.JSONField(
        default=list, blank=True
    )  # [{"code", "function_lost"}] from the disability table
    left_handed = models.BooleanField(default=False)
    mode = models.CharField(max_length=4, blank=True, default="")
    aid = models.CharField(
        max_length=12, blank=True, default=""
    )  # jkk_aids: glasses, hearing, other, prosthesis
    # An occupational disease: the JKK right runs 5 years from its diagnosis, not from the event.
    diagnosis_date = models.DateField(null=True, blank=True)
    amount_claimed = models.BigIntegerField(null=True, blank=True)
    income = models.BigIntegerField()
    lines = models.JSONField(default=list)  # [{"item", "amount", "basis"}]
    # How the event's month was paid when filed: counted_at (when Jaring learned of the money), value_date,
    # source, payer; null when it was not paid by the event day.
    cover = models.JSONField(null=True, blank=True)
    total = models.BigIntegerField(default=0)
    refusals = models.JSONField(default=list)  # codes the rules gave when filed
    flags = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.REPORTED)
    reject_code = models.CharField(max_length=40, blank=True, default="")
    reject_reason = models.CharField(max_length=255, blank=True, default="")
    # Paid to the heir or the worker.
    beneficiary_name = models.CharField(max_length=150, blank=True, default="")
    bank = models.CharField(max_length=32, blank=True, default="")
    account_number = models.CharField(max_length=32, blank=True, default="")
    payment_reference = models.CharField(max_length=64, blank=True, default="")
    paid_at = models.DateTimeField(null=True, blank=True)
    # A scholarship is claimed yearly per child, after its parent claim (a death or total disability).
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="scholarships"
    )
    child_name = models.CharField(max_length=150, blank=True, default="")
    child_birth_date = models.DateField(null=True, blank=True)
    child_index = models.PositiveSmallIntegerField(null=True, blank=True)  # 0 = eldest claimed
    level = models.CharField(max_length=10, blank=True, default="")
    school_year = models.PositiveSmallIntegerField(null=True, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")  # fmt: skip
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")  # fmt: skip
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            # The person who approves is never the person who verified (four eyes).
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True)
                | Q(verified_by__isnull=True)
                | ~Q(approved_by=models.F("verified_by")),
                name="claim_four_eyes",
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="claim_total_not_negative"),
        ]
        indexes = [models.Index(fields=["status", "-id"]), models.Index(fields=["worker", "event_date"])]

    def __str__(self) -> str:
        return f"{self.number} {self.claim_type} {self.status}"


class DisabilityRate(models.Model):
    """One row of the disability table (PP 44/2015, then PP 82/2019 Lampiran III), effective-dated: a new
    regulation is a new set of rows with a later `valid_from` (`jaring claim disability-table --load FILE`),
    never an edit of the old. A range row has `percent_max` (the doctor fixes the percentage within); a per-step
    row has `step` and `unit` (e.g. 6 % per 10 dB of hearing lost, at most `percent_max`)."""

    code = models.CharField(max_length=40)
    part = models.CharField(max_length=150)
    percent = models.DecimalField(max_digits=5, decimal_places=2)
    percent_max = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    step = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    unit = models.CharField(max_length=8, blank=True, default="")
    mirror = models.CharField(max_length=40, blank=True, default="")
    valid_from = models.DateField()
    source = models.CharField(max_length=200)

    class Meta:
        ordering = ["valid_from", "id"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="disability_rate_once"),
            models.CheckConstraint(
                condition=Q(percent__gt=0) & Q(percent__lte=100), name="disability_rate_range"
            ),
            models.CheckConstraint(
                condition=Q(percent_max__isnull=True)
                | (Q(percent_max__gte=models.F("percent")) & Q(percent_max__lte=100)),
                name="disability_rate_max_range",
            ),
            models.CheckConstraint(
                condition=Q(step__isnull=True) | Q(step__gt=0), name="disability_rate_step"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.percent} % ({self.valid_from})"


class DocumentType(models.TextChoices):
    DEATH_CERTIFICATE = "death_certificate", "Akta kematian"
    ID_CARD = "id_card", "KTP"
    FAMILY_CARD = "family_card", "Kartu keluarga"
    MEDICAL_BILL = "medical_bill", "Tagihan medis"
    POLICE_REPORT = "police_report", "Laporan polisi"
    ACCIDENT_REPORT = "accident_report", "Laporan kecelakaan kerja"
    SCHOOL_CERTIFICATE = "school_certificate", "Surat keterangan sekolah"
    OTHER = "other", "Lainnya"


class ClaimDocument(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="documents")
    doc_type = models.CharField(max_length=20, choices=DocumentType.choices)
    file_name = models.CharField(max_length=255)  # as uploaded, for display
    stored_as = models.CharField(max_length=255)  # relative to JARING claims dir: never under the web root
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")  # fmt: skip
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.claim_id} {self.doc_type} {self.file_name}"
