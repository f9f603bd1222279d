"""Staging: a file being imported is read into the in-memory staging database and checked there."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from controlling.db.connection import STAGING_DB, Database
from controlling.db.intakes import write_intake
from controlling.db.number_sql import CELL_COLUMNS, TRIM
from controlling.db.staging_sql import (
    CHECK_SQL,
    CONFLICTS_SQL,
    DIFF_SQL,
    DUPLICATES_SQL,
    MAYBE_REPEATED_SQL,
    PROBLEMS_SQL,
    REPEATED_SQL,
    SEEN_SQL,
    SKIPPED_SQL,
    VERDICT_SQL,
    staged_name,
)
from controlling.db.values_sql import OBSERVATION_COLUMNS
from controlling.errors import StoreError
from controlling.numbers import TOLERANCE


class ChangedSinceCheckError(StoreError):
    """Values a preview compared have changed since (another session's import or undo): nothing was written."""

    def __init__(self, file_name: str, changed: pd.DataFrame) -> None:
        total = int(changed["total"].iloc[0])
        named = [_changed_key(row) for row in changed.to_dict("records")]  # at most ten
        more = f" und {total - len(named)} weitere" if total > len(named) else ""
        super().__init__(
            f"Seit der Prüfung von »{file_name}« wurden {total} der Werte geändert, in einer anderen Sitzung: "
            f"{'; '.join(named)}{more}. Es wurde nichts gespeichert. Bitte prüfen Sie die Datei erneut und "
            "sehen Sie sich die neue Vorschau an."
        )
        self.keys = changed


def _changed_key(row: Mapping[Hashable, Any]) -> str:
    """A key changed since the check, and by which intake: `BIL-01 03157 2020 (Import 7)`."""
    breakdown = f" {row['breakdown']}" if row["breakdown"] else ""
    seen, current = row["seen"], row["now"]
    if pd.notna(current) and (pd.isna(seen) or current > seen):
        how = f"Import {int(current)}"
    else:
        how = f"Import {int(seen)} rückgängig gemacht"
    return f"{row['indicator']} {row['area']} {row['year']}{breakdown} ({how})"


class StagingReadError(StoreError):
    """DuckDB could not read a file strictly; the caller reads it the slow way, which locates the fault."""


@dataclass(frozen=True)
class StagedSource:
    """Raw cells in the staging area: a file read as text columns, or a frame already read.

    `columns` maps each raw column (intake.frames.RAW_COLUMNS) to the staged column holding it; absent ones
    are empty. For a file, `line` is the row's position + 2 (the header is line 1) and `column` is
    `wert`.
    """

    table: str
    from_file: bool
    columns: Mapping[str, str]


@dataclass(frozen=True)
class StagedCheck:
    """A checked file: the staged valid rows, its problems and skipped rows (as codes from the store, worded
    by intake.validate), and how many rows are new, changed, unchanged."""

    table: str
    problems: pd.DataFrame  # line, column, value, problem, detail (worded: line, column, value, message)
    skipped: pd.DataFrame  # the same for rows left out on purpose
    counts: dict[str, int]  # new, changed, unchanged


_UNTRIMMED = ("indicator", "area", "year", "breakdown", *CELL_COLUMNS)


def _trimmed(cell: str) -> str:
    """The cell without leading and trailing whitespace; trimmed only where an edge may be blank (cheaper).

    `< '!'`: the cell starts with a control character or a space; `>= chr(160)` also lets through
    cells starting with a letter beyond ASCII, which trim leaves as they are.
    """
    edges = f"{cell} < '!' OR {cell} >= chr(160) OR ascii(right({cell}, 1)) <= 32 OR suffix({cell}, chr(160))"
    return f"CASE WHEN {edges} THEN trim({cell}, {TRIM}) ELSE {cell} END"


def _raw_select(source: StagedSource) -> str:
    """SELECT of the raw cells: cell_id (unique), line, column and the text columns ('' when empty)."""
    cells = []
    for name in OBSERVATION_COLUMNS:  # the raw text columns are named like the stored ones
        staged = source.columns.get(name)
        if staged is None:
            cells.append(f"'' AS {name}")
        elif source.from_file:
            cells.append(f"coalesce({staged if name in _UNTRIMMED else _trimmed(staged)}, '') AS {name}")
        else:
            cells.append(f"coalesce(CAST(\"{staged}\" AS VARCHAR), '') AS {name}")
    if source.from_file:
        head = "CAST(rowid + 2 AS INTEGER) AS line, 'wert' AS \"column\""
    else:  # a line of a wide or published file may hold several values
        head = 'CAST(line AS INTEGER) AS line, CAST("column" AS VARCHAR) AS "column"'
    return f"SELECT rowid AS cell_id, {head}, {', '.join(cells)} FROM {source.table}"


# A checked file nobody committed or discarded (a closed browser tab) is dropped after this long.
STAGED_LIFETIME_SECONDS = 6 * 3600


class Staging:
    """Files being imported, checked where their rows are: the in-memory staging database.

    The staging area owns its tables: a checked file's table lives until its commit, its discard, or the
    sweep that every new check makes of tables older than STAGED_LIFETIME_SECONDS.
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self._checked: dict[str, float] = {}  # checked table -> when it was made

    def sweep(self, *, older_than: float = STAGED_LIFETIME_SECONDS) -> list[str]:
        """Drop checked tables older than `older_than` seconds; returns their names."""
        now = time.monotonic()
        old = [table for table, made in list(self._checked.items()) if now - made > older_than]
        for table in old:
            self.drop(table)
        return old

    def stage_csv(self, path: Path, *, separator: str, width: int, columns: Mapping[str, int]) -> StagedSource:
        """A delimited UTF-8 file (header line first) as `width` text columns c0, c1, … in the staging area.

        `columns`: the position of each raw column (intake.frames.RAW_COLUMNS) the file has.

        Strict: a line with another number of fields, or a broken quote, raises StagingReadError, and
        the caller reads the file the slow way, which names each such line.
        """
        table = staged_name("file")
        types = {f"c{i}": "VARCHAR" for i in range(width)}
        with self._db.cursor() as cur:
            try:
                cur.execute(
                    f"""CREATE TABLE {table} AS SELECT * FROM read_csv($path, delim=$separator, header=false,
                            skip=1, columns=$columns, quote='"', escape='"', auto_detect=false)""",
                    {"path": str(path), "separator": separator, "columns": types},
                )
            except duckdb.Error as error:
                cur.execute(f"DROP TABLE IF EXISTS {table}")
                raise StagingReadError(str(error)) from error
        return StagedSource(table, from_file=True, columns={raw: f"c{i}" for raw, i in columns.items()})

    def stage_frame(self, frame: pd.DataFrame) -> StagedSource:
        """Raw cells of a values file already read (intake.frames.RAW_COLUMNS) in the staging area."""
        table = staged_name("frame")
        with self._db.cursor() as cur:
            cur.register("incoming", frame)
            cur.execute(f"CREATE TABLE {table} AS SELECT * FROM incoming")
            cur.unregister("incoming")
        return StagedSource(table, from_file=False, columns={str(c): str(c) for c in frame.columns})

    def check(
        self,
        source: StagedSource,
        *,
        indicators: pd.DataFrame,
        areas: pd.DataFrame,
        published: bool,
        wide: bool,
        years: tuple[int, int],
        decimal_default: str = "",
    ) -> StagedCheck:
        """Check every staged row (DESIGN §5.1, §5.4); the usable ones are compared with the current values.

        `indicators` (code, name, decimals, unit, aggregation, polarity, factor) and `areas` (code, name,
        valid_from, valid_to) may hold entries a commit is about to add. Problems come as codes with
        details; the intake words them. `decimal_default`: the decimal mark of the file's format (tabular.
        DECIMAL_*), used where no cell decides it.
        """
        self.sweep()
        checked, duplicates = staged_name("checked"), staged_name("duplicates")
        params = {
            "published": published,
            "wide": wide,
            "first_year": years[0],
            "last_year": years[1],
            "decimal_default": decimal_default,
        }
        references = {
            "ref_indicator": indicators[["code", "name", "decimals", "unit", "aggregation", "polarity", "factor"]],
            "ref_area": pd.DataFrame(
                {
                    "code": areas["code"],
                    "name": areas["name"],
                    "first_year": pd.to_datetime(areas["valid_from"]).dt.year.astype("Int32"),
                    "last_year": pd.to_datetime(areas["valid_to"]).dt.year.astype("Int32"),
                }
            ),
        }
        raw = _raw_select(source)
        with self._db.cursor() as cur:
            for name, frame in references.items():
                cur.register(name, frame)
            cur.execute(
                f"CREATE TABLE {checked} AS WITH raw AS NOT MATERIALIZED ({raw}), checks AS ({CHECK_SQL}) "
                + VERDICT_SQL.format(checked="checks"),
                params,
            )
            maybe_repeated = cur.execute(MAYBE_REPEATED_SQL.format(checked=checked)).fetchone()
            keys = DUPLICATES_SQL if maybe_repeated and maybe_repeated[0] > 0 else DUPLICATES_SQL + " LIMIT 0"
            cur.execute(f"CREATE TABLE {duplicates} AS " + keys.format(checked=checked))
            cur.execute(REPEATED_SQL.format(checked=checked, duplicates=duplicates))
            problems = cur.execute(PROBLEMS_SQL.format(checked=checked, duplicates=duplicates, raw=raw)).df()
            skipped = cur.execute(SKIPPED_SQL.format(checked=checked, raw=raw)).df()
            cur.execute(f"DROP TABLE {duplicates}")
            for name in references:
                cur.unregister(name)
            cur.execute(f"CREATE TABLE {checked}_seen AS " + SEEN_SQL.format(staged=checked))
        self._checked[checked] = time.monotonic()
        counts = self._status_counts(f"({DIFF_SQL.format(staged=checked)})", {"tolerance": TOLERANCE})
        return StagedCheck(table=checked, problems=problems, skipped=skipped, counts=counts)

    def _status_counts(self, rows: str, params: Mapping[str, Any] | None = None) -> dict[str, int]:
        """How many rows of a table or subquery with a `status` column are new, changed, unchanged."""
        frame = self._db.frame(f"SELECT status, count(*) AS n FROM {rows} GROUP BY status", dict(params or {}))
        found = dict(zip(frame["status"], frame["n"].astype(int), strict=True))
        return {status: found.get(status, 0) for status in ("new", "changed", "unchanged")}

    def counts(self, table: str) -> dict[str, int]:
        """How many usable staged rows are new, changed, unchanged."""
        return self._status_counts(f"({DIFF_SQL.format(staged=table)})", {"tolerance": TOLERANCE})

    def counts_by_indicator(self, table: str) -> pd.DataFrame:
        """Per indicator: how many usable staged rows are new, changed, unchanged, and of the changed how many
        restate a year before the indicator's newest year in the file (a publisher's correction, e.g. the
        Zensus 2022 rebasing); also the years and areas the rows cover."""
        return self._db.frame(
            f"""WITH d AS ({DIFF_SQL.format(staged=table)}),
                    newest AS (SELECT indicator, max(year) AS newest FROM d GROUP BY indicator)
                SELECT d.indicator,
                       count(*) FILTER (WHERE status = 'new') AS new,
                       count(*) FILTER (WHERE status = 'changed' AND year = newest) AS changed,
                       count(*) FILTER (WHERE status = 'changed' AND year < newest) AS restated,
                       count(*) FILTER (WHERE status = 'unchanged') AS unchanged,
                       min(year) AS first_year, max(year) AS last_year, count(DISTINCT area) AS areas
                FROM d JOIN newest USING (indicator) GROUP BY d.indicator ORDER BY d.indicator""",
            {"tolerance": TOLERANCE},
        )

    def refuse_outside(self, table: str, allowed: pd.DataFrame) -> pd.DataFrame:
        """Usable staged rows whose indicator × area is not among `allowed` (indicator, area) are rejected
        (a provider's upload, issue 14); returns them: line, indicator, area, in file order."""
        outside = f"""usable AND NOT EXISTS (SELECT 1 FROM allowed_pairs a
                      WHERE a.indicator = {table}.indicator AND a.area = {table}.area)"""
        with self._db.cursor() as cur:
            cur.register("allowed_pairs", allowed[["indicator", "area"]])
            refused = cur.execute(f"SELECT line, indicator, area FROM {table} WHERE {outside} ORDER BY line").df()
            cur.execute(f"UPDATE {table} SET usable = FALSE, rejected = TRUE WHERE {outside}")
            cur.unregister("allowed_pairs")
        return refused

    def rows(self, table: str, *, status: str | None = None, limit: int | None = None) -> pd.DataFrame:
        """Staged rows with their status (new, changed, unchanged) and the current values, in file order."""
        # The first rows by a window, not ORDER BY … LIMIT: DuckDB 2.0.0 returned every row for a
        # LIMIT over this join (its late-materialization rewrite); tests/intake/test_formats.py checks it.
        return self._db.large_frame(
            f"""SELECT * FROM ({DIFF_SQL.format(staged=table)}) WHERE $status IS NULL OR status = $status
                QUALIFY $limit IS NULL OR row_number() OVER (ORDER BY line) <= $limit ORDER BY line""",
            {"tolerance": TOLERANCE, "status": status, "limit": limit},
        )

    def _refuse_changed_since_check(self, table: str, file_name: str) -> None:
        """ChangedSinceCheckError naming up to ten keys changed since the check, and by which intake."""
        changed = self._db.frame(CONFLICTS_SQL.format(staged=table, seen=f"{table}_seen"))
        if changed.empty:
            return
        raise ChangedSinceCheckError(file_name, changed)

    def drop(self, table: str) -> None:
        """Forget a staged file (after its commit, or when its preview is discarded)."""
        if not table.startswith(f"{STAGING_DB}."):
            raise StoreError(f"»{table}« liegt nicht im Zwischenspeicher.")
        self._checked.pop(table, None)
        with contextlib.suppress(duckdb.Error), self._db.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {table}")
            cur.execute(f"DROP TABLE IF EXISTS {table}_seen")

    def commit(
        self, table: str, *, user: str, file_name: str, sha256: str, format: str, rows_rejected: int
    ) -> int | None:
        """Write the staged rows as one intake; None when nothing would change.

        Every usable row is stored, also one that restates the current value: undoing an earlier intake
        then leaves exactly what replaying the others gives. Optimistic: when any key holds another intake
        than at the check (another session committed or undid meanwhile), ChangedSinceCheckError and
        nothing is written.
        """
        with self._db.write_lock:  # nothing changes between comparing and writing
            self._refuse_changed_since_check(table, file_name)
            diff = f"({DIFF_SQL.format(staged=table)})"
            counts = {f"rows_{status}": n for status, n in self._status_counts(diff, {"tolerance": TOLERANCE}).items()}
            if counts["rows_new"] + counts["rows_changed"] == 0:
                self.drop(table)
                return None
            with self._db.transaction(writes=("intake", "observation", "audit_log")) as cur:
                source = diff
                intake_id = write_intake(
                    cur,
                    source,
                    user,
                    file_name,
                    sha256,
                    format,
                    {**counts, "rows_rejected": rows_rejected},
                    {"tolerance": TOLERANCE},
                )
            self.drop(table)  # committed: the staged rows are in the store now
            return intake_id
