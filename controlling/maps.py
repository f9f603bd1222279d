"""What the two maps show: the Gemeinden of the reporting Kreis (Karte) and the Kreise of its Land (Vergleich)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from controlling.formatting import format_number, format_number_column
from controlling.method.presentation import light_text
from controlling.reference.areas import SOURCE_NOTE, kreise
from controlling.reference.shipped import DATA_DIR

__all__ = ["SOURCE_NOTE", "land_kreise_rows", "map_table"]


def land_kreise_rows(values: pd.DataFrame, *, kreis: str, year: int, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Every Kreis of the reporting Kreis's Land (as shipped) with its value of one indicator in `year`.

    `values` are one indicator's current yearly totals (area, year, value). Columns: area, area_name, value, light
    ('grau': comparison areas are not rated). Kreise without a value are there too (drawn pale, "kein Wert").
    """
    shipped = kreise(data_dir)
    land = shipped.loc[shipped["parent"] == kreis[:2], ["code", "name"]]
    rows = values.loc[values["year"] == year, ["area", "value"]].drop_duplicates("area")
    frame = land.rename(columns={"code": "area", "name": "area_name"}).merge(rows, on="area", how="left")
    return frame.assign(light="grau").reset_index(drop=True)


def map_table(frame: pd.DataFrame, *, unit: str, decimals: int) -> pd.DataFrame:
    """The map's areas as a table (name, value, light in words): the same content for those who do not see colour."""
    return pd.DataFrame(
        {
            "Gebiet": frame["area_name"],
            "AGS": frame["area"],
            "Wert": format_number_column(frame["value"], decimals, unit),
            "Ampel": frame["light"].map(light_text),
        }
    )


def rank_sentence(
    land_kreise: pd.DataFrame, *, kreis: str, land_value: float | None, meta: pd.Series, year: int
) -> str:
    """'Landkreis Peine liegt 2024 auf Rang 12 von 45 Kreisen des Landes (Rang 1: der günstigste Wert); Land: 12,3 %.'

    The rank follows the Kennzahl's direction (hoch: the highest value is rank 1; niedrig: the lowest); a neutral
    Kennzahl is ranked from the highest value and says so. Equal values share a rank.
    """
    known = land_kreise.dropna(subset=["value"])
    unit, decimals = str(meta["unit"]), int(meta["decimals"])
    land = "" if land_value is None or pd.isna(land_value) else f"; Land: {format_number(land_value, decimals, unit)}"
    own = known.loc[known["area"] == kreis]
    if own.empty:
        return f"Für {year} hat der eigene Kreis keinen Wert; {len(known)} Kreise des Landes haben einen{land}."
    ascending = meta["polarity"] == "niedrig"
    ranks = known["value"].rank(method="min", ascending=ascending)
    rank = int(ranks.loc[own.index[0]])
    order = {
        "hoch": "Rang 1: der höchste und günstigste Wert",
        "niedrig": "Rang 1: der niedrigste und günstigste Wert",
    }.get(str(meta["polarity"]), "Rang 1: der höchste Wert, ohne Bewertung")
    name = str(own.iloc[0]["area_name"])
    value = format_number(float(own.iloc[0]["value"]), decimals, unit)
    return f"{name} liegt {year} mit {value} auf Rang {rank} von {len(known)} Kreisen des Landes ({order}){land}."
