"""Browser tests (the browser and the page come from tests/conftest.py): the seed regions, and signing in."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.conftest import seeds_reload


@pytest.fixture(autouse=True)
def _seeds(transactional_db) -> None:
    # Transactional tests empty every table afterwards: reload the seed regencies and the seeded rows each time.
    seeds_reload()


def login(page: Page, username: str, password: str) -> None:
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/")
