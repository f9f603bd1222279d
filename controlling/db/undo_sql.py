"""Undo of Ziele and Kennzahlen intakes: what replaying every other intake in its order would leave."""

from __future__ import annotations

import duckdb

from controlling.errors import StoreError

# The pairs whose targets an intake brought; its targets go, and each remaining target of those pairs is in
# force until the day before the next one decided (as Targets.add closes them), the newest without end;
# drafts take no part in that chain.
_TARGET_PAIRS = "SELECT DISTINCT indicator, area FROM target WHERE intake_id = $intake"
# Per indicator an intake touched: the image after the newest intake still committed that touched it,
# else the image before the first intake that touched it ('absent': it did not exist).
_RESTORED = """
WITH versions AS (
    SELECT v.*, i.state FROM indicator_version v JOIN intake i ON i.id = v.intake_id
    SEMI JOIN (SELECT code FROM indicator_version WHERE intake_id = $intake) t USING (code)
),
newest_after AS (
    SELECT * FROM versions WHERE image = 'after' AND state = 'committed'
    QUALIFY row_number() OVER (PARTITION BY code ORDER BY intake_id DESC) = 1
),
first_before AS (
    SELECT * FROM versions WHERE image IN ('before', 'absent')
    QUALIFY row_number() OVER (PARTITION BY code ORDER BY intake_id) = 1
)
SELECT * EXCLUDE (state) FROM newest_after
UNION ALL BY NAME
SELECT * EXCLUDE (state) FROM first_before WHERE code NOT IN (SELECT code FROM newest_after)
"""


def undo_targets(cur: duckdb.DuckDBPyConnection, intake_id: int) -> None:
    """Remove the targets of an intake and let the others of their pairs be in force again; in a transaction."""
    cur.execute("CREATE OR REPLACE TEMP TABLE undo_pairs AS " + _TARGET_PAIRS, {"intake": intake_id})
    cur.execute("DELETE FROM target WHERE intake_id = $intake", {"intake": intake_id})
    cur.execute(
        """UPDATE target SET valid_to = n.valid_to,
                  state = CASE WHEN n.valid_to IS NULL THEN 'beschlossen' ELSE 'abgeloest' END FROM (
               SELECT id, CAST(lead(valid_from) OVER (PARTITION BY indicator, area ORDER BY valid_from, id)
                               - INTERVAL 1 DAY AS DATE) AS valid_to
               FROM target SEMI JOIN undo_pairs USING (indicator, area)
               WHERE state <> 'entwurf'
           ) n WHERE target.id = n.id"""
    )
    cur.execute("DROP TABLE undo_pairs")


def undo_indicators(cur: duckdb.DuckDBPyConnection, intake_id: int) -> None:
    """Give each indicator a Kennzahlen intake touched the state replaying the other intakes gives."""
    restored = cur.execute(_RESTORED, {"intake": intake_id}).df()
    if restored.empty:
        return
    gone = restored.loc[restored["image"] == "absent", "code"].tolist()
    if gone:
        used = cur.execute(
            """SELECT DISTINCT indicator FROM (SELECT indicator FROM observation UNION ALL SELECT indicator FROM target)
               WHERE list_contains($codes, indicator) ORDER BY indicator""",
            {"codes": gone},
        ).fetchall()
        if used:
            raise StoreError(
                f"Der Import {intake_id} hat die Kennzahl(en) {', '.join(str(u[0]) for u in used)} angelegt, "
                "zu denen es inzwischen Werte oder Ziele gibt. Machen Sie zuerst diese Importe rückgängig."
            )
        cur.execute("DELETE FROM indicator WHERE list_contains($codes, code)", {"codes": gone})
    kept = restored.loc[restored["image"] != "absent"].drop(columns=["intake_id", "image"])
    if len(kept):
        cur.register("restored", kept)
        updates = ", ".join(f"{column} = restored.{column}" for column in kept.columns if column != "code")
        cur.execute(f"UPDATE indicator SET {updates} FROM restored WHERE indicator.code = restored.code")
        cur.unregister("restored")
