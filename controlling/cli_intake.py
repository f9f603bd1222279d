"""The command line's intake commands: `import` (one file, previewed) and `amtlich` (every bound publication)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from controlling import maintenance
from controlling.db import Store
from controlling.errors import InputRejectedError, Problem
from controlling.formatting import format_number
from controlling.intake import SeriesChoice, commit, describe_preview, prepare
from controlling.intake import official as official_data
from controlling.intake.registry import read_any
from controlling.report.export import to_csv_bytes

EXIT_OK = 0
EXIT_REJECTED = 1

SHOWN_PROBLEMS = 50


def _write_problems(path: Path | None, problems: list[Problem]) -> None:
    """Every problem as a German CSV (formulas neutralized), when --problems-out asks for it."""
    if path is None:
        return
    frame = pd.DataFrame(
        [(p.file, p.line, p.column, p.value, p.message) for p in problems],
        columns=["datei", "zeile", "spalte", "wert", "meldung"],
    ).astype({"zeile": "Int64"})
    path.write_bytes(to_csv_bytes(frame))
    print(f"{format_number(len(problems), 0)} Probleme nach {path} geschrieben.", file=sys.stderr)


def import_file(store: Store, args: argparse.Namespace) -> int:
    try:
        return _import_file(store, args)
    except InputRejectedError as error:
        _write_problems(args.problems_out, error.problems)
        raise


def _import_file(store: Store, args: argparse.Namespace) -> int:
    data = args.file.read_bytes()
    choices = _choices(args)
    preview = prepare(
        store,
        args.file.name,
        data,
        format=args.format,
        sheet=args.sheet,
        mapping=None if args.indicator is None or choices else dict.fromkeys(_series_of(args), args.indicator),
        choices=choices,
        create_missing_indicators=args.indicator is None,
    )
    print(describe_preview(preview))
    if preview.kind == "ziele":  # method 3: an improvement target must ask for more than its baseline value
        for warning in maintenance.not_better_than_baseline(store, preview.listed):
            print(f"Hinweis: {warning}")
    problems = preview.problem_list()
    for problem in problems[:SHOWN_PROBLEMS]:
        print(f"- {problem}", file=sys.stderr)
    if len(problems) > SHOWN_PROBLEMS:
        print(
            f"- … und {format_number(len(problems) - SHOWN_PROBLEMS, 0)} weitere Probleme "
            "(alle mit --problems-out DATEI.csv)",
            file=sys.stderr,
        )
    _write_problems(args.problems_out, problems)
    if preview.problems.empty or args.skip_invalid:
        if args.dry_run:
            print("Probelauf: es wurde nichts gespeichert.")
            return EXIT_OK if preview.problems.empty else EXIT_REJECTED
        intake_id = commit(store, preview, user=args.user, skip_invalid=args.skip_invalid)
        if intake_id is None:
            print("Es gab nichts Neues zu speichern." if preview.kind == "werte" else "Gespeichert.")
        else:
            print(f"Gespeichert als Import {intake_id}. Rückgängig: python -m controlling undo {intake_id}")
        return EXIT_OK
    print(
        f"Abgelehnt: {format_number(preview.rejected, 0)} Zeilen mit Fehlern; es wurde nichts gespeichert "
        "(mit --skip-invalid werden die gültigen Zeilen gespeichert).",
        file=sys.stderr,
    )
    return EXIT_REJECTED


def _series_of(args: argparse.Namespace) -> list[str]:
    """The foreign series of a file (for --indicator), read once without mapping."""
    return list(read_any(args.file.name, args.file.read_bytes(), args.format, args.sheet).series)


def _choices(args: argparse.Namespace) -> list[SeriesChoice]:
    """--series / --numerator / --denominator as choices of the file's table(s) for --indicator."""
    roles = {"wert": args.series, "zaehler": args.numerator, "nenner": args.denominator}
    if all(selection is None for selection in roles.values()):
        return []
    if args.indicator is None:
        raise InputRejectedError.about_file(
            args.file.name, "Zu --series, --numerator und --denominator gehört --indicator KENNZAHL."
        )
    return [
        SeriesChoice(source, selection, args.indicator, role)
        for source in _series_of(args)
        for role, selection in roles.items()
        if selection is not None
    ]


def official(store: Store, args: argparse.Namespace) -> int:
    fetched = official_data.fetch_bound(store, args.source, progress=print)
    result = official_data.prepare_official(store, fetched, progress=print)
    print(official_data.describe_official(result))
    if result.preview is None:
        print("Keine Kennzahl konnte gefüllt werden; es wurde nichts gespeichert.", file=sys.stderr)
        return EXIT_REJECTED
    for problem in result.preview.problem_list()[:SHOWN_PROBLEMS]:
        print(f"- {problem}", file=sys.stderr)
    if args.dry_run:
        print("Probelauf: es wurde nichts gespeichert.")
        return EXIT_OK
    intake_id = official_data.commit_official(store, result, user=args.user)
    if intake_id is None:
        print("Es gab nichts Neues zu speichern: alle Werte sind schon so gespeichert.")
    else:
        print(f"Gespeichert als Import {intake_id}. Rückgängig: python -m controlling undo {intake_id}")
    return EXIT_OK
