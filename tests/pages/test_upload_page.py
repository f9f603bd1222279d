"""The upload page: preview, rejection report, confirmation, history and undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from controlling.ui import upload as upload_ui
from tests.pages.staff import staff_session

ROOT = Path(__file__).resolve().parents[2]
GOOD = b"kennzahl;gebiet;jahr;wert\nKTX-03;03157006;2024;51234\n"
BAD = b"kennzahl;gebiet;jahr;wert\nKTX-03;03157006;2024;51234\nKTX-99;Peine (Stadt);2024;abc\n"


@pytest.fixture
def page(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTROLLING_DB", str(tmp_path / "upload.duckdb"))
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


def test_undo_from_the_history(page):
    upload(page, "werte.csv", GOOD)
    page.button[0].click().run()
    next(b for b in page.button if b.label == "Rückgängig machen").click().run()
    assert any("Bitte bestätigen Sie zuerst" in w.value for w in page.warning)
    assert "rückgängig gemacht" not in " ".join(page.dataframe[-1].value["Stand"])  # nothing undone unasked
    next(c for c in page.checkbox if c.label.startswith("Ja, diesen Import zurücknehmen")).check()
    next(b for b in page.button if b.label == "Rückgängig machen").click().run()
    assert not page.exception
    assert "rückgängig gemacht" in " ".join(page.dataframe[-1].value["Stand"])
    assert any("wurde rückgängig gemacht" in s.value for s in page.success)  # and it says so after the rerun


def test_the_first_tab_shows_what_the_file_brings(page):
    upload(page, "werte.csv", GOOD)
    assert [t.label for t in page.tabs] == ["Abgelehnt", "Geändert (alt → neu)", "Neu", "Unverändert", "Übersprungen"]
    page.button[0].click().run()
    upload(page, "werte.csv", GOOD)  # the same file again: every value unchanged
    assert any("Unverändert" in m.label and m.value == "1" for m in page.metric)
    unchanged = page.tabs[3].dataframe[0].value
    assert unchanged["Kennzahl"].tolist() == ["KTX-03"]


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
    refusal = " ".join(e.value for e in page.error)
    assert f"KTX-03 03157006 2024 (Import {theirs})" in refusal
    assert "Es wurde nichts gespeichert" in refusal and "neue Vorschau" in refusal
    assert not [s for s in page.success if "gespeichert als Import" in s.value]
    changed = page.tabs[1].dataframe[0].value  # the new preview compares with the colleague's value
    assert changed[["Bisher", "Neu"]].values.tolist() == [["52.000", "51.000"]]
    confirm = next(b for b in page.button if b.label == "Import bestätigen")
    assert not confirm.disabled
    confirm.click().run()
    assert any("mein_stand.csv: gespeichert als Import" in s.value for s in page.success)
