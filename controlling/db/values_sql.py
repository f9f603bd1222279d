"""The values SQL: current values, county values from Gemeinde values (§3.3) and the status inputs (§4)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

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
# The same for some areas (SCOPE_CTE). For a few areas (the pairs an import touched) materialized: the area
# filter is then applied while scanning (the scan skips row groups outside the areas' codes); left to the
# optimizer, every value of the indicators was gathered first and filtered by area afterwards. For many areas
# (the dashboard's: every Kreis, so every Gemeinde's values) not: gathering all values would cost memory.
SCOPED_CURRENT_CTE = """
WITH /*scope*/cur AS /*materialized*/ (
    SELECT indicator, area, year, value, numerator, denominator, flag, intake_id
    FROM observation
    WHERE is_current AND breakdown = '' AND ($all_indicators OR list_contains($indicators, indicator))
          AND area IN (SELECT code FROM scope)
),"""
# The values as they were right after intake N (a report's data version): per key the newest version
# from an intake up to N that is committed. Named parameters: $all_indicators, $indicators, $as_of.
# Materialized, because the window over every version is worth computing once.
AS_OF_CTE = """
WITH /*scope*/cur AS MATERIALIZED (
    SELECT o.indicator, o.area, o.year, o.value, o.numerator, o.denominator, o.flag, o.intake_id
    FROM observation o JOIN intake i ON i.id = o.intake_id AND i.state = 'committed'
    WHERE o.breakdown = '' AND ($all_indicators OR list_contains($indicators, o.indicator)) AND o.intake_id <= $as_of
          /*in scope*/
    QUALIFY row_number() OVER (PARTITION BY o.indicator, o.area, o.year ORDER BY o.intake_id DESC) = 1
),"""
# Only some areas' statuses asked for (the dashboard's, or the pairs an import touched): the values read are
# those of these areas, of the Gemeinden their county values are computed from, of the Gemeinden merged into
# them, and of the reporting Kreis and its Gemeinden (a Gemeinde's transferred target needs the Kreis's baseline
# value). Only the pairs of `shown` are aggregated. Named parameter: $areas.
SCOPE_CTE = """reporting_kreis AS (SELECT min(code) AS kreis FROM area WHERE level = 'kreis' AND NOT comparison),
shown AS MATERIALIZED (
    SELECT code FROM area WHERE list_contains($areas, code) OR code = (SELECT kreis FROM reporting_kreis)
),
scope AS MATERIALIZED (
    SELECT code FROM area
    WHERE code IN (SELECT code FROM shown) OR parent IN (SELECT code FROM shown)
       OR successor IN (SELECT code FROM shown)
),
"""
SHOWN_ONLY = " AND v.area IN (SELECT code FROM shown)"
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

# Appended to VALUES_SQL. Named parameters: $year (the latest year considered), $day (decisions up to then),
# $all_areas and $areas (the areas whose rows are returned: every pair is still computed from all values).
# One pass over all values per indicator × area: the six newest years up to $year hold the whole
# window [t − 5, t] (years are unique per pair), and the values in the baseline years of every candidate
# target are picked on the way (a few per pair).
# The target in force (§4.0, method 3): of the decided targets of the area (else, for the reporting Kreis
# and its Gemeinden, the `*` targets) the newest decision whose baseline year is not after t; where every
# decided target has a later baseline, the newest is named and the status is "before the baseline year".
# Drafts (state 'entwurf') are never in force; comparison areas never take a `*` target.
STATUS_INPUTS_SQL = """,
decided AS (
    SELECT id, indicator, area, target_value, target_year, baseline_year, target_type,
           date_diff('day', DATE '2000-01-01', valid_from) * 100000000 + id AS decided_rank
    FROM target WHERE state <> 'entwurf' AND valid_from <= $day
),
own_years AS (SELECT DISTINCT indicator, area, baseline_year AS year FROM decided WHERE area <> '*'),
star_years AS (SELECT DISTINCT indicator, baseline_year AS year FROM decided WHERE area = '*'),
reporting AS (SELECT min(code) AS kreis FROM area WHERE level = 'kreis' AND NOT comparison),
role AS (
    SELECT a.code,
           CASE WHEN a.code = r.kreis THEN 'kreis'
                WHEN a.level = 'gemeinde' AND a.parent = r.kreis THEN 'gemeinde'
                ELSE 'vergleich' END AS area_role
    FROM area a CROSS JOIN reporting r
),
-- Equality joins (hash joins on a few hundred target rows), not list look-ups per value: is the value's year a
-- baseline year of one of the pair's candidate targets?
rated AS (
    SELECT v.indicator, v.area, v.year, v.value, v.numerator, v.denominator, v.computed, v.converted,
           o.year IS NOT NULL OR s.year IS NOT NULL AS base_year
    FROM all_values v
    LEFT JOIN own_years o ON o.indicator = v.indicator AND o.area = v.area AND o.year = v.year
    LEFT JOIN star_years s ON s.indicator = v.indicator AND s.year = v.year
    WHERE v.value IS NOT NULL/*shown only*/
),
pairs AS (
    SELECT indicator, area,
           max(year, 6) FILTER (WHERE year <= $year) AS years,
           arg_max(value, year, 6) FILTER (WHERE year <= $year) AS vals,
           arg_max(computed, year) FILTER (WHERE year <= $year) AS computed,
           arg_max(converted, year) FILTER (WHERE year <= $year) AS converted,
           arg_max(numerator, year) FILTER (WHERE year <= $year) AS numerator_t,
           arg_max(denominator, year) FILTER (WHERE year <= $year) AS denominator_t,
           list({'year': year, 'value': value, 'numerator': numerator}) FILTER (WHERE base_year) AS base_points
    FROM rated
    GROUP BY indicator, area
    HAVING count(*) FILTER (WHERE year <= $year) > 0
),
breaks AS (
    SELECT code AS indicator, series_breaks,
           list_transform(regexp_extract_all(series_breaks, '(\\d{4})\\s*:', 1), lambda y: CAST(y AS INTEGER))
               AS break_years
    FROM indicator WHERE coalesce(series_breaks, '') <> ''
),
-- The reason of each break, found once per indicator and break year (not once per row: a pattern built from a
-- row's year is compiled anew for every row).
break_reasons AS (
    SELECT indicator, year,
           trim(regexp_extract(series_breaks, CAST(year AS VARCHAR) || '\\s*:\\s*([^;]*)', 1)) AS reason
    FROM (SELECT DISTINCT indicator, series_breaks, unnest(break_years) AS year FROM breaks)
),
window_stats AS MATERIALIZED (
    SELECT p.*, b.series_breaks, list_max(list_filter(b.break_years, lambda y: y <= p.years[1])) AS last_break,
           len(list_filter(p.years, lambda y: y >= greatest(p.years[1] - 5,
               coalesce(list_max(list_filter(b.break_years, lambda y: y <= p.years[1])), 0)))) AS window_values
    FROM pairs p LEFT JOIN breaks b ON b.indicator = p.indicator
),
-- Per pair the candidate target: the newest decision in force from its baseline year, else the newest.
own_pick AS (
    SELECT w.indicator, w.area,
           arg_max(d.id, d.decided_rank) FILTER (WHERE d.baseline_year <= w.years[1]) AS now_id,
           arg_max(d.id, d.decided_rank) AS newest_id
    FROM window_stats w JOIN decided d ON d.area = w.area AND d.indicator = w.indicator
    GROUP BY ALL
),
star_pick AS (
    SELECT w.indicator, w.area,
           arg_max(d.id, d.decided_rank) FILTER (WHERE d.baseline_year <= w.years[1]) AS now_id,
           arg_max(d.id, d.decided_rank) AS newest_id
    FROM window_stats w JOIN role r ON r.code = w.area AND r.area_role <> 'vergleich'
    JOIN decided d ON d.area = '*' AND d.indicator = w.indicator
    GROUP BY ALL
),
chosen AS (
    SELECT w.indicator, w.area, coalesce(r.area_role, 'vergleich') AS area_role,
           CASE WHEN o.newest_id IS NOT NULL THEN 'eigenes'
                WHEN s.newest_id IS NOT NULL AND r.area_role = 'kreis' THEN 'eigenes'
                WHEN s.newest_id IS NOT NULL AND r.area_role = 'gemeinde' THEN 'kreisziel_anteilig' END AS target_kind,
           CASE WHEN o.newest_id IS NOT NULL THEN w.area WHEN s.newest_id IS NOT NULL THEN '*' END AS target_area,
           coalesce(o.now_id, o.newest_id, s.now_id, s.newest_id) AS target_id,
           CASE WHEN o.newest_id IS NOT NULL THEN o.now_id IS NULL
                WHEN s.newest_id IS NOT NULL THEN s.now_id IS NULL END AS before_baseline
    FROM window_stats w
    LEFT JOIN role r ON r.code = w.area
    LEFT JOIN own_pick o ON o.indicator = w.indicator AND o.area = w.area
    LEFT JOIN star_pick s ON s.indicator = w.indicator AND s.area = w.area
),
targets AS (
    SELECT c.*, d.target_value, d.target_year, d.baseline_year, d.target_type,
           list_filter(w.base_points, lambda p: p.year = d.baseline_year)[1] AS base_point,
           CASE WHEN c.target_kind = 'kreisziel_anteilig' THEN
               list_filter(k.base_points, lambda p: p.year = d.baseline_year)[1].value END AS kreis_baseline_value
    FROM chosen c
    JOIN window_stats w ON w.indicator = c.indicator AND w.area = c.area
    LEFT JOIN decided d ON d.id = c.target_id
    LEFT JOIN window_stats k ON c.target_kind = 'kreisziel_anteilig' AND k.indicator = c.indicator
        AND k.area = (SELECT kreis FROM reporting)
)
SELECT w.indicator, w.area, w.years[1] AS year, w.vals[1] AS value, w.computed, w.converted,
       w.window_values,
       w.years[w.window_values] AS window_start, w.vals[w.window_values] AS window_start_value,
       CASE WHEN w.window_values > 1 THEN w.years[2] END AS previous_year,
       CASE WHEN w.window_values > 1 THEN w.vals[2] END AS previous_value,
       w.last_break,
       r.reason AS break_reason,
       c.area_role, c.target_kind, c.target_area, c.target_value, c.target_year, c.baseline_year,
       c.target_type, coalesce(c.before_baseline, FALSE) AS before_baseline,
       c.base_point.value AS baseline_value, c.kreis_baseline_value,
       CASE i.aggregation WHEN 'quote' THEN w.numerator_t WHEN 'summe' THEN w.vals[1] END AS count_value,
       CASE i.aggregation WHEN 'quote' THEN c.base_point.numerator WHEN 'summe' THEN c.base_point.value END
           AS count_baseline,
       CASE WHEN i.aggregation = 'quote' THEN w.numerator_t END AS numerator,
       CASE WHEN i.aggregation = 'quote' THEN w.denominator_t END AS denominator,
       i.name AS indicator_name, i.field, f.name AS field_name, i.unit, i.decimals, i.polarity, i.factor,
       i.threshold_green, i.threshold_yellow, i.min_count, a.name AS area_name, a.level AS area_level
FROM window_stats w
JOIN targets c ON c.indicator = w.indicator AND c.area = w.area
JOIN indicator i ON i.code = w.indicator AND NOT i.retired
JOIN field f ON f.code = i.field
LEFT JOIN area a ON a.code = w.area
LEFT JOIN break_reasons r ON r.indicator = w.indicator AND r.year = w.last_break
WHERE $all_areas OR list_contains($areas, w.area)
ORDER BY f.sort_order, w.indicator, length(w.area), w.area
"""


# Appended to VALUES_SQL: the Berichtsjahr shown by default (issue 25): the newest year in which the reporting
# Kreis has a value (stored or computed) for more than half of its rated Kennzahlen that have a Kreis value at all,
# so that a few early deliveries of Gemeinden do not move everyone's year.
REPORTING_YEAR_SQL = """,
reporting AS (SELECT min(code) AS kreis FROM area WHERE level = 'kreis' AND NOT comparison),
kreis_values AS (
    SELECT v.year, v.indicator FROM all_values v
    JOIN indicator i ON i.code = v.indicator AND NOT i.retired AND i.polarity <> 'neutral'
    WHERE v.area = (SELECT kreis FROM reporting) AND v.value IS NOT NULL
),
per_year AS (SELECT year, count(DISTINCT indicator) AS rated FROM kreis_values GROUP BY year)
SELECT max(year) AS year FROM per_year WHERE rated * 2 > (SELECT count(DISTINCT indicator) FROM kreis_values)
"""


def values_head(
    indicators: Sequence[str] | None, as_of: int | None, *, scoped: bool = False, few: bool = False
) -> tuple[str, dict[str, Any]]:
    """The `cur` CTE (current values, or those as of an intake) and its named parameters.

    `scoped`: only the values the statuses of the areas `$areas` need (SCOPE_CTE); the caller passes $areas.
    `few`: there are few such areas (their values are gathered once, see SCOPED_CURRENT_CTE).
    """
    params: dict[str, Any] = {"all_indicators": indicators is None, "indicators": list(indicators or [])}
    if as_of is None:
        head = SCOPED_CURRENT_CTE if scoped else CURRENT_CTE
        head = head.replace("/*materialized*/", "MATERIALIZED" if few else "NOT MATERIALIZED")
    else:
        head = AS_OF_CTE.replace("/*in scope*/", " AND o.area IN (SELECT code FROM scope)" if scoped else "")
    head = head.replace("/*scope*/", SCOPE_CTE if scoped else "")
    if as_of is None:
        return head, params
    return head, {**params, "as_of": as_of}


def status_inputs_sql(*, scoped: bool) -> str:
    """STATUS_INPUTS_SQL, aggregating only the pairs of the shown areas where `scoped` (see SCOPE_CTE)."""
    return STATUS_INPUTS_SQL.replace("/*shown only*/", SHOWN_ONLY if scoped else "")


# What a status table was computed from, small enough to keep beside it (issue 30, the incremental status): each
# intake's state, and a digest per indicator of its targets and of its catalogue row, and of all areas and fields.
# A later difference says which pairs to compute again.
STATUS_SOURCES_SQL = """
SELECT 'intake' AS kind, CAST(id AS VARCHAR) AS key, state || ' ' || CAST(created_at AS VARCHAR) AS digest
FROM intake
UNION ALL
SELECT 'target', indicator, md5(string_agg(CAST(t AS VARCHAR), '|' ORDER BY id)) FROM target t GROUP BY indicator
UNION ALL
SELECT 'indicator', code, md5(CAST(i AS VARCHAR)) FROM indicator i
UNION ALL
SELECT 'area', '*', coalesce(md5(string_agg(CAST(a AS VARCHAR), '|' ORDER BY code)), '') FROM area a
UNION ALL
SELECT 'field', '*', coalesce(md5(string_agg(CAST(f AS VARCHAR), '|' ORDER BY code)), '') FROM field f
"""

# The pairs whose status the values of some intakes can change (their commit or undo): the pairs themselves,
# the Kreis a Gemeinde's value counts towards (§3.3), the area a merged Gemeinde's value is carried into, and
# for the reporting Kreis all its Gemeinden (their transferred targets use its baseline value, §4.0 step 4).
# Named parameter: $intakes (ids).
AFFECTED_PAIRS_SQL = """
WITH touched AS (
    SELECT DISTINCT indicator, area FROM observation WHERE list_contains($intakes, intake_id) AND breakdown = ''
),
reporting AS (SELECT min(code) AS kreis FROM area WHERE level = 'kreis' AND NOT comparison),
lifted AS (
    SELECT indicator, area FROM touched
    UNION
    SELECT t.indicator, a.parent FROM touched t JOIN area a ON a.code = t.area AND a.level = 'gemeinde'
    WHERE a.parent IS NOT NULL
    UNION
    SELECT t.indicator, a.successor FROM touched t JOIN area a ON a.code = t.area WHERE a.successor IS NOT NULL
)
SELECT indicator, area FROM lifted
UNION
SELECT l.indicator, g.code FROM lifted l JOIN reporting r ON l.area = r.kreis JOIN area g ON g.parent = r.kreis
ORDER BY indicator, area
"""
