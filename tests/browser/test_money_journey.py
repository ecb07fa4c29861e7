# Money in a real Chromium: from the client list's row action to an issued invoice, its PDF and its
# payment; then the Finance page with its charts. Screenshots are saved for a person to look at.
from playwright.sync_api import Page, expect

from tests.browser.test_journey import TIMEOUT, no_exception, wait_idle


def test_invoice_from_the_list_to_paid_and_the_finance_page(page: Page, served_app, shots):
    page.goto(served_app["url"])
    wait_idle(page)
    page.get_by_text("starts a new invoice").click()
    wait_idle(page)
    table = page.locator("[data-testid='stDataFrame']").first
    box = table.bounding_box()
    page.mouse.click(box["x"] + 16, box["y"] + 35 + 17)  # the first row's selection cell
    wait_idle(page)
    expect(page.get_by_role("heading", name="New invoice")).to_be_visible(timeout=TIMEOUT)
    page.get_by_role("button", name="Add line").click()
    wait_idle(page)
    expect(page.get_by_text("Document total")).to_be_visible()
    page.screenshot(path=str(shots / "money-1-new-invoice.png"), full_page=True)
    page.get_by_role("button", name="Save and issue").click()
    wait_idle(page)
    heading = page.get_by_role("heading", name="Invoice 2")
    expect(heading).to_be_visible(timeout=TIMEOUT)
    no_exception(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").click()
    assert download.value.path().read_bytes()[:5] == b"%PDF-"
    page.get_by_role("button", name="Record payment").click()
    wait_idle(page)
    expect(page.get_by_text("Payment of")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("Paid", exact=True).first).to_be_visible()
    page.wait_for_timeout(1000)  # let the faded elements of the previous run go
    page.screenshot(path=str(shots / "money-2-invoice-paid.png"), full_page=True)

    page.get_by_role("link", name="Finance").click()
    wait_idle(page)
    expect(page.get_by_text("Outstanding")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("[data-testid='stVegaLiteChart']")).to_have_count(5, timeout=TIMEOUT)
    no_exception(page)
    page.screenshot(path=str(shots / "money-3-finance.png"), full_page=True)
