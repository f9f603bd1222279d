"""DuckDB store: schema migrations, connections, transactions and every SQL statement of the product."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from controlling.errors import NotFoundError, SchemaTooNewError, StoreError, StoreLockedError
from controlling.numbers import TOLERANCE

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
    # Method version 2 (DESIGN §3.1, §4.1): the smallest case number a Gemeinde's value is rated on,
    # where the data come from, and who delivers them.
    Migration(
        6,
        "Kennzahlen: Mindestfallzahl, Datenherkunft, Lieferant",
        (
            "ALTER TABLE indicator ADD COLUMN min_count INTEGER DEFAULT 20",
            "ALTER TABLE indicator ADD COLUMN origin VARCHAR DEFAULT 'eigen'",
            "ALTER TABLE indicator ADD COLUMN provider VARCHAR DEFAULT ''",
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
# window [t − 5, t] (years are unique per pair), and the baseline value and case numbers are picked on
# the way. The baseline is looked up over all years, so a status asked for a year before the baseline
# year reads "no development since the baseline year yet" (§4.1 rule 5), not "no baseline value".
# The target in force (§4.0): the area's own; else the `*` target for the reporting Kreis, and for its
# Gemeinden the `*` target with the Kreis's baseline value, to be transferred by the status rules;
# comparison areas never take a `*` target.
STATUS_INPUTS_SQL = """,
in_force AS (
    SELECT id, indicator, area, target_value, target_year, baseline_year FROM target
    WHERE valid_from <= $day AND (valid_to IS NULL OR valid_to >= $day)
),
own AS (SELECT * FROM in_force WHERE area <> '*'),
star AS (SELECT * FROM in_force WHERE area = '*'),
reporting AS (SELECT min(code) AS kreis FROM area WHERE level = 'kreis' AND NOT comparison),
role AS (
    SELECT a.code,
           CASE WHEN a.code = r.kreis THEN 'kreis'
                WHEN a.level = 'gemeinde' AND a.parent = r.kreis THEN 'gemeinde'
                ELSE 'vergleich' END AS area_role
    FROM area a CROSS JOIN reporting r
),
kreis_base AS (
    SELECT v.indicator, v.value AS kreis_baseline_value
    FROM all_values v JOIN star s ON s.indicator = v.indicator AND v.year = s.baseline_year
    WHERE v.area = (SELECT kreis FROM reporting)
),
rated AS (
    SELECT v.indicator, v.area, v.year, v.value, v.computed, v.converted,
           coalesce(o.baseline_year, CASE WHEN r.area_role <> 'vergleich' THEN s.baseline_year END)
               AS baseline_year,
           CASE i.aggregation WHEN 'quote' THEN v.numerator WHEN 'summe' THEN v.value END AS cases
    FROM all_values v
    JOIN indicator i ON i.code = v.indicator
    LEFT JOIN role r ON r.code = v.area
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
           arg_max(cases, year) FILTER (WHERE year <= $year) AS count_value,
           any_value(value) FILTER (WHERE year = baseline_year) AS baseline_value,
           any_value(cases) FILTER (WHERE year = baseline_year) AS count_baseline
    FROM rated
    GROUP BY indicator, area
    HAVING count(*) FILTER (WHERE year <= $year) > 0
),
window_stats AS (
    SELECT *, len(list_filter(years, lambda y: y >= years[1] - 5)) AS window_values FROM pairs
),
chosen AS (
    SELECT w.indicator, w.area, coalesce(r.area_role, 'vergleich') AS area_role,
           CASE WHEN o.id IS NOT NULL THEN 'eigenes'
                WHEN s.id IS NOT NULL AND r.area_role = 'kreis' THEN 'eigenes'
                WHEN s.id IS NOT NULL AND r.area_role = 'gemeinde' THEN 'kreisziel_anteilig' END AS target_kind,
           CASE WHEN o.id IS NOT NULL THEN w.area
                WHEN s.id IS NOT NULL AND r.area_role <> 'vergleich' THEN '*' END AS target_area,
           CASE WHEN o.id IS NOT NULL THEN o.target_value
                WHEN r.area_role <> 'vergleich' THEN s.target_value END AS target_value,
           CASE WHEN o.id IS NOT NULL THEN o.target_year
                WHEN r.area_role <> 'vergleich' THEN s.target_year END AS target_year,
           CASE WHEN o.id IS NOT NULL THEN o.baseline_year
                WHEN r.area_role <> 'vergleich' THEN s.baseline_year END AS baseline_year
    FROM window_stats w
    LEFT JOIN role r ON r.code = w.area
    LEFT JOIN own o ON o.indicator = w.indicator AND o.area = w.area
    LEFT JOIN star s ON s.indicator = w.indicator
)
SELECT w.indicator, w.area, w.years[1] AS year, w.vals[1] AS value, w.computed, w.converted,
       w.window_values,
       w.years[w.window_values] AS window_start, w.vals[w.window_values] AS window_start_value,
       CASE WHEN w.window_values > 1 THEN w.years[2] END AS previous_year,
       CASE WHEN w.window_values > 1 THEN w.vals[2] END AS previous_value,
       c.area_role, c.target_kind, c.target_area, c.target_value, c.target_year, c.baseline_year,
       w.baseline_value, CASE WHEN c.target_kind = 'kreisziel_anteilig' THEN k.kreis_baseline_value END
           AS kreis_baseline_value,
       w.count_value, w.count_baseline,
       i.name AS indicator_name, i.field, f.name AS field_name, i.unit, i.decimals, i.polarity,
       i.threshold_green, i.threshold_yellow, i.min_count, a.name AS area_name, a.level AS area_level
FROM window_stats w
JOIN chosen c ON c.indicator = w.indicator AND c.area = w.area
JOIN indicator i ON i.code = w.indicator AND NOT i.retired
JOIN field f ON f.code = i.field
LEFT JOIN area a ON a.code = w.area
LEFT JOIN kreis_base k ON k.indicator = w.indicator
ORDER BY f.sort_order, w.indicator, length(w.area), w.area
"""


# -- intake staging ------------------------------------------------------------------------------
# A file being imported is checked where its rows are: in an in-memory database attached to the
# process's connection (`staging`), shared by every cursor. Nothing there is part of the data; a
# staged file is dropped after its commit or when its preview is discarded.

STAGING_DB = "staging"
# Whitespace a cell is trimmed of (Python's strip() would take a few more exotic ones).
_TRIM = "' \t\n\x0b\x0c\r\xa0'"  # a literal holding these characters (not an expression per row)
_SPECIAL_VALUE_LIST = ("-", ".", "...", "/", "x", "()", "*")
_FLAGS = "('-', '.', '...', '/', 'x', '()', '*', 'e', 'p', 'r', 's')"


CELL_COLUMNS = ("value", "numerator", "denominator")


def _cast_number(text: str) -> str:
    """`text` cast to a number as written plainly (1234, 12.5, 12,5, 1e5, ASCII blanks around), else NULL.

    DuckDB's cast also takes 1_000, nan and inf: _plain_number leaves those to the full rules.
    """
    return f"TRY_CAST(CASE WHEN contains({text}, '.') THEN {text} ELSE replace({text}, ',', '.') END AS DOUBLE)"


def _plain_number(text: str, cast: str) -> str:
    """The cast number when the text is plain (see _cast_number), else NULL."""
    return f"CASE WHEN isfinite({cast}) AND NOT contains({text}, '_') THEN {cast} END"


def _cell_steps(c: str) -> tuple[str, ...]:
    """Projections turning the raw cell column `c` into c_number, c_flag, c_empty and c_skip (DESIGN §5.4).

    Most cells are plain numbers: the first step casts them as they are, and every later step passes
    them through at once (a CASE evaluates a branch only for the rows it selects). Only the rest is
    trimmed and goes through the full rules: special values and "(…)" are flags, a trailing quality
    letter is split off, thousands separators are read. The rules follow tabular.parse_number_array
    (a test holds both to the same answers).
    """
    t = f"{c}_t"
    # Equalities, not IN: DuckDB plans an IN list as a join per use.
    special = "(" + " OR ".join(f"{t} = '{value}'" for value in _SPECIAL_VALUE_LIST) + ")"
    # CASE, not AND: DuckDB evaluates both sides of an AND, but a THEN only for the rows it selects.
    bracketed = (
        f"(CASE WHEN starts_with({t}, '(') THEN regexp_full_match({t}, '\\(\\s*[-\\d.,\\s]*\\)') ELSE FALSE END)"
    )
    lettered = (
        f"(CASE WHEN suffix({t}, 'e') OR suffix({t}, 'p') OR suffix({t}, 'r') OR suffix({t}, 's') "
        f"THEN NOT ({special}) AND regexp_matches({t}, '\\d\\s*[eprs]$') ELSE FALSE END)"
    )
    cast = f"{_cast_number(c)} AS {c}_cast"
    plain = f"{_plain_number(c, f'{c}_cast')} AS {c}_plain"
    trimmed = f"CASE WHEN {c}_plain IS NULL THEN trim({c}, {_TRIM}) END AS {t}"
    marks = f"""
        coalesce({t} = '', FALSE) AS {c}_empty,
        CASE WHEN {t} IS NULL THEN FALSE ELSE ({special} OR {bracketed} OR {t} = '') END AS {c}_skip,
        CASE WHEN {t} IS NULL THEN NULL WHEN {special} THEN {t} WHEN {bracketed} THEN '()'
             WHEN {lettered} THEN right({t}, 1) END AS {c}_flag,
        CASE WHEN {t} IS NULL THEN NULL WHEN {lettered} THEN regexp_replace({t}, '\\s*[eprs]$', '') ELSE {t} END
            AS {c}_text"""
    text = f"{c}_text"
    # A cell with a quality letter may be plain once the letter is off.
    unlettered = f"""
        CASE WHEN {c}_plain IS NOT NULL THEN {c}_plain
             WHEN NOT {c}_skip THEN {_plain_number(text, _cast_number(text))} END AS {c}_unlettered"""
    clean = f"{c}_clean"
    spaced = f"""
        CASE WHEN NOT {c}_skip AND {c}_unlettered IS NULL THEN regexp_replace({text}, '[\\s\\x{{00a0}}'']', '', 'g') END
            AS {clean}"""
    # German 1.234,5 / English 1,234.5 / grouped 1.234.567 / lone comma 12,5 exclude each other.
    rules = f"""CASE
            WHEN regexp_full_match({clean}, '[-+]?\\d{{1,3}}(\\.\\d{{3}})+,\\d*')
                THEN replace(replace({clean}, '.', ''), ',', '.')
            WHEN regexp_full_match({clean}, '[-+]?\\d{{1,3}}(\\.\\d{{3}}){{2,}}') THEN replace({clean}, '.', '')
            WHEN regexp_full_match({clean}, '[-+]?\\d{{1,3}}(,\\d{{3}})+\\.\\d*') THEN replace({clean}, ',', '')
            WHEN contains({clean}, ',') AND NOT contains({clean}, '.') THEN replace({clean}, ',', '.')
            ELSE {clean} END"""
    number = f"""
        CASE WHEN {c}_unlettered IS NOT NULL THEN {c}_unlettered
             WHEN {c}_skip THEN NULL
             WHEN regexp_full_match({rules}, '[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?')
                 THEN CAST({rules} AS DOUBLE) END AS {c}_number"""
    return cast, plain, trimmed, marks, unlettered, spaced, number


def _cell_projection(step: int) -> str:
    return ",".join(_cell_steps(c)[step] for c in CELL_COLUMNS)


def _staged_name(kind: str) -> str:
    return f"{STAGING_DB}.{kind}_{uuid.uuid4().hex}"


# Every row of a values file with its checks as columns. Reads `raw` (line, column, indicator, area,
# year, breakdown, value, numerator, denominator, flag, note: text, trimmed, '' when empty) and the
# registered `ref_indicator` (code, name, decimals, unit, aggregation, polarity) and `ref_area` (code,
# name, first_year, last_year). Named parameters: $first_year, $last_year.
CHECK_SQL = f"""
WITH ind_keys AS (
    SELECT lower(code) AS k, code, 1 AS rank FROM ref_indicator
    UNION ALL SELECT lower(name), code, 2 FROM ref_indicator
),
ind_lookup AS (SELECT k, arg_min(code, rank) AS code FROM ind_keys GROUP BY k),
area_keys AS (
    SELECT lower(code) AS k, code, 1 AS rank FROM ref_area
    UNION ALL SELECT lower(name), code, 2 FROM ref_area
),
area_lookup AS (SELECT k, arg_min(code, rank) AS code FROM area_keys GROUP BY k),
-- Names, codes and breakdowns repeat: each distinct cell is trimmed and looked up once.
indicators AS (
    SELECT cell, l.code FROM (SELECT DISTINCT indicator AS cell FROM raw) LEFT JOIN ind_lookup l
        ON l.k = lower(trim(cell, {_TRIM}))
),
areas AS (
    SELECT cell, l.code FROM (SELECT DISTINCT area AS cell FROM raw) LEFT JOIN area_lookup l
        ON l.k = lower(trim(cell, {_TRIM}))
),
breakdowns AS (
    SELECT cell,
           CASE WHEN b = '' THEN ''
                ELSE array_to_string(list_sort(list_transform(string_split(b, '|'), lambda p: trim(p, {_TRIM}))), '|')
           END AS canonical,
           b = '' OR list_bool_and(list_transform(string_split(b, '|'),
               lambda p: length(p) - length(replace(p, '=', '')) = 1 AND trim(split_part(p, '=', 1), {_TRIM}) <> ''))
               AS well_formed
    FROM (SELECT cell, trim(cell, {_TRIM}) AS b FROM (SELECT DISTINCT breakdown AS cell FROM raw))
),
comma_file AS (
    SELECT count(*) > 0 AS yes
    FROM (SELECT 1 FROM raw WHERE contains(value, ',') AND regexp_matches(value, '\\d,\\d') LIMIT 1)
),
parsed AS (
    SELECT r.*,
           il.code AS indicator_code, al.code AS area_code,
           CASE WHEN NOT contains(r.year, '_') AND isfinite(r.year_cast) THEN r.year_cast END AS year_number,
           i.decimals, i.aggregation, i.polarity,
           CASE WHEN i.aggregation <> 'keine' OR i.polarity <> 'neutral' OR i.code IS NULL THEN i.unit ELSE '' END
               AS range_unit,
           a.first_year, a.last_year,
           b.canonical AS breakdown_code, b.well_formed,
           {_cell_projection(0)}
    FROM (SELECT *, coalesce(TRY_CAST(year AS DOUBLE), TRY_CAST(trim(year, {_TRIM}) AS DOUBLE)) AS year_cast
          FROM raw) r
    LEFT JOIN indicators il ON il.cell = r.indicator
    LEFT JOIN ref_indicator i ON i.code = il.code
    LEFT JOIN areas al ON al.cell = r.area
    LEFT JOIN ref_area a ON a.code = al.code
    LEFT JOIN breakdowns b ON b.cell = r.breakdown
),
cells_1 AS (SELECT *, {_cell_projection(1)} FROM parsed),
cells_2 AS (SELECT *, {_cell_projection(2)} FROM cells_1),
cells_3 AS (SELECT *, {_cell_projection(3)} FROM cells_2),
cells_4 AS (SELECT *, {_cell_projection(4)} FROM cells_3),
cells_5 AS (SELECT *, {_cell_projection(5)} FROM cells_4),
cells_6 AS (SELECT *, {_cell_projection(6)} FROM cells_5),
numbered AS (
    -- "51.234" is 51234 in a German file: when the file writes decimal commas elsewhere, or when the
    -- indicator counts whole things (no decimals). Otherwise a point is the decimal mark.
    SELECT p.* REPLACE (
               CASE WHEN NOT contains(p.value, '.') OR NOT (p.decimals = 0 OR (SELECT yes FROM comma_file))
                    THEN p.value_number
                    WHEN regexp_full_match(trim(p.value, {_TRIM}), '-?\\d{{1,3}}(\\.\\d{{3}})+')
                    THEN CAST(replace(trim(p.value, {_TRIM}), '.', '') AS DOUBLE) ELSE p.value_number END
                   AS value_number),
           coalesce(p.value_flag, nullif(p.flag, '')) AS final_flag
    FROM cells_6 p
)
SELECT n.*,
       n.indicator_code IS NULL AS unknown_indicator,
       n.area_code IS NULL AS unknown_area,
       coalesce(n.year_number IS NULL OR n.year_number % 1 <> 0 OR n.year_number < $first_year
                OR n.year_number > $last_year, TRUE) AS bad_year,
       n.flag <> '' AND n.flag NOT IN {_FLAGS} AS bad_flag,
       NOT n.value_skip AND n.value_number IS NULL AS bad_value,
       n.value_empty AND n.final_flag IS NULL AS no_value,
       (NOT n.numerator_skip AND n.numerator_number IS NULL) OR coalesce(n.numerator_number < 0, FALSE)
           AS bad_numerator,
       (NOT n.denominator_skip AND n.denominator_number IS NULL) OR coalesce(n.denominator_number < 0, FALSE)
           AS bad_denominator,
       coalesce(n.numerator_number > n.denominator_number, FALSE) AS numerator_above,
       coalesce(n.range_unit = 'Anzahl' AND n.value_number < 0, FALSE) AS negative_count,
       coalesce(n.range_unit = '%' AND (n.value_number < 0 OR n.value_number > 100), FALSE) AS bad_percent,
       coalesce(n.range_unit = '‰' AND (n.value_number < 0 OR n.value_number > 1000), FALSE) AS bad_permille,
       NOT coalesce(n.well_formed, FALSE) AS bad_breakdown,
       NOT coalesce(isfinite(n.value_number), TRUE) AS infinite_value,
       NOT coalesce(isfinite(n.numerator_number), TRUE) AS infinite_numerator,
       NOT coalesce(isfinite(n.denominator_number), TRUE) AS infinite_denominator,
       coalesce(n.area_code IS NOT NULL AND n.year_number IS NOT NULL
                AND (n.year_number < coalesce(n.first_year, 0) OR n.year_number > coalesce(n.last_year, 9999)),
                FALSE) AS outside
FROM numbered n
"""

# The outcome of each check of CHECK_SQL, and the skips of VERDICT_SQL: kept per staged row as one
# bit each of `checks` (a table stores one integer much faster than twenty booleans).
CHECK_FLAGS = (
    "unknown_indicator",
    "unknown_area",
    "bad_year",
    "bad_flag",
    "bad_value",
    "no_value",
    "bad_numerator",
    "bad_denominator",
    "numerator_above",
    "negative_count",
    "bad_percent",
    "bad_permille",
    "bad_breakdown",
    "infinite_value",
    "infinite_numerator",
    "infinite_denominator",
    "outside",
    "area_skip",
    "empty_skip",
    "dash_skip",
)
_PACKED = " | ".join(f"(CAST({name} AS INTEGER) << {bit})" for bit, name in enumerate(CHECK_FLAGS))


def _unpacked(names: Sequence[str] = CHECK_FLAGS) -> str:
    """The named checks of a staged row as booleans again."""
    return ", ".join(f"(checks >> {CHECK_FLAGS.index(name)}) & 1 = 1 AS {name}" for name in names)


# A staged row: line, the stored columns (typed; NULL where a check failed), the checks, and whether the
# row is rejected, skipped or usable. Its raw cells stay in the staged file: a problem report reads them
# there again, for the few rows it names.
# Rejected and skipped rows are decided here. A published file (statistical office) skips rows of areas
# not in the list and rows of areas outside their validity marked "-"; an empty cell of a published or
# wide file is no value. Named parameters: $published, $wide.
VERDICT_SQL = f"""
SELECT cell_id, line, indicator_code AS indicator, area_code AS area,
       CASE WHEN NOT bad_year THEN CAST(year_number AS INTEGER) END AS year, breakdown_code AS breakdown,
       value_number AS value, numerator_number AS numerator, denominator_number AS denominator,
       final_flag AS flag, nullif(note, '') AS note,
       {_PACKED} AS checks, rejected, skipped, NOT rejected AND NOT skipped AS usable
FROM (
    SELECT *,
           unknown_indicator OR (unknown_area AND NOT area_skip) OR bad_year OR bad_flag OR bad_value
               OR (no_value AND NOT empty_skip) OR bad_numerator OR bad_denominator OR numerator_above
               OR negative_count OR bad_percent OR bad_permille OR bad_breakdown
               OR infinite_value OR infinite_numerator OR infinite_denominator
               OR (outside AND NOT dash_skip) AS rejected,
           area_skip OR empty_skip OR dash_skip AS skipped
    FROM (
        SELECT *,
               unknown_area AND $published AS area_skip,
               no_value AND ($published OR $wide) AS empty_skip,
               outside AND $published AND final_flag IS NOT DISTINCT FROM '-' AS dash_skip
        FROM {{checked}}
    )
)
"""


# Problems of the rejected rows, one per failed check: line, column, value, problem (a code the
# intake turns into a sentence), detail (numbers for the sentence), order (of the checks).
PROBLEMS_SQL = f"""
WITH c AS (
    SELECT r.*, {_unpacked()}, a.first_year, a.last_year
    FROM (SELECT * FROM {{checked}} WHERE rejected) k JOIN ({{raw}}) r USING (cell_id)
    LEFT JOIN ref_area a ON a.code = k.area
),
keys AS (
    SELECT u.cell_id, u.line, u.indicator, u.area, u.year, u.breakdown
    FROM {{checked}} u JOIN {{duplicates}} d USING (indicator, area, year, breakdown)
    WHERE NOT u.rejected AND NOT u.skipped
),
repeated AS (
    SELECT k.*, concat_ws(' ', trim(r.indicator, {_TRIM}), trim(r.area, {_TRIM}), trim(r.year, {_TRIM})) AS named
    FROM keys k JOIN ({{raw}}) r USING (cell_id)
),
duplicates AS (
    SELECT indicator, area, year, breakdown, string_agg(CAST(line AS VARCHAR), ', ' ORDER BY line) AS lines
    FROM repeated GROUP BY ALL
),
found AS (
    SELECT line, 'kennzahl' AS "column", indicator AS value, 'kennzahl_unbekannt' AS problem, '' AS detail, 1 AS step
        FROM c WHERE unknown_indicator
    UNION ALL SELECT line, 'gebiet', area, 'gebiet_unbekannt', '', 2 FROM c WHERE unknown_area AND NOT area_skip
    UNION ALL SELECT line, 'jahr', year, 'jahr', '', 3 FROM c WHERE bad_year
    UNION ALL SELECT line, 'kennzeichen', flag, 'kennzeichen', '', 4 FROM c WHERE bad_flag
    UNION ALL SELECT line, "column", value, 'text_statt_zahl', '', 5 FROM c WHERE bad_value
    UNION ALL SELECT line, 'wert', value, 'wert_fehlt', '', 6 FROM c WHERE no_value AND NOT empty_skip
    UNION ALL SELECT line, 'zaehler', numerator, 'nicht_negativ', '', 7 FROM c WHERE bad_numerator
    UNION ALL SELECT line, 'nenner', denominator, 'nicht_negativ', '', 8 FROM c WHERE bad_denominator
    UNION ALL SELECT line, 'zaehler', numerator, 'zaehler_ueber_nenner', '', 9 FROM c WHERE numerator_above
    UNION ALL SELECT line, "column", value, 'anzahl_negativ', '', 10 FROM c WHERE negative_count
    UNION ALL SELECT line, "column", value, 'prozent', '', 11 FROM c WHERE bad_percent
    UNION ALL SELECT line, "column", value, 'promille', '', 12 FROM c WHERE bad_permille
    UNION ALL SELECT line, 'aufschluesselung', breakdown, 'aufschluesselung', '', 13 FROM c WHERE bad_breakdown
    UNION ALL SELECT line, 'gebiet', area, 'ausserhalb',
                     concat_ws('|', coalesce(first_year, 0), coalesce(last_year, 0)), 14
        FROM c WHERE outside AND NOT dash_skip
    UNION ALL SELECT line, "column", value, 'zu_gross', '', 16 FROM c WHERE infinite_value
    UNION ALL SELECT line, 'zaehler', numerator, 'zu_gross', '', 17 FROM c WHERE infinite_numerator
    UNION ALL SELECT line, 'nenner', denominator, 'zu_gross', '', 18 FROM c WHERE infinite_denominator
    UNION ALL SELECT u.line, 'kennzahl', u.named, 'doppelt', d.lines, 19
        FROM repeated u JOIN duplicates d USING (indicator, area, year, breakdown)
)
SELECT line, "column", trim(value, {_TRIM}) AS value, problem, detail FROM found ORDER BY line, "column", step
"""

SKIPPED_SQL = f"""
WITH k AS (SELECT cell_id, line, area, {_unpacked(("area_skip", "dash_skip"))} FROM {{checked}} WHERE skipped),
c AS (
    SELECT k.*, r.area AS area_text, a.first_year, a.last_year
    FROM k JOIN ({{raw}}) r USING (cell_id) LEFT JOIN ref_area a ON a.code = k.area
)
SELECT line, "column", trim(value, {_TRIM}) AS value, problem, detail FROM (
    SELECT line, 'gebiet' AS "column", area_text AS value, 'gebiet_nicht_gelistet' AS problem, '' AS detail
        FROM c WHERE area_skip
    UNION ALL SELECT line, 'gebiet', area_text, 'ausserhalb_strich',
                     concat_ws('|', coalesce(first_year, 0), coalesce(last_year, 0))
        FROM c WHERE dash_skip
) ORDER BY line
"""

# Whether usable rows may share a key: counting distinct hashes is quicker than grouping by the key, and
# a number above 0 (which two equal hashes of different keys may also give) only makes DUPLICATES_SQL look.
MAYBE_REPEATED_SQL = """
SELECT count(*) - count(DISTINCT hash(indicator, area, year, breakdown)) FROM {checked} WHERE usable
"""

# Keys that more than one usable row (neither rejected nor skipped) holds.
DUPLICATES_SQL = """
SELECT indicator, area, year, breakdown FROM {checked} WHERE usable GROUP BY ALL HAVING count(*) > 1
"""

# Rows holding a key another row holds are not usable either: the file has to say which value is meant.
REPEATED_SQL = """
UPDATE {checked} SET usable = FALSE FROM {duplicates} d
WHERE {checked}.usable AND {checked}.indicator = d.indicator AND {checked}.area = d.area
  AND {checked}.year = d.year AND {checked}.breakdown = d.breakdown
"""

# Status of each usable staged row against the current values. Named parameter: $tolerance.
DIFF_SQL = """
SELECT v.line, v.indicator, v.area, v.year, v.breakdown, v.value, v.numerator, v.denominator, v.flag, v.note,
       o.value AS old_value, o.numerator AS old_numerator, o.denominator AS old_denominator,
       o.flag AS old_flag,
       CASE WHEN o.indicator IS NULL THEN 'new'
            WHEN coalesce(abs(v.value - o.value) <= $tolerance, v.value IS NULL AND o.value IS NULL)
             AND coalesce(abs(v.numerator - o.numerator) <= $tolerance, v.numerator IS NULL AND o.numerator IS NULL)
             AND coalesce(abs(v.denominator - o.denominator) <= $tolerance,
                          v.denominator IS NULL AND o.denominator IS NULL)
             AND coalesce(v.flag, '') = coalesce(o.flag, '')
            THEN 'unchanged' ELSE 'changed' END AS status
FROM (SELECT * FROM {staged} WHERE usable) v
LEFT JOIN observation o
  ON o.is_current AND o.indicator = v.indicator AND o.area = v.area AND o.year = v.year
 AND o.breakdown = v.breakdown
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


class StagingReadError(StoreError):
    """DuckDB could not read a file strictly; the caller reads it the slow way, which locates the fault."""


@dataclass(frozen=True)
class StagedSource:
    """Raw cells in the staging area: a file read as text columns, or a frame already read.

    `columns` maps each raw column (readers.RAW_COLUMNS) to the staged column holding it; absent ones
    are empty. For a file, `line` is the row's position + 2 (the header is line 1) and `column` is
    `wert`.
    """

    table: str
    from_file: bool
    columns: Mapping[str, str]


@dataclass(frozen=True)
class StagedCheck:
    """The result of check_staged: the staged valid rows, problems and skipped rows (as codes), counts."""

    table: str
    problems: pd.DataFrame  # line, column, value, problem, detail
    skipped: pd.DataFrame  # line, column, value, problem, detail
    counts: dict[str, int]  # new, changed, unchanged


# Cells the check reads as they are (it trims what it needs: distinct names, codes and breakdowns, and
# the cells that are not plain numbers); the others are trimmed when staged.
_UNTRIMMED = ("indicator", "area", "year", "breakdown", *CELL_COLUMNS)


def _trimmed(cell: str) -> str:
    """The cell without leading and trailing whitespace; trimmed only where an edge may be blank (cheaper).

    `< '!'`: the cell starts with a control character or a space; `>= chr(160)` also lets through
    cells starting with a letter beyond ASCII, which trim leaves as they are.
    """
    edges = f"{cell} < '!' OR {cell} >= chr(160) OR ascii(right({cell}, 1)) <= 32 OR suffix({cell}, chr(160))"
    return f"CASE WHEN {edges} THEN trim({cell}, {_TRIM}) ELSE {cell} END"


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


def _write_intake(
    cur: duckdb.DuckDBPyConnection,
    source: str,
    user: str,
    file_name: str,
    sha256: str,
    format: str,
    counts: dict[str, int],
    params: Mapping[str, Any] | None = None,
) -> int:
    """Record an intake and make the rows of `source` (a table or subquery with named `params`) current;
    in the caller's transaction."""
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
    cur.execute(
        f"""UPDATE observation SET is_current = FALSE FROM {source} AS incoming
           WHERE observation.is_current AND observation.indicator = incoming.indicator
             AND observation.area = incoming.area AND observation.year = incoming.year
             AND observation.breakdown = incoming.breakdown""",
        dict(params or {}),
    )
    written = cur.execute(
        f"""INSERT INTO observation ({", ".join(OBSERVATION_COLUMNS)}, intake_id, is_current)
            SELECT {", ".join(OBSERVATION_COLUMNS)}, $intake_id, TRUE FROM {source}""",
        {**(params or {}), "intake_id": intake_id},
    ).fetchone()
    count = 0 if written is None else int(written[0])
    _audit(cur, user, "import", "intake", str(intake_id), new=f"{file_name} ({count} Werte)")
    return intake_id


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
        self._con.execute(f"ATTACH ':memory:' AS {STAGING_DB}")
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
                      i.threshold_yellow, i.min_count, i.origin, i.provider, i.retired
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
            cur.register("incoming", frame)
            intake_id = _write_intake(cur, "incoming", user, file_name, sha256, format, counts)
            cur.unregister("incoming")
        return intake_id

    # -- intake staging --------------------------------------------------------------------------

    def stage_csv(self, path: Path, *, separator: str, width: int, columns: Mapping[str, int]) -> StagedSource:
        """A delimited UTF-8 file (header line first) as `width` text columns c0, c1, … in the staging area.

        `columns`: the position of each raw column (readers.RAW_COLUMNS) the file has.

        Strict: a line with another number of fields, or a broken quote, raises StagingReadError, and
        the caller reads the file the slow way, which names each such line.
        """
        table = _staged_name("file")
        types = {f"c{i}": "VARCHAR" for i in range(width)}
        with self._cursor() as cur:
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
        """Raw cells of a values file already read (readers.RAW_COLUMNS) in the staging area."""
        table = _staged_name("frame")
        with self._cursor() as cur:
            cur.register("incoming", frame)
            cur.execute(f"CREATE TABLE {table} AS SELECT * FROM incoming")
            cur.unregister("incoming")
        return StagedSource(table, from_file=False, columns={str(c): str(c) for c in frame.columns})

    def check_staged(
        self,
        source: StagedSource,
        *,
        indicators: pd.DataFrame,
        areas: pd.DataFrame,
        published: bool,
        wide: bool,
        years: tuple[int, int],
    ) -> StagedCheck:
        """Check every staged row (DESIGN §5.1, §5.4); the usable ones are compared with the current values.

        `indicators` (code, name, decimals, unit, aggregation, polarity) and `areas` (code, name,
        valid_from, valid_to) may hold entries a commit is about to add. Problems come as codes with
        details; the intake words them.
        """
        checked, duplicates = _staged_name("checked"), _staged_name("duplicates")
        params = {"published": published, "wide": wide, "first_year": years[0], "last_year": years[1]}
        references = {
            "ref_indicator": indicators[["code", "name", "decimals", "unit", "aggregation", "polarity"]],
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
        with self._cursor() as cur:
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
        counts = self._status_counts(f"({DIFF_SQL.format(staged=checked)})", {"tolerance": TOLERANCE})
        return StagedCheck(table=checked, problems=problems, skipped=skipped, counts=counts)

    def _status_counts(self, rows: str, params: Mapping[str, Any] | None = None) -> dict[str, int]:
        """How many rows of a table or subquery with a `status` column are new, changed, unchanged."""
        frame = self._frame(f"SELECT status, count(*) AS n FROM {rows} GROUP BY status", dict(params or {}))
        found = dict(zip(frame["status"], frame["n"].astype(int), strict=True))
        return {status: found.get(status, 0) for status in ("new", "changed", "unchanged")}

    def staged_rows(self, table: str, *, status: str | None = None, limit: int | None = None) -> pd.DataFrame:
        """Staged rows with their status (new, changed, unchanged) and the current values, in file order."""
        # The first rows by a window, not ORDER BY … LIMIT: DuckDB 2.0.0 returned every row for a
        # LIMIT over this join (its late-materialization rewrite); tests/intake/test_formats.py checks it.
        return self._large_frame(
            f"""SELECT * FROM ({DIFF_SQL.format(staged=table)}) WHERE $status IS NULL OR status = $status
                QUALIFY $limit IS NULL OR row_number() OVER (ORDER BY line) <= $limit ORDER BY line""",
            {"tolerance": TOLERANCE, "status": status, "limit": limit},
        )

    def drop_staged(self, table: str) -> None:
        """Forget a staged file (after its commit, or when its preview is discarded)."""
        if not table.startswith(f"{STAGING_DB}."):
            raise StoreError(f"»{table}« liegt nicht im Zwischenspeicher.")
        with contextlib.suppress(duckdb.Error), self._cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {table}")

    def commit_staged(
        self, table: str, *, user: str, file_name: str, sha256: str, format: str, rows_rejected: int
    ) -> int | None:
        """Write the new and changed staged rows as one intake; None when nothing would change.

        The comparison with the current values is made again under the write lock, so a commit never
        overwrites a change made since the preview.
        """
        with self._write_lock:  # nothing changes between counting and writing
            diff = f"({DIFF_SQL.format(staged=table)})"
            counts = {f"rows_{status}": n for status, n in self._status_counts(diff, {"tolerance": TOLERANCE}).items()}
            if counts["rows_new"] + counts["rows_changed"] == 0:
                return None
            with self.transaction() as cur:
                source = f"(SELECT * FROM {diff} WHERE status <> 'unchanged')"
                return _write_intake(
                    cur,
                    source,
                    user,
                    file_name,
                    sha256,
                    format,
                    {**counts, "rows_rejected": rows_rejected},
                    {"tolerance": TOLERANCE},
                )

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
            """SELECT m.id, m.title, m.description, m.responsible, m.status, m.due_date, m.created_at,
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
