"""Beteiligung (issue 27): a consultation on drafts for a period; partners and the public contribute (checked,
throttled, nothing public before release); the Referat answers; the public's names go after the period; every step
is in the audit log; the report's trail names no member of the public."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from controlling import auth
from controlling.errors import ControllingError
from controlling.participation import model
from controlling.participation import service as participation
from controlling.participation.service import Contributor, Viewer
from controlling.report.participation import participation_html

NOW = dt.datetime.now().replace(microsecond=0)
TODAY = NOW.date()


@pytest.fixture
def consulted(own_demo_store):
    """The demo store with two partner accounts and a consultation on both draft targets, open today."""
    store = own_demo_store
    for name, actor in (("ksb", "Kreissportbund Peine"), ("vhs", "Volkshochschule (Demodaten)")):
        auth.add_account(store, name, "partner", "partner-passwort-2026", by="t", actor=actor)
    keys = [key for key, _ in participation.draft_choices(store, "zielentwurf")]
    number = participation.open_consultation(
        store, "Ziele 2030", "zielentwurf", TODAY - dt.timedelta(days=1), TODAY + dt.timedelta(days=7), keys, user="r"
    )
    return store, number, keys


def partner(store, name):
    return Contributor("partner", account=name, actor_id=store.accounts.actor(name))


def test_opening_needs_a_title_a_period_in_order_and_known_drafts(own_demo_store):
    keys = [key for key, _ in participation.draft_choices(own_demo_store, "zielentwurf")]
    cases = [
        (("", TODAY, TODAY, keys), "Bitte füllen Sie »Titel« aus"),
        (("T", TODAY, TODAY - dt.timedelta(days=1), keys), "liegt vor dem Beginn"),
        (("T", None, TODAY, keys), "Bitte Beginn und Ende"),
        (("T", TODAY, TODAY, []), "mindestens einen Entwurf"),
        (("T", TODAY, TODAY, ["ziel:99999"]), "gibt es nicht (mehr): ziel:99999"),
    ]
    for (title, start, end, chosen), message in cases:
        with pytest.raises(ControllingError, match=re.escape(message)):
            participation.open_consultation(own_demo_store, title, "zielentwurf", start, end, chosen, user="r")
    assert len(own_demo_store.participation.consultations()) == 1  # the demo's, nothing more


def test_two_partners_and_the_public_contribute_and_nothing_is_public_before_release(consulted):
    store, number, keys = consulted
    first = participation.contribute(
        store, number, keys[0], "Zu hoch gegriffen.", "65", who=partner(store, "ksb"), now=NOW
    )
    second = participation.contribute(
        store, number, keys[1], "Wir tragen Kurse bei.", "", who=partner(store, "vhs"), now=NOW
    )
    public = participation.contribute(
        store,
        number,
        keys[0],
        "Mehr Abendkurse!",
        "",
        now=NOW,
        who=Contributor("oeffentlich", public_name="Maria Mustermann", client="203.0.113.7"),
    )
    everyone = participation.visible_contributions(store, number, Viewer())
    assert everyone.empty  # nothing before release
    ksb = store.accounts.actor("ksb")
    own = participation.visible_contributions(store, number, Viewer(actor_id=ksb))
    assert list(own["id"]) == [first] and "public_name" not in own.columns  # a partner: only its own
    staff = participation.visible_contributions(store, number, Viewer(staff=True))
    assert list(staff["id"]) == [first, second, public]
    assert staff.set_index("id").loc[public, "public_name"] == "Maria Mustermann"
    participation.moderate(store, public, True, user="r")
    participation.moderate(store, second, False, user="r")
    released = participation.visible_contributions(store, number, Viewer())
    assert list(released["id"]) == [public] and list(released["author"]) == ["Öffentlichkeit"]
    assert list(participation.visible_contributions(store, number, Viewer(actor_id=ksb))["id"]) == [first, public]
    assert proposals(store, first) == 65.0


def proposals(store, contribution):
    return store.participation.contributions().set_index("id").loc[contribution, "proposed_value"]


def test_the_referat_answers_with_a_reason_and_the_trail_shows_it_without_names(consulted):
    store, number, keys = consulted
    contribution = participation.contribute(
        store,
        number,
        keys[0],
        "Bitte 65 %.",
        "65",
        now=NOW,
        who=Contributor("oeffentlich", public_name="Maria Mustermann", client="203.0.113.7"),
    )
    with pytest.raises(ControllingError, match="Bitte füllen Sie »Begründung der Antwort« aus"):
        participation.answer(store, contribution, "teilweise", "  ", user="r")
    with pytest.raises(ControllingError, match="Unbekannte Antwort »vielleicht«"):
        participation.answer(store, contribution, "vielleicht", "x", user="r")
    participation.moderate(store, contribution, True, user="r")
    participation.answer(store, contribution, "nicht_uebernommen", "Der Kreisausschuss bleibt bei 70 %.", user="r")
    trail = participation.trail(store)
    row = trail.loc[trail["id"] == contribution].iloc[0]
    assert row["answer_label"] == "nicht übernommen" and row["author"] == "Öffentlichkeit"
    page = participation_html(trail)
    assert "Der Kreisausschuss bleibt bei 70 %." in page and "Mustermann" not in page and "65,0" in page
    actions = store.audit.entries()
    steps = actions.loc[actions["entity"].isin(["consultation", "contribution"]), "action"].tolist()
    assert {"eröffnen", "beitragen", "moderieren", "beantworten"} <= set(steps)
    assert not actions["new_value"].fillna("").str.contains("Mustermann").any()  # the audit keeps no public name


HOSTILE = [
    ("<script>alert(1)</script><img src=x onerror=alert(1)>", None),  # kept as text, shown escaped
    ("**fett** _kursiv_ # Überschrift", None),
    ("[hier klicken](https://spam.example)", "keine Links"),
    ("Besuchen Sie www.spam.example", "keine Links"),
    ("x" * 1_048_576, "ist zu lang: 1.048.576 Zeichen, erlaubt sind höchstens 2.000"),
    ("Text\x00mit Null", "Steuerzeichen (U+0000)"),
    ("", "Bitte füllen Sie »Ihr Beitrag« aus"),
]


@pytest.mark.parametrize(("text", "refusal"), HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_is_refused_in_german_or_kept_as_text(consulted, text, refusal):
    store, number, keys = consulted
    before = len(store.participation.contributions())
    who = Contributor("oeffentlich", client=f"198.51.100.{len(text) % 200}")
    if refusal is None:
        added = participation.contribute(store, number, keys[0], text, "", who=who, now=NOW)
        assert store.participation.contributions().set_index("id").loc[added, "text"] == text
    else:
        with pytest.raises(ControllingError, match=re.escape(refusal)):
            participation.contribute(store, number, keys[0], text, "", who=who, now=NOW)
        assert len(store.participation.contributions()) == before


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        ({"honeypot": "http://bot"}, "Ein Feld, das leer bleiben muss, war ausgefüllt"),
        ({"value_text": "viel"}, "»Vorgeschlagener Zielwert« ist keine Zahl"),
        ({"value_text": "1e400"}, "keine brauchbare Zahl"),
        ({"name": "<b>Bot</b> https://x.example"}, "»Name« darf keine Links"),
        ({"name": "N" * 81}, "»Name« ist zu lang"),
        ({"item_key": "ziel:1"}, "Zu diesem Entwurf nimmt diese Beteiligung keine Beiträge an"),
        ({"now": NOW + dt.timedelta(days=30)}, "heute nimmt sie keine Beiträge an"),
    ],
)
def test_the_public_form_refuses_bots_bad_values_and_closed_periods(consulted, change, refusal):
    store, number, keys = consulted
    arguments = {"item_key": keys[0], "value_text": "", "honeypot": "", "name": "", "now": NOW} | change
    with pytest.raises(ControllingError, match=re.escape(refusal)):
        participation.contribute(
            store,
            number,
            arguments["item_key"],
            "Ein Beitrag.",
            arguments["value_text"],
            now=arguments["now"],
            honeypot=arguments["honeypot"],
            who=Contributor("oeffentlich", public_name=arguments["name"], client="c"),
        )
    assert len(store.participation.contributions()) == 1  # the demo's


def test_many_posts_from_one_client_are_throttled_and_others_still_get_in(consulted):
    store, number, keys = consulted
    who = Contributor("oeffentlich", client="192.0.2.1")
    accepted = refused = 0
    for attempt in range(20):  # a flood from one address
        try:
            participation.contribute(store, number, keys[0], f"Beitrag {attempt}", "", who=who, now=NOW)
            accepted += 1
        except ControllingError as error:
            assert "Bitte warten Sie etwas" in str(error)
            refused += 1
    assert (accepted, refused) == (model.PUBLIC_POSTS_PER_WINDOW, 20 - model.PUBLIC_POSTS_PER_WINDOW)
    later = NOW + dt.timedelta(minutes=model.PUBLIC_WINDOW_MINUTES + 1)
    participation.contribute(store, number, keys[0], "Später", "", who=who, now=later)
    participation.contribute(
        store, number, keys[0], "Andere", "", who=Contributor("oeffentlich", client="192.0.2.2"), now=NOW
    )


def test_a_value_only_for_a_draft_target_and_a_partner_needs_its_organisation(consulted):
    store, _, _ = consulted
    goal = participation.draft_choices(store, "handlungsziel")[0][0]
    other = participation.open_consultation(store, "Handlungsziele", "handlungsziel", TODAY, TODAY, [goal], user="r")
    with pytest.raises(ControllingError, match="nur zu einem Zielentwurf"):
        participation.contribute(store, other, goal, "x", "12", who=partner(store, "ksb"), now=NOW)
    with pytest.raises(ControllingError, match="keiner Organisation"):
        participation.contribute(store, other, goal, "x", "", who=Contributor("partner", account="nobody"), now=NOW)


def test_names_of_the_public_are_deleted_after_the_period_and_only_then(consulted):
    store, number, keys = consulted
    participation.contribute(
        store,
        number,
        keys[0],
        "Mit Namen",
        "",
        now=NOW,
        who=Contributor("oeffentlich", public_name="Maria Mustermann", client="203.0.113.9"),
    )
    assert participation.purge_personal_data(store, TODAY, user="r") == 0
    assert store.participation.contributions()["public_name"].notna().any()
    after = TODAY + dt.timedelta(days=8)
    assert participation.purge_personal_data(store, after, user="r") == 1
    rows = store.participation.contributions(number)
    assert rows["public_name"].isna().all() and rows["text"].tolist() == ["Mit Namen"]
    assert store.participation.consultations().set_index("id").loc[number, "purged_at"] is not None
    assert participation.purge_personal_data(store, after, user="r") == 0
    assert store.audit.entries().iloc[0]["action"] == "personendaten_loeschen"
