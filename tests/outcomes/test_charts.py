"""The server-drawn charts are markup the pages trust: every text in them is escaped, and each
is an image with a title (its accessible name)."""

from clinic.outcomes.charts import bar_chart, line_chart, stacked_bars

HOSTILE = '<script>alert(1)</script>"&'


def test_every_text_in_a_chart_is_escaped() -> None:
    charts = [
        line_chart(HOSTILE, HOSTILE, [(HOSTILE, 8.0), (HOSTILE, None), ("Mar 3", 3.0)]),
        bar_chart(HOSTILE, "waits", [(HOSTILE, 2.5)]),
        stacked_bars(HOSTILE, "per-day", [(HOSTILE, {"emergency": 1, "urgent": 2})],
                     ("emergency", "urgent"), {"emergency": HOSTILE, "urgent": "Urgent"}),
    ]
    for chart in charts:
        assert "<script" not in chart and "&lt;script&gt;" in chart
        assert chart.startswith("<svg") and 'role="img"' in chart and "<title" in chart


def test_a_line_chart_joins_the_visits_with_a_value() -> None:
    chart = line_chart("PEG", "peg", [("Mar 3", 7.0), ("Apr 1", None), ("Today", 4.0)])
    assert chart.count("<circle") == 2 and chart.count("<polyline") == 1
    assert ">7<" in chart and ">4<" in chart
