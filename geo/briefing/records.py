"""The JSON of ``report.json``, typed: what :func:`geo.briefing.results.report_record`
writes and :func:`geo.present.report.report_markdown` reads.

Verdict parts are the ``to_dict()`` of :mod:`geo.core.verdicts` objects; only the fields
the Markdown report reads are declared for them (the JSON holds every field).
"""

from __future__ import annotations

from typing import NotRequired, TypedDict


class SiteRecord(TypedDict):
    name: str
    lat: float
    lon: float


class DatasetRecord(TypedDict):
    name: str
    version: NotRequired[str | None]
    modelled: bool
    kind: NotRequired[str]
    citation: NotRequired[str]
    licence: NotRequired[str]


class ZoneRecord(TypedDict):
    """A zone an area overlaps (``ZoneOverlap.to_dict()``)."""

    name: str
    pol_type: str
    territory: NotRequired[str]
    sovereign: NotRequired[str]
    claimants: NotRequired[list[str]]
    overlap_km2: float
    fraction_of_area: float
    distance_from_launch_km: float | None


class AreaCountryRecord(TypedDict):
    """One country's area verdict (``AreaCountryVerdict.to_dict()``)."""

    country: str
    summary: str


class CountryVerdictRecord(TypedDict):
    """One country's point verdict (``CountryVerdict.to_dict()``)."""

    country: str
    status: str
    margin_km: float
    p_inside: float
    note: NotRequired[str]


class ContainingRecord(TypedDict):
    name: str
    pol_type: str
    distance_to_boundary_km: float


class PointRecord(TypedDict):
    """A reported impact's point verdict for one country (``PointVerdict.to_dict()``)."""

    lat: float
    lon: float
    verdict: NotRequired[CountryVerdictRecord]
    containing: list[ContainingRecord]


class CrossingRecord(TypedDict):
    country: str
    kind: str  # land | eez
    enter_km: float
    exit_km: float
    near: NotRequired[str]


class TrackRecord(TypedDict):
    length_km: float
    overflies: list[CrossingRecord]


class ImpactRecord(TypedDict):
    label: str
    leg: str
    """How distance and bearing were read: "rhumb" (constant bearing) or "geodesic"."""
    source: str
    verdicts: list[PointRecord]
    track: NotRequired[TrackRecord]


class RangeRecord(TypedDict):
    label: str
    area: str
    range_km: float
    countries: NotRequired[list[AreaCountryRecord]]
    zones: list[ZoneRecord]


class TrajectoryRecord(TypedDict):
    """``TrajectoryAnalysis`` as a dict."""

    range_km: float
    apogee_km: float
    burnout_speed_km_s: float
    flight_path_angle_deg: float
    min_energy_angle_deg: float
    trajectory_class: str
    flight_time_min: float | None
    reported_flight_time_min: float | None
    flight_time_difference_min: float | None
    standard_range_km: float | None
    global_reach: bool


class EventRecord(TypedDict):
    name: str
    time: str
    site: SiteRecord
    sources: list[str]
    notes: str
    ranges: list[RangeRecord]
    impacts: list[ImpactRecord]
    trajectory: NotRequired[TrajectoryRecord]
    date: NotRequired[str]
    launch_known: NotRequired[bool]


class ReportRecord(TypedDict):
    title: str
    subtitle: str
    date: str
    scenario: str
    dataset: DatasetRecord
    countries: list[str]
    events: list[EventRecord]
    attribution: list[str]
