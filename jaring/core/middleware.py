from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from jaring.core.context import new_request_id, request_id_var


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = request_id_var.set(new_request_id())
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-Id"] = request_id_var.get() or ""
        return response
