"""Amtliche Daten in a real browser (issue 23): the Referat fetches the LSN release, reads the preview per
Kennzahl, confirms one import, and Vergleich then ranks the Landkreis among every Kreis of the Land."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import Server, running_server, screenshot, sign_in, wait_until_rendered

RELEASE = Path(__file__).resolve().parents[3] / "shared" / "published" / "lsn-integrationsmonitoring-2025-12"


@pytest.fixture(scope="module")
def official_server(tmp_path_factory) -> Iterator[Server]:
    if not RELEASE.is_dir():
        pytest.skip(f"Die LSN-Veröffentlichung fehlt: {RELEASE}")
    before = os.environ.get("CONTROLLING_AMTLICH_QUELLE")
    os.environ["CONTROLLING_AMTLICH_QUELLE"] = str(RELEASE)
    try:
        with running_server(tmp_path_factory.mktemp("amtlich")) as started:
            yield started
    finally:
        if before is None:
            os.environ.pop("CONTROLLING_AMTLICH_QUELLE", None)
        else:
            os.environ["CONTROLLING_AMTLICH_QUELLE"] = before


def test_the_referat_fetches_the_release_confirms_it_and_vergleich_ranks_the_kreis(official_server, page):
    sign_in(page, f"{official_server.url}/amtliche_daten")
    wait_until_rendered(page)
    main = page.locator('[data-testid="stMain"]')
    main.get_by_text("Gebundene Kennzahlen").wait_for()
    source = main.get_by_role("textbox", name="Quelle: Ordner wie veröffentlicht oder https-Adresse")
    assert source.input_value() == str(RELEASE)
    main.get_by_role("button", name="jetzt abrufen").click()
    main.get_by_text("Amtliche Daten aus").wait_for(timeout=120_000)
    wait_until_rendered(page)
    text = main.inner_text()
    assert re.search(r"BIL-03: \d+ neu", text), text[:2000]
    assert "Neue Vergleichsgebiete: " in text
    screenshot(page, "amtliche_daten_vorschau")
    main.get_by_role("button", name="Import bestätigen").click()
    main.get_by_text(re.compile(r"Amtliche Daten gespeichert als Import \d+")).wait_for(timeout=120_000)
    wait_until_rendered(page)
    assert "Letzter Abruf: Import" in main.inner_text()
    screenshot(page, "amtliche_daten_gespeichert")

    page.goto(f"{official_server.url}/vergleich?kennzahl=GES-01&jahr=2024")
    wait_until_rendered(page)
    rank = page.get_by_text(re.compile(r"Landkreis Peine liegt 2024 mit .* auf Rang \d+ von 45 Kreisen"))
    rank.wait_for(timeout=60_000)
    assert "Land: " in rank.inner_text()
    screenshot(page, "vergleich_rang")
