"""The goal system (Zielsystem): Leitbild text, Leitziele and Handlungsziele linked to Kennzahlen.

Every change keeps a version (goal_version, leitbild_version) and is audited old → new in the same
transaction. The tree is always written whole: a form edit and a file import take the same path.
"""

from __future__ import annotations

import pandas as pd

from controlling.db.connection import Database, audit, now

GOAL_FIELDS = ["code", "kind", "field", "parent", "title", "text", "sort_order"]
LINK_FIELDS = ["goal_code", "indicator", "sort_order"]
# One goal in words for the audit log and its versions; the order of the tree is not part of it.
_IMAGE = """concat_ws('; ', 'Titel: ' || g.title, 'Handlungsfeld: ' || g.field, 'übergeordnet: ' || g.parent,
                      'Kennzahlen: ' || coalesce(l.indicators, ''), 'Beschreibung: ' || g.text)"""
_IMAGES = f"""
WITH cur_links AS (
    SELECT goal_code, string_agg(indicator, ', ' ORDER BY sort_order, indicator) AS indicators
    FROM goal_indicator GROUP BY goal_code
),
new_links AS (
    SELECT goal_code, string_agg(indicator, ', ' ORDER BY sort_order, indicator) AS indicators
    FROM incoming_links GROUP BY goal_code
),
cur AS (
    SELECT g.*, coalesce(l.indicators, '') AS indicators, {_IMAGE} AS image
    FROM goal g LEFT JOIN cur_links l ON l.goal_code = g.code
),
new AS (
    SELECT g.*, coalesce(l.indicators, '') AS indicators, {_IMAGE} AS image
    FROM incoming_goals g LEFT JOIN new_links l ON l.goal_code = g.code
),
last_version AS (SELECT code, max(version) AS version FROM goal_version GROUP BY code),
changes AS (
    SELECT n.*, c.image AS old_image, coalesce(v.version, 0) + 1 AS new_version,
           CASE WHEN c.code IS NULL THEN 'anlegen' ELSE 'ändern' END AS action
    FROM new n LEFT JOIN cur c ON c.code = n.code LEFT JOIN last_version v ON v.code = n.code
    WHERE c.code IS NULL OR c.image IS DISTINCT FROM n.image OR c.kind <> n.kind
),
removals AS (
    SELECT c.*, v.version + 1 AS new_version FROM cur c JOIN last_version v ON v.code = c.code
    WHERE c.code NOT IN (SELECT code FROM incoming_goals)
)
"""


class Goals:
    """Leitbild, Leitziele and Handlungsziele with their Kennzahlen; versioned and audited."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def tree(self) -> pd.DataFrame:
        """Every goal in tree order (Leitziele and Handlungsziele; `parent` is a Handlungsziel's Leitziel)."""
        return self._db.frame(f"SELECT {', '.join(GOAL_FIELDS)}, version FROM goal ORDER BY sort_order, code")

    def links(self) -> pd.DataFrame:
        """Which Kennzahlen each Handlungsziel is measured by, in the order given."""
        return self._db.frame(f"SELECT {', '.join(LINK_FIELDS)} FROM goal_indicator ORDER BY goal_code, sort_order")

    def handlungsziele(self) -> pd.DataFrame:
        """One row per Handlungsziel: code, title, field, parent (for forms that refer to one, e.g. measures)."""
        return self._db.frame(
            "SELECT code, title, field, parent FROM goal WHERE kind = 'handlungsziel' ORDER BY sort_order, code"
        )

    def leitbild(self) -> str:
        """The Leitbild text in force (Markdown), empty before the first one."""
        text = self._db.scalar("SELECT text FROM leitbild_version ORDER BY version DESC LIMIT 1")
        return "" if text is None else str(text)

    def is_empty(self) -> bool:
        """True before any Leitbild or goal was ever written (the shipped one is then loaded)."""
        return not self._db.scalar(
            "SELECT (SELECT count(*) FROM leitbild_version) + (SELECT count(*) FROM goal_version)"
        )

    def versions(self, code: str | None = None) -> pd.DataFrame:
        """Every version of one goal (or of all), newest first."""
        return self._db.frame(
            """SELECT code, version, kind, field, parent, title, text, indicators, removed, changed_by, changed_at
               FROM goal_version WHERE ? IS NULL OR code = ? ORDER BY changed_at DESC, code, version DESC""",
            [code, code],
        )

    def leitbild_versions(self) -> pd.DataFrame:
        """Every Leitbild text, newest first."""
        return self._db.frame(
            "SELECT version, text, changed_by, changed_at FROM leitbild_version ORDER BY version DESC"
        )

    def save_leitbild(self, text: str, *, user: str) -> bool:
        """Keep a new Leitbild version (the old stays); False when the text did not change."""
        with self._db.transaction(writes=("leitbild_version", "audit_log")) as cur:
            row = cur.execute("SELECT version, text FROM leitbild_version ORDER BY version DESC LIMIT 1").fetchone()
            old = None if row is None else str(row[1])
            if old == text:
                return False
            version = 1 if row is None else int(row[0]) + 1
            cur.execute("INSERT INTO leitbild_version VALUES (?, ?, ?, ?)", [version, text, user, now()])
            audit(
                cur, user, "anlegen" if old is None else "ändern", "leitbild", f"Version {version}", old=old, new=text
            )
        return True

    def replace(self, goals: pd.DataFrame, links: pd.DataFrame, *, user: str) -> int:
        """Make the tree the given one; each goal added, changed or removed gets a version and an audit entry.

        Returns how many goals changed. `goals` has GOAL_FIELDS, `links` LINK_FIELDS; both are checked before.
        """
        stamp = now()
        with self._db.transaction(writes=("goal", "goal_indicator", "goal_version", "audit_log")) as cur:
            cur.register("incoming_goals", goals[GOAL_FIELDS])
            cur.register("incoming_links", links[LINK_FIELDS])
            cur.execute("CREATE OR REPLACE TEMP TABLE goal_changes AS " + _IMAGES + " SELECT * FROM changes")
            cur.execute("CREATE OR REPLACE TEMP TABLE goal_removals AS " + _IMAGES + " SELECT * FROM removals")
            cur.execute(
                """INSERT INTO goal_version
                   SELECT code, new_version, kind, field, parent, title, text, sort_order, indicators, FALSE, $user,
                          $stamp FROM goal_changes
                   UNION ALL
                   SELECT code, new_version, kind, field, parent, title, text, sort_order, indicators, TRUE, $user,
                          $stamp FROM goal_removals""",
                {"user": user, "stamp": stamp},
            )
            cur.execute(
                """INSERT INTO audit_log (changed_at, user_name, action, entity, entity_key, old_value, new_value)
                   SELECT $stamp, $user, action, 'goal', code, old_image, image FROM goal_changes
                   UNION ALL
                   SELECT $stamp, $user, 'entfernen', 'goal', code, image, NULL FROM goal_removals
                   ORDER BY 5""",
                {"user": user, "stamp": stamp},
            )
            changed = cur.execute(
                "SELECT (SELECT count(*) FROM goal_changes) + (SELECT count(*) FROM goal_removals)"
            ).fetchone()
            cur.execute(
                """CREATE OR REPLACE TEMP TABLE goal_next AS
                   SELECT g.*, coalesce(c.new_version, o.version, 1) AS version FROM incoming_goals g
                   LEFT JOIN goal_changes c ON c.code = g.code LEFT JOIN goal o ON o.code = g.code"""
            )
            cur.execute("DELETE FROM goal_indicator")
            cur.execute("DELETE FROM goal")
            cur.execute(f"INSERT INTO goal SELECT {', '.join(GOAL_FIELDS)}, version FROM goal_next")
            cur.execute(f"INSERT INTO goal_indicator SELECT {', '.join(LINK_FIELDS)} FROM incoming_links")
            for table in ("goal_changes", "goal_removals", "goal_next"):
                cur.execute(f"DROP TABLE {table}")
            cur.unregister("incoming_goals")
            cur.unregister("incoming_links")
        return 0 if changed is None else int(changed[0])
