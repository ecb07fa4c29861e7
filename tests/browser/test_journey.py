# The foundation's "done means", in a real Chromium: a new user on an empty database loads the demo
# data from the welcome screen, filters, searches, opens a card, fixes an invalid codice fiscale with
# the error shown beside the field, deletes the client and restores it from the trash.
import re

from playwright.sync_api import Page, expect

TIMEOUT = 30_000


def wait_idle(page: Page) -> None:
    """Wait until Streamlit has finished the current run."""
    page.wait_for_selector("[data-testid='stApp']", timeout=TIMEOUT)
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && document.querySelector('[data-testid=\"stApp\"]').dataset.teststate !== 'running'",
        timeout=TIMEOUT,
    )


def no_exception(page: Page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0
    expect(page.get_by_text("Something went wrong")).to_have_count(0)


def choose(page: Page, label: str, option: str) -> None:
    page.get_by_role("combobox", name=re.compile(f"^{label}")).click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_idle(page)


def test_a_deep_link_on_a_fresh_server_still_gets_the_whole_app(page: Page, empty_app, shots):
    page.goto(f"{empty_app['url']}/trash")
    wait_idle(page)
    expect(page.get_by_text("Language", exact=True)).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_role("link", name="Trash")).to_be_visible()
    no_exception(page)


def test_new_user_journey(page: Page, empty_app, shots):
    page.goto(empty_app["url"])
    wait_idle(page)
    expect(page.get_by_text("Welcome to Cartella")).to_be_visible(timeout=TIMEOUT)
    page.screenshot(path=str(shots / "journey-1-welcome.png"), full_page=True)

    page.get_by_role("button", name="Load demo data").click()
    wait_idle(page)
    expect(page.get_by_text("200 demo clients loaded.")).to_be_visible(timeout=TIMEOUT)
    grid = page.locator("[data-testid='stDataFrame']")
    expect(grid).to_be_visible()
    no_exception(page)

    choose(page, "Kind", "Company")
    expect(page.get_by_text(re.compile(r"^Found: \d+ · page 1"))).to_be_visible(timeout=TIMEOUT)
    page.screenshot(path=str(shots / "journey-2-companies.png"), full_page=True)
    choose(page, "Kind", "All")

    page.get_by_role("textbox", name="Search").fill("giulia bianchi")
    page.keyboard.press("Enter")
    wait_idle(page)
    expect(page.get_by_text(re.compile(r"^Found: 1 · page 1 of 1"))).to_be_visible(timeout=TIMEOUT)
    page.screenshot(path=str(shots / "journey-3-search.png"), full_page=True)

    # open the card of client no. 1
    page.get_by_role("link", name="Client card").click()
    wait_idle(page)
    number = page.get_by_role("spinbutton", name="Client number")
    number.fill("1")
    number.press("Enter")
    wait_idle(page)
    expect(page.get_by_role("heading", name="Bianchi Giulia")).to_be_visible(timeout=TIMEOUT)

    # an invalid codice fiscale: the error appears beside the field and nothing is saved
    tax = page.get_by_role("textbox", name="Tax code (codice fiscale / CPF / NIF)")
    good = tax.input_value()
    bad = good[:-1] + ("A" if good[-1] != "A" else "B")
    tax.fill(bad)
    page.get_by_role("button", name="Save changes").click()
    wait_idle(page)
    error = page.get_by_text("The check character does not match")
    expect(error).to_be_visible(timeout=TIMEOUT)
    page.screenshot(path=str(shots / "journey-4-cf-error.png"), full_page=True)
    tax_box, error_box = tax.bounding_box(), error.bounding_box()
    assert 0 < error_box["y"] - tax_box["y"] < 120, "the error is right below the tax code field"
    assert abs(error_box["x"] - tax_box["x"]) < 60

    page.get_by_role("textbox", name="Tax code (codice fiscale / CPF / NIF)").fill(good)
    page.get_by_role("button", name="Save changes").click()
    wait_idle(page)
    expect(page.get_by_text("The check character does not match")).to_have_count(0)
    no_exception(page)

    # delete with confirmation, then restore from the trash
    page.get_by_role("button", name="Delete", exact=True).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible(timeout=TIMEOUT)
    page.screenshot(path=str(shots / "journey-5-delete-dialog.png"))
    dialog.get_by_role("button", name="Move to the trash").click()
    wait_idle(page)
    expect(page.get_by_text("Bianchi Giulia moved to the trash.")).to_be_visible(timeout=TIMEOUT)

    page.get_by_role("link", name="Trash").click()
    wait_idle(page)
    expect(page.get_by_text("Cards to restore")).to_be_visible(timeout=TIMEOUT)
    page.screenshot(path=str(shots / "journey-6-trash.png"), full_page=True)
    page.get_by_role("combobox", name=re.compile("^Cards to restore")).click()
    page.get_by_role("option", name=re.compile(r"^1 · Bianchi Giulia")).click()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Restore", exact=True).click()
    wait_idle(page)
    expect(page.get_by_text("Cards restored: 1.")).to_be_visible(timeout=TIMEOUT)

    page.get_by_role("link", name="Clients").click()
    wait_idle(page)
    page.get_by_role("textbox", name="Search").fill("Bianchi Giulia")
    page.keyboard.press("Enter")
    wait_idle(page)
    expect(page.get_by_text(re.compile(r"^Found: 1 · page 1 of 1"))).to_be_visible(timeout=TIMEOUT)
    no_exception(page)
    page.screenshot(path=str(shots / "journey-7-restored.png"), full_page=True)
