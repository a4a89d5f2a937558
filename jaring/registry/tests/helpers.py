"""Put workers in the registry for tests, through the real services."""

from __future__ import annotations

from typing import Any

from jaring.core.selectors import SYSTEM
from jaring.registry.factories import worker_cells
from jaring.registry.models import Worker
from jaring.registry.services import worker_register


def add_worker(**overrides: Any) -> Worker:
    return worker_register(data=worker_cells(**overrides), viewer=SYSTEM, actor=None)
