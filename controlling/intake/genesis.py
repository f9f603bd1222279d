"""GENESIS / Regionalstatistik classic tables ("Werteabruf") in any of their layouts (DESIGN §5.3).

A classic table is read by its structure, not by a fixed column order: title lines, then blocks of
header rows (column dimensions, an optional date row, a unit row) and data rows `[Zeit;]Schlüssel;Name;
[Zeilenmerkmale…;]Werte…`, optionally a line holding only the time above a block, footer after `______`.
Each value cell is one observation; its row and column dimensions form the breakdown.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import PurePath

import numpy as np
import pandas as pd

from controlling.errors import InputRejectedError
from controlling.formatting import format_number
from controlling.intake.frames import TOTAL_LABELS, Reading, canonical_breakdown, raw_frame, series_code

KEY = r"DG|\d{2,12}"
TIME = r"(?:\d{2}\.\d{2}\.)?\d{4}"
DATE = re.compile(r"^(?:\d{2}\.\d{2}\.)?(\d{4})$")
UNIT = re.compile(
    r"^(Anzahl|Prozent|%|‰|Promille|Jahre|Monate|Tage|Stunden|Personen|EUR|Euro|Tsd\.?( EUR)?|1000( EUR)?|"
    r"Tausend( EUR)?|Mill\.? EUR|ha|qkm|km²|m²|Quote|Index)$"
)
SEX = {"männlich", "weiblich", "männer", "frauen", "insgesamt"}
NATIONALITY = {"deutsche", "ausländer", "ausländer(innen)", "ausländerinnen", "insgesamt"}


@dataclass(frozen=True)
class Layout:
    """What one block's header says: where values start, and the dimensions, year and unit per column."""

    value_start: int
    columns: pd.DataFrame  # index: value column position; columns: Merkmal -> Ausprägung
    years: dict[int, str]  # value column position -> year, when the header holds the time
    units: dict[int, str]


def read_genesis_classic(text: str, file: str) -> Reading:
    """Read a classic GENESIS table in any layout into raw cells; the preview notes name what was found."""
    cells = _cells(text)
    first, second = cells[0], cells[1] if 1 in cells else pd.Series("", index=cells.index)
    rest_empty = (cells.iloc[:, 1:] == "").all(axis=1)
    is_time = first.str.fullmatch(TIME) & rest_empty
    is_data = ~rest_empty & (first.str.fullmatch(KEY) | (first.str.fullmatch(TIME) & second.str.fullmatch(KEY)))
    is_header = (first == "") & ~rest_empty & ~is_data
    seen_header = is_header.cumsum() > 0
    starts = is_header & ~is_header.shift(fill_value=False)
    block = starts.cumsum().where(seen_header)
    time_line = first.where(is_time).ffill()
    title_lines = first[~seen_header & ~is_time & (first != "")]
    title = title_lines.iloc[0] if len(title_lines) else ""
    table_code = title.split(":", 1)[1].strip() if ":" in title else PurePath(file).stem
    subtitle = " ".join(title_lines.iloc[1:].tolist())
    frames: list[pd.DataFrame] = []
    notes: list[str] = []
    for number in block[is_data].dropna().unique():  # one pass per block of header rows: a handful
        members = block == number
        header = cells.loc[members & is_header].to_numpy().tolist()
        data = cells.loc[members & is_data]
        frame, layout = _read_block(header, data, time_line[data.index], subtitle)
        if frame.empty:
            continue
        frames.append(frame)
        if not notes:
            notes = _describe(frame, layout, data[0].head(100))
    if not frames:
        raise InputRejectedError.about_file(
            file,
            "In dieser GENESIS-Tabelle wurden keine Datenzeilen gefunden. Erwartet werden Kopfzeilen und danach "
            "Zeilen mit [Zeit;]Schlüssel;Name;[Merkmale;]Werte (z. B. 03157;Peine, Landkreis;133965).",
        )
    key = series_code("GENESIS", table_code)
    frame = pd.concat(frames, ignore_index=True).assign(series=key)
    title_text = f"GENESIS {table_code}: {title_lines.iloc[1] if len(title_lines) > 1 else ''}".strip()
    return Reading(kind="werte", format="genesis", frame=frame, series={key: title_text}, notes=notes)


def _cells(text: str) -> pd.DataFrame:
    """Every line before the footer as stripped text cells; index + 1 is the line number."""
    footer = re.search(r"(?m)^[ \t]*__________", text)
    body = text[: footer.start()] if footer else text
    width = int(pd.Series(body.split("\n")).str.count(";").max()) + 1
    cells = pd.read_csv(
        io.StringIO(body),
        sep=";",
        header=None,
        names=list(range(width)),
        dtype=str,
        keep_default_na=False,
        quoting=3,  # quotes are text in a classic table
        skip_blank_lines=False,
        engine="c",
    ).fillna("")
    stripped: pd.DataFrame = cells.apply(lambda column: column.str.strip())
    return stripped


def _read_block(
    header: list[list[str]], cells: pd.DataFrame, block_time: pd.Series, subtitle: str
) -> tuple[pd.DataFrame, Layout]:
    used = (cells != "").any().to_numpy()
    width = int(np.flatnonzero(used).max()) + 1 if used.any() else 1
    head = cells[[0, 1]]
    with_time = bool(head[0].str.fullmatch(TIME).all() and head[1].str.fullmatch(KEY).all())
    key_at = 1 if with_time else 0
    layout = _layout(header, width, first_value=key_at + 2)
    row_positions = list(range(key_at + 2, layout.value_start))
    row_dims = cells[row_positions] if row_positions else None
    row_names = _row_dimension_names(row_dims, layout, subtitle)
    value_positions = [p for p in range(layout.value_start, width) if p in layout.columns.index]
    if not value_positions:
        return raw_frame(), layout  # names without a single value cell
    time = cells[0] if with_time else block_time.fillna("")
    times, time_index = pd.factorize(time)  # a handful of distinct times: the year found once each
    years = pd.Series(time_index, dtype=object).str.extract(r"(\d{4})\s*$", expand=False)
    row = row_dims.groupby(row_positions, sort=False).ngroup().to_numpy() if row_dims is not None else None
    # Cells column by column (as melt orders them); text is taken from its column, never copied per cell.
    lines, count = len(cells), len(value_positions)
    each_line = np.tile(np.arange(lines), count)
    each_column = np.repeat(np.arange(count), lines)
    line_year = _text(years.fillna(pd.Series(time_index, dtype=object)).to_numpy(dtype=object)[times])
    year = line_year.take(each_line).reset_index(drop=True)
    if layout.years:
        column_year = _text([layout.years.get(p, "") for p in value_positions]).take(each_column)
        year = column_year.reset_index(drop=True).where(column_year.to_numpy() != "", year)
    frame = raw_frame(
        line=np.tile(cells.index.to_numpy() + 1, count),
        column=_text([f"Spalte {p + 1}" for p in value_positions]).take(each_column).reset_index(drop=True),
        area=cells[key_at].take(each_line).reset_index(drop=True),
        area_name=cells[key_at + 1].take(each_line).reset_index(drop=True),
        year=year,
        value=pd.concat([cells[p] for p in value_positions], ignore_index=True),
        breakdown=_breakdowns(row, lines, row_dims, row_names, layout, value_positions),
        indicator="",
    )
    return frame, layout


def _text(values: object) -> pd.Series:
    """A small column of text, to be taken from (`take` copies no Python objects)."""
    return pd.Series(values, dtype="str")


def _breakdowns(
    row: np.ndarray | None,
    lines: int,
    row_dims: pd.DataFrame | None,
    row_names: list[str],
    layout: Layout,
    positions: list[int],
) -> pd.Series:
    """The canonical breakdown of every cell, computed once per distinct (row labels, column)."""
    rows = 1 if row is None else int(row.max()) + 1 if len(row) else 1
    combos = pd.MultiIndex.from_product([range(rows), positions], names=["row", "position"]).to_frame(index=False)
    pairs = layout.columns.loc[combos["position"].to_numpy()].reset_index(drop=True)
    if row_dims is not None and row is not None:
        first_line = pd.Series(range(len(row))).groupby(row).first()
        labels = row_dims.iloc[first_line.loc[combos["row"].to_numpy()].to_numpy()].reset_index(drop=True)
        labels.columns = row_names
        pairs = pd.concat([pairs, labels], axis=1)
    table = _text(canonical_breakdown(pairs).to_numpy(dtype=object))  # rows × positions, row-major
    per_line = np.zeros(lines, dtype=np.int64) if row is None else row.astype(np.int64)
    index = (per_line[None, :] * len(positions) + np.arange(len(positions))[:, None]).ravel()  # column by column
    return table.take(index).reset_index(drop=True)


def _layout(header: list[list[str]], width: int, first_value: int) -> Layout:
    """Interpret a block's header rows: date row, unit row, name rows and label rows of column dimensions."""
    padded = [[cell.strip() for cell in row[:width]] + [""] * (width - len(row)) for row in header]
    grid = pd.DataFrame(padded, columns=range(width)) if padded else pd.DataFrame(columns=range(width))
    used = [p for p in range(width) if len(grid) and (grid[p] != "").any()]
    value_start = max(min(used, default=first_value), first_value)
    grid = grid.loc[:, value_start:]
    years: dict[int, str] = {}
    units: dict[int, str] = {}
    label_rows: list[pd.Series] = []
    for _, row in grid.iterrows():  # a handful of header rows
        present = row[row != ""]
        if len(present) and present.map(_is_year).all():
            years = {int(str(p)): str(v)[-4:] for p, v in present.items()}
        elif len(present) and present.map(lambda cell: bool(UNIT.match(cell))).all() and len(label_rows):
            units = {int(str(p)): str(v) for p, v in present.items()}
        elif len(present):
            label_rows.append(row)
    names_at = [
        index + 1 < len(label_rows) and _is_name_row(row, label_rows[index + 1]) for index, row in enumerate(label_rows)
    ]
    columns = pd.DataFrame(index=pd.Index(grid.columns.astype(int)))
    unnamed = 0
    for index, row in enumerate(label_rows):
        if names_at[index]:
            continue
        above = label_rows[index - 1] if index and names_at[index - 1] else None
        default = _guess_name(set(row[row != ""].str.lower()))
        if default is None:
            unnamed += 1
            default = "Merkmal" if unnamed == 1 else f"Merkmal {unnamed}"
        names = above.where(above != "", default) if above is not None else pd.Series(default, index=row.index)
        for name in names.unique():
            labels = row.where(names == name, "").replace("", "Insgesamt")
            column = str(name) if name not in columns else f"{name} ({index + 1})"
            columns[column] = labels.to_numpy()
    # A dimension with one label across the whole table says nothing about a single cell.
    varying = [c for c in columns.columns if columns[c].nunique() > 1]
    return Layout(value_start, columns[varying], years, units)


def _is_year(cell: str) -> bool:
    """A header cell that names a time (`31.12.2023`, `2023`), not a unit written as a number (`1000`)."""
    match = DATE.match(cell)
    return match is not None and 1900 <= int(match.group(1)) <= 2100


def _is_name_row(row: pd.Series, below: pd.Series) -> bool:
    """A row naming the dimension of the row below: filled exactly where that row is, and the labels below
    vary within a run of one name (`Geschlecht` over `Insgesamt;männlich;weiblich`)."""
    filled = row != ""
    if not filled.equals(below != ""):
        return False
    # `Insgesamt | Deutsche | Ausländer(innen)` over `Insgesamt | männlich | weiblich`: labels of an outer
    # dimension without its name, not names (no dimension is called "Insgesamt" or "Deutsche").
    values = set(row[filled].str.strip().str.lower())
    if values & set(TOTAL_LABELS) or _guess_name(values) is not None:
        return False
    return bool(below[filled].groupby(row[filled]).nunique().gt(1).any())


def _guess_name(labels: set[str]) -> str | None:
    """Name a dimension the header leaves unnamed from its labels, where they say it plainly."""
    labels = {label.strip().lower() for label in labels} - {""}
    if labels and labels <= SEX and labels != {"insgesamt"}:
        return "Geschlecht"
    if labels and labels <= NATIONALITY and labels != {"insgesamt"}:
        return "Nationalität"
    return None


def _row_dimension_names(row_dims: pd.DataFrame | None, layout: Layout, subtitle: str) -> list[str]:
    """Names of the text columns between region and values: from their labels or the title (`nach Schulart`)."""
    if row_dims is None:
        return []
    from_title = [
        phrase.strip()
        for phrase in re.findall(r"nach ([A-ZÄÖÜ][\w\s.]*?)(?= und |\s-|,|\(|;|$)", subtitle)
        if phrase.strip()
    ]
    taken = set(layout.columns.columns)
    names: list[str] = []
    for position in row_dims.columns:
        labels = set(row_dims[position].unique())
        name = _guess_name(labels)
        if name is None and any("jahre" in label.lower() for label in labels):
            name = "Altersgruppe"
        if name is None:
            name = next((p for p in from_title if p not in taken and p not in ("Geschlecht", "Altersgruppen")), None)
        name = name or f"Zeilenmerkmal {len(names) + 1}"
        name = name if name not in taken else f"{name} (Zeile)"
        taken.add(name)
        names.append(name)
    return names


def _describe(frame: pd.DataFrame, layout: Layout, first: pd.Series) -> list[str]:
    """German lines for the preview: time, regions, row and column dimensions, units."""
    notes = []
    if layout.years:
        notes.append("Zeit: Kopfzeile mit Stichtagen (" + ", ".join(sorted(set(layout.years.values()))) + ")")
    elif first.str.fullmatch(TIME).all():
        notes.append(f"Zeit: eigene Spalte (z. B. {first.iloc[0]})")
    else:
        notes.append("Zeit: Zeile über jedem Block")
    notes.append(f"Gebiete: {format_number(frame['area'].nunique(), 0)} Schlüssel (z. B. {frame['area'].iloc[0]})")
    breakdowns = [str(cell) for cell in frame["breakdown"].unique()]
    by_name: dict[str, list[str]] = {}
    for pair in dict.fromkeys(pair for cell in breakdowns for pair in cell.split("|") if pair):
        name, _, label = pair.partition("=")
        by_name.setdefault(name, []).append(label)
    for name, labels in by_name.items():
        with_total = any(f"{name}=" not in cell for cell in breakdowns)
        shown = (["Insgesamt"] if with_total else []) + labels
        notes.append(f"Merkmal »{name}«: " + ", ".join(shown[:7]) + (" …" if len(shown) > 7 else ""))
    if layout.units:
        notes.append("Einheiten: " + ", ".join(dict.fromkeys(layout.units.values())))
    notes.append(f"Reihen (Aufschlüsselungen): {format_number(frame['breakdown'].nunique(), 0)}")
    return notes
