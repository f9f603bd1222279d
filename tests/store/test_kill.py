"""A process killed at a random point of an import or an undo leaves exactly the state before or after
(issue 17); sized to run in about half a minute."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from controlling.bootstrap import initialize
from controlling.db import Store
from controlling.intake import commit, prepare

ROOT = Path(__file__).parents[2]
TRIALS = 10
CHILD = """
import sys
from pathlib import Path
from controlling.db import Store
from controlling.intake import commit, prepare
store = Store(sys.argv[1])
if sys.argv[2] == "import":
    path = Path(sys.argv[3])
    commit(store, prepare(store, path.name, path.read_bytes()), user="Abbruch")
else:
    store.intakes.undo(int(sys.argv[3]), user="Abbruch")
store.close()
"""


def _werte(rows: int, offset: int) -> bytes:
    breakdowns = [f"Gruppe=G{i:05d}" for i in range(rows // 10)]
    lines = [f"KTX-02;03157;{2015 + year};{offset + i};{b}" for i, b in enumerate(breakdowns) for year in range(10)]
    return ("kennzahl;gebiet;jahr;wert;aufschluesselung\n" + "\n".join(lines) + "\n").encode()


def _state(path: Path) -> pd.DataFrame:
    store = Store(path)
    try:
        values = store.values.current_observations()
        intakes = store.intakes.history()[["id", "state"]]
        return values.assign(intakes=str(intakes.to_dict("records"))).reset_index(drop=True)
    finally:
        store.close()


def _run(path: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", CHILD, str(path), *args], cwd=ROOT)


def test_a_killed_import_or_undo_leaves_before_or_after(tmp_path):
    pristine, upload = tmp_path / "vorher.duckdb", tmp_path / "werte.csv"
    store = Store(pristine)
    initialize(store, demo=False)
    first = commit(store, prepare(store, "erste.csv", _werte(100_000, 0)), user="t")
    store.close()
    upload.write_bytes(_werte(100_000, 7))
    assert first is not None
    outcomes: dict[str, int] = {"vorher": 0, "nachher": 0}
    rng = random.Random(17)
    for operation, argument in (("import", str(upload)), ("undo", str(first))):
        finished = tmp_path / f"{operation}.duckdb"
        shutil.copy(pristine, finished)
        started = time.perf_counter()
        assert _run(finished, operation, argument).wait() == 0
        duration = time.perf_counter() - started
        before, after = _state(pristine), _state(finished)
        for _ in range(TRIALS // 2):
            trial = tmp_path / "versuch.duckdb"
            shutil.copy(pristine, trial)
            child = _run(trial, operation, argument)
            time.sleep(rng.uniform(0.2, duration))
            child.send_signal(signal.SIGKILL)
            child.wait()
            found = _state(trial)
            outcome = "vorher" if found.equals(before) else "nachher" if found.equals(after) else "anders"
            assert outcome != "anders", f"{operation}: weder vorher noch nachher"
            outcomes[outcome] += 1
            trial.unlink()
            Path(f"{trial}.wal").unlink(missing_ok=True)
    print(f"Abbruchtest: {TRIALS} Abbrüche, {outcomes['vorher']} vorher, {outcomes['nachher']} nachher")
    assert sum(outcomes.values()) == TRIALS
