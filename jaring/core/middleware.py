from __future__ import annotations

import json
from collections.abc import Callable

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation

from jaring.core.context import new_request_id, request_id_var
from jaring.core.errors import ErrorCode, JaringError
from jaring.core.models import UserProfile
from jaring.core.services import api_call_record


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


class LanguageMiddleware:
    """Indonesian unless the user chose English (the language switch sets a cookie). The browser's
    Accept-Language is not used: offices share computers set up in English."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


ERROR_TITLES = {
    400: "Permintaan tidak dapat diproses",
    403: "Tidak diizinkan",
    404: "Tidak ditemukan",
    409: "Bertentangan dengan keadaan saat ini",
}


def error_page(request: HttpRequest, *, status: int, message: str, code: str) -> HttpResponse:
    """The one page for a refused request: a sentence in Indonesian, the stable code in small print."""
    return render(
        request,
        "core/error.html",
        {"title": ERROR_TITLES.get(status, ERROR_TITLES[400]), "message": message, "code": code},
        status=status,
    )


class JaringErrorMiddleware:
    """Pages render a JaringError raised by a view once, here (403/404/409 in words, the code in small
    print); views catch only the validation errors of a form they show again. The API maps its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, JaringError) or request.path.startswith("/api/"):
            return None
        return error_page(
            request, status=exception.http_status, message=exception.message, code=exception.code
        )


class NoStoreMiddleware:
    """What a signed-in person sees (pages, exports, API answers) may hold personal data (UU 27/2022): no
    browser or proxy keeps a copy (`Cache-Control: no-store`). Static files are served before this runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store, private"
        return response


class PasswordChangeMiddleware:
    """A password someone else chose (the first one `jaring user add` prints) is changed at the first sign-in:
    until then every page leads to the password form (issue #13). The API answers 403 PASSWORD_CHANGE_REQUIRED."""

    ALLOWED = ("/akun/kata-sandi/", "/logout/", "/static/", "/i18n/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.ALLOWED)
            and UserProfile.objects.filter(user_id=user.pk, must_change_password=True).exists()
        ):
            if request.path.startswith("/api/"):
                body = {"error": {"code": ErrorCode.PASSWORD_CHANGE_REQUIRED,
                                  "message": "Ganti kata sandi awal Anda dulu di /akun/kata-sandi/."}}  # fmt: skip
                return JsonResponse(body, status=403)
            return redirect(reverse("password_change"))
        return self.get_response(request)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy on every page of Jaring; the Django admin, whose pages Django writes with a few inline
    scripts, is left to Django's own protections (it is for administrators only)."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if request.path.startswith("/admin/"):
            return response
        return super().process_response(request, response)


class ApiTokenAuditMiddleware:
    """Every API call made with a token is audited once it is answered: token, user, method, path, status
    (never a query string or a body)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        token = getattr(request, "api_token", None)
        if token is not None:
            api_call_record(token=token, method=request.method or "", path=request.path,
                            status=response.status_code)  # fmt: skip
        return response


class NulCharacterMiddleware:
    """A NUL character is never text (PostgreSQL refuses it in every text column, so it would end as a server
    error deep inside a query): a query string, a form or a JSON body carrying one is refused at the door with
    400 and the stable code TEXT_CONTROL_CHARACTER, as the services refuse other control characters (issue #13)."""

    MESSAGE = "Permintaan berisi karakter NUL; ketik ulang teksnya."

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = self._nul_field(request)
        if field is not None:
            code = ErrorCode.TEXT_CONTROL_CHARACTER
            if request.path.startswith("/api/"):
                body = {"code": code, "message": self.MESSAGE, **({"field": field} if field else {})}
                return JsonResponse({"error": body}, status=400)
            return error_page(request, status=400, message=self.MESSAGE, code=code)
        return self.get_response(request)

    @classmethod
    def _nul_field(cls, request: HttpRequest) -> str | None:
        """The field that carries a NUL ("" for the path), or None."""
        if "\x00" in request.path:
            return ""
        found = next((k for k, v in request.GET.items() if "\x00" in k or "\x00" in v), None)
        if found is not None:
            return found.replace("\x00", "")
        content_type = request.content_type or ""
        if content_type == "application/json" and (b"\x00" in request.body or b"\\u0000" in request.body):
            try:
                return cls._json_field(json.loads(request.body), "")
            except ValueError:
                return ""
        if (
            content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
            and request.method == "POST"
        ):
            # the text fields only: an uploaded file may hold any byte
            found = next((k for k, v in request.POST.items() if "\x00" in k or "\x00" in v), None)
            return found.replace("\x00", "") if found is not None else None
        return None

    @classmethod
    def _json_field(cls, value: object, path: str) -> str | None:
        if isinstance(value, str):
            return path if "\x00" in value else None
        items = (
            value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        )
        for key, inner in items:
            if "\x00" in str(key):
                return path or ""
            found = cls._json_field(inner, f"{path}.{key}" if path else str(key))
            if found is not None:
                return found
        return None
