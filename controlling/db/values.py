"""Reading values: current and as of an intake, county values, status inputs, history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd

from controlling.db.connection import Database
from controlling.db.values_sql import (
    AFFECTED_PAIRS_SQL,
    REPORTING_YEAR_SQL,
    STATUS_SOURCES_SQL,
    VALUES_SQL,
    status_inputs_sql,
    values_head,
)

# Up to this many areas asked for, their values are gathered once before the status is computed (values_sql,
# SCOPED_CURRENT_CTE): the pairs of an import; not the dashboard's Land, Kreise and own Gemeinden.
FEW_AREAS = 100


class Values:
    """Reading current values, county values and the status inputs (DESIGN §3.3, §4)."""

    def __init__(self, db: Database) -> None:
        self._db = db

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
        return self._db.frame(sql + " ORDER BY indicator, area, year, breakdown", params)

    def years(self) -> list[int]:
        """Years with at least one current value, newest first."""
        frame = self._db.frame("SELECT DISTINCT year FROM observation WHERE is_current ORDER BY year DESC")
        return [int(year) for year in frame["year"]]

    def window_scan(self) -> int:
        """The bare scan every status builds on: the six newest yearly totals per indicator × area (no county
        values, targets or rules). Benchmarks compare the status with it; returns the number of pairs."""
        return int(
            self._db.scalar(
                """SELECT count(*) FROM (
                       SELECT indicator, area, max(year, 6) AS years, arg_max(value, year, 6) AS vals
                       FROM observation WHERE is_current AND breakdown = '' GROUP BY indicator, area)"""
            )
        )

    def coverage(self, home: str) -> pd.DataFrame:
        """Per indicator: current totals of the home Kreis and of its Land, how many Kreise and Gemeinden have
        one, the newest year, and the intake of the newest value (page "Amtliche Daten", benchmarks.amtlich)."""
        return self._db.frame(
            """SELECT o.indicator,
                      count(*) FILTER (WHERE o.area = $home) AS home_values,
                      count(*) FILTER (WHERE o.area = left($home, 2)) AS land_values,
                      count(DISTINCT o.area) FILTER (WHERE a.level = 'kreis') AS kreise,
                      count(DISTINCT o.area) FILTER (WHERE a.level = 'gemeinde') AS gemeinden,
                      max(o.year) AS last_year, max(o.intake_id) AS last_intake
               FROM current_observation o JOIN area a ON a.code = o.area
               WHERE o.breakdown = '' GROUP BY o.indicator ORDER BY o.indicator""",
            {"home": home},
        )

    def reporting_year(self) -> int | None:
        """The Berichtsjahr shown by default: the newest year in which the reporting Kreis has a value for more
        than half of its rated Kennzahlen (that have a Kreis value at all); None without such a year."""
        head, params = values_head(None, None)
        found = self._db.frame(head + VALUES_SQL + REPORTING_YEAR_SQL, params)["year"].dropna()
        return int(found.iloc[0]) if len(found) else None

    def last_intake_id(self) -> int:
        """The newest committed intake: the data version a report states."""
        return int(self._db.scalar("SELECT coalesce(max(id), 0) FROM intake WHERE state = 'committed'"))

    def current(self, *, indicators: Sequence[str] | None = None, as_of: int | None = None) -> pd.DataFrame:
        """Current yearly totals with computed county and merged-Gemeinde values (DESIGN §3.3).

        Columns: indicator, area, year, value, numerator, denominator, flag, intake_id, computed,
        converted. A county value is computed only where none is stored and every Gemeinde valid in
        that year has a value (summe) or numerator and denominator (quote); `keine` is never computed.
        """
        head, params = values_head(indicators, as_of)
        return self._db.large_frame(
            head + VALUES_SQL + " SELECT * FROM all_values ORDER BY indicator, area, year", params
        )

    def status_inputs(
        self,
        *,
        year: int | None,
        day: dt.date,
        as_of: int | None = None,
        areas: Sequence[str] | None = None,
        indicators: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """Per indicator × area with a value: what the §4 rules need (latest value, window, target, baseline).

        t is the latest year with a value (≤ year when given); the window holds the values of
        [t − 5, t]; the target is the area's own, else the `*` target, in force on `day`. `areas`: only
        these areas' rows, and only the values they need are read (a Kreis's from all its Gemeinden).
        `indicators`: only these indicators' rows.
        """
        few = areas is not None and len(areas) <= FEW_AREAS
        head, params = values_head(indicators, as_of, scoped=areas is not None, few=few)
        return self._db.large_frame(
            head + VALUES_SQL + status_inputs_sql(scoped=areas is not None),
            {
                **params,
                "year": year if year is not None else 99999,
                "day": day,
                "all_areas": areas is None,
                "areas": list(areas or []),
            },
        )

    def status_sources(self) -> pd.DataFrame:
        """What a status table is computed from, as (kind, key, digest) rows: each intake's state, per indicator a
        digest of its targets and of its catalogue row, one of all areas and one of all fields."""
        return self._db.frame(STATUS_SOURCES_SQL)

    def affected_pairs(self, intakes: Sequence[int]) -> pd.DataFrame:
        """The indicator × area pairs whose status the values of these intakes can change (committed or undone):
        their own, their Kreis's (a computed county value), their successor's, and where the reporting Kreis
        is among them, its Gemeinden's (transferred targets)."""
        return self._db.frame(AFFECTED_PAIRS_SQL, {"intakes": [int(i) for i in intakes]})

    def history(self, indicator: str, area: str, year: int) -> pd.DataFrame:
        """Every stored version of one value, newest first, with its intake's state."""
        return self._db.frame(
            """SELECT o.breakdown, o.value, o.numerator, o.denominator, o.flag, o.intake_id,
                      i.state, i.created_at, i.file_name
               FROM observation o JOIN intake i ON i.id = o.intake_id
               WHERE o.indicator = ? AND o.area = ? AND o.year = ?
               ORDER BY o.intake_id DESC""",
            [indicator, area, year],
        )

    def has_demo_data(self) -> bool:
        """True while demo data is part of the current values."""
        return bool(self._db.scalar("SELECT count(*) > 0 FROM intake WHERE format = 'demo' AND state = 'committed'"))
