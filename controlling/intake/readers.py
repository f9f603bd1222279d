"""One reader per file format, each producing the same long frame of raw cells (DESIGN §5.2, §5.3).

Value frames have the columns of RAW_COLUMNS: `line` is the file's line number, `column` the header
of the cell the value came from; everything else is still text and is checked by validate.py.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace

import numpy as np
import pandas as pd

from controlling.errors import InputRejectedError, Problem
from controlling.intake.frames import (
    RAW_COLUMNS,
    DelimitedFile,
    Reading,
    canonical_breakdown,
    raw_frame,
    series_code,
)
from controlling.intake.limits import read_member
from controlling.tabular import (
    DECIMAL_COMMA,
    DECIMAL_POINT,
    missing_columns,
    read_delimited,
    read_text_table,
    sniff_separator,
)

WERTE_REQUIRED = ("kennzahl", "gebiet", "jahr", "wert")
WERTE_OPTIONAL = ("zaehler", "nenner", "aufschluesselung", "kennzeichen", "anmerkung", "erlaeuterung", "vorjahr")
# Hints of a provider's pre-filled template (controlling.deliveries.templates): read past, never stored.
ZIELE_REQUIRED = ("kennzahl", "gebiet", "zieljahr", "zielwert", "basisjahr")
ZIELE_OPTIONAL = ("gremium", "beschlussdatum", "vorlage", "quelle", "status", "beschluss", "gueltig_ab", "zieltyp")
KENNZAHLEN_REQUIRED = ("kennzahl", "bezeichnung", "handlungsfeld", "einheit", "richtung")
KENNZAHLEN_OPTIONAL = (
    "aggregation",
    "faktor",
    "nachkommastellen",
    "definition",
    "quelle",
    "schwelle_gruen",
    "schwelle_gelb",
    "mindestfallzahl",
    "datenherkunft",
    "lieferant",
    "stichtag",
    "rhythmus",
    "lieferfrist",
    "brueche",
    "bezug",
    "ebenen",
)
YEAR_COLUMN = re.compile(r"^\d{4}$")
NOT_BLANK = re.compile(r"\S")


def _require(table: pd.DataFrame, required: tuple[str, ...], optional: tuple[str, ...], file: str) -> None:
    problems = [
        Problem(
            file=file,
            line=1,
            column=name,
            value=None,
            message=f"Die Pflichtspalte »{name}« fehlt. Erwartet: {';'.join(required)} "
            f"(optional: {';'.join(optional)}).",
        )
        for name in required
        if name not in table.columns
    ]
    allowed = set(required) | set(optional)
    problems += [
        Problem(
            file=file,
            line=1,
            column=name,
            value=None,
            message=f"Unbekannte Spalte »{name}«. Erlaubt sind: {';'.join((*required, *optional))}.",
        )
        for name in table.columns
        if name not in allowed
    ]
    if problems:
        raise InputRejectedError(problems)


def read_werte(table: pd.DataFrame, file: str) -> Reading:
    """Werte template, long form: kennzahl;gebiet;jahr;wert[;zaehler;nenner;aufschluesselung;...]."""
    _require(table, WERTE_REQUIRED, WERTE_OPTIONAL, file)
    get = table.get
    return Reading(
        kind="werte",
        format="werte",
        frame=raw_frame(
            line=table.index + 2,
            column="wert",
            indicator=table["kennzahl"],
            area=table["gebiet"],
            year=table["jahr"],
            value=table["wert"],
            numerator=get("zaehler", ""),
            denominator=get("nenner", ""),
            breakdown=get("aufschluesselung", ""),
            flag=get("kennzeichen", ""),
            note=get("anmerkung", ""),
        ),
    )


def read_werte_wide(table: pd.DataFrame, file: str) -> Reading:
    """Werte template, wide form: kennzahl;gebiet;2019;2020;..."""
    years = [c for c in table.columns if YEAR_COLUMN.match(c)]
    _require(table.drop(columns=years), ("kennzahl", "gebiet"), ("aufschluesselung",), file)
    long = table.assign(line=table.index + 2).melt(
        id_vars=[c for c in table.columns if c not in years] + ["line"],
        value_vars=years,
        var_name="year",
        value_name="value",
    )
    return Reading(
        kind="werte",
        format="werte_breit",
        frame=raw_frame(
            line=long["line"],
            column=long["year"],
            indicator=long["kennzahl"],
            area=long["gebiet"],
            year=long["year"],
            value=long["value"],
            breakdown=long.get("aufschluesselung", ""),
        ),
    )


def read_ziele(table: pd.DataFrame, file: str) -> Reading:
    """Ziele template: kennzahl;gebiet;zieljahr;zielwert;basisjahr[;gremium;beschlussdatum;vorlage;quelle;
    status;beschluss;gueltig_ab] (a row without any decision is an Entwurf, controlling.rules)."""
    _require(table, ZIELE_REQUIRED, ZIELE_OPTIONAL, file)
    frame = table.reindex(columns=[*ZIELE_REQUIRED, *ZIELE_OPTIONAL], fill_value="").assign(line=table.index + 2)
    return Reading(kind="ziele", format="ziele", frame=frame)


def read_kennzahlen(table: pd.DataFrame, file: str) -> Reading:
    """Kennzahlen template (the catalogue's own columns)."""
    _require(table, KENNZAHLEN_REQUIRED, KENNZAHLEN_OPTIONAL, file)
    return Reading(kind="kennzahlen", format="kennzahlen", frame=table)


# -- GENESIS flat files (ffcsv) ------------------------------------------------------------------


def read_genesis_flat(text: str, file: str) -> Reading:
    """GENESIS flat file, current (`statistics_code;...;value`) or legacy (`Statistik_Code;...`) layout."""
    raw = read_delimited(text, file=file, sep=";", lower=False)
    if "statistics_code" in raw.columns:
        return _genesis_flat_current(raw, file)
    return _genesis_flat_legacy(raw, file)


def _area_variable(raw: pd.DataFrame, code_columns: list[str], label_columns: list[str]) -> int | None:
    """Which numbered variable holds the regional key (its attribute codes look like AGS)."""
    for index, column in enumerate(code_columns):
        values = raw[column].replace("", np.nan).dropna()
        if len(values) and values.str.fullmatch(r"DG|\d{2,12}").mean() > 0.9 and not column.endswith("_0"):
            return index
    return None


def _require_flat_columns(raw: pd.DataFrame, columns: list[str], file: str) -> None:
    """A GENESIS flat file missing a column it names elsewhere (the value, the time, a variable's labels)."""
    problems = missing_columns(raw, columns, file=file)
    if problems:
        raise InputRejectedError(
            [
                replace(
                    p, message=f"GENESIS-Flatfile unvollständig: {p.message} Laden Sie die Tabelle erneut herunter."
                )
                for p in problems
            ]
        )


def _genesis_flat_current(raw: pd.DataFrame, file: str) -> Reading:
    numbers = sorted({int(m.group(1)) for c in raw.columns if (m := re.match(r"^(\d+)_variable_code$", c))})
    codes = [f"{n}_variable_attribute_code" for n in numbers]
    labels = [f"{n}_variable_attribute_label" for n in numbers]
    names = [f"{n}_variable_label" for n in numbers]
    _require_flat_columns(raw, ["time", "value", *codes, *labels, *names], file)
    area_index = _area_variable(raw, codes, labels)
    pairs = pd.DataFrame(index=raw.index)
    for index, (code, label, name) in enumerate(zip(codes, labels, names, strict=True)):
        if index == area_index:
            continue
        variable = raw[name].iloc[0] if len(raw) else name
        pairs[variable] = raw[label].where(raw[code] != "", "Insgesamt")
    area = raw[codes[area_index]] if area_index is not None else pd.Series("", index=raw.index)
    area_name = raw[labels[area_index]] if area_index is not None else ""
    table = raw["statistics_code"].iloc[0] if len(raw) else "?"
    value_variable = raw.get("value_variable_code", pd.Series("WERT", index=raw.index))
    value_label = raw.get("value_variable_label", value_variable)
    series = value_variable.map({v: series_code("GENESIS", f"{table}-{v}") for v in value_variable.unique()})
    year = raw["time"].str.extract(r"(\d{4})", expand=False)
    titles = dict(zip(series, "GENESIS " + table + ": " + value_label, strict=True))
    return Reading(
        kind="werte",
        format="genesis_flat",
        frame=raw_frame(
            line=raw.index + 2,
            column="value",
            series=series,
            indicator="",
            area=area,
            area_name=area_name,
            year=year,
            value=raw["value"],
            flag=raw.get("value_q", ""),
            breakdown=canonical_breakdown(pairs),
        ),
        series=titles,
    )


def _genesis_flat_legacy(raw: pd.DataFrame, file: str) -> Reading:
    if "Statistik_Code" not in raw.columns or "Zeit" not in raw.columns:
        raise InputRejectedError(
            [
                Problem(
                    file,
                    1,
                    None,
                    None,
                    "Unbekanntes GENESIS-Flatfile: erwartet werden die Spalten "
                    "statistics_code;…;value oder Statistik_Code;…;Zeit;….",
                )
            ]
        )
    numbers = sorted({int(m.group(1)) for c in raw.columns if (m := re.match(r"^(\d+)_Merkmal_Code$", c))})
    codes = [f"{n}_Auspraegung_Code" for n in numbers]
    labels = [f"{n}_Auspraegung_Label" for n in numbers]
    names = [f"{n}_Merkmal_Label" for n in numbers]
    _require_flat_columns(raw, [*codes, *labels, *names], file)
    known = {"Statistik_Code", "Statistik_Label", "Zeit_Code", "Zeit_Label", "Zeit"}
    known |= {
        f"{n}_{part}"
        for n in numbers
        for part in ("Merkmal_Code", "Merkmal_Label", "Auspraegung_Code", "Auspraegung_Label")
    }
    value_columns = [c for c in raw.columns if c not in known]
    if not value_columns:
        raise InputRejectedError.about_file(
            file,
            "Das GENESIS-Flatfile hat keine Wertspalte: nach Statistik, Zeit und Merkmalen folgt keine Spalte mit "
            "Werten. Laden Sie die Tabelle erneut herunter.",
        )
    area_index = _area_variable(raw, codes, labels)
    table = raw["Statistik_Code"].iloc[0] if len(raw) else "?"
    frames = []
    for value_column in value_columns:
        pairs = pd.DataFrame(index=raw.index)
        for index, (code, label, name) in enumerate(zip(codes, labels, names, strict=True)):
            if index != area_index:
                pairs[raw[name].iloc[0] if len(raw) else name] = raw[label].where(raw[code] != "", "Insgesamt")
        frames.append(
            raw_frame(
                line=raw.index + 2,
                column=value_column,
                series=series_code("GENESIS", f"{table}-{value_column.split('__')[0]}"),
                indicator="",
                area=raw[codes[area_index]] if area_index is not None else "",
                area_name=raw[labels[area_index]] if area_index is not None else "",
                year=raw["Zeit"].str.extract(r"(\d{4})", expand=False),
                value=raw[value_column],
                breakdown=canonical_breakdown(pairs),
            )
        )
    titles = {
        series_code(
            "GENESIS", f"{table}-{c.split('__')[0]}"
        ): f"GENESIS {table}: {c.split('__')[1] if '__' in c else c}"
        for c in value_columns
    }
    return Reading(kind="werte", format="genesis_flat", frame=pd.concat(frames, ignore_index=True), series=titles)


# -- detection -----------------------------------------------------------------------------------


def unpack(name: str, data: bytes) -> tuple[str, bytes]:
    """A GENESIS ZIP holds one CSV: return its name and bytes; other files pass through."""
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                members = [m for m in archive.namelist() if m.lower().endswith(".csv")]
                if len(members) != 1:
                    raise InputRejectedError.about_file(name, "Das ZIP-Archiv muss genau eine CSV-Datei enthalten.")
                return members[0], read_member(name, archive, members[0])
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as error:
            raise InputRejectedError.about_file(
                name, "Das ZIP-Archiv ist beschädigt oder verschlüsselt; packen Sie die CSV-Datei bitte neu."
            ) from error
    return name, data


# The decimal mark a published format writes, where no cell of the file decides it: Open SDG writes points
# (1.500 is one and a half there), the statistical offices' GENESIS tables commas.
DECIMAL_DEFAULTS = {
    "opensdg": DECIMAL_POINT,
    "amtlich": DECIMAL_POINT,
    "genesis": DECIMAL_COMMA,
    "genesis_flat": DECIMAL_COMMA,
}


# The raw column each Werte template column feeds.
WERTE_RAW = {
    "kennzahl": "indicator",
    "gebiet": "area",
    "jahr": "year",
    "wert": "value",
    "zaehler": "numerator",
    "nenner": "denominator",
    "aufschluesselung": "breakdown",
    "kennzeichen": "flag",
    "anmerkung": "note",
}


def plain_werte_file(name: str, data: bytes, text: str, first: str, format: str) -> Reading | None:
    """A Werte file in long form with a plain header (no quotes, no empty names) and data lines: left
    for the store to read. Anything less plain returns None and is read here, line by line."""
    separator = sniff_separator(first)
    names = [part.strip().lower() for part in first.split(separator)]
    if format not in ("auto", "werte") or '"' in first or "" in names or len(set(names)) != len(names):
        return None
    if not {"kennzahl", "gebiet", "jahr", "wert"} <= set(names) or {"zieljahr", "bezeichnung"} & set(names):
        return None
    newline = text.find("\n")
    if newline < 0 or NOT_BLANK.search(text, newline) is None or "\x00" in text:
        return None
    empty_row = "\n" + separator * (len(names) - 1)
    if any(blank in text for blank in ("\n\n", "\n\r\n", empty_row + "\n", empty_row + "\r\n")):
        return None  # the store would not count an empty line, and the line numbers after it would be off
    _require(pd.DataFrame(columns=names), WERTE_REQUIRED, WERTE_OPTIONAL, name)
    utf8 = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if len(text) == len(utf8) and not utf8.isascii():
        utf8 = text.encode("utf-8")  # one character per byte although not ASCII: decoded as Windows-1252
    delimited = DelimitedFile(
        data=utf8,
        separator=separator,
        width=len(names),
        columns={WERTE_RAW[column]: position for position, column in enumerate(names) if column in WERTE_RAW},
        text=text,
        name=name,
    )
    return Reading(kind="werte", format="werte", frame=pd.DataFrame(columns=list(RAW_COLUMNS)), delimited=delimited)


def read_werte_text(delimited: DelimitedFile) -> Reading:
    """The slow way for a file the store could not read strictly: names each malformed line."""
    return read_werte(read_text_table(delimited.text, file=delimited.name), delimited.name)


OLD_EXCEL = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE2 compound file: Excel 97-2003
# Control characters other than tab and line ends; ESC starts the ANSI sequences that act on a terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
NOT_CONTROL = bytes(range(32, 127)) + b"\t\n\r" + bytes(range(128, 256))  # deleted, only control bytes remain


def refuse_control_characters(name: str, text: str) -> None:
    """Control characters (ANSI escapes, null bytes) in a file are refused, naming the first ten lines."""
    found = _CONTROL.search(text)
    problems: list[Problem] = []
    line, counted = 1, 0
    while found is not None and len(problems) < 10:  # one problem per line: jump to the next line
        line += text.count("\n", counted, found.start())
        counted = found.start()
        problems.append(
            Problem(
                name,
                line,
                None,
                None,
                "Diese Zeile enthält ein Steuerzeichen (z. B. eine ANSI-Farbsequenz oder ein Nullbyte); "
                "eine CSV-Datei enthält nur Text. Entfernen Sie es bitte.",
            )
        )
        end = text.find("\n", found.start())
        found = None if end < 0 else _CONTROL.search(text, end)
    if problems:
        raise InputRejectedError(problems)
