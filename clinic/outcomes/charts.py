"""Charts drawn on the server as SVG: no script, no network, the same on every screen and in a
screenshot. Each is role="img" with a <title> (its accessible name); the page puts the numbers
beside it in a table, so nothing is known only from the drawing."""

from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape

WIDTH, HEIGHT = 480, 200
LEFT, RIGHT, TOP, BOTTOM = 36, 12, 22, 40
# Urgency colours as the staff pages' badges use them (static/css/app.css).
SERIES_COLOURS = {"emergency": "#b00020", "urgent": "#c75000", "routine": "#1f5fa8",
                  "self_care": "#2e7d32"}
INK = "#1a1a1a"


def _open(title: str, chart_id: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
            f'role="img" aria-labelledby="{escape(chart_id)}-title" viewBox="0 0 {WIDTH} '
            f'{HEIGHT}" width="{WIDTH}" height="{HEIGHT}"><title id="{escape(chart_id)}-title">'
            f"{escape(title)}</title>")


def _axes(top_value: float) -> str:
    """The frame, with the top and zero values on the left."""
    base = HEIGHT - BOTTOM
    return (f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base}" stroke="{INK}"/>'
            f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" stroke="{INK}"/>'
            f'<text x="{LEFT - 4}" y="{TOP + 4}" text-anchor="end" font-size="11">'
            f"{_number(top_value)}</text>"
            f'<text x="{LEFT - 4}" y="{base}" text-anchor="end" font-size="11">0</text>')


def _number(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


def _y(value: float, top_value: float) -> float:
    span = HEIGHT - TOP - BOTTOM
    return round(HEIGHT - BOTTOM - span * (value / top_value if top_value else 0), 1)


def _label(x: float, text: str) -> str:
    return (f'<text x="{x}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="11">'
            f"{escape(text)}</text>")


def line_chart(title: str, chart_id: str, points: Sequence[tuple[str, float | None]],
               top_value: float = 10) -> Markup:
    """Values over time (a patient's PEG at each visit); a visit without a value is a gap."""
    svg = [_open(title, chart_id), _axes(top_value)]
    step = (WIDTH - LEFT - RIGHT) / max(1, len(points))
    drawn: list[tuple[float, float]] = []
    for index, (label, value) in enumerate(points):
        x = round(LEFT + step * (index + 0.5), 1)
        svg.append(_label(x, label))
        if value is None:
            continue
        y = _y(value, top_value)
        drawn.append((x, y))
        svg.append(f'<circle cx="{x}" cy="{y}" r="4" fill="{INK}"/>'
                   f'<text x="{x}" y="{y - 8}" text-anchor="middle" font-size="11">'
                   f"{_number(value)}</text>")
    if len(drawn) > 1:
        path = " ".join(f"{x},{y}" for x, y in drawn)
        svg.insert(2, f'<polyline points="{path}" fill="none" stroke="{INK}" stroke-width="2"/>')
    svg.append("</svg>")
    # Every text in it went through escape(); numbers and colours are ours.
    return Markup("".join(svg))  # noqa: S704  # nosec B704


def bar_chart(title: str, chart_id: str, bars: Sequence[tuple[str, float]]) -> Markup:
    """One bar per label (waits, handouts printed, changes in score)."""
    return stacked_bars(title, chart_id, [(label, {"value": value}) for label, value in bars],
                        ("value",))


def _legend(series: Sequence[str], names: Mapping[str, str]) -> str:
    """Each series' colour and name, along the top."""
    parts, x = [], LEFT + 8
    for name in series:
        label = names.get(name, name)
        parts.append(f'<rect x="{x}" y="2" width="10" height="10" '
                     f'fill="{SERIES_COLOURS.get(name, INK)}"/><text x="{x + 14}" y="11" '
                     f'font-size="11">{escape(label)}</text>')
        x += 24 + 7 * len(label)
    return "".join(parts)


def stacked_bars(title: str, chart_id: str, rows: Sequence[tuple[str, Mapping[str, float]]],
                 series: Sequence[str], names: Mapping[str, str] | None = None) -> Markup:
    """A bar per row, its series stacked in `series` order (intakes per day by urgency), with
    a legend when there are several. With many rows only some labels are written, so they stay
    readable; the table has them all."""
    top_value = max((sum(values.get(name, 0) for name in series) for _, values in rows),
                    default=0) or 1
    svg = [_open(title, chart_id), _axes(top_value)]
    if len(series) > 1:
        svg.append(_legend(series, names or {}))
    step = (WIDTH - LEFT - RIGHT) / max(1, len(rows))
    every = max(1, len(rows) // 8)
    for index, (label, values) in enumerate(rows):
        x = LEFT + step * index
        bottom = 0.0
        for name in series:
            value = values.get(name, 0)
            if value:
                y_top, y_bottom = _y(bottom + value, top_value), _y(bottom, top_value)
                svg.append(f'<rect x="{round(x + step * 0.1, 1)}" y="{y_top}" '
                           f'width="{round(step * 0.8, 1)}" height="{round(y_bottom - y_top, 1)}" '
                           f'fill="{SERIES_COLOURS.get(name, INK)}"/>')
                bottom += value
        if index % every == 0:
            svg.append(_label(round(x + step / 2, 1), label))
    svg.append("</svg>")
    # Every text in it went through escape(); numbers and colours are ours.
    return Markup("".join(svg))  # noqa: S704  # nosec B704
