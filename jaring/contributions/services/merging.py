"""The ledger's rows that follow a merge of two worker records (movers registered in ContributionsConfig.ready)."""

from __future__ import annotations

from typing import Any

from jaring.contributions.models import (
    BillLine,
    Payer,
    PayerAssignment,
)
from jaring.registry.movers import Moved, move_whole, register_mover

# ------------------------------------------------------------------------------------- merging two records


def _bill_lines_move(*, survivor_id: int, retired_id: int) -> Moved:
    """A month billed for both records stays with the retired one (paid twice: the overlap report shows it)."""
    billed = set(BillLine.objects.filter(worker_id=survivor_id).values_list("period", flat=True))
    lines = list(BillLine.objects.filter(worker_id=retired_id).values_list("pk", "period"))
    moved = [pk for pk, period in lines if period not in billed]
    BillLine.objects.filter(pk__in=moved).update(worker_id=survivor_id)
    return Moved(
        moved={"bill_line": moved}, kept={"bill_line": [pk for pk, period in lines if period in billed]}
    )


def _own_payer_move(*, survivor_id: int, retired_id: int) -> Moved:
    """The retired record's own (mandiri) payer and its virtual account follow, unless the survivor has one."""
    own = Payer.objects.filter(worker_id=retired_id).first()
    if own is None or Payer.objects.filter(worker_id=survivor_id).exists():
        return Moved()
    Payer.objects.filter(pk=own.pk).update(worker_id=survivor_id)
    return Moved(moved={"payer": [own.pk]})


def _by_ids_undo(model: Any, key: str) -> Any:
    def undo(*, survivor_id: int, retired_id: int, moved: dict[str, list[int]]) -> None:
        ids = moved.get(key, [])
        if ids:
            model.objects.filter(pk__in=ids).update(worker_id=retired_id)

    return undo


def movers_register() -> None:
    """The ledger's rows that follow a merge of two worker records (called from ContributionsConfig.ready)."""
    move, undo = move_whole(PayerAssignment, "payer_assignment")
    register_mover("payer_assignment", move=move, undo=undo)
    register_mover("bill_line", move=_bill_lines_move, undo=_by_ids_undo(BillLine, "bill_line"))
    register_mover("payer", move=_own_payer_move, undo=_by_ids_undo(Payer, "payer"))
