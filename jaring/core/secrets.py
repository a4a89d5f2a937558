"""Which configured secrets are unsafe (pure: settings and the deploy check both ask). A default or demo
secret lets anyone sign a bank notification or a session: production refuses them."""

from __future__ import annotations

from collections.abc import Mapping

DEFAULT_SECRET_KEY = "dev-only-not-secret-change-me-in-production-0123456789"
DEMO_BANK_SECRET = "demo-secret-change-me"
MIN_SECRET_LENGTH = 32  # a bank's notification secret
MIN_KEY_LENGTH = 50  # Django's own bar for SECRET_KEY (50 characters, 5 distinct)


def secrets_problems(*, secret_key: str, bank_secrets: Mapping[str, str]) -> list[str]:
    """Each problem as a sentence naming the variable to set (English: operators read it in a terminal)."""
    problems = []
    if not secret_key or secret_key == DEFAULT_SECRET_KEY or len(secret_key) < MIN_SECRET_LENGTH:
        problems.append(
            f"Set JARING_SECRET_KEY to a random value of at least {MIN_SECRET_LENGTH} characters."
        )
    for bank, secret in sorted(bank_secrets.items()):
        if secret == DEMO_BANK_SECRET or len(secret) < MIN_SECRET_LENGTH or "change-me" in secret:
            problems.append(
                f"JARING_BANK_NOTIFY_SECRETS: the secret of bank '{bank}' is a demo or short secret; "
                f"give each bank a random secret of at least {MIN_SECRET_LENGTH} characters."
            )
    return problems
