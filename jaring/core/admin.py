from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.template.response import TemplateResponse

from jaring.core.errors import JaringError
from jaring.core.models import ApiToken, AuditEvent, UserProfile
from jaring.core.services import TOKEN_MAX_DAYS, api_token_issue, api_token_revoke
from jaring.core.types import text_checked


class UserProfileInline(admin.StackedInline):
    model = UserProfile
    can_delete = False
    verbose_name = "Peran di Jaring"
    verbose_name_plural = "Peran di Jaring"


class JaringUserAdmin(UserAdmin):
    inlines = [UserProfileInline]
    list_display = ["username", "is_active", "profile__role", "profile__region_code", "profile__branch_code"]


admin.site.unregister(User)
admin.site.register(User, JaringUserAdmin)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read only: the audit trail is appended to by services, never edited."""

    list_display = ["at", "actor_label", "action", "entity_type", "entity_id", "batch_ref"]
    list_filter = ["action", "entity_type"]
    search_fields = ["entity_id", "batch_ref", "request_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ApiTokenAddForm(forms.ModelForm):
    days = forms.IntegerField(required=False, min_value=1, max_value=TOKEN_MAX_DAYS, label="Berlaku (hari)",
                              help_text="Kosong: berlaku sampai dicabut.")  # fmt: skip

    class Meta:
        model = ApiToken
        fields = ["user", "name"]

    def clean_name(self) -> str:
        try:
            return text_checked(self.cleaned_data.get("name", ""), field="name", max_length=100)
        except JaringError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """An administrator issues a token for a user (the key is shown once, on the next page, and never stored)
    and revokes it; a token is never edited or deleted, so the audit of its calls keeps its meaning."""

    list_display = ["prefix", "name", "user", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["prefix", "name", "user__username"]
    actions = ["revoke"]
    readonly_fields = ["user", "name", "prefix", "created_at", "created_by", "expires_at", "last_used_at",
                       "revoked_at"]  # fmt: skip
    exclude = ["key_hash"]

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = ApiTokenAddForm
            kwargs["fields"] = ["user", "name", "days"]
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        return self.readonly_fields if obj is not None else []

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        token, key = api_token_issue(username=form.cleaned_data["user"].get_username(),
                                     name=form.cleaned_data["name"], days=form.cleaned_data.get("days"),
                                     actor=request.user)  # fmt: skip
        obj.pk, obj.prefix, obj.key_hash, obj.created_at = (
            token.pk,
            token.prefix,
            token.key_hash,
            token.created_at,
        )
        obj.issued_key = key

    def response_add(self, request: Any, obj: Any, post_url_continue: Any = None) -> Any:
        return TemplateResponse(request, "admin/core/apitoken/issued.html",
                                {**self.admin_site.each_context(request), "token": obj, "key": obj.issued_key,
                                 "title": "Token API diterbitkan"})  # fmt: skip

    @admin.action(description="Cabut token terpilih")
    def revoke(self, request: Any, queryset: Any) -> None:
        for token in queryset:
            api_token_revoke(token=token.prefix, actor=request.user)
        self.message_user(request, f"{queryset.count()} token dicabut.", messages.SUCCESS)
