from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from jaring.core.rules import ROLE_LABELS
from jaring.core.selectors import viewer_for


def viewer(request: HttpRequest) -> dict[str, Any]:
    v = viewer_for(getattr(request, "user", None))
    return {"viewer": v, "viewer_role_label": ROLE_LABELS.get(v.role, "") if v else ""}
