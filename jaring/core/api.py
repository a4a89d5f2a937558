"""What every app's API router shares: the viewer of a request. The NinjaAPI itself is the project's
(jaring/api.py): it adds every app's router, so core imports none of them."""

from __future__ import annotations

from django.http import HttpRequest

from jaring.core.errors import PermissionDenied
from jaring.core.selectors import Viewer, viewer_for


def api_viewer(request: HttpRequest) -> Viewer:
    viewer = viewer_for(request.user)
    if viewer is None:
        raise PermissionDenied("Akun ini belum memiliki peran di Jaring.")
    return viewer
