"""One hierarchy of errors. Each carries a stable English code, a message a clerk understands (Indonesian)
and, where it applies, the offending field. Interfaces map them once: HTTP 400/403/404, CLI exit 1."""

from __future__ import annotations


class JaringError(Exception):
    code = "ERROR"
    http_status = 400

    def __init__(self, message: str, *, code: str | None = None, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.field = field

    def as_dict(self) -> dict[str, str]:
        out = {"code": self.code, "message": self.message}
        if self.field:
            out["field"] = self.field
        return out


class ValidationFailed(JaringError):
    code = "VALIDATION_FAILED"


class NotFound(JaringError):
    code = "NOT_FOUND"
    http_status = 404


class PermissionDenied(JaringError):
    code = "PERMISSION_DENIED"
    http_status = 403


class Conflict(JaringError):
    code = "CONFLICT"
    http_status = 409


class FileRejected(ValidationFailed):
    """A whole uploaded file is unusable; `code` says why (FILE_EMPTY, FILE_CORRUPT, ...)."""

    code = "FILE_REJECTED"
