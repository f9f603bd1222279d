"""Where the demo story plays (made for Landkreis Peine): the Kreis, its Gemeinden, the town its texts name, and
the comments and measures told of them. Another Kreis gets the same story on its own Gemeinden."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from controlling.reference.areas import home_kreis

KREIS = "03157"
LAND = "03"
# Gemeinden valid 2015-2024: inhabitants on 31.12.2015 (Regionalstatistik 12411-01-01-5) and how much
# more (>1) or less (<1) than the Kreis average their share of foreign inhabitants is.
GEMEINDEN = pd.DataFrame(
    {
        "area": ["03157001", "03157002", "03157005", "03157006", "03157007", "03157008", "03157009"],
        "population_2015": [12349, 9116, 12900, 49366, 16738, 10234, 21617],
        "migration_factor": [0.55, 0.60, 0.75, 1.55, 0.70, 0.50, 0.95],
    }
)


@dataclass(frozen=True)
class DemoHome:
    """Where the demo story plays: the Kreis, its Land, its Gemeinden and the town its texts name."""

    kreis: str
    land: str
    gemeinden: pd.DataFrame  # area, population_2015, migration_factor
    town: str  # the largest Gemeinde: a comment, a measure and an own target are about it
    flagged: str  # the Gemeinde whose Schuleingangsuntersuchung 2021 fell out
    kreis_name: str  # Landkreis Peine
    town_name: str  # Stadt Peine
    comparison: tuple[str, ...] = field(default=())  # other Kreise of the Land, given a few demo values

    @property
    def scale(self) -> float:
        """Inhabitants against Peine's: case numbers grow with the Kreis."""
        return float(self.gemeinden["population_2015"].sum()) / float(GEMEINDEN["population_2015"].sum())


PEINE = DemoHome(
    kreis=KREIS,
    land=LAND,
    gemeinden=GEMEINDEN,
    town="03157006",
    flagged="03157002",
    kreis_name="Landkreis Peine",
    town_name="Stadt Peine",
)


def demo_home(areas: pd.DataFrame) -> DemoHome:
    """The demo's home for a store's areas: Peine's hand-made figures for 03157, else from the shipped inhabitants.

    The largest Gemeinde gets the highest share of foreign inhabitants (factor 1.55), the smallest the lowest (0.5),
    as in Peine; a Gemeinde without a known number of inhabitants counts as the median one.
    """
    home = home_kreis(areas)
    comparison = tuple(
        areas.loc[(areas["level"] == "kreis") & areas["comparison"] & areas["valid_to"].isna(), "code"].astype(str)
    )
    if home.code == KREIS:
        return DemoHome(**{**PEINE.__dict__, "comparison": comparison})
    gemeinden = home.gemeinden
    inhabitants = gemeinden["inhabitants"].astype(float)
    inhabitants = inhabitants.fillna(inhabitants.median() if inhabitants.notna().any() else 50_000.0)
    rank = inhabitants.rank(method="first", pct=True)
    factor = 0.5 + 1.05 * (rank - rank.min()) / max(float(rank.max() - rank.min()), 1e-9)
    table = pd.DataFrame(
        {
            "area": gemeinden["code"].astype(str),
            "population_2015": inhabitants.round().astype(int),
            "migration_factor": (factor if len(gemeinden) > 1 else factor * 0 + 1.0).round(2),
        }
    ).sort_values("area", ignore_index=True)
    town = str(gemeinden["code"].iloc[0])
    town_name = str(gemeinden["name"].iloc[0]).split(" (")[0]
    return DemoHome(
        kreis=home.code,
        land=home.code[:2],
        gemeinden=table,
        town=town,
        flagged=str(gemeinden["code"].iloc[1]) if len(gemeinden) > 1 else town,
        kreis_name=home.name,
        town_name=f"Stadt {town_name}" if home.name != f"Stadt {town_name}" else town_name,
        comparison=comparison,
    )


def special_values(home: DemoHome) -> tuple[tuple[str, str, int, str], ...]:
    """Flags (DESIGN §5.4) placed on purpose: (indicator, area, year, flag)."""
    return (
        ("BIL-05", home.flagged, 2021, "."),  # Schuleingangsuntersuchung pandemiebedingt ausgefallen
        ("GES-04", home.kreis, 2021, "/"),  # Beteiligung nur digital, nicht belastbar
        ("ARB-07", home.kreis, 2024, "..."),  # Anerkennungsstatistik noch nicht veröffentlicht
    )


def comments(home: DemoHome) -> tuple[tuple[str, str, int, str], ...]:
    """The demo's Einordnungen: (indicator, area, year, text)."""
    kreis = home.kreis
    return (
        (
            "BIL-05",
            kreis,
            2024,
            "Der Anstieg geht auf Kinder zurück, die 2022/23 aus der Ukraine zugezogen sind; "
            "die Sprachförderung in den Kitas wurde ab 2024 ausgebaut.",
        ),
        (
            "SPR-03",
            kreis,
            2022,
            "Lange Wartezeiten wegen fehlender Kursplätze nach dem Zuzug aus der Ukraine; "
            "zwei zusätzliche Kursträger seit Herbst 2023.",
        ),
        (
            "ARB-01",
            kreis,
            2022,
            "Kurzfristiger Anstieg durch neu registrierte Geflüchtete aus der Ukraine "
            "(Rechtskreiswechsel ins SGB II im Juni 2022).",
        ),
        (
            "GES-04",
            kreis,
            2021,
            "Beteiligungsformate fanden pandemiebedingt nur digital statt; der Wert ist nicht belastbar.",
        ),
        (
            "BIL-04",
            kreis,
            2024,
            "Rückgang vor allem bei neu zugewanderten Jugendlichen, die ohne Deutschkenntnisse "
            "in Jahrgang 7 oder 8 eingestiegen sind.",
        ),
        (
            "GES-06",
            home.town,
            2024,
            f"Wohnraummangel in der {home.town_name}; Auszug aus den Unterkünften dauert im Mittel 19 Monate.",
        ),
    )


# The one demo measure about a Gemeinde (the town); the others are about the whole Kreis.
HOUSING = "Wohnraumoffensive für Geflüchtete"


def measures(home: DemoHome) -> tuple[tuple[str, str, str, dt.date, tuple[str, ...]], ...]:
    """The demo's measures: (title, responsible, status, due date, indicators)."""
    return (
        (
            "Ausbau der Sprachförderung in Kitas",
            "Fachdienst Jugend",
            "laufend",
            dt.date(2026, 7, 31),
            ("BIL-05", "SPR-06"),
        ),
        (
            "Zusätzliche Integrationskurse mit Kinderbetreuung",
            "Koordinierungsstelle Migration und Teilhabe",
            "laufend",
            dt.date(2025, 12, 31),
            ("SPR-03", "SPR-01"),
        ),
        (
            "Mentoringprogramm Übergang Schule-Beruf",
            f"Jobcenter {home.kreis_name}",
            "geplant",
            dt.date(2027, 6, 30),
            ("BIL-04", "BIL-06", "ARB-06"),
        ),
        (
            HOUSING,
            f"{home.town_name} und Fachdienst Soziales",
            "geplant",
            dt.date(2027, 12, 31),
            ("GES-06",),
        ),
        (
            "Fortbildungsreihe interkulturelle Öffnung",
            "Personalentwicklung Kreisverwaltung",
            "abgeschlossen",
            dt.date(2024, 11, 30),
            ("KOM-03", "KOM-04"),
        ),
    )
