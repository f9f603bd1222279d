"""Hostile files (issue 17), one per file in tests/intake/hostile/: each is refused with a located German
message and changes nothing, or (UTF-16, a workbook under a .csv name, HTML in a name) is read as what it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from controlling.errors import InputRejectedError
from controlling.intake import prepare

HOSTILE = Path(__file__).parent / "hostile"
STEUERZEICHEN = "Diese Zeile enthält ein Steuerzeichen"
DOPPELT = "steht mehrfach in der Kopfzeile"
CODE = "Ein Kennzahl-Code besteht aus 2 bis 10 Großbuchstaben"
TEXT = "sind einfacher Text: Links oder Bilder in Markdown"
ZAHL = "Hier steht Text statt einer Zahl"
PLAUSIBEL = "liegt zwischen 0 und 1 Billion (10^12); dieser Wert ist nicht plausibel"
JAHR = "Erwartet wird ein Jahr von 1950 bis"
ZWEI = "Diese Zahl lässt sich zweifach lesen:"
# file -> (line, part of the message); line None: the file as a whole; message None: read, no problem.
EXPECTED: dict[str, tuple[int | None, str | None]] = {
    "ansi_bildschirm_loeschen.csv": (2, STEUERZEICHEN),
    "ansi_farbsequenz.csv": (2, STEUERZEICHEN),
    "anzahl_1e308.csv": (2, PLAUSIBEL),
    "anzahl_billion.csv": (2, PLAUSIBEL),
    "anzahl_negativ.csv": (2, "Eine Anzahl kann nicht negativ sein"),
    "aufschluesselung_kaputt.csv": (2, "Merkmal=Ausprägung"),
    "doppelt_10000_zeilen.csv": (2, "steht 10.000-mal in der Datei, in den Zeilen 2, 3, 4, 5, 6 und weiteren"),
    "doppelte_jahresspalte.csv": (1, f"Die Spalte »2023« {DOPPELT}"),
    "doppelte_spalte_wert.csv": (1, f"Die Spalte »wert« {DOPPELT}"),
    "excel_xls_als_csv.csv": (None, "Das ist eine Excel-Datei im alten Format (.xls)"),
    "excel_xlsx_als_csv.csv": (None, None),
    "formel_im_gebiet.csv": (2, "Unbekanntes Gebiet"),
    "formel_im_wert.csv": (2, ZAHL),
    "gemischte_kodierung.csv": (3, "Die Datei mischt Zeichenkodierungen"),
    "jahr_1949.csv": (2, JAHR),
    "jahr_2101.csv": (2, JAHR),
    "jahr_99999.csv": (2, JAHR),
    "jahr_bruch.csv": (2, JAHR),
    "kaputte_kodierung.csv": (3, "Diese Zeile enthält Bytes, die kein Zeichen ergeben"),
    "kennzahl_code_doppelpunkt.csv": (2, CODE),
    "kennzahl_code_klammer.csv": (2, CODE),
    "kennzahl_code_klein.csv": (2, CODE),
    "kennzahl_code_schraegstrich.csv": (2, CODE),
    "kennzahl_html.csv": (None, None),  # stored as text, escaped where shown (tests/pages)
    "kennzahl_markdown_bild.csv": (2, TEXT),
    "kennzahl_markdown_link.csv": (2, TEXT),
    "lange_zeile.csv": (2, ZAHL),
    "leer.csv": (None, "Die Datei ist leer"),
    "nan.csv": (2, ZAHL),
    "nullbyte.csv": (2, STEUERZEICHEN),
    "nur_leerzeichen.csv": (None, "Die Datei ist leer"),
    "offenes_anfuehrungszeichen.csv": (2, "Die Datei lässt sich hier nicht als CSV lesen"),
    "opensdg_doppeltes_year.csv": (1, f"Die Spalte »Year« {DOPPELT}"),
    "prozent_101.csv": (2, "Ein Prozentwert muss zwischen 0 und 100 liegen"),
    "prozent_negativ.csv": (2, "Ein Prozentwert muss zwischen 0 und 100 liegen"),
    "sql_in_kennzahl.csv": (2, "Diese Zeile hat mehr Felder als die Kopfzeile"),
    "unendlich_1e400.csv": (2, "Diese Zahl ist zu groß"),
    "unendlich_inf.csv": (2, ZAHL),
    "unterlauf_1e-400.csv": (2, "Diese Zahl ist zu klein, um sie zu speichern (sie würde zu 0)"),
    "utf16_mit_bom.csv": (None, None),
    "utf16_tabulatoren.csv": (None, None),
    "zaehler_billion.csv": (2, PLAUSIBEL),
    "ziel_anzahl_1e309.csv": (2, "Diese Zahl ist zu groß, um sie zu speichern"),
    "ziel_anzahl_billion.csv": (2, "Ein Ziel in »Anzahl« liegt zwischen 0 und 1 Billion"),
    "ziel_1e309.csv": (2, "Ein Ziel in »%« liegt zwischen 0 und 100"),
    "ziel_prozent_200.csv": (2, "Ein Ziel in »%« liegt zwischen 0 und 100"),
    "ziel_zieljahr_3000000000.csv": (2, JAHR),
    "ziel_zieljahr_99999.csv": (2, JAHR),
    "zip_bombe_60mb.zip": (None, "Der entpackte Inhalt des ZIP-Archivs ist größer als die erlaubten 50 MB"),
    "zip_kaputt.zip": (None, "Das ZIP-Archiv ist beschädigt oder verschlüsselt"),
    "zip_zwei_csv.zip": (None, "Das ZIP-Archiv muss genau eine CSV-Datei enthalten"),
    "zu_viele_felder.csv": (2, "Diese Zeile hat mehr Felder als die Kopfzeile"),
    # issue 29: one decimal rule per file, contradictions, GENESIS flat files without their columns
    "zahl_tausenderpunkt_ohne_hinweis.csv": (2, f"{ZWEI} als 1.500 (mit Tausendertrennzeichen) oder als 1,5"),
    "zahl_tausenderkomma_ohne_hinweis.csv": (2, f"{ZWEI} als 1.500 (mit Tausendertrennzeichen) oder als 1,5"),
    "nenner_tausenderkomma_ohne_hinweis.csv": (2, f"{ZWEI} als 1.000 (mit Tausendertrennzeichen) oder als 1 "),
    "dezimalzeichen_gemischt.csv": (2, "mal mit Komma (Zeile 2: 12,5), mal mit Punkt (Zeile 3: 12.5)"),
    "tausender_gemischt.csv": (3, "mal mit Komma (Zeile 2: 1.234,5), mal mit Punkt (Zeile 3: 1,234.5)"),
    "wert_widerspricht_zaehler_nenner.csv": (
        2,
        "Der Wert passt nicht zu Zähler und Nenner: 1 ÷ 1.000 × 100 ergibt 0,1",
    ),
    "aufschluesselung_schreibweisen_doppelt.csv": (2, "steht 2-mal in der Datei, in den Zeilen 2, 3"),
    "aufschluesselung_unicode_doppelt.csv": (2, "steht 2-mal in der Datei, in den Zeilen 2, 3"),
    "plus_minus_null.csv": (2, ZAHL),
    "ziele_doppelt.csv": (3, "stehen mehrere Ziele mit demselben Beginn (gueltig_ab) in der Datei, in den Zeilen 2, 3"),
    "kennzahlen_doppelt.csv": (3, "Dieser Schlüssel kommt mehrfach vor"),
    "genesis_flat_ohne_wertspalte.csv": (1, "GENESIS-Flatfile unvollständig: Die Spalte »value« fehlt."),
    "genesis_flat_ohne_merkmalsspalten.csv": (1, "Die Spalte »1_variable_attribute_code« fehlt."),
    "genesis_flat_alt_ohne_wertspalte.csv": (None, "Das GENESIS-Flatfile hat keine Wertspalte"),
    "zaehler_nenner_tausenderpunkt.csv": (None, None),  # 7,5 elsewhere decides: 1.000 is a thousand
    # Text that Markdown would make a link, an image source, an icon or a formula: stored as the text it is,
    # shown as that text (tests/pages/test_hostile_pages.py, tests/e2e/test_outside_requests_browser.py).
    "kennzahl_autolink.csv": (None, None),
    "kennzahl_nackte_adresse.csv": (None, None),
    "kennzahl_icon_kuerzel.csv": (None, None),
    "kennzahl_referenzlink.csv": (None, None),
}
ENGLISH = ("Error", "error", "tokeniz", "Expected", "line ", "codec", "Traceback")


# The workbooks among them have their expectations in benchmarks/hostile_workbooks.py (test_hostile_excel.py).
FILES = sorted(p for p in HOSTILE.glob("*.*") if p.suffix != ".xlsx")
# 52 files when issue 29 began; it asked for at least 30 more.
AT_ISSUE_29 = 52


def test_every_hostile_file_has_an_expectation():
    assert sorted(p.name for p in FILES) == sorted(EXPECTED)
    assert len(list(HOSTILE.glob("*.*"))) >= AT_ISSUE_29 + 30


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_hostile_file(reference_store, path):
    line, fragment = EXPECTED[path.name]
    before = (reference_store.data_version(), len(reference_store.intakes.history()))
    try:
        preview = prepare(reference_store, path.name, path.read_bytes())
        problems = preview.problem_list()
    except InputRejectedError as error:
        problems = error.problems
    else:
        if fragment is None:
            assert not problems and preview.count("new") == 1
            return
    assert fragment is not None
    assert any(p.line == line and fragment in p.message for p in problems), [str(p) for p in problems]
    assert all(p.file == path.name or path.suffix == ".zip" for p in problems)
    assert all(len(p.value or "") <= 80 and not any(word in p.message for word in ENGLISH) for p in problems)
    assert (reference_store.data_version(), len(reference_store.intakes.history())) == before


def test_a_workbook_under_a_csv_name_is_read_and_said(reference_store):
    preview = prepare(reference_store, "excel_xlsx_als_csv.csv", (HOSTILE / "excel_xlsx_als_csv.csv").read_bytes())
    assert any("Excel-Arbeitsmappe (.xlsx), obwohl ihr Name anders endet" in note for note in preview.notes)
