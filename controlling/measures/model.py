"""Measures (Maßnahmen): the one overdue rule, checks of a measure before it is saved, reads and filters for the
pages and the report, the history, and the Excel export. Pages write and read measures only through here."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from controlling.db import Store
from controlling.errors import ControllingError
from controlling.formatting import format_number_column
from controlling.report.export import to_excel_bytes
from controlling.tabular import parse_german_number

STATES = ("geplant", "laufend", "abgeschlossen", "ausgesetzt")
CLOSED = "abgeschlossen"
OVERDUE = "überfällig"
MAX_AMOUNT = 1e10
GOAL_CODE = r"[A-Za-z0-9ÄÖÜäöüß][A-Za-z0-9ÄÖÜäöüß.\-_/]{0,39}"
FIELD_LABELS = {
    "title": "Titel",
    "description": "Beschreibung",
    "goal_code": "Handlungsziel",
    "carrier": "Träger",
    "responsible": "Verantwortlich",
    "funding": "Finanzierung",
    "funding_amount": "Betrag (€)",
    "start_date": "Beginn",
    "due_date": "Fällig am",
    "status": "Stand",
    "indicators": "Kennzahlen",
    "areas": "Gemeinden",
}


_FIELD_NAMES = re.compile(r"(^|; )(" + "|".join(FIELD_LABELS) + r"): ")


def name_fields_in_german(audit: pd.DataFrame) -> pd.DataFrame:
    """The audit table (presentation.audit_table) with a measure's changes under German field names: db.measures
    logs them as "title: …; goal_code: …"."""
    shown = audit.copy()
    rows = shown["Bereich"] == "Maßnahme"
    for column in ("Alt", "Neu"):
        shown.loc[rows, column] = (
            shown.loc[rows, column]
            .astype(str)
            .str.replace(_FIELD_NAMES, lambda match: f"{match[1]}{FIELD_LABELS[match[2]]}: ", regex=True)
        )
    return shown


class MeasureError(ControllingError):
    """A measure was refused; nothing was written."""


def overdue(measures: pd.DataFrame, day: dt.date) -> pd.Series:
    """The one rule: a measure is overdue ("überfällig") when its due date has passed and it is not closed."""
    due = pd.to_datetime(measures["due_date"], errors="coerce")
    return ((due < pd.Timestamp(day)) & (measures["status"] != CLOSED)).astype(bool)


def measure_state(measures: pd.DataFrame, day: dt.date) -> pd.Series:
    """The measure's status as shown: 'laufend', or 'laufend – überfällig' past its due date."""
    late = overdue(measures, day)
    status = measures["status"].astype(str)
    return status.where(~late, status + f" – {OVERDUE}")


@dataclass(frozen=True)
class MeasureInput:
    """A measure as a form or a caller gives it; `funding_amount` may be German text ('12.500,50 €')."""

    title: str
    responsible: str
    status: str
    indicators: Sequence[str] = ()
    areas: Sequence[str] = ()
    description: str = ""
    goal_code: str | None = None
    carrier: str = ""
    funding: str = ""
    funding_amount: str | float | None = None
    start_date: dt.date | None = None
    due_date: dt.date | None = None


def parse_amount(text: str | float | None) -> float | None:
    """A euro amount typed the German way ('12.500', '12.500,50 €', '1500.5'); None when empty."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return None
    if isinstance(text, (int, float)):
        amount = float(text)
    else:
        cleaned = re.sub(r"\s|€|EUR", "", str(text), flags=re.IGNORECASE)
        if not cleaned:
            return None
        if re.fullmatch(r"\d{1,3}(\.\d{3})+", cleaned):  # 12.500 €: a thousands point, as Germans write euros
            cleaned = cleaned.replace(".", "")
        amount = float(parse_german_number(pd.Series([cleaned])).iloc[0])
        if pd.isna(amount):
            raise MeasureError(
                f"Der Betrag »{text}« ist keine Zahl. Erwartet wird ein Betrag in Euro wie 12.500 oder 12.500,50."
            )
    if not 0 <= amount <= MAX_AMOUNT:
        raise MeasureError(f"Der Betrag »{text}« liegt nicht zwischen 0 und 10 Milliarden Euro.")
    return round(amount, 2)


def checked_fields(
    measure: MeasureInput, indicators: pd.DataFrame, areas: pd.DataFrame, goals: pd.DataFrame
) -> dict[str, object]:
    """The measure's columns after every check (all problems named together); MeasureError otherwise.

    `goals` are the Handlungsziele of the goal system (column code): a measure names one of them or none.
    """
    problems = []
    title, responsible = measure.title.strip(), measure.responsible.strip()
    if not title or not responsible:
        problems.append("Titel und Verantwortlich sind Pflichtangaben.")
    if len(title) > 200 or len(measure.description) > 5000:
        problems.append("Der Titel hat höchstens 200 Zeichen, die Beschreibung höchstens 5.000.")
    if measure.status not in STATES:
        problems.append(f"Unbekannter Stand »{measure.status}«; erlaubt sind {', '.join(STATES)}.")
    goal = (measure.goal_code or "").strip() or None
    if goal is not None and not re.fullmatch(GOAL_CODE, goal):
        problems.append(f"»{goal}« ist kein Code eines Handlungsziels (Buchstaben, Ziffern, . - _ /; bis 40 Zeichen).")
    elif goal is not None and goal not in set(goals["code"]):
        problems.append(f"Das Handlungsziel »{goal}« gibt es im Zielsystem nicht (mehr).")
    if not measure.indicators and goal is None:
        problems.append("Bitte mindestens eine Kennzahl oder ein Handlungsziel verknüpfen.")
    unknown = sorted(set(measure.indicators) - set(indicators["code"]))
    if unknown:
        problems.append(f"Unbekannte Kennzahl: {', '.join(unknown)}.")
    gemeinden = areas.loc[areas["level"].isin(["kreis", "gemeinde"]), "code"]
    strange = sorted(set(measure.areas) - set(gemeinden))
    if strange:
        problems.append(f"Unbekannte Gemeinde: {', '.join(strange)}.")
    if measure.start_date and measure.due_date and measure.due_date < measure.start_date:
        problems.append(f"Fällig am {measure.due_date:%d.%m.%Y} liegt vor dem Beginn {measure.start_date:%d.%m.%Y}.")
    try:
        amount = parse_amount(measure.funding_amount)
    except MeasureError as error:
        problems.append(str(error))
        amount = None
    if problems:
        raise MeasureError("Die Maßnahme wurde nicht gespeichert: " + " ".join(problems))
    return {
        "title": title,
        "description": measure.description.strip(),
        "goal_code": goal,
        "carrier": measure.carrier.strip(),
        "responsible": responsible,
        "funding": measure.funding.strip(),
        "funding_amount": amount,
        "start_date": measure.start_date,
        "due_date": measure.due_date,
        "status": measure.status,
    }


def save_measure(store: Store, measure: MeasureInput, *, user: str, measure_id: int | None = None) -> int:
    """Add a measure, or save the changes of one (each changed field kept old → new and audited); returns its id."""
    fields = checked_fields(
        measure,
        store.catalogue.indicators(include_retired=True),
        store.catalogue.areas(),
        store.goals.handlungsziele(),
    )
    links = {"indicators": list(measure.indicators), "areas": list(measure.areas)}
    if measure_id is None:
        return store.measures.add(fields, **links, user=user)
    if not store.measures.exists(measure_id):
        raise MeasureError(f"Die Maßnahme {measure_id} gibt es nicht (mehr).")
    store.measures.update(measure_id, fields, **links, user=user)
    return measure_id


def measures(store: Store, indicator: str | None = None, *, day: dt.date | None = None) -> pd.DataFrame:
    """Measures (for one indicator or all) with `overdue` and the `shown_status` of the one rule."""
    rows = store.measures.list(indicator)
    today = day or dt.date.today()
    return rows.assign(overdue=overdue(rows, today), shown_status=measure_state(rows, today))


def history(store: Store, measure_id: int | None = None) -> pd.DataFrame:
    """The changes of one measure (or all), newest first, with German field names."""
    rows = store.measures.history(measure_id)
    dates = rows["field"].isin(["start_date", "due_date"])
    amounts = rows["field"] == "funding_amount"
    for column in ("old_value", "new_value"):
        text = rows[column].astype(object)
        as_date = pd.to_datetime(text.where(dates), errors="coerce").dt.strftime("%d.%m.%Y")
        as_amount = format_number_column(pd.to_numeric(text.where(amounts), errors="coerce"), 2, "€")
        rows[column] = text.where(~dates, as_date).where(~amounts | text.isna(), as_amount)
    return rows.assign(field_label=rows["field"].map(FIELD_LABELS).fillna(rows["field"]))


@dataclass(frozen=True)
class MeasureFilter:
    """What the measures page filters by (empty: everything)."""

    fields: Sequence[str] = ()
    indicators: Sequence[str] = ()
    areas: Sequence[str] = ()
    states: Sequence[str] = ()
    only_overdue: bool = False


def filter_measures(rows: pd.DataFrame, chosen: MeasureFilter, indicators: pd.DataFrame) -> pd.DataFrame:
    """The measures matching every chosen filter; a Handlungsfeld matches through the linked Kennzahlen."""
    keep = pd.Series(True, index=rows.index)
    linked = rows["indicator_list"].explode()
    if chosen.fields:
        field_of = indicators.set_index("code")["field"]
        keep &= linked.map(field_of).isin(chosen.fields).groupby(level=0).any().reindex(rows.index, fill_value=False)
    if chosen.indicators:
        keep &= linked.isin(chosen.indicators).groupby(level=0).any().reindex(rows.index, fill_value=False)
    if chosen.areas:
        places = rows["area_list"].explode()
        keep &= places.isin(chosen.areas).groupby(level=0).any().reindex(rows.index, fill_value=False)
    if chosen.states:
        keep &= rows["status"].isin(chosen.states)
    if chosen.only_overdue:
        keep &= rows["overdue"]
    return rows.loc[keep]


def for_area(rows: pd.DataFrame, area: str) -> pd.DataFrame:
    """The measures named for one Gemeinde."""
    return rows.loc[rows["area_list"].explode().eq(area).groupby(level=0).any().reindex(rows.index, fill_value=False)]


def _date_column(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, errors="coerce").dt.strftime("%d.%m.%Y").fillna("")


def measure_table(rows: pd.DataFrame, area_names: dict[str, str]) -> pd.DataFrame:
    """Measures with German headers, dates and amounts as a person reads them (the page and the export)."""
    named = rows["area_list"].explode().dropna().map(lambda code: area_names.get(code, code))
    names = named.groupby(level=0).agg(", ".join).reindex(rows.index, fill_value="")
    amount = format_number_column(rows["funding_amount"], 2, "€").where(rows["funding_amount"].notna(), "")
    return pd.DataFrame(
        {
            "Nr.": rows["id"],
            "Maßnahme": rows["title"],
            "Stand": rows["shown_status"],
            "Fällig am": _date_column(rows["due_date"]),
            "Beginn": _date_column(rows["start_date"]),
            "Kennzahlen": rows["indicators"],
            "Handlungsziel": rows["goal_code"].fillna(""),
            "Gemeinden": names.where(names != "", "Landkreis insgesamt"),
            "Träger": rows["carrier"].fillna(""),
            "Verantwortlich": rows["responsible"],
            "Finanzierung": rows["funding"].fillna(""),
            "Betrag": amount,
            "Beschreibung": rows["description"].fillna(""),
        }
    )


def export_xlsx(rows: pd.DataFrame, area_names: dict[str, str]) -> bytes:
    """The measures as an Excel workbook (formulas neutralized); the amount stays a number there."""
    table = measure_table(rows, area_names).assign(Betrag=rows["funding_amount"].to_numpy())
    return to_excel_bytes({"Maßnahmen": table.rename(columns={"Betrag": "Betrag (€)"})})
