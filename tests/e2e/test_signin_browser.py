"""Sign-in that lasts (issue 16) and no tracebacks on the page (issue 17), in Chromium against the real server."""

from __future__ import annotations

import re

from tests.e2e.conftest import STAFF_PASSWORD, running_server, screenshot, sign_in, wait_until_rendered

REFUSAL = "Diese Seite ist dem Referat Migration und Teilhabe vorbehalten"


def main_form(tab):
    return tab.locator('[data-testid="stMain"] [data-testid="stForm"]')


def session_cookie(context) -> dict:
    cookies = [c for c in context.cookies() if c["name"] == "controlling_sitzung"]
    assert len(cookies) <= 1
    return cookies[0] if cookies else {}


def assert_refused(tab) -> None:
    tab.get_by_text(REFUSAL).wait_for(timeout=60_000)
    main_form(tab).get_by_label("Passwort").wait_for(timeout=60_000)  # the sign-in comes with the refusal
    wait_until_rendered(tab)
    assert not tab.get_by_text("Page not found").count() and not tab.get_by_text("Seite nicht gefunden").count()
    assert main_form(tab).get_by_label("Name").count()
    assert not tab.locator('input[type="file"]').count()


def test_the_first_action_on_a_fresh_server_is_a_sign_in_and_it_works(page, tmp_path):
    """The first sign-in after a start used to be dropped silently."""
    with running_server(tmp_path) as fresh:
        sign_in(page, fresh.url)
        wait_until_rendered(page)
        navigation = page.locator('[data-testid="stSidebarNav"]')
        navigation.get_by_text("Datenpflege").wait_for(timeout=30_000)
        assert page.get_by_text("Angemeldet: referat.test").count()
        screenshot(page, "anmeldung_erste_aktion")
        assert session_cookie(page.context)


def test_an_anonymous_staff_url_refuses_in_german_with_the_sign_in(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    tab = context.new_page()
    for path in ("/daten_hochladen", "/protokoll", "/ziele?kennzahl=BIL-01"):
        tab.goto(server.url + path)
        assert_refused(tab)
    screenshot(tab, "staff_url_anonym")
    context.close()


def test_sign_in_survives_reload_bookmark_and_a_new_page_and_sign_out_ends_it(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    tab = context.new_page()
    tab.goto(f"{server.url}/daten_hochladen")
    assert_refused(tab)
    sign_in(tab, form=main_form(tab))  # signed in on the refused page: the user lands on that page
    tab.get_by_role("heading", name="Daten hochladen").wait_for(timeout=60_000)
    assert tab.url == f"{server.url}/daten_hochladen"

    cookie = session_cookie(context)
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict" and cookie["secure"] is False  # plain http
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", cookie["value"]) and cookie["expires"] > 0
    assert tab.evaluate("document.cookie").find("controlling_sitzung") == -1  # no script can read it

    tab.reload()
    tab.get_by_role("heading", name="Daten hochladen").wait_for(timeout=60_000)
    wait_until_rendered(tab)
    assert tab.get_by_text("Angemeldet: referat.test").count() and not tab.get_by_text(REFUSAL).count()
    screenshot(tab, "anmeldung_nach_neuladen")

    bookmark = context.new_page()  # a bookmark or a link, opened in another tab of the same browser
    bookmark.goto(f"{server.url}/ziele?kennzahl=BIL-01")
    bookmark.get_by_role("heading", name="Ziele pflegen").wait_for(timeout=60_000)
    bookmark.get_by_role("button", name="Geänderte Ziele speichern").wait_for(timeout=60_000)
    wait_until_rendered(bookmark)
    assert bookmark.get_by_text("Angemeldet: referat.test").count()
    screenshot(bookmark, "anmeldung_lesezeichen")
    bookmark.close()

    tab.locator('[data-testid="stSidebar"]').get_by_role("button", name="Abmelden").click()
    assert_refused(tab)  # back on the same page, signed out
    assert tab.url == f"{server.url}/daten_hochladen" and not session_cookie(context)
    tab.reload()
    assert_refused(tab)
    assert not tab.get_by_text("Angemeldet:").count()
    screenshot(tab, "abgemeldet_nach_neuladen")
    context.close()


def test_a_stolen_cookie_is_useless_after_sign_out(server, browser):
    """Sign-out ends the session on the server, not only in this browser."""
    first = browser.new_context(locale="de-DE")
    tab = first.new_page()
    sign_in(tab, server.url)
    stolen = session_cookie(first)
    tab.locator('[data-testid="stSidebar"]').get_by_role("button", name="Abmelden").click()
    tab.locator('[data-testid="stSidebar"] [data-testid="stForm"]').wait_for(timeout=60_000)
    thief = browser.new_context(locale="de-DE")
    thief.add_cookies([{k: stolen[k] for k in ("name", "value", "domain", "path", "httpOnly", "sameSite")}])
    other = thief.new_page()
    other.goto(f"{server.url}/daten_hochladen")
    assert_refused(other)
    first.close()
    thief.close()


def test_a_wrong_password_is_refused_in_german(server, page):
    page.goto(server.url)
    form = page.locator('[data-testid="stSidebar"] [data-testid="stForm"]')
    form.get_by_label("Name").fill("niemand")
    form.get_by_label("Passwort").fill(STAFF_PASSWORD)
    form.get_by_role("button", name="Anmelden").click()
    page.get_by_text("Anmeldung fehlgeschlagen: Name oder Passwort stimmen nicht.").wait_for(timeout=60_000)
    assert not session_cookie(page.context)


def test_an_unexpected_error_shows_a_german_message_with_a_number_and_no_traceback(page, tmp_path):
    log = tmp_path / "server.log"
    with running_server(tmp_path, script="tests/e2e/fehlerprobe.py", log=log) as probe:
        page.goto(probe.url)
        message = page.get_by_text("unerwarteter Fehler aufgetreten")
        message.wait_for(timeout=60_000)
        wait_until_rendered(page)
        screenshot(page, "fehler_mit_nummer")
        number = re.search(r"Fehlernummer ([0-9a-f]{8})\)", message.inner_text()).group(1)
        body = page.locator("body").inner_text()
        assert "RuntimeError" not in body and "geheimer Pfad" not in body and "Traceback" not in body
    logged = log.read_text(encoding="utf-8")
    assert f"Fehlernummer {number}" in logged and "Traceback" in logged and "geheimer Pfad" in logged
