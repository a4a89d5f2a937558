from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jaring.core.selectors import viewer_for


def forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "core/no_role.html", status=403)


def viewer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Log in first; a user without a Jaring role gets a 403 page; the view receives the Viewer."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        viewer = viewer_for(request.user)
        if viewer is None:
            return forbidden(request)
        return view(request, viewer, *args, **kwargs)

    return wrapper
