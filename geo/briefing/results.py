"""A briefing computed once: typed results per event, range request and reported impact.

Every writer (maps, images, layers, report) takes a :class:`Briefing`; the verdicts are the
objects :mod:`geo.core.verdicts` returns. :func:`report_record` is the one place that turns
the results into the JSON of ``report.json``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from geo.briefing.compose import DrawnRange
from geo.briefing.records import (
    AreaCountryRecord,
    DatasetRecord,
    EventRecord,
    ImpactRecord,
    PointRecord,
    RangeRecord,
    ReportRecord,
    TrackRecord,
    TrajectoryRecord,
    ZoneRecord,
)
from geo.briefing.scenario import EventSpec, ImpactSpec, Scenario
from geo.present.content import MapContent

if TYPE_CHECKING:
    from geo.core.ballistics import TrajectoryAnalysis
    from geo.core.impact import ReportedImpact
    from geo.core.track import GroundTrack
    from geo.core.verdicts import AreaExtent, AreaVerdict, PointVerdict


_V = TypeVar("_V", "AreaVerdict", "PointVerdict")


@dataclass(frozen=True)
class RangeResult:
    """One range or impact area of an event and its verdicts."""

    drawn: DrawnRange
    area: str
    """How verdicts name the area: 'KN-23 range area (600 km)', '400 km range area'..."""
    verdict: AreaVerdict
    """Overlaps and nearby zones, computed once, with one verdict per scenario country."""
    judged: bool
    """Whether the verdict judges countries (the scenario names some)."""

    @property
    def verdicts(self) -> tuple[AreaVerdict, ...]:
        """One view of :attr:`verdict` per country, each holding that country's verdict
        only (one, without a country verdict, when the scenario names none)."""
        return _per_country(self.verdict)

    @property
    def label(self) -> str:
        return self.drawn.area.label

    @property
    def range_km(self) -> float:
        return self.drawn.request.range_m / 1000.0

    @property
    def extent(self) -> AreaExtent:
        return self.drawn.extent


@dataclass(frozen=True)
class ImpactResult:
    """A reported impact, its uncertainty area and its verdicts (one per country)."""

    spec: ImpactSpec
    impact: ReportedImpact
    verdict: PointVerdict
    """Zones at the point, computed once, with one verdict per scenario country."""

    @property
    def verdicts(self) -> tuple[PointVerdict, ...]:
        """One view of :attr:`verdict` per country (as :attr:`RangeResult.verdicts`)."""
        return _per_country(self.verdict)


def _per_country(v: _V) -> tuple[_V, ...]:
    if len(v.verdicts) <= 1:
        return (v,)
    return tuple(dataclasses.replace(v, verdicts=[c]) for c in v.verdicts)


@dataclass(frozen=True)
class EventResult:
    spec: EventSpec
    ranges: tuple[RangeResult, ...] = ()
    impacts: tuple[ImpactResult, ...] = ()
    trajectory: TrajectoryAnalysis | None = None
    tracks: tuple[GroundTrack, ...] = ()
    """One ground track per reported impact, in order (geo.briefing.events)."""


@dataclass
class Briefing:
    """Everything a scenario asks for, computed once: map content and verdicts."""

    scenario: Scenario
    content: MapContent
    dataset: dict[str, Any]
    """The zone set's summary as verdicts state it (:func:`geo.core.verdicts.dataset_summary`)."""
    countries: tuple[str, ...] = ()
    events: tuple[EventResult, ...] = ()
    written: list[Path] = field(default_factory=list)

    @property
    def report(self) -> ReportRecord:
        """The verdict report as JSON data (see :func:`report_record`)."""
        return report_record(self)

    def to_geodataframe(self) -> Any:
        """Every feature of the briefing's map, one row each (see :mod:`geo.present.frames`)."""
        from geo.present.frames import content_to_geodataframe

        return content_to_geodataframe(self.content)

    def _repr_html_(self) -> str:
        """In a notebook: the briefing's offline page in an iframe."""
        from geo.present.notebook import map_html

        return map_html(self.content)

    def to_folium(self, offline: bool = False) -> Any:
        """The briefing's map as a ``folium.Map`` (see :mod:`geo.present.folium_map`)."""
        from geo.present.folium_map import to_folium

        return to_folium(self.content, offline=offline)


def _range_record(r: RangeResult) -> RangeRecord:
    zones = [cast("ZoneRecord", o.to_dict()) for o in r.verdict.overlaps]
    if not r.judged:
        return {"label": r.label, "area": r.area, "range_km": r.range_km, "zones": zones}
    return {
        "label": r.label,
        "area": r.area,
        "range_km": r.range_km,
        "countries": [cast("AreaCountryRecord", v.to_dict()) for v in r.verdict.verdicts],
        "zones": zones,
    }


def _impact_record(i: ImpactResult, track: GroundTrack | None) -> ImpactRecord:
    out: ImpactRecord = {
        "label": i.spec.label,
        "leg": i.impact.leg,
        "source": i.spec.source,
        "verdicts": [cast("PointRecord", v.to_dict()) for v in i.verdicts],
    }
    if track is not None:
        out["track"] = cast("TrackRecord", track.to_dict())
    return out


def _event_record(e: EventResult) -> EventRecord:
    ev = e.spec
    tracks: list[GroundTrack | None] = [*e.tracks]
    tracks += [None] * (len(e.impacts) - len(tracks))
    out: EventRecord = {
        "name": ev.name,
        "time": ev.time,
        "site": {"name": ev.site_name, "lat": ev.site.lat_deg, "lon": ev.site.lon_deg},
        "sources": list(ev.sources),
        "notes": ev.notes,
        "ranges": [_range_record(r) for r in e.ranges],
        "impacts": [_impact_record(i, t) for i, t in zip(e.impacts, tracks, strict=False)],
    }
    if ev.date:
        out["date"] = ev.date
    if not ev.launch_known:
        out["launch_known"] = False
    if e.trajectory is not None:
        out["trajectory"] = cast("TrajectoryRecord", dataclasses.asdict(e.trajectory))
    return out


def report_record(b: Briefing) -> ReportRecord:
    """The briefing's results as the JSON object of ``report.json``; the Markdown report is
    rendered from it, so both tell the same story."""
    return {
        "title": b.scenario.title,
        "subtitle": b.scenario.subtitle,
        "date": b.scenario.date,
        "scenario": str(b.scenario.path),
        "dataset": cast("DatasetRecord", b.dataset),
        "countries": list(b.countries),
        "events": [_event_record(e) for e in b.events],
        "attribution": b.content.attribution_lines(),
    }
