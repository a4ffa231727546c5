"""Build a briefing from a scenario: map content, verdicts, and every output file."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from shapely.ops import unary_union

from geo.access.zones import Zones, load_land, load_zones
from geo.briefing.compose import (
    RangeRequest,
    area_name,
    flown_request,
    impact_features,
    missile_requests,
    nearest_line_feature,
    notes_for,
    range_features,
    site_feature,
    zone_features,
)
from geo.briefing.scenario import EventSpec, Scenario
from geo.core import verdicts
from geo.core.impact import reported_impact
from geo.core.types import LonLat
from geo.present.content import MapContent, MapFeature

if TYPE_CHECKING:
    from geo.present.images import ImageFormat


@dataclass
class Briefing:
    content: MapContent
    report: dict[str, Any]
    written: list[Path] = field(default_factory=list)


def _requests(event: EventSpec) -> list[RangeRequest]:
    reqs = [RangeRequest(r, event.min_range_m, event.sector_deg) for r in event.ranges_m]
    if event.missiles:
        reqs += missile_requests(event.missiles)
    return reqs


def _standard_range(event: EventSpec) -> tuple[dict[str, Any] | None, RangeRequest | None]:
    if event.apogee_m is None or event.flown_m is None:
        return None, None
    from geo.core.ballistics import analyse_flight

    a = analyse_flight(event.flown_m / 1000, event.apogee_m / 1000, event.flight_time_min)
    analysis = dataclasses.asdict(a)
    req = flown_request(event.flown_m, event.apogee_m)
    # A standard range equal to the flown one adds nothing to the map.
    if a.standard_range_km is not None and abs(a.standard_range_km * 1000 - event.flown_m) < 20_000:
        return analysis, None
    return analysis, req


def build_briefing(scenario: Scenario, zones: Zones | None = None) -> Briefing:
    """Everything a scenario asks for, in memory: the map content and the verdict report."""
    zones = zones if zones is not None else load_zones(scenario.eez)
    # "USA" and "United States" are one country: one verdict each.
    countries = tuple(
        dict.fromkeys(verdicts.country_zones(zones, c).country for c in scenario.countries)
    )
    land = load_land()
    features: list[MapFeature] = []
    notes: list[str] = list(scenario.sources)
    events_report: list[dict[str, Any]] = []
    for event in scenario.events:
        ev: dict[str, Any] = {
            "name": event.name,
            "time": event.time,
            "site": {"name": event.site_name, "lat": event.site.lat_deg, "lon": event.site.lon_deg},
            "sources": list(event.sources),
            "notes": event.notes,
            "ranges": [],
            "impacts": [],
        }
        features.append(site_feature(event.site, event.site_name, event=event.name))
        reqs = _requests(event)
        analysis, std_req = _standard_range(event)
        if analysis is not None:
            ev["trajectory"] = analysis
        if std_req is not None:
            reqs.append(std_req)
        notes += [n for n in notes_for(reqs) if n not in notes]
        feats = range_features(event.site, event.site_name, reqs)
        for f in feats:
            f.properties["event"] = event.name
        features += feats
        extra: list[MapFeature] = []
        for f in feats:
            if f.kind not in ("range_area", "impact_area"):
                continue
            extent = _extent(f.properties)
            area = area_name(f.properties, extent)
            label = f"the {area} from {event.site_name}"
            entry: dict[str, Any] = {
                "label": f.label,
                "area": area,
                "range_km": f.properties["range_km"],
            }
            if countries:
                entry["countries"] = []
                for country in countries:
                    av = verdicts.area_verdict(
                        zones,
                        f.geometry,
                        f.properties["area_km2"] * 1e6,
                        event.site,
                        country=country,
                        label=label,
                        extent=extent,
                    )
                    entry["countries"].append(av.country)
                    c = av.country
                    if c and not c["reaches"] and c["nearest_km"]:
                        target = LonLat(c["nearest_point"]["lon"], c["nearest_point"]["lat"])
                        line = nearest_line_feature(
                            event.site, target, c["country"], c["nearest_km"], event=event.name
                        )
                        if not any(f.kind == "nearest" and f.label == line.label for f in extra):
                            extra.append(line)
                entry["zones"] = av.to_dict()["overlaps"]
            else:
                av = verdicts.area_verdict(
                    zones, f.geometry, f.properties["area_km2"] * 1e6, event.site, label=label
                )
                entry["zones"] = av.to_dict()["overlaps"]
            ev["ranges"].append(entry)
        features += extra
        for spec in event.impacts:
            imp = reported_impact(
                spec.origin,
                spec.distance_m,
                spec.bearing_deg,
                distance_uncertainty=spec.distance_uncertainty,
                bearing_uncertainty_deg=spec.bearing_uncertainty_deg,
            )
            ifeats = impact_features(imp, spec.label, event=event.name, source=spec.source)
            features += ifeats
            per_country = []
            for country in countries:
                pv = verdicts.impact_verdict(zones, imp, country=country, land=land)
                per_country.append(pv.to_dict())
            if not countries:
                per_country.append(verdicts.impact_verdict(zones, imp, land=land).to_dict())
            ev["impacts"].append(
                {"label": spec.label, "source": spec.source, "verdicts": per_country}
            )
        events_report.append(ev)
    around = unary_union([f.geometry for f in features if f.kind != "ring"])
    content = MapContent(
        title=scenario.title,
        subtitle=scenario.subtitle,
        date=scenario.date,
        features=zone_features(zones, around) + features,
        focus=scenario.events[0].site,
        dataset=zones.info,
        notes=notes,
    )
    report = {
        "title": scenario.title,
        "subtitle": scenario.subtitle,
        "date": scenario.date,
        "scenario": str(scenario.path),
        "dataset": verdicts.dataset_summary(zones),
        "countries": list(countries),
        "events": events_report,
        "attribution": content.attribution_lines(),
    }
    return Briefing(content, report)


def write_briefing(
    scenario: Scenario,
    out_dir: Path,
    zones: Zones | None = None,
    *,
    online_tiles: str | None = None,
    width: str | None = None,
    height: str | None = None,
) -> Briefing:
    """Build and write every output the scenario lists into ``out_dir``.

    ``online_tiles``, ``width`` and ``height`` go to the HTML map (see ``render_html``).
    """
    from geo.present.report import write_report

    b = build_briefing(scenario, zones)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = "map"
    for fmt in scenario.outputs:
        if fmt == "report":
            b.written += write_report(b.report, out_dir / "report")
        elif fmt == "html":
            from geo.present.html_map import write_html

            write_html(
                b.content,
                out_dir / f"{stem}.html",
                online_tiles=online_tiles,
                width=width,
                height=height,
            )
            b.written.append(out_dir / f"{stem}.html")
        elif fmt in ("png", "svg", "pdf"):
            from geo.present.images import render_image

            render_image(
                b.content,
                out_dir / f"{stem}.{fmt}",
                fmt=cast("ImageFormat", fmt),
                dpi=scenario.image_dpi,
            )
            b.written.append(out_dir / f"{stem}.{fmt}")
        else:
            from geo.present import exports

            writer = {
                "geojson": exports.write_geojson,
                "kml": exports.write_kml,
                "gpkg": exports.write_gpkg,
            }[fmt]
            path = out_dir / f"layers.{fmt}"
            writer(b.content, path)
            b.written.append(path)
    return b


def _extent(props: dict[str, Any]) -> verdicts.AreaExtent:
    """What a range or impact area feature is around its launch point."""
    a, b = props.get("from_bearing_deg"), props.get("to_bearing_deg")
    bearings = None if a is None or b is None else (a, b)
    low = props.get("range_low_km")
    return verdicts.AreaExtent(
        props["min_range_km"] * 1000.0,
        props["range_km"] * 1000.0,
        bearings,
        None if low is None else low * 1000.0,
    )
