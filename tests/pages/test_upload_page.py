"""The upload page: preview, rejection report, confirmation, history and undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from controlling.ui import upload as upload_ui
from tests.conftest import copy_demo_database
from tests.pages.staff import staff_session

ROOT = Path(__file__).resolve().parents[2]
GOOD = b"kennzahl;gebiet;jahr;wert\nKTX-03;03157006;2024;51234\n"
BAD = b"kennzahl;gebiet;jahr;wert\nKTX-03;03157006;2024;51234\nKTX-99;Peine (Stadt);2024;abc\n"


@pytest.fixture
def page(tmp_path, monkeypatch, demo_database_file):
    monkeypatch.setenv("CONTROLLING_DB", str(copy_demo_database(demo_database_file, tmp_path / "upload.duckdb")))
    monkeypatch.chdir(ROOT)
    return staff_session("pages/daten_hochladen.py")


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.get("file_uploader")[0].set_value((name, data, "text/csv")).run()
    assert not at.exception, at.exception
    return at


def test_a_good_file_is_previewed_and_committed_on_confirmation(page):
    upload(page, "werte.csv", GOOD)
    assert {m.label: m.value for m in page.metric}["Geändert"] == "1"
    page.button[0].click().run()
    assert [s.value for s in page.success] == ["werte.csv: gespeichert als Import 2."]
    assert "werte.csv" in page.dataframe[-1].value["Datei"].tolist()
    assert page.get("file_uploader")[0].value is None  # emptied: nothing left to confirm twice
    assert not [b for b in page.button if b.label == "Import bestätigen"]


def test_a_bad_file_is_rejected_with_line_and_column(page):
    upload(page, "fehler.csv", BAD)
    problems = page.dataframe[0].value
    assert set(problems["Zeile"]) == {3}
    assert "Unbekannte Kennzahl" in " ".join(problems["Was richtig wäre"])
    confirm = next(b for b in page.button if b.label == "Import bestätigen")
    assert confirm.disabled


def choice(at: AppTest):
    return next(s for s in at.selectbox if s.label == "Import rückgängig machen")


def undo_button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_undo_from_the_history(page):
    upload(page, "werte.csv", GOOD)
    page.button[0].click().run()
    undo_button(page, "Rückgängig machen …").click().run()
    question = " ".join(w.value for w in page.warning)
    assert "Import 2 zurücknehmen: »werte.csv«" in question
    assert "Für 1 geänderten Wert gilt wieder der Stand davor" in question
    assert "rückgängig gemacht" not in " ".join(page.dataframe[-1].value["Stand"])  # nothing undone unasked
    undo_button(page, "Import 2 jetzt zurücknehmen").click().run()
    assert not page.exception
    assert "rückgängig gemacht" in " ".join(page.dataframe[-1].value["Stand"])
    assert any("Import 2 wurde rückgängig gemacht" in s.value for s in page.success)  # said after the rerun


def test_undo_takes_back_the_import_chosen_not_the_newest(page):
    """Issue 25: with a form, the choice jumped back to the newest import on the first press, and the
    confirmed second press undid that one. The import named in the question is the one undone."""
    for number, value in enumerate((GOOD, GOOD.replace(b"51234", b"60000"), GOOD.replace(b"51234", b"70000"))):
        upload(page, f"werte_{number}.csv", value)
        next(b for b in page.button if b.label == "Import bestätigen").click().run()
    choice(page).select(2).run()  # the oldest of imports 2, 3, 4
    undo_button(page, "Rückgängig machen …").click().run()
    assert choice(page).value == 2  # the choice stays
    assert any("Import 2 zurücknehmen: »werte_0.csv«" in w.value for w in page.warning)
    choice(page).select(3).run()  # another choice drops the question: nothing undone unasked
    assert not [b for b in page.button if b.label.endswith("jetzt zurücknehmen")]
    choice(page).select(2).run()
    undo_button(page, "Rückgängig machen …").click().run()
    undo_button(page, "Import 2 jetzt zurücknehmen").click().run()
    states = dict(zip(page.dataframe[-1].value["Nr."], page.dataframe[-1].value["Stand"], strict=True))
    assert states[2] == "rückgängig gemacht"
    assert states[3] == states[4] == "gültig"


def test_undo_can_be_cancelled(page):
    upload(page, "werte.csv", GOOD)
    page.button[0].click().run()
    undo_button(page, "Rückgängig machen …").click().run()
    undo_button(page, "Abbrechen").click().run()
    assert not [b for b in page.button if b.label.endswith("jetzt zurücknehmen")]
    assert "rückgängig gemacht" not in " ".join(page.dataframe[-1].value["Stand"])


def test_the_first_tab_shows_what_the_file_brings(page):
    upload(page, "werte.csv", GOOD)
    assert [t.label for t in page.tabs] == ["Abgelehnt", "Geändert (alt → neu)", "Neu", "Unverändert", "Übersprungen"]
    page.button[0].click().run()
    upload(page, "werte.csv", GOOD)  # the same file again: every value unchanged
    assert any("Unverändert" in m.label and m.value == "1" for m in page.metric)
    unchanged = page.tabs[3].dataframe[0].value
    assert unchanged["Kennzahl"].tolist() == ["KTX-03"]
    assert unchanged["Gebiet"].tolist() == ["Peine (Stadt) (03157006)"]  # the name, not only the code (issue 25)


def test_values_in_the_preview_are_in_german_format(page):
    upload(page, "werte.csv", b"kennzahl;gebiet;jahr;wert\nKTX-03;03157006;2024;51234\nBIL-01;03157006;2024;23,75\n")
    changed = page.tabs[1].dataframe[0].value.set_index("Kennzahl")
    assert changed.loc["KTX-03", "Neu"] == "51.234"
    assert changed.loc["BIL-01", "Neu"] == "23,75"
    assert "None" not in changed.to_string() and "nan" not in changed.to_string()


def test_a_file_is_read_once_however_often_the_page_runs(page, monkeypatch):
    import controlling.intake as intake

    reads = []

    def counted(original):
        return lambda *args, **kwargs: reads.append(args[0]) or original(*args, **kwargs)

    monkeypatch.setattr(upload_ui, "read_any", counted(upload_ui.read_any))
    monkeypatch.setattr(intake, "read_any", counted(intake.read_any))
    upload(page, "werte.csv", GOOD)
    page.run()
    page.run()
    assert reads == ["werte.csv"]


GENESIS_TABLE = (Path(__file__).parents[1] / "intake" / "genesis_21121_klein.csv").read_bytes()


def test_single_series_of_a_genesis_table_can_be_assigned(page):
    upload(page, "21121-01-05-4_00.csv", GENESIS_TABLE)
    summary = page.text[0].value
    assert "Merkmal »Nationalität«: Insgesamt, Ausländer(innen)" in summary
    toggle = next(t for t in page.toggle if "Einzelne Reihen" in t.label)
    toggle.set_value(True).run()
    assert not page.exception, page.exception
    series = page.dataframe[0].value  # the list of series to assign, one row each
    assert list(series.columns) == ["Merkmal", "Schulart", "Geschlecht", "Nationalität", "Kennzahl", "Rolle"]
    assert len(series) == 8 and set(series["Rolle"]) == {"Wert"}


def test_an_excel_workbook_with_several_sheets_asks_which_one(page):
    from tests.intake.test_excel import WERTE, workbook

    data = workbook(("Hinweise", [["Bitte Blatt Werte ausfüllen"]]), ("Werte", WERTE))
    page.get("file_uploader")[0].set_value(("werte.xlsx", data, "application/vnd.ms-excel")).run()
    sheet = next(s for s in page.selectbox if s.label == "Tabellenblatt")
    sheet.set_value("Werte").run()
    assert not page.exception, page.exception
    assert {m.label: m.value for m in page.metric}["Geändert"] == "2"


def test_a_commit_refused_since_the_preview_names_key_and_import_and_offers_the_new_preview(page):
    """Two sessions preview the same key; the second to commit is refused, told why, and shown the file again."""
    upload(page, "mein_stand.csv", b"kennzahl;gebiet;jahr;wert\nKTX-03;03157006;2024;51000\n")
    other = staff_session("pages/daten_hochladen.py", name="zweite Sitzung")  # a colleague, same store
    upload(other, "kollegin.csv", b"kennzahl;gebiet;jahr;wert\nKTX-03;03157006;2024;52000\n")
    next(b for b in other.button if b.label == "Import bestätigen").click().run()
    saved = next(s.value for s in other.success if "gespeichert als Import" in s.value)
    theirs = saved.removeprefix("kollegin.csv: gespeichert als Import ").rstrip(".")

    page.run()  # the first session's page runs again (any widget): its preview is the one it showed
    assert {m.label: m.value for m in page.metric}["Geändert"] == "1"
    next(b for b in page.button if b.label == "Import bestätigen").click().run()
    assert not page.exception, page.exception
    refusal = " ".join(e.value.replace("\\", "") for e in page.error)  # shown as text: Markdown signs escaped
    assert f"KTX-03 03157006 2024 (Import {theirs})" in refusal
    assert "Es wurde nichts gespeichert" in refusal and "neue Vorschau" in refusal
    assert not [s for s in page.success if "gespeichert als Import" in s.value]
    changed = page.tabs[1].dataframe[0].value  # the new preview compares with the colleague's value
    assert changed[["Bisher", "Neu"]].values.tolist() == [["52.000", "51.000"]]
    confirm = next(b for b in page.button if b.label == "Import bestätigen")
    assert not confirm.disabled
    confirm.click().run()
    assert any("mein_stand.csv: gespeichert als Import" in s.value for s in page.success)
