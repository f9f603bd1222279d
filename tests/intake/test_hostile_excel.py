"""Hostile Excel workbooks (issue 29, point 4), kept as files in tests/intake/hostile/ (written by
benchmarks/hostile_workbooks.py): each refused with a German message naming the file (and the part of the
workbook where one is at fault), quickly and without touching the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.hostile_workbooks import HOSTILE_WORKBOOKS
from controlling.errors import InputRejectedError
from controlling.intake import prepare

HOSTILE = Path(__file__).parent / "hostile"
ENGLISH = ("Error", "error", "Traceback", "KeyError", "ParseError", "line ")


def test_every_hostile_workbook_is_a_file_with_its_message():
    assert sorted(p.name for p in HOSTILE.glob("*.xlsx")) == sorted(HOSTILE_WORKBOOKS)


# The largest (tens of MB of XML unpacked) belong to the full run: each takes seconds to be refused.
LARGE = 50_000
WORKBOOKS = [
    pytest.param(path, marks=pytest.mark.slow) if path.stat().st_size > LARGE else path
    for path in sorted(HOSTILE.glob("*.xlsx"))
]


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda path: path.name)
def test_hostile_workbook(reference_store, path):
    fragment = HOSTILE_WORKBOOKS[path.name][1]
    before = (reference_store.data_version(), len(reference_store.intakes.history()))
    try:
        preview = prepare(reference_store, path.name, path.read_bytes())
        problems = preview.problem_list()
    except InputRejectedError as error:
        problems = error.problems
    assert any(fragment in p.message for p in problems), [str(p) for p in problems]
    assert all(p.file == path.name for p in problems)
    assert not any(word in p.message for p in problems for word in ENGLISH)
    assert (reference_store.data_version(), len(reference_store.intakes.history())) == before
