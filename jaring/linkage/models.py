"""Duplicate detection: the trained model (kept with its parameters so a decision can be explained later),
each run, the candidate pairs with their evidence and what a person decided, merges (undoable), and NIKs
that two clearly different people carry (a queue of their own, never merged)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class LinkageModel(models.Model):
    """Splink's settings with every m and u probability, as trained on the registry."""

    parameters = models.JSONField()
    trained_on = models.PositiveIntegerField()  # records
    seconds = models.FloatField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"model {self.pk} ({self.trained_on} records)"


class LinkageSettings(models.Model):
    """One row. Nothing is merged without a person unless an administrator turns automatic merging on above a
    probability they choose."""

    auto_merge = models.BooleanField(default=False)
    auto_merge_threshold = models.FloatField(default=0.999)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(auto_merge_threshold__gte=0.9) & Q(auto_merge_threshold__lte=1),
                name="linkage_auto_merge_threshold_range",
            )
        ]

    def __str__(self) -> str:
        return f"auto_merge={self.auto_merge} >= {self.auto_merge_threshold}"


class DedupeRun(models.Model):
    batch = models.ForeignKey(
        "imports.ImportBatch", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    model = models.ForeignKey(LinkageModel, on_delete=models.PROTECT, related_name="runs")
    records = models.PositiveIntegerField(default=0)
    pairs_found = models.PositiveIntegerField(default=0)
    proposed = models.PositiveIntegerField(default=0)
    auto_merged = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"run {self.pk}: {self.pairs_found} pairs"


class PairStatus(models.TextChoices):
    OPEN = "open", "Menunggu"
    MERGED = "merged", "Digabung"
    DISMISSED = "dismissed", "Bukan orang yang sama"


class CandidatePair(models.Model):
    """Two workers that may be one person. (worker_a, worker_b) with a < b, once: a dismissed pair never comes
    back, a merged one is history."""

    worker_a = models.ForeignKey("registry.Worker", on_delete=models.PROTECT, related_name="+")
    worker_b = models.ForeignKey("registry.Worker", on_delete=models.PROTECT, related_name="+")
    probability = models.FloatField()
    match_weight = models.FloatField(default=0)
    evidence = models.JSONField(default=dict)  # per field: the level reached and its Bayes factor
    nik_typo = models.BooleanField(default=False)  # the NIKs differ as a typo or Excel would make them
    priority = models.PositiveSmallIntegerField(default=2)  # 0 proposed first
    status = models.CharField(max_length=10, choices=PairStatus.choices, default=PairStatus.OPEN)
    reason = models.CharField(max_length=255, blank=True, default="")
    run = models.ForeignKey(DedupeRun, on_delete=models.PROTECT, related_name="pairs")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")  # fmt: skip
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["worker_a", "worker_b"], name="pair_once"),
            models.CheckConstraint(condition=Q(worker_a__lt=models.F("worker_b")), name="pair_ordered"),
        ]
        indexes = [models.Index(fields=["status", "priority", "-probability"])]

    def __str__(self) -> str:
        return f"{self.worker_a_id}~{self.worker_b_id} {self.probability:.3f} {self.status}"


class Merge(models.Model):
    """The retired worker keeps its row and points to the survivor; `moved` lists every row moved (per table,
    the ids) so that an administrator can undo the merge exactly."""

    pair = models.ForeignKey(
        CandidatePair, null=True, blank=True, on_delete=models.PROTECT, related_name="merges"
    )
    survivor = models.ForeignKey("registry.Worker", on_delete=models.PROTECT, related_name="+")
    retired = models.ForeignKey("registry.Worker", on_delete=models.PROTECT, related_name="+")
    moved = models.JSONField(default=dict)
    kept = models.JSONField(default=dict)  # rows left with the retired worker (a month both were billed)
    nik_moved = models.BooleanField(default=False)
    reason = models.CharField(max_length=255, blank=True, default="")
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")  # fmt: skip
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")  # fmt: skip
    undone_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.retired_id} -> {self.survivor_id}"


class NikConflict(models.Model):
    """A list brought a registered NIK under a clearly different person, or someone outside the worker's region
    tried to register a registered NIK: a case for the branch to resolve, never a merge. Keeps what was written."""

    worker = models.ForeignKey("registry.Worker", on_delete=models.PROTECT, related_name="+")
    # From a list's row, or (batch empty) from a registration form of someone outside the worker's region.
    source = models.CharField(
        max_length=8, default="list", choices=[("list", "Daftar"), ("form", "Formulir")]
    )
    batch = models.ForeignKey(
        "imports.ImportBatch", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sheet = models.CharField(max_length=64, blank=True, default="")
    row = models.PositiveIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")  # fmt: skip
    name_written = models.CharField(max_length=150)
    birth_date_written = models.CharField(max_length=32, blank=True, default="")
    village_written = models.CharField(max_length=16, blank=True, default="")
    status = models.CharField(max_length=10, default="open",
                              choices=[("open", "Menunggu"), ("resolved", "Selesai")])  # fmt: skip
    resolution = models.CharField(max_length=255, blank=True, default="")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")  # fmt: skip
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["batch", "sheet", "row"], name="nik_conflict_once_per_row")
        ]

    def __str__(self) -> str:
        return f"NIK of {self.worker_id} in batch {self.batch_id} row {self.row}"
