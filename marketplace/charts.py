"""Charts (图表), one mechanism for every page: the page hands a spec — data, never code — to the macro
``chart(id, spec, caption)`` in ``templates/_charts.html``, which writes it as JSON in a
``<script type="application/json">`` beside an empty container; ``static/js/charts.js`` finds the
containers and draws them with the vendored Apache ECharts (``static/vendor/echarts/``). Only a page
that shows a chart loads ECharts (``chart_scripts()`` in its ``scripts`` block). Every chart has a
table with the same numbers beside or under it, for screen readers and for people who want the numbers.

A spec: ``{"kind": "bar" | "line", "categories": [...], "series": [{"name": ..., "data": [...]}],
"y_max": number | None}``; a ``None`` in a series' data is a gap (a project with no score).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

KINDS = ("bar", "line")


def spec(
    kind: str,
    categories: Sequence[object],
    series: Sequence[tuple[object, Sequence[Decimal | int | float | None]]],
    *,
    y_max: int | float | None = None,
) -> dict:
    """A chart's spec; ``series`` are (name, one value per category) pairs."""
    if kind not in KINDS:
        raise ValueError(f"a chart is one of {KINDS}, not {kind!r}")
    for name, data in series:
        if len(data) != len(categories):
            raise ValueError(f"series {name!s} has {len(data)} values for {len(categories)} categories")
    return {
        "kind": kind,
        "categories": [str(category) for category in categories],
        "series": [
            {"name": str(name), "data": [None if value is None else float(value) for value in data]}
            for name, data in series
        ],
        "y_max": y_max,
    }
