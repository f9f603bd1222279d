"""The delivery calendar of the catalogue (pure): per indicator its Stichtag, rhythm and deadline, checked like
every other catalogue column, and the dates of each expected delivery of a year, computed column-wise.

Catalogue columns (data/kennzahlen.csv, the Kennzahlen template):
- `stichtag`: the reference date within the year, `TT.MM.` (e.g. `31.12.`);
- `rhythmus`: `jährlich`, `halbjährlich` or `zweijährlich` (also written `jaehrlich`, `halbjaehrlich`,
  `zweijaehrlich`; any case; empty: the indicator is not delivered, e.g. published statistics fetched by the
  Referat itself, or a value nobody delivers);
- `lieferfrist`: the deadline `TT.MM.`, the first such day after the Stichtag (`31.03.` after `31.12.` is
  31 March of the following year).
A half-yearly indicator is delivered for the Stichtag and for the date six months apart in the same year. The
value at the Stichtag is the year's value (breakdown ''); the other half-year's value carries its half in the
breakdown (`Halbjahr=1` or `Halbjahr=2`), so the period is stored with the value and one yearly row is the
delivery of one half only. A two-yearly indicator (a survey every second year) is expected in a year unless it
was delivered the year before (state.calendar).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from controlling.errors import Problem
from controlling.tabular import problems_where

RHYTHMS = ("jährlich", "halbjährlich", "zweijährlich")
SPELLINGS = {"jaehrlich": "jährlich", "halbjaehrlich": "halbjährlich", "zweijaehrlich": "zweijährlich"}
HALF_YEAR = "Halbjahr"  # breakdown label of the half-year that is not the year's value: `Halbjahr=1`
DAY_MONTH = r"(0?[1-9]|[12]\d|3[01])\.(0?[1-9]|1[0-2])\.?"
DELIVERY_COLUMNS = {"stichtag": "reference_date", "rhythmus": "rhythm", "lieferfrist": "deadline"}


def _day_month(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Day and month of `TT.MM.` texts (NaN where not one)."""
    parts = text.str.extract(rf"^{DAY_MONTH}$")
    return pd.to_numeric(parts[0], errors="coerce"), pd.to_numeric(parts[1], errors="coerce")


def _canonical(text: pd.Series) -> pd.Series:
    day, month = _day_month(text)
    shown = day.map(lambda d: f"{d:02.0f}") + "." + month.map(lambda m: f"{m:02.0f}") + "."
    return shown.where(day.notna(), "")


def check_delivery_columns(raw: pd.DataFrame, *, file: str) -> tuple[list[Problem], pd.DataFrame]:
    """Problems of `stichtag`, `rhythmus`, `lieferfrist` (template columns, text), and the three columns
    normalized (reference_date and deadline as `TT.MM.`, rhythm lower case)."""
    frame = raw.reindex(columns=list(DELIVERY_COLUMNS), fill_value="").fillna("").astype(str)
    frame = frame.apply(lambda column: column.str.strip())
    rhythm = frame["rhythmus"].str.lower().replace(SPELLINGS)
    problems: list[Problem] = []
    for column in ("stichtag", "lieferfrist"):
        day, month = _day_month(frame[column])
        impossible = day > pd.Series(month.map(_days_in_month), index=frame.index)
        problems += problems_where(
            frame,
            (frame[column] != "") & (day.isna() | impossible),
            file=file,
            column=column,
            message="Erwartet wird ein Tag und Monat wie 31.12. oder ein leeres Feld.",
        )
    problems += problems_where(
        frame,
        ~rhythm.isin(["", *RHYTHMS]),
        file=file,
        column="rhythmus",
        message="Erwartet wird »jährlich«, »halbjährlich«, »zweijährlich« oder ein leeres Feld (nicht geliefert).",
    )
    incomplete = (rhythm != "") & ((frame["stichtag"] == "") | (frame["lieferfrist"] == ""))
    problems += problems_where(
        frame,
        incomplete,
        file=file,
        column="rhythmus",
        message="Eine Kennzahl mit Lieferrhythmus braucht auch einen Stichtag und eine Lieferfrist (z. B. 31.12. "
        "und 31.03.).",
    )
    normalized = pd.DataFrame(
        {
            "reference_date": _canonical(frame["stichtag"]),
            "rhythm": rhythm,
            "deadline": _canonical(frame["lieferfrist"]),
        },
        index=raw.index,
    )
    problems.sort(key=lambda problem: problem.line or 0)
    return problems, normalized


def _days_in_month(month: float) -> float:
    return float(pd.Timestamp(2024, int(month), 1).days_in_month) if month == month else np.nan  # leap year: 29.02.


def _date(year: pd.Series, month: pd.Series, day: pd.Series) -> pd.Series:
    """Dates from year, month, day columns; a day beyond the month's end becomes its last day (29.02.)."""
    first = pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": 1}))
    return first + pd.to_timedelta(np.minimum(day, first.dt.days_in_month) - 1, unit="D")


def delivery_periods(indicators: pd.DataFrame, year: int) -> pd.DataFrame:
    """Every delivery period of a year per indicator with a rhythm: indicator, period (label), reference date
    (Stichtag) and deadline as Timestamps, and `half`: 0 for the period whose value is the year's value (the
    catalogue's Stichtag), else the half-year (1 or 2) its breakdown names. Vectorized over the catalogue.
    A two-yearly indicator is listed for every year; the calendar leaves out the years it is not due."""
    rows = indicators.loc[
        indicators["rhythm"].fillna("").isin(RHYTHMS), ["code", "rhythm", "reference_date", "deadline"]
    ]
    day, month = _day_month(rows["reference_date"].astype(str))
    due_day, due_month = _day_month(rows["deadline"].astype(str))
    rows = rows.assign(day=day, month=month, due_day=due_day, due_month=due_month).dropna(
        subset=["day", "month", "due_day", "due_month"]
    )
    # The deadline is the first such day after the Stichtag: months ahead, 1 to 12.
    ahead = (rows["due_month"] - rows["month"]) % 12
    ahead = ahead.where((ahead > 0) | (rows["due_day"] > rows["day"]), ahead + 12)
    half = rows.loc[rows["rhythm"] == "halbjährlich"]
    # Six months apart, within the same year; a month's last day stays a month's last day (30.06. -> 31.12.).
    last_day = half["day"] >= half["month"].map(_days_in_month).where(half["month"] != 2, 28)
    second = half.assign(month=(half["month"] + 5) % 12 + 1, day=half["day"].where(~last_day, 31))
    periods = pd.concat([rows.assign(part=0), second.assign(part=1)], ignore_index=False)
    periods["ahead"] = ahead.reindex(periods.index).to_numpy()
    periods = periods.sort_values(["code", "month"]).reset_index(drop=True)
    stichtag = _date(pd.Series(year, index=periods.index), periods["month"], periods["day"])
    months = year * 12 + periods["month"] - 1 + periods["ahead"]
    deadline = _date(months // 12, months % 12 + 1, periods["due_day"])
    half_number = np.where(periods["month"] <= 6, 1, 2)
    half_label = np.where(half_number == 1, f"1. Halbjahr {year}", f"2. Halbjahr {year}")
    label = np.where(periods["rhythm"] == "halbjährlich", half_label, str(year))
    return pd.DataFrame(
        {
            "indicator": periods["code"].astype(str),
            "rhythm": periods["rhythm"].astype(str),
            "period": label,
            "year": year,
            "reference_date": stichtag,
            "deadline": deadline,
            "half": np.where(periods["part"] == 0, 0, half_number),
        }
    )
