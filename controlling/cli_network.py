"""The command line of issue 27 (kept beside cli.py): `netzwerk export|import` moves the register as CSV,
`beteiligung bereinigen` deletes the names of public contributors once a consultation's period has ended."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
from collections.abc import Callable
from pathlib import Path
from typing import Any

from controlling.db import Store
from controlling.network import service as network_service
from controlling.participation import service as participation_service

EXIT_OK = 0


def bound_to(store: Store, name: str, role: str) -> str:
    """What a new account is bound to, as `user add` reports it: its provider or its actor."""
    if role == "lieferant":
        return f" (Lieferant: {store.accounts.provider(name)})"
    return f" (Akteur Nr. {store.accounts.actor(name)})" if role == "partner" else ""


def add_commands(commands: Any, parser_class: type[argparse.ArgumentParser], *, user_add: Any) -> None:
    """Add `beteiligung` and `netzwerk` to the subcommands of the main parser, and `--akteur` to `user add`."""
    user_add.add_argument(
        "--akteur",
        default=None,
        metavar="NAME",
        help="nur bei --role partner: der Akteur des Netzwerks (Name oder Nr.)",
    )
    participation = commands.add_parser("beteiligung", help="Beteiligungen: Personendaten nach Fristende löschen")
    participation_commands = participation.add_subparsers(
        dest="participation_command", metavar="AKTION", parser_class=parser_class
    )
    participation_commands.required = True
    participation_commands.add_parser(
        "bereinigen", help="Namen öffentlicher Beitragender aller abgelaufenen Beteiligungen löschen"
    )
    network = commands.add_parser("netzwerk", help="Akteure des Integrationsnetzwerks als CSV ausgeben oder einlesen")
    network_commands = network.add_subparsers(dest="network_command", metavar="AKTION", parser_class=parser_class)
    network_commands.required = True
    network_export = network_commands.add_parser("export", help="alle Akteure als CSV (mit Ansprechpersonen)")
    network_export.add_argument("--out", type=Path, required=True, metavar="DATEI.csv")
    network_import = network_commands.add_parser("import", help="Akteure aus einer CSV einlesen (nach Namen)")
    network_import.add_argument("file", type=Path, metavar="DATEI.csv")
    network_import.add_argument("--user", default=getpass.getuser(), metavar="NAME", help="Name im Änderungsprotokoll")


def _participation(store: Store, args: argparse.Namespace) -> int:
    """Delete the public's names of every ended consultation."""
    count = participation_service.purge_personal_data(store, dt.date.today(), user=getpass.getuser())
    print(f"Personendaten gelöscht: {count} öffentliche Beiträge abgelaufener Beteiligungen.")
    return EXIT_OK


def _network(store: Store, args: argparse.Namespace) -> int:
    """Write or read the register as CSV."""
    if args.network_command == "export":
        args.out.write_bytes(network_service.export_actors_csv(store, with_contacts=True))
        print(f"Geschrieben: {args.out}")
        return EXIT_OK
    count = network_service.import_actors_csv(store, args.file.read_bytes(), args.file.name, user=args.user)
    print(f"Netzwerk: {count} Akteure eingelesen.")
    return EXIT_OK


HANDLERS: dict[str, Callable[[Store, argparse.Namespace], int]] = {"beteiligung": _participation, "netzwerk": _network}
