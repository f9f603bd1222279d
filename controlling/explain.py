"""One plain German explanation per status row (DESIGN §4.3), built column-wise per kind of sentence.

Every template runs only over the rows of its reason and joins its parts in one pyarrow kernel; the
pieces are put back in row order with one `take`. That keeps 440,000 sentences to about two seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from controlling.formatting import format_number_arrow, join_text
from controlling.status import LIGHT_LABELS, OUTLOOK_LABELS

TextPart: TypeAlias = "pa.Array | pa.Scalar | str"


# What the templates read; a slim frame makes selecting each template's rows cheap.
SENTENCE_COLUMNS = (
    "year",
    "value",
    "baseline_year",
    "baseline_value",
    "target_year",
    "target_value",
    "planned_value",
    "ratio",
    "threshold_green",
    "threshold_yellow",
    "light",
    "light_reason",
    "outlook",
    "outlook_reason",
    "window_start",
    "window_values",
    "mean_change",
    "previous_year",
    "last_change",
    "projection",
    "gap_share",
    "sign",
    "decimals",
    "unit",
)


class _Rows:
    """The rows of one kind of sentence, with their numbers formatted on demand."""

    def __init__(self, rows: pd.DataFrame) -> None:
        self.rows = rows

    def number(self, column: str) -> pa.Array:
        return format_number_arrow(self.rows[column], self.rows["decimals"], self.rows["unit"])

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

    def label(self, column: str, labels: dict[str, str]) -> pa.Array:
        return pa.array(self.rows[column].map(labels).astype(str), type=pa.string())

    def span(self) -> pa.Array:
        span = (self.rows["year"] - self.rows["window_start"]).astype(int)
        return self.choose(
            span == 1,
            "des letzten Jahres",
            join_text("der letzten ", pc.cast(pa.array(span.to_numpy()), pa.string()), " Jahre"),
        )

    def trend(self) -> pa.Array:
        return join_text("Trend ", self.span(), " (", self.change("mean_change"), " pro Jahr)")

    def direction(self, column: str) -> pa.Array:
        good = self.rows["sign"] * self.rows[column] > 0
        return self.choose(good, "in die gewünschte Richtung", "nicht in die gewünschte Richtung")


Template = Callable[[_Rows], list[TextPart]]


def _on_path(r: _Rows) -> list[TextPart]:
    tail = r.choose(
        r.rows["ratio"] < 0,
        "der Wert hat sich seit dem Basisjahr vom Ziel entfernt",
        join_text("erreicht ist ", r.percent("ratio"), " der geplanten Entwicklung"),
    )
    return [
        r.label("light", LIGHT_LABELS),
        ": ",
        r.year("year"),
        " liegt der Wert bei ",
        r.number("value"),
        ". Auf dem Zielpfad von ",
        r.number("baseline_value"),
        " (",
        r.year("baseline_year"),
        ") zu ",
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


def _met(r: _Rows) -> list[TextPart]:
    exact = (r.rows["value"] - r.rows["target_value"]).abs() <= 1e-9
    position = r.choose(exact, "genau auf", r.choose(r.rows["sign"] > 0, "über", "unter"))
    return [
        "Grün, Ziel erreicht: ",
        r.year("year"),
        " liegt der Wert bei ",
        r.number("value"),
        " und damit ",
        position,
        " dem Ziel von ",
        r.number("target_value"),
        " für ",
        r.year("target_year"),
        ".",
    ]


LIGHT_TEMPLATES: dict[str, Template] = {
    "neutral": lambda r: [
        "Keine Ampel: Die Kennzahl wird nicht bewertet, weil weder ein höherer noch ein niedrigerer Wert besser ist."
    ],
    "kein_ziel": lambda r: ["Keine Ampel: Für diese Kennzahl ist kein Ziel beschlossen."],
    "kein_basiswert": lambda r: [
        "Keine Ampel: Für das Basisjahr ",
        r.year("baseline_year"),
        " liegt kein Wert vor, daher lässt sich der Zielpfad nicht berechnen.",
    ],
    "ziel_erreicht": _met,
    "keine_entwicklung": lambda r: [
        "Keine Ampel: Der neueste Wert stammt aus ",
        r.year("year"),
        ", das Basisjahr ist ",
        r.year("baseline_year"),
        "; eine Entwicklung seit dem Basisjahr lässt sich noch nicht beurteilen.",
    ],
    "auf_kurs": _on_path,
    "leicht_verfehlt": _on_path,
    "deutlich_verfehlt": _on_path,
}


def _projection(r: _Rows) -> list[TextPart]:
    target = r.number("target_value")
    tail = r.choose(
        r.rows["gap_share"] <= 0,
        join_text("das Ziel von ", target, " würde erreicht."),
        join_text("das Ziel von ", target, " würde um ", r.percent("gap_share"), " des heutigen Abstands verfehlt."),
    )
    return [
        "Prognose ",
        r.label("outlook", OUTLOOK_LABELS),
        ": Bei Fortsetzung des Trends ",
        r.span(),
        " würde ",
        r.year("target_year"),
        " ein Wert von ",
        r.number("projection"),
        " erreicht; ",
        tail,
    ]


def _target_year_passed(r: _Rows) -> list[TextPart]:
    reached = r.rows["sign"] * (r.rows["value"] - r.rows["target_value"]) >= -1e-9
    return [
        "Prognose ",
        r.label("outlook", OUTLOOK_LABELS),
        ": Das Zieljahr ",
        r.year("target_year"),
        " ist erreicht, das Ziel von ",
        r.number("target_value"),
        " wurde ",
        r.choose(reached, "erreicht", "nicht erreicht"),
        ", und der ",
        r.trend(),
        " zeigt ",
        r.direction("mean_change"),
        ".",
    ]


OUTLOOK_TEMPLATES: dict[str, Template] = {
    "neutral": lambda r: ["Keine Prognose für eine nicht bewertete Kennzahl."],
    "zu_wenige_werte": lambda r: [
        "Keine Prognose: Von ",
        pc.cast(pa.array((r.rows["year"] - 5).to_numpy()), pa.string()),
        " bis ",
        r.year("year"),
        " liegen nur ",
        pc.cast(pa.array(r.rows["window_values"].to_numpy()), pa.string()),
        " Werte vor, nötig sind mindestens 4.",
    ],
    "erreicht_trend_gut": lambda r: [
        "Prognose ",
        r.label("outlook", OUTLOOK_LABELS),
        ": Das Ziel ist erreicht und der ",
        r.trend(),
        " zeigt weiter in die gewünschte Richtung.",
    ],
    "erreicht_trend_schlecht": lambda r: [
        "Prognose ",
        r.label("outlook", OUTLOOK_LABELS),
        ": Das Ziel ist erreicht, aber der ",
        r.trend(),
        " zeigt in die falsche Richtung.",
    ],
    "trend_weg_vom_ziel": lambda r: [
        "Prognose ",
        r.label("outlook", OUTLOOK_LABELS),
        ": Das Ziel von ",
        r.number("target_value"),
        " ist nicht erreicht und der ",
        r.trend(),
        " zeigt vom Ziel weg.",
    ],
    "projektion": _projection,
    "zieljahr_vorbei": _target_year_passed,
    "ohne_ziel": lambda r: [
        "Prognose ",
        r.label("outlook", OUTLOOK_LABELS),
        ": Ohne Ziel: Der ",
        r.trend(),
        " zeigt ",
        r.direction("mean_change"),
        ", die letzte Veränderung gegenüber ",
        r.year("previous_year"),
        " (",
        r.change("last_change"),
        ") ",
        r.direction("last_change"),
        ".",
    ],
}


def _sentences(frame: pd.DataFrame, reason_column: str, templates: dict[str, Template]) -> pa.Array:
    """Each reason's template over its rows only, put back in row order."""
    reasons = frame[reason_column].to_numpy(dtype=object)
    positions, pieces = [], []
    for reason, template in templates.items():
        where = np.flatnonzero(reasons == reason)
        if len(where) == 0:
            continue
        joined = join_text(*template(_Rows(frame.iloc[where])))
        if isinstance(joined, pa.Scalar):
            joined = pa.array(np.full(len(where), joined.as_py(), dtype=object), type=pa.string())
        positions.append(where)
        pieces.append(joined)
    order = np.argsort(np.concatenate(positions), kind="stable")
    return pc.take(pa.concat_arrays(pieces), pa.array(order))


def explain_status(status: pd.DataFrame) -> pd.DataFrame:
    """Adds light_text, outlook_text and explanation (both joined) to a compute_status frame.

    Needs the indicator's decimals and unit beside each row (Store.status_inputs delivers them).
    """
    result = status.copy()
    if status.empty:
        for column in ("light_text", "outlook_text", "explanation"):
            result[column] = pd.Series(dtype="str")
        return result
    frame = status[list(SENTENCE_COLUMNS)].reset_index(drop=True)
    frame["decimals"] = frame["decimals"].fillna(1).astype(int)
    frame["unit"] = frame["unit"].fillna("").astype(str)
    frame["change_unit"] = frame["unit"].replace({"%": "Prozentpunkte", "‰": "Promillepunkte"})
    # pyarrow's string kernels release the GIL: both kinds of sentence are built side by side.
    with ThreadPoolExecutor(max_workers=2) as pool:
        lights = pool.submit(_sentences, frame, "light_reason", LIGHT_TEMPLATES)
        outlooks = pool.submit(_sentences, frame, "outlook_reason", OUTLOOK_TEMPLATES)
        light_text, outlook_text = lights.result(), outlooks.result()
    result["light_text"] = pd.Series(light_text, index=status.index, dtype="str")
    result["outlook_text"] = pd.Series(outlook_text, index=status.index, dtype="str")
    result["explanation"] = pd.Series(join_text(light_text, " ", outlook_text), index=status.index, dtype="str")
    return result
