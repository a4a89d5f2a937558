"""The request id of the current request or command, for the audit trail."""

from __future__ import annotations

import contextvars
import functools
import uuid
from collections.abc import Callable
from typing import ParamSpec, TypeVar

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("jaring_request_id", default="")
P = ParamSpec("P")
R = TypeVar("R")


def new_request_id(prefix: str = "req") -> str:
    rid = f"{prefix}-{uuid.uuid4().hex[:12]}"
    request_id_var.set(rid)
    return rid


def traced(prefix: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Run a background job (or any entry point) under its own request id (`task-...`), so every audit event
    it writes can be traced to that run (decision 0003)."""

    def wrap(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            token = request_id_var.set(f"{prefix}-{uuid.uuid4().hex[:12]}")
            try:
                return fn(*args, **kwargs)
            finally:
                request_id_var.reset(token)

        return run

    return wrap
