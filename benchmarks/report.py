"""Benchmark (issue 7): the full Controlling-Bericht (PDF and Excel) for the demo data.

    python -m benchmarks.report

Goal on this machine: under 30 s. Prints the seconds, the page count and the file sizes.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from benchmarks.common import figure
from controlling.bootstrap import initialize
from controlling.db import Store
from controlling.report import pdf as report


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "demo.duckdb")
        initialize(store, demo=True)
        started = time.perf_counter()
        data = report.collect(store)
        pdf, xlsx = Path(folder) / "bericht.pdf", Path(folder) / "bericht.xlsx"
        report.write_pdf(data, pdf)
        report.write_excel(data, xlsx)
        seconds = time.perf_counter() - started
        pages = len(PdfReader(str(pdf)).pages)
        print(f"Bericht (PDF und Excel) für die Demodaten: {figure(seconds, 1)} s (Ziel: unter 30 s)")
        print(
            f"{pages} Seiten, PDF {figure(pdf.stat().st_size / 1024, 0)} KB, "
            f"Excel {figure(xlsx.stat().st_size / 1024, 0)} KB"
        )
        store.close()


if __name__ == "__main__":
    main()
