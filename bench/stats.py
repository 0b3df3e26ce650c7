"""Small statistics helpers for the benchmark figures."""

import statistics


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (fraction 0..1) of a non-empty list."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[rank]


def p50(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    return percentile(values, 0.95)


def print_figures(figures: dict[str, object], width: int) -> None:
    """The figures as a two-column table, names padded to width."""
    print(f"{'figure':<{width}} {'value':>10}")
    for name, value in figures.items():
        print(f"{name:<{width}} {value!s:>10}")
    print()
