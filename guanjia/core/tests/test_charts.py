"""The server-side SVG charts: well-formed, proportional, accessible, safe with any label."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from guanjia.core.charts import (
    Bar,
    Series,
    Target,
    bar_chart,
    nice_ceiling,
    shorten,
    text_width,
    ticks,
    trend_chart,
)

NS = "{http://www.w3.org/2000/svg}"


def _svg(markup: str) -> ET.Element:
    root = ET.fromstring(str(markup))  # noqa: S314  # our own markup; raises unless well-formed
    assert root.tag == f"{NS}svg"
    return root


def _bars(root: ET.Element) -> dict[str, float]:
    """Bar widths by label (the <title> of each bar is "label: value")."""
    return {
        rect.find(f"{NS}title").text.split(":")[0]: float(rect.get("width"))
        for rect in root.iter(f"{NS}rect")
        if rect.get("class") == "chart-bar"
    }


def _texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{NS}text")]


def test_a_bar_chart_is_accessible_scalable_xml():
    root = _svg(bar_chart("投诉处理率", [Bar("甲区", Decimal("95.0"), "(19/20)")]))
    assert root.get("role") == "img"
    assert root.get("aria-label") == "投诉处理率"
    assert root.find(f"{NS}title").text == "投诉处理率"
    assert "甲区: 95.0% (19/20)" in root.find(f"{NS}desc").text
    assert root.get("width") == "100%"
    assert root.get("viewBox").startswith("0 0 480 ")
    assert root.get("style") is None
    assert not list(root.iter(f"{NS}script"))


def test_bar_widths_are_proportional_to_the_values():
    root = _svg(bar_chart("x", [Bar("a", 80), Bar("b", 40), Bar("c", 0), Bar("d", 20)]))
    widths = _bars(root)
    assert widths["a"] == pytest.approx(2 * widths["b"], abs=0.1)
    assert widths["b"] == pytest.approx(2 * widths["d"], abs=0.1)
    assert widths["c"] == 0


def test_counts_scale_to_a_round_axis_end_and_values_are_written_on_the_bars():
    root = _svg(bar_chart("Hours", [Bar("a", 30), Bar("b", 15)], unit="", decimals=0))
    texts = _texts(root)
    assert "30" in texts
    assert "15" in texts
    assert texts[:6] == ["0", "10", "20", "30", "40", "50"]  # axis to nice_ceiling(30) = 50
    widths = _bars(root)
    assert widths["a"] == pytest.approx(2 * widths["b"], abs=0.1)


def test_a_target_line_marks_the_bars_that_miss_it():
    target = Target(Decimal("98"), "Target")
    root = _svg(bar_chart("On time", [Bar("a", 99), Bar("b", 90)], target=target))
    rows = {g.find(f"{NS}text").text: g.get("class") for g in root.iter(f"{NS}g")
            if "chart-row" in (g.get("class") or "")}  # fmt: skip
    assert rows == {"a": "chart-row", "b": "chart-row chart-missed"}
    assert "Target 98.0%" in _texts(root)
    most = Target(2, "Limit", "max")
    root = _svg(bar_chart("Rework", [Bar("a", 1), Bar("b", 3)], target=most, max_value=5))
    missed = [g for g in root.iter(f"{NS}g") if "chart-missed" in (g.get("class") or "")]
    assert [g.find(f"{NS}text").text for g in missed] == ["b"]


@pytest.mark.parametrize(
    "bars",
    [[], [Bar("a", None), Bar("b", None)]],
    ids=["no bars", "no denominators"],
)
def test_no_data_gives_an_empty_state_message(bars):
    root = _svg(bar_chart("Rate", bars, empty="Nothing yet"))
    assert "chart-empty" in root.get("class")
    assert _texts(root) == ["Nothing yet"]


def test_zero_counts_give_the_empty_state_not_a_division_by_zero():
    root = _svg(bar_chart("Received", [Bar("a", 0), Bar("b", 0)], unit="", decimals=0))
    assert _texts(root) == ["No data for this period."]
    root = _svg(trend_chart("Received", ["1", "2"], [Series("s", [0, 0])], unit="", decimals=0))
    assert "chart-empty" in root.get("class")


def test_a_zero_rate_is_data_and_is_drawn():
    root = _svg(bar_chart("Rate", [Bar("a", Decimal("0.0"), "(0/5)")]))
    assert "0.0% (0/5)" in _texts(root)
    assert _bars(root) == {"a": 0.0}


def test_labels_are_escaped():
    evil = '<script>alert("x")</script>'
    markup = str(bar_chart(evil, [Bar(evil, 50)]))
    assert "<script>" not in markup
    root = _svg(markup)
    assert root.get("aria-label") == evil
    assert any(evil[:10] in t for t in _texts(root))
    trend = str(trend_chart(evil, [evil], [Series(evil, [10])]))
    assert "<script>" not in trend
    _svg(trend)


def test_long_labels_are_shortened_with_the_full_label_kept_as_a_tooltip():
    long = "墙面天花及渗漏墙面天花及渗漏墙面天花及渗漏"
    root = _svg(bar_chart("x", [Bar(long, 10)]))
    label = root.find(f".//{NS}text[@class='chart-label']")
    assert label.text.endswith("…")
    assert len(label.text) < len(long)
    assert label.find(f"{NS}title").text == long


def test_a_trend_chart_draws_each_series_with_gaps_for_missing_months():
    labels = ["十二月\n2025", "一月\n2026", "二月", "三月"]
    root = _svg(trend_chart("趋势", labels, [Series("处理率", [50, None, 75, 100]),
                                             Series("及时率", [10, 20, 30, 40])]))  # fmt: skip
    assert root.get("role") == "img"
    lines = [
        [tuple(map(float, p.split(","))) for p in line.get("points").split()]
        for line in root.iter(f"{NS}polyline")
    ]
    assert [len(line) for line in lines] == [1, 2, 4]  # 50 | 75–100; the second unbroken
    base = float(root.find(f".//{NS}line[@class='chart-baseline']").get("y1"))
    # y is proportional to the value: 100 % twice as high above the base as 50 %, 75 % 1.5 ×
    [(_, y50)], [(_, y75), (_, y100)] = lines[0], lines[1]
    assert base - y100 == pytest.approx(2 * (base - y50), abs=0.1)
    assert base - y75 == pytest.approx(1.5 * (base - y50), abs=0.1)
    assert lines[2][0][0] < lines[2][1][0]  # months left to right
    texts = _texts(root)
    assert "处理率 100%" in texts  # the legend shows the last value
    assert "十二月2025" in texts  # the year on a second line (tspan)


def test_a_column_trend_writes_its_values():
    root = _svg(trend_chart("Received", ["1", "2"], [Series("s", [3, 6])], kind="column",
                            unit="", decimals=0))  # fmt: skip
    heights = [float(r.get("height")) for r in root.iter(f"{NS}rect") if r.find(f"{NS}title")
               is not None]  # fmt: skip
    assert heights[1] == pytest.approx(2 * heights[0], abs=0.1)
    assert {"3", "6"} <= set(_texts(root))


def test_helpers():
    assert nice_ceiling(0) == 1
    assert nice_ceiling(3) == 5
    assert nice_ceiling(30) == 50
    assert nice_ceiling(101) == 200
    assert ticks(100) == [0, 25, 50, 75, 100]
    assert ticks(5) == [0, 1, 2, 3, 4, 5]
    assert ticks(10, integer=True) == [0, 2, 4, 6, 8, 10]
    assert text_width("中文") > text_width("ab")
    assert shorten("abcdef", text_width("abc…")) == "abc…"
