"""Catalogue changes that would change what stored values mean (issue 29, point 3): refused while values exist."""

from __future__ import annotations

import math

import pandas as pd

from controlling.db import Store
from controlling.errors import InputRejectedError, Problem
from controlling.formatting import format_number

# Stored column -> (template column, what a person calls it): a value's meaning hangs on these.
MEANING = {
    "unit": ("einheit", "Einheit"),
    "aggregation": ("aggregation", "Aggregation"),
    "factor": ("faktor", "Faktor"),
    "polarity": ("richtung", "Richtung"),
}


def _shown(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, int | float):
        return format_number(float(value), 0 if float(value).is_integer() else 3)
    return str(value).strip()


def refuse_meaning_changes(store: Store, indicators: pd.DataFrame, *, file: str, lines: bool = True) -> None:
    """Refuse a new unit, aggregation, factor or direction for an indicator that has values stored: the values
    would be read anew (a sum of percentages, a light turned round). `lines`: the frame's index + 2 is the
    file's line (a template), else there is no line (a form)."""
    current = store.catalogue.indicators(include_retired=True).set_index("code")
    known = [code for code in indicators["code"] if code in current.index]
    counts = store.catalogue.stored_value_counts(known) if known else {}
    problems = []
    for position, row in indicators.loc[indicators["code"].isin(list(counts))].iterrows():  # a catalogue: few
        code = str(row["code"])
        for column, (template, label) in MEANING.items():
            old, new = _shown(current.loc[code, column]), _shown(row[column])
            if old == new:
                continue
            problems.append(
                Problem(
                    file,
                    int(str(position)) + 2 if lines else None,
                    template,
                    new,
                    f"Die Kennzahl {code} hat {format_number(counts[code], 0)} gespeicherte Werte; mit der {label} "
                    f"»{new}« statt »{old}« würden sie etwas anderes bedeuten. Legen Sie dafür eine neue Kennzahl "
                    f"an und legen Sie {code} still; ihre Werte bleiben dann, wie sie gemeint waren.",
                )
            )
    if problems:
        raise InputRejectedError(problems)
