"""Measures (Maßnahmen): what staff keep of each, its Kennzahlen and Gemeinden, and the history of every change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import duckdb
import pandas as pd

from controlling.db.connection import Database, audit, next_id, now

# The measure's own columns a person edits, in the order the history and the audit name them.
MEASURE_FIELDS = (
    "title",
    "description",
    "goal_code",
    "carrier",
    "responsible",
    "funding",
    "funding_amount",
    "start_date",
    "due_date",
    "status",
)
TEXT_FIELDS = ("title", "description", "carrier", "responsible", "funding")  # stored '' when empty
# Links kept in their own tables, recorded in the history like a field (sorted codes joined by ', ').
LINK_FIELDS = ("indicators", "areas")

# The tables a measure's change writes.
_WRITES = ("measure", "measure_indicator", "measure_area", "measure_history", "audit_log")


def _stored(fields: Mapping[str, Any]) -> list[Any]:
    """The values of MEASURE_FIELDS in order, text fields '' rather than NULL."""
    return [
        ("" if fields.get(name) is None else fields[name]) if name in TEXT_FIELDS else fields.get(name)
        for name in MEASURE_FIELDS
    ]


def _text(value: object) -> str | None:
    """A field's value as the history keeps it: None for empty, dates as ISO, amounts without noise."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT or value == "":
        return None
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, (dt.date, pd.Timestamp)):
        return f"{pd.Timestamp(value):%Y-%m-%d}"
    if isinstance(value, (list, tuple)):
        return ", ".join(sorted(str(v) for v in value)) or None
    return str(value)


class Measures:
    """Measures with their linked Kennzahlen and Gemeinden; every change recorded per field and audited."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, fields: Mapping[str, Any], *, indicators: Sequence[str], areas: Sequence[str], user: str) -> int:
        """Insert a measure (MEASURE_FIELDS) with its links; its first values go into the history. Returns its id."""
        values = _stored(fields)
        with self._db.transaction(writes=_WRITES) as cur:
            measure_id = next_id(cur, "measure_id_seq")  # no RETURNING: DuckDB cannot return from PostgreSQL
            cur.execute(
                f"""INSERT INTO measure (id, {", ".join(MEASURE_FIELDS)}, created_at, created_by)
                    VALUES (?, {", ".join("?" for _ in MEASURE_FIELDS)}, ?, ?)""",
                [measure_id, *values, now(), user],
            )
            self._link(cur, measure_id, indicators, areas)
            first = {name: (None, _text(fields.get(name))) for name in MEASURE_FIELDS}
            first |= {"indicators": (None, _text(list(indicators))), "areas": (None, _text(list(areas)))}
            self._record(cur, measure_id, {k: v for k, v in first.items() if v[1] is not None}, user, "anlegen")
        return measure_id

    def update(
        self,
        measure_id: int,
        fields: Mapping[str, Any],
        *,
        indicators: Sequence[str],
        areas: Sequence[str],
        user: str,
    ) -> dict[str, tuple[str | None, str | None]]:
        """Save a measure's fields and links; each changed field is kept old → new. Returns the changes."""
        with self._db.transaction(writes=_WRITES) as cur:
            before = self._one(cur, measure_id)
            after = {name: _text(fields.get(name)) for name in MEASURE_FIELDS}
            after |= {"indicators": _text(list(indicators)), "areas": _text(list(areas))}
            old = {name: _text(before[name]) for name in (*MEASURE_FIELDS, *LINK_FIELDS)}
            changes = {name: (old[name], after[name]) for name in after if old[name] != after[name]}
            if not changes:
                return {}
            assignments = ", ".join(f"{name} = ?" for name in MEASURE_FIELDS)
            cur.execute(
                f"UPDATE measure SET {assignments}, changed_at = ? WHERE id = ?",
                [*_stored(fields), now(), measure_id],
            )
            cur.execute("DELETE FROM measure_indicator WHERE measure_id = ?", [measure_id])
            cur.execute("DELETE FROM measure_area WHERE measure_id = ?", [measure_id])
            self._link(cur, measure_id, indicators, areas)
            self._record(cur, measure_id, changes, user, "ändern")
        return changes

    def exists(self, measure_id: int) -> bool:
        """True when a measure with this id exists."""
        return bool(self._db.scalar("SELECT count(*) FROM measure WHERE id = ?", [measure_id]))

    def list(self, indicator: str | None = None) -> pd.DataFrame:
        """Measures with their Kennzahlen and Gemeinden (comma-joined codes and as lists), for one indicator or all."""
        return self._db.frame(
            f"""WITH links AS (
                    SELECT m.id,
                           list(DISTINCT mi.indicator ORDER BY mi.indicator)
                               FILTER (WHERE mi.indicator IS NOT NULL) AS indicator_list,
                           list(DISTINCT ma.area ORDER BY ma.area) FILTER (WHERE ma.area IS NOT NULL) AS area_list
                    FROM measure m
                    LEFT JOIN measure_indicator mi ON mi.measure_id = m.id
                    LEFT JOIN measure_area ma ON ma.measure_id = m.id
                    GROUP BY m.id)
               SELECT m.id, {", ".join(f"m.{name}" for name in MEASURE_FIELDS)}, m.created_at, m.created_by,
                      m.changed_at, coalesce(l.indicator_list, []) AS indicator_list,
                      coalesce(l.area_list, []) AS area_list,
                      array_to_string(coalesce(l.indicator_list, []), ', ') AS indicators,
                      array_to_string(coalesce(l.area_list, []), ', ') AS areas
               FROM measure m JOIN links l USING (id)
               WHERE ? IS NULL OR list_contains(l.indicator_list, ?)
               ORDER BY m.due_date NULLS LAST, m.id""",
            [indicator, indicator],
        )

    def history(self, measure_id: int | None = None) -> pd.DataFrame:
        """Every recorded change (who, when, field, old → new), newest first, for one measure or all."""
        return self._db.frame(
            """SELECT id, measure_id, changed_at, user_name, field, old_value, new_value FROM measure_history
               WHERE ? IS NULL OR measure_id = ? ORDER BY id DESC""",
            [measure_id, measure_id],
        )

    @staticmethod
    def _one(cur: duckdb.DuckDBPyConnection, measure_id: int) -> dict[str, Any]:
        row = cur.execute(
            f"""SELECT {", ".join(MEASURE_FIELDS)},
                       (SELECT list(indicator) FROM measure_indicator WHERE measure_id = $id) AS indicators,
                       (SELECT list(area) FROM measure_area WHERE measure_id = $id) AS areas
                FROM measure WHERE id = $id""",
            {"id": measure_id},
        ).fetchone()
        if row is None:
            raise KeyError(measure_id)
        return dict(zip((*MEASURE_FIELDS, *LINK_FIELDS), row, strict=True))

    @staticmethod
    def _link(cur: duckdb.DuckDBPyConnection, measure_id: int, indicators: Sequence[str], areas: Sequence[str]) -> None:
        if indicators:
            cur.executemany(
                "INSERT INTO measure_indicator VALUES (?, ?)",
                [[measure_id, code] for code in dict.fromkeys(indicators)],
            )
        if areas:
            cur.executemany(
                "INSERT INTO measure_area VALUES (?, ?)", [[measure_id, code] for code in dict.fromkeys(areas)]
            )

    @staticmethod
    def _record(
        cur: duckdb.DuckDBPyConnection,
        measure_id: int,
        changes: Mapping[str, tuple[str | None, str | None]],
        user: str,
        action: str,
    ) -> None:
        """One history row per changed field, and one audit entry naming them all, in the same transaction."""
        when = now()
        cur.executemany(
            "INSERT INTO measure_history (measure_id, changed_at, user_name, field, old_value, new_value) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [[measure_id, when, user, name, old, new] for name, (old, new) in changes.items()],
        )
        old_text = "; ".join(f"{name}: {old or ''}" for name, (old, _) in changes.items())
        new_text = "; ".join(f"{name}: {new or ''}" for name, (_, new) in changes.items())
        audit(
            cur, user, action, "measure", str(measure_id), old=None if action == "anlegen" else old_text, new=new_text
        )
