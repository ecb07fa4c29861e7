# A real Chromium against `streamlit run app.py`: the table shows a known client, no exception box.
import re

from playwright.sync_api import Page, expect


def _wait_ready(page: Page) -> None:
    page.wait_for_selector("[data-testid='stApp']", timeout=30_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)


def _no_exception(page: Page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("Something went wrong").count() == 0


def test_client_table_shows_a_known_client(page: Page, served_app, shots):
    page.goto(served_app["url"])
    _wait_ready(page)
    expect(page.get_by_role("heading", name="Clients")).to_be_visible(timeout=30_000)
    grid = page.locator("[data-testid='stDataFrame']")
    expect(grid).to_be_visible(timeout=30_000)
    page.get_by_role("textbox", name="Search").fill("bncgli87d52h501v")
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile(r"^Found: 1 "))).to_be_visible(timeout=30_000)
    expect(grid.locator("td[role='gridcell']", has_text="Bianchi Giulia")).to_have_count(1, timeout=30_000)
    _no_exception(page)
    page.screenshot(path=str(shots / "clients.png"), full_page=True)
