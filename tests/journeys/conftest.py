"""The journeys' browser run uses the browser suite's Chromium and page (tests/browser/conftest.py)."""

from tests.browser.conftest import browser, page

__all__ = ["browser", "page"]
