"""The registry's "done when" journey in a real browser, on a phone's screen.

A facilitator uploads a district list from Excel with Hindi and English names, reads the
dry-run counts, downloads the error report, imports, fixes the rejected rows in that report
and uploads it again, looks for duplicates and merges one, then finds the enterprise by its
Hindi name in the list. The same journey through Django's test client, with the database
checked at each step, is `src/niryat/registry/tests/test_journey.py`; this one proves the
pages, forms, downloads and htmx requests work in a browser, without horizontal scrolling at
360 px.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from niryat.registry.tests.helpers import VARANASI, district_list_row, gstin, pan, xlsx_bytes

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

FACILITATOR = "facilitator@demo.niryat.test"
PASSWORD = "niryat-demo"
PHONE = {"width": 360, "height": 740}
TIMEOUT_MS = 15_000
DEVANAGARI = re.compile(r"[\u0900-\u097F]")
OFFSET = 900  # Udyam serials and PANs far from the demo's


def line(n: int, name: str, name_hi: str, mobile: str, **changes: str) -> list[str]:
    return district_list_row(n, name, name_hi, mobile, offset=OFFSET, **changes)


def no_sideways_scroll(page: Page, what: str) -> None:
    width = int(page.evaluate("document.documentElement.scrollWidth"))
    assert width <= PHONE["width"], f"{what}: horizontal scroll at {PHONE['width']} px (scrollWidth {width})"


def upload(page: Page, server_url: str, name: str, content: bytes, mime: str) -> None:
    page.goto(f"{server_url}/enterprises/import/")
    no_sideways_scroll(page, "import page")
    page.set_input_files("input[name=file]", files=[{"name": name, "mimeType": mime, "buffer": content}])
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url("**/enterprises/import/*/")


def switch_language(page: Page, language: str) -> None:
    from playwright.sync_api import expect

    page.locator(f'form[action$="/i18n/setlang/"] button[name=language][value={language}]').click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def counts(page: Page) -> list[str]:
    """The four counts of the import page: new, updated, unchanged, rejected."""
    return page.locator("#import-status .stat").all_inner_texts()


@contextmanager
def facilitator_on_a_phone(browser: Browser, server_url: str, results_dir: Path, locale: str,
                           failed_shot: str) -> Iterator[Page]:
    """A signed-in facilitator's page at 360 px; fails on a server or script error, and keeps a
    screenshot of the page where a step failed."""
    context = browser.new_context(viewport=PHONE, locale=locale, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    failures: list[str] = []
    page.on("pageerror", lambda error: failures.append(f"script error: {error}"))
    page.on("response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    try:
        page.goto(f"{server_url}/accounts/login/")
        page.fill("input[name=email]", FACILITATOR)
        page.fill("input[name=password]", PASSWORD)
        page.locator("form:has(input[name=password]) [type=submit]").click()
        page.wait_for_url(f"{server_url}/")
        yield page
        assert failures == [], "server errors or script errors: " + "; ".join(failures)
    except Exception:
        page.screenshot(path=str(results_dir / failed_shot), full_page=True)
        raise
    finally:
        context.close()


def test_import_fix_import_again_merge_and_find(browser: Browser, server_url: str, results_dir: Path) -> None:
    from playwright.sync_api import expect

    ganga_gstin = gstin(pan(OFFSET + 4), "09")
    rows = [
        line(1, "Shree Ganesh Handicrafts Pvt Ltd", "श्री गणेश हस्तशिल्प", "9876511001"),
        line(2, "Kashi Silk Weavers", "काशी सिल्क बुनकर", "9876511002"),
        line(3, "Banaras Brass Works", "", "9876511003", pincode="021001"),  # no PIN code starts with 0
        line(4, "Ganga Zari Udyog", "गंगा ज़री उद्योग", "9876511004",  # a mistyped check character
             gstin=ganga_gstin[:-1] + ("0" if ganga_gstin[-1] != "0" else "1")),
        # the business of the first row again, spelt another way, same district and mobile
        line(6, "Shri Ganesh Handicrafts Private Limited", "", "98765 11001"),
    ]
    with facilitator_on_a_phone(browser, server_url, results_dir, "en-GB", "e2e-registry-FAILED.png") as page:
        # 1. Upload the Excel sheet: the dry run's counts, nothing imported yet.
        xlsx_mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        upload(page, server_url, "varanasi-district-list.xlsx", xlsx_bytes(rows), xlsx_mime)
        expect(page.locator("#import-status")).to_contain_text("would be new")
        assert counts(page) == ["3", "0", "0", "2"]
        no_sideways_scroll(page, "dry-run page")
        page.screenshot(path=str(results_dir / "e2e-registry-dry-run.png"), full_page=True)
        switch_language(page, "hi")  # the same page for a reader of Hindi, then back
        expect(page.locator("#import-status")).to_contain_text("नए होंगे")
        reason = page.locator("#import-status tbody td:nth-child(3)").first.inner_text()
        assert DEVANAGARI.search(reason), f"a problem is not in Hindi: {reason!r}"  # checked in English
        no_sideways_scroll(page, "dry-run page in Hindi")
        page.screenshot(path=str(results_dir / "e2e-registry-dry-run-hi.png"), full_page=True)
        switch_language(page, "en")

        # 2. The error report, downloaded as a person would.
        with page.expect_download() as download:
            page.get_by_role("link", name="CSV").click()
        report = Path(download.value.path()).read_text(encoding="utf-8-sig")
        rejected = list(csv.DictReader(io.StringIO(report)))
        assert [r["name"] for r in rejected] == ["Banaras Brass Works", "Ganga Zari Udyog"]
        assert all(r["errors"] for r in rejected)

        # 3. Import the good rows.
        page.get_by_role("button", name="Import now (3 rows)").click()
        expect(page.locator("#import-status")).to_contain_text("Imported")
        assert counts(page) == ["3", "0", "0", "2"]

        # 4. Fix the two rows in the report and upload it again (its error column is reported
        #    as unknown and left out).
        fixes = {"Banaras Brass Works": {"pincode": "221001"}, "Ganga Zari Udyog": {"gstin": ganga_gstin}}
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rejected[0]))
        writer.writeheader()
        writer.writerows({**r, **fixes[r["name"]]} for r in rejected)
        upload(page, server_url, "varanasi-fixed.csv", out.getvalue().encode(), "text/csv")
        assert counts(page) == ["2", "0", "0", "0"]
        page.get_by_role("button", name="Import now (2 rows)").click()
        expect(page.locator("#import-status")).to_contain_text("Imported")

        # 5. Look for duplicates, compare the pair, merge keeping the one with a Hindi name.
        page.goto(f"{server_url}/enterprises/duplicates/")
        page.locator("main form[method=post] button[type=submit]").click()
        pair = page.locator("tr", has_text="Shri Ganesh Handicrafts Private Limited")
        expect(pair).to_contain_text("Shree Ganesh Handicrafts Pvt Ltd")
        no_sideways_scroll(page, "duplicates page")
        pair.get_by_role("link", name="Compare").click()
        no_sideways_scroll(page, "comparison page")
        names = page.locator("main tbody tr", has_text="Shree Ganesh Handicrafts Pvt Ltd").locator("td")
        first_is_kept = "Shree Ganesh" in names.nth(0).inner_text()
        page.locator(f"button[value={'keep_first' if first_is_kept else 'keep_second'}]").click()
        expect(page.locator("main h1")).to_contain_text("Shree Ganesh Handicrafts Pvt Ltd")
        expect(page.locator("main")).to_contain_text("Shri Ganesh Handicrafts Private Limited")  # merged in
        contacts = page.locator("h2:has-text('Contacts') + ul > li")
        expect(contacts.filter(has_text="+919876511001")).to_have_count(1)  # one contact, not two
        no_sideways_scroll(page, "enterprise page")
        page.screenshot(path=str(results_dir / "e2e-registry-merged.png"), full_page=True)

        # 6. The list, searched by the Hindi name as typed (htmx, no page load).
        page.goto(f"{server_url}/enterprises/")
        no_sideways_scroll(page, "enterprise list")
        page.fill("input[name=q]", "गणेश")
        expect(page).to_have_url(re.compile(r"/enterprises/\?q=%E0%A4%97%E0%A4%A3%E0%A5%87%E0%A4%B6(&|$)"))
        results = page.locator("#results")
        expect(results).to_contain_text("Shree Ganesh Handicrafts Pvt Ltd")
        expect(results).not_to_contain_text("Kashi Silk Weavers")
        page.screenshot(path=str(results_dir / "e2e-registry-list.png"), full_page=True)


def test_register_and_edit_in_hindi_on_a_phone(browser: Browser, server_url: str, results_dir: Path) -> None:
    """The form in Hindi: a mistyped GSTIN is refused with a Hindi reason next to it and nothing
    typed is lost; saved, the enterprise's page has the Hindi name; an edit shows in its history."""
    from playwright.sync_api import expect

    good_gstin = gstin(pan(OFFSET + 50), "09")
    with facilitator_on_a_phone(browser, server_url, results_dir, "hi-IN", "e2e-registry-form-FAILED.png") as page:
        if page.locator("html").get_attribute("lang") != "hi":
            switch_language(page, "hi")

        page.goto(f"{server_url}/enterprises/new/")
        assert DEVANAGARI.search(page.locator("main h1").inner_text())
        no_sideways_scroll(page, "registration form in Hindi")
        page.fill("input[name=name]", "Kashi Zari Creations")
        page.fill("input[name=name_hi]", "काशी ज़री क्रिएशन्स")
        page.fill("input[name=udyam_number]", f"UDYAM-UP-65-{OFFSET * 10_000 + 50:07d}")
        page.fill("input[name=gstin]", good_gstin[:-1] + ("0" if good_gstin[-1] != "0" else "1"))
        page.select_option("select[name=district_lgd_code]", str(VARANASI))
        page.select_option("select[name=sector]", "handicrafts")
        page.fill("input[name=contacts-0-mobile]", "9876522050")
        page.locator("main form [type=submit]:not(.default-submit):not([name])").last.click()

        error = page.locator("input[name=gstin] ~ .errorlist")
        expect(error).to_be_visible()
        assert DEVANAGARI.search(error.inner_text()), f"the GSTIN error is not in Hindi: {error.inner_text()!r}"
        assert page.input_value("input[name=name_hi]") == "काशी ज़री क्रिएशन्स"  # nothing typed is lost
        no_sideways_scroll(page, "registration form with an error")
        page.screenshot(path=str(results_dir / "e2e-registry-form-error-hi.png"), full_page=True)

        page.fill("input[name=gstin]", good_gstin)
        page.locator("main form [type=submit]:not(.default-submit):not([name])").last.click()
        page.wait_for_url(re.compile(r"/enterprises/\d+/$"))
        expect(page.locator("main")).to_contain_text("काशी ज़री क्रिएशन्स")
        expect(page.locator("main")).to_contain_text(good_gstin)
        no_sideways_scroll(page, "new enterprise's page")

        page.locator("main a[href$='/edit/']").click()
        page.fill("input[name=pincode]", "221001")
        page.locator("main form [type=submit]:not(.default-submit):not([name])").last.click()
        page.wait_for_url(re.compile(r"/enterprises/\d+/$"))
        changed = page.locator("ol.history > li[data-action='registry.enterprise.updated']")
        expect(changed).to_contain_text("221001")
        assert DEVANAGARI.search(changed.locator("strong").inner_text())  # what happened, in Hindi
        page.screenshot(path=str(results_dir / "e2e-registry-edited-hi.png"), full_page=True)
