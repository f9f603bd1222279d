"""AppTest of the pages of issue 27 and the role matrix: every page × every role (anonymous, betrachter, lieferant,
partner, referat, admin) is shown or refused exactly as its permission says; a partner sees and writes only its own
contributions and its organisation's entry; the public form reaches nothing else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from controlling import auth
from controlling.bootstrap import initialize
from controlling.db import Store
from controlling.ui import SignedIn
from controlling.ui.session import _opened_store

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "partner-passwort-2026"
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))
ROLES = [None, "betrachter", "lieferant", "partner", "referat", "admin"]
# What each page asks for (its ui.start_page call): None = everyone may read it.
PERMISSION = {
    page: (found[1] if (found := re.search(r'start_page\("([a-z_]+)"\)', (ROOT / page).read_text("utf-8"))) else None)
    for page in PAGES
}
NAMES = {"partner": "ksb", "lieferant": "edemissen"}


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """Demo data with two partner accounts (Kreissportbund, Volkshochschule) and a provider, made before the app."""
    path = tmp_path_factory.mktemp("mitwirken") / "mitwirken.duckdb"
    store = Store(path)
    initialize(store, demo=True)
    auth.add_account(store, "ksb", "partner", PASSWORD, by="test", actor="Kreissportbund Peine")
    auth.add_account(store, "vhs", "partner", PASSWORD, by="test", actor="Volkshochschule (Demodaten)")
    auth.add_account(store, "edemissen", "lieferant", PASSWORD, by="test", provider="Edemissen")
    store.close()
    return path


@pytest.fixture
def app(database, monkeypatch):
    monkeypatch.setenv("CONTROLLING_DB", str(database))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    assert not at.exception
    return at


def open_as(at: AppTest, page: str, role: str | None = None) -> AppTest:
    if role is not None:
        at.session_state["_signed_in"] = SignedIn(name=NAMES.get(role, "test"), role=role, via="konto")
        at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def app_store(database) -> Store:
    """The store the app opened in this process (a second one on the same file would be refused)."""
    return _opened_store(str(database)).store


def refused(at: AppTest) -> bool:
    return any("vorbehalten" in e.value for e in at.error)


def texts(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in at.markdown) + "\n".join(str(c.value) for c in at.caption)


@pytest.mark.slow
def test_the_role_matrix_has_no_bypass(database, monkeypatch):
    """Every page for every role: shown exactly when the role holds the page's permission. Counted, 0 bypasses."""
    bypasses, refusals_wrong, checked = [], [], 0
    for role in ROLES:
        for page in PAGES:
            monkeypatch.setenv("CONTROLLING_DB", str(database))
            monkeypatch.chdir(ROOT)
            at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
            at.run()
            if role is not None:
                at.session_state["_signed_in"] = SignedIn(name=NAMES.get(role, "test"), role=role, via="konto")
                at.run()
            allowed = PERMISSION[page] is None or auth.may(role, PERMISSION[page])
            try:
                at.switch_page(page).run()
            except ValueError:  # not in the navigation: refused before it runs
                shown = False
            else:
                assert not at.exception, (role, page, at.exception)
                shown = not refused(at)
            checked += 1
            if shown and not allowed:
                bypasses.append((role, page))
            if allowed and not shown:
                refusals_wrong.append((role, page))
    print(f"Rollenmatrix: {checked} Aufrufe, {len(bypasses)} Umgehungen, {len(refusals_wrong)} falsche Ablehnungen")
    assert checked == len(ROLES) * len(PAGES)
    assert bypasses == [] and refusals_wrong == []


@pytest.mark.parametrize(
    "page", ["pages/netzwerk_pflegen.py", "pages/beteiligung_pflegen.py", "pages/uebersetzungen.py"]
)
@pytest.mark.parametrize("role", [None, "betrachter", "lieferant", "partner"])
def test_the_new_staff_pages_refuse_everyone_but_the_referat(app, page, role):
    try:
        open_as(app, page, role)
    except ValueError as error:
        assert "Could not find a navigation page" in str(error)
        return
    assert refused(app) and not app.text_area and not app.get("file_uploader")
    assert {b.label for b in app.button} <= {"Anmelden"}  # at most the sign-in form


def test_the_public_network_page_shows_no_contact_person(app):
    open_as(app, "pages/netzwerk.py")
    shown = texts(app) + "\n".join(str(d.value) for d in app.dataframe)
    assert "Kreissportbund Peine" in shown and "Eva Sport" not in shown and "@example.org" not in shown
    assert not any("Ansprechperson" in str(d.value.columns) for d in app.dataframe)
    open_as(app, "pages/netzwerk.py", "referat")
    assert any("Ansprechperson" in list(d.value.columns) for d in app.dataframe)


def submit(at: AppTest, text: str, *, value: str = "", name: str | None = None, honeypot: str = "") -> AppTest:
    form = at.get("form")
    at.text_area[0].set_value(text)
    inputs = {t.label: t for t in at.text_input}
    inputs["Anderer Zielwert (nur bei Zielentwürfen, freiwillig)"].set_value(value)
    if name is not None:
        inputs["Ihr Name (freiwillig)"].set_value(name)
    inputs["Bitte dieses Feld leer lassen"].set_value(honeypot)
    assert form
    next(b for b in at.button if b.label == "Beitrag senden").click().run()
    assert not at.exception, at.exception
    return at


def test_a_partner_sees_and_writes_only_its_own_and_the_public_form_reaches_nothing_else(app, database):
    open_as(app, "pages/beteiligung.py", "partner")
    assert "Name (freiwillig)" not in [t.label for t in app.text_input]  # a partner writes as its organisation
    submit(app, "Unser Beitrag als Kreissportbund.", value="27,5")
    assert not app.error, [e.value for e in app.error]
    assert "Unser Beitrag als Kreissportbund" in texts(app)  # its own, before release
    other = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    other.run()
    open_as(other, "pages/beteiligung.py", None)
    audit_before = app_store(database).audit.entries()
    network_before = app_store(database).network.actors()
    submit(other, "<b>Hallo</b> [Link](https://x.example)", name="Maria")
    assert any("keine Links" in e.value for e in other.error)
    submit(other, "<b>Mehr</b> Abendkurse bitte!", name="Maria Mustermann")
    assert not other.error, [e.value for e in other.error]
    assert "Mehr" not in texts(other)  # nothing public before release
    open_as(app, "pages/beteiligung.py", "partner")
    assert "Abendkurse" not in texts(app)  # a partner does not see another's unreleased contribution
    store = app_store(database)
    audit = store.audit.entries()
    new = audit.loc[~audit["id"].isin(audit_before["id"])]
    assert set(new["entity"]) == {"contribution"} and set(new["action"]) == {"beitragen"}  # nothing else was written
    assert store.network.actors().equals(network_before)
    rows = store.participation.contributions()
    public = rows.loc[rows["author_kind"] == "oeffentlich"].iloc[-1]
    assert public["text"] == "<b>Mehr</b> Abendkurse bitte!" and public["public_name"] == "Maria Mustermann"
    ksb = rows.loc[rows["account"] == "ksb"].iloc[-1]
    assert ksb["actor_id"] == store.accounts.actor("ksb") and ksb["proposed_value"] == 27.5
    store.participation.moderate(int(public["id"]), "freigegeben", user="t")
    open_as(other, "pages/beteiligung.py", None)
    shown = texts(other)
    assert r"\<b\>Mehr\</b\> Abendkurse bitte\!" in shown and "Maria" not in shown  # escaped, and no name


def test_the_honeypot_and_the_throttle_refuse_in_german(app):
    open_as(app, "pages/beteiligung.py")
    submit(app, "Ich bin ein Bot", honeypot="https://bot.example")
    assert any("leer bleiben muss" in e.value for e in app.error)
    outcomes = []
    for attempt in range(6):
        submit(app, f"Beitrag {attempt}")
        outcomes.append("warten" if any("Bitte warten Sie etwas" in e.value for e in app.error) else "ok")
    assert "warten" in outcomes and outcomes.count("ok") <= 3


def test_the_referat_answers_and_decides_on_its_pages(app):
    open_as(app, "pages/beteiligung_pflegen.py", "referat")
    assert not app.error
    assert any(f.label == "Antwort" for f in app.radio)
    open_as(app, "pages/unsere_ziele.py")
    assert not app.error
