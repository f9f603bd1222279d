"""Hostile Excel workbooks (issue 29, point 4): each name maps to the builder that made the file of that name in
tests/intake/hostile/ and to a part of the German message that refuses it. The files are kept as data (the
tests read them as a user would upload them); `python -m benchmarks.hostile_workbooks` writes them anew.
benchmarks/hostile_excel.py measures the builders' output, also at sizes beyond these files."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _workbook_xml(sheets: int = 1, state: str = "visible") -> str:
    entries = "".join(
        f'<sheet name="Blatt{i}" sheetId="{i}" state="{state}" r:id="rId{i}"/>' for i in range(1, sheets + 1)
    )
    head = f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
    return f"{head}<sheets>{entries}</sheets></workbook>"


def _workbook_rels(sheets: int = 1) -> str:
    entries = "".join(
        f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{min(i, 1)}.xml"/>'
        for i in range(1, sheets + 1)
    )
    shared = f'<Relationship Id="rIdS" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships '
        f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{entries}{shared}</Relationships>'
    )


HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>kennzahl</t></is></c><c r="B1" t="inlineStr"><is><t>gebiet</t></is>'
    '</c><c r="C1" t="inlineStr"><is><t>jahr</t></is></c><c r="D1" t="inlineStr"><is><t>wert</t></is></c></row>'
)


def _sheet(rows: str, head: str = "") -> str:
    start = f'<?xml version="1.0" encoding="UTF-8"?>{head}<worksheet xmlns="{MAIN}">'
    return f"{start}<sheetData>{rows}</sheetData></worksheet>"


def package(
    sheet: str | bytes,
    *,
    shared: str = "",
    sheets: int = 1,
    content_types: str = CONTENT_TYPES,
    workbook: str | None = None,
) -> bytes:
    """A workbook written part by part, so that any part can be what a hostile file holds."""
    shared = shared or f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="0" uniqueCount="0"/>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", workbook if workbook is not None else _workbook_xml(sheets))
        archive.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(sheets))
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        archive.writestr("xl/sharedStrings.xml", shared)
    return buffer.getvalue()


def _data_row(row: int, extra: str = "") -> str:
    return (
        f'<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>KTX-03</t></is></c>'
        f'<c r="B{row}" t="inlineStr"><is><t>03157006</t></is></c><c r="C{row}"><v>{2000 + row % 20}</v></c>'
        f'<c r="D{row}"><v>{row}</v></c>{extra}</row>'
    )


def column_xfd(rows: int) -> bytes:
    """A cell in the last column (XFD, the 16,384th) on every row: 16,384 cells a row once padded."""
    body = "".join(_data_row(row, f'<c r="XFD{row}"><v>1</v></c>') for row in range(2, rows + 2))
    return package(_sheet(HEADER_ROW + body))


def column_1001() -> bytes:
    return package(_sheet(HEADER_ROW + _data_row(2, '<c r="ALM2"><v>1</v></c>')))


def shared_strings(count: int) -> bytes:
    """`count` shared strings: openpyxl loads them all before the first row is read."""
    items = "<si><t>a</t></si>" * count
    shared = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="{count}" uniqueCount="{count}">{items}</sst>'
    )
    return package(_sheet(HEADER_ROW + _data_row(2)), shared=shared)


def many_sheets(count: int) -> bytes:
    return package(_sheet(HEADER_ROW + _data_row(2)), sheets=count)


def many_cells(rows: int, width: int = 1000) -> bytes:
    """Empty cells without a reference (`<c/>`, 4 bytes each): millions fit under the unpacked limit."""
    body = "".join(f'<row r="{row}">' + "<c/>" * width + "</row>" for row in range(2, rows + 2))
    return package(_sheet(HEADER_ROW + body))


def wide_and_long(rows: int) -> bytes:
    """One cell in column 1000 and then many short rows: the table would be rows × 1000 cells."""
    body = _data_row(2, '<c r="ALL2"><v>1</v></c>') + "".join(_data_row(row) for row in range(3, rows + 3))
    return package(_sheet(HEADER_ROW + body))


LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>'
)


def entity_expansion() -> bytes:
    row = '<row r="2"><c r="A2" t="inlineStr"><is><t>&lol4;</t></is></c></row>'
    return package(_sheet(HEADER_ROW + row, head=LAUGHS))


def outside_entity() -> bytes:
    head = '<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    shared = f'<?xml version="1.0" encoding="UTF-8"?>{head}<sst xmlns="{MAIN}"><si><t>&xxe;</t></si></sst>'
    return package(_sheet(HEADER_ROW + _data_row(2)), shared=shared)


def broken_content_types() -> bytes:
    return package(_sheet(HEADER_ROW + _data_row(2)), content_types=CONTENT_TYPES[:200])


def broken_sheet() -> bytes:
    return package(_sheet(HEADER_ROW + _data_row(2))[:-40])


def broken_workbook() -> bytes:
    return package(_sheet(HEADER_ROW + _data_row(2)), workbook=_workbook_xml()[:-30])


def no_workbook_part() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/worksheets/sheet1.xml", _sheet(HEADER_ROW))
    return buffer.getvalue()


def not_a_zip() -> bytes:
    return b"PK\x03\x04" + b"\x00" * 200


def _book(*sheets: tuple[str, list[list[object]], str]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows, state in sheets:
        sheet = book.create_sheet(title)
        sheet.sheet_state = state
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


WERTE: list[list[object]] = [["kennzahl", "gebiet", "jahr", "wert"], ["KTX-03", "03157006", 2024, 7]]


def only_hidden_sheets() -> bytes:
    return package(_sheet(HEADER_ROW + _data_row(2)), workbook=_workbook_xml(1, "hidden"))


def two_data_sheets() -> bytes:
    return _book(("A", WERTE, "visible"), ("B", WERTE, "visible"))


def thousands_in_text() -> bytes:
    return _book(("Werte", [WERTE[0], ["KTX-03", "03157006", 2024, "1.500"]], "visible"))


def mixed_marks_in_text() -> bytes:
    rows = [WERTE[0], ["BIL-01", "03157006", 2024, "12,5"], ["BIL-01", "03157001", 2024, "12.5"]]
    return _book(("Werte", rows, "visible"))


def error_cell() -> bytes:
    return _book(("Werte", [WERTE[0], ["KTX-03", "03157006", 2024, "#DIV/0!"]], "visible"))


COLUMNS = "erlaubt sind höchstens 1.000 Spalten"
DTD = "enthält eine DTD (<!DOCTYPE> oder <!ENTITY>)"
NOT_XML = "ist kein gültiges XML"
UNREADABLE = "Die Excel-Datei lässt sich nicht lesen"
# name -> (builder, part of the message that refuses it)
HOSTILE_WORKBOOKS: dict[str, tuple[Callable[[], bytes], str]] = {
    "spalte_xfd_3000_zeilen.xlsx": (lambda: column_xfd(3_000), f"Spalte XFD (der 16.384. Spalte); {COLUMNS}"),
    "spalte_xfd_10000_zeilen.xlsx": (lambda: column_xfd(10_000), f"Spalte XFD (der 16.384. Spalte); {COLUMNS}"),
    "spalte_1001.xlsx": (column_1001, f"Spalte ALM (der 1.001. Spalte); {COLUMNS}"),
    "texte_2_mio.xlsx": (lambda: shared_strings(2_000_000), "mehr als 500.000 verschiedene Texte"),
    "blaetter_101.xlsx": (lambda: many_sheets(101), "mehr als 100 Tabellenblätter"),
    "zellen_6_mio.xlsx": (lambda: many_cells(6_000), "mehr als 1.000.000 Zellen"),
    "raster_1000_spalten.xlsx": (lambda: wide_and_long(21_000), "erlaubt sind höchstens 20.000.000 Zellen"),
    "entity_expansion.xlsx": (entity_expansion, f"»xl/worksheets/sheet1.xml« der Excel-Datei {DTD}"),
    "externe_entitaet.xlsx": (outside_entity, f"»xl/sharedStrings.xml« der Excel-Datei {DTD}"),
    "content_types_kaputt.xlsx": (broken_content_types, f"»[Content_Types].xml« {NOT_XML}"),
    "blatt_xml_kaputt.xlsx": (broken_sheet, f"»xl/worksheets/sheet1.xml« {NOT_XML}"),
    "workbook_xml_kaputt.xlsx": (broken_workbook, f"»xl/workbook.xml« {NOT_XML}"),
    "ohne_workbook.xlsx": (no_workbook_part, UNREADABLE),
    "kein_zip.xlsx": (not_a_zip, UNREADABLE),
    "nur_versteckte_blaetter.xlsx": (only_hidden_sheets, "hat kein sichtbares Tabellenblatt"),
    "zwei_datenblaetter.xlsx": (two_data_sheets, "Wählen Sie das Blatt mit den Daten aus (Befehlszeile: --sheet"),
    "tausenderpunkt_als_text.xlsx": (thousands_in_text, "Diese Zahl lässt sich zweifach lesen: als 1.500"),
    "dezimalzeichen_gemischt.xlsx": (mixed_marks_in_text, "Die Datei schreibt Dezimalzahlen mal mit Komma"),
    "fehlerzelle.xlsx": (error_cell, "Die Zelle enthält den Excel-Fehler #DIV/0!"),
}


HOSTILE = Path(__file__).resolve().parents[1] / "tests" / "intake" / "hostile"


def write_files(folder: Path = HOSTILE) -> list[Path]:
    """Write every hostile workbook into `folder` (the hostile set); returns the paths written."""
    written = []
    for name, (build, _) in sorted(HOSTILE_WORKBOOKS.items()):
        path = folder / name
        path.write_bytes(build())
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_files():
        print(f"{path.name}: {path.stat().st_size:,} Bytes".replace(",", "."))
