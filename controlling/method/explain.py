"""Plain German sentences for every status row (DESIGN §4.3), built column-wise per kind of sentence.

Every template runs only over the rows of its reason and joins its parts in one pyarrow kernel; the
pieces are put back in row order with one `take`. That keeps 440,000 sentences to about two seconds.
Each sentence says what its sign compares: the Ampel the target path since the baseline year, the
Wetter the development of the last five years against the target, the Trend only the direction.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from controlling.formatting import join_text
from controlling.method.sentences import (
    DATIVE_UNITS,
    LIGHT_TEMPLATES,
    OUTLOOK_TEMPLATES,
    TREND_TEMPLATES,
    Rows,
    Template,
    break_note,
)
from controlling.method.target_sentences import TARGET_TEMPLATES

# What the templates read; a slim frame makes selecting each template's rows cheap.
SENTENCE_COLUMNS = (
    "year",
    "value",
    "baseline_year",
    "baseline_value",
    "target_kind",
    "target_type",
    "declared_target_value",
    "kreis_baseline_value",
    "target_year",
    "target_value",
    "holding_target",
    "planned_value",
    "ratio",
    "interval_low",
    "interval_high",
    "denominator",
    "break_since_baseline",
    "last_break",
    "break_reason",
    "threshold_green",
    "threshold_yellow",
    "min_count",
    "light",
    "light_reason",
    "outlook",
    "outlook_reason",
    "trend",
    "window_start",
    "window_start_value",
    "window_values",
    "mean_change",
    "projection",
    "gap_share",
    "sign",
    "decimals",
    "unit",
)
# A unit after "bei": "bei 62 Tagen", not "bei 62 Tage".
TEXT_COLUMNS = ("light_text", "outlook_text", "trend_text", "target_text", "explanation")


def _sentences(frame: pd.DataFrame, reason_column: str, templates: dict[str, Template]) -> pa.Array:
    """Each reason's template over its rows only, put back in row order; rows of no template get ''."""
    codes, found = pd.factorize(frame[reason_column].astype(object))  # integer compares, not object ones
    positions, pieces = [], []
    for code, reason in enumerate(found):
        template = templates.get(reason)
        if template is None:
            continue
        where = np.flatnonzero(codes == code)
        joined = join_text(*template(Rows(frame.iloc[where])))
        if isinstance(joined, pa.Scalar):
            joined = pa.repeat(joined, len(where))
        positions.append(where)
        pieces.append(joined)
    covered = np.zeros(len(frame), dtype=bool)
    for where in positions:
        covered[where] = True
    rest = np.flatnonzero(~covered)
    positions.append(rest)
    pieces.append(pa.repeat(pa.scalar("", pa.string()), len(rest)))
    order = np.argsort(np.concatenate(positions), kind="stable")
    return pc.take(pa.concat_arrays(pieces), pa.array(order))


def _disagree(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose Ampel and Wetter point different ways: Rot (or a path that alone would be Rot) under sun or
    light clouds, Grün under clouds."""
    fair = frame["outlook"].isin(["sonne", "leicht_bewoelkt"])
    behind = (frame["light"] == "rot") | (frame["ratio"] < frame["threshold_yellow"]).fillna(False)
    green_but_dark = (frame["light"] == "gruen") & frame["outlook"].isin(["bewoelkt", "gewitter"])
    return np.asarray((behind & fair) | green_but_dark, dtype=bool)


def _bridge(frame: pd.DataFrame) -> pa.Array:
    """Why Ampel and Wetter may differ: they look at different years."""
    r = Rows(frame)
    return join_text(
        "Ampel und Wetter messen Verschiedenes: die Ampel den Weg seit dem Basisjahr ",
        pc.fill_null(r.year("baseline_year"), "–"),
        ", das Wetter die Entwicklung ",
        pc.fill_null(r.years(), "der letzten fünf Jahre"),
        ".",
    )


def explain_status(status: pd.DataFrame) -> pd.DataFrame:
    """Adds light_text, outlook_text, trend_text, target_text and the joined explanation to a status frame.

    Needs the indicator's decimals and unit beside each row (Store.status_inputs delivers them).
    """
    result = status.copy()
    if status.empty:
        for column in TEXT_COLUMNS:
            result[column] = pd.Series(dtype="str")
        return result
    frame = status.reindex(columns=list(SENTENCE_COLUMNS)).reset_index(drop=True)
    frame["decimals"] = frame["decimals"].fillna(1).astype(int)
    frame["unit"] = frame["unit"].fillna("").astype(str)
    frame["dative_unit"] = frame["unit"].replace(DATIVE_UNITS)
    frame["change_unit"] = frame["unit"].replace({"%": "Prozentpunkte", "‰": "Promillepunkte"})
    frame["dative_change_unit"] = frame["change_unit"].replace(DATIVE_UNITS)
    frame["break_since_baseline"] = frame["break_since_baseline"].astype("boolean").fillna(False).astype(bool)
    frame["break_reason"] = frame["break_reason"].astype(object).where(frame["break_reason"].notna(), "")
    # pyarrow's string kernels release the GIL: the kinds of sentence are built side by side.
    with ThreadPoolExecutor(max_workers=2) as pool:
        lights = pool.submit(_sentences, frame, "light_reason", LIGHT_TEMPLATES)
        outlooks = pool.submit(_sentences, frame, "outlook_reason", OUTLOOK_TEMPLATES)
        trends = pool.submit(_sentences, frame, "trend", TREND_TEMPLATES)
        targets = pool.submit(_sentences, frame, "target_kind", TARGET_TEMPLATES)
        texts = {
            "light_text": lights.result(),
            "outlook_text": outlooks.result(),
            "trend_text": trends.result(),
            "target_text": targets.result(),
        }
    for column, text in texts.items():
        result[column] = pd.Series(text, index=status.index, dtype="str")
    target_prefix = pc.if_else(pc.equal(texts["target_text"], ""), "", join_text(texts["target_text"], " "))
    bridge = pc.if_else(pa.array(_disagree(frame)), join_text(" ", _bridge(frame)), "")
    breaks = pc.if_else(pa.array(frame["break_since_baseline"].to_numpy()), join_text(" ", break_note(frame)), "")
    texts["light_text"] = join_text(texts["light_text"], breaks)
    result["light_text"] = pd.Series(texts["light_text"], index=status.index, dtype="str")
    explanation = join_text(
        target_prefix, texts["light_text"], " ", texts["outlook_text"], bridge, " ", texts["trend_text"]
    )
    result["explanation"] = pd.Series(explanation, index=status.index, dtype="str")
    return result
