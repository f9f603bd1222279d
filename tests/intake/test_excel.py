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


def test_werte_template_as_xlsx(empty_store):
    preview = prepare(empty_store, "werte.xlsx", workbook(("Werte", WERTE)))
    assert preview.problems.empty, preview.problems
    assert stored(empty_store, preview).loc[("KTX-03", "03157006", 2024, ""), "value"] == 51234
    assert stored(empty_store, preview).loc[("BIL-01", "03157006", 2024, ""), "value"] == 23.75


def test_a_chosen_sheet_and_line_numbers_are_excel_rows(empty_store):
    bad = [["kennzahl", "gebiet", "jahr", "wert"], [], ["KTX-03", "03157006", 2024, "abc"]]
    data = workbook(("Hinweise", [["Bitte Blatt Werte ausfüllen"]]), ("Werte", bad))
    preview = prepare(empty_store, "werte.xlsx", data, sheet="Werte")
    problem = preview.problems.iloc[0]
    assert (problem["line"], problem["value"]) == (3, "abc")
    with pytest.raises(InputRejectedError, match="Das Tabellenblatt gibt es nicht; vorhanden: Hinweise, Werte"):
        prepare(empty_store, "werte.xlsx", data, sheet="Blatt1")


def test_formulas_give_their_cached_value_and_error_cells_are_located(empty_store, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["kennzahl", "gebiet", "jahr", "wert"])
    sheet.append(["KTX-03", "03157006", 2024, "=1/0"])
    path = tmp_path / "formel.xlsx"
    book.save(path)
    # openpyxl writes formulas without cached values; Excel would have stored #DIV/0! as the cached value.
    data = _with_cached_value(path.read_bytes(), "#DIV/0!", error=True)
    with pytest.raises(InputRejectedError) as raised:
        prepare(empty_store, "formel.xlsx", data)
    problem = raised.value.problems[0]
    assert (problem.line, problem.column, problem.value) == (2, "D", "#DIV/0!")
    assert "Excel-Fehler #DIV/0!" in problem.message
    cached = _with_cached_value(path.read_bytes(), "51234", error=False)
    preview = prepare(empty_store, "formel.xlsx", cached)
    assert stored(empty_store, preview).loc[("KTX-03", "03157006", 2024, ""), "value"] == 51234


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


def test_open_sdg_and_genesis_tables_as_xlsx(empty_store):
    sdg = [["Year", "Gebietseinheit", "GeoCode", "Value"], [2024, "Peine", "K03157", 11.9]]
    preview = prepare(empty_store, "indicator_1-2-2.xlsx", workbook(("Daten", sdg)), create_missing_indicators=True)
    assert stored(empty_store, preview).loc[("LSN-1-2-2", "03157", 2024, ""), "value"] == pytest.approx(11.9)
    genesis = [
        ["GENESIS-Tabelle: 12411-07-01-4"],
        ["Durchschnittsalter der Bevölkerung"],
        [None, None, None, "Durchschnittsalter", "Durchschnittsalter"],
        [None, None, None, None, "weiblich"],
        [None, None, None, "Jahre", "Jahre"],
        ["31.12.2015", "03157", "Peine, Landkreis", 44.5, 45.8],
        ["__________"],
    ]
    preview = prepare(empty_store, "12411.xlsx", workbook(("Tabelle", genesis)), create_missing_indicators=True)
    assert preview.problems.empty, preview.problems
    assert (
        stored(empty_store, preview).loc[("GENESIS-12411-07-01-4", "03157", 2015, "Geschlecht=weiblich"), "value"]
        == 45.8
    )


def test_cli_imports_a_sheet(tmp_path):
    path = tmp_path / "werte.xlsx"
    path.write_bytes(workbook(("Notizen", [["-"]]), ("Werte", WERTE)))
    db = str(tmp_path / "c.duckdb")
    assert main(["--db", db, "init"]) == 0
    assert main(["--db", db, "import", str(path), "--sheet", "Werte"]) == 0
