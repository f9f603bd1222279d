"""DuckDB store: schema migrations, connections, transactions and every SQL statement of the product."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from controlling.errors import NotFoundError, SchemaTooNewError, StoreError, StoreLockedError

DEFAULT_DB_PATH = Path("data") / "controlling.duckdb"


# DuckDB's own memory (buffers, hash tables); beyond it DuckDB spills to disk. Keeps the largest
# status table (6.6 million values) under 2 GiB for the whole process.
DEFAULT_MEMORY_LIMIT = "1GB"


def default_db_path() -> Path:
    """Database path from the environment variable CONTROLLING_DB, else data/controlling.duckdb."""
    return Path(os.environ.get("CONTROLLING_DB") or DEFAULT_DB_PATH)


@dataclass(frozen=True)
class Migration:
    """One numbered schema step; applied once, recorded in schema_migration."""

    version: int
    name: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "Grundschema: Stammdaten, Werte, Ziele, Importe",
        (
            """CREATE TABLE field (
                code VARCHAR PRIMARY KEY,
                name VARCHAR NOT NULL UNIQUE,
                sort_order INTEGER NOT NULL,
                rated BOOLEAN NOT NULL DEFAULT TRUE)""",
            """CREATE TABLE area (
                code VARCHAR PRIMARY KEY,
                name VARCHAR NOT NULL,
                level VARCHAR NOT NULL CHECK (level IN ('land', 'kreis', 'gemeinde')),
                parent VARCHAR,
                valid_from DATE,
                valid_to DATE,
                successor VARCHAR,
                comparison BOOLEAN NOT NULL DEFAULT FALSE)""",
            """CREATE TABLE indicator (
                code VARCHAR PRIMARY KEY,
                name VARCHAR NOT NULL,
                field VARCHAR NOT NULL REFERENCES field (code),
                unit VARCHAR NOT NULL,
                polarity VARCHAR NOT NULL CHECK (polarity IN ('hoch', 'niedrig', 'neutral')),
                decimals INTEGER NOT NULL DEFAULT 1,
                aggregation VARCHAR NOT NULL CHECK (aggregation IN ('summe', 'quote', 'keine')),
                factor DOUBLE,
                definition VARCHAR NOT NULL DEFAULT '',
                source VARCHAR NOT NULL DEFAULT '',
                threshold_green DOUBLE,
                threshold_yellow DOUBLE,
                retired BOOLEAN NOT NULL DEFAULT FALSE)""",
            "CREATE SEQUENCE intake_id_seq START 1",
            """CREATE TABLE intake (
                id INTEGER PRIMARY KEY DEFAULT nextval('intake_id_seq'),
                created_at TIMESTAMP NOT NULL,
                user_name VARCHAR NOT NULL,
                file_name VARCHAR NOT NULL,
                sha256 VARCHAR NOT NULL,
                format VARCHAR NOT NULL,
                rows_new INTEGER NOT NULL DEFAULT 0,
                rows_changed INTEGER NOT NULL DEFAULT 0,
                rows_unchanged INTEGER NOT NULL DEFAULT 0,
                rows_rejected INTEGER NOT NULL DEFAULT 0,
                state VARCHAR NOT NULL CHECK (state IN ('committed', 'undone')),
                undone_at TIMESTAMP,
                undone_by VARCHAR)""",
            # No primary key on purpose: an ART index over millions of rows would slow every bulk
            # intake; uniqueness of (key, intake_id) is guaranteed by the intake's validation.
            """CREATE TABLE observation (
                indicator VARCHAR NOT NULL,
                area VARCHAR NOT NULL,
                year INTEGER NOT NULL,
                breakdown VARCHAR NOT NULL DEFAULT '',
                value DOUBLE,
                numerator DOUBLE,
                denominator DOUBLE,
                flag VARCHAR,
                note VARCHAR,
                intake_id INTEGER NOT NULL)""",
            """CREATE VIEW current_observation AS
                SELECT o.* FROM observation o
                JOIN intake i ON i.id = o.intake_id AND i.state = 'committed'
                QUALIFY row_number() OVER (
                    PARTITION BY o.indicator, o.area, o.year, o.breakdown
                    ORDER BY o.intake_id DESC) = 1""",
            "CREATE SEQUENCE target_id_seq START 1",
            """CREATE TABLE target (
                id INTEGER PRIMARY KEY DEFAULT nextval('target_id_seq'),
                indicator VARCHAR NOT NULL,
                area VARCHAR NOT NULL,
                target_year INTEGER NOT NULL,
                target_value DOUBLE NOT NULL,
                baseline_year INTEGER NOT NULL,
                decision VARCHAR NOT NULL DEFAULT '',
                valid_from DATE NOT NULL,
                valid_to DATE,
                created_by VARCHAR NOT NULL,
                created_at TIMESTAMP NOT NULL,
                CHECK (target_year > baseline_year))""",
        ),
    ),
    Migration(
        2,
        "Einordnungen, Maßnahmen und Änderungsprotokoll",
        (
            "CREATE SEQUENCE comment_id_seq START 1",
            """CREATE TABLE comment (
                id INTEGER PRIMARY KEY DEFAULT nextval('comment_id_seq'),
                indicator VARCHAR NOT NULL,
                area VARCHAR NOT NULL,
                year INTEGER NOT NULL,
                text VARCHAR NOT NULL,
                author VARCHAR NOT NULL,
                created_at TIMESTAMP NOT NULL)""",
            "CREATE SEQUENCE measure_id_seq START 1",
            """CREATE TABLE measure (
                id INTEGER PRIMARY KEY DEFAULT nextval('measure_id_seq'),
                title VARCHAR NOT NULL,
                description VARCHAR NOT NULL DEFAULT '',
                responsible VARCHAR NOT NULL,
                status VARCHAR NOT NULL
                    CHECK (status IN ('geplant', 'laufend', 'abgeschlossen', 'ausgesetzt')),
                due_date DATE,
                created_at TIMESTAMP NOT NULL)""",
            """CREATE TABLE measure_indicator (
                measure_id INTEGER NOT NULL,
                indicator VARCHAR NOT NULL,
                PRIMARY KEY (measure_id, indicator))""",
            "CREATE SEQUENCE audit_id_seq START 1",
            """CREATE TABLE audit_log (
                id INTEGER PRIMARY KEY DEFAULT nextval('audit_id_seq'),
                changed_at TIMESTAMP NOT NULL,
                user_name VARCHAR NOT NULL,
                action VARCHAR NOT NULL,
                entity VARCHAR NOT NULL,
                entity_key VARCHAR NOT NULL,
                old_value VARCHAR,
                new_value VARCHAR)""",
        ),
    ),
    # Materialized "current version" flag: reading current values is then a filter, not a window over
    # every version (6.6 million rows in the benchmark). Commit and undo keep it right; the definition is
    # unchanged: the current value is the one from the newest intake that was not undone.
    Migration(
        3,
        "Aktuelle Version je Wert als Spalte",
        (
            "ALTER TABLE observation ADD COLUMN is_current BOOLEAN DEFAULT FALSE",
            """UPDATE observation SET is_current = TRUE FROM (
                   SELECT o.indicator, o.area, o.year, o.breakdown, max(o.intake_id) AS intake_id
                   FROM observation o JOIN intake i ON i.id = o.intake_id AND i.state = 'committed'
                   GROUP BY ALL) AS newest
               WHERE observation.indicator = newest.indicator AND observation.area = newest.area
                 AND observation.year = newest.year AND observation.breakdown = newest.breakdown
                 AND observation.intake_id = newest.intake_id""",
            "DROP VIEW current_observation",
            "CREATE VIEW current_observation AS SELECT * FROM observation WHERE is_current",
        ),
    ),
    Migration(
        4,
        "Zuordnung fremder Quellen zu Kennzahlen",
        (
            """CREATE TABLE source_mapping (
                source VARCHAR PRIMARY KEY,
                indicator VARCHAR NOT NULL,
                total_breakdown VARCHAR NOT NULL DEFAULT '',
                add_comparison_areas BOOLEAN NOT NULL DEFAULT FALSE,
                created_by VARCHAR NOT NULL,
                created_at TIMESTAMP NOT NULL)""",
        ),
    ),
    Migration(
        5,
        "Konten und Rollen",
        (
            """CREATE TABLE user_account (
                name VARCHAR PRIMARY KEY,
                role VARCHAR NOT NULL CHECK (role IN ('betrachter', 'referat', 'admin')),
                password_hash VARCHAR NOT NULL,
                created_at TIMESTAMP NOT NULL,
                disabled BOOLEAN NOT NULL DEFAULT FALSE)""",
        ),
    ),
)

OBSERVATION_COLUMNS = (
    "indicator",
    "area",
    "year",
    "breakdown",
    "value",
    "numerator",
    "denominator",
    "flag",
    "note",
)


# Current totals plus computed county values and merged Gemeinden on today's boundaries (§3.3).
# Named parameters: $all_indicators, $indicators (codes). Not materialized: a filtered scan of the
# observation table is cheaper than writing 6.6 million rows aside and reading them back.
CURRENT_CTE = """
WITH cur AS NOT MATERIALIZED (
    SELECT indicator, area, year, value, numerator, denominator, flag, intake_id
    FROM observation
    WHERE is_current AND breakdown = '' AND ($all_indicators OR list_contains($indicators, indicator))
),"""
# The values as they were right after intake N (a report's data version): per key the newest version
# from an intake up to N that is committed. Named parameters: $all_indicators, $indicators, $as_of.
# Materialized, because the window over every version is worth computing once.
AS_OF_CTE = """
WITH cur AS MATERIALIZED (
    SELECT o.indicator, o.area, o.year, o.value, o.numerator, o.denominator, o.flag, o.intake_id
    FROM observation o JOIN intake i ON i.id = o.intake_id AND i.state = 'committed'
    WHERE o.breakdown = '' AND ($all_indicators OR list_contains($indicators, o.indicator)) AND o.intake_id <= $as_of
    QUALIFY row_number() OVER (PARTITION BY o.indicator, o.area, o.year ORDER BY o.intake_id DESC) = 1
),"""
VALUES_SQL = """
span AS (
    SELECT code, level, parent, successor,
           coalesce(year(valid_from), 0) AS first_year, coalesce(year(valid_to), 9999) AS last_year
    FROM area
),
years AS (SELECT DISTINCT year FROM cur),
expected AS (
    SELECT s.parent AS area, y.year, count(*) AS parts
    FROM span s JOIN years y ON y.year BETWEEN s.first_year AND s.last_year
    WHERE s.level = 'gemeinde'
    GROUP BY ALL
),
merged_expected AS (
    SELECT s.successor AS area, y.year, count(*) AS parts
    FROM span s JOIN span n ON n.code = s.successor
    JOIN years y ON y.year < n.first_year AND y.year BETWEEN s.first_year AND s.last_year
    GROUP BY ALL
),
parts AS (
    SELECT c.indicator, s.parent AS area, c.year, c.value, c.numerator, c.denominator, FALSE AS converted
    FROM cur c JOIN span s ON s.code = c.area AND s.level = 'gemeinde' AND c.year BETWEEN s.first_year AND s.last_year
    UNION ALL
    SELECT c.indicator, s.successor AS area, c.year, c.value, c.numerator, c.denominator, TRUE AS converted
    FROM cur c JOIN span s ON s.code = c.area AND s.successor IS NOT NULL
    JOIN span n ON n.code = s.successor AND c.year < n.first_year
),
combined AS (
    SELECT p.indicator, p.area, p.year, p.converted, i.aggregation,
           CASE WHEN i.aggregation = 'summe' THEN sum(p.value)
                ELSE sum(p.numerator) / sum(p.denominator) * i.factor END AS value,
           CASE WHEN i.aggregation = 'quote' THEN sum(p.numerator) END AS numerator,
           CASE WHEN i.aggregation = 'quote' THEN sum(p.denominator) END AS denominator,
           count(p.value) AS with_value,
           count(*) FILTER (WHERE p.numerator IS NOT NULL AND p.denominator IS NOT NULL) AS with_ratio
    FROM parts p JOIN indicator i ON i.code = p.indicator AND i.aggregation IN ('summe', 'quote')
    GROUP BY p.indicator, p.area, p.year, p.converted, i.aggregation, i.factor
),
computed AS (
    SELECT c.indicator, c.area, c.year, c.value, c.numerator, c.denominator, c.converted
    FROM combined c
    LEFT JOIN expected e ON NOT c.converted AND e.area = c.area AND e.year = c.year
    LEFT JOIN merged_expected m ON c.converted AND m.area = c.area AND m.year = c.year
    WHERE (c.aggregation = 'summe' AND c.with_value = coalesce(e.parts, m.parts))
       OR (c.aggregation = 'quote' AND c.with_ratio = coalesce(e.parts, m.parts) AND c.denominator > 0)
),
-- A stored value wins over a computed one; only Kreis and successor rows can clash, so only those
-- stored rows are compared (not all 6.6 million).
stored_wholes AS (
    SELECT indicator, area, year FROM cur
    WHERE area IN (SELECT parent FROM span UNION ALL SELECT successor FROM span)
),
all_values AS (
    SELECT indicator, area, year, value, numerator, denominator, flag, intake_id,
           FALSE AS computed, FALSE AS converted
    FROM cur
    UNION ALL
    SELECT k.indicator, k.area, k.year, k.value, k.numerator, k.denominator, NULL, NULL, TRUE, k.converted
    FROM computed k ANTI JOIN stored_wholes c ON c.indicator = k.indicator AND c.area = k.area AND c.year = k.year
)
"""

# Appended to VALUES_SQL. Named parameters: $year (the latest year considered), $day (targets in force).
# One pass over all values per indicator × area: the six newest years up to $year hold the whole
# window [t − 5, t] (years are unique per pair), and the baseline value is picked on the way. The
# baseline is looked up over all years, so a status asked for a year before the baseline year reads
# "no development since the baseline year yet" (§4.1 rule 3), not "no baseline value".
STATUS_INPUTS_SQL = """,
in_force AS (
    SELECT id, indicator, area, target_value, target_year, baseline_year FROM target
    WHERE valid_from <= $day AND (valid_to IS NULL OR valid_to >= $day)
),
own AS (SELECT * FROM in_force WHERE area <> '*'),
star AS (SELECT * FROM in_force WHERE area = '*'),
rated AS (
    SELECT v.indicator, v.area, v.year, v.value, v.computed, v.converted,
           coalesce(o.baseline_year, s.baseline_year) AS baseline_year
    FROM all_values v
    LEFT JOIN own o ON o.indicator = v.indicator AND o.area = v.area
    LEFT JOIN star s ON s.indicator = v.indicator
    WHERE v.value IS NOT NULL
),
pairs AS (
    SELECT indicator, area,
           max(year, 6) FILTER (WHERE year <= $year) AS years,
           arg_max(value, year, 6) FILTER (WHERE year <= $year) AS vals,
           arg_max(computed, year) FILTER (WHERE year <= $year) AS computed,
           arg_max(converted, year) FILTER (WHERE year <= $year) AS converted,
           any_value(value) FILTER (WHERE year = baseline_year) AS baseline_value
    FROM rated
    GROUP BY indicator, area
    HAVING count(*) FILTER (WHERE year <= $year) > 0
),
window_stats AS (
    SELECT *, len(list_filter(years, lambda y: y >= years[1] - 5)) AS window_values FROM pairs
)
SELECT w.indicator, w.area, w.years[1] AS year, w.vals[1] AS value, w.computed, w.converted,
       w.window_values,
       w.years[w.window_values] AS window_start, w.vals[w.window_values] AS window_start_value,
       CASE WHEN w.window_values > 1 THEN w.years[2] END AS previous_year,
       CASE WHEN w.window_values > 1 THEN w.vals[2] END AS previous_value,
       CASE WHEN o.id IS NOT NULL THEN w.area WHEN s.id IS NOT NULL THEN '*' END AS target_area,
       coalesce(o.target_value, s.target_value) AS target_value,
       coalesce(o.target_year, s.target_year) AS target_year,
       coalesce(o.baseline_year, s.baseline_year) AS baseline_year,
       w.baseline_value,
       i.name AS indicator_name, i.field, f.name AS field_name, i.unit, i.decimals, i.polarity,
       i.threshold_green, i.threshold_yellow, a.name AS area_name, a.level AS area_level
FROM window_stats w
JOIN indicator i ON i.code = w.indicator AND NOT i.retired
JOIN field f ON f.code = i.field
LEFT JOIN area a ON a.code = w.area
LEFT JOIN own o ON o.indicator = w.indicator AND o.area = w.area
LEFT JOIN star s ON s.indicator = w.indicator
ORDER BY f.sort_order, w.indicator, length(w.area), w.area
"""


def _values_head(indicators: Sequence[str] | None, as_of: int | None) -> tuple[str, dict[str, Any]]:
    """The `cur` CTE (current values, or those as of an intake) and its named parameters."""
    params: dict[str, Any] = {"all_indicators": indicators is None, "indicators": list(indicators or [])}
    if as_of is None:
        return CURRENT_CTE, params
    return AS_OF_CTE, {**params, "as_of": as_of}


def _audit(
    cursor: duckdb.DuckDBPyConnection,
    user: str,
    action: str,
    entity: str,
    key: str,
    *,
    old: str | None = None,
    new: str | None = None,
) -> None:
    """One entry of the audit trail, written in the caller's transaction."""
    cursor.execute(
        "INSERT INTO audit_log (changed_at, user_name, action, entity, entity_key, old_value, new_value) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [_now(), user, action, entity, key, old, new],
    )


_NULLABLE_INTEGERS = {pa.int32(): pd.Int32Dtype()}


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class Store:
    """One DuckDB connection per process; a cursor per request; writes serialized by a lock."""

    def __init__(self, path: str | Path, *, migrations: Sequence[Migration] = MIGRATIONS) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = duckdb.connect(self.path)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise StoreLockedError(self.path) from exc
            raise StoreError(f"Die Datenbank »{self.path}« kann nicht geöffnet werden: {exc}") from exc
        self._con.execute("SET memory_limit = ?", [os.environ.get("CONTROLLING_DB_MEMORY", DEFAULT_MEMORY_LIMIT)])
        self._write_lock = threading.RLock()
        self._migrations = tuple(migrations)
        self._migrate()

    # -- connection handling ---------------------------------------------------------------------

    def close(self) -> None:
        """Close the process's connection."""
        self._con.close()

    @contextlib.contextmanager
    def _cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        cursor = self._con.cursor()
        try:
            yield cursor
        finally:
            cursor.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A write transaction: serialized within the process, committed whole or rolled back."""
        with self._write_lock, self._cursor() as cursor:
            cursor.begin()
            try:
                yield cursor
            except BaseException:
                cursor.rollback()
                raise
            cursor.commit()

    def _frame(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> pd.DataFrame:
        with self._cursor() as cursor:
            return cursor.execute(sql, params if isinstance(params, Mapping) else list(params)).df()

    def _large_frame(self, sql: str, params: Mapping[str, Any]) -> pd.DataFrame:
        """Like _frame for results of hundreds of thousands of rows: through Arrow, several times faster.

        Integer columns come as nullable Int32, whether or not a value is missing.
        """
        with self._cursor() as cursor:
            table = cursor.sql(sql, params=dict(params)).to_arrow_table()
        frame: pd.DataFrame = table.to_pandas(types_mapper=_NULLABLE_INTEGERS.get)
        return frame

    def _scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        with self._cursor() as cursor:
            row = cursor.execute(sql, list(params)).fetchone()
        return None if row is None else row[0]

    # -- schema ----------------------------------------------------------------------------------

    @property
    def known_version(self) -> int:
        """The newest schema version this program knows."""
        return max((m.version for m in self._migrations), default=0)

    def schema_version(self) -> int:
        """The schema version recorded in the database."""
        return int(self._scalar("SELECT coalesce(max(version), 0) FROM schema_migration"))

    def _migrate(self) -> None:
        with self.transaction() as cur:
            cur.execute(
                """CREATE TABLE IF NOT EXISTS schema_migration (
                    version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"""
            )
        found = self.schema_version()
        if found > self.known_version:
            self.close()
            raise SchemaTooNewError(self.path, found, self.known_version)
        for migration in self._migrations:
            if migration.version <= found:
                continue
            with self.transaction() as cur:
                for statement in migration.statements:
                    cur.execute(statement)
                cur.execute(
                    "INSERT INTO schema_migration VALUES (?, ?, ?)",
                    [migration.version, migration.name, _now()],
                )

    def applied_migrations(self) -> pd.DataFrame:
        """Every migration recorded in the database, oldest first."""
        return self._frame("SELECT version, name, applied_at FROM schema_migration ORDER BY version")

    # -- reference data --------------------------------------------------------------------------

    def is_empty(self) -> bool:
        """True when no reference data has been loaded yet."""
        return int(self._scalar("SELECT count(*) FROM field")) == 0

    def insert_reference(self, fields: pd.DataFrame, areas: pd.DataFrame, indicators: pd.DataFrame, user: str) -> None:
        """Insert fields, areas and indicators (English column names) in one transaction."""
        with self.transaction() as cur:
            for table, frame in (("field", fields), ("area", areas), ("indicator", indicators)):
                cur.register("incoming", frame)
                columns = ", ".join(frame.columns)
                cur.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM incoming")
                cur.unregister("incoming")
            _audit(
                cur,
                user,
                "laden",
                "stammdaten",
                "*",
                new=f"{len(fields)} Felder, {len(areas)} Gebiete, {len(indicators)} Kennzahlen",
            )

    def fields(self) -> pd.DataFrame:
        """Handlungsfelder in display order."""
        return self._frame("SELECT code, name, sort_order, rated FROM field ORDER BY sort_order, code")

    def areas(self) -> pd.DataFrame:
        """Every area with validity and successor."""
        return self._frame(
            """SELECT code, name, level, parent, valid_from, valid_to, successor, comparison
               FROM area ORDER BY length(code), code"""
        )

    def indicators(self, *, include_retired: bool = False) -> pd.DataFrame:
        """The indicator catalogue, ordered by field and code."""
        return self._frame(
            """SELECT i.code, i.name, i.field, f.name AS field_name, i.unit, i.polarity, i.decimals,
                      i.aggregation, i.factor, i.definition, i.source, i.threshold_green,
                      i.threshold_yellow, i.retired
               FROM indicator i JOIN field f ON f.code = i.field
               WHERE ? OR NOT i.retired
               ORDER BY f.sort_order, i.code""",
            [include_retired],
        )

    # -- observations ----------------------------------------------------------------------------

    def add_intake(
        self,
        observations: pd.DataFrame,
        *,
        user: str,
        file_name: str,
        sha256: str,
        format: str,
        counts: dict[str, int] | None = None,
    ) -> int:
        """Record an intake and its observations in one transaction; returns the intake id."""
        counts = counts or {"rows_new": len(observations)}
        frame = observations.reindex(columns=list(OBSERVATION_COLUMNS))
        frame["breakdown"] = frame["breakdown"].fillna("")
        with self.transaction() as cur:
            row = cur.execute(
                """INSERT INTO intake (created_at, user_name, file_name, sha256, format, rows_new,
                       rows_changed, rows_unchanged, rows_rejected, state)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'committed') RETURNING id""",
                [
                    _now(),
                    user,
                    file_name,
                    sha256,
                    format,
                    counts.get("rows_new", 0),
                    counts.get("rows_changed", 0),
                    counts.get("rows_unchanged", 0),
                    counts.get("rows_rejected", 0),
                ],
            ).fetchone()
            assert row is not None
            intake_id = int(row[0])
            cur.register("incoming", frame)
            cur.execute(
                """UPDATE observation SET is_current = FALSE FROM incoming
                   WHERE observation.is_current AND observation.indicator = incoming.indicator
                     AND observation.area = incoming.area AND observation.year = incoming.year
                     AND observation.breakdown = incoming.breakdown"""
            )
            cur.execute(
                f"""INSERT INTO observation ({", ".join(OBSERVATION_COLUMNS)}, intake_id, is_current)
                    SELECT {", ".join(OBSERVATION_COLUMNS)}, ?, TRUE FROM incoming""",
                [intake_id],
            )
            cur.unregister("incoming")
            _audit(cur, user, "import", "intake", str(intake_id), new=f"{file_name} ({len(frame)} Werte)")
        return intake_id

    def current_observations(
        self, *, indicators: Sequence[str] | None = None, totals_only: bool = False
    ) -> pd.DataFrame:
        """Current values (newest intake not undone), optionally for some indicators or totals only."""
        sql = """SELECT indicator, area, year, breakdown, value, numerator, denominator, flag, note,
                        intake_id
                 FROM current_observation WHERE (? OR breakdown = '')"""
        params: list[Any] = [not totals_only]
        if indicators is not None:
            sql += " AND list_contains(?, indicator)"
            params.append(list(indicators))
        return self._frame(sql + " ORDER BY indicator, area, year, breakdown", params)

    def years(self) -> list[int]:
        """Years with at least one current value, newest first."""
        frame = self._frame("SELECT DISTINCT year FROM observation WHERE is_current ORDER BY year DESC")
        return [int(year) for year in frame["year"]]

    def last_intake_id(self) -> int:
        """The newest committed intake: the data version a report states."""
        return int(self._scalar("SELECT coalesce(max(id), 0) FROM intake WHERE state = 'committed'"))

    def current_values(self, *, indicators: Sequence[str] | None = None, as_of: int | None = None) -> pd.DataFrame:
        """Current yearly totals with computed county and merged-Gemeinde values (DESIGN §3.3).

        Columns: indicator, area, year, value, numerator, denominator, flag, intake_id, computed,
        converted. A county value is computed only where none is stored and every Gemeinde valid in
        that year has a value (summe) or numerator and denominator (quote); `keine` is never computed.
        """
        head, params = _values_head(indicators, as_of)
        return self._large_frame(head + VALUES_SQL + " SELECT * FROM all_values ORDER BY indicator, area, year", params)

    def status_inputs(self, *, year: int | None, day: dt.date, as_of: int | None = None) -> pd.DataFrame:
        """Per indicator × area with a value: what the §4 rules need (latest value, window, target, baseline).

        t is the latest year with a value (≤ year when given); the window holds the values of
        [t − 5, t]; the target is the area's own, else the `*` target, in force on `day`.
        """
        head, params = _values_head(None, as_of)
        return self._large_frame(
            head + VALUES_SQL + STATUS_INPUTS_SQL, {**params, "year": year if year is not None else 99999, "day": day}
        )

    def observation_history(self, indicator: str, area: str, year: int) -> pd.DataFrame:
        """Every stored version of one value, newest first, with its intake's state."""
        return self._frame(
            """SELECT o.breakdown, o.value, o.numerator, o.denominator, o.flag, o.intake_id,
                      i.state, i.created_at, i.file_name
               FROM observation o JOIN intake i ON i.id = o.intake_id
               WHERE o.indicator = ? AND o.area = ? AND o.year = ?
               ORDER BY o.intake_id DESC""",
            [indicator, area, year],
        )

    def intakes(self) -> pd.DataFrame:
        """The intake history, newest first."""
        return self._frame(
            """SELECT id, created_at, user_name, file_name, sha256, format, rows_new, rows_changed,
                      rows_unchanged, rows_rejected, state, undone_at, undone_by
               FROM intake ORDER BY id DESC"""
        )

    def data_version(self) -> int:
        """A number that grows with every change (each change writes the audit log): a cache key."""
        return int(self._scalar("SELECT coalesce(max(id), 0) FROM audit_log"))

    def has_demo_data(self) -> bool:
        """True while demo data is part of the current values."""
        return bool(self._scalar("SELECT count(*) > 0 FROM intake WHERE format = 'demo' AND state = 'committed'"))

    def undo_intake(self, intake_id: int, user: str) -> None:
        """Mark an intake as undone so the previous values become current again."""
        with self.transaction() as cur:
            row = cur.execute("SELECT state FROM intake WHERE id = ?", [intake_id]).fetchone()
            if row is None:
                raise NotFoundError(f"Einen Import mit der Nummer {intake_id} gibt es nicht.")
            if row[0] == "undone":
                raise StoreError(f"Der Import {intake_id} wurde bereits rückgängig gemacht.")
            cur.execute(
                "UPDATE intake SET state = 'undone', undone_at = ?, undone_by = ? WHERE id = ?",
                [_now(), user, intake_id],
            )
            # The keys this intake wrote get their newest remaining committed version back.
            cur.execute("UPDATE observation SET is_current = FALSE WHERE intake_id = ?", [intake_id])
            cur.execute(
                """UPDATE observation SET is_current = TRUE FROM (
                       SELECT o.indicator, o.area, o.year, o.breakdown, max(o.intake_id) AS intake_id
                       FROM observation o
                       JOIN intake i ON i.id = o.intake_id AND i.state = 'committed'
                       SEMI JOIN (SELECT * FROM observation WHERE intake_id = ?) AS touched
                         ON touched.indicator = o.indicator AND touched.area = o.area
                        AND touched.year = o.year AND touched.breakdown = o.breakdown
                       GROUP BY ALL) AS newest
                   WHERE observation.indicator = newest.indicator AND observation.area = newest.area
                     AND observation.year = newest.year AND observation.breakdown = newest.breakdown
                     AND observation.intake_id = newest.intake_id""",
                [intake_id],
            )
            _audit(cur, user, "rückgängig", "intake", str(intake_id), old="committed", new="undone")

    def find_intake_by_sha256(self, sha256: str) -> pd.DataFrame:
        """Committed intakes of a file with this checksum."""
        return self._frame(
            "SELECT id, created_at, file_name FROM intake WHERE sha256 = ? AND state = 'committed' ORDER BY id",
            [sha256],
        )

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the process's write lock across a read-then-write (e.g. diff, then commit)."""
        with self._write_lock:
            yield

    def source_mappings(self) -> pd.DataFrame:
        """Kept mappings of foreign sources (Open SDG, GENESIS) to indicators."""
        return self._frame(
            "SELECT source, indicator, total_breakdown, add_comparison_areas FROM source_mapping ORDER BY source"
        )

    def save_source_mapping(
        self, source: str, indicator: str, *, user: str, total_breakdown: str = "", add_comparison_areas: bool = False
    ) -> None:
        """Remember which indicator a source feeds (replacing an earlier choice)."""
        with self.transaction() as cur:
            old = cur.execute("SELECT indicator FROM source_mapping WHERE source = ?", [source]).fetchone()
            cur.execute("DELETE FROM source_mapping WHERE source = ?", [source])
            cur.execute(
                "INSERT INTO source_mapping VALUES (?, ?, ?, ?, ?, ?)",
                [source, indicator, total_breakdown, add_comparison_areas, user, _now()],
            )
            _audit(cur, user, "zuordnen", "source_mapping", source, old=None if old is None else old[0], new=indicator)

    def add_areas(self, areas: pd.DataFrame, user: str) -> None:
        """Add areas (e.g. other Kreise from a published file as comparison areas)."""
        with self.transaction() as cur:
            cur.register("incoming", areas)
            columns = ", ".join(areas.columns)
            cur.execute(f"INSERT INTO area ({columns}) SELECT {columns} FROM incoming")
            cur.unregister("incoming")
            _audit(cur, user, "anlegen", "area", "*", new=f"{len(areas)} Vergleichsgebiete")

    def upsert_indicators(self, indicators: pd.DataFrame, user: str) -> None:
        """Add new indicators and update existing ones (catalogue import)."""
        with self.transaction() as cur:
            cur.register("incoming", indicators)
            columns = list(indicators.columns)
            updates = ", ".join(f"{c} = incoming.{c}" for c in columns if c != "code")
            cur.execute(f"UPDATE indicator SET {updates} FROM incoming WHERE indicator.code = incoming.code")
            cur.execute(
                f"INSERT INTO indicator ({', '.join(columns)}) SELECT {', '.join(columns)} FROM incoming "
                "WHERE code NOT IN (SELECT code FROM indicator)"
            )
            cur.unregister("incoming")
            _audit(cur, user, "import", "indicator", "*", new=f"{len(indicators)} Kennzahlen")

    # -- accounts --------------------------------------------------------------------------------

    def accounts(self) -> pd.DataFrame:
        """Built-in accounts (without their hashes)."""
        return self._frame("SELECT name, role, created_at, disabled FROM user_account ORDER BY name")

    def account_hash(self, name: str) -> tuple[str, str] | None:
        """(role, password hash) of an active account, or None."""
        with self._cursor() as cursor:
            row = cursor.execute(
                "SELECT role, password_hash FROM user_account WHERE name = ? AND NOT disabled", [name]
            ).fetchone()
        return None if row is None else (str(row[0]), str(row[1]))

    def save_account(self, name: str, role: str, password_hash: str, *, user: str) -> None:
        """Create an account or set its role and password."""
        with self.transaction() as cur:
            old = cur.execute("SELECT role FROM user_account WHERE name = ?", [name]).fetchone()
            cur.execute("DELETE FROM user_account WHERE name = ?", [name])
            cur.execute("INSERT INTO user_account VALUES (?, ?, ?, ?, FALSE)", [name, role, password_hash, _now()])
            _audit(
                cur,
                user,
                "ändern" if old else "anlegen",
                "account",
                name,
                old=None if old is None else old[0],
                new=role,
            )

    def log_event(self, user: str, action: str, entity: str, key: str, detail: str | None = None) -> None:
        """An audit entry for something that changes no table (a sign-in, a failed sign-in)."""
        with self.transaction() as cur:
            _audit(cur, user, action, entity, key, new=detail)

    def recent_failures(self, name: str, minutes: int = 15) -> int:
        """Failed sign-ins for this name in the last minutes (to slow guessing down)."""
        return int(
            self._scalar(
                "SELECT count(*) FROM audit_log WHERE action = 'anmeldung_fehlgeschlagen' AND entity_key = ? "
                "AND changed_at >= ?",
                [name, _now() - dt.timedelta(minutes=minutes)],
            )
        )

    def set_indicator_retired(self, code: str, retired: bool, *, user: str) -> None:
        """Retire an indicator (kept with its data, hidden from pages) or bring it back."""
        with self.transaction() as cur:
            cur.execute("UPDATE indicator SET retired = ? WHERE code = ?", [retired, code])
            _audit(cur, user, "stilllegen", "indicator", code, old=str(not retired), new=str(retired))

    def delete_indicator(self, code: str, *, user: str) -> None:
        """Delete an indicator that never had a value or a target."""
        with self.transaction() as cur:
            used = cur.execute(
                "SELECT (SELECT count(*) FROM observation WHERE indicator = ?)"
                " + (SELECT count(*) FROM target WHERE indicator = ?)",
                [code, code],
            ).fetchone()
            if used is not None and used[0] > 0:
                raise StoreError(
                    f"Die Kennzahl {code} hat Werte oder Ziele; sie kann stillgelegt, aber nicht gelöscht werden."
                )
            cur.execute("DELETE FROM indicator WHERE code = ?", [code])
            _audit(cur, user, "löschen", "indicator", code)

    # -- targets ---------------------------------------------------------------------------------

    def add_targets(self, targets: pd.DataFrame, user: str) -> None:
        """Insert targets; a target for the same indicator and area in force is closed the day before."""
        frame = targets.copy()
        frame["created_by"] = user
        frame["created_at"] = _now()
        with self.transaction() as cur:
            cur.register("incoming", frame)
            cur.execute(
                """UPDATE target SET valid_to = incoming.valid_from - INTERVAL 1 DAY
                   FROM incoming
                   WHERE target.indicator = incoming.indicator AND target.area = incoming.area
                     AND target.valid_to IS NULL AND target.valid_from < incoming.valid_from"""
            )
            cur.execute(
                """INSERT INTO target (indicator, area, target_year, target_value, baseline_year,
                       decision, valid_from, valid_to, created_by, created_at)
                   SELECT indicator, area, target_year, target_value, baseline_year, decision,
                          valid_from, NULL, created_by, created_at FROM incoming"""
            )
            cur.unregister("incoming")
            _audit(cur, user, "anlegen", "target", "*", new=f"{len(frame)} Ziele")

    def targets(self, *, on: dt.date | None = None) -> pd.DataFrame:
        """Targets in force on a day (default today)."""
        day = on or dt.date.today()
        return self._frame(
            """SELECT id, indicator, area, target_year, target_value, baseline_year, decision,
                      valid_from, valid_to
               FROM target
               WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)
               ORDER BY indicator, area""",
            [day, day],
        )

    # -- comments and measures -------------------------------------------------------------------

    def add_comments(self, comments: pd.DataFrame, user: str) -> None:
        """Insert comments (indicator, area, year, text)."""
        frame = comments.reindex(columns=["indicator", "area", "year", "text"]).copy()
        frame["author"] = user
        frame["created_at"] = _now()
        with self.transaction() as cur:
            cur.register("incoming", frame)
            cur.execute(
                """INSERT INTO comment (indicator, area, year, text, author, created_at)
                   SELECT indicator, area, year, text, author, created_at FROM incoming"""
            )
            cur.unregister("incoming")
            _audit(cur, user, "anlegen", "comment", "*", new=f"{len(frame)} Einordnungen")

    def comments(self, indicator: str | None = None) -> pd.DataFrame:
        """Comments, newest year first, for one indicator or all."""
        return self._frame(
            """SELECT id, indicator, area, year, text, author, created_at FROM comment
               WHERE ? IS NULL OR indicator = ? ORDER BY year DESC, indicator, area""",
            [indicator, indicator],
        )

    def add_measure(
        self,
        *,
        title: str,
        responsible: str,
        status: str,
        indicators: Sequence[str],
        user: str,
        description: str = "",
        due_date: dt.date | None = None,
    ) -> int:
        """Insert a measure linked to indicators; returns its id."""
        with self.transaction() as cur:
            row = cur.execute(
                """INSERT INTO measure (title, description, responsible, status, due_date, created_at)
                   VALUES (?, ?, ?, ?, ?, ?) RETURNING id""",
                [title, description, responsible, status, due_date, _now()],
            ).fetchone()
            assert row is not None
            measure_id = int(row[0])
            cur.executemany("INSERT INTO measure_indicator VALUES (?, ?)", [[measure_id, code] for code in indicators])
            _audit(cur, user, "anlegen", "measure", str(measure_id), new=title)
        return measure_id

    def measures(self, indicator: str | None = None) -> pd.DataFrame:
        """Measures with their linked indicators (comma-joined), for one indicator or all."""
        return self._frame(
            """SELECT m.id, m.title, m.description, m.responsible, m.status, m.due_date,
                      string_agg(mi.indicator, ', ' ORDER BY mi.indicator) AS indicators
               FROM measure m LEFT JOIN measure_indicator mi ON mi.measure_id = m.id
               GROUP BY ALL
               HAVING ? IS NULL OR list_contains(list(mi.indicator), ?)
               ORDER BY m.due_date NULLS LAST, m.id""",
            [indicator, indicator],
        )

    def audit_log(self) -> pd.DataFrame:
        """The audit trail, newest first."""
        return self._frame(
            """SELECT id, changed_at, user_name, action, entity, entity_key, old_value, new_value
               FROM audit_log ORDER BY id DESC"""
        )
