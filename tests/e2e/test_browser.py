"""The dashboard as a person sees it in Chromium."""

from __future__ import annotations

import time

from tests.e2e.conftest import screenshot, wait_until_rendered


def test_first_start_shows_the_overview_with_demo_data(server, page):
    page.goto(server.url)
    page.get_by_text("Übersicht Landkreis Peine 2024").wait_for(timeout=90_000)
    seconds = time.monotonic() - server.started
    page.get_by_text("Wo wir vom Kurs abweichen").wait_for()
    wait_until_rendered(page)
    assert page.get_by_text("Demodaten").first.is_visible()
    assert page.get_by_text("Ampeln je Handlungsfeld und Gemeinde").is_visible()
    path = screenshot(page, "uebersicht")
    print(f"\nErste Seite nach {seconds:.1f} s gerendert (ab streamlit run); Bildschirmfoto: {path}")
    assert path.stat().st_size > 10_000


def test_no_request_leaves_the_server(server, page):
    """A German authority's dashboard asks no other host for anything (fonts, icons, scripts)."""
    outside: list[str] = []
    page.on("request", lambda request: outside.append(request.url) if "127.0.0.1" not in request.url else None)
    for path in ("/", "/kennzahl?kennzahl=GES-06", "/karte"):
        page.goto(server.url + path)
        page.locator('[data-testid="stSidebarNav"]').wait_for(timeout=90_000)
        wait_until_rendered(page)
    outside = [url for url in outside if not url.startswith(("data:", "blob:"))]
    assert outside == []
