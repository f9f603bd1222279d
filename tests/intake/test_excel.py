"""Excel workbooks (.xlsx): templates and published tables, Excel row numbers, cached formulas, error cells."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from controlling.cli import main
from controlling.errors import InputRejectedError
from controlling.intake import prepare, preview_rows

REAL = Path(__file__).resolve().parents[3] / "shared" / "realdata"


def workbook(*sheets: tuple[str, list[list[object]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def stored(store, preview):
    return preview_rows(store, preview).set_index(["indicator", "area", "year", "breakdown"])


WERTE = [
    ["kennzahl", "gebiet", "jahr", "wert"],
    ["KTX-03", "03157006", 2024, 51234],
    ["BIL-01", "Peine (Stadt)", 2024, 23.75],
]


def test_werte_template_as_xlsx(reference_store):
    preview = prepare(reference_store, "werte.xlsx", workbook(("Werte", WERTE)))
    assert preview.problems.empty, preview.problems
    assert stored(reference_store, preview).loc[("KTX-03", "03157006", 2024, ""), "value"] == 51234
    assert stored(reference_store, preview).loc[("BIL-01", "03157006", 2024, ""), "value"] == 23.75


def test_a_chosen_sheet_and_line_numbers_are_excel_rows(reference_store):
    bad = [["kennzahl", "gebiet", "jahr", "wert"], [], ["KTX-03", "03157006", 2024, "abc"]]
    data = workbook(("Hinweise", [["Bitte Blatt Werte ausfüllen"]]), ("Werte", bad))
    preview = prepare(reference_store, "werte.xlsx", data, sheet="Werte")
    problem = preview.problems.iloc[0]
    assert (problem["line"], problem["value"]) == (3, "abc")
    with pytest.raises(InputRejectedError, match="Das Tabellenblatt gibt es nicht; vorhanden: Hinweise, Werte"):
        prepare(reference_store, "werte.xlsx", data, sheet="Blatt1")


def test_formulas_give_their_cached_value_and_error_cells_are_located(reference_store, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["kennzahl", "gebiet", "jahr", "wert"])
    sheet.append(["KTX-03", "03157006", 2024, "=1/0"])
    path = tmp_path / "formel.xlsx"
    book.save(path)
    # openpyxl writes formulas without cached values; Excel would have stored #DIV/0! as the cached value.
    data = _with_cached_value(path.read_bytes(), "#DIV/0!", error=True)
    with pytest.raises(InputRejectedError) as raised:
        prepare(reference_store, "formel.xlsx", data)
    problem = raised.value.problems[0]
    assert (problem.line, problem.column, problem.value) == (2, "D", "#DIV/0!")
    assert "Excel-Fehler #DIV/0!" in problem.message
    cached = _with_cached_value(path.read_bytes(), "51234", error=False)
    preview = prepare(reference_store, "formel.xlsx", cached)
    assert stored(reference_store, preview).loc[("KTX-03", "03157006", 2024, ""), "value"] == 51234


def _with_cached_value(data: bytes, value: str, *, error: bool) -> bytes:
    """The workbook as Excel saves it: the formula cell D2 carries its last computed value."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                kind = ' t="e"' if error else ""
                text = content.decode()
                start = text.index('<c r="D2"')
                end = text.index("</c>", start) + len("</c>")
                content = (text[:start] + f'<c r="D2"{kind}><f>1/0</f><v>{value}</v></c>' + text[end:]).encode()
            target.writestr(item, content)
    return buffer.getvalue()


def test_open_sdg_and_genesis_tables_as_xlsx(reference_store):
    sdg = [["Year", "Gebietseinheit", "GeoCode", "Value"], [2024, "Peine", "K03157", 11.9]]
    preview = prepare(reference_store, "indicator_1-2-2.xlsx", workbook(("Daten", sdg)), create_missing_indicators=True)
    assert stored(reference_store, preview).loc[("LSN-1-2-2", "03157", 2024, ""), "value"] == pytest.approx(11.9)
    genesis = [
        ["GENESIS-Tabelle: 12411-07-01-4"],
        ["Durchschnittsalter der Bevölkerung"],
        [None, None, None, "Durchschnittsalter", "Durchschnittsalter"],
        [None, None, None, None, "weiblich"],
        [None, None, None, "Jahre", "Jahre"],
        ["31.12.2015", "03157", "Peine, Landkreis", 44.5, 45.8],
        ["__________"],
    ]
    preview = prepare(reference_store, "12411.xlsx", workbook(("Tabelle", genesis)), create_missing_indicators=True)
    assert preview.problems.empty, preview.problems
    assert (
        stored(reference_store, preview).loc[("GENESIS-12411-07-01-4", "03157", 2015, "Geschlecht=weiblich"), "value"]
        == 45.8
    )


def test_cli_imports_a_sheet(tmp_path):
    path = tmp_path / "werte.xlsx"
    path.write_bytes(workbook(("Notizen", [["-"]]), ("Werte", WERTE)))
    db = str(tmp_path / "c.duckdb")
    assert main(["--db", db, "init"]) == 0
    assert main(["--db", db, "import", str(path), "--sheet", "Werte"]) == 0


def test_number_cells_are_numbers_never_text_read_as_german(reference_store):
    """Issue 29: 12.375 in a number cell was written as the text "12.375" and read as 12375 in a file with
    decimal commas elsewhere, or for a Kennzahl without decimals (KTX-03)."""
    rows = [
        ["kennzahl", "gebiet", "jahr", "wert"],
        ["KTX-03", "03157006", 2024, 12.375],
        ["KTX-03", "03157001", 2024, 7.125],
        ["BIL-01", "Peine (Stadt)", 2024, "23,75"],  # a text cell with a decimal comma: a German file
        ["BIL-01", "Edemissen", 2024, 1e-05],
    ]
    preview = prepare(reference_store, "werte.xlsx", workbook(("Werte", rows)))
    values = stored(reference_store, preview)["value"]
    assert values.loc[("KTX-03", "03157006", 2024, "")] == 12.375
    assert values.loc[("KTX-03", "03157001", 2024, "")] == 7.125
    assert values.loc[("BIL-01", "03157006", 2024, "")] == 23.75
    assert values.loc[("BIL-01", "03157001", 2024, "")] == 1e-05


def test_number_cells_follow_the_mark_the_text_cells_write(reference_store):
    """One rule per file: text cells writing decimal points make number cells no file of mixed marks."""
    rows = [
        ["kennzahl", "gebiet", "jahr", "wert"],
        ["KTX-03", "03157006", 2024, 12.375],
        ["BIL-01", "Peine (Stadt)", 2024, "23.75"],
        ["KTX-03", "03157001", 2024, "1.500"],
    ]
    preview = prepare(reference_store, "werte.xlsx", workbook(("Werte", rows)))
    assert preview.problems.empty, preview.problems.to_dict("records")
    values = stored(reference_store, preview)["value"]
    assert values.loc[("KTX-03", "03157006", 2024, "")] == 12.375
    assert values.loc[("BIL-01", "03157006", 2024, "")] == 23.75
    assert values.loc[("KTX-03", "03157001", 2024, "")] == 1.5


def test_a_percent_formatted_cell_is_the_percentage_excel_shows(reference_store):
    book = Workbook()
    sheet = book.active
    sheet.append(["kennzahl", "gebiet", "jahr", "wert"])
    sheet.append(["BIL-01", "03157006", 2024, 0.237])
    sheet["D2"].number_format = "0.0%"
    sheet.append(["BIL-01", "03157001", 2024, 0.5])
    sheet["D3"].number_format = "0%"
    buffer = io.BytesIO()
    book.save(buffer)
    values = stored(reference_store, prepare(reference_store, "prozent.xlsx", buffer.getvalue()))["value"]
    assert values.loc[("BIL-01", "03157006", 2024, "")] == 23.7
    assert values.loc[("BIL-01", "03157001", 2024, "")] == 50


def test_a_hidden_sheet_is_never_read_by_default(reference_store, tmp_path, capsys):
    book = Workbook()
    hidden = book.active
    hidden.title = "Rohdaten"
    hidden.append(["kennzahl", "gebiet", "jahr", "wert"])
    hidden.append(["KTX-03", "03157006", 2024, 999])
    hidden.sheet_state = "hidden"
    shown = book.create_sheet("Werte")
    shown.append(["kennzahl", "gebiet", "jahr", "wert"])
    shown.append(["KTX-03", "03157006", 2024, 51234])
    buffer = io.BytesIO()
    book.save(buffer)
    values = stored(reference_store, prepare(reference_store, "werte.xlsx", buffer.getvalue()))["value"]
    assert values.tolist() == [51234]  # the visible sheet, not the hidden first one


def test_several_visible_sheets_need_a_choice(reference_store, tmp_path, capsys):
    data = workbook(("Werte 2023", WERTE), ("Werte 2024", WERTE))
    with pytest.raises(InputRejectedError, match=r"mehrere Tabellenblätter \(Werte 2023, Werte 2024\)"):
        prepare(reference_store, "werte.xlsx", data)
    path = tmp_path / "werte.xlsx"
    path.write_bytes(data)
    database = str(tmp_path / "cli.duckdb")
    assert main(["--db", database, "init"]) == 0
    assert main(["--db", database, "import", str(path), "--dry-run"]) == 1
    assert "--sheet BLATT" in capsys.readouterr().err
    assert main(["--db", database, "import", str(path), "--dry-run", "--sheet", "Werte 2024"]) == 0
