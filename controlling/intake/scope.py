"""A provider's upload (role `lieferant`, issue 14): only its own indicators and areas. Part of the one check
path: rows outside are rejected with a located German message naming who may deliver them."""

from __future__ import annotations

import pandas as pd

from controlling.db import StagedCheck, Store
from controlling.deliveries.state import upload_scope, who_delivers
from controlling.errors import InputRejectedError
from controlling.rules import PROBLEM_COLUMNS


def refuse_other_kinds(file_name: str, kind: str, provider: str | None) -> None:
    """A provider uploads values only, never targets or the catalogue."""
    if provider is not None and kind != "werte":
        raise InputRejectedError.about_file(
            file_name,
            f"Als Lieferant »{provider}« können Sie nur Werte hochladen (Werte-Vorlage), keine Ziele oder "
            "Kennzahlen. Laden Sie bitte Ihre vorausgefüllte Vorlage unter »Datenlieferungen« herunter.",
        )


def restrict_to_provider(
    store: Store, checked: StagedCheck, indicators: pd.DataFrame, areas: pd.DataFrame, provider: str
) -> StagedCheck:
    """Reject every usable row that is not the provider's indicator × area; the counts are made anew."""
    refused = store.staging.refuse_outside(checked.table, upload_scope(indicators, areas, provider))
    if refused.empty:
        return checked
    who = who_delivers(indicators, areas, refused)
    names = refused["area"].map(areas.set_index("code")["name"]).fillna(refused["area"])
    own_indicator = refused["indicator"].isin(upload_scope(indicators, areas, provider)["indicator"])
    allowed = ("Liefern darf ihn: " + who + ".").where(who != "", "Für diese Kennzahl ist kein Lieferant eingetragen.")
    message = (
        f"»{provider}« darf den Wert der Kennzahl "
        + refused["indicator"]
        + " für "
        + names
        + " nicht liefern. "
        + allowed
    )
    problems = pd.DataFrame(
        {
            "line": refused["line"].astype(int),
            "column": pd.Series("kennzahl", index=refused.index).where(~own_indicator, "gebiet"),
            "value": refused["indicator"].where(~own_indicator, refused["area"]),
            "message": message,
        }
    ).drop_duplicates(ignore_index=True)
    merged = pd.concat([checked.problems[PROBLEM_COLUMNS], problems], ignore_index=True)
    merged = merged.sort_values("line", kind="stable", ignore_index=True)
    return StagedCheck(
        table=checked.table, problems=merged, skipped=checked.skipped, counts=store.staging.counts(checked.table)
    )
