"""Open SDG CSV as the Integrationsmonitoring Niedersachsen (LSN) publishes it (DESIGN §5.3)."""

from __future__ import annotations

import re
from pathlib import PurePath

import pandas as pd

from controlling.errors import InputRejectedError, Problem
from controlling.intake.frames import Reading, canonical_breakdown, raw_frame, series_code
from controlling.tabular import read_delimited

FIXED = {"year", "units", "series", "geocode", "value", "gebietseinheit"}
PREFIXES = {
    "K": "Kreis",
    "RH": "Gebiet der Ausländerbehörde",
    "MZ": "Mikrozensus-Region",
}
MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)
# Names the LSN writes for areas outside the Kreis list.
AREA_NAMES = {"niedersachsen": "03", "deutschland": "DG"}


def read_opensdg(text: str, file: str) -> Reading:
    """Open SDG CSV: Year, optional Units/Series, disaggregations, optional GeoCode or Gebietseinheit, Value."""
    raw = read_delimited(text, file=file, sep=",", lower=False)
    lower = {c.lower(): c for c in raw.columns}
    missing = [name for name in ("year", "value") if name not in lower]
    if missing:
        raise InputRejectedError(
            [Problem(file, 1, name, None, f"Die Open-SDG-Spalte »{name.capitalize()}« fehlt.") for name in missing]
        )
    pairs = raw[[c for c in raw.columns if c.lower() not in FIXED]].copy()
    if "series" in lower:
        pairs["Reihe"] = raw[lower["series"]]
    units = raw[lower["units"]] if "units" in lower else pd.Series("", index=raw.index)
    if units.nunique() > 1:
        pairs["Einheit"] = units
    year, period, month = _years(raw[lower["year"]])
    if period.ne("").any():
        pairs["Zeitraum"] = period
    if month.ne("").any():
        pairs["Monat"] = month
    names = raw[lower["gebietseinheit"]] if "gebietseinheit" in lower else pd.Series("", index=raw.index)
    notes: list[str] = []
    skipped = None
    if "geocode" in lower:
        area, prefix = _geocode_area(raw[lower["geocode"]])
        by_name = names.str.strip().str.lower().map(AREA_NAMES)
        unnamed = (area == "") & by_name.notna()  # the Land's rows without a GeoCode, named "Niedersachsen"
        area = area.where(~unnamed, by_name)
        if unnamed.any():
            notes.append("Zeilen ohne GeoCode nach ihrem Gebietsnamen zugeordnet (z. B. »Niedersachsen« → 03)")
        notes += _prefix_notes(raw[lower["geocode"]], prefix, area)
        several = (prefix == "MZ") & area.str.fullmatch(r"\d{8}")
        skipped = pd.DataFrame(
            {
                "line": raw.index[several] + 2,
                "column": "GeoCode",
                "value": raw.loc[several, lower["geocode"]],
                "message": "Die Mikrozensus-Region »"
                + names[several]
                + "« ist nicht genau ein Kreis (mehrere Kreise oder Teil eines Kreises) – übersprungen.",
            }
        )
        keep = ~several
    elif "gebietseinheit" in lower:
        area = names.str.strip().str.lower().map(AREA_NAMES).astype(object).where(lambda a: a.notna(), names)
        notes.append("Keine GeoCode-Spalte: Gebiete nach ihrem Namen (Gebietseinheit) zugeordnet")
        keep = pd.Series(True, index=raw.index)
    else:
        area = pd.Series("03", index=raw.index)
        notes.append("Keine Gebietsspalte: alle Werte gelten für das Land Niedersachsen (03)")
        keep = pd.Series(True, index=raw.index)
    if period.ne("").any():
        notes.append(
            "Jahre als Zeitraum oder Veränderung (z. B. »2024 / 2005«, »Veränderung aktuelles Jahr (2024) zu 2005«): "
            "Jahr 2024, Zeitraum als Aufschlüsselung"
        )
    if raw[lower["year"]].astype(str).str.strip().str.fullmatch(SEMESTER).any():
        notes.append("Wintersemester (z. B. »WS 2005/06«) als Jahr ihres Beginns (2005)")
    if month.ne("").any():
        notes.append("Jahre mit Monat (z. B. »Juni 2007«): Monat als Aufschlüsselung")
    match = re.search(r"indicator_([\w-]+)\.(?:csv|xlsx)$", PurePath(file).name)
    series = match.group(1) if match else PurePath(file).stem
    key = series_code("LSN", series)
    frame = raw_frame(
        line=raw.index + 2,
        column="Value",
        series=key,
        indicator="",
        area=area,
        area_name=names,
        year=year,
        value=raw[lower["value"]],
        breakdown=canonical_breakdown(pairs),
    )
    return Reading(
        kind="werte",
        format="opensdg",
        frame=frame.loc[keep.to_numpy()].reset_index(drop=True),
        series={key: f"Integrationsmonitoring Niedersachsen {series.replace('-', '.')}"},
        notes=notes,
        skipped=skipped,
    )


CHANGE = r"Veränderung aktuelles Jahr \((\d{4})\)\s*(.+)"  # 2-3-2: a change up to 2024, "zu 2005", "zum Vorjahr"
SEMESTER = r"WS\s*(\d{4})\s*/\s*\d{2}"  # 4-3-1: the winter semester 2005/06 is counted as the year 2005


def _years(cells: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Year, period and month of `2024`, `2024 / 2005` (a period: year 2024), `Juni 2007` (year 2007),
    `WS 2005/06` (the winter semester: year 2005) or `Veränderung aktuelles Jahr (2024) zu 2005` (year 2024,
    period »Veränderung zu 2005«)."""
    text = cells.fillna("").astype(str).str.strip()
    period = text.str.fullmatch(r"\d{4}\s*/\s*\d{4}")
    month_pattern = r"(" + "|".join(MONTHS) + r")\s+\d{4}"
    with_month = text.str.fullmatch(month_pattern)
    semester = text.str.fullmatch(SEMESTER)
    year = text.str.extract(r"(\d{4})", expand=False).where(
        period | with_month | semester | text.str.fullmatch(r"\d{4}")
    )
    change = text.str.extract(CHANGE)
    year = year.fillna(change[0])
    year = year.where(year.notna(), text)
    month = text.str.extract(month_pattern, expand=False).where(with_month, "")
    named = text.where(period, ("Veränderung " + change[1].fillna("")).where(change[0].notna(), ""))
    return year, named, month.fillna("")


def _geocode_area(geocode: pd.Series) -> tuple[pd.Series, pd.Series]:
    """`K03157`, `RH03157`, `MZ03157` -> `03157` and the prefix; the Land written `K030` -> `03`."""
    text = geocode.fillna("").astype(str).str.strip()
    parts = text.str.extract(r"^([A-Za-z]*)(.*)$")
    prefix, digits = parts[0].fillna(""), parts[1].fillna("")
    return digits.where(~digits.str.fullmatch(r"\d\d0"), digits.str.slice(0, 2)), prefix


def _prefix_notes(geocode: pd.Series, prefix: pd.Series, area: pd.Series) -> list[str]:
    """One line per GeoCode prefix found, with an example, for the preview."""
    notes = []
    for found in prefix[prefix != ""].unique():
        first = int((prefix == found).to_numpy().argmax())
        meaning = PREFIXES.get(str(found), "unbekannte Bedeutung")
        notes.append(f"GeoCode-Präfix »{found}« ({meaning}) entfernt, z. B. {geocode.iloc[first]} → {area.iloc[first]}")
    return notes


def area_codes_from_names(area: pd.Series, areas: pd.DataFrame) -> pd.Series:
    """Area names as the LSN writes them (`Peine`) -> codes of the area list (`Landkreis Peine`), else unchanged."""
    by_name = dict(zip(areas["name"].str.lower(), areas["code"], strict=True))
    kreise = areas.loc[areas["level"] == "kreis"]
    by_name.update(
        {
            re.sub(r"^(landkreis|kreis|region|stadt)\s+", "", name.lower()): code
            for name, code in zip(kreise["name"], kreise["code"], strict=True)
        }
    )
    mapped = area.str.strip().str.lower().map(by_name).astype(object)
    return mapped.where(mapped.notna(), area)
