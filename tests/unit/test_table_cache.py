"""The process-wide table cache: bounded by bytes, keyed by data version, shared, never written through."""

from __future__ import annotations

import threading
import time

import numpy as np
import pandas as pd
import pytest

from controlling.table_cache import (
    MIB,
    CacheBudgetError,
    TableCache,
    configured_budget,
    hand_out,
    size_of,
)


def frame(rows: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"value": rng.random(rows), "area": [f"Gebiet {i}" for i in range(rows)]})


def fingerprint(table: pd.DataFrame) -> tuple[object, ...]:
    return (tuple(table.columns), tuple(map(str, table.dtypes)), int(pd.util.hash_pandas_object(table).sum()))


def test_a_frame_is_measured_with_its_strings():
    table = frame(10_000)
    assert size_of(table) == table.memory_usage(deep=True).sum()
    assert size_of(table) > 10_000 * 8 + 10_000 * len("Gebiet 1")
    assert size_of({"a": table, "b": table}) >= 2 * size_of(table)
    assert size_of(b"x" * MIB) >= MIB


def test_tables_beyond_the_byte_budget_are_dropped_least_recently_used_first():
    one = size_of(frame(20_000))
    cache = TableCache(budget=int(2.5 * one))
    for name in ("a", "b"):
        cache.get(("db", 1, name), lambda: frame(20_000))
    cache.get(("db", 1, "a"), lambda: pytest.fail("a is cached"))  # a is now the most recently used
    cache.get(("db", 1, "c"), lambda: frame(20_000))
    assert [key[2] for key in cache.held_keys()] == ["a", "c"]
    assert cache.used <= cache.budget
    assert cache.stats.evicted == 1


def test_the_budget_counts_bytes_not_entries():
    cache = TableCache(budget=size_of(frame(40_000)) + 5 * size_of(frame(100)))
    for index in range(10):
        cache.get(("db", 1, "klein", index), lambda: frame(100))
    assert len(cache.held_keys()) == 10
    cache.get(("db", 1, "gross"), lambda: frame(40_000))  # half the small ones must go
    assert cache.used <= cache.budget
    assert ("db", 1, "gross") in cache.held_keys()
    assert len(cache.held_keys()) == 6


def test_a_table_larger_than_the_whole_budget_is_handed_out_but_not_kept():
    cache = TableCache(budget=size_of(frame(1_000)))
    assert len(cache.get(("db", 1, "gross"), lambda: frame(50_000))) == 50_000
    assert cache.held_keys() == []
    assert cache.stats.too_large == 1


def test_tables_are_keyed_by_data_version_and_a_newer_version_drops_the_older_ones():
    cache = TableCache(budget=100 * MIB)
    calls: list[int] = []

    def compute(version: int) -> pd.DataFrame:
        calls.append(version)
        return frame(100, seed=version)

    for _ in range(3):
        cache.get(("db", 7, "status", 2024), lambda: compute(7))
    assert calls == [7]
    cache.get(("andere.duckdb", 1, "status", 2024), lambda: compute(1))
    cache.get(("db", 8, "status", 2024), lambda: compute(8))
    assert calls == [7, 1, 8]
    assert sorted(cache.held_keys()) == [("andere.duckdb", 1, "status", 2024), ("db", 8, "status", 2024)]


def test_a_table_asked_for_by_many_sessions_at_once_is_computed_once_and_shared():
    cache = TableCache(budget=100 * MIB)
    calls: list[int] = []

    def slow() -> pd.DataFrame:
        calls.append(1)
        time.sleep(0.2)
        return frame(1_000)

    results: list[pd.DataFrame] = []
    threads = [threading.Thread(target=lambda: results.append(cache.get(("db", 1, "status"), slow))) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == [1]
    assert len(results) == 6
    assert all(result.equals(results[0]) for result in results)
    assert cache.stats.misses == 1 and cache.stats.hits == 5


def test_large_tables_are_computed_one_at_a_time_but_small_lookups_do_not_wait():
    cache = TableCache(budget=100 * MIB)
    running, most = [0], [0]
    lock = threading.Lock()
    computing, release = threading.Event(), threading.Event()

    def heavy() -> pd.DataFrame:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        computing.set()
        release.wait(timeout=30)  # held until the small lookup below has its answer
        with lock:
            running[0] -= 1
        return frame(100)

    threads = [threading.Thread(target=cache.get, args=(("db", 1, "status", year), heavy)) for year in range(5)]
    for thread in threads:
        thread.start()
    assert computing.wait(timeout=30)  # a large table is being computed …
    # … and a small lookup is answered meanwhile: queued behind it, it would still wait when the join gives up.
    answers: list[list[int]] = []
    lookup = threading.Thread(
        target=lambda: answers.append(cache.get(("db", 1, "years"), lambda: [2024, 2023], exclusive=False))
    )
    lookup.start()
    lookup.join(timeout=10)
    release.set()
    assert answers == [[2024, 2023]]
    for thread in threads:
        thread.join()
    assert most[0] == 1
    assert len(cache.held_keys()) == 6


def test_what_a_caller_does_to_a_handed_out_frame_never_reaches_the_cache():
    cache = TableCache(budget=100 * MIB)
    key = ("db", 1, "status")
    cache.get(key, lambda: frame(100))
    before = fingerprint(cache.peek(key))

    table = cache.get(key, lambda: pytest.fail("cached"))
    table["neu"] = 1
    table.loc[0, "value"] = -1.0
    table.iloc[1, 1] = "verändert"
    table["area"] = table["area"].str.upper()
    table.columns = ["x", "y", "neu"]
    other = cache.get(key, lambda: pytest.fail("cached"))
    other.index = range(100, 200)
    other.sort_values("value")
    with pytest.raises(ValueError):
        other["value"].to_numpy()[0] = 5.0  # the numbers themselves are read-only

    assert fingerprint(cache.peek(key)) == before
    assert fingerprint(cache.get(key, lambda: pytest.fail("cached"))) == before


def test_handing_out_the_cached_frame_itself_would_be_caught():
    """The check above is not empty: without hand_out, a caller's write reaches the next visitor."""
    cached = frame(100)
    before = fingerprint(cached)
    cached["neu"] = 1
    assert fingerprint(cached) != before
    shared = frame(100)
    copy = hand_out(shared)
    copy["neu"] = 1
    assert fingerprint(shared) == before


def test_dicts_and_lists_are_handed_out_as_new_containers():
    cache = TableCache(budget=100 * MIB)
    reference = cache.get(("db", 1, "reference"), lambda: {"areas": frame(10)}, exclusive=False)
    reference["areas"]["neu"] = 1
    reference["fields"] = frame(1)
    years = cache.get(("db", 1, "years"), lambda: [2024, 2023], exclusive=False)
    years.append(1990)
    assert list(cache.peek(("db", 1, "reference"))) == ["areas"]
    assert "neu" not in cache.peek(("db", 1, "reference"))["areas"].columns
    assert cache.peek(("db", 1, "years")) == [2024, 2023]


def test_the_budget_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("CONTROLLING_CACHE_MB", raising=False)
    assert configured_budget() == 1024 * MIB
    monkeypatch.setenv("CONTROLLING_CACHE_MB", "256")
    assert configured_budget() == 256 * MIB
    monkeypatch.setenv("CONTROLLING_CACHE_MB", "0,5")
    assert configured_budget() == MIB // 2
    for wrong in ("viel", "0", "-3"):
        monkeypatch.setenv("CONTROLLING_CACHE_MB", wrong)
        with pytest.raises(CacheBudgetError, match=f"positive Zahl von Megabyte sein .*»{wrong}«"):
            configured_budget()
