"""Staff changes besides file intake: a new target (versioned), a comment, a measure; validated first."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from controlling.errors import ControllingError
from controlling.reference import validate_indicators
from controlling.store import Store

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
    problems = []
    if target_year <= baseline_year:
        problems.append("Das Zieljahr muss nach dem Basisjahr liegen.")
    if not decision.strip():
        problems.append("Bitte den Beschluss angeben (z. B. Kreisausschuss-Beschluss KA/2025/012).")
    check_area = area if area != "*" else store.areas().query("level == 'kreis' and not comparison")["code"].iloc[0]
    values = store.current_values(indicators=[indicator])
    base = values.loc[(values["area"] == check_area) & (values["year"] == baseline_year) & values["value"].notna()]
    if base.empty:
        problems.append(
            f"Für das Basisjahr {baseline_year} gibt es keinen Wert ({check_area}); ohne Ausgangswert "
            "lässt sich kein Zielpfad berechnen."
        )
    if problems:
        raise MaintenanceError(" ".join(problems))
    store.add_targets(
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


def add_comment(store: Store, *, indicator: str, area: str, year: int, text: str, user: str) -> None:
    """An Einordnung for one indicator, area and year."""
    if len(text.strip()) < 5:
        raise MaintenanceError("Die Einordnung ist leer oder zu kurz.")
    store.add_comments(
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
    return store.add_measure(
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
    store.upsert_indicators(validate_indicators(frame, store.fields(), file="Formular"), user=user)
