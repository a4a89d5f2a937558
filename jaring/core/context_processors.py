from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from jaring.core.rules import ROLE_LABELS, Permission
from jaring.core.views_util import request_viewer


def viewer(request: HttpRequest) -> dict[str, Any]:
    """The viewer, its role in words, and `may`: what the role may do (the menu offers only those pages)."""
    v = request_viewer(request)
    may = {p.value: v is not None and v.may(p) for p in Permission}
    return {"viewer": v, "viewer_role_label": ROLE_LABELS.get(v.role, "") if v else "", "may": may}
