"""Measures in the UI: the cached list (per data version and day), the form to add or edit one, and the
overdue notice the overview, Gemeinde and Kennzahl pages show."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from controlling.formatting import format_number
from controlling.measures import model as measures
from controlling.ui.goals import plain
from controlling.ui.session import cached_table, store


def measure_list() -> pd.DataFrame:
    """Every measure with the overdue rule applied, cached until the next change (or the next day)."""
    day = dt.date.today()
    return cached_table("measures", (day,), lambda: measures.measures(store(), day=day), exclusive=False)


def _date(value: object) -> dt.date | None:
    stamp = pd.to_datetime(pd.Series([value]), errors="coerce").iloc[0]
    return None if pd.isna(stamp) else stamp.date()


def measure_form(
    key: str,
    indicators: pd.DataFrame,
    gemeinden: dict[str, str],
    goals: dict[str, str],
    existing: pd.Series | None = None,
) -> measures.MeasureInput | None:
    """A form for a new measure (or to edit `existing`); the input once it is submitted, else None.

    `goals` are the Handlungsziele to choose from (code → title); a measure serves at most one.
    """
    names = dict(zip(indicators["code"], indicators["name"], strict=True))
    old = existing if existing is not None else pd.Series(dtype=object)

    def text(name: str) -> str:
        value = old.get(name)
        return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)

    with st.form(key, clear_on_submit=existing is None):
        title = st.text_input("Titel", value=text("title"), max_chars=200)
        description = st.text_area("Beschreibung", value=text("description"), max_chars=5000)
        goal_codes = ["", *goals]
        goal = st.selectbox(
            "Handlungsziel",
            goal_codes,
            index=goal_codes.index(text("goal_code")) if text("goal_code") in goal_codes else 0,
            format_func=lambda code: f"{code} – {goals[code]}" if code else "keinem Handlungsziel zugeordnet",
        )
        left, right = st.columns(2)
        linked = left.multiselect(
            "Kennzahlen",
            list(indicators["code"]),
            default=[c for c in old.get("indicator_list", []) if c in names] if existing is not None else [],
            format_func=lambda c: f"{c} – {names[c]}",
            placeholder="Bitte wählen",
        )
        places = right.multiselect(
            "Gemeinden (leer: der ganze Landkreis)",
            list(gemeinden),
            default=[c for c in old.get("area_list", []) if c in gemeinden] if existing is not None else [],
            format_func=lambda code: gemeinden[code],
            placeholder="Landkreis insgesamt",
        )
        carrier = left.text_input("Träger", value=text("carrier"))
        responsible = right.text_input("Verantwortlich", value=text("responsible"))
        funding = left.text_input("Finanzierung (Programm, Haushaltsstelle)", value=text("funding"))
        amount = old.get("funding_amount")
        amount_text = "" if amount is None or pd.isna(amount) else format_number(float(amount), 2)
        funding_amount = right.text_input("Betrag in € (z. B. 12.500,00)", value=amount_text)
        start = left.date_input("Beginn", value=_date(old.get("start_date")), format="DD.MM.YYYY")
        due = right.date_input("Fällig am", value=_date(old.get("due_date")), format="DD.MM.YYYY")
        states = list(measures.STATES)
        status = left.selectbox("Stand", states, index=states.index(text("status")) if text("status") in states else 0)
        label = "Änderungen speichern" if existing is not None else "Maßnahme anlegen"
        if not st.form_submit_button(label, type="primary"):
            return None
    return measures.MeasureInput(
        title=title,
        description=description,
        responsible=responsible,
        status=status,
        indicators=linked,
        areas=places,
        goal_code=goal or None,
        carrier=carrier,
        funding=funding,
        funding_amount=funding_amount,
        start_date=start if isinstance(start, dt.date) else None,
        due_date=due if isinstance(due, dt.date) else None,
    )


def overdue_notice(rows: pd.DataFrame, *, where: str) -> None:
    """A warning naming the overdue measures among `rows` (nothing when none is overdue)."""
    late = rows.loc[rows["overdue"]]
    if late.empty:
        return
    due = pd.to_datetime(late["due_date"]).dt.strftime("%d.%m.%Y")
    items = "\n".join(
        f"- **{plain(title)}** (fällig am {day}, {status})"
        for title, day, status in zip(late["title"], due, late["status"], strict=True)
    )
    count = "1 Maßnahme ist" if len(late) == 1 else f"{len(late)} Maßnahmen sind"
    st.warning(f"**{count} überfällig** {where}:\n{items}", icon=":material/schedule:")
    st.page_link("pages/massnahmen.py", label="Alle Maßnahmen", icon=":material/task_alt:")
