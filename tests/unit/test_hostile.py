"""Hostile text in names and comments is shown as text, never run as HTML or script."""

from __future__ import annotations

import pandas as pd

from controlling.report import pdf as report
from controlling.ui import matrix_html

ATTACK = "<script>alert('x')</script><img src=x onerror=alert(1)>"


def test_matrix_html_escapes_names():
    matrix = pd.DataFrame({ATTACK: ["✖ 1"]}, index=[ATTACK])
    dominant = pd.DataFrame({ATTACK: ["rot"]}, index=[ATTACK])
    text = matrix_html(matrix, dominant)
    assert "<script>" not in text and "<img" not in text and "&lt;script&gt;" in text


def test_report_escapes_indicator_names_and_comments(demo_store):
    data = report.collect(demo_store)
    hostile = report.ReportData(
        **{
            **data.__dict__,
            "indicators": data.indicators.assign(name=ATTACK, definition=ATTACK),
            "status": data.status.assign(indicator_name=ATTACK, explanation=ATTACK),
            "comments": data.comments.assign(text=ATTACK),
        },
    )
    document = report.report_html(hostile)
    assert "<script>alert" not in document and "<img src=x" not in document
    assert document.count("&lt;script&gt;") > 10
