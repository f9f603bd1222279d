"""One plain German explanation per status row (DESIGN §4.3), built column-wise."""

from __future__ import annotations

import numpy as np
import pandas as pd

from controlling.formatting import format_number_column
from controlling.status import LIGHT_LABELS, OUTLOOK_LABELS


def _text(values: object, index: pd.Index) -> pd.Series[str]:
    """A text column (for np.where results and mapped labels)."""
    return pd.Series(values, index=index, dtype=object)


def _year(values: pd.Series) -> pd.Series[str]:
    """Years as plain digits, no separators; '' when missing."""
    return values.astype("Int64").astype(str).replace("<NA>", "")


def _pick(conditions: list[np.ndarray | pd.Series], choices: list[pd.Series | str], index: pd.Index) -> pd.Series:
    result = pd.Series("", index=index, dtype=object)
    for condition, choice in reversed(list(zip(conditions, choices, strict=True))):
        mask = np.asarray(condition, dtype=bool)
        result[mask] = choice[mask] if isinstance(choice, pd.Series) else choice
    return result


def explain_status(status: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Adds light_text, outlook_text and explanation (both joined) to a compute_status frame."""
    meta = indicators.set_index("code")
    decimals = status["indicator"].map(meta["decimals"]).fillna(1).astype(int)
    unit = status["indicator"].map(meta["unit"]).fillna("")
    polarity = status["indicator"].map(meta["polarity"]).fillna("neutral")
    change_unit = unit.replace({"%": "Prozentpunkte", "‰": "Promillepunkte"})

    def num(column: str) -> pd.Series:
        return format_number_column(status[column], decimals, unit)

    def change(column: str) -> pd.Series:
        return format_number_column(status[column], decimals + 1, change_unit, signed=True)

    x, z, b, s = num("value"), num("target_value"), num("baseline_value"), num("planned_value")
    t, t0, target_year = _year(status["year"]), _year(status["baseline_year"]), _year(status["target_year"])
    ratio = format_number_column(status["ratio"].clip(lower=-9.99) * 100, 0, "%")
    green = format_number_column(status["threshold_green"] * 100, 0, "%")
    yellow = format_number_column(status["threshold_yellow"] * 100, 0, "%")
    light_label = _text(status["light"].map(LIGHT_LABELS), status.index)
    beyond = np.where(polarity == "hoch", "über", "unter")
    exact = (status["value"] - status["target_value"]).abs() <= 1e-9
    position = _text(np.where(exact, "genau auf", beyond), index=status.index)
    reason = status["light_reason"]

    path = (
        light_label
        + ": "
        + t
        + " liegt der Wert bei "
        + x
        + ". Auf dem Zielpfad von "
        + b
        + " ("
        + t0
        + ") zu "
        + z
        + " ("
        + target_year
        + ") wären "
        + s
        + " zu erwarten; "
    )
    on_path_tail = (
        _text(
            np.where(
                status["ratio"] < 0,
                "der Wert hat sich seit dem Basisjahr vom Ziel entfernt",
                "erreicht ist " + ratio + " der geplanten Entwicklung",
            ),
            index=status.index,
        )
        + " (Grün ab "
        + green
        + ", Gelb ab "
        + yellow
        + ")."
    )
    light_text = _pick(
        [
            reason == "neutral",
            reason == "kein_ziel",
            reason == "kein_basiswert",
            reason == "ziel_erreicht",
            reason == "keine_entwicklung",
        ],
        [
            "Keine Ampel: Die Kennzahl wird nicht bewertet, weil weder ein höherer noch ein niedrigerer "
            "Wert besser ist.",
            "Keine Ampel: Für diese Kennzahl ist kein Ziel beschlossen.",
            "Keine Ampel: Für das Basisjahr " + t0 + " liegt kein Wert vor, daher lässt sich der Zielpfad "
            "nicht berechnen.",
            "Grün, Ziel erreicht: "
            + t
            + " liegt der Wert bei "
            + x
            + " und damit "
            + position
            + " dem Ziel von "
            + z
            + " für "
            + target_year
            + ".",
            "Keine Ampel: Der neueste Wert stammt aus "
            + t
            + ", das Basisjahr ist "
            + t0
            + "; eine Entwicklung seit dem Basisjahr lässt sich noch nicht beurteilen.",
        ],
        status.index,
    )
    light_text = light_text.where(light_text != "", path + on_path_tail)

    span = _year(status["year"] - status["window_start"])
    years_phrase = _text(
        np.where(span == "1", "des letzten Jahres", "der letzten " + span + " Jahre"), index=status.index
    )
    trend_core = "Trend " + years_phrase + " (" + change("mean_change") + " pro Jahr)"
    trend = "der " + trend_core
    outlook_label = "Prognose " + _text(status["outlook"].map(OUTLOOK_LABELS), status.index) + ": "
    gap = format_number_column(status["gap_share"] * 100, 0, "%")
    projection_tail = _text(
        np.where(
            status["gap_share"] <= 0,
            "das Ziel von " + z + " würde erreicht.",
            "das Ziel von " + z + " würde um " + gap + " des heutigen Abstands verfehlt.",
        ),
        index=status.index,
    )
    sign = polarity.map({"hoch": 1.0, "niedrig": -1.0}).fillna(0.0)
    good_trend = sign * status["mean_change"] > 0
    good_last = sign * status["last_change"] > 0
    direction = _text(
        np.where(good_trend, "in die gewünschte Richtung", "nicht in die gewünschte Richtung"), index=status.index
    )
    last_direction = _text(
        np.where(good_last, "in die gewünschte Richtung", "nicht in die gewünschte Richtung"), index=status.index
    )
    reached = sign * (status["value"] - status["target_value"]) >= -1e-9
    met = _text(np.where(reached, "erreicht", "nicht erreicht"), index=status.index)
    outlook_reason = status["outlook_reason"]
    window_from = _year(status["year"] - 5)
    outlook_text = _pick(
        [
            outlook_reason == "neutral",
            outlook_reason == "zu_wenige_werte",
            outlook_reason == "erreicht_trend_gut",
            outlook_reason == "erreicht_trend_schlecht",
            outlook_reason == "trend_weg_vom_ziel",
            outlook_reason == "projektion",
            outlook_reason == "zieljahr_vorbei",
            outlook_reason == "ohne_ziel",
        ],
        [
            "Keine Prognose für eine nicht bewertete Kennzahl.",
            "Keine Prognose: Von "
            + window_from
            + " bis "
            + t
            + " liegen nur "
            + status["window_values"].astype(str)
            + " Werte vor, nötig sind mindestens 4.",
            outlook_label + "Das Ziel ist erreicht und " + trend + " zeigt weiter in die gewünschte Richtung.",
            outlook_label + "Das Ziel ist erreicht, aber " + trend + " zeigt in die falsche Richtung.",
            outlook_label + "Das Ziel von " + z + " ist nicht erreicht und " + trend + " zeigt vom Ziel weg.",
            outlook_label
            + "Bei Fortsetzung des Trends "
            + years_phrase
            + " würde "
            + target_year
            + " ein Wert von "
            + num("projection")
            + " erreicht; "
            + projection_tail,
            outlook_label
            + "Das Zieljahr "
            + target_year
            + " ist erreicht, das Ziel von "
            + z
            + " wurde "
            + met
            + ", und "
            + trend
            + " zeigt "
            + direction
            + ".",
            outlook_label
            + "Ohne Ziel: Der "
            + trend_core
            + " zeigt "
            + direction
            + ", die letzte Veränderung gegenüber "
            + _year(status["previous_year"])
            + " ("
            + change("last_change")
            + ") "
            + last_direction
            + ".",
        ],
        status.index,
    )
    result = status.copy()
    result["light_text"] = light_text
    result["outlook_text"] = outlook_text
    result["explanation"] = light_text + " " + outlook_text
    return result
