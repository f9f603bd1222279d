"""Typed errors of the controlling package; every message is German and says what to do next."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# A value in a message is cut to this many characters: a 5 MB line is not repeated in full.
SHOWN_VALUE_LENGTH = 80
# Control characters (also ANSI escapes, ESC and CSI) would act on a terminal instead of being read.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def shown_value(value: str) -> str:
    """A cell as a message shows it: control characters as �, cut to SHOWN_VALUE_LENGTH."""
    visible = CONTROL_CHARACTERS.sub("\ufffd", value)
    if len(visible) <= SHOWN_VALUE_LENGTH:
        return visible
    return visible[: SHOWN_VALUE_LENGTH - 1] + "…"


class ControllingError(Exception):
    """Root of every error the domain raises on purpose; pages and the CLI show its German text."""


class StoreError(ControllingError):
    """The database cannot be used as asked."""


class StoreLockedError(StoreError):
    """Another process holds the database file."""

    def __init__(self, path: str | Path, seconds: float = 0) -> None:
        unit = "Sekunde" if round(seconds) == 1 else "Sekunden"
        waited = f"; nach {seconds:.0f} {unit} Warten wurde abgebrochen" if seconds >= 1 else ""
        super().__init__(
            f"Die Datenbank »{path}« wird gerade von einem anderen Programm benutzt "
            "(zum Beispiel von einem Import, der noch läuft, oder einem älteren Programm, das sie dauerhaft "
            f"offen hält){waited}. "
            "Es wurde nichts geändert. Bitte versuchen Sie es in einer Minute erneut; hält ein Programm die Datei "
            "weiter, beenden Sie es. Sollen mehrere Programme zugleich schreiben, nehmen Sie PostgreSQL "
            "(CONTROLLING_DB=postgresql://…, siehe README, Betrieb)."
        )
        self.path = str(path)


class StoreBusyError(StoreError):
    """Another process is writing to the shared database and did not finish within the wait."""

    def __init__(self, address: str, seconds: float) -> None:
        super().__init__(
            f"In der Datenbank »{address}« schreibt gerade ein anderer Vorgang (zum Beispiel ein Import in "
            f"einem zweiten Fenster oder auf der Kommandozeile); nach {seconds:.0f} Sekunden Warten wurde "
            "abgebrochen, es wurde nichts geändert. Bitte versuchen Sie es in einer Minute erneut."
        )
        self.address = address


class SchemaTooNewError(StoreError):
    """The database was written by a newer version of the program."""

    def __init__(self, path: str | Path, found: int, known: int) -> None:
        super().__init__(
            f"Die Datenbank »{path}« hat den Schemastand {found}, dieses Programm kennt nur bis {known}. "
            "Sie wurde von einer neueren Version angelegt; bitte aktualisieren Sie das Programm "
            "(git pull und pip install -r requirements.txt), statt sie mit dieser Version zu öffnen."
        )
        self.found = found
        self.known = known


@dataclass(frozen=True)
class Problem:
    """One finding about an input file: where it is and what would be right."""

    file: str
    line: int | None
    column: str | None
    value: str | None
    message: str

    def __post_init__(self) -> None:
        if self.value is not None:
            object.__setattr__(self, "value", shown_value(self.value))
        object.__setattr__(self, "message", CONTROL_CHARACTERS.sub("\ufffd", self.message))

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"Zeile {self.line}")
        if self.column:
            where.append(f"Spalte »{self.column}«")
        shown = f" (Wert »{self.value}«)" if self.value is not None else ""
        return f"{', '.join(where)}{shown}: {self.message}"


class InputRejectedError(ControllingError):
    """An input file has problems; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        head = "1 Problem" if count == 1 else f"{count} Probleme"
        lines = [f"Die Eingabe wurde abgelehnt, es wurde nichts gespeichert ({head}):"]
        lines += [f"- {problem}" for problem in problems[:50]]
        if count > 50:
            lines.append(f"- … und {count - 50} weitere")
        super().__init__("\n".join(lines))

    @classmethod
    def about_file(cls, file: str, message: str, *, value: str | None = None) -> InputRejectedError:
        """The file as a whole is rejected: no line or column to point at."""
        return cls([Problem(file, None, None, value, message)])


class ReferenceDataError(InputRejectedError):
    """The shipped reference data in data/ is inconsistent."""


class NotFoundError(ControllingError):
    """A requested record does not exist."""
