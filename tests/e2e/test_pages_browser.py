"""Every page in Chromium at desktop and tablet width; a shared link restores its view; an upload works."""

from __future__ import annotations

import time

import pytest

from tests.e2e.conftest import running_server, screenshot, sign_in, wait_until_rendered

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
    """A bad file is refused with its counts; a good one is saved on confirmation and undone again."""
    bad, good = tmp_path / "werte.csv", tmp_path / "werte_gut.csv"
    bad.write_text("kennzahl;gebiet;jahr;wert\nKTX-03;03157006;2024;51234\nKTX-99;Peine;2024;abc\n", encoding="utf-8")
    good.write_text("kennzahl;gebiet;jahr;wert\nKTX-03;03157006;2024;51.234,0\n", encoding="utf-8")
    page.goto(f"{server.url}/daten_hochladen")  # not signed in: a German refusal, never "Page not found"
    page.get_by_text("Diese Seite ist dem Referat Migration und Teilhabe vorbehalten").wait_for(timeout=60_000)
    wait_until_rendered(page)
    screenshot(page, "staff_seite_anonym")
    assert not page.get_by_text("Page not found").count()
    assert not page.get_by_role("heading", name="Daten hochladen").count()
    assert not page.locator('[data-testid="stSidebarNav"]').get_by_text("Datenpflege").count()
    sign_in(page, server.url)
    page.get_by_role("link", name="Daten hochladen").click()
    page.get_by_role("heading", name="Daten hochladen").wait_for(timeout=60_000)
    page.locator('input[type="file"]').set_input_files(str(bad))
    page.get_by_text("Prüfung abgeschlossen").wait_for(timeout=60_000)
    wait_until_rendered(page)
    screenshot(page, "upload_abgelehnt")
    page.get_by_text("Neu: 0, geändert: 1, unverändert: 0, abgelehnt: 1, übersprungen: 0").wait_for()
    assert page.get_by_role("button", name="Import bestätigen").is_disabled()  # not with a rejected row

    page.locator('input[type="file"]').set_input_files(str(good))
    page.get_by_text("Datei werte_gut.csv: Werte-Vorlage").wait_for(timeout=60_000)
    page.get_by_text("Neu: 0, geändert: 1, unverändert: 0, abgelehnt: 0, übersprungen: 0").wait_for()
    page.get_by_role("button", name="Import bestätigen").click()
    saved = page.get_by_text("werte_gut.csv: gespeichert als Import")
    saved.wait_for(timeout=60_000)
    intake_id = saved.inner_text().removeprefix("werte_gut.csv: gespeichert als Import ").rstrip(".")
    wait_until_rendered(page)
    screenshot(page, "upload_gespeichert")
    assert not page.get_by_role("button", name="Import bestätigen").count()  # the uploader is empty again

    newer = tmp_path / "werte_neuer.csv"
    newer.write_text("kennzahl;gebiet;jahr;wert\nKTX-03;03157006;2023;48000\n", encoding="utf-8")
    page.locator('input[type="file"]').set_input_files(str(newer))
    page.get_by_text("Datei werte_neuer.csv: Werte-Vorlage").wait_for(timeout=60_000)
    page.get_by_role("button", name="Import bestätigen").click()
    page.get_by_text(f"werte_neuer.csv: gespeichert als Import {int(intake_id) + 1}.").wait_for(timeout=60_000)

    # Issue 25: the older import is chosen; the question names it, and it is the one undone.
    choice = page.get_by_role("combobox", name="Import rückgängig machen")
    choice.click()
    page.get_by_role("option", name=f"Import {intake_id} – werte_gut.csv").click()
    page.get_by_role("button", name="Rückgängig machen …").click()
    page.get_by_text(f"Import {intake_id} zurücknehmen: »werte_gut.csv«").wait_for(timeout=60_000)
    wait_until_rendered(page)
    screenshot(page, "rueckgaengig_frage")
    page.get_by_role("button", name=f"Import {intake_id} jetzt zurücknehmen").click()
    page.get_by_text(f"Import {intake_id} wurde rückgängig gemacht").wait_for(timeout=60_000)
    wait_until_rendered(page)
    screenshot(page, "rueckgaengig_erledigt")
    # What can still be undone is what is still valid: the newer import, not the one taken back.
    page.get_by_role("combobox", name="Import rückgängig machen").click()
    offered = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    assert any(text.startswith(f"Import {int(intake_id) + 1} – werte_neuer.csv") for text in offered), offered
    assert not any(text.startswith(f"Import {intake_id} –") for text in offered), offered


def test_a_link_to_a_page_as_the_servers_first_request(page, tmp_path):
    """Streamlit's old mode for a pages/ folder must not show: the link opens inside the app's navigation."""
    with running_server(tmp_path) as fresh:
        page.goto(f"{fresh.url}/kennzahl?kennzahl=BIL-05")
        page.get_by_role("heading", name="BIL-05 Schulanfänger mit unzureichenden Deutschkenntnissen").wait_for(
            timeout=60_000
        )
        wait_until_rendered(page)
        screenshot(page, "erster_aufruf_kennzahl")
        navigation = page.locator('[data-testid="stSidebarNav"]')
        assert navigation.get_by_text("Übersicht").count() and navigation.get_by_text("Kennzahl").count()
        assert not navigation.get_by_text("daten hochladen").count()  # no list of file names
        assert page.get_by_role("button", name="Anmelden").count()  # the sign-in of dashboard.py is there
        assert "kennzahl=BIL-05" in page.url
