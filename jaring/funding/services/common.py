"""What funding's services share: table names, and a program's committed money refreshed from its allocations."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

from jaring.contributions.models import Payer
from jaring.funding.models import (
    Allocation,
    Decision,
    Program,
)
from jaring.registry.models import Membership, Worker

ALLOCATION = Allocation._meta.db_table
DECISION = Decision._meta.db_table
PROGRAM = Program._meta.db_table
WORKER = Worker._meta.db_table
MEMBERSHIP = Membership._meta.db_table
PAYER = Payer._meta.db_table
_REGION_COLUMN = {1: "province_code", 2: "regency_code", 3: "district_code", 4: "village_code"}


def _programs_refresh(program_ids: Sequence[int]) -> None:
    """A program's committed money and funded workers, from its allocations."""
    if not program_ids:
        return
    marks = ", ".join(["%s"] * len(program_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {PROGRAM} SET committed = COALESCE((SELECT SUM(a.cost) FROM {ALLOCATION} a "
            f"WHERE a.program_id = {PROGRAM}.id), 0), funded_workers = COALESCE((SELECT COUNT(DISTINCT a.worker_id) "
            f"FROM {ALLOCATION} a WHERE a.program_id = {PROGRAM}.id), 0) WHERE id IN ({marks})",
            list(program_ids),
        )
