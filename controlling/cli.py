"""Command line: a thin shell over the library, German output, exit codes 0 / 1 / 2 (DESIGN §6)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from controlling.bootstrap import initialize
from controlling.errors import ControllingError, InputRejectedError
from controlling.formatting import format_number, format_number_column
from controlling.service import status_table
from controlling.status import LIGHT_LABELS, OUTLOOK_LABELS
from controlling.store import Store, default_db_path

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_USAGE = 2


class _GermanParser(argparse.ArgumentParser):
    """argparse with German usage errors and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"Fehler im Aufruf: {message}\n")
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = _GermanParser(
        prog="python -m controlling",
        description="Integrationscontrolling: Datenbank anlegen, Daten importieren, Status und Berichte.",
    )
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help="Pfad der DuckDB-Datei (Standard: Umgebungsvariable CONTROLLING_DB, sonst data/controlling.duckdb)",
    )
    commands = parser.add_subparsers(dest="command", metavar="BEFEHL", parser_class=_GermanParser)
    commands.required = True
    init = commands.add_parser("init", help="Datenbank anlegen und Stammdaten aus data/ laden")
    init.add_argument("--demo", action="store_true", help="zusätzlich Demodaten laden")
    status = commands.add_parser("status", help="Ampel und Prognose je Kennzahl und Gebiet ausgeben")
    status.add_argument("--year", type=int, default=None, help="Stand zum Jahr Y (Standard: neuester Wert)")
    status.add_argument(
        "--format",
        choices=("csv", "table"),
        default="table",
        help="csv (Semikolon, Dezimalpunkt) oder table (lesbare Tabelle)",
    )
    return parser


STATUS_CSV_COLUMNS = {
    "indicator": "kennzahl",
    "area": "gebiet",
    "year": "jahr",
    "value": "wert",
    "target_value": "zielwert",
    "target_year": "zieljahr",
    "baseline_year": "basisjahr",
    "planned_value": "sollwert",
    "light": "ampel",
    "outlook": "prognose",
    "explanation": "begruendung",
}


def _status(store: Store, args: argparse.Namespace) -> int:
    table = status_table(store, year=args.year)
    if args.format == "csv":
        out = table[list(STATUS_CSV_COLUMNS)].rename(columns=STATUS_CSV_COLUMNS)
        for column in ("zieljahr", "basisjahr"):
            out[column] = out[column].astype("Int64")
        sys.stdout.write(out.to_csv(sep=";", index=False, lineterminator="\n"))
        return EXIT_OK
    if table.empty:
        print("Keine Werte vorhanden.")
        return EXIT_OK
    readable = pd.DataFrame(
        {
            "Kennzahl": table["indicator"],
            "Gebiet": table["area_name"],
            "Jahr": table["year"].astype(str),
            "Wert": format_number_column(table["value"], table["decimals"], table["unit"]),
            "Ziel": format_number_column(table["target_value"], table["decimals"], table["unit"]),
            "Ampel": table["light"].map(LIGHT_LABELS),
            "Prognose": table["outlook"].map(OUTLOOK_LABELS),
        }
    )
    print(readable.to_string(index=False))
    return EXIT_OK


def _init(store: Store, args: argparse.Namespace) -> int:
    loaded = initialize(store, demo=args.demo)
    if not loaded:
        print(f"Die Datenbank {store.path} enthält bereits Stammdaten; es wurde nichts geändert.")
        return EXIT_OK
    fields, areas, indicators = len(store.fields()), len(store.areas()), len(store.indicators())
    print(f"Datenbank {store.path} angelegt (Schemastand {store.schema_version()}).")
    print(f"Geladen: {fields} Handlungsfelder, {areas} Gebiete, {indicators} Kennzahlen.")
    if args.demo:
        values = len(store.current_observations())
        print(f"Demodaten geladen: {format_number(values, 0)} Werte, {len(store.targets())} Ziele.")
    return EXIT_OK


HANDLERS = {"init": _init, "status": _status}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; library errors become a German message and exit code 1."""
    args = build_parser().parse_args(argv)
    try:
        store = Store(args.db or default_db_path())
    except ControllingError as error:
        print(f"Fehler: {error}", file=sys.stderr)
        return EXIT_REJECTED
    try:
        return HANDLERS[args.command](store, args)
    except InputRejectedError as error:
        print(str(error), file=sys.stderr)
        return EXIT_REJECTED
    except ControllingError as error:
        print(f"Fehler: {error}", file=sys.stderr)
        return EXIT_REJECTED
    finally:
        store.close()
