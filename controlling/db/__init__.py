"""The store: one DuckDB database, its migrations, and one small repository per concern.

`Store` is the composition root: it opens the connection, applies the migrations and hands each
repository the same `Database`. Every SQL statement of the product lives in this package.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path

import duckdb
import pandas as pd

from controlling.db.accounts import Accounts, Audit
from controlling.db.catalogue import Catalogue
from controlling.db.connection import DEFAULT_DB_PATH, Database, default_db_path
from controlling.db.deliveries import Deliveries
from controlling.db.goals import Goals
from controlling.db.intakes import IntakeFile, Intakes
from controlling.db.measures import Measures
from controlling.db.migrations import MIGRATIONS, Migration, known_version, migrate, schema_version
from controlling.db.network import Network
from controlling.db.notes import Notes
from controlling.db.participation import Participation
from controlling.db.signins import SessionRow, SignIns
from controlling.db.staging import ChangedSinceCheckError, StagedCheck, StagedSource, Staging, StagingReadError
from controlling.db.targets import Targets
from controlling.db.translations import Translations
from controlling.db.values import Values
from controlling.db.values_sql import OBSERVATION_COLUMNS

__all__ = [
    "DEFAULT_DB_PATH",
    "MIGRATIONS",
    "OBSERVATION_COLUMNS",
    "ChangedSinceCheckError",
    "IntakeFile",
    "Migration",
    "SessionRow",
    "SignIns",
    "StagedCheck",
    "StagedSource",
    "StagingReadError",
    "Store",
    "default_db_path",
]


class Store:
    """The database of one process and its repositories (catalogue, targets, notes, accounts, audit,
    intakes, staging, values, goals, measures, deliveries,
    sign-ins)."""

    def __init__(self, path: str | Path, *, migrations: Sequence[Migration] = MIGRATIONS) -> None:
        self._db = Database(path)
        self.path = self._db.path
        self._migrations = tuple(migrations)
        try:
            migrate(self._db, self._migrations)
        except BaseException:
            self._db.close()
            raise
        self.catalogue = Catalogue(self._db)
        self.targets = Targets(self._db)
        self.notes = Notes(self._db)
        self.accounts = Accounts(self._db)
        self.audit = Audit(self._db)
        self.signins = SignIns(self._db)
        self.intakes = Intakes(self._db)
        self.staging = Staging(self._db)
        self.values = Values(self._db)
        self.goals = Goals(self._db)
        self.measures = Measures(self._db)
        self.deliveries = Deliveries(self._db)
        self.network = Network(self._db)  # issue 27
        self.participation = Participation(self._db)
        self.translations = Translations(self._db)

    def close(self) -> None:
        """Close the process's connection."""
        self._db.close()

    @property
    def engine(self) -> str:
        """Where the data live: 'postgresql' or 'duckdb'."""
        return "postgresql" if self._db.postgres else "duckdb"

    @contextlib.contextmanager
    def transaction(self, *writes: str) -> Iterator[duckdb.DuckDBPyConnection]:
        """A write transaction changing the tables `writes` names: serialized, committed whole or rolled back."""
        with self._db.transaction(writes) as cursor:
            yield cursor

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the process's write lock across a read-then-write (e.g. diff, then commit)."""
        with self._db.write_lock:
            yield

    @property
    def known_version(self) -> int:
        """The newest schema version this program knows."""
        return known_version(self._migrations)

    def schema_version(self) -> int:
        """The schema version recorded in the database."""
        return schema_version(self._db)

    def columns(self) -> pd.DataFrame:
        """Every column of the store's tables and views (table_name, column_name, data_type), in table order."""
        return self._db.frame(
            """SELECT table_name, column_name, data_type FROM duckdb_columns()
               WHERE database_name = current_database() AND schema_name IN ('main', 'public')
               ORDER BY table_name, column_index"""
        )

    def replica_update(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """On PostgreSQL: the tables the replica's last update took whole, and those it took as logged changes."""
        replica = self._db.replica
        return ((), ()) if replica is None else (replica.last_loaded, replica.last_changed)

    def applied_migrations(self) -> pd.DataFrame:
        """Every migration recorded in the database, oldest first."""
        return self._db.frame("SELECT version, name, applied_at FROM schema_migration ORDER BY version")

    def data_version(self) -> int:
        """A number that grows with every change of what pages show (each writes the audit log): a cache key.

        Sign-ins, accounts and new contributions are left out: a failed sign-in must not make every cached table be
        computed
        and stored again (an anonymous visitor could otherwise fill the server's memory).
        """
        # A contribution from the public form keys no cached table: nothing shows it before the Referat releases it.
        return int(
            self._db.scalar(
                """SELECT coalesce(max(id), 0) FROM audit_log
                   WHERE entity <> 'account' AND NOT (entity = 'contribution' AND action = 'beitragen')"""
            )
        )
