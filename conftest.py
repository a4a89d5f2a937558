"""Test wiring shared by every app: regions loaded once per session, imports written under a temp dir."""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache

from jaring.regions.services import regions_load


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        regions_load(actor=None)


@pytest.fixture(autouse=True)
def _import_dir(tmp_path, settings):  # type: ignore[no-untyped-def]
    # Checking each committed batch for duplicates runs Splink: only the tests of that check turn it on.
    # Tests share one database the test process holds: a list's background check runs in this process (the
    # child-process check has its own tests, imports/tests/test_hostile_files.py).
    settings.JARING = {**settings.JARING, "IMPORT_DIR": tmp_path / "imports", "DEDUPE_ON_COMMIT": False,
                       "IMPORT_ISOLATED": False}  # fmt: skip
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    cache.clear()  # rate limits (core.ratelimit) start from nothing in every test


def pytest_report_header(config):  # type: ignore[no-untyped-def]
    return f"database: {os.environ.get('DATABASE_URL', 'sqlite (default)')}"


@pytest.fixture
def jobs(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Run what a request hands to the background worker once the request is over (tests run inside one
    transaction, so on_commit would otherwise never fire): `with jobs(): client.post(...)`."""

    def run():  # type: ignore[no-untyped-def]
        return django_capture_on_commit_callbacks(execute=True)

    return run
