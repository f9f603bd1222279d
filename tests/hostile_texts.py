"""Staff texts that Markdown, HTML or a spreadsheet would turn into an image, a link, an icon or a formula,
stored where staff write (issue 29, point 7): measures, Einordnungen, targets' decision and source, Kennzahl
name, definition and source, and the Zielsystem. Shared by the browser test of outside requests and the
plain-text audit of report and exports."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from controlling.db import Store
from controlling.intake import commit, prepare

OUTSIDE = "evil.example"
FORMULA = f'=HYPERLINK("https://{OUTSIDE}/formel","klick")'
HOSTILE = (
    f"<img src='https://{OUTSIDE}/html.png'> ![Bild](https://{OUTSIDE}/md.png) [Link](https://{OUTSIDE}/link) "
    f"<https://{OUTSIDE}/autolink> https://{OUTSIDE}/bare.png www.{OUTSIDE} :material/home: :rocket: :red[rot] "
    f"[Verweis][1] $x^2$\n\n[1]: https://{OUTSIDE}/ref.png"
)
# A Kennzahlen file as staff upload it: its check refuses Markdown links and images, not the rest.
KENNZAHLEN = (
    "kennzahl;bezeichnung;handlungsfeld;einheit;richtung;aggregation;nachkommastellen;definition;quelle\n"
    f"KTX-90;Zuzüge <img src='https://{OUTSIDE}/name.png'> :rocket:;Kontext;Anzahl;neutral;summe;0;"
    f"{FORMULA} <https://{OUTSIDE}/def> www.{OUTSIDE} :material/home:;@SUMME(1) https://{OUTSIDE}/quelle.png\n"
)


def store_hostile_texts(store: Store) -> None:
    """Write the hostile texts into a store that holds the demo data."""
    year = int(store.values.reporting_year() or dt.date.today().year)
    text = f"{FORMULA} {HOSTILE}"
    comments = pd.DataFrame({"indicator": ["BIL-01"], "area": ["03157"], "year": [year], "text": [text]})
    store.notes.add_comments(comments, user="referat.test")
    fields = {name: text for name in ("title", "description", "carrier", "responsible", "funding")}
    store.measures.add(
        {**fields, "status": "laufend", "due_date": dt.date(2020, 1, 1)},  # overdue: in the report too
        indicators=["BIL-01"],
        areas=["03157"],
        user="referat.test",
    )
    target = {"indicator": "BIL-01", "area": "03157", "target_year": 2030, "target_value": 40.0, "baseline_year": 2020}
    hostile = {"decision": text, "source": text, "body": text, "vorlage": text, "valid_from": dt.date(2024, 1, 1)}
    store.targets.add(pd.DataFrame([{**target, **hostile}]), user="referat.test")
    preview = prepare(store, "kennzahlen.csv", KENNZAHLEN.encode())
    assert not preview.problem_list(), preview.problem_list()
    commit(store, preview, user="referat.test")
    tree, links = store.goals.tree(), store.goals.links()
    tree.loc[tree.index[:3], "title"] = text
    tree.loc[tree.index[:3], "text"] = text
    store.goals.replace(tree, links, user="referat.test")
