"""The rule rows are data an administrator changes; every change is audited like any other write."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import ModelForm
from django.http import HttpRequest

from jaring.contributions.models import Bank, Discount, IncomeTier, PayerTypeSetting, RateRule
from jaring.contributions.rules import BANK_CODE
from jaring.core.audit import AuditAction, Entity
from jaring.core.errors import JaringError
from jaring.core.services import audit_record
from jaring.core.types import Period


class PeriodsChecked(ModelForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("valid_from", "valid_to"):
            value = data.get(name)
            if value:
                try:
                    Period.parse(value)
                except JaringError as exc:
                    raise ValidationError({name: exc.message}) from exc
        if data.get("valid_from") and data.get("valid_to") and data["valid_to"] < data["valid_from"]:
            raise ValidationError({"valid_to": "Akhir berlaku harus sesudah awal berlaku."})
        return data


class AuditedAdmin(admin.ModelAdmin):
    form: type[ModelForm] = PeriodsChecked

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action=AuditAction(f"{obj._meta.model_name}.{'change' if change else 'add'}"),
            entity_type=Entity(str(obj._meta.model_name)),
            entity_id=obj.pk,
            changes={
                name: "***" if "secret" in name else str(form.cleaned_data.get(name))
                for name in form.changed_data
            },
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a rule that stops applying gets an end month, so past quotes stay explainable


@admin.register(RateRule)
class RateRuleAdmin(AuditedAdmin):
    list_display = ["program", "basis", "value", "valid_from", "valid_to", "source"]


@admin.register(IncomeTier)
class IncomeTierAdmin(AuditedAdmin):
    list_display = ["lower", "upper", "valid_from", "valid_to", "source"]


@admin.register(Discount)
class DiscountAdmin(AuditedAdmin):
    list_display = ["name", "programs", "percent", "sector", "valid_from", "valid_to"]


@admin.register(PayerTypeSetting)
class PayerTypeSettingAdmin(AuditedAdmin):
    list_display = ["payer_type", "discount_excluded"]


class BankChecked(ModelForm):
    def clean_code(self) -> str:
        code = str(self.cleaned_data.get("code", "")).strip()
        if not BANK_CODE.match(code):
            raise ValidationError("Kode bank: 2-16 huruf kecil, angka atau '-', mis. bri atau bank-banten.")
        return code


@admin.register(Bank)
class BankAdmin(AuditedAdmin):
    """The controlled list of banks (issue #13). A bank is deactivated, never deleted: old payments name it."""

    form = BankChecked
    list_display = ["code", "name", "active"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("code",) if obj is not None else ()
