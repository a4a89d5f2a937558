"""Browser tests (the browser and the page come from tests/conftest.py): the seed regions, and signing in."""

from __future__ import annotations

import os
from pathlib import Path

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


def nav(page: Page, name: str) -> None:
    """Open a page from the main menu, as a person would: on a phone the menu first unfolds behind its button."""
    toggle = page.locator("[data-menu-toggle]")
    if toggle.is_visible():
        toggle.click()
    page.locator("#main-menu").get_by_role("link", name=name, exact=True).click()


def phone(page: Page) -> bool:
    size = page.viewport_size
    return size is not None and size["width"] < 760


def fits(page: Page) -> None:
    """Nothing scrolls sideways (a table may scroll inside its own box)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= (page.viewport_size or {"width": 1366})["width"], f"the page is {width} px wide"


def shot(page: Page, name: str) -> None:
    """With JARING_SCREENSHOTS=DIR, keep a picture of the page as the user sees it (docs/user-guide.md)."""
    folder = os.environ.get("JARING_SCREENSHOTS")
    if folder:
        size = "phone" if phone(page) else "desk"
        page.screenshot(path=str(Path(folder) / f"{size}-{name}.png"), full_page=False)


def logout(page: Page) -> None:
    toggle = page.locator("[data-menu-toggle]")
    if toggle.is_visible():
        toggle.click()
    page.get_by_role("button", name="Keluar").click()
