"""The readers as a registry: each format says whether it recognises a file and reads it; read_any asks them in
order (STYLE: readers as a family). A file is first opened as text (workbook sheet, ZIP member, encoding, control
characters); readers of published formats decide by the first line, the templates by their header columns.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

import pandas as pd

from controlling.errors import InputRejectedError, Problem
from controlling.intake.excel import is_workbook, workbook_text
from controlling.intake.frames import Reading
from controlling.intake.genesis import read_genesis_classic
from controlling.intake.opensdg import read_opensdg
from controlling.intake.readers import (
    NOT_BLANK,
    NOT_CONTROL,
    OLD_EXCEL,
    YEAR_COLUMN,
    plain_werte_file,
    read_genesis_flat,
    read_kennzahlen,
    read_werte,
    read_werte_wide,
    read_ziele,
    refuse_control_characters,
    unpack,
)
from controlling.tabular import decode, read_text_table


class Format(StrEnum):
    """The formats a user may name (`--format`); `auto` lets the readers recognise the file."""

    AUTO = "auto"
    WERTE = "werte"
    ZIELE = "ziele"
    KENNZAHLEN = "kennzahlen"
    OPENSDG = "opensdg"
    GENESIS = "genesis"


FORMATS = tuple(kind.value for kind in Format)


@dataclass(frozen=True)
class OpenedFile:
    """A file opened as text: its name (of the ZIP member), bytes, text and first line."""

    name: str
    data: bytes
    text: str
    first: str

    @property
    def lower(self) -> str:
        return self.first.lower()


@dataclass(frozen=True)
class TextReader:
    """A published format, recognised by its first line."""

    format: Format
    recognises: Callable[[OpenedFile], bool]
    read: Callable[[str, str], Reading]  # (text, file name)


@dataclass(frozen=True)
class TableReader:
    """One of the product's templates, recognised by its header columns."""

    format: Format
    recognises: Callable[[set[str]], bool]
    read: Callable[[pd.DataFrame, str], Reading]  # (table, file name)


def _flat_header(opened: OpenedFile) -> bool:
    return opened.lower.startswith(("statistics_code;", "statistik_code;"))


# In the order they are asked. A named format takes the first of its readers that recognises the file, else its
# last one (a GENESIS table named as such is read as the classic table unless its header is the flat file's).
TEXT_READERS = (
    TextReader(Format.OPENSDG, lambda f: re.match(r"^\"?year\"?,", f.lower) is not None, read_opensdg),
    TextReader(Format.GENESIS, _flat_header, read_genesis_flat),
    TextReader(Format.GENESIS, lambda f: f.lower.startswith("genesis-tabelle"), read_genesis_classic),
)
TABLE_READERS = (
    TableReader(Format.ZIELE, lambda columns: {"zieljahr", "zielwert"} <= columns, read_ziele),
    TableReader(Format.KENNZAHLEN, lambda columns: {"bezeichnung", "richtung"} <= columns, read_kennzahlen),
    TableReader(
        Format.WERTE,
        lambda columns: any(YEAR_COLUMN.match(c) for c in columns) and "jahr" not in columns,
        read_werte_wide,
    ),
    TableReader(Format.WERTE, lambda columns: bool({"kennzahl", "gebiet"} & columns), read_werte),
)
R = TypeVar("R", TextReader, TableReader)
UNRECOGNISED = (
    "Das Dateiformat wurde nicht erkannt. Erwartet wird eine Vorlage (Werte: kennzahl;gebiet;jahr;wert, "
    "Ziele: kennzahl;gebiet;zieljahr;zielwert;basisjahr, Kennzahlen: kennzahl;bezeichnung;…), "
    "eine Open-SDG-Datei (Year,…,Value) oder eine GENESIS-Tabelle."
)


def _chosen(readers: tuple[R, ...], wanted: Format, holds: Callable[[R], bool]) -> R | None:
    """The first reader that recognises the file (auto), or of a named format its first that does, else its last."""
    if wanted is Format.AUTO:
        return next((reader for reader in readers if holds(reader)), None)
    own = [reader for reader in readers if reader.format is wanted]
    return next((reader for reader in own if holds(reader)), own[-1] if own else None)


def open_text(name: str, data: bytes, sheet: str | None = None) -> OpenedFile:
    """The file as text: a workbook's sheet, a ZIP's CSV member, decoded, with control characters refused."""
    if data.startswith(OLD_EXCEL):
        raise InputRejectedError.about_file(
            name,
            "Das ist eine Excel-Datei im alten Format (.xls), auch wenn der Name anders endet. Speichern Sie sie "
            "bitte als .xlsx oder als »CSV UTF-8«.",
        )
    if is_workbook(name, data):
        data = workbook_text(name, data, sheet).encode("utf-8")
    else:
        name, data = unpack(name, data)
    text = decode(data, name)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data.translate(None, NOT_CONTROL):
        refuse_control_characters(name, text)  # only when a control byte may be there: a regex costs 0.1 s per 50 MB
    if NOT_BLANK.search(text) is None:
        raise InputRejectedError.about_file(name, "Die Datei ist leer.")
    start = 1 if text.startswith("\ufeff") else 0
    end = text.find("\n", start)
    return OpenedFile(name, data, text, text[start : end if end >= 0 else len(text)].strip())


def read_any(name: str, data: bytes, format: str = "auto", sheet: str | None = None) -> Reading:
    """Read a file with the reader that recognises it (or the one named); of a workbook the chosen sheet."""
    if format not in FORMATS:
        raise InputRejectedError.about_file(
            name, f"Unbekanntes Format; erlaubt sind {', '.join(FORMATS)}.", value=format
        )
    wanted = Format(format)
    opened = open_text(name, data, sheet)
    text_reader = _chosen(TEXT_READERS, wanted, lambda reader: reader.recognises(opened))
    if text_reader is not None:
        return text_reader.read(opened.text, opened.name)
    plain = plain_werte_file(opened.name, opened.data, opened.text, opened.first, format)
    if plain is not None:
        return plain
    table = read_text_table(opened.text, file=opened.name)
    if table.empty:
        raise InputRejectedError(
            [Problem(opened.name, 1, None, opened.first, "Die Datei enthält nur eine Kopfzeile und keine Daten.")]
        )
    columns = set(table.columns)
    table_reader = _chosen(TABLE_READERS, wanted, lambda reader: reader.recognises(columns))
    if table_reader is None:
        raise InputRejectedError([Problem(opened.name, 1, None, opened.first, UNRECOGNISED)])
    return table_reader.read(table, opened.name)
