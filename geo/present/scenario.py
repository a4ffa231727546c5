"""Scenario files: one briefing described in YAML, validated with field and line.

A scenario names a title and date, the countries whose EEZ to check, the events (launch
site or point, ranges, missiles, an observed flight, reported impacts) and the outputs.
See ``maps/README.md`` for the format.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from geo.core.parse import parse_bearing_deg, parse_bearing_range, parse_coord, parse_distance_m
from geo.core.types import LonLat
from geo.errors import InputError, ScenarioError

OUTPUTS = ("html", "png", "svg", "pdf", "geojson", "kml", "gpkg", "report")


@dataclass(frozen=True)
class ImpactSpec:
    origin: LonLat
    origin_name: str
    distance_m: float
    bearing_deg: float
    bearing_text: str
    label: str
    distance_uncertainty: float
    bearing_uncertainty_deg: float
    source: str


@dataclass(frozen=True)
class EventSpec:
    name: str
    site: LonLat
    site_name: str
    time: str = ""
    ranges_m: tuple[float, ...] = ()
    min_range_m: float = 0.0
    sector_deg: tuple[float, float] | None = None
    apogee_m: float | None = None
    flown_m: float | None = None
    flight_time_min: float | None = None
    missiles: tuple[str, ...] = ()
    impacts: tuple[ImpactSpec, ...] = ()
    sources: tuple[str, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class Scenario:
    path: Path
    title: str
    date: str
    events: tuple[EventSpec, ...]
    subtitle: str = ""
    countries: tuple[str, ...] = ()
    outputs: tuple[str, ...] = OUTPUTS
    eez: str | None = None
    sources: tuple[str, ...] = ()
    image_dpi: int = 200
    extra: dict[str, Any] = field(default_factory=dict)


class _Node:
    """A YAML value with the line it starts on (1-based)."""

    def __init__(self, value: Any, line: int) -> None:
        self.value = value
        self.line = line


def _wrap(node: yaml.Node) -> _Node:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[str, _Node] = {}
        for k, v in node.value:
            key = str(k.value)
            if key in out:
                raise _err(f"duplicate field '{key}'", k.start_mark.line + 1)
            out[key] = _wrap(v)
        return _Node(out, line)
    if isinstance(node, yaml.SequenceNode):
        return _Node([_wrap(v) for v in node.value], line)
    value = yaml.safe_load(yaml.serialize(node))
    return _Node(value, line)


_PATH: list[str] = []


def _err(msg: str, line: int, where: str = "") -> ScenarioError:
    return ScenarioError(f"{where}line {line}: {msg}")


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, field_: str, node: _Node, msg: str) -> ScenarioError:
        return ScenarioError(f"{self.path}, line {node.line}, field '{field_}': {msg}")

    def mapping(self, node: _Node, field_: str, allowed: set[str]) -> dict[str, _Node]:
        if not isinstance(node.value, dict):
            raise self.fail(field_, node, "must be a mapping of fields")
        unknown = sorted(set(node.value) - allowed)
        if unknown:
            bad = node.value[unknown[0]]
            raise self.fail(
                f"{field_}.{unknown[0]}" if field_ else unknown[0],
                bad,
                f"unknown field; allowed: {', '.join(sorted(allowed))}",
            )
        return dict(node.value)

    def text(self, m: dict[str, _Node], key: str, field_: str, default: str | None = None) -> str:
        if key not in m:
            if default is None:
                raise ScenarioError(f"{self.path}: field '{field_}{key}' is required")
            return default
        v = m[key].value
        if isinstance(v, (dt.date, dt.datetime)):
            return v.isoformat()
        if not isinstance(v, (str, int, float)) or isinstance(v, bool):
            raise self.fail(field_ + key, m[key], "must be text")
        return str(v)

    def convert(self, node: _Node, field_: str, fn: Any) -> Any:
        try:
            return fn(str(node.value))
        except InputError as exc:
            raise self.fail(field_, node, str(exc)) from None

    def items(self, m: dict[str, _Node], key: str, field_: str) -> list[_Node]:
        if key not in m:
            return []
        v = m[key]
        if isinstance(v.value, list):
            return list(v.value)
        return [v]  # a single value where a list is allowed


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; ScenarioError names the field and line."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"cannot read scenario {path}: {exc.strerror or exc}") from None
    try:
        root_node = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError(f"{path}{where}: not valid YAML: {problem}") from None
    if root_node is None:
        raise ScenarioError(f"{path}: the scenario file is empty")
    r = _Reader(p)
    root = r.mapping(
        _wrap(root_node),
        "",
        {"title", "subtitle", "date", "countries", "events", "outputs", "eez", "sources", "image"},
    )
    title = r.text(root, "title", "")
    date = r.text(root, "date", "", default="")
    countries = tuple(str(n.value) for n in r.items(root, "countries", "countries"))
    outputs = tuple(str(n.value) for n in r.items(root, "outputs", "outputs")) or OUTPUTS
    for n in r.items(root, "outputs", "outputs"):
        if str(n.value) not in OUTPUTS:
            raise r.fail(
                "outputs", n, f"unknown output {n.value!r}; choose from {', '.join(OUTPUTS)}"
            )
    dpi = 200
    if "image" in root:
        im = r.mapping(root["image"], "image", {"dpi"})
        if "dpi" in im:
            if not isinstance(im["dpi"].value, int) or not 50 <= im["dpi"].value <= 1200:
                raise r.fail("image.dpi", im["dpi"], "must be a whole number from 50 to 1200")
            dpi = int(im["dpi"].value)
    events_nodes = r.items(root, "events", "events")
    if not events_nodes:
        raise ScenarioError(f"{p}: field 'events' is required and must list at least one event")
    events = tuple(_event(r, n, i) for i, n in enumerate(events_nodes))
    eez = r.text(root, "eez", "", default="") or None
    if eez and not Path(eez).is_absolute():
        eez = str((p.parent / eez).resolve())
    return Scenario(
        path=p,
        title=title,
        subtitle=r.text(root, "subtitle", "", default=""),
        date=date,
        events=events,
        countries=countries,
        outputs=outputs,
        eez=eez,
        sources=tuple(str(n.value) for n in r.items(root, "sources", "sources")),
        image_dpi=dpi,
    )


_EVENT_FIELDS = {
    "name", "time", "site", "at", "ranges", "range", "min_range", "sector", "apogee", "flown",
    "flight_time_min", "missiles", "impacts", "sources", "notes",
}  # fmt: skip
_IMPACT_FIELDS = {
    "from", "distance", "bearing", "label", "distance_uncertainty", "bearing_uncertainty", "source",
}  # fmt: skip


def _event(r: _Reader, node: _Node, i: int) -> EventSpec:
    f = f"events[{i}]."
    m = r.mapping(node, f"events[{i}]", _EVENT_FIELDS)
    site, site_name = _place(r, m, f, node)
    ranges = [r.convert(n, f + "ranges", parse_distance_m) for n in r.items(m, "ranges", f)]
    ranges += [r.convert(n, f + "range", parse_distance_m) for n in r.items(m, "range", f)]
    min_range = (
        r.convert(m["min_range"], f + "min_range", parse_distance_m) if "min_range" in m else 0.0
    )
    sector = r.convert(m["sector"], f + "sector", parse_bearing_range) if "sector" in m else None
    apogee = r.convert(m["apogee"], f + "apogee", parse_distance_m) if "apogee" in m else None
    flown = r.convert(m["flown"], f + "flown", parse_distance_m) if "flown" in m else None
    ftime = None
    if "flight_time_min" in m:
        v = m["flight_time_min"].value
        if not isinstance(v, (int, float)) or isinstance(v, bool) or v <= 0:
            raise r.fail(
                f + "flight_time_min", m["flight_time_min"], "must be a positive number of minutes"
            )
        ftime = float(v)
    if apogee is not None and flown is None and len(ranges) == 1:
        flown = ranges[0]  # an event's apogee goes with the range it flew
    impacts = tuple(
        _impact(r, n, f"{f}impacts[{k}]", site, site_name)
        for k, n in enumerate(r.items(m, "impacts", f))
    )
    missiles = tuple(str(n.value) for n in r.items(m, "missiles", f))
    if not ranges and not missiles and flown is None and not impacts:
        raise r.fail(
            f"events[{i}]", node, "give at least one of ranges, missiles, apogee/flown, impacts"
        )
    return EventSpec(
        name=r.text(m, "name", f, default=f"Event {i + 1}"),
        site=site,
        site_name=site_name,
        time=r.text(m, "time", f, default=""),
        ranges_m=tuple(ranges),
        min_range_m=min_range,
        sector_deg=sector,
        apogee_m=apogee,
        flown_m=flown,
        flight_time_min=ftime,
        missiles=missiles,
        impacts=impacts,
        sources=tuple(str(n.value) for n in r.items(m, "sources", f)),
        notes=r.text(m, "notes", f, default=""),
    )


def _place(r: _Reader, m: dict[str, _Node], f: str, node: _Node) -> tuple[LonLat, str]:
    from geo.access.gazetteer import lookup_place

    if ("site" in m) == ("at" in m):
        raise r.fail(
            f.rstrip("."), node, "give exactly one of 'site' (a gazetteer name) or 'at' (lat,lon)"
        )
    if "site" in m:
        place = r.convert(m["site"], f + "site", lookup_place)
        return place.lonlat, place.name
    c = r.convert(m["at"], f + "at", parse_coord)
    return c, f"{c.lat_deg:.4f}, {c.lon_deg:.4f}"


def _impact(r: _Reader, node: _Node, f: str, site: LonLat, site_name: str) -> ImpactSpec:
    from geo.access.gazetteer import lookup_place

    m = r.mapping(node, f, _IMPACT_FIELDS)
    origin, origin_name = site, site_name
    if "from" in m:
        place = r.convert(m["from"], f + ".from", lookup_place)
        origin, origin_name = place.lonlat, place.name
    for key in ("distance", "bearing"):
        if key not in m:
            raise r.fail(f, node, f"field '{key}' is required for a reported impact")
    dist = r.convert(m["distance"], f + ".distance", parse_distance_m)
    bearing = r.convert(m["bearing"], f + ".bearing", parse_bearing_deg)
    du, bu = 0.10, 11.25
    if "distance_uncertainty" in m:
        du = _fraction(r, m["distance_uncertainty"], f + ".distance_uncertainty")
    if "bearing_uncertainty" in m:
        v = m["bearing_uncertainty"].value
        if not isinstance(v, (int, float)) or not 0 <= v < 180:
            raise r.fail(
                f + ".bearing_uncertainty", m["bearing_uncertainty"], "must be degrees in [0, 180)"
            )
        bu = float(v)
    bearing_text = str(m["bearing"].value)
    label = r.text(
        m, "label", f + ".", default=f"{dist / 1000:,.0f} km {bearing_text} of {origin_name}"
    )
    return ImpactSpec(
        origin,
        origin_name,
        dist,
        bearing,
        bearing_text,
        label,
        du,
        bu,
        r.text(m, "source", f + ".", default=""),
    )


def _fraction(r: _Reader, node: _Node, field_: str) -> float:
    v = node.value
    if isinstance(v, str) and v.strip().endswith("%"):
        try:
            v = float(v.strip()[:-1]) / 100.0
        except ValueError:
            raise r.fail(field_, node, "must be a fraction (0.1) or a percentage (10%)") from None
    if not isinstance(v, (int, float)) or isinstance(v, bool) or not 0 <= v < 1:
        raise r.fail(field_, node, "must be a fraction in [0, 1) or a percentage")
    return float(v)
