"""Leitbild und Ziele in Chromium at 1366 px: the Leitbild, the tree and its rolled-up lights (issue 14)."""

from __future__ import annotations

from tests.e2e.conftest import screenshot, sign_in, wait_until_rendered


def test_leitbild_page_shows_the_tree_with_rolled_up_lights(server, browser):
    # The main area scrolls inside the page: a tall window shows the Leitbild and the first Handlungsfelder.
    context = browser.new_context(viewport={"width": 1366, "height": 2600}, locale="de-DE")
    tab = context.new_page()
    tab.goto(f"{server.url}/leitbild")
    tab.get_by_role("heading", name="Leitbild und Ziele").first.wait_for(timeout=60_000)
    tab.get_by_text("Leitziel BIL-L1: Gleiche Bildungschancen").first.wait_for(timeout=60_000)
    wait_until_rendered(tab)
    shot = screenshot(tab, "leitbild_1366")
    print(f"\nLeitbild und Ziele: {shot}")
    assert tab.get_by_text("Entwurf – vom Referat zu ersetzen.").count()
    assert tab.get_by_text("So wird zusammengefasst:").count()
    assert tab.get_by_text("× Rot").count() and tab.get_by_text("× Grün").count()
    assert not tab.locator('[data-testid="stException"]').count()
    assert tab.evaluate("document.documentElement.scrollWidth") <= 1366  # no sideways scrolling
    context.close()


def test_staff_edit_the_goal_system_in_the_browser(server, page):
    page.goto(f"{server.url}/zielsystem")  # not signed in: refused in German
    page.get_by_text("Diese Seite ist dem Referat Migration und Teilhabe vorbehalten").wait_for(timeout=60_000)
    sign_in(page, f"{server.url}/zielsystem")
    page.get_by_role("heading", name="Zielsystem pflegen").wait_for(timeout=60_000)
    wait_until_rendered(page)
    page.get_by_role("tab", name="Leitbild").click()
    box = page.get_by_label("Leitbild (Markdown")
    box.fill("# Leitbild im Browser geändert\n\nAlle gehören dazu.")
    page.get_by_role("button", name="Leitbild speichern").click()
    page.get_by_text("Leitbild gespeichert").wait_for(timeout=60_000)
    screenshot(page, "zielsystem_pflegen")
    page.goto(f"{page.url.split('/zielsystem')[0]}/leitbild")
    page.get_by_text("Alle gehören dazu.").wait_for(timeout=60_000)


def test_staff_add_a_handlungsziel_through_the_form_and_it_is_stored(server, page):
    """Issue 25 point 2: the form adds a Handlungsziel; the save names it, and the Leitbild page shows it."""
    sign_in(page, f"{server.url}/zielsystem")
    page.get_by_role("heading", name="Zielsystem pflegen").wait_for(timeout=60_000)
    wait_until_rendered(page)
    page.get_by_role("tab", name="Ziel anlegen").click()
    page.get_by_text("Leitziel", exact=True).first.wait_for(timeout=60_000)
    form = page.locator('[data-testid="stForm"]').filter(has_text="Titel")
    code = form.get_by_role("textbox", name="Code")
    assert code.input_value().startswith("BIL-L1-H")  # the next free code, suggested
    form.get_by_role("textbox", name="Code").fill("BIL-L1-H8")
    form.get_by_role("textbox", name="Titel").fill("Sprachkitas im ganzen Kreis")
    form.get_by_label("Kennzahlen, an denen es gemessen wird").click()
    page.get_by_role("option", name="BIL-01 –").first.click()
    page.keyboard.press("Escape")
    form.get_by_role("button", name="Ziel anlegen").click()
    page.get_by_text("Gespeichert – angelegt: BIL-L1-H8").wait_for(timeout=60_000)
    screenshot(page, "zielsystem_ziel_angelegt")
    page.goto(f"{server.url}/leitbild")
    page.get_by_text("Sprachkitas im ganzen Kreis").first.wait_for(timeout=60_000)
    assert not page.get_by_text("None", exact=True).count()
