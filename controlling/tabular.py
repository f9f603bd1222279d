"""Reading delimited text the way people save it, and turning findings into located problems."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from controlling.errors import InputRejectedError, Problem

ONCE = "Jede Spalte darf nur einmal vorkommen; löschen oder benennen Sie die doppelte Spalte."


# A byte sequence only UTF-8 writes (a lead byte and its continuation bytes): found in a file that is not
# UTF-8 as a whole, it means two encodings were mixed.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
_SAVE_AS = "Speichern Sie die Datei bitte einheitlich als UTF-8 (in Excel: »CSV UTF-8«)."


def decode(raw: bytes, file: str = "Datei") -> str:
    """UTF-8 (with or without BOM) if it decodes, else Windows-1252, as DESIGN §5.1 asks; UTF-16 with a BOM
    (Excel's "Unicode-Text") too. Mixed or broken encodings are refused, naming the first line."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as error:
            line = raw[: error.start].decode("utf-16", errors="replace").count("\n") + 1
            raise InputRejectedError(
                [Problem(file, line, None, None, f"Die UTF-16-Datei ist ab dieser Zeile beschädigt. {_SAVE_AS}")]
            ) from error
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        if _UTF8_SEQUENCE.search(raw, 0, error.start) or _UTF8_SEQUENCE.search(raw, error.end):
            raise InputRejectedError(
                [
                    Problem(
                        file,
                        line,
                        None,
                        None,
                        "Die Datei mischt Zeichenkodierungen: andere Zeilen sind UTF-8, diese nicht (Umlaute würden "
                        f"falsch gespeichert). {_SAVE_AS}",
                    )
                ]
            ) from error
    text = raw.decode("cp1252", errors="replace")
    broken = text.find("\ufffd")
    if broken >= 0:  # bytes Windows-1252 does not define
        line = text.count("\n", 0, broken) + 1
        raise InputRejectedError(
            [Problem(file, line, None, None, f"Diese Zeile enthält Bytes, die kein Zeichen ergeben. {_SAVE_AS}")]
        )
    return text


def sniff_separator(header_line: str) -> str:
    """The separator of a header line: `;` unless the line has more commas (or tabs) than semicolons."""
    commas, semicolons, tabs = header_line.count(","), header_line.count(";"), header_line.count("\t")
    if tabs > max(commas, semicolons):
        return "\t"  # Excel's "Unicode-Text" separates by tabs
    return "," if commas > semicolons else ";"


def read_delimited(text: str, *, file: str, sep: str | None = None, lower: bool = True) -> pd.DataFrame:
    """Every cell as stripped text under its (lower-cased) header; a line is never cut short silently.

    Lines with more fields than the header, and text pandas cannot parse (an unclosed quote), are
    reported as problems with their line numbers. Line numbers are index + 2: lines without any content
    (also `;;;`, as Excel saves empty rows) are left out but counted, so that a number is the line of the
    file or the row of the Excel sheet.
    """
    if "\x00" in text:
        raise InputRejectedError.about_file(file, "Die Datei enthält Nullbytes; sie ist keine Textdatei (CSV).")
    first_line = text.split("\n", 1)[0]
    separator = sep or sniff_separator(first_line)
    width = max(line.count(separator) for line in text.split("\n")) + 1
    try:
        cells = pd.read_csv(
            io.StringIO(text),
            sep=separator,
            header=None,
            names=list(range(width)),
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,  # dropped below, so that every line keeps its number
            index_col=False,
        )
    except (pd.errors.ParserError, ValueError) as error:
        # pandas words its findings in English: only the line number is taken from them.
        found = re.search(r"line (\d+)", str(error))
        opened = re.search(r"string starting at row (\d+)", str(error))  # rows count from 0: line = row + 1
        raise InputRejectedError(
            [
                Problem(
                    file,
                    int(found.group(1)) if found else int(opened.group(1)) + 1 if opened else None,
                    None,
                    None,
                    "Die Datei lässt sich hier nicht als CSV lesen. Prüfen Sie Anführungszeichen (ein nicht "
                    'geschlossenes ") und Trennzeichen (; oder ,).',
                )
            ]
        ) from error
    if cells.empty:
        return pd.DataFrame()
    header = [str(c).strip().lower() if lower else str(c).strip() for c in cells.iloc[0].fillna("")]
    used = max((i for i, name in enumerate(header) if name), default=-1) + 1
    rows = cells.iloc[1:]
    filled = rows.fillna("").apply(lambda column: column.str.strip() != "").any(axis=1).to_numpy()
    body: pd.DataFrame = rows.set_axis(rows.index - 1).loc[filled]  # index + 2 = line number
    extra = body.iloc[:, used:].apply(lambda column: column.str.strip() != "").any(axis=1) if used < width else None
    if extra is not None and extra.any():
        lines = body.index[extra] + 2
        raise InputRejectedError(
            [
                Problem(
                    file,
                    int(line),
                    None,
                    None,
                    f"Diese Zeile hat mehr Felder als die Kopfzeile ({used}); ist ein Trennzeichen zu viel "
                    "oder fehlt ein Spaltenname?",
                )
                for line in lines
            ]
        )
    repeated = sorted({name for name in header[:used] if name and header[:used].count(name) > 1})
    if repeated:
        raise InputRejectedError(
            [
                Problem(file, 1, name, None, f"Die Spalte »{name}« steht mehrfach in der Kopfzeile. {ONCE}")
                for name in repeated
            ]
        )
    body = body.iloc[:, :used]
    body.columns = header[:used]
    for column in body.columns:
        body[column] = body[column].fillna("").str.strip()
    return body


def read_text_table(text: str, *, file: str = "Datei") -> pd.DataFrame:
    """read_delimited with the separator detected from the header line."""
    return read_delimited(text, file=file)


def read_table_file(path: Path) -> pd.DataFrame:
    """read_text_table of a file on disk."""
    return read_text_table(decode(path.read_bytes(), path.name), file=path.name)


def problems_where(frame: pd.DataFrame, mask: pd.Series, *, file: str, column: str, message: str) -> list[Problem]:
    """One Problem per row where mask is true, with line, column and the cell's value."""
    hits = frame.loc[mask.fillna(False).astype(bool)]
    values = hits[column].astype(str) if column in hits.columns else pd.Series("", index=hits.index)
    return [
        Problem(file=file, line=int(index) + 2, column=column, value=value, message=message)
        for index, value in zip(hits.index, values, strict=True)
    ]


def missing_columns(frame: pd.DataFrame, required: Iterable[str], *, file: str) -> list[Problem]:
    """Problems for required columns that are absent, naming the columns that were found."""
    found = ", ".join(frame.columns) or "keine"
    return [
        Problem(
            file=file,
            line=1,
            column=name,
            value=None,
            message=f"Die Spalte »{name}« fehlt. Gefunden wurden: {found}.",
        )
        for name in required
        if name not in frame.columns
    ]


def _text_array(values: pd.Series) -> pa.Array:
    return pc.utf8_trim_whitespace(pa.array(values.astype(str), type=pa.string()))


# The decimal mark of a file (DESIGN §5.1): one rule for the whole file, never per Kennzahl.
DECIMAL_COMMA, DECIMAL_POINT, DECIMAL_UNDECIDED, DECIMAL_MIXED = ",", ".", "", "?"
_BLANKS = r"[\s\x{00a0}']"
_NUMERIC = r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$"
_POINT_GROUPS = r"^[-+]?\d{1,3}(\.\d{3})+(,\d*)?$"  # 1.234 or 1.234,5: points group thousands
_COMMA_GROUPS = r"^[-+]?\d{1,3}(,\d{3})+(\.\d*)?$"  # 1,234 or 1,234.5: commas group thousands


def _numeric(text: pa.Array) -> pa.Array:
    return pc.cast(pc.if_else(pc.match_substring_regex(text, _NUMERIC), text, None), pa.float64())


def number_readings(text: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Each text read with a decimal comma and read with a decimal point (null where that reading fails).

    With a decimal comma, points may only group thousands (1.234,5); with a decimal point, commas may only
    group thousands (1,234.5). Blanks and apostrophes inside a number are thousands separators too.
    """
    clean = pc.replace_substring_regex(text, _BLANKS, "")
    has_point, has_comma = pc.match_substring(clean, "."), pc.match_substring(clean, ",")
    point_groups = pc.match_substring_regex(clean, _POINT_GROUPS)
    comma_groups = pc.match_substring_regex(clean, _COMMA_GROUPS)
    as_comma = pc.if_else(point_groups, pc.replace_substring(clean, ".", ""), pc.if_else(has_point, None, clean))
    as_point = pc.if_else(comma_groups, pc.replace_substring(clean, ",", ""), pc.if_else(has_comma, None, clean))
    return _numeric(pc.replace_substring(as_comma, ",", ".")), _numeric(as_point)


def decimal_mark(text: pa.Array) -> str:
    """The decimal mark the cells decide: a comma where some cell reads only with a comma (12,5 or 1.234,5)
    and none only with a point, a point the other way round; undecided without such a cell, mixed with
    both."""
    comma, point = number_readings(text)
    comma_only = pc.any(pc.and_(pc.is_valid(comma), pc.is_null(point))).as_py()
    point_only = pc.any(pc.and_(pc.is_valid(point), pc.is_null(comma))).as_py()
    if comma_only and point_only:
        return DECIMAL_MIXED
    return DECIMAL_COMMA if comma_only else DECIMAL_POINT if point_only else DECIMAL_UNDECIDED


def parse_number_array(text: pa.Array, mark: str) -> pa.Array:
    """Numbers read with the file's decimal mark (see decimal_mark); null where not a number under it.

    Undecided or mixed: only a text both readings agree on is a number (1234, not 1.500 or 12,5).
    """
    comma, point = number_readings(text)
    if mark == DECIMAL_COMMA:
        return comma
    if mark == DECIMAL_POINT:
        return point
    return pc.if_else(pc.equal(comma, point), comma, None)


def parse_german_number(values: pd.Series, mark: str | None = None) -> pd.Series:
    """parse_number_array for a pandas column, with the mark the column itself decides unless one is given
    (a column is a file's column, or a form's one field); NaN where not a number."""
    text = _text_array(values.fillna(""))
    numbers = parse_number_array(text, decimal_mark(text) if mark is None else mark)
    return pd.Series(numbers.to_numpy(zero_copy_only=False), index=values.index, dtype=float)


def map_text(values: pd.Series, mapping: dict[str, str], default: str = "") -> pd.Series:
    """values.map(mapping) as text, `default` where unmapped (also when the mapping is empty)."""
    codes, uniques = pd.factorize(values)  # a few distinct values among millions: each mapped once
    found = pd.Series(uniques).map(pd.Series(mapping, dtype=object)).astype(object)
    table = np.append(found.where(found.notna(), default).to_numpy(dtype=object), default)
    return pd.Series(table[np.where(codes < 0, len(uniques), codes)], index=values.index, dtype=object)


def lookup(keys: pd.Series, table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """table.loc[keys, columns] aligned to keys (NaN rows for unknown or missing keys), via factorize:
    the distinct keys are looked up once, which matters for a million rows with a few hundred keys."""
    codes, uniques = pd.factorize(keys)
    missing = "\x00fehlt"  # a key no table holds: its row of NaN serves codes of -1
    found = table.reindex(pd.Index([*uniques, missing]))[columns].reset_index(drop=True)
    return found.iloc[np.where(codes < 0, len(uniques), codes)].set_axis(keys.index)
