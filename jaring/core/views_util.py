from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "core/no_role.html", status=403)
