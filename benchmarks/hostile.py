"""Benchmark (issue 17): hostile uploads are refused quickly and within bounded memory.

    python -m benchmarks.hostile

Two files, each checked in a fresh process on a fresh store: a file just under the 50 MB limit holding one
row repeated (rejected as a duplicate key, reported once with its count), and a 1 MB ZIP that unpacks to
450 MB (rejected while unpacking). Prints seconds and peak memory of each; goal: under 10 s and 1 GiB.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from benchmarks.common import figure, run_child
from controlling.bootstrap import initialize
from controlling.db import Store
from controlling.intake import max_upload_bytes

HEADER = b"kennzahl;gebiet;jahr;wert\n"
ROW = b"BIL-01;03157;2020;12,5\n"

CHILD = """
import sys, time
from pathlib import Path
from controlling.db import Store
from controlling.errors import InputRejectedError
from controlling.intake import prepare
store = Store(sys.argv[1])
path = Path(sys.argv[2])
started = time.perf_counter()
try:
    preview = prepare(store, path.name, path.read_bytes())
    problems = preview.problem_list()
    message = f"{len(problems)} Problem(e): {problems[0]}" if problems else "angenommen"
except InputRejectedError as error:
    message = str(error.problems[0])
_result = {"seconds": time.perf_counter() - started, "message": message}
"""


def repeated_row(path: Path) -> None:
    """One row repeated up to just under the upload limit."""
    rows = (max_upload_bytes() - len(HEADER)) // len(ROW)
    path.write_bytes(HEADER + ROW * rows)


def zip_bomb(path: Path) -> None:
    """About 1 MB of ZIP holding a 450 MB CSV of one repeated row."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("werte.csv", "w", force_zip64=True) as member,
    ):
        member.write(HEADER)
        block = ROW * (1024 * 1024 // len(ROW))
        for _ in range(450):
            member.write(block)
    path.write_bytes(buffer.getvalue())


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "bench.duckdb"
        store = Store(db_path)
        initialize(store, demo=False)
        store.close()
        for label, name, write in (
            ("Eine Zeile wiederholt", "wiederholt.csv", repeated_row),
            ("ZIP-Bombe", "bombe.zip", zip_bomb),
        ):
            path = Path(folder) / name
            write(path)
            result = run_child(CHILD, str(db_path), str(path))
            size = path.stat().st_size / 1024 / 1024
            print(
                f"{label} ({figure(size, 1)} MB): {figure(result['seconds'], 2)} s (Ziel: unter 10 s), "
                f"Spitzenspeicher {figure(result['peak_mib'], 0)} MiB (Ziel: unter 1.024 MiB)"
            )
            print(f"  {result['message']}")


if __name__ == "__main__":
    main()
