"""What the ledger's services share: table names, the virtual-account prefix, the month of a moment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from jaring.contributions.models import (
    Bill,
    BillLine,
    Payer,
    PayerAssignment,
)
from jaring.core.types import Period
from jaring.registry.models import Membership, Worker

Progress = Callable[[str, int, int], None]

LINE = BillLine._meta.db_table
BILL = Bill._meta.db_table
PAYER = Payer._meta.db_table
ASSIGNMENT = PayerAssignment._meta.db_table
WORKER = Worker._meta.db_table
MEMBERSHIP = Membership._meta.db_table


def _va_prefix(kind: str) -> str:
    va = settings.JARING["VA_PREFIXES"]
    return str(va[kind])


def _month_of(at: dt.datetime, zone: Any = None) -> Period:
    """The calendar month of a moment in Jakarta time. Bulk callers pass the zone, looked up once."""
    return Period.of(at.astimezone(zone or timezone.get_current_timezone()).date())


def _analyze(cursor: Any, table: str) -> None:
    """PostgreSQL keeps no statistics on a new temporary table: without them it plans one payer's settling like a
    hundred thousand (a scan of every bill line, 0.35 s at a million lines, for each bank notification)."""
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {table}")
