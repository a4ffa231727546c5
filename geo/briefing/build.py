"""Compute a briefing from a scenario once: map content and verdicts (see
:mod:`geo.briefing.results`); :mod:`geo.briefing.write` writes it to every output."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from shapely.ops import unary_union

from geo.access.zones import Zones, load_land, load_zones
from geo.briefing.compose import (
    RangeRequest,
    area_name,
    draw_range,
    flown_request,
    impact_features,
    missile_requests,
    nearest_line_feature,
    notes_for,
    site_feature,
    zone_features,
)
from geo.briefing.results import Briefing, EventResult, ImpactResult, RangeResult
from geo.briefing.scenario import EventSpec, Scenario
from geo.core import verdicts
from geo.core.impact import reported_impact
from geo.present.content import MapContent, MapFeature

if TYPE_CHECKING:
    from geo.core.ballistics import TrajectoryAnalysis

__all__ = ["Briefing", "build_briefing", "write_briefing"]


def _requests(event: EventSpec) -> list[RangeRequest]:
    reqs = [RangeRequest(r, event.min_range_m, event.sector_deg) for r in event.ranges_m]
    if event.missiles:
        reqs += missile_requests(event.missiles)
    return reqs


def _standard_range(event: EventSpec) -> tuple[TrajectoryAnalysis | None, RangeRequest | None]:
    if event.apogee_m is None or event.flown_m is None:
        return None, None
    from geo.core.ballistics import analyse_flight

    a = analyse_flight(event.flown_m / 1000, event.apogee_m / 1000, event.flight_time_min)
    req = flown_request(event.flown_m, event.apogee_m)
    if not event.standard_range:  # opt-in: a globe-sized ring would hide a regional event
        return a, None
    # A standard range equal to the flown one adds nothing to the map.
    if a.standard_range_km is not None and abs(a.standard_range_km * 1000 - event.flown_m) < 20_000:
        return a, None
    return a, req


DATE_SEP = " · "


def dated_label(label: str, date: str, dated: bool) -> str:
    """'2022-03-24 · 150 km W of Oshima Peninsula' on a map of several days' impacts."""
    return f"{date}{DATE_SEP}{label}" if dated and date and not label.startswith(date) else label


def build_briefing(scenario: Scenario, zones: Zones | None = None) -> Briefing:
    """Everything a scenario asks for, computed once in memory: the map content and the
    verdicts of every event (no file is written)."""
    zones = zones if zones is not None else load_zones(scenario.eez)
    # "USA" and "United States" are one country: one verdict each.
    countries = tuple(
        dict.fromkeys(verdicts.country_zones(zones, c).country for c in scenario.countries)
    )
    from geo.briefing.events import impact_statuses

    land = load_land()
    features: list[MapFeature] = []
    notes: list[str] = list(scenario.sources)
    results: list[EventResult] = []
    # impacts of several days on one map (a year of launches) carry their dates
    dated = len({e.date for e in scenario.events if e.impacts}) > 1
    for event in scenario.events:
        if event.launch_known and not any(  # events from one site: one marker and one name
            f.kind == "site" and f.label == event.site_name and f.geometry.equals(
                site_feature(event.site, event.site_name).geometry)
            for f in features
        ):  # fmt: skip
            features.append(site_feature(event.site, event.site_name, event=event.name))
        reqs = _requests(event)
        analysis, std_req = _standard_range(event)
        if std_req is not None:
            reqs.append(std_req)
        notes += [n for n in notes_for(reqs) if n not in notes]
        drawn = [draw_range(event.site, event.site_name, r, event=event.name) for r in reqs]
        for d in drawn:
            features += d.features
        ranges: list[RangeResult] = []
        extra: list[MapFeature] = []
        for d in drawn:
            extent = d.extent
            area = area_name(d.area.properties, extent)
            label = f"the {area} from {event.site_name}"
            # one call for every country: overlaps and distances are computed once
            av = verdicts.area_verdict(
                zones,
                d.shape.geometry,
                d.shape.area_m2,
                event.site,
                countries=countries,
                label=label,
                extent=extent if countries else None,
            )
            for c in av.verdicts:
                if not c.reaches and c.nearest_km and c.nearest_point is not None:
                    line = nearest_line_feature(
                        event.site, c.nearest_point, c.country, c.nearest_km, event=event.name
                    )
                    if not any(f.kind == "nearest" and f.label == line.label for f in extra):
                        extra.append(line)
            ranges.append(RangeResult(d, area, av, judged=bool(countries)))
        features += extra
        impacts: list[ImpactResult] = []
        for spec in event.impacts:
            imp = reported_impact(
                spec.origin,
                spec.distance_m,
                spec.bearing_deg,
                distance_uncertainty=spec.distance_uncertainty,
                bearing_uncertainty_deg=spec.bearing_uncertainty_deg,
                leg=spec.leg,
            )
            pv = verdicts.impact_verdict(zones, imp, countries=countries, land=land)
            features += impact_features(
                imp,
                dated_label(spec.label, event.date, dated),
                event=event.name,
                source=spec.source,
                verdicts=impact_statuses(pv),
                **({"date": event.date} if event.date else {}),
            )
            impacts.append(ImpactResult(spec, imp, pv))
        results.append(EventResult(event, tuple(ranges), tuple(impacts), analysis))
    from geo.briefing.events import event_layers, with_tracks

    layers = event_layers(scenario, results, zones, land, countries)
    features += layers.features
    from geo.briefing.events import leg_note

    read = leg_note([i.impact.leg for r in results for i in r.impacts])
    if read:
        notes.append(read)
    if any(f.kind == "track" for f in layers.features):
        from geo.briefing.events import TRACK_NOTE

        notes.append(TRACK_NOTE)
    results = list(with_tracks(results, layers))
    _date_features(features, scenario)
    around = unary_union([f.geometry for f in features if f.kind != "ring"])
    content = MapContent(
        title=scenario.title,
        subtitle=scenario.subtitle,
        date=scenario.date,
        features=zone_features(zones, around) + features,
        focus=scenario.events[0].site,
        dataset=zones.info,
        notes=notes,
        subjects=countries,
        info=layers.info,
        profiles=layers.profiles,
    )
    _frame(content, scenario, countries, land, zones)
    return Briefing(scenario, content, verdicts.dataset_summary(zones), countries, tuple(results))


def _date_features(features: list[MapFeature], scenario: Scenario) -> None:
    """Each feature of a dated event carries its date (KML TimeStamps, GeoJSON properties)."""
    dates = {e.name: e.date for e in scenario.events if e.date}
    for f in features:
        when = dates.get(str(f.properties.get("event", "")))
        if when and "date" not in f.properties:
            f.properties["date"] = when


def _frame(
    content: MapContent, scenario: Scenario, countries: tuple[str, ...], land: Zones, zones: Zones
) -> None:
    """Subject zones marked, and the view: the scenario's extent or one framed around the
    event (geo.briefing.events)."""
    from geo.briefing.events import frame_extent, mark_subject_zones, parse_extent

    mark_subject_zones(content.features, countries)
    if scenario.extent:
        content.extent = parse_extent(scenario.extent)
    else:
        content.extent = frame_extent(content, countries, land, zones)


def write_briefing(
    scenario: Scenario,
    out_dir: Path,
    zones: Zones | None = None,
    *,
    online_tiles: str | None = None,
    width: str | None = None,
    height: str | None = None,
) -> Briefing:
    """Compute the briefing once and write every output the scenario lists into ``out_dir``
    (see :func:`geo.briefing.write.write_outputs`)."""
    from geo.briefing.write import SlideWorker, wants_slide_worker, write_outputs

    # The slide renderer loads in a second process while this one computes.
    worker = SlideWorker.start() if wants_slide_worker(scenario.outputs) else None
    try:
        b = build_briefing(scenario, zones)
        write_outputs(
            b,
            out_dir,
            online_tiles=online_tiles,
            width=width,
            height=height,
            slide_worker=worker,
        )
    finally:
        if worker is not None:
            worker.stop()
    return b
