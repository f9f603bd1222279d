"""Creating and opening the product's database: schema, reference data from data/, demo data."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from controlling.db import Store
from controlling.demo import load_demo
from controlling.goals.service import load_shipped_goals
from controlling.reference.areas import home_kreis, kreis_areas
from controlling.reference.shipped import DATA_DIR, load_reference

SYSTEM_USER = "System"


@dataclass(frozen=True)
class OpenedStore:
    """A ready store and what opening it did."""

    store: Store
    created: bool  # reference data was loaded just now
    demo_loaded: bool  # demo data was loaded just now


def configured_kreis() -> str | None:
    """The Kreis to set up on a first start (env CONTROLLING_KREIS); None: the hand-kept data/gebiete.csv (Peine)."""
    return os.environ.get("CONTROLLING_KREIS", "").strip() or None


def initialize(store: Store, *, demo: bool, data_dir: Path = DATA_DIR, kreis: str | None = None) -> bool:
    """Load the reference data into an empty store (and the demo data if asked); True if it loaded.

    `kreis` (an AGS like 03151) sets up that Kreis from the shipped areas of Germany; without it the areas are
    data/gebiete.csv. The goal system (data/leitbild.md, data/zielsystem.csv) is loaded once, also into a store
    made before it existed; after that it is the staff's to change.
    """
    if not store.catalogue.is_empty():
        home = home_kreis(store.catalogue.areas(), data_dir)
        load_shipped_goals(store, user=SYSTEM_USER, data_dir=data_dir, adapt=home.adapt)
        return False
    reference = load_reference(data_dir, areas=None if kreis is None else kreis_areas(kreis, data_dir))
    # The shipped catalogue and goal draft were written for Peine: another Kreis reads its own name in them.
    home = home_kreis(reference.areas, data_dir)
    indicators = reference.indicators.copy()
    for column in ("name", "definition", "source", "provider"):
        indicators[column] = home.adapt_column(indicators[column])
    store.catalogue.insert_reference(reference.fields, reference.areas, indicators, user=SYSTEM_USER)
    load_shipped_goals(store, user=SYSTEM_USER, data_dir=data_dir, adapt=home.adapt)
    if demo:
        load_demo(store)
    return True


def open_store(path: str | Path, *, demo_on_create: bool, kreis: str | None = None) -> OpenedStore:
    """Open (and migrate) the database; on first start fill it from data/ (or for `kreis`) and optionally demo data."""
    store = Store(path)
    with store.exclusive():  # two processes starting on one new PostgreSQL database fill it once
        created = initialize(store, demo=demo_on_create, kreis=kreis)
    return OpenedStore(store=store, created=created, demo_loaded=created and demo_on_create)
