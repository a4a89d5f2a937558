"""Issue #13, default secrets: with no bank secret set, a notification signed with the demo secret paid a bill.
Production refuses to start with a default or demo secret; `check --deploy` reports one anywhere; the laptop
demo keeps working with none set."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest

from jaring.core.secrets import DEFAULT_SECRET_KEY, DEMO_BANK_SECRET, secrets_problems

STRONG_KEY = secrets.token_urlsafe(50)
STRONG_BANK = f"bri={secrets.token_urlsafe(40)}"


def _jaring(*argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    drop = ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")  # the browser tests set the latter for themselves
    base = {k: v for k, v in os.environ.items() if not k.startswith("JARING_") and k not in drop}
    return subprocess.run([sys.executable, "-m", "jaring.cli", *argv], env={**base, **env}, capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip


@pytest.mark.parametrize(
    ("key", "banks", "problems"),
    [
        (STRONG_KEY, {"bri": "s" * 40}, 0),
        (DEFAULT_SECRET_KEY, {}, 1),
        ("", {}, 1),
        ("short", {}, 1),
        (STRONG_KEY, {"demo-bank": DEMO_BANK_SECRET}, 1),
        (STRONG_KEY, {"bri": "too-short"}, 1),
        (DEFAULT_SECRET_KEY, {"demo-bank": DEMO_BANK_SECRET, "bca": "x"}, 3),
    ],
)
def test_which_secrets_are_unsafe(key: str, banks: dict[str, str], problems: int) -> None:
    assert len(secrets_problems(secret_key=key, bank_secrets=banks)) == problems


def test_production_refuses_to_start_with_a_default_or_demo_secret() -> None:
    default = _jaring("manage", "check", JARING_ENV="production")
    assert (
        default.returncode != 0
        and "will not start" in default.stderr
        and "JARING_SECRET_KEY" in default.stderr
    )
    demo_bank = _jaring("manage", "check", JARING_ENV="production", JARING_SECRET_KEY=STRONG_KEY,
                        JARING_BANK_NOTIFY_SECRETS=f"demo-bank={DEMO_BANK_SECRET}")  # fmt: skip
    assert demo_bank.returncode != 0 and "JARING_BANK_NOTIFY_SECRETS" in demo_bank.stderr


def test_deploy_check_fails_on_defaults_and_is_clean_when_production_is_configured() -> None:
    laptop = _jaring("manage", "check", "--deploy")
    assert laptop.returncode != 0 and "jaring.E001" in laptop.stderr and "jaring.E002" in laptop.stderr
    assert _jaring("manage", "check").returncode == 0  # the laptop demo runs with no secret set
    production = _jaring("manage", "check", "--deploy", JARING_ENV="production", JARING_SECRET_KEY=STRONG_KEY,
                         JARING_BANK_NOTIFY_SECRETS=STRONG_BANK, JARING_ALLOWED_HOSTS="jaring.example.go.id")  # fmt: skip
    assert production.returncode == 0, production.stderr
    assert "no issues" in production.stdout + production.stderr
