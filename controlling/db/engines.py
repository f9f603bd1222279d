"""Where the data live: a DuckDB file (one machine) or a PostgreSQL server (several processes).

The product's SQL is DuckDB's in both cases: a DuckDB file is attached as the catalog `store`; for a
PostgreSQL server, the process's replica of it is (replica.py). What differs lives here: how a schema
statement runs on the server, and how writes of several processes are serialized.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from controlling.errors import StoreBusyError, StoreError

POSTGRES_SCHEMES = ("postgresql://", "postgres://")
# Every write transaction of every process on one PostgreSQL database holds this advisory lock.
WRITE_LOCK_KEY = 740_315_7
# How long a write waits for another process's write before it is refused (seconds).
DEFAULT_WRITE_WAIT = 30
# DuckDB types that PostgreSQL spells otherwise; a migration's statement is translated word by word.
_POSTGRES_TYPES = {
    r"\bDOUBLE\b(?!\s+PRECISION)": "DOUBLE PRECISION",
    r"\bTINYINT\b": "SMALLINT",
    r"\bHUGEINT\b": "NUMERIC(38)",
    r"\bUBIGINT\b": "NUMERIC(20)",
    r"\bUINTEGER\b": "BIGINT",
    r"\bBLOB\b": "BYTEA",
    r"\bJSON\b": "JSONB",
}


def is_postgres(target: str | Path) -> bool:
    """True for a PostgreSQL address (postgresql://…), False for a DuckDB file path or :memory:."""
    return str(target).startswith(POSTGRES_SCHEMES)


def shown_address(target: str | Path) -> str:
    """The address as it may be shown and logged: a password in it is replaced by ***."""
    text = str(target)
    if not is_postgres(text):
        return text
    parts = urlsplit(text)
    if parts.password is None:
        return text
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def to_postgres(statement: str) -> str:
    """A DuckDB schema statement in PostgreSQL's spelling of the types (DOUBLE -> DOUBLE PRECISION, …)."""
    for pattern, replacement in _POSTGRES_TYPES.items():
        statement = re.sub(pattern, replacement, statement, flags=re.IGNORECASE)
    return statement


def _psycopg() -> Any:
    import psycopg

    return psycopg


def first_line(exc: BaseException) -> str:
    """The first line of a driver's error (its details follow on further lines), or the error's type."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def unreachable(address: str, exc: BaseException) -> StoreError:
    """The German error for a server that cannot be reached (whichever driver tried)."""
    return StoreError(
        f"Die PostgreSQL-Datenbank »{shown_address(address)}« ist nicht erreichbar: {first_line(exc)}. "
        "Bitte prüfen Sie Adresse, Anmeldedaten und ob der Server läuft."
    )


def connect_postgres(address: str) -> Any:
    """A psycopg connection to the server (for schema statements and the write lock)."""
    psycopg = _psycopg()
    try:
        return psycopg.connect(address, autocommit=True, connect_timeout=10, application_name="controlling")
    except psycopg.Error as exc:
        raise unreachable(address, exc) from exc


class SchemaSession:
    """Schema statements in one transaction, on either engine, with DuckDB's `?` parameters."""

    def __init__(self, run: Any, postgres: bool) -> None:
        self._run = run
        self.postgres = postgres

    def execute(self, statement: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement; on PostgreSQL with `?` written as `%s`."""
        if self.postgres:
            return self._run.execute(statement.replace("?", "%s"), list(params))
        return self._run.execute(statement, list(params))

    def scalar(self, statement: str) -> Any:
        """The first column of the first row."""
        row = self.execute(statement).fetchone()
        return None if row is None else row[0]


@contextlib.contextmanager
def postgres_schema_session(address: str) -> Iterator[SchemaSession]:
    """One PostgreSQL transaction for schema statements; concurrent starts wait for each other."""
    with connect_postgres(address) as conn, conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK_KEY + 1])
        yield SchemaSession(conn, postgres=True)


class WriteLock:
    """The process's write lock; on PostgreSQL also held across processes (an advisory lock).

    Re-entrant like threading.RLock: `with db.write_lock:` nests. The first entry of a thread takes the
    server's session lock, waiting at most `wait` seconds for another process's write, and enters `hold`
    (a DuckDB file then stays attached from a check to the write that depends on it).
    """

    def __init__(
        self,
        address: str | None,
        hold: Callable[[], contextlib.AbstractContextManager[None]],
        wait: float = DEFAULT_WRITE_WAIT,
    ) -> None:
        self._local = threading.RLock()
        self._address = address
        self._hold = hold
        self._held = contextlib.ExitStack()
        self._wait = wait
        self._depth = 0
        self._server: Any = None

    def __enter__(self) -> WriteLock:
        self._local.acquire()
        try:
            if self._depth == 0:
                if self._address is not None:
                    self._lock_server()
                try:
                    self._held.enter_context(self._hold())
                except BaseException:
                    self._unlock_server()
                    raise
        except BaseException:
            self._local.release()
            raise
        self._depth += 1
        return self

    def __exit__(self, *exc: object) -> None:
        self._depth -= 1
        try:
            if self._depth == 0:
                try:
                    self._held.close()
                finally:
                    self._unlock_server()
        finally:
            self._local.release()

    def _unlock_server(self) -> None:
        if self._server is not None:
            with contextlib.suppress(Exception):
                self._server.execute("SELECT pg_advisory_unlock(%s)", [WRITE_LOCK_KEY])

    def _lock_server(self) -> None:
        psycopg = _psycopg()
        assert self._address is not None
        if self._server is None or self._server.closed:
            self._server = connect_postgres(self._address)
        try:
            self._server.execute(f"SET lock_timeout = '{int(self._wait * 1000)}ms'")
            self._server.execute("SELECT pg_advisory_lock(%s)", [WRITE_LOCK_KEY])
        except psycopg.errors.LockNotAvailable as exc:
            raise StoreBusyError(shown_address(self._address), self._wait) from exc
        except psycopg.OperationalError:
            self._server = connect_postgres(self._address)  # the server restarted meanwhile: once more
            self._server.execute(f"SET lock_timeout = '{int(self._wait * 1000)}ms'")
            self._server.execute("SELECT pg_advisory_lock(%s)", [WRITE_LOCK_KEY])

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()

    def close(self) -> None:
        """Close the server connection that holds the lock."""
        if self._server is not None:
            self._server.close()
            self._server = None
