"""The roll-up rule of the goal tree and the Leitbild's plain Markdown subset (issue 14), input → expected."""

from __future__ import annotations

import pandas as pd
import pytest

from controlling.errors import InputRejectedError
from controlling.goals.files import check_leitbild, leitbild_html
from controlling.goals.tree import counts_text, goal_lights, rolled_up


@pytest.mark.parametrize(
    ("lights", "expected"),
    [
        (["gruen", "gelb", "rot", "grau"], "rot"),
        (["gruen", "gelb", "grau"], "gelb"),
        (["gruen", "grau", "grau"], "gruen"),
        (["grau", "grau"], "grau"),
        ([], "grau"),
    ],
)
def test_the_worst_rated_light_counts_and_grau_only_when_nothing_is_rated(lights, expected):
    assert rolled_up(pd.Series(lights, dtype=object)) == expected


def test_counts_are_said_in_words_without_the_lights_nobody_has():
    assert counts_text({"rot": 2, "gelb": 1, "gruen": 3, "grau": 1}) == (
        "2 × Rot, 1 × Gelb, 3 × Grün, 1 × ohne Bewertung"
    )
    assert counts_text({"rot": 0, "gelb": 0, "gruen": 2, "grau": 0}) == "2 × Grün"
    assert counts_text({}) == "keine Kennzahl"


def test_a_leitziel_rolls_up_the_kennzahlen_of_its_handlungsziele_each_once():
    goals = pd.DataFrame(
        {
            "code": ["L1", "L1-H1", "L1-H2", "L2"],
            "parent": [None, "L1", "L1", None],
            "kind": ["leitziel", "handlungsziel", "handlungsziel", "leitziel"],
        }
    )
    linked = pd.DataFrame(
        {
            "goal_code": ["L1-H1", "L1-H1", "L1-H2", "L1-H2"],
            "indicator": ["A", "B", "B", "C"],
            "light": ["gruen", "grau", "grau", "gelb"],
        }
    )
    lights = goal_lights(goals, linked)
    assert lights.loc["L1-H1", "light"] == "gruen"  # grau does not beat a rated light
    assert lights.loc["L1-H2", "light"] == "gelb"
    assert lights.loc["L1", "light"] == "gelb"
    assert lights.loc["L1", "counts"] == "1 × Gelb, 1 × Grün, 1 × ohne Bewertung"  # B counted once
    assert (lights.loc["L2", "light"], lights.loc["L2", "counts"]) == ("grau", "keine Kennzahl")


def test_the_leitbild_becomes_escaped_html_of_a_small_subset():
    text = "# Titel\n\nWir **wollen** *alle*.\n\n- eins\n- zwei & drei\n\n1. erstens\n\n> Entwurf"
    assert leitbild_html(text, heading=2) == (
        "<h2>Titel</h2>\n<p>Wir <strong>wollen</strong> <em>alle</em>.</p>\n<ul><li>eins</li><li>zwei &amp; drei</li>"
        "</ul>\n<ol><li>erstens</li></ol>\n<blockquote>Entwurf</blockquote>"
    )
    assert "&lt;b&gt;" in leitbild_html("a <b> b")  # never raw HTML, even if the check was skipped


@pytest.mark.parametrize("line", ["[hier](https://x.org)", "![Logo](https://x.org/a.png)", "<img src=x>", "</p>"])
def test_links_images_and_html_are_refused_with_the_line(line):
    with pytest.raises(InputRejectedError) as caught:
        check_leitbild(f"# Leitbild\n{line}", file="leitbild.md")
    assert caught.value.problems[0].line == 2


def test_a_comparison_sign_is_plain_text():
    assert check_leitbild("Quote < 5 % und 3 > 2", file="leitbild.md") == "Quote < 5 % und 3 > 2"
