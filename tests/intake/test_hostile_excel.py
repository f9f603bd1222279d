"""Hostile Excel workbooks (issue 29, point 4): each refused with a German message naming the file (and the
part of the workbook where one is at fault), quickly and without touching the store."""

from __future__ import annotations

import pytest

from controlling.errors import InputRejectedError
from controlling.intake import prepare
from tests.intake.hostile_workbooks import HOSTILE_WORKBOOKS

ENGLISH = ("Error", "error", "Traceback", "KeyError", "ParseError", "line ")


@pytest.mark.parametrize("name", sorted(HOSTILE_WORKBOOKS), ids=str)
def test_hostile_workbook(empty_store, name):
    build, fragment = HOSTILE_WORKBOOKS[name]
    before = (empty_store.data_version(), len(empty_store.intakes.history()))
    try:
        preview = prepare(empty_store, name, build())
        problems = preview.problem_list()
    except InputRejectedError as error:
        problems = error.problems
    assert any(fragment in p.message for p in problems), [str(p) for p in problems]
    assert all(p.file == name for p in problems)
    assert not any(word in p.message for p in problems for word in ENGLISH)
    assert (empty_store.data_version(), len(empty_store.intakes.history())) == before
