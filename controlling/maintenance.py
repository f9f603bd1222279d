"""Staff changes besides file intake: a new target (versioned), a comment; validated first (measures:
controlling.measures.model)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from controlling.db import Store
from controlling.errors import ControllingError
from controlling.formatting import format_number
from controlling.intake.meaning import refuse_meaning_changes
from controlling.numbers import TOLERANCE
from controlling.reference.shipped import validate_indicators
from controlling.rules import TargetContext, accepted_targets


class MaintenanceError(ControllingError):
    """A change was refused; nothing was written."""


FORM = "Formular"
TABLE = "Zieltabelle"


def _target_context(store: Store, where: str = FORM) -> TargetContext:
    return TargetContext(where, store.catalogue.indicators(), store.catalogue.areas(), dt.date.today())


def set_target(
    store: Store,
    *,
    indicator: str,
    area: str,
    target_year: int | str,
    target_value: float | str,
    baseline_year: int | str,
    valid_from: dt.date,
    user: str,
    source: str = "",
    body: str = "",
    decision_date: dt.date | None = None,
    vorlage: str = "",
    decision: str = "",
    state: str = "",
    target_type: str = "verbessern",
) -> list[str]:
    """Propose or decide a target, checked by the same rules as a Ziele file (controlling.rules): a value
    typed as `12,5`, `1.234,5` or `12.5`; with body and date it is decided, with no decision at all it is an
    Entwurf from `source` (`state` says which outright). A decided target closes the one in force for the
    same indicator and area, never overwrites it."""
    raw = pd.DataFrame(
        [
            {
                "line": None,
                "kennzahl": indicator,
                "gebiet": area,
                "zieljahr": str(target_year),
                "zielwert": str(target_value),
                "basisjahr": str(baseline_year),
                "beschluss": decision,
                "quelle": source,
                "gremium": body,
                "beschlussdatum": "" if decision_date is None else f"{decision_date:%d.%m.%Y}",
                "vorlage": vorlage,
                "status": state,
                "zieltyp": target_type,
            }
        ]
    )
    rows = accepted_targets(raw, _target_context(store))
    store.targets.add(rows.assign(valid_from=valid_from), user=user)
    return not_better_than_baseline(store, rows)


def not_better_than_baseline(store: Store, targets: pd.DataFrame) -> list[str]:
    """German warnings for improvement targets that ask for nothing better than their stored baseline value:
    method 3 does not rate them (DESIGN §4.0 step 3), so the form and the file check say so at once."""
    improving = targets.loc[targets["target_type"].eq("verbessern")]
    if improving.empty:
        return []
    catalogue = store.catalogue.indicators(include_retired=True).set_index("code")
    areas = store.catalogue.areas()
    kreis = areas.loc[areas["level"].eq("kreis") & ~areas["comparison"].astype(bool), "code"].min()
    values = store.values.current(indicators=list(improving["indicator"].unique()))
    keyed = improving.assign(where=improving["area"].replace("*", kreis))
    found = keyed.merge(
        values[["indicator", "area", "year", "value"]],
        left_on=["indicator", "where", "baseline_year"],
        right_on=["indicator", "area", "year"],
        suffixes=("", "_stored"),
    )
    if found.empty:  # no baseline value stored yet: nothing to compare
        return []
    polarity = found["indicator"].map(catalogue["polarity"]).astype(object)
    sign = polarity.map({"hoch": 1.0, "niedrig": -1.0}).astype(float).fillna(0.0)
    gap = found["target_value"].astype(float) - found["value"].astype(float)
    flagged = found.loc[(sign != 0) & (sign * gap <= TOLERANCE)]
    decimals = flagged["indicator"].map(catalogue["decimals"]).fillna(1).astype(int)
    units = flagged["indicator"].map(catalogue["unit"]).fillna("")
    return [
        f"{code}: Das Ziel ({format_number(target, places, unit)}) liegt nicht günstiger als der Ausgangswert "
        f"{int(year)} ({format_number(base, places, unit)}); als Halteziel beschließen oder Zielwert prüfen."
        for code, target, year, base, places, unit in zip(
            flagged["indicator"],
            flagged["target_value"].astype(float),
            flagged["baseline_year"].astype(int),
            flagged["value"].astype(float),
            decimals,
            units,
            strict=True,
        )
    ]


TARGET_COLUMNS = [
    "indicator",
    "area",
    "target_year",
    "target_value",
    "baseline_year",
    "body",
    "decision_date",
    "vorlage",
    "decision",
    "target_type",
]


def _date_text(days: pd.Series) -> pd.Series:
    parsed = pd.to_datetime(days, errors="coerce")
    return parsed.dt.strftime("%d.%m.%Y").fillna("")


def save_edited_targets(
    store: Store, before: pd.DataFrame, after: pd.DataFrame, *, valid_from: dt.date, user: str
) -> int:
    """Targets changed in a table are checked and proposed or decided anew (versioned); returns how many.

    All rows are checked by the rules of a Ziele file before any is written, so a table with one bad row
    changes nothing.
    """
    key = ["indicator", "area"]
    merged = after[TARGET_COLUMNS].merge(before[TARGET_COLUMNS], on=key, how="left", suffixes=("", "_before"))
    changed = pd.Series(False, index=merged.index)
    for column in TARGET_COLUMNS[2:]:
        changed |= merged[column].astype(str) != merged[f"{column}_before"].astype(str)
    rows = merged.loc[changed, TARGET_COLUMNS]
    if rows.empty:
        return 0
    raw = pd.DataFrame(
        {
            "line": rows.index + 1,  # the row of the edited table
            "kennzahl": rows["indicator"].astype(str),
            "gebiet": rows["area"].astype(str),
            "zieljahr": rows["target_year"].astype(str).str.removesuffix(".0"),
            "zielwert": rows["target_value"].astype(str),
            "basisjahr": rows["baseline_year"].astype(str).str.removesuffix(".0"),
            # The decision text is composed anew from body, date and Vorlage: a row changed without them
            # is a proposal (Entwurf), like a file row without a decision.
            "gremium": rows["body"].fillna("").astype(str),
            "beschlussdatum": _date_text(rows["decision_date"]),
            "vorlage": rows["vorlage"].fillna("").astype(str),
            "zieltyp": rows["target_type"].fillna("verbessern").astype(str),
        }
    )
    accepted = accepted_targets(raw, _target_context(store, TABLE))
    store.targets.add(accepted.assign(valid_from=valid_from), user=user)
    return len(accepted)


def add_comment(store: Store, *, indicator: str, area: str, year: int, text: str, user: str) -> None:
    """An Einordnung for one indicator, area and year."""
    if len(text.strip()) < 5:
        raise MaintenanceError("Die Einordnung ist leer oder zu kurz.")
    store.notes.add_comments(
        pd.DataFrame([{"indicator": indicator, "area": area, "year": year, "text": text.strip()}]), user=user
    )


def save_indicator(store: Store, row: dict[str, str], *, user: str) -> None:
    """Add or edit one indicator, checked like a line of the Kennzahlen template (DESIGN §5.2)."""
    frame = pd.DataFrame([{key: str(value).strip() for key, value in row.items()}])
    indicators = validate_indicators(frame, store.catalogue.fields(), file="Formular")
    refuse_meaning_changes(store, indicators, file="Formular", lines=False)
    store.catalogue.upsert_indicators(indicators, user=user)


def undo_intake(store: Store, intake_id: int, *, user: str) -> None:
    """Undo an intake: its values give way to the versions before it."""
    store.intakes.undo(intake_id, user=user)


def set_indicator_retired(store: Store, code: str, retired: bool, *, user: str) -> None:
    """Retire an indicator (it stays with its data) or bring it back."""
    store.catalogue.set_retired(code, retired, user=user)


def delete_indicator(store: Store, code: str, *, user: str) -> None:
    """Delete an indicator that never had a value or a target."""
    store.catalogue.delete_indicator(code, user=user)
