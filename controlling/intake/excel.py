"""Excel workbooks (.xlsx) of the templates or of published tables, read as the text a CSV would hold.

A sheet becomes delimited text line by line, so every reader serves Excel too and a line number in a
message is the Excel row number. Formulas give their cached values; error cells are located problems.
A number cell is a number: it is written so that no reading of the text can take it for another one
(12.375 is written 12,375 in a `;` file, never left as text a German reader takes for twelve thousand),
and a cell formatted as percent is the percentage Excel shows (0,237 as `0.0%` is 23,7).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import ParseError, iterparse

import pyarrow as pa
from openpyxl import load_workbook  # type: ignore[import-untyped]
from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet._reader import WorkSheetParser  # type: ignore[import-untyped]

from controlling.errors import InputRejectedError, Problem
from controlling.intake.limits import check_archive
from controlling.tabular import DECIMAL_COMMA, DECIMAL_POINT, decimal_mark

EXCEL_ERRORS = ("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#GETTING_DATA")

# What one workbook may hold, each refused with a German message before the memory is spent: a cell in column
# XFD on every row is 16,384 cells a row once padded, and two million shared strings take a minute to load.
MAX_SHEETS = 100
MAX_COLUMNS = 1_000
MAX_ROWS = 1_048_576  # Excel's own limit
MAX_CELLS = 1_000_000  # cells written in a sheet's XML, also empty ones (openpyxl reads 60,000 a second)
MAX_GRID = 20_000_000  # rows × columns of the table made from the sheet
MAX_SHARED_STRINGS = 500_000
_PEEK = 65_536  # a DTD stands before the root element: within the first bytes of a part
_RESAVE = "Speichern Sie sie bitte erneut als .xlsx."


def is_workbook(name: str, data: bytes) -> bool:
    """An .xlsx file (a ZIP holding xl/workbook.xml), whatever its name says."""
    if data[:4] != b"PK\x03\x04":
        return False
    if name.lower().endswith((".xlsx", ".xlsm")):
        return True
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


@dataclass(frozen=True)
class Sheet:
    """A sheet's name, whether Excel shows it (`hidden` and `veryHidden` sheets are not shown), and whether it
    is the one read when none is named."""

    name: str
    visible: bool
    default: bool


def sheets(name: str, data: bytes) -> list[Sheet]:
    """The sheets of a workbook, in their order."""
    workbook = _open(name, data)
    try:
        default = _default_sheet(workbook)
        return [Sheet(sheet.title, sheet.sheet_state == "visible", sheet is default) for sheet in workbook.worksheets]
    finally:
        workbook.close()


def workbook_text(name: str, data: bytes, sheet: str | None = None) -> str:
    """One sheet as delimited text: `,` for Open SDG (first cell Year), else `;`. Without a name, the only
    visible sheet; a workbook with several visible sheets is refused, since guessing may read the wrong one."""
    workbook = _open(name, data)
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise InputRejectedError.about_file(
                name,
                f"Das Tabellenblatt gibt es nicht; vorhanden: {', '.join(workbook.sheetnames)}.",
                value=sheet,
            )
        worksheet = workbook[sheet] if sheet is not None else _only_visible_sheet(name, workbook)
        rows = list(_sheet_rows(name, workbook, worksheet))
    except _BROKEN as error:
        raise InputRejectedError.about_file(name, f"Die Excel-Datei lässt sich nicht lesen. {_RESAVE}") from error
    finally:
        workbook.close()
    first = next((row for row in rows if any(value is not None for value in row)), [])
    separator = "," if first and isinstance(first[0], str) and first[0].strip().strip('"').lower() == "year" else ";"
    decimal = _number_mark(rows, "." if separator == "," else ",")
    texts = [[_text(value, decimal) for value in row] for row in rows]
    _reject_error_cells(name, texts)
    width = max((len(row) for row in texts), default=0)
    if width * len(texts) > MAX_GRID:
        raise InputRejectedError.about_file(
            name,
            f"Das Tabellenblatt ergibt {_german(len(texts))} Zeilen × {_german(width)} Spalten; erlaubt sind "
            f"höchstens {_german(MAX_GRID)} Zellen. Löschen Sie leere Zeilen und Spalten oder teilen Sie die Datei.",
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\n")
    writer.writerows(row + [""] * (width - len(row)) if any(row) else [] for row in texts)  # an empty row: a blank line
    return buffer.getvalue()


def _number_mark(rows: list[list[object]], default: str) -> str:
    """The decimal mark number cells are written with: the one the sheet's text cells decide (one rule per
    file: a number cell never makes text cells that write 12.5 a mixed file), else the separator's."""
    texts = pa.array([value for row in rows for value in row if isinstance(value, str)], type=pa.string())
    mark = decimal_mark(texts)
    return mark if mark in (DECIMAL_COMMA, DECIMAL_POINT) else default


def _default_sheet(workbook: Any) -> Any | None:
    """The only visible sheet, or else the one visible sheet that holds numbers (a sheet of notes, like the
    Hinweise of our own template, is no candidate); None where that would be a guess."""
    visible = [sheet for sheet in workbook.worksheets if sheet.sheet_state == "visible"]
    if len(visible) == 1:
        return visible[0]
    with_numbers = [sheet for sheet in visible if _holds_numbers(sheet)]
    return with_numbers[0] if len(with_numbers) == 1 else None


def _only_visible_sheet(name: str, workbook: Any) -> Any:
    default = _default_sheet(workbook)
    if default is not None:
        return default
    visible = [sheet.title for sheet in workbook.worksheets if sheet.sheet_state == "visible"]
    if not visible:
        raise InputRejectedError.about_file(name, "Die Excel-Datei hat kein sichtbares Tabellenblatt.")
    raise InputRejectedError.about_file(
        name,
        f"Die Excel-Datei hat mehrere Tabellenblätter ({', '.join(visible)}). "
        "Wählen Sie das Blatt mit den Daten aus (Befehlszeile: --sheet BLATT).",
    )


def _holds_numbers(sheet: Any, rows: int = 200) -> bool:
    """Whether one of the sheet's first `rows` rows has a number cell (stops at the first)."""
    for index, row in enumerate(_sheet_rows(sheet.title, sheet.parent, sheet)):
        if index >= rows:
            return False
        if any(isinstance(value, int | float) and not isinstance(value, bool) for value in row):
            return True
    return False


def _german(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _sheet_rows(name: str, workbook: Any, worksheet: Any) -> Iterator[list[object]]:
    """The sheet's rows from Excel row 1 on, each only as long as its last cell (never padded to the sheet's
    width), read from the sheet's XML as it streams; refused as soon as a limit is passed."""
    part = worksheet._worksheet_path
    percent = {
        index for index, style in enumerate(workbook._cell_styles) if "%" in _number_format(workbook, style.numFmtId)
    }
    parser = WorkSheetParser(
        None,
        worksheet._shared_strings,
        data_only=True,
        epoch=workbook.epoch,
        date_formats=workbook._date_formats,
        timedelta_formats=workbook._timedelta_formats,
    )
    cells, widest, expected = 0, 0, 1
    try:
        with worksheet._get_source() as source:
            parser.source = source
            for index, found in parser.parse():
                if index > MAX_ROWS:
                    raise InputRejectedError.about_file(
                        name, f"Das Tabellenblatt hat mehr als {_german(MAX_ROWS)} Zeilen."
                    )
                cells += len(found)
                if cells > MAX_CELLS:  # counted before openpyxl read anything (_check_parts); kept as a guard
                    raise InputRejectedError.about_file(name, _too_many("c", MAX_CELLS))
                present = [cell for cell in found if cell["value"] is not None]
                last = max((cell["column"] for cell in present), default=0)
                if last > MAX_COLUMNS:
                    cell = next(cell for cell in present if cell["column"] == last)
                    raise InputRejectedError.about_file(
                        name,
                        f"In Zeile {index} steht eine Zelle in Spalte {get_column_letter(last)} (der "
                        f"{_german(last)}. Spalte); erlaubt sind höchstens {_german(MAX_COLUMNS)} Spalten. Löschen Sie "
                        "die Zellen rechts der Tabelle.",
                        value=str(cell["value"]),
                    )
                widest = max(widest, last)
                if widest * index > MAX_GRID:
                    raise InputRejectedError.about_file(
                        name,
                        f"Das Tabellenblatt reicht über {_german(index)} Zeilen und {_german(widest)} Spalten; "
                        f"erlaubt sind höchstens {_german(MAX_GRID)} Zellen. Löschen Sie leere Zeilen und Spalten.",
                    )
                for _ in range(expected, index):
                    yield []
                expected = index + 1
                row: list[object] = [None] * last
                for cell in present:
                    value = cell["value"]
                    if (
                        cell.get("style_id") in percent
                        and isinstance(value, int | float)
                        and not isinstance(value, bool)
                    ):
                        value = round(value * 100, 10)  # 0.237 * 100 is 23.700000000000003: keep the cell's digits
                    row[cell["column"] - 1] = value
                yield row
    except ParseError as error:
        raise InputRejectedError.about_file(name, _not_xml(part, error)) from error


def _number_format(workbook: Any, format_id: int) -> str:
    if format_id < BUILTIN_FORMATS_MAX_SIZE:
        return str(BUILTIN_FORMATS.get(format_id, "General"))
    return str(workbook._number_formats[format_id - BUILTIN_FORMATS_MAX_SIZE])


# What openpyxl may raise on a damaged workbook besides its own; never a bare `except`.
_BROKEN = (
    zipfile.BadZipFile,
    KeyError,
    ValueError,
    TypeError,
    AttributeError,
    IndexError,
    OSError,
    EOFError,
    NotImplementedError,
    ParseError,
)


def _open(name: str, data: bytes) -> Any:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_archive(name, archive)  # a small workbook may unpack to gigabytes
            _check_parts(name, archive)
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except InputRejectedError:
        raise
    except _BROKEN as error:
        raise InputRejectedError.about_file(name, f"Die Excel-Datei lässt sich nicht lesen. {_RESAVE}") from error


def _check_parts(name: str, archive: zipfile.ZipFile) -> None:
    """Every XML part before openpyxl reads it: no DTD (entity expansion, outside entities), well formed,
    and not more sheets or shared strings than allowed; worksheets are read later, row by row."""
    for info in archive.infolist():
        part = info.filename
        if not part.lower().endswith((".xml", ".rels")):
            continue
        with archive.open(info) as stream:
            head = stream.read(_PEEK)
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            raise InputRejectedError.about_file(
                name,
                f"Der Teil »{part}« der Excel-Datei enthält eine DTD (<!DOCTYPE> oder <!ENTITY>), die Excel nie "
                "schreibt und die Daten von außen nachladen oder vervielfachen kann; die Datei wird nicht gelesen. "
                + _RESAVE,
            )
        counted = {"xl/workbook.xml": ("sheet", MAX_SHEETS), "xl/sharedStrings.xml": ("si", MAX_SHARED_STRINGS)}
        tag, limit = ("c", MAX_CELLS) if part.startswith("xl/worksheets/") else counted.get(part, ("", 0))
        seen = 0
        try:
            with archive.open(info) as stream:
                for _, element in iterparse(stream):
                    if tag and element.tag.rsplit("}", 1)[-1] == tag:
                        seen += 1
                        if seen > limit:
                            raise InputRejectedError.about_file(name, _too_many(tag, limit))
                    element.clear()
        except ParseError as error:
            raise InputRejectedError.about_file(name, _not_xml(part, error)) from error


def _too_many(tag: str, limit: int) -> str:
    if tag == "c":
        return (
            f"Ein Tabellenblatt der Excel-Datei hat mehr als {_german(limit)} Zellen. Speichern Sie so große "
            "Tabellen bitte als CSV (UTF-8) oder teilen Sie die Datei."
        )
    what = "Tabellenblätter" if tag == "sheet" else "verschiedene Texte (gemeinsame Zeichenfolgen)"
    return f"Die Excel-Datei hat mehr als {_german(limit)} {what}; so viele werden nicht gelesen."


def _not_xml(part: str, error: ParseError) -> str:
    line = error.position[0] if getattr(error, "position", None) else None
    where = f" (Zeile {line} des Teils)" if line else ""
    return f"Die Excel-Datei ist beschädigt: der Teil »{part}« ist kein gültiges XML{where}. {_RESAVE}"


def _text(value: object, decimal: str) -> str:
    """A cell as a CSV would hold it: whole numbers without `.0`, other numbers with `decimal` as the only
    mark (never a thousands point), dates as 31.12.2024."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "wahr" if value else "falsch"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, float):
        return repr(value).replace(".", decimal)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def _reject_error_cells(name: str, rows: list[list[str]]) -> None:
    problems = [
        Problem(
            name,
            line,
            get_column_letter(column),
            cell,
            f"Die Zelle enthält den Excel-Fehler {cell}; tragen Sie eine Zahl ein oder ein Sonderzeichen wie "
            "».« (unbekannt), oder korrigieren Sie die Formel.",
        )
        for line, row in enumerate(rows, start=1)
        for column, cell in enumerate(row, start=1)
        if cell in EXCEL_ERRORS
    ]
    if problems:
        raise InputRejectedError(problems)
