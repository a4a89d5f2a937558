"""The one NinjaAPI under /api/v1/: every app's router, a partner's token or a browser's session, JaringError
mapped once to HTTP (400, 403, 404, 409, 422). The project wires the apps; no app imports this module."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from jaring.claims.api import router as claims_router
from jaring.contributions.api import router as contributions_router
from jaring.core.api import DecimalParser, session_auth, token_auth
from jaring.core.errors import JaringError
from jaring.funding.api import router as funding_router
from jaring.imports.api import router as imports_router
from jaring.insights.api import router as insights_router
from jaring.regions.api import router as regions_router
from jaring.registry.api import router as registry_router


def _docs_for_signed_in(view: Any) -> Any:
    """The OpenAPI document and its page for signed-in users only (issue #13), unless JARING_API_DOCS_PUBLIC."""
    return view if settings.JARING.get("API_DOCS_PUBLIC") else login_required(view)


api = NinjaAPI(title="Jaring API", version="1", auth=[token_auth, session_auth], urls_namespace="api", parser=DecimalParser(),
               docs_decorator=_docs_for_signed_in)  # fmt: skip


@api.exception_handler(JaringError)
def _jaring_error(request: HttpRequest, exc: JaringError) -> HttpResponse:
    return api.create_response(request, {"error": exc.as_dict()}, status=exc.http_status)


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields = [".".join(str(p) for p in e.get("loc", [])[1:]) for e in exc.errors]
    body = {
        "code": "REQUEST_INVALID",
        "message": "Permintaan tidak sah: periksa kolom " + ", ".join(fields),
        "details": exc.errors,
    }
    return api.create_response(request, {"error": body}, status=422)


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"error": {"code": "NOT_AUTHENTICATED", "message": "Silakan masuk."}}, status=401
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Ninja's own refusals (a session's failed CSRF check) in the one error shape."""
    code = "CSRF_FAILED" if exc.status_code == 403 else "REQUEST_INVALID"
    return api.create_response(
        request, {"error": {"code": code, "message": str(exc)}}, status=exc.status_code
    )


api.add_router("/regions", regions_router)
api.add_router("/workers", registry_router)
api.add_router("/imports", imports_router)
api.add_router("/contributions", contributions_router)
api.add_router("/funding", funding_router)
api.add_router("/claims", claims_router)
api.add_router("/insights", insights_router)
