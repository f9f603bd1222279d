"""Cell values as people and statistical offices write them: numbers, special values, quality letters."""

from __future__ import annotations

# DESIGN §5.4: special values are stored as missing values with their flag, never as a number.
SPECIAL_VALUES = {
    "-": "nichts vorhanden (genau null)",
    ".": "unbekannt oder geheim",
    "...": "noch nicht verfügbar",
    "/": "nicht sicher genug",
    "x": "Tabellenfach gesperrt, Aussage nicht sinnvoll",
    "()": "Aussagewert eingeschränkt",
    "*": "aus Datenschutzgründen gesperrt (Bundesagentur für Arbeit)",
}
# Quality letters accompany a number (GENESIS value_q or a suffix like "123 p").
QUALITY_LETTERS = {"e": "endgültig", "p": "vorläufig", "r": "berichtigt", "s": "geschätzt"}
FLAG_LABELS = {**SPECIAL_VALUES, **QUALITY_LETTERS}
