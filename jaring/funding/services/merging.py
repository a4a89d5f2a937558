"""A merged worker's allocations follow the survivor (mover registered in FundingConfig.ready)."""

from __future__ import annotations

from jaring.funding.models import (
    Allocation,
)
from jaring.registry.movers import move_whole, register_mover


def movers_register() -> None:
    """A merged worker's allocations follow the survivor (called from FundingConfig.ready)."""
    move, undo = move_whole(Allocation, "allocation")
    register_mover("allocation", move=move, undo=undo)
