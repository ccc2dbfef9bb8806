"""A chart's spec (marketplace/charts.py) is plain JSON data of a known kind, one value per category."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from marketplace import charts


def test_a_spec_is_json_data_with_numbers_and_gaps():
    spec = charts.spec(
        "line", ["2026-03-01", "2026-04-01"], [("最终得分", [Decimal("58.50"), None])], y_max=100
    )
    assert json.loads(json.dumps(spec)) == {
        "kind": "line",
        "categories": ["2026-03-01", "2026-04-01"],
        "series": [{"name": "最终得分", "data": [58.5, None]}],
        "y_max": 100,
    }


def test_a_spec_of_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="pie"):
        charts.spec("pie", ["a"], [("n", [1])])


def test_a_series_needs_one_value_per_category():
    with pytest.raises(ValueError, match="2 categories"):
        charts.spec("bar", ["a", "b"], [("n", [1])])
