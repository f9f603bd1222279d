"""The tests here run on both engines: the DuckDB file's and a PostgreSQL server's."""

from __future__ import annotations

# Random-input tests exercise the readers and checks, not the engine; on PostgreSQL their 750 examples
# would add minutes to the suite, so they run on DuckDB only.
ONE_ENGINE_MODULES = ("test_fuzz",)


def pytest_collection_modifyitems(config, items):
    """Deselect the PostgreSQL run of the random-input tests (reported as deselected)."""
    removed = [
        item
        for item in items
        if item.module.__name__.rsplit(".", 1)[-1] in ONE_ENGINE_MODULES
        and getattr(item, "callspec", None) is not None
        and item.callspec.params.get("engine") == "postgresql"
    ]
    if removed:
        config.hook.pytest_deselected(items=removed)
        items[:] = [item for item in items if item not in removed]
