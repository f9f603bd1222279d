"""Coverage of real published files: each CSV (or XLSX) of a folder is imported into a fresh store.

    python -m benchmarks.coverage DIR

Prints per file whether it imported (or the German reason why not) and how many values for the
Landkreis Peine (03157) and its Gemeinden (03157…) landed. Subfolders are walked too.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from controlling.bootstrap import initialize
from controlling.db import Store
from controlling.errors import ControllingError
from controlling.formatting import format_number
from controlling.intake import commit, prepare

KREIS = "03157"


def import_one(path: Path) -> tuple[bool, dict[str, int], str]:
    """Import one file into a fresh store: imported?, counts for the Kreis and its Gemeinden, and a note.

    Counts: `kreis`, `gemeinden` (numbers stored) and `kreis_flag`, `gemeinden_flag` (special values such as
    `-` or `.`, stored as a missing value with their flag).
    """
    store = Store(":memory:")
    try:
        initialize(store, demo=False)
        try:
            preview = prepare(store, path.name, path.read_bytes(), create_missing_indicators=True)
            commit(store, preview, user="coverage")
        except ControllingError as error:
            return False, {}, str(error).splitlines()[0][:300]
        rows = store.values.current_observations()
        kreis = (rows["area"] == KREIS).to_numpy()
        gemeinden = rows["area"].str.startswith(KREIS).to_numpy() & ~kreis
        number = rows["value"].notna().to_numpy()
        counts = {
            "kreis": int((kreis & number).sum()),
            "kreis_flag": int((kreis & ~number).sum()),
            "gemeinden": int((gemeinden & number).sum()),
            "gemeinden_flag": int((gemeinden & ~number).sum()),
        }
        note = (
            f"abgelehnt: {format_number(preview.rejected, 0)}, übersprungen: {format_number(len(preview.skipped), 0)}"
        )
        return True, counts, note
    finally:
        store.close()


def _counted(numbers: int, flagged: int) -> str:
    return f"{format_number(numbers, 0)} Werte" + (f" (+{format_number(flagged, 0)} Sonderzeichen)" if flagged else "")


def main(argv: list[str] | None = None) -> None:
    """Import every CSV/XLSX under DIR into a fresh store and print the coverage per file."""
    parser = argparse.ArgumentParser(description="Welche echten Dateien lassen sich importieren?")
    parser.add_argument("folder", type=Path, metavar="ORDNER")
    folder = parser.parse_args(argv).folder
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".csv", ".xlsx"))
    imported = 0
    for path in files:
        ok, counts, note = import_one(path)
        imported += ok
        if not ok:
            print(f"{path.relative_to(folder)}: NICHT importiert – {note}")
            continue
        print(
            f"{path.relative_to(folder)}: importiert; Landkreis 03157: "
            f"{_counted(counts['kreis'], counts['kreis_flag'])}, Gemeinden: "
            f"{_counted(counts['gemeinden'], counts['gemeinden_flag'])}; {note}"
        )
    print(f"{format_number(imported, 0)} von {format_number(len(files), 0)} Dateien importiert.")


if __name__ == "__main__":
    main()
