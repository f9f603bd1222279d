"""Data deliveries (Datenlieferungen): which committed intakes brought values of a year, and the values a
provider's template shows as the previous year's hint."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from controlling.db.connection import Database


class Deliveries:
    """What arrived: per indicator × area × year the committed intakes that brought a total value."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def arrivals(self, years: Sequence[int]) -> pd.DataFrame:
        """Per indicator, area, year and breakdown every committed intake that brought a value of the total
        (breakdown '') or of a half-year (`Halbjahr=1`, `Halbjahr=2`), with its file, time and user; undone
        intakes are no delivery."""
        return self._db.frame(
            """SELECT o.indicator, o.area, o.year, o.breakdown, i.id AS intake_id, i.created_at, i.file_name,
                      i.user_name, i.format
               FROM observation o JOIN intake i ON i.id = o.intake_id AND i.state = 'committed'
               WHERE o.breakdown IN ('', 'Halbjahr=1', 'Halbjahr=2') AND list_contains($years, o.year)
               GROUP BY ALL ORDER BY o.indicator, o.area, o.year, i.id""",
            {"years": [int(year) for year in years]},
        )

    def current_totals(self, indicators: Sequence[str], year: int) -> pd.DataFrame:
        """The current total values (breakdown '') of these indicators in one year: indicator, area, value, flag."""
        return self._db.frame(
            """SELECT indicator, area, value, numerator, denominator, flag FROM current_observation
               WHERE breakdown = '' AND year = $year AND list_contains($codes, indicator)""",
            {"year": int(year), "codes": list(indicators)},
        )
