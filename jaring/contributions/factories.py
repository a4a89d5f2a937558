"""Members for ledger tests: registered workers with an active card, by the registry's own services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from jaring.core.selectors import SYSTEM
from jaring.registry.factories import VILLAGE, worker_cells
from jaring.registry.models import Worker
from jaring.registry.services import worker_register


def member(
    *, village: str = VILLAGE, occupation: str = "Petani", income: int = 1_000_000, **cells: Any
) -> Worker:
    data = worker_cells(village_code=village, occupation=occupation, income=str(income), **cells)
    return worker_register(data=data, viewer=SYSTEM, actor=None)  # registration issues the card


def at(day: str, hour: int = 10) -> dt.datetime:
    """An aware datetime in Jakarta time on `day` (YYYY-MM-DD)."""
    return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=hour))
