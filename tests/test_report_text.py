"""Wording of the report and of ``check``'s track lines: crossings along the track.

Review of main: "track overflies People's Republic of China's land from 0 to 0 km" (a launch
on a border), and report.md left out the EEZ crossings report.json lists.
"""

from __future__ import annotations

from typing import Any

import pytest

from geo.briefing.events import track_text
from geo.core.track import CROSSING_MIN_KM, crossing_span
from geo.present.report import _track_lines


@pytest.mark.parametrize(
    ("enter", "exit_", "text"),
    [
        (0.0, 0.0, None),
        (0.0, 0.4, None),
        (512.2, 512.6, None),
        (0.0, 12.3, "from launch to 12 km"),
        (0.3, 150.0, "from launch to 150 km"),
        (1262.0, 1288.4, "from 1,262 to 1,288 km"),
        (1262.0, 2689.4, "from 1,262 km to the impact"),
        (0.0, 2689.6, "from launch to impact"),
    ],
)
def test_crossing_span(enter: float, exit_: float, text: str | None) -> None:
    assert crossing_span(enter, exit_, 2689.6) == text


TRACK: Any = {
    "length_km": 1000.0,
    "overflies": [
        {"country": "People's Republic of China", "kind": "land", "enter_km": 0.0, "exit_km": 0.0},
        {"country": "North Korea", "kind": "land", "enter_km": 0.0, "exit_km": 150.2},
        {"country": "North Korea", "kind": "eez", "enter_km": 150.2, "exit_km": 300.0},
        {"country": "Russia", "kind": "eez", "enter_km": 400.0, "exit_km": 520.0},
        {"country": "Japan", "kind": "eez", "enter_km": 900.0, "exit_km": 1000.0},
    ],
}


def test_report_lists_every_crossing_but_zero_length_ones() -> None:
    lines = _track_lines(TRACK, ["Japan"])
    assert lines == [
        "- ground track (geodesic, Earth's rotation ignored): 1,000 km",
        "- track overflies North Korea's land from launch to 150 km",
        "- track overflies North Korea's EEZ from 150 to 300 km",
        "- track overflies Russia's EEZ from 400 to 520 km",
        "- track overflies Japan's EEZ from 900 km to the impact",
        "- track does not overfly Japan's land",
    ]
    assert not any("from 0 to 0 km" in ln or "China" in ln for ln in lines)


def test_a_country_grazed_for_less_than_the_minimum_is_not_overflown() -> None:
    lines = _track_lines(TRACK, ["People's Republic of China"])
    assert lines[-1] == "- track does not overfly People's Republic of China's land"
    text = track_text(TRACK, ["People's Republic of China"])
    assert text[-1] == "track does not overfly People's Republic of China's land"
    assert CROSSING_MIN_KM == 0.5


def test_check_text_uses_the_same_spans() -> None:
    text = track_text(TRACK, ["Japan"])
    assert "track overflies North Korea's land from launch to 150 km" in text
    assert "track overflies Japan's EEZ from 900 km to the impact" in text
    assert not any("from 0 to 0 km" in ln for ln in text)
