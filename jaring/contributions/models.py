"""Effective-dated rule rows: rates, accepted incomes, discounts and payer-type settings. Regulations
change (2019, 2023, 2025): a change is a new row with its period, never an edited literal."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from jaring.contributions.rules import Basis, PayerType, Program, SectorScope

PERIOD_HELP = "Bulan, YYYY-MM"


class RateRule(models.Model):
    program = models.CharField(max_length=3, choices=[(p.value, p.value.upper()) for p in Program])
    basis = models.CharField(max_length=8, choices=[(b.value, b.value) for b in Basis])
    value = models.DecimalField(max_digits=12, decimal_places=4)  # percent, or whole rupiah for flat
    valid_from = models.CharField(max_length=7, help_text=PERIOD_HELP)
    valid_to = models.CharField(
        max_length=7, blank=True, default="", help_text=PERIOD_HELP + "; kosong = berlaku terus"
    )
    source = models.CharField(max_length=200)

    class Meta:
        ordering = ["program", "valid_from"]
        constraints = [models.CheckConstraint(condition=Q(value__gte=0), name="rate_rule_value_positive")]

    def __str__(self) -> str:
        return f"{self.program} {self.value} ({self.basis}) {self.valid_from}-{self.valid_to or '…'}"


class IncomeTier(models.Model):
    lower = models.BigIntegerField()
    upper = models.BigIntegerField()
    valid_from = models.CharField(max_length=7, help_text=PERIOD_HELP)
    valid_to = models.CharField(max_length=7, blank=True, default="", help_text=PERIOD_HELP)
    source = models.CharField(max_length=200)

    class Meta:
        ordering = ["valid_from", "lower"]
        constraints = [
            models.CheckConstraint(condition=Q(upper__gte=models.F("lower")), name="income_tier_range")
        ]

    def __str__(self) -> str:
        return f"Rp {self.lower:,}-{self.upper:,} {self.valid_from}-{self.valid_to or '…'}"


class Discount(models.Model):
    name = models.CharField(max_length=100)
    programs = models.CharField(max_length=20, help_text="jkk,jkm")
    percent = models.DecimalField(max_digits=5, decimal_places=2)
    sector = models.CharField(max_length=10, choices=[(s.value, s.value) for s in SectorScope])
    valid_from = models.CharField(max_length=7, help_text=PERIOD_HELP)
    valid_to = models.CharField(max_length=7, blank=True, default="", help_text=PERIOD_HELP)
    source = models.CharField(max_length=200)

    class Meta:
        ordering = ["valid_from", "sector"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gt=0) & Q(percent__lte=100), name="discount_percent_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.percent}% {self.sector} {self.valid_from}-{self.valid_to or '…'}"


class PayerTypeSetting(models.Model):
    payer_type = models.CharField(
        max_length=16, primary_key=True, choices=[(p.value, p.value) for p in PayerType]
    )
    # PP 50/2025: no discount where JKK/JKM are paid from APBN or APBD. APBDes is a village budget, not APBD:
    # whether it is excluded is this setting (domain rules section 2, decision: not excluded).
    discount_excluded = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.payer_type
