from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jaring.core.errors import ErrorCode
from jaring.core.middleware import error_page
from jaring.core.selectors import Viewer, viewer_for


def request_viewer(request: HttpRequest) -> Viewer | None:
    """The viewer of this request, looked up once (the view and the page header both need it)."""
    if not hasattr(request, "_jaring_viewer"):
        setattr(request, "_jaring_viewer", viewer_for(getattr(request, "user", None)))  # noqa: B010
    viewer: Viewer | None = getattr(request, "_jaring_viewer")  # noqa: B009
    return viewer


def forbidden(request: HttpRequest) -> HttpResponse:
    """A signed-in user whose role may not use this page (the menu never offers it)."""
    return error_page(request, status=403, message="Peran Anda tidak boleh membuka halaman ini.",
                      code=ErrorCode.PERMISSION_DENIED)  # fmt: skip


def viewer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Log in first; a user without a Jaring role gets a 403 page; the view receives the Viewer."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        viewer = request_viewer(request)
        if viewer is None:  # signed in, but no Jaring role yet
            return render(request, "core/no_role.html", status=403)
        return view(request, viewer, *args, **kwargs)

    return wrapper


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(data: bytes, name: str, content_type: str) -> HttpResponse:
    """A file for the browser to save (bills, receipts, lists)."""
    response = HttpResponse(data, content_type=content_type)
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)[:150] or "berkas"
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    response["X-Content-Type-Options"] = "nosniff"  # the browser takes the type given, never guesses one
    return response
