"""Reading delimited text the way people save it, and turning findings into located problems."""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from controlling.errors import Problem


def decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM) if it decodes, else Windows-1252, as DESIGN §5.1 asks."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def sniff_separator(header_line: str) -> str:
    """The separator of a header line: `;` unless the line has more commas than semicolons."""
    return "," if header_line.count(",") > header_line.count(";") else ";"


def read_text_table(text: str) -> pd.DataFrame:
    """Every cell as stripped text, header names lower-cased; line numbers are index + 2."""
    first_line = text.split("\n", 1)[0]
    frame = pd.read_csv(
        io.StringIO(text),
        sep=sniff_separator(first_line),
        dtype=str,
        keep_default_na=False,
        skip_blank_lines=True,
        skipinitialspace=True,
        index_col=False,
    )
    frame.columns = [str(column).strip().lower() for column in frame.columns]
    for column in frame.columns:
        frame[column] = frame[column].str.strip()
    return frame


def read_table_file(path: Path) -> pd.DataFrame:
    """read_text_table of a file on disk."""
    return read_text_table(decode(path.read_bytes()))


def line_numbers(frame: pd.DataFrame) -> pd.Series:
    """File line number of every row (header is line 1)."""
    return pd.Series(frame.index + 2, index=frame.index)


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


def parse_german_number(values: pd.Series) -> pd.Series:
    """Numbers with decimal comma or point and optional thousands separators; NaN where not a number."""
    text = values.astype(str).str.strip().str.replace(r"[\s\u00a0']", "", regex=True)
    both = text.str.contains(",", regex=False) & text.str.contains(".", regex=False)
    last_comma = text.str.rfind(",") > text.str.rfind(".")
    # 1.234,5 -> German; 1,234.5 -> English; otherwise a lone comma is the decimal mark.
    german = both & last_comma
    english = both & ~last_comma
    normalized = text.where(~german, text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    normalized = normalized.where(~english, normalized.str.replace(",", "", regex=False))
    lone_comma = ~both & text.str.contains(",", regex=False)
    normalized = normalized.where(~lone_comma, normalized.str.replace(",", ".", regex=False))
    # "1.234.567" (several points, no comma) is a German thousands grouping.
    grouped = ~both & (text.str.count(r"\.") > 1)
    normalized = normalized.where(~grouped, normalized.str.replace(".", "", regex=False))
    return pd.to_numeric(normalized.where(normalized != "", None), errors="coerce")
