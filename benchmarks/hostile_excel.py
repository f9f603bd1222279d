"""Benchmark (issue 29, point 4): hostile Excel workbooks through the command line, each in a fresh process.

    python -m benchmarks.hostile_excel [--code ORDNER] [--only NAME ...] [--files DATEI ...] [--timeout SEKUNDEN]

Builds every workbook of benchmarks/hostile_workbooks.py, runs `controlling import DATEI --dry-run` on a
fresh database and prints exit code, seconds, peak memory (MiB) and the first line of the message. `--code`
runs another checkout (e.g. the state before this change) on the same files; `--files` measures files as they
are (e.g. tests/intake/hostile/*.csv) instead. Goal: under 1 GiB and 30 s each.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.common import figure
from benchmarks.hostile_workbooks import HOSTILE_WORKBOOKS

# Runs one command and reports its exit code, time and the peak memory of that command alone.
MEASURE = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
try:
    done = subprocess.run(sys.argv[2:], capture_output=True, text=True, timeout=float(sys.argv[1]))
    code, output = done.returncode, (done.stdout + done.stderr)
except subprocess.TimeoutExpired as expired:
    code, output = "Zeitlimit", ""
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"code": code, "seconds": time.perf_counter() - started, "peak_mib": peak, "output": output}))
"""


def measure(code_root: Path, db: Path, path: Path, timeout: float) -> dict[str, object]:
    """`controlling import --dry-run` of `path` with the code of `code_root`, in a fresh process."""
    command = [sys.executable, "-m", "controlling", "--db", str(db), "import", str(path), "--dry-run"]
    env = {**os.environ, "PYTHONPATH": str(code_root)}
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(timeout), *command],
        capture_output=True,
        text=True,
        cwd=code_root,
        env=env,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def first_message(output: str) -> str:
    """The line of the output that says what was wrong (the file's name comes first), else the last line."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    problems = [line for line in lines if line.startswith("- ")]
    named = [line for line in lines if ".xlsx" in line or ".csv" in line]
    text = (problems or named or lines or ["(keine Ausgabe)"])[0]
    return text if len(text) <= 160 else text[:157] + "…"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--code", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--files", nargs="*", type=Path, default=None)
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()
    names = [] if args.files else args.only or sorted(HOSTILE_WORKBOOKS)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.duckdb"
        env = {**os.environ, "PYTHONPATH": str(args.code)}
        init = [sys.executable, "-m", "controlling", "--db", str(db), "init"]
        subprocess.run(init, cwd=args.code, env=env, check=True, capture_output=True)
        print("| Datei | Größe (KB) | Exit | Zeit (s) | Spitzenspeicher (MiB) | Meldung |")
        print("|---|---:|---:|---:|---:|---|")
        paths = [path.resolve() for path in args.files or []]
        for name in names:
            build, _ = HOSTILE_WORKBOOKS[name]
            paths.append(Path(folder) / name)
            paths[-1].write_bytes(build())
        for path in paths:
            name = path.name
            result = measure(args.code, db, path, args.timeout)
            size = path.stat().st_size / 1024
            message = first_message(str(result["output"])).replace("|", "/")
            print(
                f"| {name} | {figure(size, 0)} | {result['code']} | {figure(float(str(result['seconds'])), 1)} | "
                f"{figure(float(str(result['peak_mib'])), 0)} | {message} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
