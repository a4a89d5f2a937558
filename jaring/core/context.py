"""The request id of the current request or command, for the audit trail."""

from __future__ import annotations

import contextvars
import uuid

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("jaring_request_id", default="")


def new_request_id(prefix: str = "req") -> str:
    rid = f"{prefix}-{uuid.uuid4().hex[:12]}"
    request_id_var.set(rid)
    return rid
