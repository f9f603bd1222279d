"""Status tables kept per store and brought up to date by computing only the pairs a change touched (issue 30).

Beside each table the cache keeps what it was computed from (Values.status_sources: each intake's state, per
indicator a digest of its targets and of its catalogue row, a digest of all areas and of all fields). When the
table is asked for again, the sources are read anew (a few hundred small rows) and compared:
- nothing differs: the kept table is handed out;
- intakes were committed or undone: only the pairs their values can change (Values.affected_pairs) are
  computed again, from the values those pairs need; the cost does not grow with the other Gemeinden;
- an indicator's targets or catalogue row changed: that indicator's rows are computed again;
- areas or fields changed, or more than a quarter of the rows would be computed again: the whole table.
The recomputed rows replace the kept ones, in the table's order. The result equals a computation from scratch
(tests/unit/test_status_cache.py checks it after imports, undos, targets and catalogue changes).
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from controlling.db import Store

TABLES_PER_STORE = 8  # the years and views a process asks for; older ones are dropped first
WHOLE_SHARE = 0.25  # beyond this share of rows to compute again, the whole table is computed
Sources = dict[tuple[str, str], str]
# compute(areas, indicators): the status rows of these areas (None: all) and indicators (None: all)
Compute = Callable[[Sequence[str] | None, Sequence[str] | None], pd.DataFrame]


@dataclass(frozen=True)
class Kept:
    """A status table and what it was computed from."""

    sources: Sources
    table: pd.DataFrame


@dataclass(frozen=True)
class Change:
    """What differs between two sets of sources: everything, or these indicators and intakes."""

    everything: bool
    indicators: frozenset[str]
    intakes: tuple[int, ...]

    @property
    def nothing(self) -> bool:
        """True when the kept table is still right."""
        return not self.everything and not self.indicators and not self.intakes


def read_sources(store: Store) -> Sources:
    """The store's status sources as {(kind, key): digest}."""
    frame = store.values.status_sources()
    return dict(zip(zip(frame["kind"], frame["key"], strict=True), frame["digest"], strict=True))


def compare(old: Sources, new: Sources) -> Change:
    """The change from `old` to `new` sources."""
    differing = {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}
    kinds = {kind for kind, _ in differing}
    vanished_intakes = any(kind == "intake" and (kind, key) not in new for kind, key in differing)
    if kinds & {"area", "field"} or vanished_intakes:
        return Change(True, frozenset(), ())
    indicators = frozenset(key for kind, key in differing if kind in ("target", "indicator"))
    intakes = tuple(sorted(int(key) for kind, key in differing if kind == "intake"))
    return Change(False, indicators, intakes)


class StatusCache:
    """Status tables per store (weakly: a closed and dropped store takes its tables with it)."""

    def __init__(self) -> None:
        self._tables: weakref.WeakKeyDictionary[Store, OrderedDict[Hashable, Kept]] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()
        # How the last table asked for was made ("neu", "behalten", "teilweise", "ganz") and its rows computed.
        self.last: tuple[str, int] = ("neu", 0)

    def clear(self) -> None:
        """Forget every table."""
        with self._lock:
            self._tables.clear()

    def get(
        self,
        store: Store,
        key: Hashable,
        areas: Sequence[str] | None,
        compute: Compute,
        explain: Callable[[pd.DataFrame], pd.DataFrame],
    ) -> pd.DataFrame:
        """The status table for `key` (the areas asked for, or all), computed whole or brought up to date.

        `compute` gives the lights of some areas and indicators; `explain` adds what is shown beside them.
        """
        sources = read_sources(store)
        with self._lock:
            kept = self._tables.get(store, OrderedDict()).get(key)
        if kept is None:
            table = explain(compute(areas, None))
            self.last = ("neu", len(table))
        else:
            table = self._updated(store, kept, compare(kept.sources, sources), areas, compute, explain)
        with self._lock:
            tables = self._tables.setdefault(store, OrderedDict())
            tables[key] = Kept(sources, table)
            tables.move_to_end(key)
            while len(tables) > TABLES_PER_STORE:
                tables.popitem(last=False)
        return table.copy(deep=False)

    def _updated(
        self,
        store: Store,
        kept: Kept,
        change: Change,
        areas: Sequence[str] | None,
        compute: Compute,
        explain: Callable[[pd.DataFrame], pd.DataFrame],
    ) -> pd.DataFrame:
        self.last = ("ganz", len(kept.table))  # unless only some pairs are computed below
        if change.nothing:
            self.last = ("behalten", 0)
            return kept.table
        if change.everything:
            return explain(compute(areas, None))
        old = kept.table
        pairs = (
            store.values.affected_pairs(change.intakes)
            if change.intakes
            else pd.DataFrame({"indicator": pd.Series(dtype=object), "area": pd.Series(dtype=object)})
        )
        pairs = pairs.loc[~pairs["indicator"].isin(change.indicators)]
        if areas is not None:
            pairs = pairs.loc[pairs["area"].isin(areas)]
        pair_indicators, pair_areas = sorted(set(pairs["indicator"])), sorted(set(pairs["area"]))
        redone = old["indicator"].isin(change.indicators).to_numpy() | (
            old["indicator"].isin(pair_indicators).to_numpy() & old["area"].isin(pair_areas).to_numpy()
        )
        if redone.sum() > WHOLE_SHARE * len(old):
            return explain(compute(areas, None))
        parts = []
        if change.indicators:
            parts.append(explain(compute(areas, sorted(change.indicators))))
        if pair_indicators:
            parts.append(explain(compute(pair_areas, pair_indicators)))
        parts = [part for part in parts if len(part)]
        if any(not part.dtypes.equals(old.dtypes) for part in parts):
            return explain(compute(areas, None))  # a column typed otherwise in the part (e.g. all empty)
        self.last = ("teilweise", sum(len(part) for part in parts))
        new = _in_order(store, parts) if len(parts) > 1 else (parts[0] if parts else old.iloc[:0])
        return _replaced(store, old, redone, new)


def _replaced(store: Store, old: pd.DataFrame, redone: np.ndarray, new: pd.DataFrame) -> pd.DataFrame:
    """`old` with its `redone` rows replaced by `new`.

    Where the same pairs came back (values changed, none added or gone), each column that changed is copied once
    and the rows are written at their places; otherwise the rows are put together and sorted again.
    """
    positions = np.flatnonzero(redone)
    same_pairs = len(positions) == len(new) and all(
        np.array_equal(old[key].iloc[positions].to_numpy(dtype=object), new[key].to_numpy(dtype=object))
        for key in ("indicator", "area")
    )
    if not same_pairs:
        return _in_order(store, [old.loc[~redone], new])
    result = old.copy(deep=False)  # columns shared until written (copy on write)
    for name in old.columns:
        before, after = old[name].iloc[positions].reset_index(drop=True), new[name].reset_index(drop=True)
        if before.equals(after):
            continue  # names, codes, units: most columns of the pairs are as they were
        array = old[name].array.copy()
        array[positions] = after.array
        result[name] = array
    return result


def _in_order(store: Store, parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The rows in the status table's order: field, indicator, then areas from Land over Kreis to Gemeinde."""
    table = pd.concat(parts, ignore_index=True)
    fields = store.catalogue.fields().set_index("code")["sort_order"]
    indicators = store.catalogue.indicators(include_retired=True).set_index("code")["field"]
    field_order = table["indicator"].map(indicators).map(fields).to_numpy(dtype=float, na_value=np.nan)
    area = table["area"].astype(str)
    area_rank = pd.factorize(area, sort=True)[0]
    indicator_rank = pd.factorize(table["indicator"].astype(str), sort=True)[0]
    order = np.lexsort((area_rank, area.str.len().to_numpy(), indicator_rank, field_order))
    return table.take(order).reset_index(drop=True)


STATUS_CACHE = StatusCache()
