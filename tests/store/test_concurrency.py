"""Several processes on one PostgreSQL database (issue 18): two dashboards read while two imports race.

The two imports touch the same values and were both previewed before either commits: one is written,
the other waits for the first and is then refused with a German message; nothing is half-written. Each
dashboard process sees the new data version at its next read after the commit, and after an undo from a
third process the values before.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from benchmarks import postgres
from controlling.db import Store

ROOT = Path(__file__).resolve().parents[2]
KEYS = [("BIL-01", "03157", year) for year in range(2000, 2020)]

DASHBOARD = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from controlling.db import Store
    store, folder = Store(sys.argv[1]), Path(sys.argv[2])
    seen = folder / f"gelesen-{os.getpid()}"
    while not (folder / "stop").exists():
        phase = (folder / "phase").read_text()
        values = store.values.current(indicators=["BIL-01"])
        total = float(values["value"].sum()) if len(values) else 0.0
        print(f"{phase};{store.data_version()};{len(values)};{total}", flush=True)
        seen.with_suffix(".tmp").write_text(phase)
        seen.with_suffix(".tmp").replace(seen)  # the handshake: this process has read in `phase`
        time.sleep(0.05)
    """
)

IMPORT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from controlling.db import Store
    from controlling.errors import ControllingError
    from controlling.intake import commit, prepare
    store, folder, name, value = Store(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
    rows = "".join(f"BIL-01;03157;{year};{value}\\n" for year in range(2000, 2020))
    preview = prepare(store, name, ("kennzahl;gebiet;jahr;wert\\n" + rows).encode())
    (folder / f"bereit-{name}").touch()
    while not (folder / "los").exists():
        time.sleep(0.01)
    try:
        print(f"gespeichert;{commit(store, preview, user=name)}", flush=True)
    except ControllingError as error:
        print(f"abgelehnt;{error}", flush=True)
    """
)

UNDO = textwrap.dedent(
    """
    import sys
    from controlling.db import Store
    Store(sys.argv[1]).intakes.undo(int(sys.argv[2]), user="dritter Prozess")
    """
)


def _python(*args: str, **kwargs) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", *args], cwd=ROOT, text=True, stdout=subprocess.PIPE, **kwargs)


def _wait_for(path: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} kam nicht"
        time.sleep(0.02)


def _wait_for_reads(folder: Path, dashboards: list[subprocess.Popen[str]], phase: str, seconds: float = 60) -> float:
    """Wait until every dashboard process has read once in `phase` (a handshake, not a sleep); the seconds it took."""
    start = time.monotonic()
    files = [folder / f"gelesen-{process.pid}" for process in dashboards]
    while not all(path.exists() and path.read_text() == phase for path in files):
        assert time.monotonic() - start < seconds, f"nicht jedes Dashboard hat in der Phase {phase} gelesen"
        time.sleep(0.02)
    return time.monotonic() - start


def _set_phase(folder: Path, phase: str) -> None:
    (folder / "phase.tmp").write_text(phase)
    (folder / "phase.tmp").replace(folder / "phase")


@pytest.fixture
def shared_database(postgres_server, postgres_template):
    name = "controlling_concurrency"
    address = postgres.create_database(postgres_server, name, postgres_template)
    yield address
    postgres.drop_database(postgres_server, name)


def test_two_dashboards_and_two_racing_imports_on_one_postgresql(shared_database, tmp_path):
    store = Store(shared_database)
    rows = "".join(f"BIL-01;03157;{year};10\n" for year in range(2000, 2020))
    from controlling.intake import commit, prepare

    commit(store, prepare(store, "vorher.csv", ("kennzahl;gebiet;jahr;wert\n" + rows).encode()), user="Start")
    before_version = store.data_version()
    _set_phase(tmp_path, "vorher")
    dashboards = [_python(DASHBOARD, shared_database, str(tmp_path)) for _ in range(2)]
    imports = {
        value: _python(IMPORT, shared_database, str(tmp_path), f"import-{value}.csv", value) for value in ("20", "30")
    }
    for value in imports:
        _wait_for(tmp_path / f"bereit-import-{value}.csv")
    (tmp_path / "los").touch()
    outcomes = {value: process.communicate(timeout=120)[0].strip() for value, process in imports.items()}
    _set_phase(tmp_path, "importiert")
    committed = [value for value, text in outcomes.items() if text.startswith("gespeichert")]
    refused = [value for value, text in outcomes.items() if text.startswith("abgelehnt")]
    _wait_for_reads(tmp_path, dashboards, "importiert")
    intake_id = int(outcomes[committed[0]].split(";")[1]) if committed else 0
    _set_phase(tmp_path, "beim-rueckgaengig")
    undo = subprocess.run(
        [sys.executable, "-c", UNDO, shared_database, str(intake_id)], cwd=ROOT, capture_output=True, text=True
    )
    _set_phase(tmp_path, "rueckgaengig")
    _wait_for_reads(tmp_path, dashboards, "rueckgaengig")
    (tmp_path / "stop").touch()
    seen = [process.communicate(timeout=60)[0].splitlines() for process in dashboards]

    print(
        "\nNebenläufigkeit auf einer PostgreSQL-Datenbank (2 Dashboards, 2 Importe derselben 20 Werte, 1 Rückgängig):"
    )
    for value, text in outcomes.items():
        print(f"  Import mit Wert {value}: {text[:160]}")
    print(f"  Rückgängig aus einem dritten Prozess: {'gelungen' if undo.returncode == 0 else undo.stderr[-300:]}")
    for number, lines in enumerate(seen, 1):
        phases = {}
        for line in lines:
            phase, version, count, total = line.split(";")
            phases.setdefault(phase, set()).add((int(version), int(count), float(total)))
        print(
            f"  Dashboard {number}: {len(lines)} Lesungen; je Phase gesehen (Datenstand, Werte, Summe): "
            + "; ".join(f"{p}: {sorted(v)}" for p, v in phases.items())
        )

    assert len(committed) == 1 and len(refused) == 1, outcomes
    assert "Es wurde nichts gespeichert" in outcomes[refused[0]]
    assert undo.returncode == 0, undo.stderr
    history = store.intakes.history()
    assert len(history) == 2  # the first file and the one import written; nothing of the refused one
    versions = [store.values.history(*key) for key in KEYS]  # every stored version of each of the 20 keys
    assert [len(found) for found in versions] == [2] * 20  # the first file's and the one import's, no more
    assert {tuple(found["intake_id"].sort_values()) for found in versions} == {tuple(sorted(history["id"]))}
    new_total = float(committed[0]) * 20
    expected = {
        "vorher": {200.0, new_total},
        "importiert": {new_total},
        "beim-rueckgaengig": {200.0, new_total},
        "rueckgaengig": {200.0},
    }
    for lines in seen:
        for line in lines:
            phase, version, count, total = line.split(";")
            assert int(count) == 20
            assert float(total) in expected[phase], line  # a read begun after the commit sees it, at once
            if phase != "vorher":
                assert int(version) > before_version
        assert {line.split(";")[0] for line in lines} >= {"importiert", "rueckgaengig"}
    assert float(store.values.current(indicators=["BIL-01"])["value"].sum()) == 200.0
    store.close()
