"""The DuckDB file while the dashboard runs (issue 18): the command line reads and writes beside it.

The dashboard's process attaches the file only for a request (and a second after); a command-line call
in between opens it, and one that comes during a long write waits for it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from controlling.bootstrap import open_store

ROOT = Path(__file__).resolve().parents[2]

DASHBOARD = textwrap.dedent(
    """
    import sys, time
    from controlling import service
    from controlling.bootstrap import open_store
    store = open_store(sys.argv[1], demo_on_create=False).store
    for line in sys.stdin:  # one line = one page load; "schreiben" holds a write for two seconds
        if line.strip() == "schreiben":
            with store.transaction() as cur:
                cur.execute("SELECT count(*) FROM audit_log").fetchall()
                print("schreibt", flush=True)  # the handshake: the write lock is held from here
                time.sleep(2)
            print("geschrieben", flush=True)
        else:
            print(f"Seite;{len(service.status_table(store))};{store.data_version()}", flush=True)
    """
)


def _cli(path: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "controlling", "--db", str(path), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
        env={**os.environ, "CONTROLLING_DB_WAIT": "10"},
    )


def test_the_command_line_reads_and_writes_while_the_dashboard_runs(tmp_path):
    path = tmp_path / "geteilt.duckdb"
    open_store(path, demo_on_create=True).store.close()
    dashboard = subprocess.Popen(
        [sys.executable, "-c", DASHBOARD, str(path)], cwd=ROOT, text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert dashboard.stdin is not None and dashboard.stdout is not None
    try:
        dashboard.stdin.write("seite\n")
        dashboard.stdin.flush()
        first = dashboard.stdout.readline().strip()
        assert first.startswith("Seite;")
        # The page is done; the file is given free a second later, and each command waits for it (up to 10 s).
        for command in (["status"], ["user", "list"], ["export", "--out", str(tmp_path / "werte.csv")]):
            result = _cli(path, *command)
            assert result.returncode == 0, (command, result.stderr)
        added = _cli(
            path,
            "user",
            "add",
            "nacht.import",
            "--role",
            "referat",
            "--password-stdin",
            stdin="ein-langes-passwort-2026\n",
        )
        assert added.returncode == 0, added.stderr
        # A write while the dashboard writes: the command line waits the two seconds, then writes.
        dashboard.stdin.write("schreiben\n")
        dashboard.stdin.flush()
        assert dashboard.stdout.readline().strip() == "schreibt"
        started = time.monotonic()
        waited = _cli(
            path,
            "user",
            "add",
            "zweites.konto",
            "--role",
            "betrachter",
            "--password-stdin",
            stdin="noch-ein-passwort-2026\n",
        )
        assert waited.returncode == 0, waited.stderr
        assert dashboard.stdout.readline().strip() == "geschrieben"
        seconds = time.monotonic() - started
        print(f"\nSchreibender Befehl während eines Schreibvorgangs des Dashboards: {seconds:.1f} s, dann gespeichert")
        assert seconds >= 1.0  # it waited for the dashboard's write (held two seconds), and did not fail at once
        dashboard.stdin.write("seite\n")
        dashboard.stdin.flush()
        after = dashboard.stdout.readline().strip()
        assert after.startswith("Seite;") and after.split(";")[1] == first.split(";")[1]
    finally:
        dashboard.stdin.close()
        dashboard.wait(timeout=30)
        dashboard.stdout.close()
