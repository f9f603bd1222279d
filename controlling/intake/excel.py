"""Excel workbooks (.xlsx) of the templates or of published tables, read as the text a CSV would hold.

A sheet becomes delimited text line by line, so every reader serves Excel too and a line number in a
message is the Excel row number. Formulas give their cached values; error cells are located problems.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from typing import Any

from openpyxl import load_workbook  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from controlling.errors import InputRejectedError, Problem
from controlling.intake.limits import check_archive

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


def sheet_names(name: str, data: bytes) -> list[str]:
    """The sheets of a workbook, in their order."""
    workbook = _open(name, data)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def workbook_text(name: str, data: bytes, sheet: str | None = None) -> str:
    """One sheet (the first unless named) as delimited text: `,` for Open SDG (first cell Year), else `;`."""
    workbook = _open(name, data)
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise InputRejectedError.about_file(
                name,
                f"Das Tabellenblatt gibt es nicht; vorhanden: {', '.join(workbook.sheetnames)}.",
                value=sheet,
            )
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        # openpyxl hands out cells row by row: a workbook is read in one pass, there is no column-wise reader.
        rows = [[_text(value) for value in row] for row in worksheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    _reject_error_cells(name, rows)
    first = next((row for row in rows if any(row)), [])
    separator = "," if first and first[0].strip().strip('"').lower() == "year" else ";"
    width = max((len(row) for row in rows), default=0)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\n")
    writer.writerows(row + [""] * (width - len(row)) if any(row) else [] for row in rows)  # an empty row: a blank line
    return buffer.getvalue()


def _open(name: str, data: bytes) -> Any:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_archive(name, archive)  # a small workbook may unpack to gigabytes
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, NotImplementedError) as error:
        raise InputRejectedError.about_file(
            name, "Die Excel-Datei lässt sich nicht lesen. Speichern Sie sie bitte erneut als .xlsx."
        ) from error


def _text(value: object) -> str:
    """A cell as a CSV would hold it: whole numbers without `.0`, dates as 31.12.2024."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "wahr" if value else "falsch"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
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
