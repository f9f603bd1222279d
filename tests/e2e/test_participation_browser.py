"""Issue 27 in a real browser (`streamlit run`, Playwright, Chromium): the Referat opens a consultation on the draft
targets; two network partners and one member of the public contribute; the Referat releases and answers each
contribution and decides the target; the public page shows the answers; the report shows the trail; "Unsere Ziele"
in Leichte Sprache and in Arabic (right to left). Screenshots under tests/e2e/screenshots/beteiligung_*.png."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.e2e.conftest import (
    ROOT,
    SCREENSHOTS,
    STAFF_PASSWORD,
    Server,
    running_server,
    screenshot,
    wait_until_rendered,
)
from tests.e2e.test_deliveries_browser import _cli
from tests.e2e.walk import sign_in_as

PARTNERS = {"ksb": "Kreissportbund Peine", "vhs": "Volkshochschule (Demodaten)"}
PARTNER_PASSWORD = "partner-passwort-2026"
TITLE = "Zielwerte 2030 – Ihre Meinung"


@pytest.fixture(scope="module")
def consultation_server(tmp_path_factory) -> Iterator[tuple[Server, dict]]:
    """A demo server with the staff account and two partner accounts (Kreissportbund, Volkshochschule)."""
    folder = tmp_path_factory.mktemp("e2e_beteiligung")
    env = {**os.environ, "CONTROLLING_DB": str(folder / "e2e.duckdb")}
    _cli(env, "init", "--demo")
    for name, actor in PARTNERS.items():
        _cli(
            env,
            "user",
            "add",
            name,
            "--role",
            "partner",
            "--akteur",
            actor,
            "--password-stdin",
            stdin=f"{PARTNER_PASSWORD}\n",
        )
    with running_server(folder) as started:
        yield started, env


def open_path(tab, url: str, path: str, heading: str) -> None:
    tab.goto(f"{url}/{path}")
    tab.get_by_role("heading", name=heading).first.wait_for(timeout=90_000)
    wait_until_rendered(tab)


def contribute(tab, url: str, text: str, *, value: str = "", name: str | None = None, draft: str | None = None) -> None:
    """Write a contribution on the Beteiligung page as the tab's person, for the newest consultation."""
    open_path(tab, url, "beteiligung", "Beteiligung")
    form = tab.locator('[data-testid="stForm"]').filter(has_text="Beitrag senden")
    if draft is not None:
        form.get_by_role("combobox", name="Zu welchem Entwurf?").click()
        tab.get_by_role("option", name=draft).first.click()
    form.get_by_label("Ihr Beitrag").fill(text)
    form.get_by_label("Anderer Zielwert").fill(value)
    if name is not None:
        form.get_by_label("Ihr Name (freiwillig)").fill(name)
    form.get_by_role("button", name="Beitrag senden").click()
    tab.get_by_text("Danke! Ihr Beitrag ist eingegangen").wait_for(timeout=60_000)
    wait_until_rendered(tab)


def test_a_consultation_from_opening_to_the_report(consultation_server, browser):
    server, env = consultation_server
    url = server.url
    staff_context = browser.new_context(viewport={"width": 1280, "height": 1800}, locale="de-DE")
    staff = staff_context.new_page()
    sign_in_as(staff, url, "referat.test", STAFF_PASSWORD)

    # 1. The Referat opens a consultation on both draft targets.
    open_path(staff, url, "beteiligung_pflegen", "Beteiligung moderieren")
    form = staff.locator('[data-testid="stForm"]').filter(has_text="Beteiligung eröffnen")
    form.get_by_label("Titel").fill(TITLE)
    form.get_by_role("combobox", name="Entwürfe").click()
    for code in ("SPR-01", "GES-02"):
        staff.get_by_role("option").filter(has_text=code).first.click()
    staff.keyboard.press("Escape")
    form.get_by_role("button", name="Beteiligung eröffnen").click()
    staff.get_by_text("ist eröffnet").wait_for(timeout=60_000)
    wait_until_rendered(staff)
    screenshot(staff, "beteiligung_1_eroeffnet")

    # 2. Two partners and one member of the public contribute.
    for name, text, value in (
        ("ksb", "Mit Schwimmkursen in allen Gemeinden sind 28 % erreichbar.", "28"),
        ("vhs", "Mehr Kurse mit Kinderbetreuung: der Zielwert ist ehrgeizig, aber machbar.", ""),
    ):
        context = browser.new_context(viewport={"width": 1280, "height": 1800}, locale="de-DE")
        tab = context.new_page()
        sign_in_as(tab, url, name, PARTNER_PASSWORD)
        draft = "GES-02" if name == "ksb" else "SPR-01"
        contribute(tab, url, text, value=value, draft=draft)
        assert tab.get_by_text("wartet auf Prüfung").first.is_visible()  # its own, before release
        screenshot(tab, f"beteiligung_2_partner_{name}")
        context.close()
    public_context = browser.new_context(viewport={"width": 1280, "height": 1800}, locale="de-DE")
    public = public_context.new_page()
    contribute(public, url, "<b>Bitte</b> auch Abendkurse für Berufstätige!", name="Maria Mustermann", draft="SPR-01")
    assert not public.get_by_text("Abendkurse").count()  # nothing public before release
    screenshot(public, "beteiligung_3_oeffentlich_eingegangen")

    # 3. The Referat releases and answers each contribution, then decides the target.
    open_path(staff, url, "beteiligung_pflegen", "Beteiligung moderieren")
    staff.get_by_text("Maria Mustermann").first.wait_for(timeout=60_000)  # the Referat sees the name
    answers = [
        ("teilweise übernommen", "Schwimmkurse werden Maßnahme; der Zielwert bleibt bei 25 %."),
        ("übernommen", "Der Zielwert bleibt; die Kurse mit Kinderbetreuung werden ausgebaut."),
        ("nicht übernommen", "Abendkurse sind schon im Angebot der Volkshochschule."),
    ]
    for index, (answer, reason) in enumerate(answers):
        staff.get_by_role("button", name="Veröffentlichen", exact=True).nth(index).click()
        staff.get_by_text("ist veröffentlicht").wait_for(timeout=60_000)
        wait_until_rendered(staff)
        answer_form = staff.locator('[data-testid="stForm"]').filter(has_text="Antwort speichern").nth(index)
        answer_form.get_by_text(answer, exact=True).click()
        answer_form.get_by_label("Begründung").fill(reason)
        answer_form.get_by_role("button", name="Antwort speichern").click()
        staff.get_by_text("ist beantwortet").wait_for(timeout=60_000)
        wait_until_rendered(staff)
    decide = staff.locator('[data-testid="stForm"]').filter(has_text="Entwurf beschließen")
    decide.get_by_role("spinbutton", name="Tag, Beschlussdatum").click()
    staff.keyboard.type(f"{dt.date.today():%d%m%Y}")  # the date field's spin buttons take the digits in turn
    decide.get_by_label("Vorlage (Nummer)").fill("KA/2026/027")
    decide.get_by_role("button", name="Entwurf beschließen").click()
    staff.get_by_text("ist beschlossen").wait_for(timeout=60_000)
    wait_until_rendered(staff)
    screenshot(staff, "beteiligung_4_beantwortet_und_beschlossen")

    # The public sees the released contributions with the answers, and no name.
    open_path(public, url, "beteiligung", "Beteiligung")
    public.get_by_text("Abendkurse sind schon im Angebot").wait_for(timeout=60_000)
    assert public.get_by_text("<b>Bitte</b> auch Abendkurse", exact=False).count()  # HTML shown as text
    assert not public.get_by_text("Mustermann").count()
    screenshot(public, "beteiligung_5_oeffentlich_mit_antworten")

    # 4. The report shows the trail (made by the CLI from the same database, as the Referat would).
    pdf = SCREENSHOTS / "beteiligung_bericht.pdf"
    subprocess.run(
        [sys.executable, "-m", "controlling", "report", "--out", str(pdf)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=600,
    )
    if shutil.which("pdftotext") and shutil.which("pdftoppm"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Zielvorschläge: Beteiligung und Antworten" in text and TITLE in text
        assert "Kreissportbund Peine" in text and "teilweise übernommen" in text and "Mustermann" not in text
        assert "beschlossen: Kreisausschuss" in text
        pages = text.split("\f")
        number = next(i for i, page in enumerate(pages, start=1) if "Beteiligung und Antworten" in page)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "70",
                "-f",
                str(number),
                "-l",
                str(number),
                str(pdf),
                str(SCREENSHOTS / "beteiligung_6_bericht"),
            ],
            check=True,
        )

    # "Unsere Ziele" in Leichte Sprache and in Arabic, right to left.
    for language, heading in (("leicht", "Was wir wollen"), ("ar", "أهدافنا")):
        public.goto(f"{url}/unsere_ziele?sprache={language}")
        public.get_by_text(heading).first.wait_for(timeout=90_000)
        wait_until_rendered(public)
        screenshot(public, f"unsere_ziele_{language}")
    block = public.locator('.unsere-ziele[lang="ar"]')
    assert block.get_attribute("dir") == "rtl"
    assert block.evaluate("e => getComputedStyle(e).direction") == "rtl"
    public.goto(f"{url}/unsere_ziele?sprache=uk")
    public.get_by_text("Noch nicht übersetzt").first.wait_for(timeout=90_000)
    screenshot(public, "unsere_ziele_uk_ohne_uebersetzung")
    public_context.close()
    staff_context.close()


def test_the_network_page_shows_matrix_and_map_without_personal_data(consultation_server, page):
    server, _ = consultation_server
    open_path(page, server.url, "netzwerk", "Integrationsnetzwerk")
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    body = page.locator("body").inner_text()
    assert "Kreissportbund Peine" in body and "@example.org" not in body and "Eva Sport" not in body
    screenshot(page, "netzwerk_oeffentlich")
