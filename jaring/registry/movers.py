"""What follows a worker into a merge. The registry owns the merge of two worker records; every app that keeps
rows per worker registers a mover here (in its `AppConfig.ready`) that moves its own rows from the retired
record to the survivor and back on undo. So no app ever writes another app's tables during a merge."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass
class Moved:
    """Row ids per kind (the keys are stored in linkage.Merge.moved/kept, so undo finds them again)."""

    moved: dict[str, list[int]] = field(default_factory=dict)
    kept: dict[str, list[int]] = field(default_factory=dict)


class MoveFn(Protocol):
    def __call__(self, *, survivor_id: int, retired_id: int) -> Moved: ...


class UndoFn(Protocol):
    def __call__(self, *, survivor_id: int, retired_id: int, moved: dict[str, list[int]]) -> None: ...


@dataclass(frozen=True)
class Mover:
    name: str
    move: MoveFn
    undo: UndoFn


_MOVERS: dict[str, Mover] = {}


def register_mover(name: str, *, move: MoveFn, undo: UndoFn) -> None:
    """Called once per app from `AppConfig.ready`; registering the same name again replaces it (reloads)."""
    _MOVERS[name] = Mover(name, move, undo)


def movers() -> list[Mover]:
    return [_MOVERS[k] for k in sorted(_MOVERS)]


def move_whole(model: type, key: str) -> tuple[MoveFn, UndoFn]:
    """A mover for a table whose every row of the retired worker follows it to the survivor."""

    def move(*, survivor_id: int, retired_id: int) -> Moved:
        manager = model._default_manager  # type: ignore[attr-defined]  # a Django model class
        ids = list(manager.filter(worker_id=retired_id).values_list("pk", flat=True))
        if ids:
            manager.filter(pk__in=ids).update(worker_id=survivor_id)
        return Moved(moved={key: ids} if ids else {})

    def undo(*, survivor_id: int, retired_id: int, moved: dict[str, list[int]]) -> None:
        ids = moved.get(key, [])
        if ids:
            model._default_manager.filter(pk__in=ids).update(worker_id=retired_id)  # type: ignore[attr-defined]  # as above

    return move, undo
