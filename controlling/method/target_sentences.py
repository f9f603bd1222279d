"""The sentence of a transferred target (DESIGN §4.0 step 4, method 3): how the Landkreis's target becomes the
Gemeinde's, as the same share of the way to the ideal or in the same ratio, and a transferred limit."""

from __future__ import annotations

import pandas as pd

from controlling.formatting import format_number_arrow, join_text
from controlling.method.sentences import Rows, Template, TextPart
from controlling.method.status import TRANSFERRED_TARGET, UPPER_BOUNDS
from controlling.numbers import TOLERANCE


def _transfer(r: Rows) -> list[TextPart]:
    """§4.0 step 4 (method 3): the same share of the way to the ideal as the Landkreis, no clipping."""
    whole = r.rows["unit"].map(UPPER_BOUNDS)
    bounded = whole.notna() & (r.rows["sign"] > 0)
    kreis_base, declared = r.rows["kreis_baseline_value"], r.rows["declared_target_value"]
    gap_share = ((whole - declared) / (whole - kreis_base)).where(bounded)  # what is left of the gap to M
    ratio_share = (declared - kreis_base) / kreis_base
    holding = r.rows["holding_target"].fillna(False).astype(bool)
    percent = pd.Series(0, index=r.rows.index)
    gap_words = join_text(
        "den Abstand zu ",
        format_number_arrow(whole, percent, r.rows["unit"]),
        r.choose(
            (1 - gap_share) > TOLERANCE,
            join_text(" um ", format_number_arrow((1 - gap_share).abs() * 100, percent, "%"), " verringern"),
            r.choose((1 - gap_share) < -TOLERANCE, " vergrößern", " halten"),
        ),
    )
    ratio_words = r.choose(
        ratio_share.abs() > TOLERANCE,
        join_text(
            "um ",
            format_number_arrow(ratio_share.abs() * 100, percent, "%"),
            " seines Ausgangswerts",
            r.choose(ratio_share > 0, " steigern", " senken"),
        ),
        "auf dem Stand halten",
    )
    limit = r.by_direction("mindestens ", "höchstens ")
    improvement = join_text(
        "Wie der Landkreis (",
        r.number("kreis_baseline_value"),
        " → ",
        r.number("declared_target_value"),
        ") ",
        r.choose(bounded, gap_words, ratio_words),
        ", hier von ",
        r.number("baseline_value", dative=True),
        " (",
        r.year("baseline_year"),
        ") auf ",
        r.number("target_value"),
        " (",
        r.year("target_year"),
        ")",
    )
    kept_limit = join_text(
        "Die Grenze des Landkreises (",
        limit,
        r.number("declared_target_value"),
        " bei ",
        r.number("kreis_baseline_value", dative=True),
        " im Basisjahr) gilt hier im selben Verhältnis: ",
        limit,
        r.number("target_value"),
        " bei ",
        r.number("baseline_value", dative=True),
        " im Basisjahr ",
        r.year("baseline_year"),
    )
    return ["Kreisziel anteilig: ", r.choose(holding, kept_limit, improvement), "."]


TARGET_TEMPLATES: dict[str, Template] = {TRANSFERRED_TARGET: _transfer}
