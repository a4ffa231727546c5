"""Scenario files: one briefing described in YAML, validated with field and line.

A scenario names a title and date, the countries whose EEZ to check, the events (launch
site or point, ranges, missiles, an observed flight, reported impacts) and the outputs.
See ``maps/README.md`` for the format.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from geo.briefing.scenario_yaml import (
    MAX_AREAS,
    MAX_EVENTS,
    MAX_FILE_BYTES,
    MAX_RANGES,
    LimitedLoader,
    LimitExceeded,
    Node,
    Reader,
    kind_of,
)
from geo.core.parse import (
    DEFAULT_LEG,
    MAX_TITLE_CHARS,
    Leg,
    parse_bearing_deg,
    parse_bearing_range,
    parse_coord,
    parse_distance_m,
    parse_fraction,
    parse_leg,
)
from geo.core.types import LonLat
from geo.errors import InputError, ScenarioError, UnknownCountryError, ZoneDataError

if TYPE_CHECKING:
    from geo.access.zones import Zones

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
    leg: Leg = DEFAULT_LEG
    """How the distance and bearing are read: a rhumb line (the default) or a geodesic."""


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
    standard_range: bool = False
    """Draw the energy-equivalent standard-range ring of the apogee (opt-in)."""
    date: str = ""
    """The event's own date (YYYY-MM-DD), when a scenario spans several days."""
    launch_known: bool = True
    """False when only the impacts are known (a CSV row without a site): ``site`` is then the
    first impact's reference point, and no launch site or ground track is drawn."""


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
    extent: str | None = None
    """The map view 'WEST,SOUTH,EAST,NORTH' in degrees (None: framed automatically)."""
    places: tuple[tuple[str, LonLat], ...] = ()
    """Places the statements name without a distance ("south-west of Hateruma"): drawn and
    named as reference points."""
    extra: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    """Line of 'eez' and of each 'countries[i]', for errors found once the data is loaded."""


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; ScenarioError names the field and line."""
    p = Path(path)
    try:
        with p.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)  # /dev/zero must not fill the memory
    except OSError as exc:
        raise ScenarioError(f"cannot read scenario {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise ScenarioError(
            f"{path}: larger than {MAX_FILE_BYTES:,} bytes, the limit for a scenario file"
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ScenarioError(
            f"{path}: not UTF-8 text (it starts with a UTF-16 byte-order mark); "
            "save the file as UTF-8"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ScenarioError(
            f"{path}, line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); "
            "save the file as UTF-8"
        ) from None
    try:
        root_node = yaml.compose(text, Loader=LimitedLoader)
    except LimitExceeded as exc:
        raise ScenarioError(
            f"{path}, line {exc.line}: {exc.msg}, the limit for a scenario"
        ) from None
    except RecursionError:
        raise ScenarioError(
            f"{path}: not valid YAML: lists or mappings nested too deeply"
        ) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise ScenarioError(
            f"{path}, line {line}: not valid YAML: unacceptable character "
            f"#x{int(exc.character):04x}: {exc.reason}"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError(f"{path}{where}: not valid YAML: {problem}") from None
    if root_node is None:
        raise ScenarioError(f"{path}: the scenario file is empty")
    r = Reader(p)
    try:
        root_wrapped = r.wrap(root_node, "")
    except RecursionError:
        raise ScenarioError(
            f"{path}: not valid YAML: lists or mappings nested too deeply"
        ) from None
    if not isinstance(root_wrapped.value, dict):
        raise ScenarioError(
            f"{path}, line {root_wrapped.line}: a scenario must be a mapping of fields "
            f"(title, date, events, ...), not {kind_of(root_wrapped)}"
        )
    root = r.mapping(
        root_wrapped,
        "",
        {
            "title",
            "subtitle",
            "date",
            "countries",
            "events",
            "outputs",
            "eez",
            "sources",
            "image",
            "extent",
            "places",
        },
    )
    lines: dict[str, int] = {}
    title = r.text(root, "title", "")
    for key in ("title", "subtitle"):
        raw = root[key].raw if key in root else None
        if raw is not None and len(raw) > MAX_TITLE_CHARS:
            raise r.fail(key, root[key], f"{len(raw):,} characters; at most {MAX_TITLE_CHARS}")
    date = _date(r, root)
    countries = r.texts(root, "countries", "countries")
    for i, (_, n) in enumerate(countries):
        lines[f"countries[{i}]"] = n.line
    outputs = _outputs(r, root)
    dpi = 200
    if "image" in root:
        im = r.mapping(root["image"], "image", {"dpi"})
        if "dpi" in im:
            v = im["dpi"].value
            if not isinstance(v, int) or isinstance(v, bool) or not 50 <= v <= 1200:
                raise r.fail("image.dpi", im["dpi"], "must be a whole number from 50 to 1200")
            dpi = v
    events_nodes = r.items(root, "events")
    if not events_nodes:
        if "events" in root:
            raise r.fail("events", root["events"], "must list at least one event")
        raise ScenarioError(f"{p}: field 'events' is required and must list at least one event")
    if len(events_nodes) > MAX_EVENTS:
        raise r.fail(
            "events",
            root["events"],
            f"{len(events_nodes)} events; a scenario may have at most {MAX_EVENTS}",
        )
    events = tuple(_event(r, n, i) for i, n in enumerate(events_nodes))
    _check_short_texts(r, events_nodes)
    areas = sum(len(e.ranges_m) + len(e.missiles) + len(e.impacts) for e in events)
    if areas > MAX_AREAS:
        raise r.fail(
            "events",
            root["events"],
            f"{areas} range, missile and impact areas in all; a scenario may have at most "
            f"{MAX_AREAS}",
        )
    eez = r.text(root, "eez", "", default="") or None
    if eez:
        lines["eez"] = root["eez"].line
        from geo.access.zones import DEFAULT_EEZ

        if eez != DEFAULT_EEZ and not Path(eez).is_absolute():  # "default": the shipped layer
            eez = str((p.parent / eez).resolve())
    return Scenario(
        path=p,
        title=title,
        subtitle=r.text(root, "subtitle", "", default=""),
        date=date,
        events=events,
        countries=tuple(c for c, _ in countries),
        outputs=outputs,
        eez=eez,
        sources=tuple(s for s, _ in r.texts(root, "sources", "sources")),
        image_dpi=dpi,
        extent=_extent(r, root),
        places=_places(r, root),
        lines=lines,
    )


def _places(r: Reader, root: dict[str, Node]) -> tuple[tuple[str, LonLat], ...]:
    nodes = r.items(root, "places")
    if len(nodes) > MAX_RANGES:
        raise r.fail("places", root["places"], f"{len(nodes)} places; at most {MAX_RANGES}")
    named = (_named_point(r, n, f"places[{i}]") for i, n in enumerate(nodes))
    return tuple((name, pt) for pt, name in named)


def _extent(r: Reader, root: dict[str, Node]) -> str | None:
    if "extent" not in root:
        return None
    from geo.briefing.events import parse_extent

    node = root["extent"]
    if isinstance(node.value, list):
        text = ",".join(r.scalar(n, "extent") for n in node.value)
    else:
        text = r.scalar(node, "extent")
    try:
        parse_extent(text)
    except InputError as exc:
        raise r.fail("extent", node, str(exc)) from None
    return text


def _check_short_texts(r: Reader, events_nodes: list[Node]) -> None:
    """Event names and impact labels are drawn on the map like titles: as short as they."""
    for i, node in enumerate(events_nodes):
        if not isinstance(node.value, dict):
            continue
        found = [(f"events[{i}].name", node.value.get("name"))]
        impacts = node.value.get("impacts")
        if impacts is not None and isinstance(impacts.value, list):
            found += [
                (f"events[{i}].impacts[{k}].label", imp.value.get("label"))
                for k, imp in enumerate(impacts.value)
                if isinstance(imp.value, dict)
            ]
        for field_, n in found:
            if n is not None and n.raw is not None and len(n.raw) > MAX_TITLE_CHARS:
                raise r.fail(field_, n, f"{len(n.raw):,} characters; at most {MAX_TITLE_CHARS}")


def _date(r: Reader, root: dict[str, Node]) -> str:
    """Free text, but text shaped like a YAML date (2024-11-05) must be a real one."""
    if "date" not in root:
        return ""
    node = root["date"]
    if isinstance(node.value, (dt.date, dt.datetime)):
        return str(node.raw)
    text = r.text(root, "date", "", default="")
    if yaml.constructor.SafeConstructor.timestamp_regexp.match(text):
        stamp = yaml.ScalarNode("tag:yaml.org,2002:timestamp", text)
        try:
            yaml.constructor.SafeConstructor().construct_yaml_timestamp(stamp)
        except ValueError as exc:
            raise r.fail("date", node, f"{text!r} is not a valid date: {exc}") from None
    return text


def _outputs(r: Reader, root: dict[str, Node]) -> tuple[str, ...]:
    if "outputs" not in root:
        return OUTPUTS
    outputs: list[str] = []
    for name, n in r.texts(root, "outputs", "outputs"):
        if name not in OUTPUTS:
            raise r.fail("outputs", n, f"unknown output {name!r}; choose from {', '.join(OUTPUTS)}")
        if name in outputs:
            raise r.fail("outputs", n, f"output {name!r} is listed twice")
        outputs.append(name)
    if not outputs:
        raise r.fail("outputs", root["outputs"], "must list at least one output")
    return tuple(outputs)


def scenario_zones(scenario: Scenario, eez_path: str | None = None) -> Zones:
    """The EEZ dataset a scenario is built with, each of its countries checked against it.

    ``eez_path`` (the ``--eez`` option) replaces the scenario's ``eez``; a bad scenario
    ``eez`` file or an unknown country fails naming the scenario file, line and field.
    """
    from geo.access.zones import load_zones
    from geo.core.verdicts import country_zones

    if eez_path:
        zones = load_zones(eez_path)  # the option's errors are not the file's
    else:
        try:
            zones = load_zones(scenario.eez)
        except (ZoneDataError, OSError) as exc:
            if scenario.eez is None or "eez" not in scenario.lines:
                raise
            msg = str(exc) if isinstance(exc, ZoneDataError) else f"{exc.strerror or exc}"
            raise ScenarioError(
                f"{scenario.path}, line {scenario.lines['eez']}, field 'eez': {msg}"
            ) from None
    for i, country in enumerate(scenario.countries):
        try:
            country_zones(zones, country)
        except UnknownCountryError as exc:
            line = scenario.lines.get(f"countries[{i}]")
            if line is None:
                raise
            raise ScenarioError(f"{scenario.path}, line {line}, field 'countries': {exc}") from None
    return zones


_EVENT_FIELDS = {
    "name", "time", "site", "at", "ranges", "range", "min_range", "sector", "apogee", "flown",
    "flight_time_min", "missiles", "impacts", "sources", "notes", "standard_range", "date",
    "leg",
}  # fmt: skip
_IMPACT_FIELDS = {
    "from", "distance", "bearing", "label", "distance_uncertainty", "bearing_uncertainty", "source",
    "leg",
}  # fmt: skip


def _event(r: Reader, node: Node, i: int) -> EventSpec:
    from geo.access.catalog import lookup_missile

    f = f"events[{i}]."
    m = r.mapping(node, f"events[{i}]", _EVENT_FIELDS)
    site, site_name = _place(r, m, f, node)
    range_nodes = [(n, f + key) for key in ("ranges", "range") for n in r.items(m, key)]
    for key, what in (("ranges", "ranges"), ("missiles", "missiles"), ("impacts", "impacts")):
        count = len(range_nodes) if key == "ranges" else len(r.items(m, key))
        if count > MAX_RANGES:
            where = m.get(key) or m["range"]
            raise r.fail(f + key, where, f"{count} {what}; an event may have at most {MAX_RANGES}")
    ranges = [r.distance(n, name) for n, name in range_nodes]
    min_range = 0.0
    if "min_range" in m:
        min_range = r.convert(m["min_range"], f + "min_range", parse_distance_m)
    sector = r.convert(m["sector"], f + "sector", parse_bearing_range) if "sector" in m else None
    for key in ("min_range", "sector"):
        if key in m and not ranges:
            raise r.fail(f + key, m[key], "applies to 'ranges': give at least one range")
    for rng in ranges:
        if min_range >= rng:
            raise r.fail(
                f + "min_range",
                m["min_range"],
                f"must be less than every range; {min_range / 1000:,g} km is not less "
                f"than {rng / 1000:,g} km",
            )
    apogee, flown, ftime = _flight(r, m, f, ranges, range_nodes)
    leg = r.convert(m["leg"], f + "leg", parse_leg) if "leg" in m else DEFAULT_LEG
    impacts = tuple(
        _impact(r, n, f"{f}impacts[{k}]", site, site_name, leg)
        for k, n in enumerate(r.items(m, "impacts"))
    )
    missiles = r.texts(m, "missiles", f + "missiles")
    for _, n in missiles:
        r.convert(n, f + "missiles", lookup_missile)
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
        missiles=tuple(name for name, _ in missiles),
        impacts=impacts,
        sources=tuple(s for s, _ in r.texts(m, "sources", f + "sources")),
        notes=r.text(m, "notes", f, default=""),
        standard_range=_standard_range_flag(r, m, f, apogee),
        date=_event_date(r, m, f),
    )


def _event_date(r: Reader, m: dict[str, Node], f: str) -> str:
    """An event's own date: YYYY-MM-DD (it becomes a KML TimeStamp)."""
    if "date" not in m:
        return ""
    node = m["date"]
    v = node.value
    if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return v.isoformat()
    text = v if isinstance(v, str) else ""
    if len(text) == 10:
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            pass
    raise r.fail(f + "date", node, f"{str(node.raw or v)!r} is not a date YYYY-MM-DD")


def _standard_range_flag(r: Reader, m: dict[str, Node], f: str, apogee: float | None) -> bool:
    if "standard_range" not in m:
        return False
    node = m["standard_range"]
    if not isinstance(node.value, bool):
        raise r.fail(f + "standard_range", node, "must be true or false")
    if node.value and apogee is None:
        raise r.fail(f + "standard_range", node, "needs 'apogee' (and 'flown') to compute it")
    return node.value


def _flight(
    r: Reader,
    m: dict[str, Node],
    f: str,
    ranges: list[float],
    range_nodes: list[tuple[Node, str]],
) -> tuple[float | None, float | None, float | None]:
    """(apogee, flown, flight time) of an observed flight; each is used only with the others,
    so a lone one is an error rather than silently ignored."""
    from geo.core.ballistics import analyse_flight

    apogee = r.distance(m["apogee"], f + "apogee") if "apogee" in m else None
    flown = r.distance(m["flown"], f + "flown") if "flown" in m else None
    ftime = None
    if "flight_time_min" in m:
        v = m["flight_time_min"].value
        if not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v) or v <= 0:
            raise r.fail(
                f + "flight_time_min", m["flight_time_min"], "must be a positive number of minutes"
            )
        ftime = float(v)
    if flown is not None and apogee is None:
        raise r.fail(f + "flown", m["flown"], "flown and apogee go together: give 'apogee' too")
    if ftime is not None and apogee is None:
        raise r.fail(
            f + "flight_time_min",
            m["flight_time_min"],
            "flight_time_min goes with apogee and flown: give 'apogee' too",
        )
    if apogee is None:
        return None, None, None
    if flown is not None:
        flown_node, flown_field = m["flown"], f + "flown"
    elif len(ranges) == 1:
        # an event's apogee goes with the range it flew
        flown, (flown_node, flown_field) = ranges[0], range_nodes[0]
    else:
        why = (
            "the event has no range to take it from"
            if not ranges
            else f"it defaults to the event's range only when there is one, not {len(ranges)}"
        )
        raise r.fail(
            f + "apogee", m["apogee"], f"apogee and flown go together: give 'flown' too ({why})"
        )
    try:
        analyse_flight(flown / 1000, apogee / 1000, ftime)
    except InputError as exc:
        raise r.fail(flown_field, flown_node, str(exc)) from None
    return apogee, flown, ftime


def _place(r: Reader, m: dict[str, Node], f: str, node: Node) -> tuple[LonLat, str]:
    if ("site" in m) == ("at" in m):
        raise r.fail(
            f.rstrip("."), node, "give exactly one of 'site' (a gazetteer name) or 'at' (lat,lon)"
        )
    if "site" in m:
        return _named_point(r, m["site"], f + "site")
    c = r.convert(m["at"], f + "at", parse_coord)
    return c, f"{c.lat_deg:.4f}, {c.lon_deg:.4f}"


def _named_point(r: Reader, node: Node, field_: str) -> tuple[LonLat, str]:
    """A gazetteer name (shipped or the user's own), a coordinate ('24.4667,123.0') or a
    mapping {name: "Near Fuzhou", at: "25.5,119.8"}."""
    from geo.access.gazetteer import check_place_name, place_or_coordinate

    if isinstance(node.value, dict):
        m = r.mapping(node, field_, {"name", "at"})
        for key in ("name", "at"):
            if key not in m:
                raise r.fail(field_, node, f"a named point needs '{key}' (name: TEXT, at: LAT,LON)")
        name = r.convert(m["name"], field_ + ".name", check_place_name)
        return r.convert(m["at"], field_ + ".at", parse_coord), name
    point, name = r.convert(node, field_, place_or_coordinate)
    return point, name


def _impact(
    r: Reader, node: Node, f: str, site: LonLat, site_name: str, leg: Leg = DEFAULT_LEG
) -> ImpactSpec:
    """One reported impact; ``leg``: the event's reading, which the impact's own overrides."""
    from geo.core.impact import (
        DEFAULT_BEARING_UNCERTAINTY_DEG,
        DEFAULT_DISTANCE_UNCERTAINTY,
        check_leg,
        impact_label,
    )
    from geo.core.rhumb import GEODESIC_HINT
    from geo.core.shapes import ANTIPODAL_RADIUS_M

    m = r.mapping(node, f, _IMPACT_FIELDS)
    origin, origin_name = site, site_name
    if "from" in m:
        origin, origin_name = _named_point(r, m["from"], f + ".from")
    for key in ("distance", "bearing"):
        if key not in m:
            raise r.fail(f, node, f"field '{key}' is required for a reported impact")
    dist = r.distance(m["distance"], f + ".distance")
    bearing = r.convert(m["bearing"], f + ".bearing", parse_bearing_deg)
    du, bu = DEFAULT_DISTANCE_UNCERTAINTY, DEFAULT_BEARING_UNCERTAINTY_DEG
    if "distance_uncertainty" in m:
        du = _fraction(r, m["distance_uncertainty"], f + ".distance_uncertainty")
    if "bearing_uncertainty" in m:
        v = m["bearing_uncertainty"].value
        if not isinstance(v, (int, float)) or isinstance(v, bool) or not 0 <= v < 180:
            raise r.fail(
                f + ".bearing_uncertainty", m["bearing_uncertainty"], "must be degrees in [0, 180)"
            )
        bu = float(v)
    if dist > ANTIPODAL_RADIUS_M:
        raise r.fail(
            f + ".distance",
            m["distance"],
            f"{dist / 1000:,.0f} km is too far: impacts are limited to "
            f"{ANTIPODAL_RADIUS_M / 1000:,.0f} km, about half the Earth's circumference",
        )
    if dist * (1 + du) > ANTIPODAL_RADIUS_M:  # reported_impact refuses it, bearing exact or not
        raise r.fail(
            f + ".distance",
            m["distance"],
            f"with {100 * du:g}% uncertainty the impact area reaches {dist * (1 + du) / 1000:,.0f}"
            f" km; impact areas are limited to {ANTIPODAL_RADIUS_M / 1000:,.0f} km",
        )
    if "leg" in m:
        leg = r.convert(m["leg"], f + ".leg", parse_leg)
    try:
        check_leg(origin, dist, bearing, du, bu, leg)
    except InputError as exc:
        # the core names the CLI option; a scenario sets its own key
        msg = str(exc).replace(GEODESIC_HINT, "set leg: geodesic")
        raise r.fail(f + ".bearing", m["bearing"], msg) from None
    bearing_text = r.scalar(m["bearing"], f + ".bearing")
    distance_text = r.scalar(m["distance"], f + ".distance")
    label = r.text(
        m, "label", f + ".", default=impact_label(distance_text, bearing_text, origin_name)
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
        leg,
    )


def _fraction(r: Reader, node: Node, field_: str) -> float:
    v = node.value
    if isinstance(v, str):
        try:
            return parse_fraction(v)
        except InputError:
            raise r.fail(field_, node, "must be a fraction (0.1) or a percentage (10%)") from None
    if not isinstance(v, (int, float)) or isinstance(v, bool) or not 0 <= v < 1:
        raise r.fail(field_, node, "must be a fraction in [0, 1) or a percentage")
    return float(v)
