"""AppTest: every page renders on the demo data without exception; main interactions work."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from benchmarks import postgres
from controlling.ui import SignedIn
from tests.conftest import copy_demo_database

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))


@pytest.fixture(scope="session")
def pages_on_postgresql(postgres_server):
    """One PostgreSQL database for the page tests (filled with demo data by the first start)."""
    return postgres.create_database(postgres_server, "controlling_pages")


@pytest.fixture
def app(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("CONTROLLING_DB", str(tmp_path_factory.getbasetemp() / "pages.duckdb"))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    assert not at.exception
    return at


def sign_in(app, role="referat"):
    app.session_state["_signed_in"] = SignedIn(name="test", role=role, via="konto")
    app.run()
    return app


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_postgresql(pages_on_postgresql, monkeypatch, page):
    monkeypatch.setenv("CONTROLLING_DB", pages_on_postgresql)
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    assert not at.exception
    sign_in(at)
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title, "jede Seite hat eine Überschrift"


RESTRICTED = [
    "pages/daten_hochladen.py",
    "pages/ziele.py",
    "pages/zielsystem.py",
    "pages/kennzahlen.py",
    "pages/einordnung.py",
    "pages/datenlieferungen.py",
    "pages/protokoll.py",
    "pages/netzwerk_pflegen.py",  # issue 27
    "pages/beteiligung_pflegen.py",
    "pages/uebersetzungen.py",
]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders(app, page):
    sign_in(app)
    app.switch_page(page).run()
    assert not app.exception, app.exception
    assert not app.error, [e.value for e in app.error]
    assert app.title, "jede Seite hat eine Überschrift"


def test_overview_shows_lights_for_the_kreis(app):
    assert "Übersicht Landkreis Peine 2024" in app.title[0].value
    labels = [metric.label for metric in app.metric]
    assert any("Rot" in label for label in labels)
    assert sum(int(metric.value) for metric in app.metric) >= 35  # every rated indicator of the Kreis
    assert any("Demodaten" in w.value for w in app.sidebar.warning)


def test_overview_year_can_be_changed(app):
    app.sidebar.selectbox(key="url_jahr").select(2021).run()
    assert not app.exception
    assert "2021" in app.title[0].value


def open_page(app, page, **params):
    for key, value in params.items():
        app.query_params[key] = value
    app.switch_page(page).run()
    assert not app.exception, app.exception
    return app


def test_kennzahl_page_follows_the_link_and_shows_flags_and_measures(app):
    open_page(app, "pages/kennzahl.py", kennzahl="BIL-05")
    assert app.title[0].value.startswith("BIL-05")
    table = next(frame.value for frame in app.dataframe if "Kennzeichen" in frame.value.columns)
    assert "berechnet aus den Gemeinden" in " ".join(table["Kennzeichen"])
    assert "unbekannt oder geheim" in " ".join(table["Kennzeichen"])  # Hohenhameln 2021
    measures = next(frame.value for frame in app.dataframe if "Maßnahme" in frame.value.columns)
    assert any("Ausbau der Sprachförderung" in str(v) for v in measures["Maßnahme"])
    assert app.get("download_button")


def test_a_link_matches_codes_whatever_their_case_and_says_when_it_finds_none(app):
    open_page(app, "pages/kennzahl.py", kennzahl="bil-05")
    assert app.title[0].value.startswith("BIL-05") and not app.warning
    open_page(app, "pages/kennzahl.py", kennzahl="XYZ-99")
    assert any("»XYZ-99« gibt es hier nicht" in w.value for w in app.warning)


def test_kennzahl_can_be_changed_in_the_sidebar(app):
    open_page(app, "pages/kennzahl.py")
    app.sidebar.selectbox(key="url_kennzahl").select("ARB-01").run()
    assert app.title[0].value.startswith("ARB-01")
    assert app.query_params["kennzahl"] == ["ARB-01"] or app.query_params["kennzahl"] == "ARB-01"


def test_handlungsfeld_lists_every_indicator_of_the_field(app):
    open_page(app, "pages/handlungsfeld.py", feld="ARB")
    codes = {text.split()[0] for text in app.dataframe[0].value["Kennzahl"]}
    assert codes == {"ARB-01", "ARB-03", "ARB-04", "ARB-05", "ARB-06", "ARB-07", "ARB-08", "ARB-10"} | {
        "ARB-11",  # the Mindestsicherung Kennzahlen of the LSN release (issue 23)
        "ARB-12",
        "ARB-13",
        "ARB-14",
    }


def test_gemeinde_compares_rates_not_counts(app):
    open_page(app, "pages/gemeinde.py", gebiet="03157006")
    table = app.dataframe[0].value
    assert not table["Kennzahl"].str.startswith("KTX").any()  # context counts are not compared
    assert set(table["Vergleich"]) <= {"besser", "schlechter", "gleich/neutral"}
    assert table["Ziel"].str.contains("(Kreisziel anteilig)", regex=False).any()
    assert {"Trend", "Wetter"} <= set(table.columns)


def test_small_counts_are_withheld_for_viewers(app, monkeypatch):
    monkeypatch.setenv("CONTROLLING_MIN_COUNT", "1000")
    open_page(app, "pages/kennzahl.py", kennzahl="KTX-11")
    table = next(frame.value for frame in app.dataframe if "AGS" in frame.value.columns)
    gemeinden = table.loc[table["AGS"].str.len() == 8]
    assert gemeinden["Wert"].isin(["–", "0"]).all()  # withheld, or zero: zero identifies nobody
    assert "Datenschutz" in " ".join(gemeinden["Kennzeichen"])
    assert (table.loc[table["AGS"] == "03157", "Wert"] != "–").all()  # the Kreis is never hidden


def test_karte_colours_by_light(app):
    open_page(app, "pages/karte.py", kennzahl="BIL-05")
    app.radio(key="karte_faerbung").set_value("light").run()
    assert not app.exception


def test_vergleich_shows_the_land(app):
    open_page(app, "pages/vergleich.py", kennzahl="KTX-01")
    assert not app.info


@pytest.mark.parametrize("role", [None, "betrachter"])
@pytest.mark.parametrize("page", RESTRICTED)
def test_staff_pages_are_absent_for_viewers(app, page, role):
    if role:
        sign_in(app, role)
    try:
        app.switch_page(page).run()
    except ValueError as error:  # not in the navigation at all
        assert "Could not find a navigation page" in str(error)
        return
    # AppTest may still know the page from an earlier run; then the page itself must refuse.
    assert any("vorbehalten" in e.value for e in app.error)
    assert not app.get("file_uploader") and not app.get("form")


@pytest.mark.parametrize("page", RESTRICTED)
@pytest.mark.parametrize("trick", [{"_signed_in": "referat"}, {"role": "referat"}, {"user_name": "admin"}])
def test_staff_pages_refuse_to_render_without_a_real_sign_in(tmp_path, monkeypatch, page, trick, demo_database_file):
    monkeypatch.setenv("CONTROLLING_DB", str(copy_demo_database(demo_database_file, tmp_path / "trick.duckdb")))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / page), default_timeout=60)
    for key, value in trick.items():
        at.session_state[key] = value
    at.run()
    assert any("vorbehalten" in e.value for e in at.error)
    assert not at.button and not at.get("file_uploader") and not at.dataframe


def test_before_the_first_account_anonymous_is_told_where_accounts_come_from_without_a_command(app):
    captions = [c.value for c in app.sidebar.caption]
    assert any("Es gibt noch kein Konto" in c and "Anmeldung und Rollen" in c for c in captions)
    assert not any("python -m controlling" in c for c in captions)  # no server command for committee members


def test_an_indicator_with_data_can_be_retired_not_deleted(app):
    sign_in(app)
    open_page(app, "pages/kennzahlen.py")
    app.selectbox[0].select("KTX-12").run()
    next(b for b in app.button if b.label.startswith("Löschen")).click().run()
    assert any("kann stillgelegt, aber nicht" in e.value for e in app.error)
    next(b for b in app.button if b.label.startswith("Stilllegen")).click().run()
    assert not app.exception
    table = app.dataframe[0].value
    assert table.set_index("Kennzahl").loc["KTX-12", "stillgelegt"] == "ja"


def test_a_new_indicator_is_checked_like_the_template(app):
    sign_in(app)
    open_page(app, "pages/kennzahlen.py")
    app.text_input[0].input("TST-01")
    next(b for b in app.button if b.label == "Speichern").click().run()
    assert any("Die Bezeichnung fehlt" in e.value for e in app.error)
    app.text_input[0].input("TST-01")
    app.text_input[1].input("<script>alert(1)</script> Testkennzahl")
    app.text_area[0].input("Zähler ÷ Nenner × 100")
    next(b for b in app.button if b.label == "Speichern").click().run()
    assert any("gespeichert" in s.value for s in app.success)
    table = app.dataframe[0].value.set_index("Kennzahl")
    assert table.loc["TST-01", "Bezeichnung"] == "<script>alert(1)</script> Testkennzahl"  # stored and shown as text


@pytest.mark.slow  # prints the PDF in Chromium
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="PDF-Bericht braucht /usr/bin/chromium")
def test_report_is_built_on_click_and_offered_for_download(app):
    open_page(app, "pages/bericht.py")
    assert not app.get("download_button")  # nothing is built before the click
    next(b for b in app.button if b.label == "Bericht erstellen").click().run(timeout=180)
    assert not app.exception, app.exception
    assert any("Datenstand: Import Nr. " in s.value for s in app.success)
    assert len(app.get("download_button")) == 2
