"""Sponsors, their funding programs, allocation runs and what they decided. A program pays through one
contributions `Payer` (its virtual account and bills); an allocation is a worker funded for a run of months,
mirrored as the `PayerAssignment` the billing run reads."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from jaring.contributions.rules import PayerType
from jaring.funding.rules import Outcome, Priority, Reason

SPONSOR_TYPE_CHOICES = [(p.value, p.value) for p in PayerType if p != PayerType.MANDIRI]


class SponsorKind(models.TextChoices):
    GOVERNMENT = "government", "Pemerintah"
    COMPANY = "company", "Perusahaan"
    ORGANISATION = "organisation", "Organisasi"
    PERSON = "person", "Perorangan"


class Sponsor(models.Model):
    """Whoever pays for workers: a regency, a village, a company, a donor. Its users (UserProfile.sponsor_ref
    = ref) see only its programs; `region_code` is where it works (empty: anywhere)."""

    ref = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    payer_type = models.CharField(max_length=16, choices=SPONSOR_TYPE_CHOICES)
    kind = models.CharField(max_length=12, choices=SponsorKind.choices, default=SponsorKind.GOVERNMENT)
    region_code = models.CharField(max_length=13, blank=True, default="")
    contact = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProgramStatus(models.TextChoices):
    ACTIVE = "active", "Aktif"
    CLOSED = "closed", "Ditutup"


class Program(models.Model):
    """A budget that pays the contributions of eligible workers for a run of months."""

    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, related_name="programs")
    name = models.CharField(max_length=200)
    payer_type = models.CharField(max_length=16, choices=SPONSOR_TYPE_CHOICES)
    budget = models.BigIntegerField()  # whole rupiah
    first_period = models.CharField(max_length=7)
    months = models.PositiveSmallIntegerField()
    jht = models.BooleanField(default=False)  # also pays the optional JHT
    frequency = models.PositiveSmallIntegerField(default=1)  # months billed at once
    # Eligibility: comma-separated lists, empty = any.
    region_codes = models.TextField(blank=True, default="")
    occupations = models.TextField(blank=True, default="")
    ecosystems = models.TextField(blank=True, default="")
    age_min = models.PositiveSmallIntegerField(null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(null=True, blank=True)
    decile_max = models.PositiveSmallIntegerField(null=True, blank=True)
    only_uncovered = models.BooleanField(default=False)
    priority = models.CharField(
        max_length=8, choices=[(p.value, p.value) for p in Priority], default=Priority.POOREST.value
    )
    max_workers = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=6, choices=ProgramStatus.choices, default=ProgramStatus.ACTIVE)
    payer = models.OneToOneField(
        "contributions.Payer", on_delete=models.PROTECT, related_name="funding_program"
    )
    is_donation = models.BooleanField(default=False)
    # Kept by every allocation run (sums of its allocations), so that lists of programs never aggregate.
    committed = models.BigIntegerField(default=0)
    funded_workers = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0), name="program_budget_not_negative"),
            models.CheckConstraint(
                condition=Q(months__gte=1) & Q(months__lte=60), name="program_months_range"
            ),
            models.CheckConstraint(
                condition=Q(committed__lte=models.F("budget")), name="program_within_budget"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def split(text: str) -> list[str]:
        return [part for part in (p.strip() for p in text.split(",")) if part]


class AllocationRun(models.Model):
    """One allocation over one or more programs: counts, money and time, recorded even when nothing changed."""

    program = models.ForeignKey(Program, null=True, blank=True, on_delete=models.PROTECT, related_name="runs")
    programs = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    assigned = models.IntegerField(default=0)
    assigned_months = models.IntegerField(default=0)
    waitlisted = models.IntegerField(default=0)
    excluded = models.IntegerField(default=0)
    reasons = models.JSONField(default=dict)  # reason code -> workers
    # Per program: {"<id>": {"assigned": n, "months": n, "committed": rp, "waitlisted": {reason: n},
    # "excluded": {reason: n}}}: what a program's page explains.
    outcomes = models.JSONField(default=dict)
    budget_committed = models.BigIntegerField(default=0)  # by this run
    seconds = models.FloatField(default=0)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"allocation #{self.pk}"


class AllocationSource(models.TextChoices):
    RUN = "run", "Alokasi"
    LEGACY = "legacy", "Data lama"


class Allocation(models.Model):
    """A worker funded by a program for consecutive months, at a cost fixed when allocated."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="allocations", db_index=False)
    worker = models.ForeignKey("registry.Worker", on_delete=models.PROTECT, related_name="+", db_index=False)
    # No database constraint: the run is written in the same transaction by the only writer, and a million
    # allocations would each pay a foreign-key check at commit (bench/README.md).
    run = models.ForeignKey(AllocationRun, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                            db_index=False, db_constraint=False)  # fmt: skip
    first_period = models.CharField(max_length=7)
    last_period = models.CharField(max_length=7)
    months = models.PositiveSmallIntegerField()
    cost = models.BigIntegerField()
    source = models.CharField(max_length=6, choices=AllocationSource.choices, default=AllocationSource.RUN)
    rank = models.IntegerField(null=True, blank=True)  # the worker's place in the program's priority order

    class Meta:
        indexes = [
            models.Index(fields=["worker", "first_period"]),
            models.Index(fields=["program", "worker"]),
            models.Index(fields=["last_period"]),
        ]

    def __str__(self) -> str:
        return f"{self.program_id}:{self.worker_id} {self.first_period}-{self.last_period}"


class Decision(models.Model):
    """Why a worker in a program's reach was not funded by one run (waiting, or excluded by a condition): the
    program's explanation. Funded workers are their allocations; the run counts the rest."""

    # A derived log written only by the allocation run, from ids it has just read: no foreign-key checks (a run
    # writes a million of these; each check would lock the referenced row at commit).
    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="+", db_index=False,
                            db_constraint=False)  # fmt: skip
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+", db_index=False,
                                db_constraint=False)  # fmt: skip
    worker = models.ForeignKey("registry.Worker", on_delete=models.PROTECT, related_name="+", db_index=False,
                               db_constraint=False)  # fmt: skip
    outcome = models.CharField(max_length=10, choices=[(o.value, o.value) for o in Outcome])
    reason = models.CharField(
        max_length=24, blank=True, default="", choices=[(r.value, r.value) for r in Reason]
    )
    rank = models.IntegerField(null=True, blank=True)  # place in the program's priority order
    months = models.PositiveSmallIntegerField(default=0)
    cost = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["program", "run", "outcome", "rank"])]

    def __str__(self) -> str:
        return f"{self.program_id}:{self.worker_id} {self.outcome} {self.reason}"
