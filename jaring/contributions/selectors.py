"""Reads of the contribution rules: the rows in force, and a quote for one worker-month."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jaring.contributions import rules
from jaring.contributions.models import Discount, IncomeTier, PayerTypeSetting, RateRule
from jaring.contributions.rules import Basis, Due, PayerType, Program, SectorScope
from jaring.core.types import Period


def _period(text: str) -> Period | None:
    return Period.parse(text) if text else None


def rate_rows() -> list[rules.RateRow]:
    return [
        rules.RateRow(
            r.pk,
            Program(r.program),
            Basis(r.basis),
            r.value,
            Period.parse(r.valid_from),
            _period(r.valid_to),
            r.source,
        )
        for r in RateRule.objects.order_by("program", "-valid_from", "-id")
    ]


def tier_rows() -> list[rules.IncomeTierRow]:
    return [
        rules.IncomeTierRow(t.pk, t.lower, t.upper, Period.parse(t.valid_from), _period(t.valid_to), t.source)
        for t in IncomeTier.objects.order_by("-valid_from", "lower")
    ]


def discount_rows() -> list[rules.DiscountRow]:
    return [
        rules.DiscountRow(
            d.pk,
            d.name,
            frozenset(Program(p.strip()) for p in d.programs.split(",") if p.strip()),
            d.percent,
            SectorScope(d.sector),
            Period.parse(d.valid_from),
            _period(d.valid_to),
            d.source,
        )  # fmt: skip
        for d in Discount.objects.order_by("valid_from", "id")
    ]


def discount_excluded(payer_type: PayerType) -> bool:
    setting = PayerTypeSetting.objects.filter(payer_type=payer_type.value).first()
    return bool(setting and setting.discount_excluded)


@dataclass(frozen=True)
class Quote:
    due: Due
    rows: list[dict[str, object]]  # the rule rows that decided it, for the person who asks why


def contribution_quote(
    *, income: int, period: Period, payer_type: PayerType, sector: str, jht: bool
) -> Quote:
    rates, tiers, discounts = rate_rows(), tier_rows(), discount_rows()
    excluded = discount_excluded(payer_type)
    due = rules.contribution_due(
        income=income, period=period, payer_type=payer_type, sector=sector, jht=jht, rates=rates, tiers=tiers,
        discounts=discounts, discount_excluded=excluded,
    )  # fmt: skip
    by_ref: dict[str, dict[str, object]] = {}
    for r in rates:
        by_ref[f"rate:{r.id}"] = {"rule": "rate", "id": r.id, "program": r.program.value, "basis": r.basis.value,
                                  "value": _number(r.value), "valid_from": str(r.valid_from),
                                  "valid_to": str(r.valid_to or ""), "source": r.source}  # fmt: skip
    for t in tiers:
        by_ref[f"tier:{t.id}"] = {"rule": "income_tier", "id": t.id, "lower": t.lower, "upper": t.upper,
                                  "valid_from": str(t.valid_from), "valid_to": str(t.valid_to or ""), "source": t.source}  # fmt: skip
    for d in discounts:
        by_ref[f"discount:{d.id}"] = {"rule": "discount", "id": d.id, "name": d.name,
                                      "programs": sorted(p.value for p in d.programs), "percent": _number(d.percent),
                                      "sector": d.sector.value, "valid_from": str(d.valid_from),
                                      "valid_to": str(d.valid_to or ""), "source": d.source}  # fmt: skip
    by_ref[f"payer:{payer_type.value}"] = {"rule": "payer_type", "payer_type": payer_type.value,
                                           "discount_excluded": excluded,
                                           "source": "PP 50/2025: no discount where APBN or APBD pays (setting per payer type)"}  # fmt: skip
    return Quote(due=due, rows=[by_ref[ref] for ref in due.rules_used])


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)
