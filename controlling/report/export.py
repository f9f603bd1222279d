"""Downloads: CSV and Excel of what a page shows, safe to open in a spreadsheet."""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralize(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula get a leading apostrophe; numbers stay numbers."""
    result = frame.copy()
    for column in result.columns:
        if result[column].dtype == object or pd.api.types.is_string_dtype(result[column]):
            text = result[column].astype(object)
            # A lone "-" (the special value "nothing") can't be a formula and keeps its meaning.
            risky = text.notna() & text.astype(str).str.startswith(FORMULA_START) & (text.astype(str).str.len() > 1)
            result[column] = text.where(~risky, "'" + text.astype(str))
    return result


def readable_numbers(frame: pd.DataFrame, decimals: Mapping[str, int] | None = None) -> pd.DataFrame:
    """Numbers as a person reads them: rounded to their indicator's decimals where given, and counts
    (columns holding whole numbers only) without a trailing ',0'."""
    result = frame.copy()
    for column, places in (decimals or {}).items():
        if column in result:
            result[column] = pd.to_numeric(result[column], errors="coerce").round(places)
    for column in result.columns:
        values = result[column]
        if pd.api.types.is_float_dtype(values) and values.notna().any():
            present = values.dropna()
            if ((present % 1) == 0).all() and present.abs().max() < 2**53:
                result[column] = values.astype("Int64")
    return result


def to_csv_bytes(frame: pd.DataFrame, decimals: Mapping[str, int] | None = None) -> bytes:
    """German CSV for Excel: semicolon, decimal comma, UTF-8 with BOM; numbers as readable_numbers gives them."""
    return neutralize(readable_numbers(frame, decimals)).to_csv(sep=";", decimal=",", index=False).encode("utf-8-sig")


def to_excel_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """An .xlsx with one sheet per frame; numbers stored as numbers."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            neutralize(frame).to_excel(writer, sheet_name=name[:31], index=False)
    return buffer.getvalue()
