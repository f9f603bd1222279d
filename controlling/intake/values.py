"""Cell values as people and statistical offices write them: numbers, special values, quality letters."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from controlling.tabular import parse_german_number

# DESIGN §5.4: special values are stored as missing values with their flag, never as a number.
SPECIAL_VALUES = {
    "-": "nichts vorhanden (genau null)",
    ".": "unbekannt oder geheim",
    "...": "noch nicht verfügbar",
    "/": "nicht sicher genug",
    "x": "Tabellenfach gesperrt, Aussage nicht sinnvoll",
    "()": "Aussagewert eingeschränkt",
    "*": "aus Datenschutzgründen gesperrt (Bundesagentur für Arbeit)",
}
# Quality letters accompany a number (GENESIS value_q or a suffix like "123 p").
QUALITY_LETTERS = {"e": "endgültig", "p": "vorläufig", "r": "berichtigt", "s": "geschätzt"}
FLAG_LABELS = {**SPECIAL_VALUES, **QUALITY_LETTERS}


@dataclass(frozen=True)
class ParsedCells:
    """A column of cells split into numbers and flags; `bad` marks text that is neither."""

    number: pd.Series
    flag: pd.Series
    bad: pd.Series
    empty: pd.Series


def parse_cells(cells: pd.Series) -> ParsedCells:
    """Split cells into a number and a flag (special value or quality letter); vectorized."""
    text = cells.fillna("").astype(str).str.strip()
    empty = text == ""
    special = text.isin(list(SPECIAL_VALUES))
    # "(123)" in GENESIS means limited reliability: flagged, stored as missing like every special value.
    bracketed = text.str.fullmatch(r"\(\s*[-\d.,\s]*\)")
    parts = text.str.extract(r"^(?P<number>.*?\d)\s*(?P<letter>[eprs])$")
    has_letter = parts["letter"].notna() & ~special
    number_text = text.where(~has_letter, parts["number"])
    number = parse_german_number(number_text.where(~(special | bracketed | empty), ""))
    flag = pd.Series(None, index=text.index, dtype=object)
    flag = flag.where(~special, text)
    flag = flag.where(~bracketed, "()")
    flag = flag.where(~has_letter, parts["letter"])
    bad = ~empty & ~special & ~bracketed & number.isna()
    number = number.where(~(special | bracketed), np.nan)
    return ParsedCells(number=number, flag=flag, bad=bad, empty=empty)
