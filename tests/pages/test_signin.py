"""Sign-in in the page and the two routes that set and clear the session cookie (issue 16)."""

from __future__ import annotations

import ast
import logging
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from starlette.requests import Request
from streamlit.testing.v1 import AppTest

from controlling import auth, websession
from controlling.bootstrap import initialize
from controlling.db import Store
from controlling.ui import routes
from controlling.ui.session import _opened_store
from controlling.ui.signin import SignedIn

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "ein-langes-Passwort"
TICKET = re.compile(r"/anmeldung/abschliessen\?ticket=([A-Za-z0-9_-]+)&ziel=")


@pytest.fixture
def database(tmp_path, monkeypatch) -> Path:
    """A database with one staff account, made before the app opens it."""
    path = tmp_path / "anmeldung.duckdb"
    store = Store(path)
    initialize(store, demo=False)
    auth.add_account(store, "anna", "referat", PASSWORD, by="test")
    store.close()
    monkeypatch.setenv("CONTROLLING_DB", str(path))
    monkeypatch.chdir(ROOT)
    return path


def staff_page_anonymous() -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "daten_hochladen.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def test_an_anonymous_visitor_of_a_staff_page_gets_the_german_refusal_with_the_sign_in(database):
    at = staff_page_anonymous()
    assert [e.value for e in at.error] == [
        "Diese Seite ist dem Referat Migration und Teilhabe vorbehalten. Bitte melden Sie sich an."
    ]
    assert [t.label for t in at.main.text_input] == ["Name", "Passwort"]
    assert not at.get("file_uploader")


def test_a_valid_sign_in_sends_the_browser_to_the_route_with_a_one_time_ticket(database):
    at = staff_page_anonymous()
    at.main.text_input[0].input("anna")
    at.main.text_input[1].input(PASSWORD)
    at.main.button[0].click().run()
    assert not at.exception, at.exception
    script = " ".join(str(element.value) for element in at.get("html"))
    ticket = TICKET.search(script)
    assert ticket is not None, script
    assert "window.location.pathname + window.location.search" in script  # back to this page afterwards
    store = _opened_store(str(database)).store
    token = websession.redeem_ticket(store, ticket.group(1))
    assert token is not None and websession.find(store, token).name == "anna"
    assert store.signins.attempts()["outcome"].tolist() == ["angemeldet"]


def test_a_wrong_password_in_the_page_says_so_in_german_and_issues_no_ticket(database):
    at = staff_page_anonymous()
    at.main.text_input[0].input("anna")
    at.main.text_input[1].input("falsch-falsch-falsch")
    at.main.button[0].click().run()
    assert "Anmeldung fehlgeschlagen: Name oder Passwort stimmen nicht." in [e.value for e in at.error]
    assert not TICKET.search(" ".join(str(element.value) for element in at.get("html")))


def request(path: str, *, cookie: str = "", scheme: str = "http", forwarded: str = "", **query: str) -> Request:
    headers = [(b"cookie", cookie.encode())] if cookie else []
    if forwarded:
        headers.append((b"x-forwarded-proto", forwarded.encode()))
    return Request(
        {
            "type": "http",
            "method": "GET",
            "scheme": scheme,
            "server": ("127.0.0.1", 8501),
            "path": path,
            "query_string": urlencode(query).encode(),
            "headers": headers,
        }
    )


@pytest.fixture
def route_store(empty_store, monkeypatch) -> Store:
    auth.add_account(empty_store, "anna", "referat", PASSWORD, by="test")
    monkeypatch.setattr(routes, "store", lambda: empty_store)
    return empty_store


def test_the_route_exchanges_a_ticket_for_an_httponly_strict_cookie_and_returns_to_the_page(route_store):
    ticket = websession.issue_ticket(route_store, "anna")
    response = routes.finish_sign_in(request("/anmeldung/abschliessen", ticket=ticket, ziel="/ziele?kennzahl=BIL-01"))
    assert response.status_code == 303 and response.headers["location"] == "/ziele?kennzahl=BIL-01"
    cookie = response.headers["set-cookie"]
    token = re.match(r"controlling_sitzung=([A-Za-z0-9_-]+);", cookie).group(1)
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert "Max-Age=28800" in cookie and "Secure" not in cookie  # plain http on 127.0.0.1
    assert websession.find(route_store, token).name == "anna"
    again = routes.finish_sign_in(request("/anmeldung/abschliessen", ticket=ticket, ziel="/ziele"))
    assert "set-cookie" not in again.headers  # a ticket works once


def test_behind_tls_the_cookie_is_secure(route_store):
    ticket = websession.issue_ticket(route_store, "anna")
    response = routes.finish_sign_in(request("/anmeldung/abschliessen", forwarded="https", ticket=ticket, ziel="/"))
    assert "Secure" in response.headers["set-cookie"]


def test_the_route_never_sends_the_browser_to_another_host(route_store):
    response = routes.finish_sign_in(request("/anmeldung/abschliessen", ticket="falsch", ziel="//example.org/"))
    assert response.headers["location"] == "/" and "set-cookie" not in response.headers


def test_the_sign_out_route_ends_the_session_and_clears_the_cookie(route_store):
    token = websession.open_session(route_store, "anna")
    response = routes.sign_out(request("/abmelden", cookie=f"controlling_sitzung={token}", ziel="/daten_hochladen"))
    assert response.headers["location"] == "/daten_hochladen"
    assert 'controlling_sitzung=""' in response.headers["set-cookie"] and "Max-Age=0" in response.headers["set-cookie"]
    assert websession.find(route_store, token) is None


def test_an_unexpected_error_shows_a_german_message_with_a_number_and_logs_the_traceback(caplog):
    def page() -> None:
        from controlling.ui import routes

        try:
            raise RuntimeError("geheimer Pfad /srv/daten")
        except RuntimeError as error:
            routes.show_unexpected_error(error)

    at = AppTest.from_function(page)
    with caplog.at_level(logging.ERROR, logger="controlling"):
        at.run()
    message = at.error[0].value
    number = re.search(r"Fehlernummer ([0-9a-f]{8})\)", message)
    assert number is not None and "geheim" not in message and "RuntimeError" not in message
    record = next(r for r in caplog.records if number.group(1) in r.getMessage())
    assert record.exc_info is not None and "geheimer Pfad" in str(record.exc_info[1])


def test_streamlit_run_dashboard_serves_the_app_with_the_routes_and_the_error_page():
    """`streamlit run dashboard.py` (the README's command) finds `app` and serves it with uvicorn."""
    from streamlit.web.server.app_discovery import discover_asgi_app

    found = discover_asgi_app(ROOT / "dashboard.py")
    assert found.is_asgi_app and found.import_string == "dashboard:app"
    call = next(
        node
        for node in ast.walk(ast.parse((ROOT / "dashboard.py").read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "st.App"
    )
    keywords = {k.arg: ast.unparse(k.value) for k in call.keywords}
    assert keywords == {"routes": "routes.routes()", "on_script_error": "routes.show_unexpected_error"}


def test_a_new_sign_in_ends_the_session_its_cookie_replaces(route_store):
    old = websession.open_session(route_store, "anna")
    ticket = websession.issue_ticket(route_store, "anna")
    routes.finish_sign_in(request("/anmeldung/abschliessen", cookie=f"controlling_sitzung={old}", ticket=ticket))
    assert websession.find(route_store, old) is None and len(route_store.signins.sessions()) == 1


def test_a_sign_in_through_the_landkreis_provider_still_grants_the_claimed_role(database):
    """OpenID Connect keeps Streamlit's own cookie; the lasting session of built-in accounts does not get in its way."""
    at = AppTest.from_file(str(ROOT / "pages" / "daten_hochladen.py"), default_timeout=60)
    at.secrets["auth"] = {"redirect_uri": "https://controlling.example/oauth2callback", "cookie_secret": "x" * 32}
    at.user = {"is_logged_in": True, "email": "anna@landkreis.example", "roles": ["referat"]}
    at.run()
    assert not at.exception, at.exception
    assert not at.error and at.get("file_uploader")
    at.user = {"is_logged_in": True, "email": "ben@landkreis.example", "roles": ["betrachter"]}
    at.run()
    assert any("vorbehalten" in e.value for e in at.error) and not at.main.text_input  # signed in: no form


def test_a_signed_in_provider_on_a_staff_page_is_told_it_has_no_access_not_to_sign_in(database):
    """Issue 25, point 8: a provider read »Bitte melden Sie sich an« and found no form."""
    at = AppTest.from_file(str(ROOT / "pages" / "zielsystem.py"), default_timeout=60)
    at.session_state["_signed_in"] = SignedIn(name="jc", role="lieferant", via="konto")
    at.run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [
        "Diese Seite ist dem Referat Migration und Teilhabe vorbehalten; Ihr Konto »jc« hat keinen Zugang zu ihr. "
        "Die Seiten, die Sie nutzen können, stehen links in der Navigation."
    ]
    assert not at.main.text_input
