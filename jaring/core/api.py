"""The one NinjaAPI: routers from each app, session authentication, JaringError mapped once to HTTP."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import django_auth

from jaring.core.errors import JaringError, PermissionDenied
from jaring.core.selectors import Viewer, viewer_for

api = NinjaAPI(title="Jaring API", version="1", auth=django_auth, urls_namespace="api")


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


def api_viewer(request: HttpRequest) -> Viewer:
    viewer = viewer_for(request.user)
    if viewer is None:
        raise PermissionDenied("Akun ini belum memiliki peran di Jaring.")
    return viewer


def register_routers() -> None:
    from jaring.claims.api import router as claims_router  # noqa: PLC0415
    from jaring.contributions.api import router as contributions_router  # noqa: PLC0415
    from jaring.funding.api import router as funding_router  # noqa: PLC0415
    from jaring.imports.api import router as imports_router  # noqa: PLC0415 (routers import this module)
    from jaring.regions.api import router as regions_router  # noqa: PLC0415
    from jaring.registry.api import router as registry_router  # noqa: PLC0415

    api.add_router("/regions", regions_router)
    api.add_router("/workers", registry_router)
    api.add_router("/imports", imports_router)
    api.add_router("/contributions", contributions_router)
    api.add_router("/funding", funding_router)
    api.add_router("/claims", claims_router)


register_routers()
