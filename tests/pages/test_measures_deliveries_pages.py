"""AppTest of the pages of issue 14: Maßnahmen (list, filters, export, edit with history) and Datenlieferungen
(calendar, template, reminder; a provider's own view and upload)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from controlling import auth
from controlling.bootstrap import initialize
from controlling.db import Store
from controlling.ui import SignedIn

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "ein-langes-passwort"


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """Demo data and a provider account (Edemissen), made before the app opens the file."""
    path = tmp_path_factory.mktemp("arbeit") / "arbeit.duckdb"
    store = Store(path)
    initialize(store, demo=True)
    auth.add_account(store, "edemissen", "lieferant", PASSWORD, by="test", provider="Edemissen")
    store.close()
    return path


@pytest.fixture
def app(database, monkeypatch):
    monkeypatch.setenv("CONTROLLING_DB", str(database))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    assert not at.exception
    return at


def open_as(at: AppTest, page: str, role: str | None = None, name: str = "test") -> AppTest:
    if role is not None:
        at.session_state["_signed_in"] = SignedIn(name=name, role=role, via="konto")
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_viewers_read_the_measures_and_see_the_overdue_one(app):
    open_as(app, "pages/massnahmen.py")
    assert app.title[0].value == "Maßnahmen"
    assert int(metrics(app)["Überfällig"]) >= 1
    table = app.dataframe[0].value
    assert any("überfällig" in state for state in table["Stand"])
    assert app.get("download_button")[0].proto.label == "Als Excel herunterladen"
    assert not [b for b in app.button if b.label == "Maßnahme anlegen"]  # viewers do not edit
    app.toggle[0].set_value(True).run()
    assert all("überfällig" in state for state in app.dataframe[0].value["Stand"])


def test_staff_edit_a_measure_and_the_history_shows_it(app):
    open_as(app, "pages/massnahmen.py", "referat", name="anna")
    app.selectbox(key="massnahme_wahl").select(2).run()
    states = [s for s in app.selectbox if s.label == "Stand"]
    states[-1].select("abgeschlossen")
    next(b for b in app.button if b.label == "Änderungen speichern").click().run()
    assert not app.exception
    assert any("Maßnahme 2 gespeichert" in s.value for s in app.success), [e.value for e in app.error]
    history = app.dataframe[-1].value
    row = history.loc[history["Feld"] == "Stand"].iloc[0]
    assert (row["Von"], row["Vorher"], row["Nachher"]) == ("anna", "laufend", "abgeschlossen")


def test_staff_add_a_measure_with_a_german_amount(app):
    open_as(app, "pages/massnahmen.py", "referat")
    next(t for t in app.text_input if t.label == "Titel").input("Sprachcafé Vechelde")
    next(t for t in app.text_input if t.label == "Verantwortlich").input("Gemeinde Vechelde")
    next(t for t in app.text_input if t.label.startswith("Betrag")).input("2.400,50")
    next(m for m in app.multiselect if m.label == "Kennzahlen").select("SPR-03")
    next(b for b in app.button if b.label == "Maßnahme anlegen").click().run()
    assert not app.exception
    assert any("»Sprachcafé Vechelde« angelegt" in s.value for s in app.success), [e.value for e in app.error]
    row = app.dataframe[0].value.set_index("Maßnahme").loc["Sprachcafé Vechelde"]
    assert row["Betrag"] == "2.400,50 €"


def test_a_measure_without_a_title_is_refused_in_german(app):
    open_as(app, "pages/massnahmen.py", "referat")
    next(b for b in app.button if b.label == "Maßnahme anlegen").click().run()
    assert "Titel und Verantwortlich sind Pflichtangaben" in app.error[0].value


def test_the_delivery_calendar_is_for_staff(app):
    open_as(app, "pages/datenlieferungen.py")
    assert "vorbehalten" in app.error[0].value


def test_staff_see_every_delivery_and_the_reminder(app):
    open_as(app, "pages/datenlieferungen.py", "referat")
    assert app.title[0].value == "Datenlieferungen"
    assert set(app.dataframe[0].value["Stand"]) <= {"erwartet", "eingegangen", "überfällig"}
    app.selectbox(key="lieferant").select("Jobcenter Landkreis Peine").run()
    assert all(app.dataframe[0].value["Kennzahl"].str.startswith("ARB-0"))
    letter = app.code[0].value
    assert "Sehr geehrte Damen und Herren" in letter and "ARB-06" in letter
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels == ["Vorlage als CSV", "Vorlage als XLSX"]


def test_a_provider_sees_its_own_deliveries_and_uploads_only_its_own_rows(app):
    open_as(app, "pages/datenlieferungen.py", "lieferant", name="edemissen")
    assert app.title[0].value == "Datenlieferungen – Edemissen"
    assert sorted(app.dataframe[0].value["Kennzahl"].str[:6]) == ["BIL-08", "GES-06", "KOM-03", "KTX-09", "KTX-13"]
    assert not app.code  # no reminder letters for a provider
    foreign = b"kennzahl;gebiet;jahr;wert\nBIL-08;03157002;2025;41\n"
    app.get("file_uploader")[0].set_value(("fremd.csv", foreign, "text/csv")).run()
    assert not app.exception
    assert any("nichts gespeichert" in e.value for e in app.error)
    assert "Liefern darf ihn: Hohenhameln" in " ".join(app.dataframe[1].value["Was richtig wäre"])
    assert not [b for b in app.button if b.label == "Import bestätigen"]
    own = b"kennzahl;gebiet;jahr;wert\nBIL-08;03157001;2025;55\n"
    app.get("file_uploader")[0].set_value(("eigen.csv", own, "text/csv")).run()
    next(b for b in app.button if b.label == "Import bestätigen").click().run()
    assert any("eigen.csv: Gespeichert als Import" in s.value for s in app.success)
    assert app.get("file_uploader")[0].value is None  # emptied: nothing left to confirm twice
    assert not [b for b in app.button if b.label == "Import bestätigen"]
    rows = app.dataframe[0].value.set_index("Kennzahl")
    assert rows.loc[rows.index.str.startswith("BIL-08"), "Stand"].iloc[0] == "eingegangen"


def test_editing_an_indicator_keeps_and_changes_its_delivery_calendar(app):
    open_as(app, "pages/kennzahlen.py", "referat")
    app.selectbox[0].select("ARB-06").run()
    assert next(t for t in app.text_input if t.label == "Lieferant").value == "Jobcenter Landkreis Peine"
    next(t for t in app.text_input if t.label.startswith("Lieferfrist")).input("30.4")
    next(b for b in app.button if b.label == "Speichern").click().run()
    assert any("gespeichert" in s.value for s in app.success), [e.value for e in app.error]
    app.selectbox[0].select("ARB-06").run()
    assert next(t for t in app.text_input if t.label.startswith("Lieferfrist")).value == "30.04."
    assert next(t for t in app.text_input if t.label.startswith("Stichtag")).value == "31.12."
    next(t for t in app.text_input if t.label.startswith("Stichtag")).input("31.13.")
    next(b for b in app.button if b.label == "Speichern").click().run()
    assert any("Erwartet wird ein Tag und Monat wie 31.12." in e.value for e in app.error)
