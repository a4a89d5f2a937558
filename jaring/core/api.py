"""What every app's API router shares: the viewer of a request, the two ways to sign in (a partner's token,
a browser's session), the strict base of every request body, bounded ids and the error answer of every route.
The NinjaAPI itself is the project's (jaring/api.py): it adds every app's router, so core imports none of them."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Schema
from ninja.parser import Parser
from ninja.security import HttpBearer, SessionAuth
from pydantic import BeforeValidator, ConfigDict, Field, Strict

from jaring.core.errors import PermissionDenied
from jaring.core.selectors import Viewer, viewer_for
from jaring.core.services import api_token_use

# Database keys are 64-bit: a larger id in a path or a query is a 422, never a database overflow.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class DecimalParser(Parser):
    """JSON bodies are read with their fractions as Decimal: no number a client sends passes through float."""

    def parse_body(self, request: HttpRequest) -> Any:
        return json_loads(request.body)


def json_loads(body: bytes | str) -> Any:
    return json.loads(body, parse_float=Decimal)


def whole_number(value: object) -> object:
    """A JSON number with no fraction is a whole number (JSON Schema's `integer`: 16800 and 16800.0 alike);
    16800.5, "16800" and true stay what they are and are refused as the wrong type."""
    if (
        isinstance(value, Decimal)
        and value.is_finite()
        and abs(value) <= MAX_ID
        and value == value.to_integral_value()
    ):
        return int(value)
    return value


# Whole rupiah: a JSON integer (or a number with no fraction), never a float, a string or a boolean.
Whole = Annotated[int, BeforeValidator(whole_number), Strict()]


class StrictIn(Schema):
    """Every request body: an unknown field, a wrong type or a body that is not an object is a 422."""

    model_config = ConfigDict(extra="forbid")


class ErrorBody(Schema):
    code: str
    message: str
    field: str | None = None
    details: list[dict[str, Any]] | None = None


class ErrorOut(Schema):
    """Every refusal: a stable code, a sentence, the field if one is at fault."""

    error: ErrorBody


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The error answers of a route: 400 (refused by a rule; a NUL character at the door), 401 (not signed in),
    403 (role or password change), 422 (the request does not match its schema) always; add 404 (not there or
    not in the viewer's scope) and 409 (conflicts with the current state) where the route can give them."""
    return {status: ErrorOut for status in sorted({400, 401, 403, 422, *statuses})}


class TokenAuth(HttpBearer):
    """`Authorization: Bearer jrg_...`: a token an administrator issued (`jaring token issue`, the admin); the
    call acts as the token's user, scoped like that user, and is audited (core.middleware)."""

    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = api_token_use(key=token)
        if found is None:
            return None
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


token_auth = TokenAuth()
session_auth = SessionAuth(csrf=True)


def api_viewer(request: HttpRequest) -> Viewer:
    viewer = viewer_for(request.user)
    if viewer is None:
        raise PermissionDenied("Akun ini belum memiliki peran di Jaring.")
    return viewer
