"""The store checks value cells in SQL; its number rules must give what tabular.parse_number_array gives,
under each decimal mark a file can decide (comma, point, undecided, mixed)."""

from __future__ import annotations

import re

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from controlling.db import Store
from controlling.db.number_sql import CELL_COLUMNS, cell_steps
from controlling.intake.values import SPECIAL_VALUES
from controlling.tabular import DECIMAL_COMMA, DECIMAL_MIXED, DECIMAL_POINT, DECIMAL_UNDECIDED, parse_number_array

NUMBERISH = st.text(alphabet="0123456789.,-+eE '\u00a0_nafitxX", max_size=12)
SAMPLES = [
    "1234",
    "12,5",
    "12.5",
    "1.234",
    "1.234,5",
    "1,234.5",
    "1.234.567",
    "-0,5",
    "+.5",
    "5.",
    ",",
    ".",
    "1e5",
    "1,5e3",
    "e5",
    "1 234",
    "1'234",
    "1_000",
    "nan",
    "inf",
    "0x10",
    "--1",
    "1..5",
    "12,",
    " 7 ",
    "1,2,3",
    "1.500",
    "1,500",
    "12.500",
    "1,234,567",
    "1.234.567,5",
    "1,234,567.5",
]
MARKS = [DECIMAL_COMMA, DECIMAL_POINT, DECIMAL_UNDECIDED, DECIMAL_MIXED]


LETTERED = re.compile(r"\d\s*[eprs]$")  # a quality letter after a number: a flag, not part of it


@pytest.fixture(scope="module")
def memory_store():
    store = Store(":memory:")
    yield store
    store.close()


def sql_numbers(store, texts: list[str], mark: str) -> list[float | None]:
    """The number each text becomes in the store's check (cells that are not flags) in a file of `mark`."""
    sql = (
        "WITH s0 AS (SELECT unnest($texts) AS value, generate_subscripts($texts, 1) AS position, $mark AS decimal_mark)"
    )
    for step, projection in enumerate(cell_steps("value")):
        sql += f", s{step + 1} AS (SELECT *, {projection} FROM s{step})"
    sql += f" SELECT value_number FROM s{len(cell_steps('value'))} ORDER BY position"
    with store.transaction() as cursor:  # reads only
        return [row[0] for row in cursor.execute(sql, {"texts": texts, "mark": mark}).fetchall()]


def arrow_numbers(texts: list[str], mark: str) -> list[float | None]:
    return parse_number_array(pa.array(texts, type=pa.string()), mark).to_pylist()


def same(left: list[float | None], right: list[float | None]) -> bool:
    return all(
        (a is None and b is None) or (a is not None and b is not None and (a == b or abs(a - b) <= 1e-9 * abs(b)))
        for a, b in zip(left, right, strict=True)
    )


def test_the_three_cell_columns_are_checked_alike():
    assert CELL_COLUMNS == ("value", "numerator", "denominator")


@pytest.mark.parametrize("mark", MARKS)
def test_known_forms_agree(memory_store, mark):
    texts = [t.strip() for t in SAMPLES]
    assert same(sql_numbers(memory_store, texts, mark), arrow_numbers(texts, mark)), list(
        zip(texts, sql_numbers(memory_store, texts, mark), arrow_numbers(texts, mark), strict=True)
    )


@pytest.mark.parametrize(
    ("text", "mark", "number"),
    [
        ("1.500", DECIMAL_COMMA, 1500.0),
        ("1.500", DECIMAL_POINT, 1.5),
        ("1.500", DECIMAL_UNDECIDED, None),
        ("1,500", DECIMAL_COMMA, 1.5),
        ("1,500", DECIMAL_POINT, 1500.0),
        ("12,5", DECIMAL_POINT, None),
        ("12.5", DECIMAL_COMMA, None),
        ("1.234.567,5", DECIMAL_COMMA, 1234567.5),
        ("1,234,567", DECIMAL_POINT, 1234567.0),
        ("1234", DECIMAL_MIXED, 1234.0),
        ("12,5", DECIMAL_MIXED, None),
    ],
)
def test_one_rule_per_file(memory_store, text, mark, number):
    assert sql_numbers(memory_store, [text], mark) == arrow_numbers([text], mark) == [number]


@pytest.mark.slow  # 150 random examples
@settings(max_examples=150, deadline=None)
@given(st.lists(NUMBERISH, min_size=1, max_size=30), st.sampled_from(MARKS))
def test_random_number_texts_agree(memory_store, texts, mark):
    # Cells arrive trimmed; flags (special values, "(…)", quality letters) are split off before numbers.
    texts = [t.strip(" \u00a0") for t in texts]
    texts = [t for t in texts if t and t not in SPECIAL_VALUES and not LETTERED.search(t)]
    if texts:
        assert same(sql_numbers(memory_store, texts, mark), arrow_numbers(texts, mark)), list(
            zip(texts, sql_numbers(memory_store, texts, mark), arrow_numbers(texts, mark), strict=True)
        )
