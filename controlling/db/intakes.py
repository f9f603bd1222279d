"""Intakes (Importe): a frame written as one intake, the history, exact undo, kept source mappings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from controlling.db.connection import Database, audit, next_id, now
from controlling.db.undo_sql import undo_indicators, undo_targets
from controlling.db.values_sql import OBSERVATION_COLUMNS
from controlling.errors import NotFoundError, StoreError


@dataclass(frozen=True)
class IntakeFile:
    """The file a Ziele or Kennzahlen intake comes from, recorded with it."""

    file_name: str
    sha256: str
    format: str


# The tables an undo writes (a Ziele or Kennzahlen intake takes back its targets or indicators).
_UNDO_WRITES = ("intake", "observation", "target", "indicator", "audit_log")


def record_intake(cur: duckdb.DuckDBPyConnection, user: str, file: IntakeFile, counts: dict[str, int]) -> int:
    """The intake record of a file (committed), in the caller's transaction; returns its id."""
    intake_id = next_id(cur, "intake_id_seq")
    cur.execute(
        """INSERT INTO intake (id, created_at, user_name, file_name, sha256, format, rows_new,
               rows_changed, rows_unchanged, rows_rejected, state)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'committed')""",
        [
            intake_id,
            now(),
            user,
            file.file_name,
            file.sha256,
            file.format,
            counts.get("rows_new", 0),
            counts.get("rows_changed", 0),
            counts.get("rows_unchanged", 0),
            counts.get("rows_rejected", 0),
        ],
    )
    return intake_id


def write_intake(
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
    intake_id = record_intake(cur, user, IntakeFile(file_name, sha256, format), counts)
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
    audit(cur, user, "import", "intake", str(intake_id), new=f"{file_name} ({count} Werte)")
    return intake_id


class Intakes:
    """Intakes (Importe): writing a frame as one intake, the history, undo, kept source mappings."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(
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
        with self._db.transaction(writes=("intake", "observation", "audit_log")) as cur:
            cur.register("incoming", frame)
            intake_id = write_intake(cur, "incoming", user, file_name, sha256, format, counts)
            cur.unregister("incoming")
        return intake_id

    def history(self) -> pd.DataFrame:
        """The intake history, newest first."""
        return self._db.frame(
            """SELECT id, created_at, user_name, file_name, sha256, format, rows_new, rows_changed,
                      rows_unchanged, rows_rejected, state, undone_at, undone_by, method_version
               FROM intake ORDER BY id DESC"""
        )

    def undo(self, intake_id: int, user: str) -> None:
        """Mark an intake as undone so the previous values become current again."""
        with self._db.transaction(writes=_UNDO_WRITES) as cur:
            row = cur.execute("SELECT state FROM intake WHERE id = ?", [intake_id]).fetchone()
            if row is None:
                raise NotFoundError(f"Einen Import mit der Nummer {intake_id} gibt es nicht.")
            if row[0] == "undone":
                raise StoreError(f"Der Import {intake_id} wurde bereits rückgängig gemacht.")
            cur.execute(
                "UPDATE intake SET state = 'undone', undone_at = ?, undone_by = ? WHERE id = ?",
                [now(), user, intake_id],
            )
            undo_targets(cur, intake_id)
            undo_indicators(cur, intake_id)
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
            audit(cur, user, "rückgängig", "intake", str(intake_id), old="committed", new="undone")

    def find_by_sha256(self, sha256: str) -> pd.DataFrame:
        """Committed intakes of a file with this checksum."""
        return self._db.frame(
            "SELECT id, created_at, file_name FROM intake WHERE sha256 = ? AND state = 'committed' ORDER BY id",
            [sha256],
        )

    def source_mappings(self) -> pd.DataFrame:
        """Kept mappings of foreign sources (Open SDG, GENESIS) to indicators."""
        return self._db.frame(
            "SELECT source, indicator, total_breakdown, add_comparison_areas FROM source_mapping ORDER BY source"
        )

    def save_source_mapping(
        self, source: str, indicator: str, *, user: str, total_breakdown: str = "", add_comparison_areas: bool = False
    ) -> None:
        """Remember which indicator a source feeds (replacing an earlier choice)."""
        with self._db.transaction(writes=("source_mapping", "audit_log")) as cur:
            old = cur.execute("SELECT indicator FROM source_mapping WHERE source = ?", [source]).fetchone()
            cur.execute("DELETE FROM source_mapping WHERE source = ?", [source])
            cur.execute(
                "INSERT INTO source_mapping VALUES (?, ?, ?, ?, ?, ?)",
                [source, indicator, total_breakdown, add_comparison_areas, user, now()],
            )
            audit(cur, user, "zuordnen", "source_mapping", source, old=None if old is None else old[0], new=indicator)
