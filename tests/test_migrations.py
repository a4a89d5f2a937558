"""The models and their migrations agree: a change of fields or choices without its migration fails here (the
choices of an allocation decision's reason had drifted from issue #12 until issue #14 found it)."""

from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_its_migration() -> None:
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)
    except SystemExit as exc:  # --check exits non-zero when a migration is missing
        pytest.fail(f"a model change has no migration (exit {exc.code}): run `jaring manage makemigrations`")
