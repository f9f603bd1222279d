"""The Integrationsnetzwerk (issue 27): actors with fields, Gemeinden and measures, bodies and meetings, the public
matrix without personal data, CSV in and out; a refused input changes nothing; every change audited."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from controlling import auth
from controlling.errors import ControllingError, InputRejectedError
from controlling.network import service as network

TODAY = dt.date(2026, 12, 8)


def test_the_demo_network_has_every_kind_and_a_meeting_that_produced_a_draft(own_demo_store):
    actors = network.actors(own_demo_store, with_contacts=False)
    assert {
        "Verwaltung",
        "Gemeinde",
        "Jobcenter",
        "Träger",
        "Verein",
        "Migrantenorganisation",
        "Schule/Kita",
        "Kreissportbund",
    } <= set(actors["kind"])
    assert "contact_name" not in actors.columns and "contact_email" not in actors.columns
    meeting = own_demo_store.network.meetings().iloc[0]
    assert list(meeting["targets"]) and list(meeting["measures"]) and len(meeting["participants"]) == 7
    matrix = network.matrix(own_demo_store)
    assert list(matrix.index) == ["Bildung", "Sprache", "Arbeit", "Gesellschaft", "Kommunikation"]
    assert "Kreissportbund Peine" in matrix.loc["Gesellschaft", "Lengede"]
    assert "@" not in matrix.to_csv() and "Beispiel" not in matrix.to_csv()  # no contact person anywhere


def test_an_actors_page_links_measures_seats_and_meetings(own_demo_store):
    actors = own_demo_store.network.actors()
    school = int(actors.loc[actors["kind"] == "Schule/Kita", "id"].iloc[0])
    page = network.actor_page(own_demo_store, school, with_contacts=False)
    assert list(page.measures["title"]) == ["Ausbau der Sprachförderung in Kitas"]
    assert set(page.seats["body_name"]) == {"AG Sprache und Bildung", "Koordinierungsstab Integration"}
    assert "contact_name" not in page.actor.index
    assert network.actor_page(own_demo_store, school, with_contacts=True).actor["contact_name"] == "Jana Schule"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"name": "", "kind": "Verein"}, "Bitte füllen Sie »Name« aus"),
        ({"name": "X", "kind": "Sekte"}, "Unbekannte Art »Sekte«"),
        ({"name": "x" * 1_048_576, "kind": "Verein"}, "»Name« ist zu lang: 1.048.576 Zeichen"),
        ({"name": "A\nB", "kind": "Verein"}, "»Name« ist eine Zeile"),
        ({"name": "A\x1b[31m", "kind": "Verein"}, "Steuerzeichen (U+001B)"),
        ({"name": "A", "kind": "Verein", "contact_email": "keine"}, "ist keine E-Mail-Adresse"),
        ({"name": "A", "kind": "Verein", "contact_name": "[klick](http://x.example)"}, "keine Links"),
        ({"name": "Kreissportbund Peine", "kind": "Verein"}, "gibt es schon"),
    ],
)
def test_a_bad_actor_is_refused_in_german_and_nothing_changes(own_demo_store, raw, message):
    before = own_demo_store.network.actors()
    audit = len(own_demo_store.audit.entries())
    with pytest.raises(ControllingError, match=re.escape(message)):
        network.save_actor(own_demo_store, raw, field_codes=["GES"], areas=[], user="t")
    assert own_demo_store.network.actors().equals(before) and len(own_demo_store.audit.entries()) == audit


def test_html_and_markdown_in_a_description_are_kept_as_text(own_demo_store):
    hostile = "<script>alert(1)</script> **fett** [Link](javascript:alert(1))"
    number = network.save_actor(
        own_demo_store,
        {"name": "Verein <b>X</b>", "kind": "Verein", "description": hostile},
        field_codes=["GES"],
        areas=["03157001"],
        user="t",
    )
    row = network.actor_row(own_demo_store, number)
    assert row["description"] == hostile and row["name"] == "Verein <b>X</b>"  # stored as typed, shown escaped
    assert own_demo_store.audit.entries().iloc[0]["entity"] == "actor"


def test_the_register_goes_out_and_back_as_csv_and_a_bad_file_changes_nothing(own_demo_store):
    public = network.export_actors_csv(own_demo_store, with_contacts=False).decode("utf-8-sig")
    assert public.splitlines()[0] == "name;art;beschreibung;handlungsfelder;gemeinden" and "@example.org" not in public
    full = network.export_actors_csv(own_demo_store, with_contacts=True)
    before = own_demo_store.network.actors()
    assert network.import_actors_csv(own_demo_store, full, "netzwerk.csv", user="t") == len(before)
    after = own_demo_store.network.actors()
    assert after[["name", "kind", "fields", "areas", "contact_email"]].equals(
        before[["name", "kind", "fields", "areas", "contact_email"]]
    )
    bad = (
        "name;art;gemeinden;handlungsfelder\nNeu;Verein;Atlantis;Bildung\nNeu;Verein;Peine (Stadt);Zauberei\n"
        "=HYPERLINK();Sekte;;\n"
    )
    with pytest.raises(InputRejectedError) as refused:
        network.import_actors_csv(own_demo_store, bad.encode(), "bad.csv", user="t")
    text = str(refused.value)
    assert "Zeile 2, Spalte »gemeinden« (Wert »Atlantis«)" in text and "Zeile 3, Spalte »handlungsfelder«" in text
    assert "Der Name steht mehrmals" in text and "Unbekannte Art »Sekte«" in text
    assert len(own_demo_store.network.actors()) == len(before)
    good = "name;art;handlungsfelder;gemeinden\nNeuer Verein;Verein;Bildung, SPR;Lengede, 03157001\n"
    network.import_actors_csv(own_demo_store, good.encode(), "gut.csv", user="t")
    new = own_demo_store.network.actors().set_index("name").loc["Neuer Verein"]
    assert new["fields"] == "BIL, SPR" and new["areas"] == "03157001, 03157005"


def test_a_meeting_needs_a_date_not_to_come_and_known_results(own_demo_store):
    body = int(own_demo_store.network.bodies()["id"].iloc[0])
    draft = int(own_demo_store.targets.drafts()["id"].iloc[0])
    with pytest.raises(ControllingError, match="nicht in der Zukunft"):
        network.add_meeting(
            own_demo_store,
            body,
            TODAY + dt.timedelta(days=1),
            "x",
            participants=[],
            targets=[],
            measures=[],
            user="t",
            today=TODAY,
        )
    with pytest.raises(ControllingError, match="Unbekannte Ziele: 99999"):
        network.add_meeting(
            own_demo_store, body, TODAY, "x", participants=[], targets=[99999], measures=[], user="t", today=TODAY
        )
    number = network.add_meeting(
        own_demo_store,
        body,
        TODAY,
        "Entwurf beraten",
        participants=[1, 2],
        targets=[draft],
        measures=[],
        user="t",
        today=TODAY,
    )
    assert own_demo_store.network.meetings().set_index("id").loc[number, "targets"].tolist() == [draft]


def test_a_partner_account_is_bound_to_one_actor_and_edits_only_its_own_entry(own_demo_store):
    with pytest.raises(auth.AuthError, match="Unbekannter Akteur"):
        auth.add_account(own_demo_store, "x", "partner", "partner-passwort-2026", by="t", actor="Niemand")
    with pytest.raises(auth.AuthError, match="Nur ein Konto mit der Rolle »partner«"):
        auth.add_account(own_demo_store, "x", "referat", "partner-passwort-2026", by="t", actor="Kreissportbund Peine")
    auth.add_account(own_demo_store, "ksb", "partner", "partner-passwort-2026", by="t", actor="kreissportbund peine")
    actors = own_demo_store.network.actors().set_index("name")
    own = int(actors.loc["Kreissportbund Peine", "id"])
    assert own_demo_store.accounts.actor("ksb") == own
    network.save_own_actor(
        own_demo_store,
        "ksb",
        {"name": "Gekapert", "kind": "Verwaltung", "description": "neu"},
        field_codes=["GES", "BIL"],
        areas=["03157006"],
    )
    after = own_demo_store.network.actors().set_index("id")
    assert after.loc[own, "name"] == "Kreissportbund Peine" and after.loc[own, "kind"] == "Kreissportbund"
    assert after.loc[own, "description"] == "neu"
    others = after.drop(index=own)
    assert others.equals(actors.reset_index().set_index("id").drop(index=own)[others.columns])
