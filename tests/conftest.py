"""Fixtures every browser test shares (tests/browser/ and the browser run of tests/journeys/): one Debian
headless Chromium per session (never a downloaded browser), driven by Playwright against the live test
server on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test itself are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is not installed: run `make browser-deps` (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


SIZES: dict[str, ViewportSize] = {
    "desk": {"width": 1366, "height": 800},
    "phone": {"width": 390, "height": 844},
}


@pytest.fixture
def page(request: pytest.FixtureRequest, browser: Browser, live_server) -> Iterator[Page]:
    """A fresh browser tab at a desk's size; `@pytest.mark.parametrize("page", ["desk", "phone"], indirect=True)`
    runs a journey at both (issue #14: every role's journey works on a phone)."""
    size = getattr(request, "param", "desk")
    context = browser.new_context(base_url=live_server.url, viewport=SIZES[size], locale="id-ID",
                                  is_mobile=size == "phone", has_touch=size == "phone")  # fmt: skip
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


SEED_MIGRATIONS: tuple[
    tuple[str, str, str, dict[str, str]], ...
] = (  # the data migrations whose rows every page needs, and how to see they are there
    ("contributions", "0002_regulation_seed", "raterule", {}),
    ("contributions", "0004_statement_profiles", "statementprofile", {}),
    ("contributions", "0008_banks", "bank", {}),
    ("claims", "0003_disability_table", "disabilityrate", {"valid_from": "2015-07-01"}),
    ("claims", "0004_pp82_2019", "disabilityrate", {"valid_from": "2019-12-02"}),
)


def seeds_reload() -> None:
    """Put back what the migrations seeded (rules, statement profiles, banks, both disability tables) and the
    two seed regencies, after a transactional test emptied every table."""
    import importlib  # noqa: PLC0415 (only the browser tests need it)

    from django.apps import apps  # noqa: PLC0415

    from jaring.regions.services import regions_load  # noqa: PLC0415

    regions_load(actor=None, only=("36.03", "35.25"))
    for app, name, model, present in SEED_MIGRATIONS:
        if not apps.get_model(app, model).objects.filter(**present).exists():
            importlib.import_module(f"jaring.{app}.migrations.{name}").seed(apps, None)
