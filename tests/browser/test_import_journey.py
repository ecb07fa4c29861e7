# Import in a real Chromium: upload a legacy CSV, see what was detected, check, import, then undo it.
import re

from playwright.sync_api import Page, expect

from tests.browser.test_journey import TIMEOUT, no_exception, wait_idle

LEGACY = (
    "Elenco pazienti al 31/12/2025;;;;\r\n;;;;\r\n"
    "Cognome Nome;Codice Fiscale;E-mail;Cellulare;CAP\r\n"
    "VERDI LUCA;VRDLCU80A01H501R;luca.verdi@example.it;333 765 4321;184\r\n"
    "Neri Anna;NRANNA85B41F205X;anna.neri@example.it;;20121;vedi nota\r\n"  # a cell beyond the header
    "Totale;;;;\r\n"
)


def test_import_check_commit_and_undo(page: Page, served_app, shots, tmp_path):
    source = tmp_path / "pazienti.csv"
    source.write_bytes(LEGACY.encode("cp1252"))
    page.goto(f"{served_app['url']}/import_data")
    wait_idle(page)
    expect(page.get_by_role("heading", name=re.compile("^(Clients|Import from another program)$"))).to_be_visible(
        timeout=TIMEOUT
    )
    page.get_by_role("link", name="Import", exact=True).click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Import from another program")).to_be_visible(timeout=TIMEOUT)
    page.locator("input[type=file]").set_input_files(str(source))
    wait_idle(page)
    expect(page.get_by_text(re.compile(r"separator ';' · headers on row 3, 2 rows"))).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("Rows with more cells than the header (the cells beyond it are kept in the field "
                            "'extra'): 5")).to_be_visible()  # fmt: skip
    page.screenshot(path=str(shots / "import-1-detected.png"), full_page=True)

    page.get_by_role("button", name="Check (nothing is written)").click()
    wait_idle(page)
    expect(page.get_by_text("What the import will do")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("2 rows = 2 created + 0 updated + 0 skipped + 0 rejected", exact=True)).to_be_visible()

    page.get_by_role("button", name="Import", exact=True).click()
    wait_idle(page)
    expect(page.get_by_text("Import finished")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text(re.compile(r"Import \d+ saved"))).to_be_visible()
    page.screenshot(path=str(shots / "import-2-done.png"), full_page=True)
    no_exception(page)

    page.get_by_role("tab", name="Import history").click()
    page.get_by_role("button", name="Undo this import").first.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible(timeout=TIMEOUT)
    dialog.get_by_role("button", name="Undo this import").click()
    wait_idle(page)
    expect(page.get_by_text(re.compile(r"Import undone: 2 cards removed"))).to_be_visible(timeout=TIMEOUT)
    page.screenshot(path=str(shots / "import-3-undone.png"), full_page=True)
    no_exception(page)


def _type_a_name_for_the_rejected_row(page: Page, served_app, tmp_path, first: str, typed: str) -> None:
    """Upload a file whose second row has no name, check it, and type a name into that row's grid cell (each
    test its own people: the app's database is shared)."""
    source = tmp_path / "da-correggere.csv"
    tax_code = {"LUCA": "VRDLCU80A01H501R", "PAOLO": "VRDPLA80A01H501R"}[first]
    source.write_bytes(
        f"Cognome Nome;Codice Fiscale;E-mail\r\nVERDI {first};{tax_code};{first.lower()}.verdi@example.it\r\n"
        f";;senza.nome.{first.lower()}@example.it\r\n".encode()
    )
    page.goto(served_app["url"])
    wait_idle(page)
    page.get_by_role("link", name="Import", exact=True).click()
    wait_idle(page)
    page.locator("input[type=file]").set_input_files(str(source))
    wait_idle(page)
    page.get_by_role("button", name="Check (nothing is written)").click()
    wait_idle(page)
    expect(page.get_by_text("2 rows = 1 created + 0 updated + 0 skipped + 1 rejected", exact=True)).to_be_visible(
        timeout=TIMEOUT
    )
    expect(page.get_by_text("Rows to fix")).to_be_visible()
    table = page.locator("[data-testid='stDataFrame']").last
    table.scroll_into_view_if_needed()
    grid = table.bounding_box()
    # the grid: row number, reason, then the file's columns; row 2 is flagged (its CF), row 3 rejected
    page.mouse.click(grid["x"] + 540, grid["y"] + 35 + 35 + 17)
    page.wait_for_timeout(800)
    page.keyboard.press("Enter")
    page.wait_for_timeout(800)
    page.keyboard.type(typed, delay=30)


def test_a_correction_typed_and_imported_at_once_is_not_lost(page: Page, served_app, tmp_path):
    _type_a_name_for_the_rejected_row(page, served_app, tmp_path, "PAOLO", "Gialli Sara")
    page.get_by_role("button", name="Import", exact=True).click()  # the cell is still being edited
    wait_idle(page)
    expect(page.get_by_text("Import finished")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("2 rows = 2 created + 0 updated + 0 skipped + 0 rejected", exact=True)).to_be_visible()
    no_exception(page)


def test_rows_fixed_in_place_are_checked_again_and_imported(page: Page, served_app, shots, tmp_path):
    _type_a_name_for_the_rejected_row(page, served_app, tmp_path, "LUCA", "Rossi Mario")
    page.keyboard.press("Enter")
    wait_idle(page)
    expect(page.get_by_text("Rows corrected by hand: 1.", exact=False)).to_be_visible(timeout=TIMEOUT)
    page.get_by_role("button", name="Check (nothing is written)").click()
    wait_idle(page)
    expect(page.get_by_text("2 rows = 2 created + 0 updated + 0 skipped + 0 rejected", exact=True)).to_be_visible(
        timeout=TIMEOUT
    )
    page.screenshot(path=str(shots / "import-4-fixed-in-place.png"), full_page=True)
    page.get_by_role("button", name="Import", exact=True).click()
    wait_idle(page)
    expect(page.get_by_text("Import finished")).to_be_visible(timeout=TIMEOUT)
    no_exception(page)


def test_a_password_protected_workbook_is_said_and_nothing_offered(page: Page, served_app, shots, tmp_path):
    import io

    import openpyxl
    from msoffcrypto.format.ooxml import OOXMLFile

    book = openpyxl.Workbook()
    book.active.append(["Cognome", "Nome"])
    book.active.append(["Rossi", "Mario"])
    plain, locked = io.BytesIO(), io.BytesIO()
    book.save(plain)
    OOXMLFile(io.BytesIO(plain.getvalue())).encrypt("segreta", locked)
    source = tmp_path / "protetto.xlsx"
    source.write_bytes(locked.getvalue())
    page.goto(f"{served_app['url']}/import_data")
    wait_idle(page)
    page.get_by_role("link", name="Import", exact=True).click()
    wait_idle(page)
    page.locator("input[type=file]").set_input_files(str(source))
    wait_idle(page)
    expect(
        page.get_by_text("protetto.xlsx is protected by a password: save it without one and try again.")
    ).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_role("button", name="Import", exact=True)).to_have_count(0)
    page.screenshot(path=str(shots / "import-locked.png"), full_page=True)
    no_exception(page)
