"""On PostgreSQL: a local copy of the values (table `observation`) per process, renewed by data version.

Reads of all values (the status over millions of them) would otherwise stream every row from the server
for each query. The copy lives in a DuckDB file of the process (compressed, spilled to disk beyond the
memory limit) attached as `mirror`; a reading cursor finds `observation` there first (search path), and the
same SQL runs on it. Before each read the data version is asked from the server (one small query); when
another process changed anything since, the copy is taken anew. Write transactions never use the copy.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path

import duckdb

MIRROR_DB = "mirror"
MIRRORED_TABLE = "observation"
# The same number as Store.data_version: every change of what pages show writes the audit log.
DATA_VERSION_SQL = "SELECT coalesce(max(id), 0) FROM audit_log WHERE entity <> 'account'"


class Mirror:
    """The process's copy of the server's `observation` table, taken again when the data version moved."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, store: str) -> None:
        self._folder = Path(tempfile.mkdtemp(prefix="controlling-mirror-"))
        self._store = store
        self._lock = threading.Lock()
        self._version: int | None = None
        connection.execute(f"ATTACH '{self._folder / 'mirror.duckdb'}' AS {MIRROR_DB}")

    def use(self, cursor: duckdb.DuckDBPyConnection) -> None:
        """Make the cursor read `observation` from a copy as new as the server's data version."""
        try:
            row = cursor.execute(DATA_VERSION_SQL).fetchone()
        except duckdb.CatalogException:  # a schema before the audit log (migration 2): nothing to mirror
            return
        version = int(row[0]) if row else 0
        if version != self._version:
            with self._lock:
                if version != self._version:
                    # The version is read before the copy: a change committed meanwhile only makes the
                    # next read take the copy once more, never keeps an old copy under a new version.
                    cursor.execute(
                        f"CREATE OR REPLACE TABLE {MIRROR_DB}.{MIRRORED_TABLE} AS "
                        f"SELECT * FROM {self._store}.{MIRRORED_TABLE}"
                    )
                    self._version = version
        cursor.execute(f"SET search_path = '{MIRROR_DB}.main,{self._store}.public'")

    def close(self) -> None:
        """Delete the copy's folder (the connection that attached it is closed already)."""
        shutil.rmtree(self._folder, ignore_errors=True)
