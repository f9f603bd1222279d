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
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
from openpyxl import load_workbook  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from controlling.errors import InputRejectedError, Problem
from controlling.intake.limits import check_archive
from controlling.tabular import DECIMAL_COMMA, DECIMAL_POINT, decimal_mark

EXCEL_ERRORS = ("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#GETTING_DATA")


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
        # openpyxl hands out cells row by row: a workbook is read in one pass, there is no column-wise reader.
        rows = [[_cell_value(cell) for cell in row] for row in worksheet.iter_rows()]
    finally:
        workbook.close()
    first = next((row for row in rows if any(value is not None for value in row)), [])
    separator = "," if first and isinstance(first[0], str) and first[0].strip().strip('"').lower() == "year" else ";"
    decimal = _number_mark(rows, "." if separator == "," else ",")
    texts = [[_text(value, decimal) for value in row] for row in rows]
    _reject_error_cells(name, texts)
    width = max((len(row) for row in texts), default=0)
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
    for row in sheet.iter_rows(max_row=rows, values_only=True):
        if any(isinstance(value, int | float) and not isinstance(value, bool) for value in row):
            return True
    return False


def _open(name: str, data: bytes) -> Any:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_archive(name, archive)  # a small workbook may unpack to gigabytes
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, NotImplementedError) as error:
        raise InputRejectedError.about_file(
            name, "Die Excel-Datei lässt sich nicht lesen. Speichern Sie sie bitte erneut als .xlsx."
        ) from error


def _cell_value(cell: Any) -> object:
    """The value Excel shows, as a Python value: a %-formatted number as its percentage."""
    value = cell.value
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
        return round(value * 100, 10)  # 0.237 * 100 is 23.700000000000003: keep the digits the cell has
    return value


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
