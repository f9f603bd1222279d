"""The long frame of raw cells every reader produces (DESIGN §5.2, §5.3), and what a reading holds.

Value frames have the columns of RAW_COLUMNS: `line` is the file's line number, `column` the header
of the cell the value came from; everything else is still text and is checked by validate.py.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from controlling.db import OBSERVATION_COLUMNS

# Where a cell came from, which series it belongs to and the area's name as written, then the stored
# columns of an observation (still text).
RAW_COLUMNS = ("line", "column", "series", "area_name", *OBSERVATION_COLUMNS)
TOTAL_LABELS = ("insgesamt", "gesamt", "total", "zusammen", "")


@dataclass(frozen=True)
class DelimitedFile:
    """A Werte file in long form, left unread: the store reads it (much faster than pandas).

    `columns` maps raw columns (RAW_COLUMNS) to the file's column positions; `text` is kept for
    reading it the slow way should the store find it malformed (that way names each bad line).
    """

    data: bytes  # UTF-8, no byte order mark
    separator: str
    width: int
    columns: dict[str, int]
    text: str
    name: str


@dataclass
class Reading:
    """What a reader made of a file: its kind, the frame, the source key and notes for the preview."""

    kind: str  # werte | ziele | kennzahlen
    format: str  # werte | werte_breit | ziele | kennzahlen | opensdg | genesis | genesis_flat
    frame: pd.DataFrame
    # Foreign files: series key (e.g. LSN-1-2-2, GENESIS-12411-01-01-5) -> title; each series must be
    # mapped to an indicator (the `series` column of the frame says which rows belong to which).
    series: dict[str, str] = field(default_factory=dict)
    delimited: DelimitedFile | None = None  # set instead of `frame` for a Werte file read by the store
    # What the reader recognised (dimensions, time, area codes), in German, for the preview.
    notes: list[str] = field(default_factory=list)
    # Rows left out on purpose while reading (line, column, value, message), listed in the preview.
    skipped: pd.DataFrame | None = None


def canonical_breakdown(pairs: pd.DataFrame) -> pd.Series:
    """`Merkmal=Ausprägung` pairs (columns = Merkmal) joined by `|`, sorted; totals left out."""
    result = pd.Series("", index=pairs.index, dtype=object)
    for column in sorted(pairs.columns):
        values = pairs[column].fillna("").astype(str).str.strip()
        keep = ~values.str.lower().isin(TOTAL_LABELS)
        piece = (column + "=" + values).where(keep, "")
        result = result.where(piece == "", result.where(result == "", result + "|") + piece)
    return result


_UMLAUTS = str.maketrans({"Ä": "AE", "Ö": "OE", "Ü": "UE", "ß": "SS"})


def series_code(prefix: str, name: str) -> str:
    """A series key made from a file's or table's name that is a valid Kennzahl code (`LSN-1-2-2`): upper case,
    umlauts spelled out, anything but letters and digits a hyphen, each part at most 12 characters."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFC", name).upper().translate(_UMLAUTS))
    text = "".join(char for char in text if not unicodedata.combining(char))  # É -> E, not a break in the word
    parts = [part[:12] for part in re.split(r"[^A-Z0-9]+", text) if part]
    return "-".join([prefix, *(parts or ["DATEI"])])


def raw_frame(**columns: object) -> pd.DataFrame:
    """A frame of RAW_COLUMNS from the given columns; the others are empty text."""
    frame = pd.DataFrame(columns)
    for column in RAW_COLUMNS:
        if column not in frame:
            frame[column] = ""
    return frame[list(RAW_COLUMNS)]
