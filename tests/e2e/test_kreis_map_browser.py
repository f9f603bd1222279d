"""Issue 26: another Kreis (Gifhorn) set up in one command; its map drawn from the shipped outlines, offline."""

from __future__ import annotations

import time

from controlling.reference.areas import kreise
from tests.e2e.conftest import running_server, screenshot, wait_until_rendered


def test_the_map_of_gifhorn_shows_its_gemeinden_and_asks_no_other_host(browser, tmp_path):
    with running_server(tmp_path, kreis="03151") as server:
        context = browser.new_context(viewport={"width": 1280, "height": 1400}, locale="de-DE")
        tab = context.new_page()
        outside: list[str] = []
        tab.on("request", lambda request: outside.append(request.url) if "127.0.0.1" not in request.url else None)
        tab.goto(server.url)
        tab.get_by_text("Übersicht Landkreis Gifhorn 2024").wait_for(timeout=90_000)
        wait_until_rendered(tab)
        started = time.monotonic()
        tab.goto(f"{server.url}/karte?kennzahl=BIL-05")
        tab.locator(".js-plotly-plot").first.wait_for(timeout=90_000)
        wait_until_rendered(tab)
        seconds = time.monotonic() - started
        assert tab.get_by_text("Karte der Gemeinden").is_visible()
        figure = tab.locator(".js-plotly-plot").first
        gemeinden = kreise().set_index("code").at["03151", "gemeinden"]
        assert figure.locator("path.js-fill").count() == gemeinden  # one filled outline per Gemeinde
        assert figure.get_by_text("GeoBasis-DE / BKG 2021 (Daten verändert)").count() == 1
        path = screenshot(tab, "karte_gifhorn")
        figure.screenshot(path=str(path.with_name("karte_gifhorn_karte.png")))
        print(f"\nKarte Gifhorn nach {seconds:.1f} s gezeichnet; Bildschirmfoto: {path}")
        tab.get_by_text("Ampel", exact=True).click()
        lights = tab.locator(".js-plotly-plot").filter(has_text="○ Grau")  # the legend of the lights
        lights.wait_for(timeout=60_000)
        wait_until_rendered(tab)
        lights.screenshot(path=str(path.with_name("karte_gifhorn_ampel.png")))
        tab.goto(f"{server.url}/vergleich?kennzahl=KTX-01")
        land_map = tab.locator(".js-plotly-plot").filter(has_text="Die Kreise des Landes")
        land_map.wait_for(timeout=90_000)
        wait_until_rendered(tab)
        assert land_map.get_by_text("Landkreis Gifhorn").count() == 1  # the Kreis itself is named on the map
        land_map.screenshot(path=str(path.with_name("vergleich_gifhorn_kreise.png")))
        context.close()
    outside = [url for url in outside if not url.startswith(("data:", "blob:"))]
    assert outside == []
