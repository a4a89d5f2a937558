"""The region picker's options (issue #14): as a person types a village's name, the regions of that name inside
their scope, for the field's list (htmx swaps them into a <datalist>)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jaring.core.selectors import Viewer
from jaring.core.types import whole_number
from jaring.core.views_util import viewer_required
from jaring.regions.selectors import region_search


@viewer_required
def region_options_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """`?level=4&<the field's name>=Sarongan`: the field sends its own value under its own name."""
    level = whole_number(request.GET.get("level", "")) or 4
    text = next((str(v) for k, v in request.GET.items() if k != "level" and str(v).strip()), "")
    hits = region_search(q=text, level=level, within=viewer.region_codes, all_regions=viewer.all_regions)
    return render(request, "regions/_options.html", {"hits": hits})
