"""Targets (Ziele): a new target replaces the one in force from its day on; the old one is kept."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from controlling.db.connection import Database, audit, now
from controlling.db.intakes import IntakeFile, record_intake


class Targets:
    """Targets (Ziele), versioned by validity."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, targets: pd.DataFrame, user: str, *, intake: IntakeFile | None = None) -> int | None:
        """Insert targets; the target in force for the same indicator and area is closed the day before (one
        decided the same day is replaced: one target in force per indicator × area).

        `intake`: a Ziele file, recorded as an intake that can be undone; its id is returned.
        """
        frame = targets.copy()
        frame["created_by"] = user
        frame["created_at"] = now()
        intake_id = None
        with self._db.transaction() as cur:
            if intake is not None:
                intake_id = record_intake(cur, user, intake, {"rows_new": len(frame)})
            frame["intake_id"] = intake_id
            cur.register("incoming", frame)
            cur.execute(
                """UPDATE target SET valid_to = incoming.valid_from - INTERVAL 1 DAY
                   FROM incoming
                   WHERE target.indicator = incoming.indicator AND target.area = incoming.area
                     AND target.valid_to IS NULL AND target.valid_from <= incoming.valid_from"""
            )
            cur.execute(
                """INSERT INTO target (indicator, area, target_year, target_value, baseline_year,
                       decision, valid_from, valid_to, created_by, created_at, intake_id)
                   SELECT indicator, area, target_year, target_value, baseline_year, decision,
                          valid_from, NULL, created_by, created_at, intake_id FROM incoming"""
            )
            cur.unregister("incoming")
            audit(
                cur, user, "anlegen", "target", "*" if intake_id is None else str(intake_id), new=f"{len(frame)} Ziele"
            )
        return intake_id

    def in_force(self, *, on: dt.date | None = None) -> pd.DataFrame:
        """Targets in force on a day (default today)."""
        day = on or dt.date.today()
        return self._db.frame(
            """SELECT id, indicator, area, target_year, target_value, baseline_year, decision,
                      valid_from, valid_to
               FROM target
               WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)
               ORDER BY indicator, area""",
            [day, day],
        )
