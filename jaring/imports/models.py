from __future__ import annotations

from django.conf import settings
from django.db import models


class BatchStatus(models.TextChoices):
    QUEUED = "queued", "Antre"
    STAGING = "staging", "Sedang diperiksa"
    STAGED = "staged", "Siap ditinjau"
    COMMITTING = "committing", "Sedang disimpan"
    COMMITTED = "committed", "Tersimpan"
    FAILED = "failed", "Berkas ditolak"


class ImportBatch(models.Model):
    """One uploaded list: the file (kept, with its hash), the staged verdict on every row, and the commit."""

    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64, unique=True)
    file_size = models.BigIntegerField()
    source = models.CharField(max_length=200)
    default_village_code = models.CharField(max_length=13, blank=True, default="")
    region_code = models.CharField(max_length=13, blank=True, default="")  # scope of the uploader
    status = models.CharField(max_length=12, choices=BatchStatus.choices, default=BatchStatus.QUEUED)
    error_code = models.CharField(max_length=40, blank=True, default="")
    error_message = models.TextField(blank=True, default="")
    rows = models.IntegerField(default=0)
    accepted = models.IntegerField(default=0)  # without any issue
    warnings = models.IntegerField(default=0)  # accepted with warnings
    rejected = models.IntegerField(default=0)
    duplicates_in_file = models.IntegerField(default=0)
    existing_workers = models.IntegerField(default=0)
    created_workers = models.IntegerField(default=0)
    proposals = models.IntegerField(default=0)
    progress_phase = models.CharField(max_length=32, blank=True, default="")
    progress_done = models.BigIntegerField(default=0)
    progress_total = models.BigIntegerField(default=0)
    timings = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    staged_at = models.DateTimeField(null=True, blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["region_code", "-id"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"

    @property
    def clean_rows(self) -> int:
        """Accepted rows without any warning (`accepted` counts every row that will be registered)."""
        return self.accepted - self.warnings


class ImportIssue(models.Model):
    """One problem in one cell of an uploaded list: where, a stable code, and what to do about it."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="issues")
    sheet = models.CharField(max_length=64)
    row = models.IntegerField()  # the row number the person sees in Excel (1-based, header included)
    column = models.CharField(max_length=100)
    code = models.CharField(max_length=40)
    severity = models.CharField(max_length=8)
    message = models.TextField()

    class Meta:
        ordering = ["row", "id"]
        indexes = [models.Index(fields=["batch", "severity", "row"])]

    def __str__(self) -> str:
        return f"{self.sheet}!{self.row} {self.code}"
