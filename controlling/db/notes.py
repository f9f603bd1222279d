"""Comments (Einordnungen) and measures (Maßnahmen)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from controlling.db.connection import Database, audit, next_id, now


class Notes:
    """Comments (Einordnungen) and measures (Maßnahmen)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add_comments(self, comments: pd.DataFrame, user: str) -> None:
        """Insert comments (indicator, area, year, text)."""
        frame = comments.reindex(columns=["indicator", "area", "year", "text"]).copy()
        frame["author"] = user
        frame["created_at"] = now()
        with self._db.transaction() as cur:
            cur.register("incoming", frame)
            cur.execute(
                """INSERT INTO comment (indicator, area, year, text, author, created_at)
                   SELECT indicator, area, year, text, author, created_at FROM incoming"""
            )
            cur.unregister("incoming")
            audit(cur, user, "anlegen", "comment", "*", new=f"{len(frame)} Einordnungen")

    def comments(self, indicator: str | None = None) -> pd.DataFrame:
        """Comments, newest year first, for one indicator or all."""
        return self._db.frame(
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
        with self._db.transaction() as cur:
            measure_id = next_id(cur, "measure_id_seq")
            cur.execute(
                """INSERT INTO measure (id, title, description, responsible, status, due_date, created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                [measure_id, title, description, responsible, status, due_date, now()],
            )
            cur.executemany("INSERT INTO measure_indicator VALUES (?, ?)", [[measure_id, code] for code in indicators])
            audit(cur, user, "anlegen", "measure", str(measure_id), new=title)
        return measure_id

    def measures(self, indicator: str | None = None) -> pd.DataFrame:
        """Measures with their linked indicators (comma-joined), for one indicator or all."""
        return self._db.frame(
            """SELECT m.id, m.title, m.description, m.responsible, m.status, m.due_date, m.created_at,
                      string_agg(mi.indicator, ', ' ORDER BY mi.indicator) AS indicators
               FROM measure m LEFT JOIN measure_indicator mi ON mi.measure_id = m.id
               GROUP BY ALL
               HAVING ? IS NULL OR list_contains(list(mi.indicator), ?)
               ORDER BY m.due_date NULLS LAST, m.id""",
            [indicator, indicator],
        )
