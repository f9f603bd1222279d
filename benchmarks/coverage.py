"""Coverage of real published files: each CSV (or XLSX) of a folder is imported into a fresh store.

    python -m benchmarks.coverage DIR

Prints per file whether it imported (or the German reason why not) and how many values for the
Landkreis Peine (03157) and its Gemeinden (03157…) landed. Subfolders are walked too.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from controlling.bootstrap import initialize
from controlling.errors import ControllingError
from controlling.formatting import format_number
from controlling.intake import commit, prepare
from controlling.store import Store

KREIS = "03157"


def import_one(path: Path) -> tuple[bool, int, int, str]:
    """Import one file into a fresh store: imported?, values of the Kreis, of its Gemeinden, and a note."""
    store = Store(":memory:")
    try:
        initialize(store, demo=False)
        try:
            preview = prepare(store, path.name, path.read_bytes(), create_missing_indicators=True)
            commit(store, preview, user="coverage")
        except ControllingError as error:
            return False, 0, 0, str(error).splitlines()[0][:300]
        rows = store.current_observations()
        rows = rows.loc[rows["value"].notna()]  # a special value (`.`, `x`) is stored, but it is no value
        kreis = int((rows["area"] == KREIS).sum())
        gemeinden = int(rows["area"].str.startswith(KREIS).sum()) - kreis
        note = (
            f"abgelehnt: {format_number(preview.rejected, 0)}, übersprungen: {format_number(len(preview.skipped), 0)}"
        )
        return True, kreis, gemeinden, note
    finally:
        store.close()


def main(argv: list[str] | None = None) -> None:
    """Import every CSV/XLSX under DIR into a fresh store and print the coverage per file."""
    parser = argparse.ArgumentParser(description="Welche echten Dateien lassen sich importieren?")
    parser.add_argument("folder", type=Path, metavar="ORDNER")
    folder = parser.parse_args(argv).folder
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".csv", ".xlsx"))
    imported = 0
    for path in files:
        ok, kreis, gemeinden, note = import_one(path)
        imported += ok
        state = "importiert" if ok else "NICHT importiert"
        print(
            f"{path.relative_to(folder)}: {state}; Landkreis 03157: {format_number(kreis, 0)} Werte, "
            f"Gemeinden: {format_number(gemeinden, 0)} Werte; {note}"
        )
    print(f"{format_number(imported, 0)} von {format_number(len(files), 0)} Dateien importiert.")


if __name__ == "__main__":
    main()
