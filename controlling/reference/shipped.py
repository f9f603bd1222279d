"""Reference data shipped in data/: Handlungsfelder, Gebiete and the Kennzahlen catalogue."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from controlling.deliveries.schedule import check_delivery_columns
from controlling.errors import InputRejectedError, Problem, ReferenceDataError
from controlling.reference.bindings import binding_problems
from controlling.tabular import missing_columns, parse_german_number, problems_where, read_table_file

DATA_DIR = Path(__file__).resolve().parents[2] / "data"

POLARITIES = ("hoch", "niedrig", "neutral")
AGGREGATIONS = ("summe", "quote", "keine")
LEVELS = ("land", "kreis", "gemeinde")
# Units a person may choose; a quota's unit fixes its factor.
UNITS = ("%", "‰", "Prozentpunkte", "Promillepunkte", "Anzahl", "Tage", "Wochen", "Euro", "Jahre")
UNIT_FACTORS = {"%": 100.0, "‰": 1000.0}
SHARE_UNITS = ("%", "‰", "Prozentpunkte", "Promillepunkte")
YES = ("ja", "j", "1", "wahr", "true", "x")
NO = ("nein", "n", "0", "falsch", "false", "")
# Where an indicator's data come from (DESIGN §3.1): published statistics or the county's own collection.
ORIGINS = {"amtlich": "amtliche Statistik", "eigen": "eigene Erhebung"}
DEFAULT_MIN_COUNT = 20

FIELD_COLUMNS = {"code": "code", "name": "name", "reihenfolge": "sort_order", "bewertet": "rated"}
AREA_COLUMNS = {
    "gebiet": "code",
    "name": "name",
    "ebene": "level",
    "uebergeordnet": "parent",
    "gueltig_ab": "valid_from",
    "gueltig_bis": "valid_to",
    "nachfolger": "successor",
    "vergleichsgebiet": "comparison",
}
INDICATOR_COLUMNS = {
    "kennzahl": "code",
    "bezeichnung": "name",
    "handlungsfeld": "field",
    "einheit": "unit",
    "richtung": "polarity",
    "aggregation": "aggregation",
    "faktor": "factor",
    "nachkommastellen": "decimals",
    "definition": "definition",
    "quelle": "source",
    "schwelle_gruen": "threshold_green",
    "schwelle_gelb": "threshold_yellow",
    "mindestfallzahl": "min_count",
    "datenherkunft": "origin",
    "lieferant": "provider",
    "stichtag": "reference_date",
    "rhythmus": "rhythm",
    "lieferfrist": "deadline",
    "brueche": "series_breaks",
    "bezug": "binding",
    "ebenen": "levels",
}
# Series breaks (DESIGN §4.2, method 3): `2022: Zensus 2022; 2020: Mikrozensus neu gestaltet`.
SERIES_BREAKS = r"\s*\d{4}\s*:\s*[^;:]*\S[^;:]*(;\s*\d{4}\s*:\s*[^;:]*\S[^;:]*)*\s*"
INDICATOR_REQUIRED = ("kennzahl", "bezeichnung", "handlungsfeld", "einheit", "richtung")


@dataclass(frozen=True)
class ReferenceData:
    """The three reference tables with English column names, ready for the store."""

    fields: pd.DataFrame
    areas: pd.DataFrame
    indicators: pd.DataFrame


def _yes_no(frame: pd.DataFrame, column: str, file: str, problems: list[Problem]) -> pd.Series:
    text = frame[column].str.lower()
    problems += problems_where(
        frame,
        ~text.isin(YES + NO),
        file=file,
        column=column,
        message="Erwartet wird »ja« oder »nein«.",
    )
    return text.isin(YES)


def _dates(frame: pd.DataFrame, column: str, file: str, problems: list[Problem]) -> pd.Series:
    parsed = pd.to_datetime(frame[column], format="%d.%m.%Y", errors="coerce")
    problems += problems_where(
        frame,
        (frame[column] != "") & parsed.isna(),
        file=file,
        column=column,
        message="Erwartet wird ein Datum wie 01.01.2015 oder ein leeres Feld.",
    )
    return parsed.dt.date


def _unique(frame: pd.DataFrame, column: str, file: str, problems: list[Problem]) -> None:
    problems += problems_where(
        frame,
        frame[column].duplicated(keep=False),
        file=file,
        column=column,
        message="Dieser Schlüssel kommt mehrfach vor; jeder darf nur einmal vorkommen.",
    )


def read_fields(path: Path) -> pd.DataFrame:
    """Handlungsfelder: code;name;reihenfolge;bewertet."""
    raw = read_table_file(path)
    file = path.name
    problems = missing_columns(raw, FIELD_COLUMNS, file=file)
    if problems:
        raise ReferenceDataError(problems)
    _unique(raw, "code", file, problems)
    _unique(raw, "name", file, problems)
    order = pd.to_numeric(raw["reihenfolge"], errors="coerce")
    problems += problems_where(
        raw, order.isna(), file=file, column="reihenfolge", message="Erwartet wird eine ganze Zahl."
    )
    rated = _yes_no(raw, "bewertet", file, problems)
    if problems:
        raise ReferenceDataError(problems)
    return pd.DataFrame({"code": raw["code"], "name": raw["name"], "sort_order": order.astype(int), "rated": rated})


def read_areas(path: Path) -> pd.DataFrame:
    """Gebiete with AGS code, level, parent, validity and successor."""
    return parse_areas(read_table_file(path), file=path.name)


def parse_areas(raw: pd.DataFrame, *, file: str) -> pd.DataFrame:
    """A Gebiete table as text (the columns of gebiete.csv) checked and typed for the store."""
    problems = missing_columns(raw, AREA_COLUMNS, file=file)
    if problems:
        raise ReferenceDataError(problems)
    _unique(raw, "gebiet", file, problems)
    level_length = raw["ebene"].map({"land": 2, "kreis": 5, "gemeinde": 8})
    problems += problems_where(
        raw,
        level_length.isna(),
        file=file,
        column="ebene",
        message="Erwartet wird »land«, »kreis« oder »gemeinde«.",
    )
    problems += problems_where(
        raw,
        ~raw["gebiet"].str.fullmatch(r"\d+") | (raw["gebiet"].str.len() != level_length),
        file=file,
        column="gebiet",
        message="Ein AGS hat 2 Ziffern (Land), 5 (Kreis) oder 8 (Gemeinde), passend zur Ebene.",
    )
    known = set(raw["gebiet"])
    for column in ("uebergeordnet", "nachfolger"):
        problems += problems_where(
            raw,
            (raw[column] != "") & ~raw[column].isin(known),
            file=file,
            column=column,
            message="Dieses Gebiet steht nicht in der Gebietsliste.",
        )
    valid_from = _dates(raw, "gueltig_ab", file, problems)
    valid_to = _dates(raw, "gueltig_bis", file, problems)
    comparison = _yes_no(raw, "vergleichsgebiet", file, problems)
    if problems:
        raise ReferenceDataError(problems)
    blank_to_none = {"": None}
    return pd.DataFrame(
        {
            "code": raw["gebiet"],
            "name": raw["name"],
            "level": raw["ebene"],
            "parent": raw["uebergeordnet"].replace(blank_to_none),
            "valid_from": valid_from,
            "valid_to": valid_to,
            "successor": raw["nachfolger"].replace(blank_to_none),
            "comparison": comparison,
        }
    )


# The one pattern of a Kennzahl code: a letter prefix and parts of capitals and digits joined by '-'
# (BIL-01, LSN-2-3-1). '/', ':' or '(' would break sheet titles and file names; README documents it.
CODE_PATTERN = r"[A-Z]{2,10}(-[A-Z0-9]{1,12})+"
CODE_RULE = (
    "Ein Kennzahl-Code besteht aus 2 bis 10 Großbuchstaben und Teilen aus Großbuchstaben oder Ziffern, je mit "
    "Bindestrich angehängt, z. B. BIL-01 oder LSN-2-3-1 (ohne Leerzeichen, / : oder Klammern)."
)
# Markdown links and images would be rendered on official pages: names and definitions are plain text
# (HTML is escaped where it is shown).
MARKUP = r"\]\(|!\["
NO_MARKUP = (
    "Bezeichnung, Definition und Quelle sind einfacher Text: Links oder Bilder in Markdown ([Text](Adresse), "
    "![Bild](Adresse)) sind nicht erlaubt."
)


def validate_indicators(raw: pd.DataFrame, fields: pd.DataFrame, *, file: str) -> pd.DataFrame:
    """Check a Kennzahlen table (template columns, DESIGN §5.2) and return it with English columns.

    The one rule set for indicators: data/, an uploaded Kennzahlen file and the indicator form call it;
    a bad row raises InputRejectedError (ReferenceDataError when the shipped data/ is wrong).
    """
    problems = missing_columns(raw, INDICATOR_REQUIRED, file=file)
    if problems:
        raise InputRejectedError(problems)
    raw = raw.reindex(columns=list(INDICATOR_COLUMNS), fill_value="")
    _unique(raw, "kennzahl", file, problems)
    problems += problems_where(
        raw, raw["kennzahl"] == "", file=file, column="kennzahl", message="Der Kennzahl-Code fehlt."
    )
    problems += problems_where(
        raw, raw["bezeichnung"] == "", file=file, column="bezeichnung", message="Die Bezeichnung fehlt."
    )
    problems += problems_where(
        raw,
        (raw["kennzahl"] != "") & ~raw["kennzahl"].str.fullmatch(CODE_PATTERN),
        file=file,
        column="kennzahl",
        message=CODE_RULE,
    )
    for column in ("bezeichnung", "definition", "quelle"):  # shown on public pages and in the report
        problems += problems_where(
            raw, raw[column].str.contains(MARKUP, regex=True), file=file, column=column, message=NO_MARKUP
        )
    by_name = dict(zip(fields["name"].str.lower(), fields["code"], strict=True))
    by_code = dict(zip(fields["code"].str.lower(), fields["code"], strict=True))
    field_code = raw["handlungsfeld"].str.lower().map(by_code).fillna(raw["handlungsfeld"].str.lower().map(by_name))
    problems += problems_where(
        raw,
        field_code.isna(),
        file=file,
        column="handlungsfeld",
        message="Unbekanntes Handlungsfeld; erlaubt sind " + ", ".join(fields["name"]) + ".",
    )
    problems += problems_where(
        raw,
        ~raw["einheit"].isin(UNITS),
        file=file,
        column="einheit",
        message="Unbekannte Einheit; erlaubt sind " + ", ".join(UNITS) + ".",
    )
    problems += problems_where(
        raw,
        ~raw["richtung"].isin(POLARITIES),
        file=file,
        column="richtung",
        message="Erwartet wird »hoch«, »niedrig« oder »neutral«.",
    )
    aggregation = raw["aggregation"].replace({"": "keine"})
    problems += problems_where(
        raw,
        ~aggregation.isin(AGGREGATIONS),
        file=file,
        column="aggregation",
        message="Erwartet wird »summe«, »quote« oder »keine«.",
    )
    factor = parse_german_number(raw["faktor"])
    factor = factor.fillna(raw["einheit"].map(UNIT_FACTORS))
    problems += problems_where(
        raw,
        (aggregation == "quote") & ~(factor > 0),
        file=file,
        column="faktor",
        message="Eine Quote braucht einen Faktor (100 für %, 1000 für ‰).",
    )
    expected = raw["einheit"].map(UNIT_FACTORS)
    problems += problems_where(
        raw,
        expected.notna() & (factor != expected),
        file=file,
        column="faktor",
        message="Der Faktor passt nicht zur Einheit (% braucht 100, ‰ braucht 1000).",
    )
    problems += problems_where(
        raw,
        raw["einheit"].isin(SHARE_UNITS) & (aggregation == "summe"),
        file=file,
        column="aggregation",
        message="Anteile lassen sich nicht zu einem Kreiswert addieren: für %, ‰, Prozent- und Promillepunkte ist der "
        "Kreiswert »quote« (Σ Zähler ÷ Σ Nenner) oder »keine«.",
    )
    decimals = pd.to_numeric(raw["nachkommastellen"].replace({"": "1"}), errors="coerce")
    problems += problems_where(
        raw,
        ~decimals.between(0, 4),
        file=file,
        column="nachkommastellen",
        message="Erwartet wird eine ganze Zahl von 0 bis 4.",
    )
    green = parse_german_number(raw["schwelle_gruen"])
    yellow = parse_german_number(raw["schwelle_gelb"])
    problems += problems_where(
        raw,
        (raw["schwelle_gruen"] != "") & ~green.between(0, 2),
        file=file,
        column="schwelle_gruen",
        message="Erwartet wird ein Anteil zwischen 0 und 2, z. B. 0,95.",
    )
    problems += problems_where(
        raw,
        (raw["schwelle_gelb"] != "") & ~(yellow.between(0, 2) & ~(yellow >= green.fillna(0.95))),
        file=file,
        column="schwelle_gelb",
        message="Erwartet wird ein Anteil zwischen 0 und der Grün-Schwelle, z. B. 0,60.",
    )
    min_count = pd.to_numeric(raw["mindestfallzahl"].replace({"": str(DEFAULT_MIN_COUNT)}), errors="coerce")
    problems += problems_where(
        raw,
        ~(min_count.between(0, 1_000_000) & (min_count == min_count.round())),
        file=file,
        column="mindestfallzahl",
        message=f"Erwartet wird eine ganze Zahl ab 0 (leer heißt {DEFAULT_MIN_COUNT}).",
    )
    origin = raw["datenherkunft"].str.lower().replace({"": "eigen"})
    problems += problems_where(
        raw,
        ~origin.isin(list(ORIGINS)),
        file=file,
        column="datenherkunft",
        message="Erwartet wird »amtlich« (veröffentlichte Statistik) oder »eigen« (eigene Erhebung).",
    )
    problems += problems_where(
        raw,
        (raw["brueche"].str.strip() != "") & ~raw["brueche"].str.fullmatch(SERIES_BREAKS),
        file=file,
        column="brueche",
        message="Erwartet werden Jahr und Grund je Bruch, getrennt durch Semikolon, z. B. »2022: Zensus 2022«.",
    )
    problems += binding_problems(raw, file=file)
    calendar_problems, calendar = check_delivery_columns(raw, file=file)
    problems += calendar_problems
    if problems:
        raise InputRejectedError(problems)
    return pd.DataFrame(
        {
            "code": raw["kennzahl"],
            "name": raw["bezeichnung"],
            "field": field_code,
            "unit": raw["einheit"],
            "polarity": raw["richtung"],
            "decimals": decimals.astype(int),
            "aggregation": aggregation,
            "factor": factor,
            "definition": raw["definition"],
            "source": raw["quelle"],
            "threshold_green": green,
            "threshold_yellow": yellow,
            "min_count": min_count.astype(int),
            "origin": origin,
            "provider": raw["lieferant"],
            **{column: calendar[column] for column in calendar.columns},
            "series_breaks": raw["brueche"].str.strip(),
            "binding": raw["bezug"].str.split().str.join(" ").fillna(""),
            "levels": raw["ebenen"].str.lower().str.findall(r"land|kreis|gemeinde").str.join(", ").fillna(""),
        }
    )


def read_indicators(path: Path, fields: pd.DataFrame) -> pd.DataFrame:
    """The Kennzahlen catalogue file, validated against the fields."""
    try:
        return validate_indicators(read_table_file(path), fields, file=path.name)
    except InputRejectedError as error:
        raise ReferenceDataError(error.problems) from error


def load_reference(data_dir: Path = DATA_DIR, *, areas: pd.DataFrame | None = None) -> ReferenceData:
    """Read and cross-check handlungsfelder.csv, gebiete.csv (unless `areas` are given) and kennzahlen.csv."""
    fields = read_fields(data_dir / "handlungsfelder.csv")
    if areas is None:
        areas = read_areas(data_dir / "gebiete.csv")
    indicators = read_indicators(data_dir / "kennzahlen.csv", fields)
    return ReferenceData(fields=fields, areas=areas, indicators=indicators)
