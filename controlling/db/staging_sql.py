"""The SQL that checks a staged file: cell rules, verdicts, problems, skips, duplicates, the diff."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from controlling.db.connection import STAGING_DB
from controlling.db.number_sql import (
    FLAGS,
    TRIM,
    cell_projection,
    clean_text,
    comma_reading,
    point_reading,
    raw_readings,
    unlettered,
)


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
-- Breakdown labels are compared as a person reads them: Unicode NFC, blanks trimmed and runs of blanks as
-- one, case ignored (`geschlecht = Weiblich` is `Geschlecht=weiblich`). Each label keeps one spelling per
-- Kennzahl: the one already stored, else the file's first.
breakdown_parts AS (
    SELECT cell, b, list_transform(string_split(b, '|'), lambda p: trim(p, {TRIM})) AS parts
    FROM (SELECT cell, trim(nfc_normalize(cell), {TRIM}) AS b FROM (SELECT DISTINCT breakdown AS cell FROM raw))
),
breakdowns AS (
    SELECT cell,
           CASE WHEN b = '' THEN '' ELSE array_to_string(list_sort(list_transform(parts, lambda p:
               regexp_replace(trim(split_part(p, '=', 1), {TRIM}), '\\s+', ' ', 'g') || '='
               || regexp_replace(trim(split_part(p, '=', 2), {TRIM}), '\\s+', ' ', 'g'))), '|') END AS canonical,
           b = '' OR list_bool_and(list_transform(parts,
               lambda p: length(p) - length(replace(p, '=', '')) = 1 AND trim(split_part(p, '=', 1), {TRIM}) <> ''))
               AS well_formed
    FROM breakdown_parts
),
breakdown_keys AS (
    SELECT cell, canonical, well_formed,
           CASE WHEN canonical = '' THEN '' ELSE array_to_string(list_sort(string_split(lower(canonical), '|')), '|')
           END AS label_key
    FROM breakdowns
),
file_spellings AS (
    SELECT il.code AS indicator, k.label_key, arg_min(k.canonical, r.line) AS spelling
    FROM raw r JOIN breakdown_keys k ON k.cell = r.breakdown JOIN indicators il ON il.cell = r.indicator
    WHERE k.label_key <> '' AND il.code IS NOT NULL
    GROUP BY ALL
),
stored_spellings AS (
    SELECT o.indicator, array_to_string(list_sort(string_split(lower(o.breakdown), '|')), '|') AS label_key,
           min(o.breakdown) AS spelling
    FROM (SELECT DISTINCT indicator, breakdown FROM observation
          WHERE breakdown <> '' AND indicator IN (SELECT indicator FROM file_spellings)) o
    GROUP BY ALL
),
spellings AS (
    SELECT f.indicator, f.label_key, coalesce(s.spelling, f.spelling) AS spelling
    FROM file_spellings f LEFT JOIN stored_spellings s USING (indicator, label_key)
),
-- One decimal mark for the whole file (DESIGN §5.1): a cell that reads only with a comma (12,5, 1.234,5)
-- or only with a point (12.5, 1,234.5) decides it; both kinds of cell: mixed; neither: the format's
-- ($decimal_default), else undecided. Only cells holding a comma or a point can decide.
number_cells AS (
    SELECT line, x, {clean_text(unlettered("x"))} AS clean
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
           i.decimals, i.aggregation, i.polarity, i.factor,
           CASE WHEN i.aggregation <> 'keine' OR i.polarity <> 'neutral' OR i.code IS NULL THEN i.unit ELSE '' END
               AS range_unit,
           a.first_year, a.last_year,
           CASE WHEN b.label_key = '' THEN '' ELSE coalesce(sp.spelling, b.canonical) END AS breakdown_code,
           b.well_formed,
           m.decimal_mark, m.mark_detail,
           {cell_projection(0)}
    FROM (SELECT *, coalesce(TRY_CAST(year AS DOUBLE), TRY_CAST(trim(year, {TRIM}) AS DOUBLE)) AS year_cast
          FROM raw) r
    LEFT JOIN indicators il ON il.cell = r.indicator
    LEFT JOIN ref_indicator i ON i.code = il.code
    LEFT JOIN areas al ON al.cell = r.area
    LEFT JOIN ref_area a ON a.code = al.code
    LEFT JOIN breakdown_keys b ON b.cell = r.breakdown
    LEFT JOIN spellings sp ON sp.indicator = il.code AND sp.label_key = b.label_key
    CROSS JOIN file_mark m
),
cells_1 AS (SELECT *, {cell_projection(1)} FROM parsed),
cells_2 AS (SELECT *, {cell_projection(2)} FROM cells_1),
cells_3 AS (SELECT *, {cell_projection(3)} FROM cells_2),
cells_4 AS (SELECT *, {cell_projection(4)} FROM cells_3),
cells_5 AS (SELECT *, {cell_projection(5)} FROM cells_4),
cells_6 AS (SELECT *, {cell_projection(6)} FROM cells_5),
cells_7 AS (SELECT *, {cell_projection(7)} FROM cells_6),
numbered AS (
    SELECT p.*, coalesce(p.value_flag, nullif(p.flag, '')) AS final_flag FROM cells_7 p
)
SELECT n.*,
       n.indicator_code IS NULL AS unknown_indicator,
       n.area_code IS NULL AS unknown_area,
       coalesce(n.year_number IS NULL OR n.year_number % 1 <> 0 OR n.year_number < $first_year
                OR n.year_number > $last_year, TRUE) AS bad_year,
       n.flag <> '' AND n.flag NOT IN {FLAGS} AS bad_flag,
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
       -- A quota's value and its counts must say the same, up to the rounding to the Kennzahl's decimals.
       coalesce(n.aggregation = 'quote' AND n.denominator_number > 0 AND isfinite(n.numerator_number)
                AND isfinite(n.value_number) AND isfinite(n.denominator_number)
                AND abs(n.value_number - n.numerator_number / n.denominator_number * n.factor)
                    > 0.5 * pow(10, -coalesce(n.decimals, 1)) + 1e-9, FALSE) AS counts_contradict,
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
    "counts_contradict",
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
               OR ambiguous_number OR mixed_mark OR counts_contradict
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
    SELECT r.*, {_unpacked()}, k.mark_detail, a.first_year, a.last_year, {raw_readings()},
           concat_ws('|', k.numerator, k.denominator, i.factor, k.numerator / k.denominator * i.factor,
                     coalesce(i.decimals, 1)) AS counts_detail
    FROM (SELECT * FROM {{checked}} WHERE rejected) k JOIN ({{raw}}) r USING (cell_id)
    LEFT JOIN ref_area a ON a.code = k.area
    LEFT JOIN ref_indicator i ON i.code = k.indicator
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
    UNION ALL SELECT line, "column", value, 'widerspricht_zaehler_nenner', counts_detail, 28
        FROM c WHERE counts_contradict
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
