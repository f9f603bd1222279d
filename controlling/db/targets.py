"""Targets (Ziele): proposed (entwurf), decided (beschlossen), replaced (abgeloest).

A decided target replaces the one in force from its day on; the old one is kept with an end date and the
state `abgeloest`. Drafts are never in force: lights use decided targets only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import pandas as pd

from controlling.db.connection import Database, audit, now
from controlling.db.intakes import IntakeFile, record_intake
from controlling.errors import NotFoundError

DRAFT, DECIDED, REPLACED = "entwurf", "beschlossen", "abgeloest"
# What a target row may bring beside its numbers; a frame without these columns holds decided targets.
LIFECYCLE_DEFAULTS: dict[str, Any] = {
    "state": DECIDED,
    "source": "",
    "body": "",
    "decision_date": None,
    "vorlage": "",
    "target_type": "verbessern",  # method 3: a limit (halten) is decided as such, never inferred
}
_COLUMNS = """id, indicator, area, target_year, target_value, baseline_year, decision, valid_from, valid_to,
              state, source, body, decision_date, vorlage, target_type"""
# Close the decided targets in force of the pairs `incoming` decides, from the day before its start.
_CLOSE = """UPDATE target SET valid_to = incoming.valid_from - INTERVAL 1 DAY, state = 'abgeloest'
            FROM incoming
            WHERE incoming.state = 'beschlossen' AND target.state = 'beschlossen'
              AND target.indicator = incoming.indicator AND target.area = incoming.area
              AND target.valid_to IS NULL AND target.valid_from <= incoming.valid_from"""


def _described(row: pd.Series) -> str:
    value = f"{row['target_value']:g}".replace(".", ",")
    area = "Landkreis (Kreisziel)" if row["area"] == "*" else row["area"]
    return f"{row['indicator']} {area}: {value} bis {row['target_year']} (Basis {row['baseline_year']})"


class Targets:
    """Targets (Ziele), versioned by validity and moving from draft to decision."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, targets: pd.DataFrame, user: str, *, intake: IntakeFile | None = None) -> int | None:
        """Insert targets (drafts and decided ones); a decided one closes the decided target in force for the
        same indicator and area the day before (one decided the same day is replaced: one target in force per
        indicator × area). Drafts close nothing.

        `intake`: a Ziele file, recorded as an intake that can be undone; its id is returned.
        """
        frame = targets.copy()
        for column, default in LIFECYCLE_DEFAULTS.items():
            if column not in frame.columns:
                frame[column] = default
            elif default is not None:
                frame[column] = frame[column].fillna(default)
        frame["decision_date"] = pd.to_datetime(frame["decision_date"]).dt.date
        frame["created_by"] = user
        frame["created_at"] = now()
        intake_id = None
        drafts = int((frame["state"] == DRAFT).sum())
        with self._db.transaction(writes=("target", "intake", "audit_log")) as cur:
            if intake is not None:
                intake_id = record_intake(cur, user, intake, {"rows_new": len(frame)})
            frame["intake_id"] = intake_id
            cur.register("incoming", frame)
            cur.execute(_CLOSE)
            cur.execute(
                """INSERT INTO target (indicator, area, target_year, target_value, baseline_year,
                       decision, valid_from, valid_to, created_by, created_at, intake_id,
                       state, source, body, decision_date, vorlage, target_type)
                   SELECT indicator, area, target_year, target_value, baseline_year, decision,
                          valid_from, NULL, created_by, created_at, intake_id,
                          state, source, body, CAST(decision_date AS DATE), vorlage, target_type FROM incoming"""
            )
            cur.unregister("incoming")
            # The log names what was proposed or decided: the Kennzahl (a form's single target) or the import.
            codes = sorted(set(frame["indicator"].astype(str)))
            key = str(intake_id) if intake_id is not None else ", ".join(codes[:5]) + (" …" if len(codes) > 5 else "")
            if len(frame) == 1:
                new = ("Entwurf: " if drafts else "beschlossen: ") + _described(frame.iloc[0])
            else:
                new = f"{len(frame) - drafts} Ziele beschlossen" + (f", {drafts} Entwürfe" if drafts else "")
            audit(cur, user, "anlegen", "target", key, new=new)
        return intake_id

    def in_force(self, *, on: dt.date | None = None) -> pd.DataFrame:
        """Decided targets in force on a day (default today)."""
        day = on or dt.date.today()
        return self._db.frame(
            f"""SELECT {_COLUMNS} FROM target
                WHERE state <> 'entwurf' AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)
                ORDER BY indicator, area""",
            [day, day],
        )

    def drafts(self) -> pd.DataFrame:
        """Targets proposed but not decided, with their source, oldest first."""
        return self._db.frame(
            f"SELECT {_COLUMNS}, created_by, created_at FROM target WHERE state = 'entwurf' ORDER BY created_at, id"
        )

    def history(self, indicator: str, area: str) -> pd.DataFrame:
        """Every target of one indicator × area (drafts, decided, replaced), newest first."""
        return self._db.frame(
            f"""SELECT {_COLUMNS}, created_by, created_at FROM target WHERE indicator = ? AND area = ?
                ORDER BY valid_from DESC, id DESC""",
            [indicator, area],
        )

    @staticmethod
    def _draft(cur: duckdb.DuckDBPyConnection, target_id: int) -> pd.Series:
        found = cur.execute(f"SELECT {_COLUMNS} FROM target WHERE id = ? AND state = 'entwurf'", [target_id]).df()
        if found.empty:
            raise NotFoundError(
                f"Einen Zielentwurf Nr. {target_id} gibt es nicht (mehr); er ist schon beschlossen oder verworfen."
            )
        return found.iloc[0]

    def decide(
        self,
        target_id: int,
        *,
        body: str,
        decision_date: dt.date,
        vorlage: str,
        valid_from: dt.date,
        user: str,
    ) -> None:
        """A draft becomes decided from `valid_from`; the decided target in force for its pair is replaced.

        The decision is the body's act, not the file's: undoing the file that proposed it keeps it.
        """
        with self._db.transaction(writes=("target", "audit_log")) as cur:
            draft = self._draft(cur, target_id)
            decision = ", ".join(part for part in (body, f"Beschluss vom {decision_date:%d.%m.%Y}", vorlage) if part)
            cur.register(
                "incoming",
                pd.DataFrame(
                    [
                        {
                            "indicator": draft["indicator"],
                            "area": draft["area"],
                            "valid_from": valid_from,
                            "state": DECIDED,
                        }
                    ]
                ),
            )
            cur.execute(_CLOSE + " AND target.id <> ?", [target_id])
            cur.unregister("incoming")
            cur.execute(
                """UPDATE target SET state = 'beschlossen', body = ?, decision_date = ?, vorlage = ?,
                       decision = ?, valid_from = ?, valid_to = NULL, intake_id = NULL
                   WHERE id = ?""",
                [body, decision_date, vorlage, decision, valid_from, target_id],
            )
            audit(
                cur,
                user,
                "beschliessen",
                "target",
                str(target_id),
                old=f"Entwurf ({draft['source']}): {_described(draft)}",
                new=f"beschlossen ab {valid_from:%d.%m.%Y}: {decision}",
            )

    def discard(self, target_id: int, *, user: str) -> None:
        """Remove a draft nobody will decide; the audit log keeps what it said."""
        with self._db.transaction(writes=("target", "audit_log")) as cur:
            draft = self._draft(cur, target_id)
            cur.execute("DELETE FROM target WHERE id = ?", [target_id])
            audit(
                cur,
                user,
                "verwerfen",
                "target",
                str(target_id),
                old=f"Entwurf ({draft['source']}): {_described(draft)}",
            )
