"""German number formatting for everything a person reads."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

MISSING = "–"
_TO_GERMAN = str.maketrans({",": ".", ".": ","})
# Units shown after a number; a count needs none ("1.324", not "1.324 Anzahl").
DISPLAY_UNITS = {"Anzahl": ""}


def display_unit(unit: str) -> str:
    """The unit as written after a number."""
    return DISPLAY_UNITS.get(unit, unit)


def format_number(value: float | int | None, decimals: int = 1, unit: str = "") -> str:
    """1234.5 -> '1.234,5' (unit after a space: '12,4 %'); '–' for a missing value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    text = f"{value:,.{decimals}f}".translate(_TO_GERMAN)
    if text.startswith("-") and text.strip("-0,.") == "":
        text = text[1:]  # no "-0,0"
    unit = display_unit(unit)
    return f"{text} {unit}" if unit else text


def form_text(value: float | int | None, decimals: int) -> str:
    """A number as a form field shows it to be edited: '0,95', '1.234,5'; empty when there is none."""
    text = format_number(value, decimals)
    return "" if text == MISSING else text


def form_number_column(values: pd.Series) -> pd.Series:
    """Numbers as a table shows them to be edited: German decimals, no thousands points ('1234,5'), which the
    rules of a file would read back as decimals ('1.234' is 1,234 there)."""
    return format_exact_column(values).str.replace(".", "", regex=False)


def join_text(*parts: pd.Series | pa.Array | pa.ChunkedArray | str) -> pa.Array:
    """Element-wise concatenation of text columns and constants in one vectorized step."""
    arrays = [pa.array(part, type=pa.string()) if isinstance(part, pd.Series) else part for part in parts]
    if all(isinstance(part, str) for part in arrays):
        return pa.scalar("".join(arrays))
    result: pa.Array = pc.binary_join_element_wise(*arrays, "")
    return result


def _digits(values: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(values, type=pa.int64()), pa.string())


def _padded(values: np.ndarray, width: int) -> pa.Array:
    return pc.utf8_lpad(_digits(values), width=width, padding="0")


def _grouped(whole: np.ndarray) -> pa.Array:
    """Integer part with '.' every three digits (German thousands grouping), only where needed."""
    text = _digits(whole)
    big = whole >= 1000
    if not big.any():
        return text
    rest = whole[big]
    grouped = join_text(_grouped(rest // 1000), ".", _padded(rest % 1000, 3))
    result: pa.Array = pc.replace_with_mask(text, pa.array(big), grouped)
    return result


def _unit_suffix(unit: pd.Series | str, index: pd.Index) -> pa.Array | str:
    """' %' style suffixes as a text column (or one constant), display units applied."""
    if isinstance(unit, str):
        shown = display_unit(unit)
        return f" {shown}" if shown else ""
    units = pa.array(unit.reindex(index).fillna(""), type=pa.string())
    for raw, shown in DISPLAY_UNITS.items():
        units = pc.if_else(pc.equal(units, raw), shown, units)
    return pc.if_else(pc.equal(units, ""), "", join_text(" ", units))


def format_number_column(
    values: pd.Series,
    decimals: pd.Series | int,
    unit: pd.Series | str = "",
    *,
    signed: bool = False,
) -> pd.Series:
    """format_number over a whole column with pyarrow kernels; signed adds '+' to positive numbers."""
    return pd.Series(format_number_arrow(values, decimals, unit, signed=signed), index=values.index, dtype="str")


def format_exact_column(values: pd.Series, most: int = 6) -> pd.Series:
    """A column in German format with as many decimals as each value has (up to `most`): 5,7729 and 7.926.599."""
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    decimals = np.full(len(numbers), most)
    for digits in range(most - 1, -1, -1):  # fewer decimals wherever they still say the same number
        same = np.abs(np.round(numbers, digits) - numbers) <= 1e-9 * np.maximum(1.0, np.abs(numbers))
        decimals[same] = digits
    return format_number_column(values, pd.Series(decimals, index=values.index))


def format_number_arrow(
    values: pd.Series, decimals: pd.Series | int, unit: pd.Series | str = "", *, signed: bool = False
) -> pa.Array:
    """format_number_column as a pyarrow string array (for building sentences).

    Targets, thresholds and years repeat a lot: each distinct (number, decimals, unit) is formatted once.
    """
    if len(values) == 0:
        return pa.array([], type=pa.string())
    number_codes, _ = pd.factorize(values.to_numpy(dtype=float, na_value=np.nan), use_na_sentinel=False)
    decimal_codes, _ = pd.factorize(np.broadcast_to(np.asarray(decimals), len(values)))
    unit_codes, _ = pd.factorize(np.broadcast_to(np.asarray(unit, dtype=object), len(values)))
    combined = (number_codes.astype(np.int64) * (decimal_codes.max() + 1) + decimal_codes) * (
        unit_codes.max() + 1
    ) + unit_codes
    distinct, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
    if len(distinct) * 2 >= len(values):
        return _format(values, decimals, unit, signed=signed)
    picked_decimals = decimals if isinstance(decimals, int) else decimals.iloc[first]
    picked_unit = unit if isinstance(unit, str) else unit.iloc[first]
    formatted = _format(values.iloc[first], picked_decimals, picked_unit, signed=signed)
    taken: pa.Array = pc.take(formatted, pa.array(inverse))
    return taken


def _format(values: pd.Series, decimals: pd.Series | int, unit: pd.Series | str, *, signed: bool) -> pa.Array:
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    places = np.broadcast_to(np.asarray(decimals, dtype=np.int64), numbers.shape)
    present = np.isfinite(numbers)
    result = pa.nulls(len(numbers), type=pa.string())
    for digits in np.unique(places[present]) if present.any() else ():
        scale = 10 ** int(digits)
        mask = present & (places == digits)
        scaled = np.rint(np.abs(np.where(mask, numbers, 0.0)) * scale).astype(np.int64)
        text = _grouped(scaled // scale)
        if digits > 0:
            text = join_text(text, ",", _padded(scaled % scale, int(digits)))
        negative = pa.array((numbers < 0) & (scaled > 0))
        positive = pa.array(signed & (numbers > 0) & (scaled > 0))
        sign = pc.if_else(negative, "-", pc.if_else(positive, "+", ""))
        result = pc.if_else(pa.array(mask), join_text(sign, text), result)
    filled: pa.Array = pc.fill_null(join_text(result, _unit_suffix(unit, values.index)), MISSING)
    return filled
