"""Issue 14 in Chromium: a provider signs in, downloads its template, fills it, uploads it, and the delivery
turns eingegangen; staff see the measures page with an overdue measure and the delivery calendar."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT, STAFF_PASSWORD, Server, running_server, screenshot, wait_until_rendered

PROVIDER_PASSWORD = "lieferant-passwort-2026"


def _cli(env: dict[str, str], *args: str, stdin: str | None = None) -> None:
    subprocess.run(
        [sys.executable, "-m", "controlling", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        text=True,
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def server_with_provider(tmp_path_factory) -> Iterator[Server]:
    """A server whose database has an account of the role lieferant for the Gemeinde Edemissen."""
    folder = tmp_path_factory.mktemp("e2e_lieferung")
    env = {**os.environ, "CONTROLLING_DB": str(folder / "e2e.duckdb")}  # the file running_server uses
    _cli(env, "init", "--demo")
    _cli(
        env,
        "user",
        "add",
        "edemissen",
        "--role",
        "lieferant",
        "--lieferant",
        "Edemissen",
        "--password-stdin",
        stdin=f"{PROVIDER_PASSWORD}\n",
    )
    with running_server(folder) as started:
        yield started


def sign_in_as(tab, url: str, name: str, password: str) -> None:
    # The first session of a fresh server loses a sign-in submitted in it (seen 01.12.2026, reported to the
    # sign-in owners); a person simply tries again. Here: one visit first, then sign in on a new page load.
    tab.goto(url)
    tab.get_by_label("Name").wait_for(timeout=90_000)
    wait_until_rendered(tab)
    tab.goto(url)
    tab.get_by_label("Name").fill(name)
    tab.get_by_label("Passwort").fill(password)
    tab.get_by_role("button", name="Anmelden").click()
    tab.get_by_text("Angemeldet:").wait_for(timeout=60_000)


def metric(tab, label: str) -> str:
    box = tab.locator('[data-testid="stMetric"]').filter(has_text=label)
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def test_a_provider_downloads_fills_and_uploads_its_template(server_with_provider, page, tmp_path):
    sign_in_as(page, server_with_provider.url, "edemissen", PROVIDER_PASSWORD)
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Datenlieferungen").click()
    page.get_by_text("Datenlieferungen – Edemissen").wait_for(timeout=60_000)
    wait_until_rendered(page)
    assert metric(page, "Überfällig") == "5" and metric(page, "Eingegangen") == "0"
    assert not page.get_by_text("Daten hochladen", exact=True).is_visible()  # staff pages stay hidden
    screenshot(page, "datenlieferungen_lieferant_vorher")

    with page.expect_download() as download:
        page.get_by_role("button", name="Vorlage als CSV").click()
    assert download.value.suggested_filename == "vorlage_edemissen_2025.csv"
    template = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert template[0] == (
        "kennzahl;gebiet;jahr;wert;zaehler;nenner;kennzeichen;anmerkung;aufschluesselung;erlaeuterung;vorjahr"
    )
    rows = [line.split(";") for line in template[1:]]
    assert [row[0] for row in rows] == ["BIL-08", "GES-06", "KOM-03", "KTX-09", "KTX-13"]
    assert {(row[1], row[2], row[3]) for row in rows} == {("03157001", "2025", "")}
    assert all(row[10] for row in rows)  # last year's value beside each as a hint
    assert rows[0][9].endswith("– Edemissen")

    filled = tmp_path / "vorlage_edemissen_2025.csv"
    values = ["57,1", "28,0", "30,5", "70", "35"]
    lines = [template[0]] + [";".join([*row[:3], value, *row[4:]]) for row, value in zip(rows, values, strict=True)]
    filled.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(filled))
    page.get_by_role("button", name="Import bestätigen").wait_for(timeout=60_000)
    wait_until_rendered(page)
    page.get_by_role("button", name="Import bestätigen").click()
    page.get_by_text("Gespeichert als Import").wait_for(timeout=60_000)
    page.get_by_role("button", name="Import bestätigen").wait_for(state="detached", timeout=30_000)  # emptied
    wait_until_rendered(page)
    assert metric(page, "Eingegangen") == "5" and metric(page, "Überfällig") == "0"
    screenshot(page, "datenlieferungen_lieferant_eingegangen")


def test_staff_see_the_calendar_with_the_reminder_and_the_overdue_measure(server_with_provider, page):
    sign_in_as(page, server_with_provider.url, "referat.test", STAFF_PASSWORD)
    nav = page.locator('[data-testid="stSidebarNav"]')
    nav.get_by_text("Maßnahmen").click()
    page.get_by_role("heading", name="Maßnahmen").first.wait_for(timeout=60_000)
    wait_until_rendered(page)
    assert int(metric(page, "Überfällig")) >= 1
    screenshot(page, "massnahmen_ueberfaellig")
    nav.get_by_text("Datenlieferungen").click()
    page.get_by_text("Jahr der Daten").wait_for(timeout=60_000)
    wait_until_rendered(page)
    page.get_by_role("combobox", name="Lieferant").click()
    page.get_by_role("option", name="Jobcenter Landkreis Peine").click()
    page.get_by_text("Erinnerung zum Kopieren").wait_for(timeout=60_000)
    wait_until_rendered(page)
    page.get_by_text("Sehr geehrte Damen und Herren").wait_for(timeout=30_000)  # visible (under load it comes later)
    screenshot(page, "datenlieferungen_kalender")
