"""Exports are safe to open in a spreadsheet; the CLI's export and report commands follow DESIGN §6."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from controlling.report.export import neutralize, to_csv_bytes, to_excel_bytes
from tests.unit.test_cli import run

HOSTILE = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "normal", "-"]


def test_formula_cells_are_neutralized_numbers_stay_numbers():
    frame = pd.DataFrame({"text": HOSTILE, "number": [-1.5] * len(HOSTILE)})
    safe = neutralize(frame)
    assert list(safe["text"]) == ["'" + v for v in HOSTILE[:5]] + ["normal", "-"]
    assert safe["number"].dtype == float


def test_csv_and_excel_downloads_carry_no_formula():
    frame = pd.DataFrame({"Kennzahl": HOSTILE, "Wert": [1234.5] * len(HOSTILE)})
    text = to_csv_bytes(frame).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "1234,5" in text
    book = openpyxl.load_workbook(io.BytesIO(to_excel_bytes({"Test": frame})))
    cells = [row[0].value for row in book["Test"].iter_rows(min_row=2)]
    assert not any(str(c).startswith(("=", "+", "@")) for c in cells)
    assert book["Test"].cell(row=2, column=2).value == 1234.5


def test_cli_export_csv_has_the_documented_columns(demo_db):
    code, out, _ = run("--db", str(demo_db), "export")
    frame = pd.read_csv(io.StringIO(out), sep=";", dtype={"gebiet": str})
    assert code == 0
    assert list(frame.columns) == [
        "kennzahl",
        "gebiet",
        "jahr",
        "aufschluesselung",
        "wert",
        "zaehler",
        "nenner",
        "kennzeichen",
        "berechnet",
        "import",
    ]
    computed = frame.loc[(frame["kennzahl"] == "KTX-08") & (frame["gebiet"] == "03157")]
    assert set(computed["berechnet"]) == {"ja"}


def test_cli_import_and_undo(demo_db, tmp_path):
    file = tmp_path / "werte.csv"
    file.write_text("kennzahl;gebiet;jahr;wert\nKTX-03;03157006;2024;51234\n", encoding="utf-8")
    code, out, _ = run("--db", str(demo_db), "import", str(file))
    assert code == 0 and "Gespeichert als Import" in out
    number = out.split("Gespeichert als Import ")[1].split(".")[0]
    code, out, _ = run("--db", str(demo_db), "undo", number)
    assert code == 0 and "rückgängig gemacht" in out
    code, _, err = run("--db", str(demo_db), "undo", number)
    assert code == 1 and "bereits rückgängig" in err


def test_cli_import_rejects_a_bad_file_and_writes_nothing(demo_db, tmp_path):
    file = tmp_path / "fehler.csv"
    file.write_text("kennzahl;gebiet;jahr;wert\nKTX-03;Nirgendwo;2024;1\n", encoding="utf-8")
    code, _, err = run("--db", str(demo_db), "import", str(file))
    assert code == 1
    assert "fehler.csv, Zeile 2, Spalte »gebiet« (Wert »Nirgendwo«)" in err
    code, _, err = run("--db", str(demo_db), "import", str(tmp_path / "gibtsnicht.csv"))
    assert code == 2 and "gibt es nicht" in err


def test_csv_downloads_round_to_the_indicators_decimals_and_write_counts_without_a_decimal():
    frame = pd.DataFrame({"Wert": [16.28301886, 17.8130], "Zähler": [184.0, 202.0], "Jahr": [2015, 2016]})
    text = to_csv_bytes(frame, decimals={"Wert": 1}).decode("utf-8-sig")
    assert text.splitlines() == ["Wert;Zähler;Jahr", "16,3;184;2015", "17,8;202;2016"]
