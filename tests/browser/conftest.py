"""Browser tests (the browser and the page come from tests/conftest.py): the seed regions, and signing in."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from jaring.regions.services import regions_load


@pytest.fixture(autouse=True)
def _regions(transactional_db) -> None:
    # Transactional tests empty every table afterwards: reload the seed regencies quickly each time.
    regions_load(actor=None, only=("36.03", "35.25"))


def login(page: Page, username: str, password: str) -> None:
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/")
