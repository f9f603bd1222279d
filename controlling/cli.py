"""Command line: a thin shell over the library, German output, exit codes 0 / 1 / 2 (DESIGN §6)."""

from __future__ import annotations

import argparse
import getpass
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from controlling import cli_network as network_cli
from controlling import service
from controlling.auth import ROLES, add_account, disable_account
from controlling.bootstrap import configured_kreis, initialize
from controlling.cli_intake import EXIT_OK, EXIT_REJECTED, import_file, official
from controlling.db import Store, default_db_path
from controlling.errors import ControllingError, InputRejectedError
from controlling.formatting import format_number, format_number_column
from controlling.goals import service as goal_service
from controlling.intake import FORMATS
from controlling.method.presentation import TARGET_KIND_LABELS, light_text, outlook_text, trend_text
from controlling.reference.areas import choose_kreis, reporting_kreis
from controlling.report import pdf as report
from controlling.report.export import neutralize
from controlling.service import status_table

EXIT_USAGE = 2


# argparse writes its own words in English; these are what a person reads of them, in German.
_HELP_WORDS = {
    "usage: ": "Aufruf: ",
    "positional arguments:": "Angaben:",
    "options:": "Optionen:",
    "show this help message and exit": "diese Hilfe zeigen",
}
_ERRORS = (
    (r"the following arguments are required: (.+)", r"Es fehlt die Angabe \1."),
    (r"argument (\S+): invalid choice: (\S+) \(choose from (.+)\)", r"\1: »\2« gibt es nicht; möglich sind \3."),
    (r"argument (\S+): invalid int value: (\S+)", r"\1: \2 ist keine ganze Zahl."),
    (r"argument (\S+): expected one argument", r"\1: Hier fehlt der Wert."),
    (r"unrecognized arguments: (.+)", r"Unbekannte Angaben: \1."),
    (r"invalid choice: (\S+) \(choose from (.+)\)", r"»\1« gibt es nicht; möglich sind \2."),
)


def _german(message: str) -> str:
    for pattern, replacement in _ERRORS:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, replacement, message).replace("'", "")
    return message


class _GermanParser(argparse.ArgumentParser):
    """argparse with German help, German usage errors and exit code 2."""

    def format_usage(self) -> str:
        return _translated(super().format_usage())

    def format_help(self) -> str:
        return _translated(super().format_help())

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"Fehler im Aufruf: {_german(message)}\n")
        raise SystemExit(EXIT_USAGE)


def _translated(text: str) -> str:
    for english, german in _HELP_WORDS.items():
        text = text.replace(english, german)
    return text


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = _GermanParser(
        prog="python -m controlling",
        description="Integrationscontrolling: Datenbank anlegen, Daten importieren, Status und Berichte.",
    )
    parser.add_argument(
        "--db",
        default=None,
        metavar="PFAD",
        help="Pfad der DuckDB-Datei oder Adresse einer PostgreSQL-Datenbank (postgresql://…); Standard: "
        "Umgebungsvariable CONTROLLING_DB, sonst data/controlling.duckdb",
    )
    commands = parser.add_subparsers(dest="command", metavar="BEFEHL", parser_class=_GermanParser)
    commands.required = True
    init = commands.add_parser("init", help="Datenbank anlegen und Stammdaten aus data/ laden")
    init.add_argument("--demo", action="store_true", help="zusätzlich Demodaten laden")
    init.add_argument(
        "--kreis",
        default=None,
        metavar="AGS",
        help="diesen Kreis als berichtenden Landkreis einrichten (fünfstelliger Schlüssel, z. B. 03151); Standard: "
        "Umgebungsvariable CONTROLLING_KREIS, sonst data/gebiete.csv (Landkreis Peine)",
    )
    status = commands.add_parser("status", help="Ampel, Wetter und Trend je Kennzahl und Gebiet ausgeben")
    status.add_argument(
        "--year", type=int, default=None, metavar="JAHR", help="Stand zum Jahr Y (Standard: neuester Wert)"
    )
    status.add_argument(
        "--format",
        choices=("csv", "table"),
        default="table",
        help="csv (Semikolon, Dezimalpunkt) oder table (lesbare Tabelle)",
    )
    intake = commands.add_parser("import", help="Datei prüfen und importieren (Vorlagen, Open SDG, GENESIS)")
    intake.add_argument("file", type=Path, metavar="DATEI")
    intake.add_argument("--dry-run", action="store_true", help="nur prüfen und Vorschau zeigen, nichts speichern")
    intake.add_argument("--format", choices=FORMATS, default="auto", help="Dateiformat (Standard: erkennen)")
    intake.add_argument(
        "--sheet", metavar="BLATT", help="Tabellenblatt einer Excel-Datei (Standard: das einzige sichtbare)"
    )
    intake.add_argument(
        "--indicator", metavar="KENNZAHL", help="alle Reihen einer fremden Datei dieser Kennzahl zuordnen"
    )
    for option, role in (("--series", "Wert"), ("--numerator", "Zähler"), ("--denominator", "Nenner")):
        intake.add_argument(
            option,
            metavar="MERKMAL=AUSPRÄGUNG|…",
            help=f"nur diese Reihe einer GENESIS- oder Open-SDG-Tabelle als {role} der Kennzahl --indicator "
            '(z. B. "Nationalität=Ausländer(innen)|Geschlecht=Insgesamt")',
        )
    intake.add_argument(
        "--skip-invalid",
        action="store_true",
        help="gültige Zeilen speichern, abgelehnte nur auflisten (sonst wird nichts gespeichert)",
    )
    intake.add_argument(
        "--problems-out",
        type=Path,
        metavar="DATEI.csv",
        help="alle Probleme als CSV in diese Datei schreiben (angezeigt werden die ersten 50)",
    )
    intake.add_argument("--user", default=getpass.getuser(), metavar="NAME", help="Name im Importprotokoll")
    official = commands.add_parser(
        "amtlich", help="alle Kennzahlen mit Bezug aus den Veröffentlichungen der Statistikämter füllen (ein Import)"
    )
    official.add_argument(
        "source",
        metavar="QUELLE",
        help="Ordner wie veröffentlicht (LSN: data/indicator_*.csv; GENESIS: Dateien mit dem Tabellencode) oder "
        "Adresse https://… (GENESIS-Zugang aus GENESIS_USER/GENESIS_PASSWORD oder .streamlit/secrets.toml)",
    )
    official.add_argument("--dry-run", action="store_true", help="nur prüfen und Vorschau zeigen, nichts speichern")
    official.add_argument("--user", default=getpass.getuser(), metavar="NAME", help="Name im Importprotokoll")
    undo = commands.add_parser("undo", help="einen Import rückgängig machen")
    undo.add_argument("intake_id", type=int, metavar="IMPORT_NR")
    undo.add_argument("--user", default=getpass.getuser(), metavar="NAME", help="Name im Importprotokoll")
    report = commands.add_parser("report", help="Controlling-Bericht als PDF (und Excel) erstellen")
    report.add_argument("--out", type=Path, required=True, metavar="DATEI.pdf")
    report.add_argument("--year", type=int, default=None, metavar="JAHR", help="Berichtsjahr (Standard: neuestes Jahr)")
    report.add_argument(
        "--version",
        type=int,
        default=None,
        metavar="IMPORT_NR",
        help="Datenstand: Werte wie nach diesem Import (Standard: neuester Import)",
    )
    export = commands.add_parser("export", help="alle aktuellen Werte als CSV oder Excel ausgeben")
    export.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    export.add_argument(
        "--out", type=Path, default=None, metavar="DATEI", help="Zieldatei (CSV ohne Angabe: Standardausgabe)"
    )
    user = commands.add_parser("user", help="Konten verwalten (eingebaute Anmeldung)")
    user_commands = user.add_subparsers(dest="user_command", metavar="AKTION", parser_class=_GermanParser)
    user_commands.required = True
    add = user_commands.add_parser("add", help="Konto anlegen oder Passwort/Rolle neu setzen")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--password-stdin", action="store_true", help="Passwort von der Standardeingabe lesen")
    add.add_argument(
        "--lieferant", default=None, metavar="NAME", help="nur bei --role lieferant: der Lieferant aus dem Katalog"
    )
    user_commands.add_parser("list", help="Konten auflisten")
    for action, text in (("disable", "Konto sperren (seine Anmeldungen enden sofort)"), ("enable", "Konto entsperren")):
        user_commands.add_parser(action, help=text).add_argument("name", metavar="NAME")
    goals = commands.add_parser("zielsystem", help="Leitbild und Zielsystem ausgeben oder einlesen (data/-Format)")
    goal_commands = goals.add_subparsers(dest="goal_command", metavar="AKTION", parser_class=_GermanParser)
    goal_commands.required = True
    goal_export = goal_commands.add_parser("export", help="zielsystem.csv und leitbild.md in einen Ordner schreiben")
    goal_export.add_argument("--out", type=Path, required=True, metavar="ORDNER")
    goal_import = goal_commands.add_parser("import", help="zielsystem.csv und/oder leitbild.md einlesen (geprüft)")
    goal_import.add_argument("--ziele", type=Path, metavar="zielsystem.csv")
    goal_import.add_argument("--leitbild", type=Path, metavar="leitbild.md")
    goal_import.add_argument("--user", default=getpass.getuser(), metavar="NAME", help="Name im Änderungsprotokoll")
    goal_import.add_argument(
        "--leeren", action="store_true", help="eine zielsystem.csv ohne Ziele leert das Zielsystem (sonst abgelehnt)"
    )
    network_cli.add_commands(commands, _GermanParser, user_add=add)  # issue 27
    return parser


def _goals(store: Store, args: argparse.Namespace) -> int:
    if args.goal_command == "export":
        goals, leitbild = goal_service.export_goal_files(store)
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / goal_service.GOALS_FILE).write_bytes(goals)
        (args.out / goal_service.LEITBILD_FILE).write_bytes(leitbild)
        print(f"Geschrieben: {args.out / goal_service.GOALS_FILE}, {args.out / goal_service.LEITBILD_FILE}")
        return EXIT_OK
    if args.ziele is None and args.leitbild is None:
        print("Bitte --ziele und/oder --leitbild angeben.", file=sys.stderr)
        return EXIT_USAGE
    changed, text_changed = goal_service.import_goal_files(
        store,
        user=args.user,
        goals=None if args.ziele is None else (args.ziele.name, args.ziele.read_bytes()),
        leitbild=None if args.leitbild is None else (args.leitbild.name, args.leitbild.read_bytes()),
        allow_empty=args.leeren,
    )
    print(f"Zielsystem: {changed} Ziele geändert; Leitbild {'geändert' if text_changed else 'unverändert'}.")
    return EXIT_OK


def _user(store: Store, args: argparse.Namespace) -> int:
    if args.user_command == "list":
        accounts = store.accounts.list()
        shown = accounts[["name", "role", "provider"]].fillna("").rename(columns={"provider": "lieferant"})
        print("Keine Konten." if accounts.empty else shown.to_string(index=False))
        return EXIT_OK
    if args.user_command in {"disable", "enable"}:
        disable_account(store, args.name, disabled=args.user_command == "disable", by=getpass.getuser())
        print(f"Konto {args.name.strip()} {'gesperrt' if args.user_command == 'disable' else 'entsperrt'}.")
        return EXIT_OK
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = _ask_password(f"Passwort für {args.name} (mindestens 12 Zeichen): ")
        if password != _ask_password("Passwort wiederholen: "):
            print("Fehler: Die Passwörter stimmen nicht überein.", file=sys.stderr)
            return EXIT_REJECTED
    add_account(store, args.name, args.role, password, by=getpass.getuser(), provider=args.lieferant, actor=args.akteur)
    bound = network_cli.bound_to(store, args.name, args.role)
    print(f"Konto {args.name} mit der Rolle {args.role}{bound} gespeichert.")
    return EXIT_OK


def _ask_password(prompt: str) -> str:
    """Ask for a password without echo; without a terminal, say in German that it may be seen, and read a line.

    getpass falls back to "Warning: Password input may be echoed." in English when it cannot switch echo off.
    """
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    print("Achtung: Ohne Terminal kann das Passwort bei der Eingabe sichtbar sein.", file=sys.stderr)
    print(prompt, end="", file=sys.stderr, flush=True)
    return sys.stdin.readline().rstrip("\n")


def _report(store: Store, args: argparse.Namespace) -> int:
    data = report.collect(store, year=args.year, version=args.version)
    report.write_pdf(data, args.out, progress=lambda share, text: print(text))
    excel = args.out.with_suffix(".xlsx")
    report.write_excel(data, excel)
    print(f"Bericht {args.out} (Berichtsjahr {data.year}, Datenstand: {data.data_stand}) und {excel} erstellt.")
    return EXIT_OK


EXPORT_COLUMNS = {
    "indicator": "kennzahl",
    "area": "gebiet",
    "year": "jahr",
    "breakdown": "aufschluesselung",
    "value": "wert",
    "numerator": "zaehler",
    "denominator": "nenner",
    "flag": "kennzeichen",
    "computed": "berechnet",
    "intake_id": "import",
}


def _export(store: Store, args: argparse.Namespace) -> int:
    if args.format == "xlsx":
        if args.out is None:
            print("Fehler im Aufruf: Für Excel braucht es --out DATEI.xlsx.", file=sys.stderr)
            return EXIT_USAGE
        report.write_excel(report.collect(store), args.out)
        print(f"{args.out} geschrieben.")
        return EXIT_OK
    frame = service.export_values(store).rename(columns=EXPORT_COLUMNS)[list(EXPORT_COLUMNS.values())]
    frame["berechnet"] = frame["berechnet"].map({True: "ja", False: "nein"})
    frame["import"] = frame["import"].astype("Int64")
    text = neutralize(frame).to_csv(sep=";", index=False, lineterminator="\n")
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.write_text(text, encoding="utf-8")
        print(f"{len(frame)} Werte nach {args.out} geschrieben.")
    return EXIT_OK


def _undo(store: Store, args: argparse.Namespace) -> int:
    store.intakes.undo(args.intake_id, user=args.user)
    print(f"Import {args.intake_id} wurde rückgängig gemacht; die vorherigen Werte gelten wieder.")
    return EXIT_OK


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
    "target_kind": "zielart",
    "trend": "trend",
    "target_type": "zieltyp",
}


def _status(store: Store, args: argparse.Namespace) -> int:
    table = status_table(store, year=args.year)
    if args.format == "csv":
        out = table[list(STATUS_CSV_COLUMNS)].rename(columns=STATUS_CSV_COLUMNS)
        for column in ("zieljahr", "basisjahr"):
            out[column] = out[column].astype("Int64")
        sys.stdout.write(neutralize(out).to_csv(sep=";", index=False, lineterminator="\n"))
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
            "Zielart": table["target_kind"].map(TARGET_KIND_LABELS).fillna(""),
            "Ampel": table["light"].map(light_text),
            "Wetter": table["outlook"].map(outlook_text),
            "Trend": table["trend"].map(trend_text),
        }
    )
    print(readable.to_string(index=False))
    return EXIT_OK


def _init(store: Store, args: argparse.Namespace) -> int:
    kreis = args.kreis or configured_kreis()
    choice = None if kreis is None else choose_kreis(kreis)
    loaded = initialize(store, demo=args.demo, kreis=kreis)
    if not loaded:
        present = reporting_kreis(store.catalogue.areas())
        print(
            f"Die Datenbank {store.path} enthält bereits Stammdaten; es wurde nichts geändert. Berichtender Kreis: "
            f"{present}. Einen anderen Kreis richten Sie in einer neuen Datenbank ein (--db)."
        )
        return EXIT_OK
    if choice is not None:
        print(f"Eingerichtet: {choice.note()}")
    fields, areas, indicators = (
        len(store.catalogue.fields()),
        len(store.catalogue.areas()),
        len(store.catalogue.indicators()),
    )
    print(f"Datenbank {store.path} angelegt (Schemastand {store.schema_version()}).")
    print(f"Geladen: {fields} Handlungsfelder, {areas} Gebiete, {indicators} Kennzahlen.")
    if args.demo:
        values = len(store.values.current_observations())
        print(f"Demodaten geladen: {format_number(values, 0)} Werte, {len(store.targets.in_force())} Ziele.")
    return EXIT_OK


HANDLERS = {
    "init": _init,
    "status": _status,
    "import": import_file,
    "amtlich": official,
    "undo": _undo,
    "report": _report,
    "export": _export,
    "user": _user,
    "zielsystem": _goals,
    **network_cli.HANDLERS,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; library errors become a German message and exit code 1."""
    args = build_parser().parse_args(argv)
    location = str(args.db or default_db_path())
    if args.command != "init" and "://" not in location and location != ":memory:" and not Path(location).exists():
        # Opening would create an empty database, and `status` would answer from it as if nothing were known.
        print(
            f"Fehler: Die Datenbank »{location}« gibt es nicht. Prüfen Sie den Pfad (--db) oder legen Sie sie mit "
            f"»python -m controlling --db {location} init« an.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        store = Store(location)
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
    except FileNotFoundError as error:
        print(f"Fehler: Die Datei »{error.filename}« gibt es nicht.", file=sys.stderr)
        return EXIT_USAGE
    finally:
        store.close()
