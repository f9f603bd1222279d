"""The SQL that checks a staged file: cell rules, verdicts, problems, skips, duplicates, the diff."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from controlling.db.connection import STAGING_DB

# -- intake staging ------------------------------------------------------------------------------
# A file being imported is checked where its rows are: in an in-memory database attached to the
# process's connection (`staging`), shared by every cursor. Nothing there is part of the data; a
# staged file is dropped after its commit or when its preview is discarded.

# Whitespace a cell is trimmed of (Python's strip() would take a few more exotic ones).
TRIM = "' \t\n\x0b\x0c\r\xa0'"  # a literal holding these characters (not an expression per row)
_SPECIAL_VALUE_LIST = ("-", ".", "...", "/", "x", "()", "*")
_FLAGS = "('-', '.', '...', '/', 'x', '()', '*', 'e', 'p', 'r', 's')"


CELL_COLUMNS = ("value", "numerator", "denominator")


# The decimal mark of the whole file (tabular.DECIMAL_*), a column `decimal_mark` of every staged row.
_POINT_GROUPS = "'[-+]?\\d{1,3}(\\.\\d{3})+(,\\d*)?'"  # 1.234 or 1.234,5: points group thousands
_COMMA_GROUPS = "'[-+]?\\d{1,3}(,\\d{3})+(\\.\\d*)?'"  # 1,234 or 1,234.5: commas group thousands
_NUMERIC = "'[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?'"


def _cast_number(text: str) -> str:
    """`text` cast to a number as written plainly under the file's decimal mark (1234, 12.5 in a file of
    points, 12,5 in a file of commas, 1e5, ASCII blanks around), else NULL.

    DuckDB's cast also takes 1_000, nan, inf and +-0: _plain_number leaves those to the full rules.
    """
    return f"""TRY_CAST(CASE
        WHEN decimal_mark = ',' THEN CASE WHEN NOT contains({text}, '.') THEN replace({text}, ',', '.') END
        WHEN decimal_mark = '.' THEN CASE WHEN NOT contains({text}, ',') THEN {text} END
        WHEN NOT contains({text}, '.') AND NOT contains({text}, ',') THEN {text} END AS DOUBLE)"""


def _plain_number(text: str, cast: str) -> str:
    """The cast number when the text is plain (see _cast_number), else NULL."""
    return f"CASE WHEN isfinite({cast}) AND NOT contains({text}, '_') AND NOT contains({text}, '+-') THEN {cast} END"


def _numeric(text: str) -> str:
    return f"CASE WHEN regexp_full_match({text}, {_NUMERIC}) THEN CAST({text} AS DOUBLE) END"


def comma_reading(clean: str) -> str:
    """A cleaned number text (no blanks) read with a decimal comma: points may only group thousands."""
    text = f"""replace(CASE WHEN regexp_full_match({clean}, {_POINT_GROUPS}) THEN replace({clean}, '.', '')
                            WHEN NOT contains({clean}, '.') THEN {clean} END, ',', '.')"""
    return _numeric(text)


def point_reading(clean: str) -> str:
    """A cleaned number text read with a decimal point: commas may only group thousands."""
    text = f"""CASE WHEN regexp_full_match({clean}, {_COMMA_GROUPS}) THEN replace({clean}, ',', '')
                    WHEN NOT contains({clean}, ',') THEN {clean} END"""
    return _numeric(text)


def _clean(text: str) -> str:
    """Blanks and apostrophes inside a number are thousands separators: taken out before reading."""
    return f"regexp_replace({text}, '[\\s\\x{{00a0}}'']', '', 'g')"


def _cell_steps(c: str) -> tuple[str, ...]:
    """Projections turning the raw cell column `c` into c_number, c_flag, c_empty and c_skip (DESIGN §5.4).

    Most cells are plain numbers: the first step casts them as they are, and every later step passes
    them through at once (a CASE evaluates a branch only for the rows it selects). Only the rest is
    trimmed and goes through the full rules: special values and "(…)" are flags, a trailing quality
    letter is split off, thousands separators are read under the file's decimal mark (`decimal_mark`).
    Where the file decides no mark, a text the two readings disagree on (1.500) is c_ambiguous; where it
    writes both marks, a text only one reading takes is c_mixed. The rules follow tabular.parse_number_array
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
    trimmed = f"CASE WHEN {c}_plain IS NULL THEN trim({c}, {TRIM}) END AS {t}"
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
    spaced = f"CASE WHEN NOT {c}_skip AND {c}_unlettered IS NULL THEN {_clean(text)} END AS {clean}"
    readings = f"""
        CASE WHEN {clean} IS NOT NULL THEN {comma_reading(clean)} END AS {c}_comma,
        CASE WHEN {clean} IS NOT NULL THEN {point_reading(clean)} END AS {c}_point"""
    number = f"""
        CASE WHEN {c}_unlettered IS NOT NULL THEN {c}_unlettered
             WHEN {c}_skip THEN NULL
             WHEN decimal_mark = ',' THEN {c}_comma
             WHEN decimal_mark = '.' THEN {c}_point
             WHEN {c}_comma = {c}_point THEN {c}_comma END AS {c}_number,
        coalesce(decimal_mark = '' AND {c}_comma <> {c}_point, FALSE) AS {c}_ambiguous,
        coalesce(decimal_mark = '?' AND {c}_unlettered IS NULL AND NOT {c}_skip
                 AND ({c}_comma IS NOT NULL OR {c}_point IS NOT NULL)
                 AND {c}_comma IS DISTINCT FROM {c}_point, FALSE) AS {c}_mixed"""
    return cast, plain, trimmed, marks, unlettered, spaced, readings, number


def _cell_projection(step: int) -> str:
    return ",".join(_cell_steps(c)[step] for c in CELL_COLUMNS)


def _unlettered(cell: str) -> str:
    """A raw cell trimmed and without a quality letter after its number (12,5 p), as _cell_steps reads it."""
    return f"regexp_replace(trim({cell}, {TRIM}), '(\\d)\\s*[eprs]$', '\\1')"


def _raw_readings() -> str:
    """Both readings of each raw cell (c_comma, c_point), for the few rejected rows a problem report names."""
    parts = []
    for c in CELL_COLUMNS:
        clean = _clean(_unlettered(f"r.{c}"))
        parts += [f"{comma_reading(clean)} AS {c}_comma", f"{point_reading(clean)} AS {c}_point"]
    return ", ".join(parts).replace("{", "{{").replace("}", "}}")  # PROBLEMS_SQL is formatted once more


def staged_name(kind: str) -> str:
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
        ON l.k = lower(trim(cell, {TRIM}))
),
areas AS (
    SELECT cell, l.code FROM (SELECT DISTINCT area AS cell FROM raw) LEFT JOIN area_lookup l
        ON l.k = lower(trim(cell, {TRIM}))
),
breakdowns AS (
    SELECT cell,
           CASE WHEN b = '' THEN ''
                ELSE array_to_string(list_sort(list_transform(string_split(b, '|'), lambda p: trim(p, {TRIM}))), '|')
           END AS canonical,
           b = '' OR list_bool_and(list_transform(string_split(b, '|'),
               lambda p: length(p) - length(replace(p, '=', '')) = 1 AND trim(split_part(p, '=', 1), {TRIM}) <> ''))
               AS well_formed
    FROM (SELECT cell, trim(cell, {TRIM}) AS b FROM (SELECT DISTINCT breakdown AS cell FROM raw))
),
-- One decimal mark for the whole file (DESIGN §5.1): a cell that reads only with a comma (12,5, 1.234,5)
-- or only with a point (12.5, 1,234.5) decides it; both kinds of cell: mixed; neither: the format's
-- ($decimal_default), else undecided. Only cells holding a comma or a point can decide.
number_cells AS (
    SELECT line, x, {_clean(_unlettered("x"))} AS clean
    FROM (SELECT line, unnest([value, numerator, denominator]) AS x FROM raw)
    WHERE contains(x, ',') OR contains(x, '.')
),
readings AS (SELECT line, x, {comma_reading("clean")} AS comma, {point_reading("clean")} AS point FROM number_cells),
evidence AS (
    SELECT arg_min(line, line) FILTER (WHERE comma IS NOT NULL AND point IS NULL) AS comma_line,
           arg_min(x, line) FILTER (WHERE comma IS NOT NULL AND point IS NULL) AS comma_text,
           arg_min(line, line) FILTER (WHERE point IS NOT NULL AND comma IS NULL) AS point_line,
           arg_min(x, line) FILTER (WHERE point IS NOT NULL AND comma IS NULL) AS point_text
    FROM readings
),
file_mark AS (
    SELECT CASE WHEN comma_line IS NOT NULL AND point_line IS NOT NULL THEN '?'
                WHEN comma_line IS NOT NULL THEN ','
                WHEN point_line IS NOT NULL THEN '.'
                ELSE $decimal_default END AS decimal_mark,
           concat_ws('|', comma_line, trim(comma_text, {TRIM}), point_line, trim(point_text, {TRIM})) AS mark_detail
    FROM evidence
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
           m.decimal_mark, m.mark_detail,
           {_cell_projection(0)}
    FROM (SELECT *, coalesce(TRY_CAST(year AS DOUBLE), TRY_CAST(trim(year, {TRIM}) AS DOUBLE)) AS year_cast
          FROM raw) r
    LEFT JOIN indicators il ON il.cell = r.indicator
    LEFT JOIN ref_indicator i ON i.code = il.code
    LEFT JOIN areas al ON al.cell = r.area
    LEFT JOIN ref_area a ON a.code = al.code
    LEFT JOIN breakdowns b ON b.cell = r.breakdown
    CROSS JOIN file_mark m
),
cells_1 AS (SELECT *, {_cell_projection(1)} FROM parsed),
cells_2 AS (SELECT *, {_cell_projection(2)} FROM cells_1),
cells_3 AS (SELECT *, {_cell_projection(3)} FROM cells_2),
cells_4 AS (SELECT *, {_cell_projection(4)} FROM cells_3),
cells_5 AS (SELECT *, {_cell_projection(5)} FROM cells_4),
cells_6 AS (SELECT *, {_cell_projection(6)} FROM cells_5),
cells_7 AS (SELECT *, {_cell_projection(7)} FROM cells_6),
numbered AS (
    SELECT p.*, coalesce(p.value_flag, nullif(p.flag, '')) AS final_flag FROM cells_7 p
)
SELECT n.*,
       n.indicator_code IS NULL AS unknown_indicator,
       n.area_code IS NULL AS unknown_area,
       coalesce(n.year_number IS NULL OR n.year_number % 1 <> 0 OR n.year_number < $first_year
                OR n.year_number > $last_year, TRUE) AS bad_year,
       n.flag <> '' AND n.flag NOT IN {_FLAGS} AS bad_flag,
       NOT n.value_skip AND n.value_number IS NULL AND NOT n.value_ambiguous AND NOT n.value_mixed AS bad_value,
       n.value_empty AND n.final_flag IS NULL AS no_value,
       (NOT n.numerator_skip AND n.numerator_number IS NULL AND NOT n.numerator_ambiguous AND NOT n.numerator_mixed)
           OR coalesce(n.numerator_number < 0, FALSE) AS bad_numerator,
       (NOT n.denominator_skip AND n.denominator_number IS NULL AND NOT n.denominator_ambiguous
        AND NOT n.denominator_mixed) OR coalesce(n.denominator_number < 0, FALSE) AS bad_denominator,
       n.value_ambiguous OR n.numerator_ambiguous OR n.denominator_ambiguous AS ambiguous_number,
       n.value_mixed OR n.numerator_mixed OR n.denominator_mixed AS mixed_mark,
       coalesce(n.numerator_number > n.denominator_number, FALSE) AS numerator_above,
       coalesce(n.range_unit = 'Anzahl' AND n.value_number < 0, FALSE) AS negative_count,
       coalesce(n.range_unit = '%' AND (n.value_number < 0 OR n.value_number > 100), FALSE) AS bad_percent,
       coalesce(n.range_unit = '‰' AND (n.value_number < 0 OR n.value_number > 1000), FALSE) AS bad_permille,
       NOT coalesce(n.well_formed, FALSE) AS bad_breakdown,
       NOT coalesce(isfinite(n.value_number), TRUE) AS infinite_value,
       NOT coalesce(isfinite(n.numerator_number), TRUE) AS infinite_numerator,
       NOT coalesce(isfinite(n.denominator_number), TRUE) AS infinite_denominator,
       -- A count of a trillion or more is a typing error (Landkreis Peine: 130,000 people).
       coalesce(n.range_unit = 'Anzahl' AND n.value_number >= 1e12 AND isfinite(n.value_number), FALSE)
           OR coalesce(isfinite(n.numerator_number) AND n.numerator_number >= 1e12, FALSE)
           OR coalesce(isfinite(n.denominator_number) AND n.denominator_number >= 1e12, FALSE) AS implausible,
       -- 1e-400 reads as 0: a number written with a non-zero digit must not become zero silently.
       -- CASE, not AND: the pattern is matched only for the zeros.
       CASE WHEN n.value_number = 0 THEN regexp_matches(n.value, '[1-9][^eE]*[eE]') ELSE FALSE END AS underflow,
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
    "implausible",
    "underflow",
    "ambiguous_number",
    "mixed_mark",
)
_PACKED = " | ".join(f"(CAST({name} AS BIGINT) << {bit})" for bit, name in enumerate(CHECK_FLAGS))


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
       {_PACKED} AS checks, mark_detail, rejected, skipped, NOT rejected AND NOT skipped AS usable
FROM (
    SELECT *,
           unknown_indicator OR (unknown_area AND NOT area_skip) OR bad_year OR bad_flag OR bad_value
               OR (no_value AND NOT empty_skip) OR bad_numerator OR bad_denominator OR numerator_above
               OR negative_count OR bad_percent OR bad_permille OR bad_breakdown
               OR infinite_value OR infinite_numerator OR infinite_denominator OR implausible OR underflow
               OR ambiguous_number OR mixed_mark
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
    SELECT r.*, {_unpacked()}, k.mark_detail, a.first_year, a.last_year, {_raw_readings()}
    FROM (SELECT * FROM {{checked}} WHERE rejected) k JOIN ({{raw}}) r USING (cell_id)
    LEFT JOIN ref_area a ON a.code = k.area
),
keys AS (
    SELECT u.cell_id, u.line, u.indicator, u.area, u.year, u.breakdown
    FROM {{checked}} u JOIN {{duplicates}} d USING (indicator, area, year, breakdown)
    WHERE NOT u.rejected AND NOT u.skipped
),
-- One problem per repeated key, at its first line, with the count and the first five lines: a file of
-- 10,000 equal rows gives one short sentence, not 10,000 sentences of 10,000 line numbers each.
duplicates AS (
    SELECT indicator, area, year, breakdown, count(*) AS n, arg_min(cell_id, line) AS cell_id, min(line) AS line,
           array_to_string(list_slice(list(line ORDER BY line), 1, 5), ', ') AS lines
    FROM keys GROUP BY indicator, area, year, breakdown
),
repeated AS (
    SELECT d.*, concat_ws(' ', trim(r.indicator, {TRIM}), trim(r.area, {TRIM}), trim(r.year, {TRIM})) AS named
    FROM duplicates d JOIN ({{raw}}) r USING (cell_id)
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
    UNION ALL SELECT line, "column", concat_ws(' ', nullif(value, ''), nullif(numerator, ''), nullif(denominator, '')),
                     'unplausibel', '', 19 FROM c WHERE implausible
    UNION ALL SELECT line, "column", value, 'unterlauf', '', 20 FROM c WHERE underflow
    UNION ALL SELECT line, 'kennzahl', named, 'doppelt', concat(n, '|', lines), 21 FROM repeated
    UNION ALL SELECT line, "column", value, 'zwei_lesarten', concat(value_comma, '|', value_point), 22
        FROM c WHERE ambiguous_number AND value_comma <> value_point
    UNION ALL SELECT line, 'zaehler', numerator, 'zwei_lesarten', concat(numerator_comma, '|', numerator_point), 23
        FROM c WHERE ambiguous_number AND numerator_comma <> numerator_point
    UNION ALL SELECT line, 'nenner', denominator, 'zwei_lesarten', concat(denominator_comma, '|', denominator_point),
                     24 FROM c WHERE ambiguous_number AND denominator_comma <> denominator_point
    UNION ALL SELECT line, "column", value, 'dezimalzeichen_gemischt', mark_detail, 25
        FROM c WHERE mixed_mark AND value_comma IS DISTINCT FROM value_point
    UNION ALL SELECT line, 'zaehler', numerator, 'dezimalzeichen_gemischt', mark_detail, 26
        FROM c WHERE mixed_mark AND numerator_comma IS DISTINCT FROM numerator_point
    UNION ALL SELECT line, 'nenner', denominator, 'dezimalzeichen_gemischt', mark_detail, 27
        FROM c WHERE mixed_mark AND denominator_comma IS DISTINCT FROM denominator_point
)
SELECT line, "column", trim(value, {TRIM}) AS value, problem, detail FROM found ORDER BY line, "column", step
"""

SKIPPED_SQL = f"""
WITH k AS (SELECT cell_id, line, area, {_unpacked(("area_skip", "dash_skip"))} FROM {{checked}} WHERE skipped),
c AS (
    SELECT k.*, r.area AS area_text, a.first_year, a.last_year
    FROM k JOIN ({{raw}}) r USING (cell_id) LEFT JOIN ref_area a ON a.code = k.area
)
SELECT line, "column", trim(value, {TRIM}) AS value, problem, detail FROM (
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
             AND coalesce(v.flag, '') = coalesce(o.flag, '') AND coalesce(v.note, '') = coalesce(o.note, '')
            THEN 'unchanged' ELSE 'changed' END AS status
FROM (SELECT * FROM {staged} WHERE usable) v
LEFT JOIN observation o
  ON o.is_current AND o.indicator = v.indicator AND o.area = v.area AND o.year = v.year
 AND o.breakdown = v.breakdown
"""

# Which intake each usable staged row's key held at the check (none: no current value). The commit
# compares it with the keys' intakes then (optimistic: a change made since the preview refuses the commit).
SEEN_SQL = """
SELECT v.cell_id, o.intake_id FROM {staged} v
JOIN observation o
  ON o.is_current AND o.indicator = v.indicator AND o.area = v.area AND o.year = v.year
 AND o.breakdown = v.breakdown
WHERE v.usable
"""

# Usable staged rows whose key holds another intake now than at the check: the first ten, and how many.
CONFLICTS_SQL = """
SELECT v.indicator, v.area, v.year, v.breakdown, s.intake_id AS seen, o.intake_id AS now,
       count(*) OVER () AS total
FROM (SELECT * FROM {staged} WHERE usable) v
LEFT JOIN {seen} s USING (cell_id)
LEFT JOIN observation o
  ON o.is_current AND o.indicator = v.indicator AND o.area = v.area AND o.year = v.year
 AND o.breakdown = v.breakdown
WHERE s.intake_id IS DISTINCT FROM o.intake_id
QUALIFY row_number() OVER (ORDER BY v.line) <= 10
ORDER BY v.line
"""
