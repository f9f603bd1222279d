"""Reference data: Handlungsfelder, Gebiete and the Kennzahlen catalogue."""

from __future__ import annotations

import pandas as pd

from controlling.db.connection import Database, audit
from controlling.db.intakes import IntakeFile, record_intake
from controlling.errors import StoreError


class Catalogue:
    """Reference data: Handlungsfelder, Gebiete and the Kennzahlen catalogue."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def is_empty(self) -> bool:
        """True when no reference data has been loaded yet."""
        return int(self._db.scalar("SELECT count(*) FROM field")) == 0

    def insert_reference(self, fields: pd.DataFrame, areas: pd.DataFrame, indicators: pd.DataFrame, user: str) -> None:
        """Insert fields, areas and indicators (English column names) in one transaction."""
        with self._db.transaction(writes=("field", "area", "indicator", "audit_log")) as cur:
            for table, frame in (("field", fields), ("area", areas), ("indicator", indicators)):
                cur.register("incoming", frame)
                columns = ", ".join(frame.columns)
                cur.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM incoming")
                cur.unregister("incoming")
            audit(
                cur,
                user,
                "laden",
                "stammdaten",
                "*",
                new=f"{len(fields)} Felder, {len(areas)} Gebiete, {len(indicators)} Kennzahlen",
            )

    def fields(self) -> pd.DataFrame:
        """Handlungsfelder in display order."""
        return self._db.frame("SELECT code, name, sort_order, rated FROM field ORDER BY sort_order, code")

    def areas(self) -> pd.DataFrame:
        """Every area with validity and successor."""
        return self._db.frame(
            """SELECT code, name, level, parent, valid_from, valid_to, successor, comparison
               FROM area ORDER BY length(code), code"""
        )

    def indicators(self, *, include_retired: bool = False) -> pd.DataFrame:
        """The indicator catalogue, ordered by field and code."""
        return self._db.frame(
            """SELECT i.code, i.name, i.field, f.name AS field_name, i.unit, i.polarity, i.decimals,
                      i.aggregation, i.factor, i.definition, i.source, i.threshold_green,
                      i.threshold_yellow, i.min_count, i.origin, i.provider, i.retired,
                      i.reference_date, i.rhythm, i.deadline, i.series_breaks,
                      i.binding, i.levels
               FROM indicator i JOIN field f ON f.code = i.field
               WHERE ? OR NOT i.retired
               ORDER BY f.sort_order, i.code""",
            [include_retired],
        )

    def add_areas(self, areas: pd.DataFrame, user: str) -> None:
        """Add areas (e.g. other Kreise from a published file as comparison areas)."""
        with self._db.transaction(writes=("area", "audit_log")) as cur:
            cur.register("incoming", areas)
            columns = ", ".join(areas.columns)
            cur.execute(f"INSERT INTO area ({columns}) SELECT {columns} FROM incoming")
            cur.unregister("incoming")
            audit(cur, user, "anlegen", "area", "*", new=f"{len(areas)} Vergleichsgebiete")

    def upsert_indicators(self, indicators: pd.DataFrame, user: str, *, intake: IntakeFile | None = None) -> int | None:
        """Add new indicators and update existing ones, each change audited old → new.

        `intake`: a Kennzahlen file, recorded as an intake with each indicator before and after, so that it
        can be undone; its id is returned.
        """
        columns = list(indicators.columns)
        with self._db.transaction(writes=("indicator", "indicator_version", "intake", "audit_log")) as cur:
            cur.register("incoming", indicators)
            old = cur.execute(
                f"SELECT {', '.join(columns)} FROM indicator SEMI JOIN incoming USING (code) ORDER BY code"
            ).df()
            intake_id = None
            if intake is not None:
                counts = {"rows_new": len(indicators) - len(old), "rows_changed": len(old)}
                intake_id = record_intake(cur, user, intake, counts)
                cur.execute(
                    """INSERT INTO indicator_version SELECT $id, 'before', i.* FROM indicator i
                           SEMI JOIN incoming USING (code)""",
                    {"id": intake_id},
                )
                cur.execute(
                    """INSERT INTO indicator_version (intake_id, image, code)
                       SELECT $id, 'absent', code FROM incoming WHERE code NOT IN (SELECT code FROM indicator)""",
                    {"id": intake_id},
                )
            updates = ", ".join(f"{c} = incoming.{c}" for c in columns if c != "code")
            cur.execute(f"UPDATE indicator SET {updates} FROM incoming WHERE indicator.code = incoming.code")
            cur.execute(
                f"INSERT INTO indicator ({', '.join(columns)}) SELECT {', '.join(columns)} FROM incoming "
                "WHERE code NOT IN (SELECT code FROM indicator)"
            )
            if intake_id is not None:
                cur.execute(
                    """INSERT INTO indicator_version SELECT $id, 'after', i.* FROM indicator i
                           SEMI JOIN incoming USING (code)""",
                    {"id": intake_id},
                )
            cur.unregister("incoming")
            for code, before, after in catalogue_changes(old, indicators):  # one entry per changed indicator
                audit(
                    cur,
                    user,
                    "import" if intake_id is None else f"import {intake_id}",
                    "indicator",
                    code,
                    old=before,
                    new=after,
                )
        return intake_id

    def stored_value_counts(self, codes: list[str]) -> dict[str, int]:
        """How many values (every version, also of undone imports) each of these indicators has stored."""
        frame = self._db.frame(
            "SELECT indicator, count(*) AS n FROM observation WHERE list_contains($codes, indicator) "
            "GROUP BY indicator",
            {"codes": codes},
        )
        return dict(zip(frame["indicator"], frame["n"].astype(int), strict=True))

    def set_retired(self, code: str, retired: bool, *, user: str) -> None:
        """Retire an indicator (kept with its data, hidden from pages) or bring it back."""
        with self._db.transaction(writes=("indicator", "audit_log")) as cur:
            cur.execute("UPDATE indicator SET retired = ? WHERE code = ?", [retired, code])
            audit(cur, user, "stilllegen", "indicator", code, old=str(not retired), new=str(retired))

    def delete_indicator(self, code: str, *, user: str) -> None:
        """Delete an indicator that never had a value or a target."""
        with self._db.transaction(writes=("indicator", "audit_log")) as cur:
            used = cur.execute(
                "SELECT (SELECT count(*) FROM observation WHERE indicator = ?)"
                " + (SELECT count(*) FROM target WHERE indicator = ?)",
                [code, code],
            ).fetchone()
            if used is not None and used[0] > 0:
                raise StoreError(
                    f"Die Kennzahl {code} hat Werte oder Ziele; sie kann stillgelegt, aber nicht gelöscht werden."
                )
            cur.execute("DELETE FROM indicator WHERE code = ?", [code])
            audit(cur, user, "löschen", "indicator", code)


def catalogue_changes(old: pd.DataFrame, new: pd.DataFrame) -> list[tuple[str, str | None, str]]:
    """Per new or changed indicator: its code, the changed fields before (None when new) and after, as text."""

    def as_text(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.set_index("code").astype(object).fillna("").astype(str)

    after = as_text(new)
    before = as_text(old).reindex(index=after.index, columns=after.columns)
    known = before.notna().all(axis=1) & after.index.isin(old["code"])
    differs = (before != after) & known.to_numpy()[:, None]
    changes: list[tuple[str, str | None, str]] = []
    for code in after.index:  # a catalogue: dozens of indicators
        if not known[code]:
            changes.append((str(code), None, "; ".join(f"{c}: {after.at[code, c]!s}" for c in after.columns)))
        elif differs.loc[code].any():
            changed = [c for c in after.columns if differs.at[code, c]]
            changes.append(
                (
                    str(code),
                    "; ".join(f"{c}: {before.at[code, c]!s}" for c in changed),
                    "; ".join(f"{c}: {after.at[code, c]!s}" for c in changed),
                )
            )
    return changes
