"""`jaring manage check --deploy`: a default or demo secret is an error wherever Jaring runs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

from jaring.core.secrets import secrets_problems


@register(Tags.security, deploy=True)
def secrets_check(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    problems = secrets_problems(
        secret_key=settings.SECRET_KEY, bank_secrets=settings.JARING["BANK_NOTIFY_SECRETS"]
    )
    return [Error(p, id=f"jaring.E00{i + 1}") for i, p in enumerate(problems)]
