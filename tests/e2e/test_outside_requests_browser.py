"""An anonymous visitor's browser asks nothing of any other host (issue 29, point 7).

Staff texts that Markdown or HTML would turn into images, links or icons (in measures, Einordnungen, targets'
decisions and sources, Kennzahl names, definitions and sources, and the Zielsystem) are stored; then an
anonymous visitor reads every public page where they show. Every request the browser makes is recorded:
none may leave 127.0.0.1.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from controlling.bootstrap import initialize
from controlling.db import Store
from tests.e2e.conftest import running_server, wait_until_rendered
from tests.hostile_texts import OUTSIDE, store_hostile_texts

PAGES = [
    "",
    "leitbild",
    "handlungsfeld?feld=BIL",
    "kennzahl?kennzahl=BIL-01",
    "kennzahl?kennzahl=KTX-90",
    "gemeinde?gebiet=03157006",
    "vergleich?kennzahl=BIL-01",
    "karte?kennzahl=BIL-01",
    "massnahmen",
    "bericht",
]


def _hostile_store(path) -> None:
    store = Store(path)
    try:
        initialize(store, demo=True)
        store_hostile_texts(store)
    finally:
        store.close()


def test_an_anonymous_visitor_reads_hostile_texts_without_a_request_elsewhere(browser, tmp_path):
    database = tmp_path / "feindlich.duckdb"
    _hostile_store(database)
    requests: list[str] = []
    with running_server(tmp_path, str(database)) as server:
        context = browser.new_context(viewport={"width": 1280, "height": 1800}, locale="de-DE")
        context.on("request", lambda request: requests.append(request.url))
        tab = context.new_page()
        shown = ""
        for path in PAGES:
            tab.goto(f"{server.url}/{path}")
            tab.get_by_role("heading").first.wait_for(timeout=60_000)
            wait_until_rendered(tab)
            assert not tab.locator('[data-testid="stException"]').count(), path
            live = tab.locator(f"a[href*='{OUTSIDE}'], img[src*='{OUTSIDE}']")
            assert not live.count(), (path, live.first.evaluate("e => e.outerHTML"))  # no live link to outside either
            shown += tab.inner_text("body").replace("\u2060", "")  # the invisible word joiners
        context.close()
    outside = sorted(
        {
            url
            for url in requests
            if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).hostname != "127.0.0.1"
        }
    )
    print(f"\n{len(requests)} Anfragen des Browsers auf {len(PAGES)} Seiten, davon außerhalb 127.0.0.1: {len(outside)}")
    assert outside == []
    assert len(requests) > len(PAGES)  # the recording worked
    assert f"<img src='https://{OUTSIDE}/name.png'>" in shown  # the texts were on the pages, as text
