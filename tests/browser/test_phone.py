"""Every page of every role on a phone (issue #14): at 390x844 (and the public pages at 360x740) nothing scrolls
sideways but a table inside its own box, and the menu is reachable behind its button."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, ViewportSize, expect

from jaring.claims.models import Claim
from jaring.contributions.models import Bill
from jaring.core.factories import PASSWORD, make_user
from jaring.core.rules import Role
from jaring.demo.load import DEMO_PASSWORD, demo_load
from jaring.funding.models import Program
from jaring.imports.models import ImportBatch
from jaring.registry.factories import VILLAGE
from jaring.registry.models import Worker
from tests.browser.conftest import login
from tests.test_permission_matrix import PAGES, PUBLIC

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 390, "height": 844}
SKIP = {"logout", "set_language", "login", "imports:template", "contributions:village_cards", "password_change",
        # htmx parts, not pages: they are checked inside the page that loads them
        "imports:batch_issues", "contributions:coverage", "claims:worker_claims", "region_options",
        # files, not pages: the coverage table as .xlsx, the map's boundaries as GeoJSON
        "insights:export", "insights:report_pdf", "insights:geo"}  # fmt: skip
SCREENSHOTS = os.environ.get("JARING_SCREENSHOTS", "")  # a directory: every page is also photographed there

WIDTH = "() => [document.documentElement.scrollWidth, window.innerWidth]"
AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"  # axe-core from the npm registry, offline
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => v.id + " (" + v.nodes.length + "): " + v.nodes[0].target.join(" "));
}"""


def _accessible(page: Page, path: str) -> list[str]:
    """axe-core on the page as it is now: its serious and critical violations."""
    page.add_script_tag(path=str(AXE))
    return [f"{path}: {v}" for v in page.evaluate(AXE_RUN)]


def _pages(records: dict[str, int | None]) -> list[str]:
    out = []
    for name, (needs, args, writes) in PAGES.items():
        if writes or name in SKIP or needs == PUBLIC:
            continue
        if not args:
            out.append(reverse(name))
        elif (
            len(args) == 1
            and records.get(args[0]) is not None
            and not name.endswith(("_xlsx", "_pdf", "_rejected"))
        ):
            out.append(reverse(name, args=[records[args[0]]]))
    return out


def _fits(page: Page, path: str, who: str = "public") -> str | None:
    response = page.goto(path)
    status = response.status if response else 0
    if status >= 500:
        return f"{path}: {status}"
    page.wait_for_load_state("networkidle")
    scroll, inner = page.evaluate(WIDTH)
    if SCREENSHOTS:
        name = path.strip("/").replace("/", "-") or "home"
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{who}-{name}.png"), full_page=True)
    return f"{path}: the page is {scroll} px wide on a {inner} px screen" if scroll > inner + 1 else None


def test_every_page_of_every_role_fits_a_phone(browser: Browser, live_server, tmp_path: Path) -> None:
    demo_load(workers=150, seed=2, out_dir=tmp_path)
    records = {"worker": Worker.objects.values_list("pk", flat=True).first(),
               "claim": Claim.objects.values_list("pk", flat=True).first(),
               "bill": Bill.objects.values_list("pk", flat=True).first(),
               "program": Program.objects.values_list("pk", flat=True).first(),
               "batch": ImportBatch.objects.values_list("pk", flat=True).first()}  # fmt: skip
    problems: list[str] = []
    for username in ("admin", "cabang", "pemda", "desa", "agen", "sponsor", "donatur"):
        # axe-core is injected by the test: the page's Content-Security-Policy (no inline script) is bypassed
        context = browser.new_context(
            base_url=live_server.url, viewport=PHONE, locale="id-ID", bypass_csp=True
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        login(page, username, DEMO_PASSWORD)
        # the menu folds behind its button and opens
        nav = page.locator("#main-menu")
        expect(nav).to_be_hidden()
        page.click("[data-menu-toggle]")
        expect(nav).to_be_visible()
        expect(page.locator("header .who button.link")).to_be_visible()  # "Keluar" reachable
        box = page.locator("#main-menu a").first.bounding_box()
        assert box is not None and box["height"] >= 44, "menu entries are at least 44 px high"
        for path in _pages(records):
            problem = _fits(page, path, username)
            if problem:
                problems.append(f"{username}: {problem}")
            problems += [f"{username}: {v}" for v in _accessible(page, path)]
        context.close()
    assert not problems, "\n".join(problems)


def test_the_public_pages_fit_a_small_phone(browser: Browser, live_server) -> None:
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, locale="id-ID"
    )
    page = context.new_page()
    for path in ("/login/", "/cek/", "/klaim/status/"):
        assert _fits(page, path) is None
    page.goto("/cek/")
    page.fill("input[name=nik]", "3603011204850001")
    page.fill("input[name=birth_date]", "1985-04-12")
    page.click("button[type=submit]")
    expect(page.locator("#check-none")).to_be_visible()
    tap = page.locator("button[type=submit]").bounding_box()
    assert tap is not None and tap["height"] >= 44
    context.close()


def test_an_agent_finds_the_village_by_name_on_the_phone(browser: Browser, live_server) -> None:
    """The agent who typed "Sarongan" was told "Kode desa/kelurahan wajib diisi": now the field offers the
    villages of that name in her area as she types, and the name alone is enough."""
    make_user(Role.AGENT, region_code="36.03.01", username="agen.balaraja")
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="id-ID")
    page = context.new_page()
    login(page, "agen.balaraja", PASSWORD)
    page.goto("/pekerja/baru/")
    page.locator("input[name=village_code]").press_sequentially("Cangk", delay=50)
    expect(page.locator("#village_code-options option")).to_have_count(1)
    option = page.locator("#village_code-options option").first
    assert option.get_attribute("value") == VILLAGE
    assert "Kec. Balaraja, Kab. Tangerang" in (option.text_content() or "")
    page.fill("input[name=village_code]", "Cangkudu")
    page.fill("input[name=full_name]", "Sutrisno")
    page.fill("input[name=birth_date]", "12-04-1980")
    page.select_option("select[name=sex]", "L")
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_have_text("Sutrisno")
    assert Worker.objects.get(full_name="Sutrisno").village_id == VILLAGE
    context.close()
