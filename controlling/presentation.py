"""How lights and outlooks look: German label, a symbol (never colour alone) and a colour-blind-safe colour."""

from __future__ import annotations

from dataclasses import dataclass


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
        "Grün", "✔", "#009E73", "Ziel erreicht oder auf dem Zielpfad (mindestens 95 % der geplanten Entwicklung)"
    ),
    "gelb": Look("Gelb", "▲", "#E69F00", "leicht hinter dem Zielpfad (60 % bis unter 95 % der geplanten Entwicklung)"),
    "rot": Look("Rot", "✖", "#D55E00", "deutlich hinter dem Zielpfad oder vom Ziel weg (unter 60 %)"),
    "grau": Look("Grau", "○", "#8C8C8C", "nicht bewertet: kein Ziel, keine Richtung oder kein Wert im Basisjahr"),
}
OUTLOOK_LOOKS = {
    "sonne": Look("Sonne", "☀", "#009E73", "bei gleichem Trend wird das Ziel (fast) erreicht"),
    "leicht_bewoelkt": Look(
        "Leicht bewölkt", "⛅", "#56B4E9", "bei gleichem Trend bleibt eine kleine Lücke (bis 20 %)"
    ),
    "bewoelkt": Look("Bewölkt", "☁", "#E69F00", "bei gleichem Trend bleibt eine große Lücke zum Ziel"),
    "gewitter": Look("Gewitter", "⚡", "#D55E00", "der Trend zeigt vom Ziel weg"),
    "keine": Look("Keine Prognose", "–", "#8C8C8C", "zu wenige Werte oder Kennzahl ohne Bewertung"),
}
LIGHT_ORDER = ("rot", "gelb", "gruen", "grau")


def light_text(light: str) -> str:
    """'✖ Rot' for a light key."""
    look = LIGHT_LOOKS[light]
    return f"{look.symbol} {look.label}"


def outlook_text(outlook: str) -> str:
    """'⚡ Gewitter' for an outlook key."""
    look = OUTLOOK_LOOKS[outlook]
    return f"{look.symbol} {look.label}"
