"""The number rules of a staged file's cells (DESIGN §5.1, §5.4): special values, quality letters,
thousands separators, and the one decimal mark of the whole file. tabular.parse_number_array gives the same
answers (tests/store/test_number_rules.py)."""

from __future__ import annotations

# Whitespace a cell is trimmed of (Python's strip() would take a few more exotic ones).
TRIM = "' \t\n\x0b\x0c\r\xa0'"  # a literal holding these characters (not an expression per row)
_SPECIAL_VALUE_LIST = ("-", ".", "...", "/", "x", "()", "*")
FLAGS = "('-', '.', '...', '/', 'x', '()', '*', 'e', 'p', 'r', 's')"


CELL_COLUMNS = ("value", "numerator", "denominator")


# The decimal mark of the whole file (tabular.DECIMAL_*), a column `decimal_mark` of every staged row.
_POINT_GROUPS = "'[-+]?\\d{1,3}(\\.\\d{3})+(,\\d*)?'"  # 1.234 or 1.234,5: points group thousands
_COMMA_GROUPS = "'[-+]?\\d{1,3}(,\\d{3})+(\\.\\d*)?'"  # 1,234 or 1,234.5: commas group thousands
_NUMERIC = "'[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?'"


def _cast_number(text: str) -> str:
    """`text` cast to a number as written plainly under the file's decimal mark (1234, 12.5 in a file of
    points, 12,5 in a file of commas, 1e5, ASCII blanks around), else NULL.

    DuckDB's cast also takes 1_000, nan, inf and +-0: _plain_number leaves those to the full rules.
    """
    return f"""TRY_CAST(CASE
        WHEN decimal_mark = ',' THEN CASE WHEN NOT contains({text}, '.') THEN replace({text}, ',', '.') END
        WHEN decimal_mark = '.' THEN CASE WHEN NOT contains({text}, ',') THEN {text} END
        WHEN NOT contains({text}, '.') AND NOT contains({text}, ',') THEN {text} END AS DOUBLE)"""


def _plain_number(text: str, cast: str) -> str:
    """The cast number when the text is plain (see _cast_number), else NULL."""
    return f"CASE WHEN isfinite({cast}) AND NOT contains({text}, '_') AND NOT contains({text}, '+-') THEN {cast} END"


def _numeric(text: str) -> str:
    return f"CASE WHEN regexp_full_match({text}, {_NUMERIC}) THEN CAST({text} AS DOUBLE) END"


def comma_reading(clean: str) -> str:
    """A cleaned number text (no blanks) read with a decimal comma: points may only group thousands."""
    text = f"""replace(CASE WHEN regexp_full_match({clean}, {_POINT_GROUPS}) THEN replace({clean}, '.', '')
                            WHEN NOT contains({clean}, '.') THEN {clean} END, ',', '.')"""
    return _numeric(text)


def point_reading(clean: str) -> str:
    """A cleaned number text read with a decimal point: commas may only group thousands."""
    text = f"""CASE WHEN regexp_full_match({clean}, {_COMMA_GROUPS}) THEN replace({clean}, ',', '')
                    WHEN NOT contains({clean}, ',') THEN {clean} END"""
    return _numeric(text)


def clean_text(text: str) -> str:
    """Blanks and apostrophes inside a number are thousands separators: taken out before reading."""
    return f"regexp_replace({text}, '[\\s\\x{{00a0}}'']', '', 'g')"


def cell_steps(c: str) -> tuple[str, ...]:
    """Projections turning the raw cell column `c` into c_number, c_flag, c_empty and c_skip (DESIGN §5.4).

    Most cells are plain numbers: the first step casts them as they are, and every later step passes
    them through at once (a CASE evaluates a branch only for the rows it selects). Only the rest is
    trimmed and goes through the full rules: special values and "(…)" are flags, a trailing quality
    letter is split off, thousands separators are read under the file's decimal mark (`decimal_mark`).
    Where the file decides no mark, a text the two readings disagree on (1.500) is c_ambiguous; where it
    writes both marks, a text only one reading takes is c_mixed. The rules follow tabular.parse_number_array
    (a test holds both to the same answers).
    """
    t = f"{c}_t"
    # Equalities, not IN: DuckDB plans an IN list as a join per use.
    special = "(" + " OR ".join(f"{t} = '{value}'" for value in _SPECIAL_VALUE_LIST) + ")"
    # CASE, not AND: DuckDB evaluates both sides of an AND, but a THEN only for the rows it selects.
    bracketed = (
        f"(CASE WHEN starts_with({t}, '(') THEN regexp_full_match({t}, '\\(\\s*[-\\d.,\\s]*\\)') ELSE FALSE END)"
    )
    lettered = (
        f"(CASE WHEN suffix({t}, 'e') OR suffix({t}, 'p') OR suffix({t}, 'r') OR suffix({t}, 's') "
        f"THEN NOT ({special}) AND regexp_matches({t}, '\\d\\s*[eprs]$') ELSE FALSE END)"
    )
    cast = f"{_cast_number(c)} AS {c}_cast"
    plain = f"{_plain_number(c, f'{c}_cast')} AS {c}_plain"
    trimmed = f"CASE WHEN {c}_plain IS NULL THEN trim({c}, {TRIM}) END AS {t}"
    marks = f"""
        coalesce({t} = '', FALSE) AS {c}_empty,
        CASE WHEN {t} IS NULL THEN FALSE ELSE ({special} OR {bracketed} OR {t} = '') END AS {c}_skip,
        CASE WHEN {t} IS NULL THEN NULL WHEN {special} THEN {t} WHEN {bracketed} THEN '()'
             WHEN {lettered} THEN right({t}, 1) END AS {c}_flag,
        CASE WHEN {t} IS NULL THEN NULL WHEN {lettered} THEN regexp_replace({t}, '\\s*[eprs]$', '') ELSE {t} END
            AS {c}_text"""
    text = f"{c}_text"
    # A cell with a quality letter may be plain once the letter is off.
    unlettered = f"""
        CASE WHEN {c}_plain IS NOT NULL THEN {c}_plain
             WHEN NOT {c}_skip THEN {_plain_number(text, _cast_number(text))} END AS {c}_unlettered"""
    clean = f"{c}_clean"
    spaced = f"CASE WHEN NOT {c}_skip AND {c}_unlettered IS NULL THEN {clean_text(text)} END AS {clean}"
    readings = f"""
        CASE WHEN {clean} IS NOT NULL THEN {comma_reading(clean)} END AS {c}_comma,
        CASE WHEN {clean} IS NOT NULL THEN {point_reading(clean)} END AS {c}_point"""
    number = f"""
        CASE WHEN {c}_unlettered IS NOT NULL THEN {c}_unlettered
             WHEN {c}_skip THEN NULL
             WHEN decimal_mark = ',' THEN {c}_comma
             WHEN decimal_mark = '.' THEN {c}_point
             WHEN {c}_comma = {c}_point THEN {c}_comma END AS {c}_number,
        coalesce(decimal_mark = '' AND {c}_comma <> {c}_point, FALSE) AS {c}_ambiguous,
        coalesce(decimal_mark = '?' AND {c}_unlettered IS NULL AND NOT {c}_skip
                 AND ({c}_comma IS NOT NULL OR {c}_point IS NOT NULL)
                 AND {c}_comma IS DISTINCT FROM {c}_point, FALSE) AS {c}_mixed"""
    return cast, plain, trimmed, marks, unlettered, spaced, readings, number


def cell_projection(step: int) -> str:
    return ",".join(cell_steps(c)[step] for c in CELL_COLUMNS)


def unlettered(cell: str) -> str:
    """A raw cell trimmed and without a quality letter after its number (12,5 p), as cell_steps reads it."""
    return f"regexp_replace(trim({cell}, {TRIM}), '(\\d)\\s*[eprs]$', '\\1')"


def raw_readings() -> str:
    """Both readings of each raw cell (c_comma, c_point), for the few rejected rows a problem report names."""
    parts = []
    for c in CELL_COLUMNS:
        clean = clean_text(unlettered(f"r.{c}"))
        parts += [f"{comma_reading(clean)} AS {c}_comma", f"{point_reading(clean)} AS {c}_point"]
    return ", ".join(parts).replace("{", "{{").replace("}", "}}")  # PROBLEMS_SQL is formatted once more
