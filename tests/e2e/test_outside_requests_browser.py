"""An anonymous visitor's browser asks nothing of any other host (issue 29, point 7).

Staff texts that Markdown or HTML would turn into images, links or icons (in measures, Einordnungen, targets'
decisions and sources, Kennzahl names, definitions and sources, and the Zielsystem) are stored; then an
anonymous visitor reads every public page where they show. Every request the browser makes is recorded:
none may leave 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pandas as pd

from controlling.bootstrap import initialize
from controlling.db import Store
from controlling.intake import commit, prepare
from tests.e2e.conftest import running_server, wait_until_rendered

OUTSIDE = "evil.example"
HOSTILE = (
    f"<img src='https://{OUTSIDE}/html.png'> ![Bild](https://{OUTSIDE}/md.png) [Link](https://{OUTSIDE}/link) "
    f"<https://{OUTSIDE}/autolink> https://{OUTSIDE}/bare.png www.{OUTSIDE} :material/home: :rocket: :red[rot] "
    f"[Verweis][1] $x^2$\n\n[1]: https://{OUTSIDE}/ref.png"
)
# A Kennzahlen file as staff upload it: its check refuses Markdown links and images, not the rest.
KENNZAHLEN = (
    "kennzahl;bezeichnung;handlungsfeld;einheit;richtung;aggregation;nachkommastellen;definition;quelle\n"
    f"KTX-90;Zuzüge <img src='https://{OUTSIDE}/name.png'> :rocket:;Kontext;Anzahl;neutral;summe;0;"
    f"<https://{OUTSIDE}/def> www.{OUTSIDE} :material/home:;https://{OUTSIDE}/quelle.png\n"
)
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
        year = int(store.values.reporting_year() or dt.date.today().year)
        comments = pd.DataFrame({"indicator": ["BIL-01"], "area": ["03157"], "year": [year], "text": [HOSTILE]})
        store.notes.add_comments(comments, user="referat.test")
        store.measures.add(
            {
                "title": f"Maßnahme {HOSTILE}",
                "description": HOSTILE,
                "carrier": HOSTILE,
                "responsible": HOSTILE,
                "funding": HOSTILE,
                "status": "laufend",
            },
            indicators=["BIL-01"],
            areas=["03157"],
            user="referat.test",
        )
        target = pd.DataFrame(
            [
                {
                    "indicator": "BIL-01",
                    "area": "03157",
                    "target_year": 2030,
                    "target_value": 40.0,
                    "baseline_year": 2020,
                    "decision": HOSTILE,
                    "valid_from": dt.date(2024, 1, 1),
                    "source": HOSTILE,
                    "body": HOSTILE,
                    "vorlage": HOSTILE,
                }
            ]
        )
        store.targets.add(target, user="referat.test")
        preview = prepare(store, "kennzahlen.csv", KENNZAHLEN.encode())
        assert not preview.problem_list(), preview.problem_list()
        commit(store, preview, user="referat.test")
        tree, links = store.goals.tree(), store.goals.links()
        tree.loc[tree.index[:3], "title"] = "Ziel " + HOSTILE
        tree.loc[tree.index[:3], "text"] = HOSTILE
        store.goals.replace(tree, links, user="referat.test")
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
