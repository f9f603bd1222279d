"""A process-wide cache of computed tables, bounded by bytes, that hands out copies nobody can write through.

Why not Streamlit's st.cache_data: it pickles a result on every hit (a 455 MiB status table on the
6.6-million-value store is copied and unpickled on each visit) and bounds entries by count, not size.
Here one object per process keeps each table once, measures it (DataFrame.memory_usage(deep=True)),
drops the least recently used tables beyond the byte budget, and computes misses one at a time, so two
visitors never build the same (or two different) large tables side by side.

Keys are tuples chosen by the caller: (scope, data version, kind, arguments …). A table of a newer data
version of a scope pushes out every table of older versions of that scope at once.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

import pandas as pd

from controlling.errors import ControllingError

T = TypeVar("T")
MIB = 2**20
DEFAULT_BUDGET_MB = 1024
BUDGET_ENV = "CONTROLLING_CACHE_MB"
LOG = logging.getLogger(__name__)


class CacheBudgetError(ControllingError):
    """The configured cache budget is not a positive number of megabytes."""


def configured_budget() -> int:
    """The cache budget in bytes (env CONTROLLING_CACHE_MB, default 1024 MiB)."""
    text = os.environ.get(BUDGET_ENV, "").strip() or str(DEFAULT_BUDGET_MB)
    try:
        megabytes = float(text.replace(",", "."))
    except ValueError:
        megabytes = -1.0
    if not megabytes > 0:
        raise CacheBudgetError(f"{BUDGET_ENV} muss eine positive Zahl von Megabyte sein (z. B. 1024), nicht »{text}«.")
    return int(megabytes * MIB)


def size_of(value: object) -> int:
    """Bytes a cached value holds: frames deep (strings included), containers by their items."""
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(deep=True).sum())
    if isinstance(value, pd.Series):
        return int(value.memory_usage(deep=True))
    if isinstance(value, bytes | bytearray | str):
        return sys.getsizeof(value)
    if isinstance(value, dict):
        return sys.getsizeof(value) + sum(size_of(k) + size_of(v) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return sys.getsizeof(value) + sum(size_of(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return sys.getsizeof(value) + sum(size_of(getattr(value, f.name)) for f in dataclasses.fields(value))
    return sys.getsizeof(value)


def hand_out(value: T) -> T:
    """A copy that shares the cached data but cannot change it.

    pandas 3 copies on write: a shallow copy shares the columns until either side writes, and then
    copies only what is written. So a caller may add columns, assign cells or rename, and the cached
    frame stays as computed; handing out the frame itself would let `frame["x"] = …` reach every visitor.
    """
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy(deep=False)  # type: ignore[return-value]
    if isinstance(value, dict):
        return {key: hand_out(item) for key, item in value.items()}  # type: ignore[return-value]
    if isinstance(value, list):
        return [hand_out(item) for item in value]  # type: ignore[return-value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        shared = {f.name: hand_out(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **shared)
    return value


@dataclass
class CacheStats:
    """What the cache did since the process started (for logs, tests and the memory benchmark)."""

    hits: int = 0
    misses: int = 0
    evicted: int = 0
    too_large: int = 0


class TableCache:
    """Least recently used tables up to a byte budget, shared by every session of the process."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.stats = CacheStats()
        self._entries: OrderedDict[tuple[Hashable, ...], tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()  # guards _entries; held only for bookkeeping, never while computing
        # One computation at a time in the whole process (re-entrant: a table may be built from another).
        self.work_lock = threading.RLock()

    @property
    def used(self) -> int:
        """Bytes held by the cached tables."""
        with self._lock:
            return sum(size for _, size in self._entries.values())

    def held_keys(self) -> list[tuple[Hashable, ...]]:
        """The cached keys, least recently used first."""
        with self._lock:
            return list(self._entries)

    def cached(self, key: tuple[Hashable, ...]) -> Any:
        """The value for `key` if it is cached (a copy, see hand_out), else None; never computes."""
        found = self._lookup(key)
        return None if found is None else hand_out(found[0])

    def peek(self, key: tuple[Hashable, ...]) -> Any:
        """The cached value itself (not a copy) or None: for tests that check nothing wrote to it."""
        with self._lock:
            entry = self._entries.get(key)
        return None if entry is None else entry[0]

    def clear(self) -> None:
        """Forget every table."""
        with self._lock:
            self._entries.clear()

    def get(self, key: tuple[Hashable, ...], compute: Callable[[], T], *, exclusive: bool = True) -> T:
        """The value for `key` (a copy, see hand_out); computed once on a miss.

        `exclusive`: compute under the process's work lock (for anything that can grow with the data);
        small lookups pass False so a page is not held up behind a large table or a report.
        """
        found = self._lookup(key)
        if found is not None:
            return hand_out(found[0])  # type: ignore[no-any-return]
        if not exclusive:
            return hand_out(self._store(key, compute()))
        with self.work_lock:
            found = self._lookup(key)  # another visitor may have built it while this one waited
            if found is not None:
                return hand_out(found[0])  # type: ignore[no-any-return]
            return hand_out(self._store(key, compute()))

    def _lookup(self, key: tuple[Hashable, ...]) -> tuple[Any, int] | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            self.stats.hits += 1
            return entry

    def _store(self, key: tuple[Hashable, ...], value: T) -> T:
        size = size_of(value)
        with self._lock:
            self.stats.misses += 1
            self._drop_older_versions(key)
            if size > self.budget:
                self.stats.too_large += 1
                LOG.warning("%s (%d MiB) ist größer als der ganze Zwischenspeicher: nicht behalten.", key, size // MIB)
                return value
            self._entries[key] = (value, size)
            self._entries.move_to_end(key)
            total = sum(held for _, held in self._entries.values())
            while total > self.budget:
                _, (_, dropped) = self._entries.popitem(last=False)
                total -= dropped
                self.stats.evicted += 1
        LOG.info("Zwischenspeicher: %s berechnet (%d MiB), belegt %d MiB", key[2:], size // MIB, total // MIB)
        return value

    def _drop_older_versions(self, key: tuple[Hashable, ...]) -> None:
        """Tables of an older data version of the same scope are never asked for again: drop them now."""
        if len(key) < 2 or not isinstance(key[1], int):
            return
        scope, version = key[0], key[1]
        stale = [k for k in self._entries if k[0] == scope and isinstance(k[1], int) and k[1] < version]
        for old in stale:
            del self._entries[old]
            self.stats.evicted += 1
