"""The sentences of DESIGN §4.3, one template per reason: each says what its sign compares.

A template takes the rows of one reason (`Rows`) and returns the parts of its sentence: constants and
whole text columns, joined by explain.py in one pyarrow kernel.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from controlling.formatting import format_number_arrow, join_text
from controlling.method.presentation import LIGHT_LOOKS, OUTLOOK_LOOKS, TREND_LOOKS
from controlling.method.status import MIN_WINDOW_VALUES
from controlling.numbers import TOLERANCE

TextPart: TypeAlias = "pa.Array | pa.Scalar | str"
DATIVE_UNITS = {
    "Tage": "Tagen",
    "Jahre": "Jahren",
    "Prozentpunkte": "Prozentpunkten",
    "Promillepunkte": "Promillepunkten",
}


class Rows:
    """The rows of one kind of sentence, with their numbers formatted on demand."""

    def __init__(self, rows: pd.DataFrame) -> None:
        self.rows = rows

    def number(self, column: str, *, dative: bool = False) -> pa.Array:
        unit = self.rows["dative_unit"] if dative else self.rows["unit"]
        return format_number_arrow(self.rows[column], self.rows["decimals"], unit)

    def change(self, column: str) -> pa.Array:
        return format_number_arrow(self.rows[column], self.rows["decimals"] + 1, self.rows["change_unit"], signed=True)

    def percent(self, column: str) -> pa.Array:
        return format_number_arrow(self.rows[column] * 100, 0, "%")

    def year(self, column: str) -> pa.Array:
        years = pa.array(self.rows[column].to_numpy(dtype=float, na_value=np.nan), from_pandas=True)
        return pc.cast(pc.cast(years, pa.int64()), pa.string())

    def mask(self, condition: pd.Series | np.ndarray) -> pa.Array:
        return pa.array(np.asarray(condition, dtype=bool))

    def choose(self, condition: pd.Series | np.ndarray, when_true: TextPart, when_false: TextPart) -> pa.Array:
        return pc.if_else(self.mask(condition), when_true, when_false)

    def by_direction(self, higher: str, lower: str) -> pa.Array:
        """Words for `hoch` rows and for `niedrig` rows."""
        return self.choose(self.rows["sign"] > 0, higher, lower)

    def years(self) -> pa.Array:
        """The window as 'der Jahre 2019–2024'."""
        return join_text("der Jahre ", self.year("window_start"), "–", self.year("year"))

    def development(self) -> pa.Array:
        """'die Entwicklung der Jahre 2019–2024 (+0,45 Prozentpunkte pro Jahr)'."""
        return join_text("die Entwicklung ", self.years(), " (", self.change("mean_change"), " pro Jahr)")

    def towards(self) -> pa.Array:
        good = self.rows["sign"] * self.rows["mean_change"] > TOLERANCE
        flat = self.rows["mean_change"].abs() <= TOLERANCE
        return self.choose(
            good,
            "geht in die gewünschte Richtung",
            self.choose(flat, "ist ohne Veränderung", "geht in die falsche Richtung"),
        )


Template = Callable[[Rows], list[TextPart]]


def _label(r: Rows, kind: str) -> pa.Array:
    """'Ampel Gelb' or 'Wetter Bewölkt' for each row."""
    looks = LIGHT_LOOKS if kind == "light" else OUTLOOK_LOOKS
    prefix = "Ampel " if kind == "light" else "Wetter "
    labels = r.rows[kind].map({key: look.label for key, look in looks.items()}).astype(str)
    return join_text(prefix, pa.array(labels, type=pa.string()))


def _on_path(r: Rows) -> list[TextPart]:
    tail = r.choose(
        r.rows["ratio"] < 0,
        "der Wert hat sich seit dem Basisjahr vom Ziel entfernt",
        join_text("erreicht sind ", r.percent("ratio"), " der bis heute geplanten Veränderung"),
    )
    return [
        _label(r, "light"),
        ": ",
        r.year("year"),
        " liegt der Wert bei ",
        r.number("value", dative=True),
        ". Auf dem Weg vom Basisjahr ",
        r.year("baseline_year"),
        " (",
        r.number("baseline_value"),
        ") zum Ziel ",
        r.number("target_value"),
        " (",
        r.year("target_year"),
        ") wären ",
        r.number("planned_value"),
        " zu erwarten; ",
        tail,
        " (Grün ab ",
        r.percent("threshold_green"),
        ", Gelb ab ",
        r.percent("threshold_yellow"),
        ").",
    ]


def _chance_note(r: Rows) -> pa.Array:
    """'Der Abstand zum Soll von 0,03 Prozentpunkten liegt innerhalb der Zufallsschwankung bei 16.120 Fällen
    (95 %: ± 0,66 Prozentpunkte)' (§4.1 step 8)."""
    gap = (r.rows["planned_value"] - r.rows["value"]).abs()
    half = (r.rows["interval_high"] - r.rows["interval_low"]) / 2
    return join_text(
        "Der Abstand zum Soll von ",
        format_number_arrow(gap, r.rows["decimals"] + 1, r.rows["dative_change_unit"]),
        " liegt innerhalb der Zufallsschwankung bei ",
        format_number_arrow(r.rows["denominator"], 0, ""),
        " Fällen (95 %: ± ",
        format_number_arrow(half, r.rows["decimals"] + 1, r.rows["change_unit"]),
        ")",
    )


def _chance(r: Rows) -> list[TextPart]:
    """A red shortfall within the 95 % interval is yellow, with the numbers."""
    return [*_on_path(r), " ", _chance_note(r), "; daher Gelb statt Rot."]


def _slightly_off(r: Rows) -> list[TextPart]:
    """Yellow on its own; where chance explains the shortfall too, the sentence says so (colour unchanged)."""
    within = (r.rows["planned_value"] >= r.rows["interval_low"]) & (r.rows["planned_value"] <= r.rows["interval_high"])
    return [*_on_path(r), r.choose(within.fillna(False), join_text(" ", _chance_note(r), "."), "")]


def _met(r: Rows) -> list[TextPart]:
    exact = (r.rows["value"] - r.rows["target_value"]).abs() <= TOLERANCE
    position = r.choose(exact, "genau auf", r.by_direction("über", "unter"))
    return [
        "Ampel Grün, Ziel erreicht: ",
        r.year("year"),
        " liegt der Wert bei ",
        r.number("value", dative=True),
        " und damit ",
        position,
        " dem Ziel von ",
        r.number("target_value", dative=True),
        " für ",
        r.year("target_year"),
        ".",
    ]


def _limit(r: Rows) -> list[TextPart]:
    kept = r.rows["light"] == "gruen"
    worse = r.rows["sign"] * (r.rows["value"] - r.rows["baseline_value"]) < -TOLERANCE
    return [
        r.choose(kept, "Ampel Grün, Grenze eingehalten: ", "Ampel Rot, Grenze verfehlt: "),
        r.year("year"),
        " liegt der Wert bei ",
        r.number("value", dative=True),
        "; die Grenze (Halteziel) liegt bei ",
        r.by_direction("mindestens ", "höchstens "),
        r.number("target_value", dative=True),
        ". Im Basisjahr ",
        r.year("baseline_year"),
        " lag der Wert bei ",
        r.number("baseline_value", dative=True),
        r.choose(
            worse & kept,
            "; er hat sich seitdem verschlechtert, hält die Grenze aber noch ein.",
            r.choose(worse, "; er hat sich seitdem verschlechtert.", "."),
        ),
    ]


LIGHT_TEMPLATES: dict[str, Template] = {
    "neutral": lambda r: [
        "Ampel Grau: Die Kennzahl wird nicht bewertet, weil weder ein höherer noch ein niedrigerer Wert besser ist."
    ],
    "kein_ziel": lambda r: ["Ampel Grau: Für diese Kennzahl und dieses Gebiet ist kein Ziel beschlossen."],
    "vergleichsgebiet": lambda r: [
        "Ampel Grau: Vergleichsgebiet. Die Ziele des Landkreises gelten hier nicht, und ein eigenes Ziel ist "
        "nicht beschlossen."
    ],
    "nicht_uebertragbar": lambda r: [
        "Ampel Grau: Das Kreisziel lässt sich nicht übertragen: ",
        r.choose(
            r.rows["kreis_baseline_value"].isna(),
            join_text("Es gibt keinen Wert des Landkreises im Basisjahr ", r.year("baseline_year"), "."),
            join_text(
                "Der Landkreis lag im Basisjahr ",
                r.year("baseline_year"),
                " bei ",
                r.number("kreis_baseline_value", dative=True),
                "; von dort lässt sich kein Anteil des Weges bestimmen.",
            ),
        ),
    ],
    "vor_basisjahr": lambda r: [
        "Ampel Grau: Das Ziel gilt ab dem Basisjahr ",
        r.year("baseline_year"),
        "; für ",
        r.year("year"),
        " gibt es noch keine Bewertung gegenüber diesem Ziel.",
    ],
    "ziel_nicht_guenstiger": lambda r: [
        "Ampel Grau: Das Ziel (",
        r.number("target_value"),
        ") liegt nicht günstiger als der Ausgangswert ",
        r.year("baseline_year"),
        " (",
        r.number("baseline_value"),
        "); als Halteziel beschließen oder Zielwert prüfen.",
    ],
    "kein_basiswert": lambda r: [
        "Ampel Grau: Für das Basisjahr ",
        r.year("baseline_year"),
        " liegt kein Wert vor, daher lässt sich der Zielpfad nicht berechnen.",
    ],
    "kleine_fallzahl": lambda r: [
        "Ampel Grau: zu kleine Fallzahl für eine Bewertung (weniger als ",
        pc.cast(pa.array(r.rows["min_count"].fillna(20).astype(int).to_numpy()), pa.string()),
        " Fälle im Jahr ",
        r.year("year"),
        " oder im Basisjahr ",
        r.year("baseline_year"),
        ").",
    ],
    "grenze_eingehalten": _limit,
    "grenze_verfehlt": _limit,
    "ziel_erreicht": _met,
    "keine_entwicklung": lambda r: [
        "Ampel Grau: Der neueste Wert stammt aus ",
        r.year("year"),
        ", das Basisjahr ist ",
        r.year("baseline_year"),
        "; eine Entwicklung seit dem Basisjahr lässt sich noch nicht beurteilen.",
    ],
    "auf_kurs": _on_path,
    "leicht_verfehlt": _slightly_off,
    "im_zufallsbereich": _chance,
    "deutlich_verfehlt": _on_path,
}


def break_note(frame: pd.DataFrame) -> pa.Array:
    """§4.2 step 7: 'Zwischen Basisjahr und heute liegt ein Bruch in der Reihe: 2022 Zensus 2022.'"""
    r = Rows(frame)
    return join_text(
        "Zwischen Basisjahr und heute liegt ein Bruch in der Reihe: ",
        r.year("last_break"),
        " ",
        pa.array(frame["break_reason"].astype(str), type=pa.string()),
        ".",
    )


def _projection(r: Rows) -> list[TextPart]:
    target = r.number("target_value")
    tail = r.choose(
        r.rows["gap_share"] <= 0,
        join_text("das Ziel ", target, " würde erreicht."),
        join_text("das Ziel ", target, " würde um ", r.percent("gap_share"), " des heutigen Abstands verfehlt."),
    )
    return [
        _label(r, "outlook"),
        ": Setzt sich die Entwicklung ",
        r.years(),
        " fort (",
        r.change("mean_change"),
        " pro Jahr), würden ",
        r.year("target_year"),
        " ",
        r.number("projection"),
        " erreicht; ",
        tail,
    ]


def _holding(r: Rows) -> list[TextPart]:
    kept = r.rows["sign"] * (r.rows["value"] - r.rows["target_value"]) >= -TOLERANCE
    projected = r.rows["projection"].notna()
    projection_kept = r.rows["sign"] * (r.rows["projection"] - r.rows["target_value"]) >= -TOLERANCE
    when = pc.cast(
        pa.array(
            np.fmax(r.rows["target_year"].to_numpy(dtype=float), r.rows["year"].to_numpy(dtype=float)).astype(np.int64)
        ),
        pa.string(),
    )
    projection = join_text(
        "; setzt sie sich fort, läge der Wert ",
        when,
        " bei ",
        r.number("projection", dative=True),
        r.choose(projection_kept, " und hielte die Grenze noch ein.", " und hielte die Grenze nicht mehr ein."),
    )
    return [
        _label(r, "outlook"),
        ": Die Grenze von ",
        r.by_direction("mindestens ", "höchstens "),
        r.number("target_value", dative=True),
        r.choose(kept, " ist eingehalten, und ", " ist verfehlt, und "),
        r.development(),
        " ",
        r.towards(),
        r.choose(projected, projection, "."),
    ]


def _target_year_passed(r: Rows) -> list[TextPart]:
    reached = r.rows["sign"] * (r.rows["value"] - r.rows["target_value"]) >= -TOLERANCE
    return [
        _label(r, "outlook"),
        ": Das Zieljahr ",
        r.year("target_year"),
        " ist erreicht, das Ziel ",
        r.number("target_value"),
        r.choose(reached, " ist erreicht", " ist nicht erreicht"),
        ", und ",
        r.development(),
        " ",
        r.towards(),
        ".",
    ]


OUTLOOK_TEMPLATES: dict[str, Template] = {
    "nicht_bewertet": lambda r: [
        "Kein Wetter: Das Wetter bewertet die Entwicklung gegenüber einem Ziel; ohne Bewertung durch die Ampel "
        "gibt es keines."
    ],
    "zu_wenige_werte": lambda r: [
        "Kein Wetter: zu wenige Werte ",
        r.choose(r.rows["last_break"].notna(), _since_break(r), "in den letzten fünf Jahren"),
        f" (nötig sind mindestens {MIN_WINDOW_VALUES}).",
    ],
    "halteziel": _holding,
    "erreicht_trend_gut": lambda r: [
        _label(r, "outlook"),
        ": Das Ziel ist schon erreicht, und ",
        r.development(),
        " ",
        r.towards(),
        ".",
    ],
    "erreicht_trend_schlecht": lambda r: [
        _label(r, "outlook"),
        ": Das Ziel ist schon erreicht, aber ",
        r.development(),
        " geht in die falsche Richtung.",
    ],
    "trend_weg_vom_ziel": lambda r: [
        _label(r, "outlook"),
        ": Das Ziel ",
        r.number("target_value"),
        " (",
        r.year("target_year"),
        ") ist nicht erreicht, und ",
        r.development(),
        " führt vom Ziel weg.",
    ],
    "projektion": _projection,
    "zieljahr_vorbei": _target_year_passed,
}


def _since_break(r: Rows) -> pa.Array:
    """'seit dem Bruch 2022: Zensus 2022'."""
    return join_text(
        "seit dem Bruch ", r.year("last_break"), ": ", pa.array(r.rows["break_reason"].astype(str), type=pa.string())
    )


def _trend_sentence(r: Rows) -> list[TextPart]:
    labels = r.rows["trend"].map({key: look.label for key, look in TREND_LOOKS.items()}).astype(str)
    return [
        "Trend ",
        pa.array(labels, type=pa.string()),
        ": ",
        r.year("window_start"),
        "–",
        r.year("year"),
        r.choose(
            r.rows["trend"] == "gleichbleibend",
            " höchstens 1 % Veränderung.",
            join_text(" im Mittel ", r.change("mean_change"), " pro Jahr."),
        ),
    ]


TREND_TEMPLATES: dict[str, Template] = {
    "steigend": _trend_sentence,
    "fallend": _trend_sentence,
    "gleichbleibend": _trend_sentence,
    "keine": lambda r: _no_trend(r),
}


def _no_trend(r: Rows) -> list[TextPart]:
    """'Kein Trend: Von 2019 bis 2024 liegen nur 3 Werte vor …', or, after a break in the window, 'Seit dem
    Bruch 2022 (Zensus 2022) liegen nur 3 Werte vor …'."""
    count = r.choose(
        r.rows["window_values"] == 1,
        " liegt nur 1 Wert vor",
        join_text(
            " liegen nur ", pc.cast(pa.array(r.rows["window_values"].astype(int).to_numpy()), pa.string()), " Werte vor"
        ),
    )
    since_break = r.rows["last_break"].notna() & (r.rows["last_break"] > r.rows["year"] - 5)
    span = r.choose(
        since_break,
        join_text(
            "Seit dem Bruch ",
            r.year("last_break"),
            " (",
            pa.array(r.rows["break_reason"].astype(str), type=pa.string()),
            ")",
        ),
        join_text(
            "Von ", pc.cast(pa.array((r.rows["year"] - 5).astype(int).to_numpy()), pa.string()), " bis ", r.year("year")
        ),
    )
    return ["Kein Trend: ", span, count, f", nötig sind mindestens {MIN_WINDOW_VALUES}."]
