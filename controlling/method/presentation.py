"""How lights, weather and trends look: German label, a symbol (never colour alone) and a colour-blind-safe colour."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from controlling.formatting import MISSING, format_number, format_number_column
from controlling.intake.values import FLAG_LABELS
from controlling.method.status import OWN_TARGET, TRANSFERRED_TARGET
from controlling.privacy import SMALL_FLAG, UNRELIABLE_FLAG


@dataclass(frozen=True)
class Look:
    """Label, symbol and colour of one status value."""

    label: str
    symbol: str
    colour: str
    meaning: str


# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
LIGHT_LOOKS = {
    "gruen": Look(
        "Grün",
        "✔",
        "#009E73",
        "Ziel erreicht, Grenze eingehalten oder auf dem Zielpfad (mindestens 95 % der bis heute geplanten Veränderung)",
    ),
    "gelb": Look("Gelb", "▲", "#E69F00", "leicht hinter dem Zielpfad (60 % bis unter 95 % der geplanten Veränderung)"),
    "rot": Look("Rot", "✖", "#D55E00", "deutlich hinter dem Zielpfad, vom Ziel weg oder Grenze verfehlt"),
    "grau": Look(
        "Grau", "○", "#8C8C8C", "nicht bewertet: kein Ziel, Vergleichsgebiet, keine Richtung oder zu kleine Fallzahl"
    ),
}
OUTLOOK_LOOKS = {
    "sonne": Look("Sonne", "☀", "#009E73", "setzt sich die Entwicklung fort, wird das Ziel (fast) erreicht"),
    "leicht_bewoelkt": Look(
        "Leicht bewölkt",
        "⛅",
        "#56B4E9",
        "setzt sich die Entwicklung fort, bleibt eine kleine Lücke (bis 20 % des heutigen Abstands zum Ziel)",
    ),
    "bewoelkt": Look("Bewölkt", "☁", "#E69F00", "die Entwicklung reicht bei weitem nicht bis zum Ziel"),
    "gewitter": Look("Gewitter", "⚡", "#D55E00", "die Entwicklung führt vom Ziel weg"),
    "keine": Look("Kein Wetter", "–", "#8C8C8C", "ohne bewertbares Ziel oder mit zu wenigen Werten"),
}
# The Trend says only where a series goes, not whether that is good: one neutral colour.
TREND_LOOKS = {
    "steigend": Look("steigend", "↗", "#555555", "mehr als 1 % höher als vor fünf Jahren"),
    "fallend": Look("fallend", "↘", "#555555", "mehr als 1 % niedriger als vor fünf Jahren"),
    "gleichbleibend": Look("gleichbleibend", "→", "#555555", "höchstens 1 % Veränderung in fünf Jahren"),
    "keine": Look("kein Trend", "·", "#8C8C8C", "weniger als vier Werte in den letzten fünf Jahren"),
}
# An indicator's direction and county rule in words (the codes hoch/quote stay in files and the database).
DIRECTIONS = {"hoch": "höher ist besser", "niedrig": "niedriger ist besser", "neutral": "nicht bewertet"}
COUNTY_RULES = {
    "summe": "Summe der Gemeinden",
    "quote": "Σ Zähler ÷ Σ Nenner der Gemeinden",
    "keine": "wird nicht aus den Gemeinden berechnet",
}
TARGET_KIND_LABELS = {OWN_TARGET: "eigenes Ziel", TRANSFERRED_TARGET: "Kreisziel anteilig"}
OUTLOOK_TITLE = "Wetter (Entwicklung gegenüber dem Ziel)"
LEGEND = (
    "Die **Ampel** vergleicht den neuesten Wert mit dem Zielpfad vom Basisjahr zum Zieljahr. "
    "Das **Wetter** bewertet die Entwicklung der letzten fünf Jahre gegenüber dem Ziel; es ist keine Vorhersage "
    "und gibt es nur, wo ein Ziel gilt. Der **Trend** zeigt nur die Richtung der letzten fünf Jahre. "
    "Für Gemeinden gilt ohne eigenes Ziel das Kreisziel anteilig: derselbe Anteil des Weges wie im Landkreis."
)
# One rule for every summary of several lights (matrix cell, goal roll-up, report): the worst rated light.
SUMMARY_RULE = (
    "Eine Zusammenfassung mehrerer Kennzahlen (Feld der Übersicht, Leit- und Handlungsziel, Bericht) zeigt die "
    "schlechteste Ampel ihrer bewerteten Kennzahlen (Rot vor Gelb vor Grün), Grau nur, wenn keine bewertet ist; "
    "daneben stehen die Anzahlen je Ampel."
)
# Streamlit's named badge colours for each light and weather (the symbol and word carry the meaning too).
BADGE_COLOURS = {
    "gruen": "green",
    "gelb": "orange",
    "rot": "red",
    "grau": "gray",
    "sonne": "green",
    "leicht_bewoelkt": "blue",
    "bewoelkt": "orange",
    "gewitter": "red",
    "keine": "gray",
}
FLAG_TEXTS = {
    **FLAG_LABELS,
    SMALL_FLAG: "kleine Fallzahl, aus Datenschutzgründen nicht gezeigt",
    UNRELIABLE_FLAG: "auf kleiner Fallzahl, unsicher",
}
LIGHT_ORDER = ("rot", "gelb", "gruen", "grau")


def light_text(light: str) -> str:
    """'✖ Rot' for a light key."""
    look = LIGHT_LOOKS[light]
    return f"{look.symbol} {look.label}"


def trend_text(trend: str) -> str:
    """'↗ steigend' for a trend key."""
    look = TREND_LOOKS[trend]
    return f"{look.symbol} {look.label}"


def outlook_text(outlook: str) -> str:
    """'⚡ Gewitter' for an outlook key."""
    look = OUTLOOK_LOOKS[outlook]
    return f"{look.symbol} {look.label}"


def target_column(table: pd.DataFrame, decimals: pd.Series | int, unit: pd.Series | str) -> pd.Series:
    """The target in force, German format; a transferred one says so: '20,9 % (Kreisziel anteilig)'."""
    text = format_number_column(table["target_value"], decimals, unit)
    transferred = table["target_kind"].eq(TRANSFERRED_TARGET).to_numpy()
    holding = table["holding_target"].fillna(False).astype(bool).to_numpy()
    limit = np.where(table["sign"].to_numpy(dtype=float) > 0, "mindestens ", "höchstens ")
    text = text.where(~holding | text.eq(MISSING), limit + text)
    return text.where(~transferred, text + " (Kreisziel anteilig)").where(text.ne(MISSING), "")


def status_display(table: pd.DataFrame, decimals: pd.Series | int, unit: pd.Series | str) -> dict[str, pd.Series]:
    """The columns every status table shows, in German: Wert, Trend, Ziel, Ampel, Wetter (the legend says
    that the weather is the development against the target)."""
    return {
        "Wert": format_number_column(table["value"], decimals, unit),
        "Trend": table["trend"].map(trend_text),
        "Ziel": target_column(table, decimals, unit),
        "Ampel": table["light"].map(light_text),
        "Wetter": table["outlook"].map(outlook_text),
    }


def flag_text(values: pd.DataFrame) -> pd.Series:
    """What a value's marks mean, in words: berechnet, umgerechnet, vorläufig, geheim, …"""
    flags = values["flag"].astype(object).map(FLAG_TEXTS).astype(object)
    text = flags.where(flags.notna(), "").astype(str)
    converted = values["converted"].astype(bool)
    computed = values["computed"].astype(bool) & ~converted
    text = text.where(~computed, (text + " · berechnet aus den Gemeinden").str.strip(" ·"))
    return text.where(~converted, (text + " · auf Gebietsstand umgerechnet").str.strip(" ·"))


# The audit trail and the import list in words a person reads (the codes stay in the database).
AUDIT_AREAS = {
    "account": "Konto",
    "area": "Gebiet",
    "comment": "Einordnung",
    "goal": "Zielsystem (Leit- und Handlungsziel)",
    "indicator": "Kennzahl",
    "intake": "Import",
    "leitbild": "Leitbild",
    "measure": "Maßnahme",
    "source_mapping": "Zuordnung einer Quelle",
    "stammdaten": "Stammdaten",
    "target": "Ziel",
}
AUDIT_ACTIONS = {
    "anmeldung_fehlgeschlagen": "Anmeldung fehlgeschlagen",
    "rückgängig": "rückgängig gemacht",
    "beschliessen": "beschlossen",
    "verwerfen": "verworfen",
}
AUDIT_VALUES = {"committed": "gültig", "undone": "rückgängig gemacht", "True": "ja", "False": "nein"}
INTAKE_STATES = {"committed": "gültig", "undone": "rückgängig gemacht"}
# What an intake of each format brought, as German noun phrases: (one new, many new, one changed, many changed).
_UNDO_WORDS = {
    "ziele": ("neues Ziel gilt", "neue Ziele gelten", "geändertes Ziel", "geänderte Ziele"),
    "kennzahlen": ("neue Kennzahl gilt", "neue Kennzahlen gelten", "geänderte Kennzahl", "geänderte Kennzahlen"),
}
_UNDO_VALUES = ("neuer Wert gilt", "neue Werte gelten", "geänderten Wert", "geänderte Werte")


def undo_question(history: pd.DataFrame, intake_id: int) -> str:
    """What undoing this intake takes back, named before anything happens: number, file, date, who, counts."""
    row = history.loc[history["id"] == intake_id].iloc[0]
    one_new, many_new, one_changed, many_changed = _UNDO_WORDS.get(str(row["format"]), _UNDO_VALUES)
    new, changed = int(row["rows_new"]), int(row["rows_changed"])
    effects = []
    if new:
        effects.append(f"{format_number(new, 0)} {one_new if new == 1 else many_new} dann nicht mehr")
    if changed:
        noun = one_changed if changed == 1 else many_changed
        effects.append(f"für {format_number(changed, 0)} {noun} gilt wieder der Stand davor")
    consequence = "; ".join(effects) if effects else "er hatte nichts Neues oder Geändertes gebracht"
    return (
        f"Import {intake_id} zurücknehmen: »{row['file_name']}«, hochgeladen am "
        f"{row['created_at']:%d.%m.%Y um %H:%M} Uhr von {row['user_name']}. {consequence[0].upper()}{consequence[1:]}."
    )


def audit_table(log: pd.DataFrame) -> pd.DataFrame:
    """The audit trail with German headers and words; no 'None' where nothing was recorded."""
    return pd.DataFrame(
        {
            "Nr.": log["id"],
            "Zeit": log["changed_at"].dt.strftime("%d.%m.%Y %H:%M:%S"),
            "Von": log["user_name"],
            "Aktion": log["action"].replace(AUDIT_ACTIONS),
            "Bereich": log["entity"].map(AUDIT_AREAS).fillna(log["entity"]),
            "Schlüssel": log["entity_key"],
            "Alt": log["old_value"].astype(object).replace(AUDIT_VALUES).fillna(""),
            "Neu": log["new_value"].astype(object).replace(AUDIT_VALUES).fillna(""),
        }
    )


MOVED_WORDS = {
    "günstig": "in die gewünschte Richtung bewegt",
    "ungünstig": "in die falsche Richtung bewegt",
    "gleich": "nicht verändert",
}


def change_of_value(changes: pd.DataFrame) -> pd.Series:
    """'21,3 % (2023) → 22,4 % (2024)' for each row of overview.light_changes."""
    before = format_number_column(changes["value_before"], changes["decimals"], changes["unit"])
    now = format_number_column(changes["value"], changes["decimals"], changes["unit"])
    years_before = changes["year_before"].astype("Int64").astype(str).replace("<NA>", "–")
    return before + " (" + years_before + ") → " + now + " (" + changes["year"].astype("Int64").astype(str) + ")"


def targets_to_decide_table(rows: pd.DataFrame) -> pd.DataFrame:
    """overview.targets_to_decide in German."""
    return pd.DataFrame(
        {
            "Kennzahl": rows["indicator"] + " " + rows["indicator_name"],
            "Ziel für": rows["target_area"].map({"*": "Landkreis und Gemeinden (*)"}).fillna(rows["area_name"]),
            "Ausgangswert": format_number_column(rows["baseline_value"], rows["decimals"], rows["unit"])
            + " ("
            + rows["baseline_year"].astype("Int64").astype(str)
            + ")",
            "Zielwert": format_number_column(rows["target_value"], rows["decimals"], rows["unit"]),
        }
    )
