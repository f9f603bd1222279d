"""The dashboard as a person sees it in Chromium."""

from __future__ import annotations

import subprocess
import sys
import time

from benchmarks import postgres
from tests.e2e.conftest import ROOT, running_server, screenshot, sign_in, wait_until_rendered


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


def test_two_dashboards_and_a_command_line_import_on_one_postgresql(postgres_server, browser, tmp_path):
    """Issue 18: two dashboard processes on one PostgreSQL; a CLI import beside them shows on both at the next load."""
    address = postgres.create_database(postgres_server, "controlling_browser")
    with running_server(tmp_path, address) as first, running_server(tmp_path, address) as second:
        tabs = []
        for server in (first, second):
            context = browser.new_context(viewport={"width": 1280, "height": 1400}, locale="de-DE")
            tab = context.new_page()
            tab.goto(server.url)
            tab.get_by_text("Übersicht Landkreis Peine 2024").wait_for(timeout=90_000)
            tabs.append(tab)
        data = tmp_path / "nachlieferung.csv"
        data.write_text("kennzahl;gebiet;jahr;wert\nBIL-01;03157;2025;55,0\n", encoding="utf-8")
        result = subprocess.run(
            [sys.executable, "-m", "controlling", "--db", address, "import", str(data), "--user", "nachtlauf"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        for number, (server, tab) in enumerate(zip((first, second), tabs, strict=True), 1):
            # One early value for 2025 does not move the default Berichtsjahr (issue 25), but 2025 can be chosen.
            tab.goto(server.url + "/?jahr=2025")  # a new page load
            tab.get_by_text("Übersicht Landkreis Peine 2025").wait_for(timeout=60_000)
            wait_until_rendered(tab)
            path = screenshot(tab, f"postgresql_dashboard_{number}")
            print(f"\nDashboard {number} auf PostgreSQL zeigt den Import von der Kommandozeile; Bildschirmfoto: {path}")
        for tab in tabs:
            tab.context.close()
        # The sign-in is a session in the database: signed in at one process, the other knows it too.
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
        tab = context.new_page()
        sign_in(tab, first.url)
        tab.goto(f"{second.url}/daten_hochladen")
        tab.get_by_role("heading", name="Daten hochladen").wait_for(timeout=60_000)
        wait_until_rendered(tab)
        assert tab.get_by_text("Angemeldet: referat.test").count()
        path = screenshot(tab, "postgresql_anmeldung_zweiter_prozess")
        print(f"\nAngemeldet bei Dashboard 1, angemeldet auch bei Dashboard 2; Bildschirmfoto: {path}")
        context.close()
