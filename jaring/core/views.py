"""The account pages every user has: changing one's password (forced at the first sign-in)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from jaring.core.audit import AuditAction, Entity
from jaring.core.models import UserProfile
from jaring.core.services import audit_record


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change with Jaring's rules (AUTH_PASSWORD_VALIDATORS: long enough, not common, not all
    digits, not like the user name); clears the first-sign-in flag and leaves an audit event."""

    template_name = "registration/password_change_form.html"
    success_url = "/"  # form_valid below answers; Django's own "done" page is not used

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        must = UserProfile.objects.filter(
            user_id=self.request.user.pk or 0, must_change_password=True
        ).exists()
        return {**super().get_context_data(**kwargs), "must_change": must}

    def form_valid(self, form: Any) -> HttpResponse:
        super().form_valid(form)
        user = self.request.user
        UserProfile.objects.filter(user_id=user.pk or 0).update(must_change_password=False)
        audit_record(actor=user, action=AuditAction.PASSWORD_CHANGE, entity_type=Entity.USER, entity_id=user.pk,
                     changes={})  # fmt: skip
        messages.success(self.request, "Kata sandi diganti.")
        target = self.request.POST.get("next", "")
        safe = url_has_allowed_host_and_scheme(target, allowed_hosts={self.request.get_host()})
        return redirect(target if target and safe else "home")
