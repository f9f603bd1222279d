"""A provider's pre-filled Werte template (DESIGN §5.2): its indicators × its areas × the year, values empty,
the previous year's value beside each as a hint. The filled file is uploaded as it is: `erlaeuterung` and
`vorjahr` are documented hint columns the reader ignores. A half-yearly indicator has a row per half-year: the
half of the catalogue's Stichtag is the year's value, the other one names its half in `aufschluesselung`
(`Halbjahr=1`), so the period goes in with the value."""

from __future__ import annotations

import numpy as np
import pandas as pd

from controlling.deliveries.schedule import HALF_YEAR, delivery_periods
from controlling.deliveries.state import responsibilities, template_areas
from controlling.formatting import format_number_column
from controlling.report.export import to_csv_bytes, to_excel_bytes

TEMPLATE_COLUMNS = (
    "kennzahl",
    "gebiet",
    "jahr",
    "wert",
    "zaehler",
    "nenner",
    "kennzeichen",
    "anmerkung",
    "aufschluesselung",
    "erlaeuterung",
    "vorjahr",
)
HINTS = (
    "Tragen Sie je Zeile den Wert ein (Dezimalkomma, z. B. 12,5); bei Quoten auch Zähler und Nenner.",
    "Ist ein Wert unbekannt, tragen Sie ».« ein; ist er geheim zu halten, ».« und im Kennzeichen nichts weiter.",
    "Die Spalten »erlaeuterung« und »vorjahr« sind nur Hinweise und werden beim Hochladen nicht gespeichert.",
    "Laden Sie die ausgefüllte Datei unverändert unter »Datenlieferungen« hoch.",
)


def template_frame(
    indicators: pd.DataFrame, areas: pd.DataFrame, previous: pd.DataFrame, *, provider: str, year: int
) -> pd.DataFrame:
    """The template rows of one provider and year; `previous`: indicator, area, value of year − 1.

    `vorjahr` holds the previous value as a number (NaN where there was none); the CSV writes it German.
    """
    responsible = responsibilities(indicators, areas, year=year)
    rows = template_areas(responsible.loc[responsible["provider"] == provider], indicators, areas)
    meta = indicators.set_index("code")
    area_names = areas.set_index("code")["name"]
    periods = delivery_periods(indicators, year)
    halves = periods.loc[periods["rhythm"] == "halbjährlich"]
    halves = halves.assign(
        breakdown=(HALF_YEAR + "=" + halves["half"].astype(str)).where(halves["half"] != 0, ""),
        said=" – "
        + halves["period"]
        + " (Stichtag "
        + halves["reference_date"].dt.strftime("%d.%m.")
        + np.where(halves["half"] == 0, ", Jahreswert)", ")"),
    )
    rows = rows.merge(halves[["indicator", "breakdown", "said", "reference_date"]], on="indicator", how="left")
    rows = rows.fillna({"breakdown": "", "said": ""})
    rows = rows.merge(previous[["indicator", "area", "value"]], on=["indicator", "area"], how="left")
    rows.loc[rows["breakdown"] != "", "value"] = np.nan  # last year's hint is the year's value only
    order = pd.Series(range(len(meta)), index=meta.index)
    rows = rows.assign(rank=rows["indicator"].map(order)).sort_values(
        ["rank", "area", "reference_date"], ignore_index=True
    )
    unit = rows["indicator"].map(meta["unit"])
    return pd.DataFrame(
        {
            "kennzahl": rows["indicator"],
            "gebiet": rows["area"],
            "jahr": str(year),
            "wert": "",
            "zaehler": "",
            "nenner": "",
            "kennzeichen": "",
            "anmerkung": "",
            "aufschluesselung": rows["breakdown"],
            "erlaeuterung": rows["indicator"].map(meta["name"])
            + " ("
            + unit
            + ") – "
            + rows["area"].map(area_names)
            + rows["said"],
            "vorjahr": rows["value"],
        },
        columns=list(TEMPLATE_COLUMNS),
    )


def template_csv(frame: pd.DataFrame, decimals: pd.Series) -> bytes:
    """The template as the product's own CSV (semicolon, UTF-8 with BOM); `vorjahr` written German, rounded to
    each indicator's decimals (`decimals`: by indicator code)."""
    places = frame["kennzahl"].map(decimals).fillna(1).astype(int)
    shown = pd.Series("", index=frame.index, dtype=object)
    for digits in places.unique():  # a handful of decimal places, not one per row
        rows = places == digits
        values = frame.loc[rows, "vorjahr"]
        shown[rows] = format_number_column(values, int(digits)).where(values.notna(), "")
    return to_csv_bytes(frame.assign(vorjahr=shown))


def template_xlsx(frame: pd.DataFrame) -> bytes:
    """The template as an Excel workbook: the rows on the first sheet (read on upload), hints on the second."""
    hints = pd.DataFrame({"Hinweise": list(HINTS)})
    return to_excel_bytes({"Vorlage": frame, "Hinweise": hints})


def template_file_name(provider: str, year: int, suffix: str) -> str:
    """`vorlage_jobcenter_landkreis_peine_2025.csv`: the provider in plain letters."""
    plain = "".join(c if c.isalnum() else "_" for c in provider.lower())
    for umlaut, written in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        plain = plain.replace(umlaut, written)
    plain = "_".join(part for part in plain.split("_") if part)
    return f"vorlage_{plain}_{year}.{suffix}"
