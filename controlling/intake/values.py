"""Cell values as people and statistical offices write them: numbers, special values, quality letters."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from controlling.tabular import parse_number_array

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
    """Split cells into a number and a flag (special value or quality letter), with pyarrow kernels."""
    text = pc.utf8_trim_whitespace(pa.array(cells.fillna("").astype(str), type=pa.string()))
    empty = pc.equal(text, "")
    special = pc.is_in(text, value_set=pa.array(list(SPECIAL_VALUES)))
    # "(123)" in GENESIS means limited reliability: flagged, stored as missing like every special value.
    bracketed = pc.match_substring_regex(text, r"^\(\s*[-\d.,\s]*\)$")
    lettered = pc.and_(pc.match_substring_regex(text, r"\d\s*[eprs]$"), pc.invert(special))
    number_text = pc.if_else(lettered, pc.replace_substring_regex(text, r"\s*[eprs]$", ""), text)
    skip = pc.or_(pc.or_(special, bracketed), empty)
    number = parse_number_array(pc.if_else(skip, "", number_text))
    flag = pc.if_else(
        special, text, pc.if_else(bracketed, "()", pc.if_else(lettered, pc.utf8_slice_codeunits(text, -1), None))
    )
    bad = pc.and_(pc.invert(skip), pc.is_null(number))
    index = cells.index
    return ParsedCells(
        number=pd.Series(number.to_numpy(zero_copy_only=False), index=index, dtype=float),
        flag=pd.Series(flag.to_numpy(zero_copy_only=False), index=index, dtype=object),
        bad=pd.Series(bad.to_numpy(zero_copy_only=False), index=index, dtype=bool),
        empty=pd.Series(empty.to_numpy(zero_copy_only=False), index=index, dtype=bool),
    )
