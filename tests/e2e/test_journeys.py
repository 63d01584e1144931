"""Each demo role signs in, lands on its home page and switches to Hindi, on a phone and a desktop.

Screenshots go to test-results/ (not in git): e2e-<role>-<viewport>-<language>.png.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Response

pytestmark = pytest.mark.browser

PASSWORD = "niryat-demo"
ROLES = {
    "programme_office": "office@demo.niryat.test",
    "facilitator": "facilitator@demo.niryat.test",
    "msme": "msme@demo.niryat.test",
    "trainer": "trainer@demo.niryat.test",
    "marketplace": "marketplace@demo.niryat.test",
}
VIEWPORTS = {
    "phone": {"width": 360, "height": 740},
    "desktop": {"width": 1280, "height": 800},
}
DEVANAGARI = re.compile(r"[\u0900-\u097F]")
TIMEOUT_MS = 15_000
STYLESHEET_APPLIED = """Array.from(document.styleSheets).some(
    sheet => sheet.href && sheet.href.endsWith("/site.css") && sheet.cssRules.length > 0)"""


def scroll_width(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def check_layout(page: Page, viewport: str, what: str) -> None:
    if viewport == "phone":
        width = scroll_width(page)
        assert width <= VIEWPORTS["phone"]["width"], f"{what}: horizontal scroll at 360 px (scrollWidth {width})"


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("role", list(ROLES))
def test_sign_in_home_and_hindi(
    browser: Browser, server_url: str, results_dir: Path, role: str, viewport: str
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="en-GB")  # a fresh, empty profile
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    failures: list[str] = []

    def record_failure(response: Response) -> None:
        if response.url.startswith(server_url) and response.status >= 400:
            failures.append(f"{response.status} {response.request.method} {response.url}")

    page.on("response", record_failure)
    # A stylesheet or script that fails (a 404 for a stylesheet shows up as an aborted request).
    page.on("requestfailed", lambda request: failures.append(f"{request.failure} {request.method} {request.url}"))
    page.on("pageerror", lambda error: failures.append(f"script error: {error}"))
    shot = results_dir / f"e2e-{role}-{viewport}"
    try:
        page.goto(f"{server_url}/accounts/login/")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        assert failures == [], "the sign-in page did not load completely: " + "; ".join(failures)
        check_layout(page, viewport, "sign-in page")
        page.fill("input[name=email]", ROLES[role])
        page.fill("input[name=password]", PASSWORD)
        page.locator("form:has(input[name=password]) [type=submit]").click()

        main = page.locator("main")
        expect(main).to_have_attribute("data-role", role)
        assert page.url.rstrip("/") == server_url, f"signed in, but landed on {page.url}"
        expect(page.locator("html")).to_have_attribute("lang", "en")
        check_layout(page, viewport, f"{role} home (English)")
        page.screenshot(path=f"{shot}-en.png", full_page=True)

        page.locator('form[action$="/i18n/setlang/"] button[name=language][value=hi]').click()
        expect(page.locator("html")).to_have_attribute("lang", "hi")
        expect(main).to_have_attribute("data-role", role)
        heading = page.locator("main h1").first.inner_text()
        assert DEVANAGARI.search(heading), f"the Hindi home page's <h1> has no Devanagari: {heading!r}"
        check_layout(page, viewport, f"{role} home (Hindi)")
        page.screenshot(path=f"{shot}-hi.png", full_page=True)
        assert failures == [], "failed requests or script errors: " + "; ".join(failures)
        assert page.evaluate(STYLESHEET_APPLIED), "the site's stylesheet is not applied"
    except Exception:
        page.screenshot(path=f"{shot}-FAILED.png", full_page=True)
        raise
    finally:
        context.close()
