"""Comments (Einordnungen); measures live in controlling.db.measures."""

from __future__ import annotations

import pandas as pd

from controlling.db.connection import Database, audit, now


class Notes:
    """Comments (Einordnungen)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add_comments(self, comments: pd.DataFrame, user: str) -> None:
        """Insert comments (indicator, area, year, text)."""
        frame = comments.reindex(columns=["indicator", "area", "year", "text"]).copy()
        frame["author"] = user
        frame["created_at"] = now()
        with self._db.transaction(writes=("comment", "audit_log")) as cur:
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
