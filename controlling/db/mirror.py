"""On PostgreSQL: a local copy of the values (table `observation`) per process, renewed by data version.

Reads of all values (the status over millions of them) would otherwise stream every row from the server
for each query. The copy lives in a DuckDB file (compressed, spilled to disk beyond the memory limit)
attached as `mirror`; a reading cursor finds `observation` there first (search path), and the same SQL
runs on it. Before each read the data version is asked from the server (one small query); when anything
changed since, the copy is taken anew. Write transactions never use the copy.

The file outlives the process (in CONTROLLING_MIRROR_DIR, else the temporary folder): a restarted
dashboard whose database has not changed meanwhile starts without copying. It records which database and
which version it holds: the database's number on the server, the time of its first audit entry and the
data version, so a database made anew or restored under the same address is never read from an old copy.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path

import duckdb

MIRROR_DB = "mirror"
MIRRORED_TABLE = "observation"
# The same number as Store.data_version: every change of what pages show writes the audit log.
DATA_VERSION_SQL = "SELECT coalesce(max(id), 0) FROM audit_log WHERE entity <> 'account'"
# Asked on the server (an aggregate there, not rows streamed to DuckDB): the data version, the first entry.
_STATE_SQL = (
    "SELECT coalesce(max(id) FILTER (WHERE entity <> 'account'), 0)::text || '|' "
    "|| coalesce(min(changed_at)::text, '') FROM audit_log"
)
# Several processes on one machine and one database each need a copy of their own (a DuckDB file has
# one writer): the first free of these slots.
_SLOTS = 16


class Mirror:
    """The process's copy of the server's `observation` table, taken again when the data version moved."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, store: str, address: str) -> None:
        self._store = store
        self._lock = threading.Lock()
        row = connection.execute(
            f"SELECT * FROM postgres_query('{store}', "
            "'SELECT oid::text FROM pg_database WHERE datname = current_database()')"
        ).fetchone()
        self._database = f"{address}#{row[0] if row else ''}"
        folder = Path(os.environ.get("CONTROLLING_MIRROR_DIR") or Path(tempfile.gettempdir()) / "controlling-mirror")
        folder.mkdir(parents=True, exist_ok=True)
        name = hashlib.sha256(self._database.encode()).hexdigest()[:16]
        for slot in range(1, _SLOTS + 1):
            path = str(folder / f"{name}-{slot}.duckdb").replace("'", "''")
            try:
                connection.execute(f"ATTACH '{path}' AS {MIRROR_DB}")
                break
            except duckdb.IOException:  # held by another process on this machine: the next slot
                continue
        else:
            connection.execute(f"ATTACH ':memory:' AS {MIRROR_DB}")
        connection.execute(f"CREATE TABLE IF NOT EXISTS {MIRROR_DB}.mirror_state (state VARCHAR)")
        kept = connection.execute(f"SELECT max(state) FROM {MIRROR_DB}.mirror_state").fetchone()
        self._state: str | None = kept[0] if kept else None

    def use(self, cursor: duckdb.DuckDBPyConnection) -> None:
        """Make the cursor read `observation` from a copy as new as the server's data version."""
        quoted = _STATE_SQL.replace("'", "''")
        try:
            row = cursor.execute(f"SELECT * FROM postgres_query('{self._store}', '{quoted}')").fetchone()
        except duckdb.Error:  # a schema before the audit log (migration 2): nothing to mirror
            return
        state = f"{self._database}|{row[0]}" if row else None
        if state != self._state:
            with self._lock:
                if state != self._state:
                    # The version is read before the copy: a change committed meanwhile only makes the
                    # next read take the copy once more, never keeps an old copy under a new version.
                    cursor.begin()
                    cursor.execute(
                        f"CREATE OR REPLACE TABLE {MIRROR_DB}.{MIRRORED_TABLE} AS "
                        f"SELECT * FROM {self._store}.{MIRRORED_TABLE}"
                    )
                    cursor.execute(f"DELETE FROM {MIRROR_DB}.mirror_state")
                    cursor.execute(f"INSERT INTO {MIRROR_DB}.mirror_state VALUES (?)", [state])
                    cursor.commit()
                    self._state = state
        cursor.execute(f"SET search_path = '{MIRROR_DB}.main,{self._store}.public'")
