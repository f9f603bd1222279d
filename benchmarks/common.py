"""Helpers for benchmark scripts: peak memory of a child process, German figures."""

from __future__ import annotations

import json
import subprocess
import sys

from controlling.formatting import format_number


def run_child(code: str, *args: str) -> dict[str, float]:
    """Run Python code in a fresh process; it prints one JSON line, to which its peak RSS (MiB) is added."""
    wrapper = (
        code
        + "\nimport json as _json, resource as _resource, sys as _sys\n"
        + "_result['peak_mib'] = _resource.getrusage(_resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        + "print(_json.dumps(_result))\n"
    )
    completed = subprocess.run([sys.executable, "-c", wrapper, *args], capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise SystemExit(completed.stderr)
    result: dict[str, float] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def figure(value: float, decimals: int = 1, unit: str = "") -> str:
    """German number for printing."""
    return format_number(value, decimals, unit)
