"""Coverage aggregates (issue #15): one row per region, month, dimension and key, kept up to date by the refresh
job after every batch job that changes who is covered; never computed from the live tables per request."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class CoverageFigure(models.Model):
    """The figures of one region (every level: "" nation, 2 province, 5 regency, 8 district, 13 village) in one
    month, in total (dimension "") or for one key of a split (occupation, ecosystem, payer type, sponsor)."""

    region_code = models.CharField(max_length=13)
    level = models.PositiveSmallIntegerField()  # 0 nation, 1 province .. 4 village
    period = models.CharField(max_length=7)
    dimension = models.CharField(max_length=12, blank=True, default="")
    key = models.CharField(max_length=64, blank=True, default="")
    registered = models.IntegerField(default=0)
    members = models.IntegerField(default=0)  # billed for the month: an active membership then
    covered = models.IntegerField(default=0)  # the month paid in full
    arrears = models.IntegerField(default=0)  # billed, unpaid, still payable
    lapsed = models.IntegerField(default=0)  # billed, unpaid, no longer payable: uncovered for ever
    new = models.IntegerField(default=0)  # first month ever billed
    renewed = models.IntegerField(default=0)  # covered this month and the month before
    stopped = models.IntegerField(default=0)  # covered the month before, not this month
    billed_amount = models.BigIntegerField(default=0)
    paid_amount = models.BigIntegerField(default=0)
    claims_filed = models.IntegerField(default=0)  # reported this month
    claims_paid = models.IntegerField(default=0)  # paid this month
    claims_paid_amount = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "dimension", "key", "region_code"], name="coverage_figure_once"
            )
        ]
        # A region's own row and its children's (region_code range within a level) for one month; its trend.
        indexes = [
            models.Index(
                fields=["period", "dimension", "key", "level", "region_code"], name="coverage_children"
            ),
            models.Index(fields=["region_code", "dimension", "key", "period"], name="coverage_trend"),
        ]

    def __str__(self) -> str:
        return f"{self.region_code or 'ID'} {self.period} {self.dimension}={self.key}: {self.covered}"


class CoverageTarget(models.Model):
    """A region's denominator: its vulnerable/informal workers as the region counted them, with source and year.
    Never edited: a new figure is a new row, the newest year (then the newest row) counts."""

    region_code = models.CharField(max_length=13)  # "" = the nation
    workers = models.PositiveIntegerField()
    source = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["region_code", "-year", "-id"])]
        constraints = [models.CheckConstraint(condition=Q(workers__gt=0), name="coverage_target_positive")]

    def __str__(self) -> str:
        return f"{self.region_code or 'ID'} {self.workers} ({self.source}, {self.year})"


class DirtyPeriod(models.Model):
    """A month whose figures wait for the refresh job ("*": every month), one row per job that touched it: the
    refresh deletes only the rows it read, so a job still running when it read keeps its own mark."""

    period = models.CharField(max_length=7)
    since = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.period


class CoverageRefresh(models.Model):
    """One run of the refresh job: which months, how many rows, how long."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    periods = models.CharField(max_length=255, blank=True, default="")
    rows = models.IntegerField(default=0)
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"refresh {self.periods} #{self.pk}"
