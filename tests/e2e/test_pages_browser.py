"""Every page in Chromium at desktop and tablet width; a shared link restores its view; an upload works."""

from __future__ import annotations

import time

import pytest

from tests.e2e.conftest import screenshot, sign_in, wait_until_rendered

PAGES = [
    ("", "Übersicht Landkreis Peine"),
    ("handlungsfeld?feld=SPR", "Handlungsfeld Sprache"),
    ("kennzahl?kennzahl=BIL-05", "BIL-05 Schulanfänger mit unzureichenden Deutschkenntnissen"),
    ("gemeinde?gebiet=03157006", "Peine (Stadt) im Vergleich zum Landkreis Peine"),
    ("vergleich?kennzahl=KTX-01", "Vergleich mit Land und anderen Kreisen"),
    ("karte?kennzahl=BIL-05", "Karte der Gemeinden"),
]


@pytest.mark.parametrize(("path", "heading"), PAGES, ids=[p[0].split("?")[0] or "uebersicht" for p in PAGES])
def test_page_renders_in_the_browser(server, page, path, heading):
    started = time.monotonic()
    page.goto(f"{server.url}/{path}")
    page.get_by_role("heading", name=heading).first.wait_for(timeout=60_000)
    wait_until_rendered(page)
    seconds = time.monotonic() - started
    name = path.split("?")[0] or "uebersicht"
    shot = screenshot(page, name)
    print(f"\n{name}: {seconds:.1f} s bis fertig gerendert (Browser), {shot}")
    assert not page.get_by_text("Traceback").count()
    assert not page.locator('[data-testid="stException"]').count()


def test_tablet_width(server, browser):
    context = browser.new_context(viewport={"width": 820, "height": 1180}, locale="de-DE")
    tab = context.new_page()
    tab.goto(f"{server.url}/kennzahl?kennzahl=ARB-01")
    tab.get_by_role("heading", name="ARB-01").first.wait_for(timeout=60_000)
    wait_until_rendered(tab)
    screenshot(tab, "kennzahl_tablet")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 830  # no sideways scrolling
    context.close()


def test_a_shared_link_restores_the_view(server, page):
    page.goto(f"{server.url}/kennzahl?kennzahl=SPR-03")
    page.get_by_role("heading", name="SPR-03 Wartezeit bis Integrationskursbeginn").wait_for(timeout=60_000)
    wait_until_rendered(page)
    assert "kennzahl=SPR-03" in page.url
    page.goto(f"{server.url}/?jahr=2021")
    page.get_by_role("heading", name="Übersicht Landkreis Peine 2021").wait_for(timeout=60_000)


def test_upload_in_the_browser(server, page, tmp_path):
    csv = tmp_path / "werte.csv"
    csv.write_text("kennzahl;gebiet;jahr;wert\nKTX-03;03157006;2024;51234\nKTX-99;Peine;2024;abc\n", encoding="utf-8")
    page.goto(f"{server.url}/daten_hochladen")  # not signed in: the page does not exist for viewers
    page.get_by_role("heading", name="Übersicht Landkreis Peine").first.wait_for(timeout=60_000)
    assert not page.get_by_role("heading", name="Daten hochladen").count()
    sign_in(page, server.url)
    page.get_by_role("link", name="Daten hochladen").click()
    page.get_by_role("heading", name="Daten hochladen").wait_for(timeout=60_000)
    page.locator('input[type="file"]').set_input_files(str(csv))
    page.get_by_text("Prüfung abgeschlossen").wait_for(timeout=60_000)
    wait_until_rendered(page)
    screenshot(page, "upload_abgelehnt")
    assert page.get_by_text("Unbekannte Kennzahl").first.is_visible() or page.get_by_text("abgelehnt: 1").count()
