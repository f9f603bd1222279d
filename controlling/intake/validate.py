"""Checking every row of a values file before anything is written (DESIGN §5.1, §5.4), column-wise."""

from __future__ import annotations

import datetime as dt
import difflib
import re

import pandas as pd

from controlling.db import StagedCheck, StagedSource, Store
from controlling.formatting import format_number
from controlling.intake.readers import DECIMAL_DEFAULTS
from controlling.intake.values import FLAG_LABELS
from controlling.rules import FIRST_YEAR, PROBLEM_COLUMNS
from controlling.tabular import DECIMAL_UNDECIDED

KEY = ["indicator", "area", "year", "breakdown"]


def _suggest(unknown: pd.Series, choices: list[str], what: str, example: str) -> dict[str, str]:
    """'Unbekannte Kennzahl … Meinten Sie …?' once per distinct unknown value (a bounded set)."""
    messages = {}
    for value in unknown.dropna().unique():
        close = close_choices(str(value), choices)
        hint = f" Meinten Sie {' oder '.join(f'»{c}«' for c in close)}?" if close else f" Erwartet wird {example}."
        messages[value] = f"Unbekannte{what}.{hint}"
    return messages


def close_choices(value: str, choices: list[str], limit: int = 3) -> list[str]:
    """Up to `limit` choices a person may have meant, whatever the case: names with a word like the value
    ("Peine" or "Peyne" for "Peine (Stadt)"), then the most similar spellings ("bil01" for "BIL-01")."""
    wanted = value.strip().lower()
    if not wanted:
        return []
    by_lower = {choice.lower(): choice for choice in reversed(choices)}  # the first spelling wins
    word_likeness = {
        key: max(difflib.SequenceMatcher(None, wanted, word).ratio() for word in words)
        for key in by_lower
        if len(words := re.findall(r"\w+", key)) > 1
    }
    like_a_word = sorted(
        (key for key, ratio in word_likeness.items() if ratio >= 0.75), key=lambda key: (-word_likeness[key], len(key))
    )
    similar = difflib.get_close_matches(wanted, list(by_lower), n=limit, cutoff=0.6)
    return [by_lower[key] for key in dict.fromkeys([*similar, *like_a_word])][:limit]


def check_values(
    store: Store,
    source: StagedSource,
    indicators: pd.DataFrame,
    areas: pd.DataFrame,
    *,
    published: bool,
    format: str = "werte",
    today: dt.date | None = None,
) -> StagedCheck:
    """Validate staged raw cells completely (in the store, column-wise); nothing is dropped silently.

    `published`: a file as a statistical office publishes it. There, areas outside their validity that
    carry '-' and areas not in the area list are skipped and listed instead of rejecting the file.
    `format`: the reader's format. In a wide file every value came from a year column: an empty cell there
    is simply no value. A published format has its decimal mark where no cell decides it (Open SDG: point).
    """
    today = today or dt.date.today()
    staged = store.staging.check(
        source,
        indicators=indicators,
        areas=areas,
        published=published,
        wide=format == "werte_breit",
        years=(FIRST_YEAR, today.year),
        decimal_default=DECIMAL_DEFAULTS.get(format, DECIMAL_UNDECIDED),
    )
    return StagedCheck(
        table=staged.table,
        problems=_worded(staged.problems, indicators, areas, today),
        skipped=_worded(staged.skipped, indicators, areas, today),
        counts=staged.counts,
    )


MESSAGES = {
    "kennzeichen": "Unbekanntes Kennzeichen; erlaubt sind " + " ".join(FLAG_LABELS) + ".",
    "text_statt_zahl": "Hier steht Text statt einer Zahl. Erwartet wird eine Zahl wie 12,5 oder ein Sonderzeichen "
    "(- . ... / x) für einen fehlenden Wert.",
    "wert_fehlt": "Der Wert fehlt. Tragen Sie eine Zahl ein oder ein Sonderzeichen wie ».« (unbekannt).",
    "nicht_negativ": "Erwartet wird eine nicht negative Zahl oder ein leeres Feld.",
    "zaehler_ueber_nenner": "Der Zähler ist größer als der Nenner; erwartet wird Zähler ≤ Nenner.",
    "anzahl_negativ": "Eine Anzahl kann nicht negativ sein.",
    "prozent": "Ein Prozentwert muss zwischen 0 und 100 liegen.",
    "promille": "Ein Promillewert muss zwischen 0 und 1000 liegen.",
    "aufschluesselung": "Erwartet wird eine Aufschlüsselung wie »Geschlecht=weiblich|Nationalität=ausländisch« "
    "(Merkmal=Ausprägung, mehrere durch | getrennt) oder ein leeres Feld.",
    "gebiet_nicht_gelistet": "Gebiet steht nicht in der Gebietsliste – übersprungen.",
    "unplausibel": "Eine Anzahl (auch Zähler und Nenner) liegt zwischen 0 und 1 Billion (10^12); dieser Wert ist "
    "nicht plausibel. Prüfen Sie Tausenderpunkte und Exponent.",
    "unterlauf": "Diese Zahl ist zu klein, um sie zu speichern (sie würde zu 0). Prüfen Sie den Exponenten.",
    "zu_gross": "Diese Zahl ist zu groß, um sie zu speichern. Prüfen Sie Exponent (z. B. 1e400) und "
    "Tausenderpunkte; erwartet wird eine Zahl wie 12,5 oder 1.234.567.",
}


def _validity(detail: str) -> str:
    first, last = detail.split("|")
    return (
        f"Das Gebiet bestand in diesem Jahr nicht (gültig von {'Anfang' if first == '0' else first} "
        f"bis {'heute' if last == '0' else last})."
    )


def _exact(number: float) -> str:
    """A number in German with every decimal it has: 1.500 and 1,5."""
    return format_number(number, len(repr(float(number)).split(".")[1].rstrip("0")) if number % 1 else 0)


def _two_readings(detail: str) -> str:
    """'1.500' in a file that decides no decimal mark: both readings, and how to write either."""
    whole, fraction = sorted((float(part) for part in detail.split("|")), reverse=True)
    return (
        f"Diese Zahl lässt sich zweifach lesen: als {_exact(whole)} (mit Tausendertrennzeichen) oder als "
        f"{_exact(fraction)} (mit Dezimalzeichen), und keine andere Zahl der Datei entscheidet, ob sie Dezimalkomma "
        f"oder Dezimalpunkt verwendet. Schreiben Sie {_exact(whole).replace('.', '')} oder {_exact(fraction)}."
    )


def _counts_contradict(detail: str, value: str) -> str:
    """A quota's value against its counts: the value they give, rounded as the Kennzahl shows it."""
    numerator, denominator, factor, expected, decimals = detail.split("|")
    return (
        f"Der Wert passt nicht zu Zähler und Nenner: {_exact(float(numerator))} ÷ {_exact(float(denominator))} × "
        f"{_exact(float(factor))} ergibt {format_number(float(expected), int(decimals))} (auf {decimals} "
        f"Nachkommastelle{'' if decimals == '1' else 'n'} gerundet), hier steht {value}. Prüfen Sie Wert, Zähler "
        "und Nenner."
    )


def _mixed_marks(detail: str) -> str:
    """A file writing decimal commas and decimal points: the first of each, and the one rule to follow."""
    comma_line, comma_text, point_line, point_text = detail.split("|")
    return (
        f"Die Datei schreibt Dezimalzahlen mal mit Komma (Zeile {comma_line}: {comma_text}), mal mit Punkt "
        f"(Zeile {point_line}: {point_text}); welche dieser Zahl gemeint ist, lässt sich nicht entscheiden. "
        "Schreiben Sie alle Zahlen der Datei mit Dezimalkomma (12,5) oder alle mit Dezimalpunkt (12.5)."
    )


def _worded(found: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Problems as codes (line, column, value, problem, detail) -> line, column, value, message.

    Column-wise: fixed sentences by code, suggestions once per distinct unknown name, validity
    sentences once per distinct area span, duplicate lines joined in.
    """
    if found.empty:
        return pd.DataFrame(columns=PROBLEM_COLUMNS)
    problem, detail, value = found["problem"], found["detail"].astype(str), found["value"].astype(str)
    fixed = {**MESSAGES, "jahr": f"Erwartet wird ein Jahr von {FIRST_YEAR} bis {today.year}, z. B. 2023."}
    message = problem.map(fixed)
    unknown_indicator = problem == "kennzahl_unbekannt"
    message[unknown_indicator] = value[unknown_indicator].map(
        _suggest(
            value[unknown_indicator],
            [*indicators["code"], *indicators["name"]],
            " Kennzahl",
            "ein Kennzahl-Code wie BIL-01 oder die genaue Bezeichnung",
        )
    )
    unknown_area = problem == "gebiet_unbekannt"
    message[unknown_area] = value[unknown_area].map(
        _suggest(
            value[unknown_area],
            [*areas["code"], *areas["name"]],
            "s Gebiet",
            "ein AGS wie 03157001 oder ein Gebietsname",
        )
    )
    outside = problem.isin(["ausserhalb", "ausserhalb_strich"])
    spans = {span: _validity(span) for span in detail[outside].unique()}
    message[outside] = detail[outside].map(spans) + (problem[outside] == "ausserhalb_strich").map(
        {True: " Zeile mit »-« übersprungen.", False: ""}
    )
    duplicate = problem == "doppelt"
    if duplicate.any():
        parts = detail[duplicate].str.partition("|")
        times = parts[0].astype(int)
        message[duplicate] = (
            "Derselbe Wert (Kennzahl, Gebiet, Jahr, Aufschlüsselung) steht "
            + times.map({n: format_number(n, 0) for n in times.unique()})  # once per distinct count
            + "-mal in der Datei, in den Zeilen "
            + parts[2]
            + (times > 5).map({True: " und weiteren", False: ""})
            + ". Bitte nur einmal angeben."
        )
    ambiguous = problem == "zwei_lesarten"
    message[ambiguous] = detail[ambiguous].map({d: _two_readings(d) for d in detail[ambiguous].unique()})
    mixed = problem == "dezimalzeichen_gemischt"
    message[mixed] = detail[mixed].map({d: _mixed_marks(d) for d in detail[mixed].unique()})
    contradicting = problem == "widerspricht_zaehler_nenner"
    message[contradicting] = pd.Series(
        [_counts_contradict(d, v) for d, v in zip(detail[contradicting], value[contradicting], strict=True)],
        index=detail.index[contradicting],
        dtype=object,
    )
    worded = pd.DataFrame(
        {"line": found["line"].astype(int), "column": found["column"], "value": value, "message": message}
    )
    # A wide or published line holds several values: an unknown area there is one problem, not one per year.
    return worded.drop_duplicates(ignore_index=True)


TARGET_KEY = ["indicator", "area", "valid_from", "state"]


def refuse_repeated_targets(rows: pd.DataFrame, problems: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Targets of a Ziele file sharing Kennzahl, Gebiet, start of validity and state: both would be in force,
    so every row of such a key is refused, naming the others."""
    if rows.empty:
        return rows, problems
    repeated = rows.loc[rows.duplicated(TARGET_KEY, keep=False)]
    if repeated.empty:
        return rows, problems
    lines = repeated.groupby(TARGET_KEY, sort=False, dropna=False)["line"].transform(
        lambda group: ", ".join(str(int(line)) for line in sorted(group))
    )
    found = pd.DataFrame(
        {
            "line": repeated["line"].astype(int),
            "column": "kennzahl",
            "value": repeated["indicator"].astype(str),
            "message": "Für diese Kennzahl und dieses Gebiet stehen mehrere Ziele mit demselben Beginn (gueltig_ab) "
            "in der Datei, in den Zeilen " + lines + "; sie würden zugleich gelten. Bitte nur ein Ziel angeben.",
        }
    )
    merged = pd.concat([problems, found], ignore_index=True) if len(problems) else found
    return rows.drop(repeated.index).reset_index(drop=True), merged.sort_values(
        "line", kind="stable", ignore_index=True
    )
