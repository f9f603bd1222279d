"""The demo's Integrationsnetzwerk (issue 27): actors of every kind with their fields and Gemeinden, the demo
measures they carry, the Koordinierungsstab and a working group with a meeting that produced a draft target.
Contact persons are invented (example.org)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from controlling.db import Store
from controlling.demo_story import DemoHome

DEMO_USER = "demo"


def _actors(
    home: DemoHome, gemeinden: pd.DataFrame
) -> list[tuple[str, str, str, tuple[str, ...], tuple[str, ...], str]]:
    """(name, kind, description, fields, Gemeinden, contact person) of the demo's actors."""
    every = tuple(gemeinden["code"])
    named = dict(zip(gemeinden["code"], gemeinden["name"], strict=True))
    town, first = home.town, every[0]
    return [
        (
            "Referat Migration und Teilhabe",
            "Verwaltung",
            f"Integrationsmanagement des {home.kreis_name}; Geschäftsstelle des Koordinierungsstabs.",
            ("BIL", "SPR", "ARB", "GES", "KOM"),
            every,
            "Anna Beispiel",
        ),
        (
            named[town],
            "Gemeinde",
            "Integrationsbeauftragte, Wohnraum und Quartiersarbeit.",
            ("GES", "KOM"),
            (town,),
            "Bernd Muster",
        ),
        (
            f"Gemeinde {named[first]}",
            "Gemeinde",
            "Ehrenamtskoordination und Begegnungscafé.",
            ("GES",),
            (first,),
            "Clara Probe",
        ),
        (
            f"Jobcenter {home.kreis_name}",
            "Jobcenter",
            "Arbeitsmarktintegration, Berufssprachkurse.",
            ("ARB", "SPR"),
            every,
            "Dirk Demo",
        ),
        (
            f"Kreissportbund {home.kreis_name.removeprefix('Landkreis ')}",
            "Kreissportbund",
            "Integration durch Sport: Vereine, Übungsleiterinnen, Schwimmkurse.",
            ("GES",),
            every,
            "Eva Sport",
        ),
        (
            "Volkshochschule (Demodaten)",
            "Träger",
            "Integrations- und Sprachkurse mit Kinderbetreuung.",
            ("SPR", "BIL"),
            (town, first),
            "Frank Kurs",
        ),
        (
            "Migrationsberatung (Demodaten)",
            "Träger",
            "Migrationsberatung für Erwachsene, Sprachmittlerpool.",
            ("KOM", "ARB"),
            every,
            "Gül Beraterin",
        ),
        (
            "Interkultureller Frauentreff (Demodaten)",
            "Verein",
            "Treffpunkt, Patenschaften, Elterncafé.",
            ("GES", "KOM"),
            (town,),
            "Hanna Treff",
        ),
        (
            "Verein der Neuzugewanderten (Demodaten)",
            "Migrantenorganisation",
            "Selbstorganisation Neuzugewanderter; Stimme im Koordinierungsstab.",
            ("GES", "KOM", "SPR"),
            (town, first),
            "Ibrahim Stimme",
        ),
        (
            "Grundschule am Park (Demodaten)",
            "Schule/Kita",
            "Sprachförderung und Elternarbeit.",
            ("BIL", "SPR"),
            (town,),
            "Jana Schule",
        ),
    ]


def load_demo_network(store: Store, home: DemoHome, *, day: dt.date) -> None:
    """Write the demo network: actors, their measures, two bodies with seats, one meeting with its results."""
    areas = store.catalogue.areas()
    gemeinden = areas.loc[areas["code"].isin(list(home.gemeinden["area"])), ["code", "name"]]
    for name, kind, description, fields, places, contact in _actors(home, gemeinden):  # ten demo actors
        email = contact.lower().replace(" ", ".").replace("ü", "ue") + "@example.org"
        store.network.save_actor(
            {"name": name, "kind": kind, "description": description, "contact_name": contact, "contact_email": email},
            field_codes=fields,
            areas=places,
            user=DEMO_USER,
        )
    by_name = dict(zip(store.network.actors()["name"], store.network.actors()["id"], strict=True))
    measures = store.measures.list()
    carriers = {
        "Ausbau der Sprachförderung in Kitas": ["Grundschule am Park (Demodaten)"],
        "Zusätzliche Integrationskurse mit Kinderbetreuung": [
            "Volkshochschule (Demodaten)",
            "Referat Migration und Teilhabe",
        ],
        "Mentoringprogramm Übergang Schule-Beruf": [f"Jobcenter {home.kreis_name}"],
    }
    for measure_id, title in zip(measures["id"], measures["title"], strict=True):  # the five demo measures
        chosen = [by_name[n] for n in carriers.get(title, []) if n in by_name]
        if chosen:
            store.network.set_measure_actors(int(measure_id), chosen, user=DEMO_USER)
    members = {actor_id: "Mitglied" for actor_id in list(by_name.values())[:9]}
    members[by_name["Referat Migration und Teilhabe"]] = "Vorsitz"
    stab = store.network.save_body(
        "Koordinierungsstab Integration",
        "Koordinierungsstab",
        "Steuert das Integrationsnetzwerk; bereitet Zielvorschläge für den Kreisausschuss vor.",
        members,
        user=DEMO_USER,
    )
    language = [
        by_name[n]
        for n in (
            "Volkshochschule (Demodaten)",
            "Grundschule am Park (Demodaten)",
            "Verein der Neuzugewanderten (Demodaten)",
        )
        if n in by_name
    ]
    store.network.save_body(
        "AG Sprache und Bildung",
        "Arbeitsgruppe",
        "Kita, Schule und Sprachkurse.",
        {actor_id: "Mitglied" for actor_id in language},
        user=DEMO_USER,
    )
    drafts = store.targets.drafts()
    produced = [int(i) for i in drafts.loc[drafts["source"].str.contains("Koordinierungsstab"), "id"]]
    store.network.add_meeting(
        stab,
        min(day, dt.date(2025, 11, 20)),
        "Zielvorschlag Vereinsmitgliedschaften (GES-02) an den Kreisausschuss; Integrationskurse mit "
        "Kinderbetreuung werden ausgebaut.",
        participants=list(members)[:7],
        targets=produced,
        measures=[int(i) for i in measures.loc[measures["title"].str.startswith("Zusätzliche"), "id"]],
        user=DEMO_USER,
    )
