"""Keyboard only and contrast (issue 25, point 10, BITV 2.0 / WCAG 2.1.1 and 1.4.3): the main journeys (read the
overview, open a Kennzahl, upload and confirm) with nothing but key presses, and axe-core's color-contrast rule
on the lights and badges, the legend opened."""

from __future__ import annotations

import re

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.e2e.conftest import SCREENSHOTS, STAFF_PASSWORD, wait_until_rendered
from tests.e2e.walk import DESKTOP, TABLET, run_axe

# What has the keyboard focus, as one line: tag, role, accessible name or text, address, test id, and whether it is
# the file uploader's button.
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e) return '';
  const text = (e.getAttribute('aria-label') || e.innerText || e.value || '').replace(/\\s+/g, ' ').trim();
  return [e.tagName, e.getAttribute('role') || '', text.slice(0, 80), e.getAttribute('href') || '',
          e.getAttribute('data-testid') || '',
          e.closest('[data-testid="stFileUploaderDropzone"]') ? 'Dateiauswahl' : ''].join(' | ');
}"""


def tab_to(tab, wanted: str, *, back: bool = False, limit: int = 80) -> str:
    """Press Tab (Shift+Tab when `back`) until the focused element matches `wanted` (a regular expression over
    FOCUSED); fails naming the elements passed when it is not reachable by keyboard within `limit` presses."""
    passed = []
    for _ in range(limit):
        tab.keyboard.press("Shift+Tab" if back else "Tab")
        focused = tab.evaluate(FOCUSED)
        if re.search(wanted, focused):
            return focused
        passed.append(focused)
    raise AssertionError(f"»{wanted}« ist mit der Tastatur nicht erreichbar; fokussiert waren: {passed}")


def test_the_main_journeys_with_the_keyboard_alone(server, browser, tmp_path):
    context = browser.new_context(viewport=DESKTOP, locale="de-DE")
    tab = context.new_page()
    tab.goto(server.url)
    tab.get_by_text("Ampeln je Handlungsfeld und Gemeinde").wait_for(timeout=90_000)
    wait_until_rendered(tab)

    # Read the overview: the skip link first, then the legend opened with Enter.
    assert "Zum Inhalt springen" in tab_to(tab, "stSkipToContent")
    tab.keyboard.press("Enter")
    tab_to(tab, r"^SUMMARY \|.*Was bedeuten Ampel")
    tab.keyboard.press("Enter")
    tab.get_by_text("wo steht der neueste Wert").first.wait_for(timeout=30_000)

    # Open a Kennzahl: back to the navigation, its link, then the Kennzahl chosen by typing.
    tab_to(tab, r"stSidebarNavLink.*/kennzahl\b|/kennzahl \| stSidebarNavLink", back=True)
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/kennzahl*", timeout=60_000)
    wait_until_rendered(tab)
    tab_to(tab, r"^INPUT \| combobox \| Kennzahl")
    tab.keyboard.type("BIL-05")
    tab.keyboard.press("Enter")
    tab.get_by_role("heading", name=re.compile(r"^BIL-05 ")).first.wait_for(timeout=60_000)
    wait_until_rendered(tab)
    tab.screenshot(path=str(SCREENSHOTS / "tastatur_kennzahl.png"))

    # Upload and confirm: sign in through the sidebar form, go to »Daten hochladen«, choose the file with Enter.
    tab_to(tab, r"^INPUT \|  \| Name", back=True)
    tab.keyboard.type("referat.test")
    tab.keyboard.press("Tab")
    tab.keyboard.type(STAFF_PASSWORD)
    tab.keyboard.press("Enter")
    tab.get_by_text("Angemeldet:").first.wait_for(timeout=60_000)
    wait_until_rendered(tab)
    tab_to(tab, r"/daten_hochladen \| stSidebarNavLink")
    tab.keyboard.press("Enter")
    tab.get_by_role("heading", name="Daten hochladen").wait_for(timeout=60_000)
    wait_until_rendered(tab)
    data = tmp_path / "tastatur.csv"
    data.write_text("kennzahl;gebiet;jahr;wert\nKTX-03;03157001;2023;7100\n", encoding="utf-8")
    focused = tab_to(tab, r"^BUTTON .*\| Dateiauswahl$", limit=120)
    chooser = None
    for key in ("Enter", "Space"):  # a button takes either key; the uploader may still be settling after a rerun
        try:
            with tab.expect_file_chooser(timeout=15_000) as opened:
                tab.keyboard.press(key)
        except PlaywrightTimeoutError:
            continue
        chooser = opened.value
        break
    assert chooser is not None, f"Die Dateiauswahl öffnet sich nicht mit Enter oder Leertaste; fokussiert: {focused}"
    chooser.set_files(str(data))
    tab.get_by_text("Datei tastatur.csv: Werte-Vorlage").wait_for(timeout=60_000)
    wait_until_rendered(tab)
    tab_to(tab, r"^BUTTON \|.*Import bestätigen", limit=120)
    tab.keyboard.press("Enter")
    tab.get_by_text("tastatur.csv: gespeichert als Import").wait_for(timeout=60_000)
    wait_until_rendered(tab)
    tab.screenshot(path=str(SCREENSHOTS / "tastatur_hochgeladen.png"))
    context.close()


def test_lights_and_badges_pass_axe_color_contrast(server, browser):
    """The lights of the matrix, the badges of the legend and of a Kennzahl, at tablet and desktop width."""
    for size in (DESKTOP, TABLET):
        context = browser.new_context(viewport=size, locale="de-DE")
        tab = context.new_page()
        for path, ready in (("", "Ampeln je Handlungsfeld und Gemeinde"), ("kennzahl?kennzahl=BIL-05", "Wetter:")):
            tab.goto(f"{server.url}/{path}")
            tab.get_by_text(ready).first.wait_for(timeout=90_000)
            wait_until_rendered(tab)
            tab.get_by_text("Was bedeuten Ampel, Wetter und Trend?").first.click()
            tab.get_by_text("wo steht der neueste Wert").first.wait_for(timeout=30_000)
            found = [v for v in run_axe(tab) if v["id"] == "color-contrast"]
            assert not found, (path, size, found)
        context.close()
