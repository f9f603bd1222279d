"""Staff changes besides file intake: a new target (versioned), a comment, a measure; validated first."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from controlling.db import Store
from controlling.errors import ControllingError
from controlling.reference import validate_indicators

MEASURE_STATES = ("geplant", "laufend", "abgeschlossen", "ausgesetzt")


class MaintenanceError(ControllingError):
    """A change was refused; nothing was written."""


def set_target(
    store: Store,
    *,
    indicator: str,
    area: str,
    target_year: int,
    target_value: float,
    baseline_year: int,
    decision: str,
    valid_from: dt.date,
    user: str,
) -> None:
    """Decide a target. The target in force for the same indicator and area is closed, never overwritten."""
    _check_target(store, indicator, area, target_year, baseline_year, decision)
    store.targets.add(
        pd.DataFrame(
            [
                {
                    "indicator": indicator,
                    "area": area,
                    "target_year": target_year,
                    "target_value": target_value,
                    "baseline_year": baseline_year,
                    "decision": decision.strip(),
                    "valid_from": valid_from,
                }
            ]
        ),
        user=user,
    )


def _check_target(store: Store, indicator: str, area: str, target_year: int, baseline_year: int, decision: str) -> None:
    """Target year after baseline year, a value in the baseline year, a decision reference."""
    problems = []
    if target_year <= baseline_year:
        problems.append("Das Zieljahr muss nach dem Basisjahr liegen.")
    if not decision.strip():
        problems.append("Bitte den Beschluss angeben (z. B. Kreisausschuss-Beschluss KA/2025/012).")
    check_area = (
        area if area != "*" else store.catalogue.areas().query("level == 'kreis' and not comparison")["code"].iloc[0]
    )
    values = store.values.current(indicators=[indicator])
    base = values.loc[(values["area"] == check_area) & (values["year"] == baseline_year) & values["value"].notna()]
    if base.empty:
        problems.append(
            f"Für das Basisjahr {baseline_year} gibt es keinen Wert ({check_area}); ohne Ausgangswert "
            "lässt sich kein Zielpfad berechnen."
        )
    if problems:
        raise MaintenanceError(" ".join(problems))


TARGET_COLUMNS = ["indicator", "area", "target_year", "target_value", "baseline_year", "decision"]


def save_edited_targets(
    store: Store, before: pd.DataFrame, after: pd.DataFrame, *, valid_from: dt.date, user: str
) -> int:
    """Targets changed in a table are checked and decided anew (versioned); returns how many.

    All rows are checked before any is written, so a table with one bad row changes nothing.
    """
    key = ["indicator", "area"]
    merged = after[TARGET_COLUMNS].merge(before[TARGET_COLUMNS], on=key, how="left", suffixes=("", "_before"))
    changed = pd.Series(False, index=merged.index)
    for column in ("target_year", "target_value", "baseline_year", "decision"):
        changed |= merged[column].astype(str) != merged[f"{column}_before"].astype(str)
    rows = merged.loc[changed, TARGET_COLUMNS]
    problems = []
    records = rows.astype({"target_year": int, "baseline_year": int}).to_dict("records")
    for record in records:  # rows a person edited by hand: a handful
        try:
            _check_target(
                store,
                str(record["indicator"]),
                str(record["area"]),
                int(record["target_year"]),
                int(record["baseline_year"]),
                str(record["decision"] or ""),
            )
        except MaintenanceError as error:
            problems.append(f"{record['indicator']} / {record['area']}: {error}")
    if problems:
        raise MaintenanceError(" ".join(problems))
    if len(rows):
        store.targets.add(
            rows.assign(valid_from=valid_from, decision=rows["decision"].astype(str).str.strip()), user=user
        )
    return len(rows)


def add_comment(store: Store, *, indicator: str, area: str, year: int, text: str, user: str) -> None:
    """An Einordnung for one indicator, area and year."""
    if len(text.strip()) < 5:
        raise MaintenanceError("Die Einordnung ist leer oder zu kurz.")
    store.notes.add_comments(
        pd.DataFrame([{"indicator": indicator, "area": area, "year": year, "text": text.strip()}]), user=user
    )


def add_measure(
    store: Store, *, title: str, responsible: str, status: str, due: dt.date | None, indicators: list[str], user: str
) -> int:
    """A Maßnahme linked to indicators."""
    if not title.strip() or not responsible.strip():
        raise MaintenanceError("Titel und Verantwortliche Stelle sind Pflichtangaben.")
    if status not in MEASURE_STATES:
        raise MaintenanceError(f"Unbekannter Stand; erlaubt sind {', '.join(MEASURE_STATES)}.")
    if not indicators:
        raise MaintenanceError("Bitte mindestens eine Kennzahl verknüpfen.")
    return store.notes.add_measure(
        title=title.strip(),
        responsible=responsible.strip(),
        status=status,
        due_date=due,
        indicators=indicators,
        user=user,
    )


def save_indicator(store: Store, row: dict[str, str], *, user: str) -> None:
    """Add or edit one indicator, checked like a line of the Kennzahlen template (DESIGN §5.2)."""
    frame = pd.DataFrame([{key: str(value).strip() for key, value in row.items()}])
    store.catalogue.upsert_indicators(validate_indicators(frame, store.catalogue.fields(), file="Formular"), user=user)
