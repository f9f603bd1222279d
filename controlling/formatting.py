"""German number formatting for everything a person reads."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

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


def format_number_column(
    values: pd.Series,
    decimals: pd.Series | int,
    unit: pd.Series | str = "",
    *,
    signed: bool = False,
) -> pd.Series[str]:
    """format_number over a whole column, vectorized per number of decimals; signed adds '+'."""
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    places = pd.Series(decimals, index=numbers.index).astype(int)
    out: pd.Series[str] = pd.Series(MISSING, index=numbers.index, dtype=object)
    present = numbers.notna()
    for digits in np.unique(places[present]):
        mask = present & (places == digits)
        rounded = numbers[mask].round(int(digits))
        text = pd.Series(np.char.mod(f"%.{int(digits)}f", np.abs(rounded.to_numpy())), index=rounded.index)
        parts = text.str.partition(".")
        whole, fraction = parts[0], parts[2]
        whole = whole.str.replace(r"\B(?=(\d{3})+$)", ".", regex=True)
        text = whole + ("," + fraction if digits > 0 else "")
        sign = np.where(rounded < 0, "-", np.where((rounded > 0) & signed, "+", ""))
        out[mask] = sign + text
    units = pd.Series(unit, index=numbers.index).fillna("").astype(str).replace(DISPLAY_UNITS)
    with_unit = present & (units != "")
    out[with_unit] = out[with_unit] + " " + units[with_unit]
    return out


def format_share(share: float | None) -> str:
    """0.314 -> '31 %'."""
    return format_number(None if share is None else share * 100, 0, "%")
