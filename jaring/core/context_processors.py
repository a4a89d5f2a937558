from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from jaring.core.rules import ROLE_LABELS
from jaring.core.views_util import request_viewer


def viewer(request: HttpRequest) -> dict[str, Any]:
    v = request_viewer(request)
    return {"viewer": v, "viewer_role_label": ROLE_LABELS.get(v.role, "") if v else ""}
