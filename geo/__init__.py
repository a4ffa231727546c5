"""rangezone: exact geodesic range areas, EEZ verdicts and offline briefing maps.

The public API is re-exported here; modules below are organised as ``geo.core`` (pure
geodesy, shapes, parsing, verdicts, ballistics), ``geo.access`` (gazetteer, zone sets,
catalogues, downloads), ``geo.briefing`` (scenarios, requests, briefings) and
``geo.present`` (maps, images, exports, reports).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from geo.access.catalog import Missile, load_catalog, lookup_missile
    from geo.access.frames import locate_frame
    from geo.access.gazetteer import Gazetteer, Place, default_gazetteer, lookup_place
    from geo.access.pointfile import CheckFile, read_points_csv
    from geo.access.userdata import (
        active_dataset_path,
        register_dataset,
        registered_datasets,
        use_dataset,
    )
    from geo.access.wfs import fetch_zones
    from geo.access.zonefile import read_zone_file
    from geo.access.zonepack import DatasetInfo
    from geo.access.zones import Zone, Zones, load_land, load_zones
    from geo.briefing.build import build_briefing, write_briefing
    from geo.briefing.checks import (
        AreaCheck,
        CheckContext,
        ImpactCheck,
        PointCheck,
        batch_rows,
        run_check,
    )
    from geo.briefing.results import Briefing
    from geo.briefing.scenario import load_scenario
    from geo.core.ballistics import analyse_flight, standard_range_km_for_flight
    from geo.core.batch import batch_verdicts
    from geo.core.geodesy import EARTH_AREA_M2, HALF_MERIDIAN_M, WGS84
    from geo.core.impact import ReportedImpact, reported_impact
    from geo.core.parse import (
        parse_bearing_deg,
        parse_bearing_range,
        parse_coord,
        parse_distance_m,
        parse_fraction,
    )
    from geo.core.rhumb import rhumb_direct, rhumb_impact_area, rhumb_inverse_many
    from geo.core.shapes import (
        DEFAULT_TOLERANCE_M,
        Shape,
        annulus,
        geodesic_area_m2,
        impact_area,
        range_area,
        range_ring,
        sector,
    )
    from geo.core.sides import CountrySide, country_side
    from geo.core.types import LonLat, LonLatBbox
    from geo.core.verdicts import (
        AreaCountryVerdict,
        AreaVerdict,
        CountryVerdict,
        PointVerdict,
        area_verdict,
        boundary_distance,
        country_zones,
        impact_verdict,
        point_verdict,
    )
    from geo.errors import (
        ActiveDatasetError,
        BearingError,
        CatalogError,
        CoordinateError,
        DistanceError,
        FetchError,
        InputError,
        OutputPathError,
        RangezoneError,
        ScenarioError,
        UnknownCountryError,
        UnknownMissileError,
        UnknownPlaceError,
        WriteError,
        ZoneDataError,
    )
    from geo.present.content import MapContent, MapFeature
    from geo.present.exports import write_geojson, write_gpkg, write_kml
    from geo.present.folium_map import to_folium
    from geo.present.frames import to_geodataframe
    from geo.present.html_map import render_html, write_html
    from geo.present.image import render_image, render_images

# Lazy re-exports: importing ``geo`` stays cheap and each command loads only what it uses.
_EXPORTS: dict[str, str] = {
    "locate_frame": "geo.access.frames",
    "to_geodataframe": "geo.present.frames",
    "to_folium": "geo.present.folium_map",
    "read_points_csv": "geo.access.pointfile",
    "register_dataset": "geo.access.userdata",
    "registered_datasets": "geo.access.userdata",
    "use_dataset": "geo.access.userdata",
    "active_dataset_path": "geo.access.userdata",
    "fetch_zones": "geo.access.wfs",
    "read_zone_file": "geo.access.zonefile",
    "parse_fraction": "geo.core.parse",
    "batch_verdicts": "geo.core.batch",
    "CheckFile": "geo.access.pointfile",
    "AreaCountryVerdict": "geo.core.verdicts",
    "country_side": "geo.core.sides",
    "CountrySide": "geo.core.sides",
    "PointCheck": "geo.briefing.checks",
    "ImpactCheck": "geo.briefing.checks",
    "AreaCheck": "geo.briefing.checks",
    "CheckContext": "geo.briefing.checks",
    "run_check": "geo.briefing.checks",
    "batch_rows": "geo.briefing.checks",
    "build_briefing": "geo.briefing.build",
    "write_briefing": "geo.briefing.build",
    "Briefing": "geo.briefing.results",
    "MapContent": "geo.present.content",
    "MapFeature": "geo.present.content",
    "write_geojson": "geo.present.exports",
    "write_kml": "geo.present.exports",
    "write_gpkg": "geo.present.exports",
    "render_html": "geo.present.html_map",
    "write_html": "geo.present.html_map",
    "render_image": "geo.present.image",
    "render_images": "geo.present.image",
    "load_scenario": "geo.briefing.scenario",
    "ActiveDatasetError": "geo.errors",
    "CatalogError": "geo.errors",
    "AreaVerdict": "geo.core.verdicts",
    "BearingError": "geo.errors",
    "CoordinateError": "geo.errors",
    "CountryVerdict": "geo.core.verdicts",
    "DEFAULT_TOLERANCE_M": "geo.core.shapes",
    "DatasetInfo": "geo.access.zonepack",
    "DistanceError": "geo.errors",
    "EARTH_AREA_M2": "geo.core.geodesy",
    "FetchError": "geo.errors",
    "Gazetteer": "geo.access.gazetteer",
    "HALF_MERIDIAN_M": "geo.core.geodesy",
    "InputError": "geo.errors",
    "LonLat": "geo.core.types",
    "LonLatBbox": "geo.core.types",
    "Missile": "geo.access.catalog",
    "Place": "geo.access.gazetteer",
    "PointVerdict": "geo.core.verdicts",
    "RangezoneError": "geo.errors",
    "ReportedImpact": "geo.core.impact",
    "ScenarioError": "geo.errors",
    "Shape": "geo.core.shapes",
    "UnknownCountryError": "geo.errors",
    "UnknownMissileError": "geo.errors",
    "UnknownPlaceError": "geo.errors",
    "WGS84": "geo.core.geodesy",
    "Zone": "geo.access.zones",
    "ZoneDataError": "geo.errors",
    "WriteError": "geo.errors",
    "OutputPathError": "geo.errors",
    "Zones": "geo.access.zones",
    "analyse_flight": "geo.core.ballistics",
    "annulus": "geo.core.shapes",
    "area_verdict": "geo.core.verdicts",
    "boundary_distance": "geo.core.verdicts",
    "country_zones": "geo.core.verdicts",
    "default_gazetteer": "geo.access.gazetteer",
    "geodesic_area_m2": "geo.core.shapes",
    "impact_area": "geo.core.shapes",
    "impact_verdict": "geo.core.verdicts",
    "load_catalog": "geo.access.catalog",
    "load_land": "geo.access.zones",
    "load_zones": "geo.access.zones",
    "lookup_missile": "geo.access.catalog",
    "lookup_place": "geo.access.gazetteer",
    "parse_bearing_deg": "geo.core.parse",
    "parse_bearing_range": "geo.core.parse",
    "parse_coord": "geo.core.parse",
    "parse_distance_m": "geo.core.parse",
    "point_verdict": "geo.core.verdicts",
    "range_area": "geo.core.shapes",
    "range_ring": "geo.core.shapes",
    "reported_impact": "geo.core.impact",
    "rhumb_direct": "geo.core.rhumb",
    "rhumb_impact_area": "geo.core.rhumb",
    "rhumb_inverse_many": "geo.core.rhumb",
    "sector": "geo.core.shapes",
    "standard_range_km_for_flight": "geo.core.ballistics",
}

__all__ = [
    "DEFAULT_TOLERANCE_M",
    "EARTH_AREA_M2",
    "HALF_MERIDIAN_M",
    "WGS84",
    "ActiveDatasetError",
    "AreaCheck",
    "AreaCountryVerdict",
    "AreaVerdict",
    "BearingError",
    "Briefing",
    "CatalogError",
    "CheckContext",
    "CheckFile",
    "CoordinateError",
    "CountrySide",
    "CountryVerdict",
    "DatasetInfo",
    "DistanceError",
    "FetchError",
    "Gazetteer",
    "ImpactCheck",
    "InputError",
    "LonLat",
    "LonLatBbox",
    "MapContent",
    "MapFeature",
    "Missile",
    "OutputPathError",
    "Place",
    "PointCheck",
    "PointVerdict",
    "RangezoneError",
    "ReportedImpact",
    "ScenarioError",
    "Shape",
    "UnknownCountryError",
    "UnknownMissileError",
    "UnknownPlaceError",
    "WriteError",
    "Zone",
    "ZoneDataError",
    "Zones",
    "active_dataset_path",
    "analyse_flight",
    "annulus",
    "area_verdict",
    "batch_rows",
    "batch_verdicts",
    "boundary_distance",
    "build_briefing",
    "country_side",
    "country_zones",
    "default_gazetteer",
    "fetch_zones",
    "geodesic_area_m2",
    "impact_area",
    "impact_verdict",
    "load_catalog",
    "load_land",
    "load_scenario",
    "load_zones",
    "locate_frame",
    "lookup_missile",
    "lookup_place",
    "parse_bearing_deg",
    "parse_bearing_range",
    "parse_coord",
    "parse_distance_m",
    "parse_fraction",
    "point_verdict",
    "range_area",
    "range_ring",
    "read_points_csv",
    "read_zone_file",
    "register_dataset",
    "registered_datasets",
    "render_html",
    "render_image",
    "render_images",
    "reported_impact",
    "rhumb_direct",
    "rhumb_impact_area",
    "rhumb_inverse_many",
    "run_check",
    "sector",
    "standard_range_km_for_flight",
    "to_folium",
    "to_geodataframe",
    "use_dataset",
    "write_briefing",
    "write_geojson",
    "write_gpkg",
    "write_html",
    "write_kml",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'geo' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
