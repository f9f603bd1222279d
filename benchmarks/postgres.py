"""A throwaway PostgreSQL server for benchmarks and tests: initdb in a temporary folder, a free port, stopped after.

Debian's `postgresql` package puts its programs in /usr/lib/postgresql/<version>/bin (not on PATH). As
root, the server runs as the package's `postgres` user: PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path


def postgres_bin() -> Path | None:
    """The folder with initdb and pg_ctl, or None when PostgreSQL is not installed."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(os.path.realpath(found)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(candidates[-1]).parent if candidates else None


def missing_reason() -> str | None:
    """Why no server can be started here (German), or None when one can."""
    if postgres_bin() is None:
        return "Kein PostgreSQL gefunden (initdb fehlt; Debian: apt-get install postgresql)"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "PostgreSQL läuft nicht als root, und runuser fehlt"
    if os.geteuid() == 0 and _run_as() is None:
        return "PostgreSQL läuft nicht als root, und es gibt keinen Benutzer »postgres«"
    return None


def _run_as() -> str | None:
    import pwd

    with contextlib.suppress(KeyError):
        return pwd.getpwnam("postgres").pw_name
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def throwaway_server() -> Iterator[str]:
    """Start a server; yields its address `postgresql://postgres@127.0.0.1:PORT`; stops and deletes it after."""
    reason = missing_reason()
    if reason is not None:
        raise RuntimeError(reason)
    bin_dir = postgres_bin()
    assert bin_dir is not None
    folder = Path(tempfile.mkdtemp(prefix="controlling-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        user = _run_as()
        assert user is not None
        shutil.chown(folder, user)
        prefix = ["runuser", "-u", user, "--"]
    data, port = folder / "data", _free_port()
    subprocess.run(
        [*prefix, str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"],
        check=True,
        capture_output=True,
    )
    options = (
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
        "-c full_page_writes=off -c max_connections=200 -c shared_buffers=256MB"
    )
    subprocess.run(
        [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start"],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], capture_output=True
        )
        shutil.rmtree(folder, ignore_errors=True)


def create_database(server: str, name: str, template: str | None = None) -> str:
    """A new database on the server (optionally a copy of `template`); returns its address."""
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
    return f"{server}/{name}"


def drop_database(server: str, name: str) -> None:
    """Drop a database, closing whatever connections are left on it."""
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
