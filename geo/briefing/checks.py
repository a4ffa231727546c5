"""Checks as typed requests: a point, a reported impact or an area, run against a zone set
for any number of countries, one at a time or streamed from a CSV file in batches.

``rangezone check`` builds one request from its options; a batch builds one per CSV row
(the same fields), so a row gets the same verdict as the single check would.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from geo.briefing.compose import RangeRequest, area_name, request_extent, shape_for
from geo.core.batch import VERDICT_COLUMNS, point_cells
from geo.core.impact import ReportedImpact, reported_impact
from geo.core.parse import (
    DEFAULT_LEG,
    Leg,
    parse_bearing_deg,
    parse_bearing_range,
    parse_coord,
    parse_distance_m,
    parse_leg,
)
from geo.core.sides import CountrySide, country_side
from geo.core.types import LonLat
from geo.core.verdicts import AreaVerdict, PointVerdict, area_verdict, impact_verdict, point_verdict
from geo.errors import GEODESIC_LEG_HINT, InputError, RangezoneError

if TYPE_CHECKING:
    from geo.access.pointfile import CheckRow
    from geo.access.zones import Zones


@dataclass(frozen=True)
class PointCheck:
    """Is this point inside the countries' zones?"""

    point: LonLat
    name: str = ""


@dataclass(frozen=True)
class ImpactCheck:
    """A reported impact "DISTANCE BEARING of ORIGIN", with its uncertainty (None: the
    defaults of :func:`geo.core.impact.reported_impact`) and, optionally, the launch site."""

    origin: LonLat
    origin_name: str
    distance_m: float
    bearing_deg: float
    bearing_text: str
    distance_uncertainty: float | None = None
    bearing_uncertainty_deg: float | None = None
    site: LonLat | None = None
    site_name: str | None = None
    leg: Leg = DEFAULT_LEG
    """How distance and bearing are read: a rhumb line (constant bearing) or a geodesic."""

    def impact(self) -> ReportedImpact:
        given: dict[str, float] = {}
        if self.distance_uncertainty is not None:
            given["distance_uncertainty"] = self.distance_uncertainty
        if self.bearing_uncertainty_deg is not None:
            given["bearing_uncertainty_deg"] = self.bearing_uncertainty_deg
        return reported_impact(
            self.origin, self.distance_m, self.bearing_deg, leg=self.leg, **given
        )


@dataclass(frozen=True)
class AreaCheck:
    """Does the range or impact area around ``centre`` reach the countries' zones?"""

    centre: LonLat
    name: str
    request: RangeRequest

    @property
    def label(self) -> str:
        extent = request_extent(self.request)
        return f"the {area_name(self.request.properties or {}, extent)} from {self.name}"


CheckRequest = PointCheck | ImpactCheck | AreaCheck


@dataclass
class CheckContext:
    """What every check runs against: zones, land, and the countries asked (in order)."""

    zones: Zones
    land: Zones | None
    countries: list[str] = field(default_factory=list)

    def sides(self) -> list[CountrySide]:
        """One side per country; an unknown country fails here, before any work."""
        out: dict[str, CountrySide] = {}
        for c in self.countries:
            s = country_side(self.zones, c, self.land)
            out.setdefault(s.country, s)
        return list(out.values())


def run_check(req: CheckRequest, ctx: CheckContext) -> PointVerdict | AreaVerdict:
    """The verdict of one check."""
    if isinstance(req, PointCheck):
        return point_verdict(ctx.zones, req.point, countries=ctx.countries, land=ctx.land)
    if isinstance(req, ImpactCheck):
        return impact_verdict(ctx.zones, req.impact(), countries=ctx.countries, land=ctx.land)
    shape = shape_for(req.centre, req.request)
    return area_verdict(
        ctx.zones,
        shape.geometry,
        shape.area_m2,
        req.centre,
        countries=ctx.countries,
        label=req.label,
        extent=request_extent(req.request),
    )


# ---------------------------------------------------------------------------- rows

_COORD_LIKE = re.compile(r"^[\s\d.,;:+\-°º'\"′″NSEWnsewdms]+$")


def place_or_point(text: str) -> tuple[LonLat, str]:
    """A place of the gazetteer, or coordinates (text made only of numbers, signs, degree
    marks and hemisphere letters is never taken for a name)."""
    if _COORD_LIKE.match(text):
        c = parse_coord(text)
        return c, f"{c.lat_deg:.4f}, {c.lon_deg:.4f}"
    from geo.access.gazetteer import lookup_place

    place = lookup_place(text)
    return place.lonlat, place.name


def _number(text: str, what: str, upper: float, *, percent: bool = False) -> float:
    if percent:
        from geo.core.parse import parse_fraction

        return parse_fraction(text)
    try:
        v = float(text.rstrip("°").strip())
    except ValueError:
        raise InputError(f"{what} {text!r} is not a number") from None
    if not 0.0 <= v < upper:
        raise InputError(f"{what} {text!r} is outside [0, {upper:g})")
    return v


_IMPACT_ROLES = frozenset(
    ("from", "distance", "bearing", "distance_uncertainty", "bearing_uncertainty", "leg")
)
_AREA_ROLES = frozenset(("range", "min_range", "sector"))


def row_kind(values: dict[str, str]) -> str:
    """``impact``, ``area`` or ``point``, by which columns a row fills (a leg alone makes no
    impact: a mixed batch may fill it on every row)."""
    if not (_IMPACT_ROLES - {"leg"}).isdisjoint(values):
        return "impact"
    if not _AREA_ROLES.isdisjoint(values):
        return "area"
    return "point"


def request_from_row(values: dict[str, str], default_leg: Leg = DEFAULT_LEG) -> CheckRequest:
    """The check a CSV row asks for; :class:`InputError` naming what is wrong. A reported
    impact is read along its ``leg`` column, else ``default_leg``."""
    if "__error__" in values:
        raise InputError(values["__error__"])
    kind = row_kind(values)
    has_point = "lat" in values or "lon" in values
    if kind == "impact":
        missing = [r for r in ("from", "distance", "bearing") if r not in values]
        if missing:
            raise InputError(f"a reported impact needs from, distance and bearing: no {missing[0]}")
        if has_point or any(r in values for r in _AREA_ROLES):
            raise InputError("a row is a point, an impact or an area: fill only one's columns")
        origin, origin_name = place_or_point(values["from"])
        site = site_name = None
        if "site" in values:
            site, site_name = place_or_point(values["site"])
        return ImpactCheck(
            origin,
            origin_name,
            parse_distance_m(values["distance"]),
            parse_bearing_deg(values["bearing"]),
            values["bearing"],
            _number(values["distance_uncertainty"], "distance_uncertainty", 1.0, percent=True)
            if "distance_uncertainty" in values
            else None,
            _number(values["bearing_uncertainty"], "bearing_uncertainty", 180.0)
            if "bearing_uncertainty" in values
            else None,
            site,
            site_name,
            parse_leg(values["leg"]) if values.get("leg", "").strip() else default_leg,
        )
    if values.get("leg", "").strip():
        raise InputError(
            "leg applies to a reported impact (from, distance, bearing): leave it empty on "
            "point and area rows"
        )
    centre, name = _row_point(values, need_site=kind == "area")
    if kind == "area":
        if "range" not in values:
            raise InputError("min_range and sector describe an area: fill range too")
        from geo.cli.options import checked_area

        return AreaCheck(
            centre,
            name,
            RangeRequest(
                *checked_area(
                    parse_distance_m(values["range"]),
                    parse_distance_m(values["min_range"]) if "min_range" in values else 0.0,
                    parse_bearing_range(values["sector"]) if "sector" in values else None,
                )
            ),
        )
    if "site" in values:
        raise InputError("a point row gives lat and lon; site goes with range (an area)")
    return PointCheck(centre, name)


def _row_point(values: dict[str, str], *, need_site: bool) -> tuple[LonLat, str]:
    has_point = "lat" in values or "lon" in values
    if need_site and "site" in values:
        if has_point:
            raise InputError("an area is around site or lat/lon, not both")
        return place_or_point(values["site"])
    if "lat" not in values or "lon" not in values:
        raise InputError("lat and lon are both needed" if has_point else "the row is empty")
    try:
        lat, lon = float(values["lat"]), float(values["lon"])
    except ValueError:
        raise InputError(
            f"lat/lon must be numbers, got {values['lat']!r}, {values['lon']!r}"
        ) from None
    if not (np.isfinite(lat) and np.isfinite(lon)):
        raise InputError(f"lat/lon must be finite numbers, got {lat}, {lon}")
    if not -90 <= lat <= 90:
        raise InputError(f"latitude {lat:g} is outside -90..90")
    if not -180 <= lon <= 180:
        raise InputError(f"longitude {lon:g} is outside -180..180")
    return LonLat(lon, lat), f"{lat:.4f}, {lon:.4f}"


# ---------------------------------------------------------------------------- batches

HEAD_COLUMNS = ("id", "line", "kind", "leg", "lat", "lon")
"""``leg``: how an impact row's distance and bearing were read (rhumb or geodesic); empty on
point and area rows."""
AREA_COLUMNS = ("area_km2", "overlap_km2", "nearest_km")
TAIL_COLUMNS = ("dataset", "dataset_kind", "error")
BATCH_COLUMNS = (*HEAD_COLUMNS, *VERDICT_COLUMNS, *AREA_COLUMNS, *TAIL_COLUMNS)
"""The columns of every batch row, before the user's own columns."""

CHUNK_ROWS = 20_000
"""Rows read, computed and written together: memory stays flat whatever the file's size."""


def output_names(extra_names: Sequence[str]) -> list[str]:
    """The user's columns as written: a name taken (ignoring case) by a batch column, or by
    an earlier user column, gets ``input_`` in front."""
    taken = {c.casefold() for c in BATCH_COLUMNS}
    out = []
    for name in extra_names:
        new = name
        while new.casefold() in taken:
            new = f"input_{new}"
        taken.add(new.casefold())
        out.append(new)
    return out


@dataclass
class BatchTally:
    """How a batch went: rows read, rows that failed and the first failure."""

    rows: int = 0
    failed: int = 0
    first_line: int | None = None
    first_error: str = ""

    def fail(self, line: int, message: str) -> None:
        self.failed += 1
        if self.first_line is None:
            self.first_line, self.first_error = line, message


def batch_rows(
    rows: Iterable[CheckRow], ctx: CheckContext, tally: BatchTally, leg: Leg = DEFAULT_LEG
) -> Iterator[list[Any]]:
    """Output rows (:data:`BATCH_COLUMNS` then the user's columns), one per input row and
    country, in input order, computed a chunk at a time. A row that cannot be checked gets
    its ``error`` and no verdict; the others are not affected."""
    sides = ctx.sides()
    dataset = [ctx.zones.info.name, ctx.zones.info.kind]
    chunk: list[CheckRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK_ROWS:
            yield from _chunk_rows(chunk, ctx, sides, dataset, tally, leg)
            chunk = []
    if chunk:
        yield from _chunk_rows(chunk, ctx, sides, dataset, tally, leg)


def _chunk_rows(
    chunk: list[CheckRow],
    ctx: CheckContext,
    sides: list[CountrySide],
    dataset: list[str],
    tally: BatchTally,
    leg: Leg = DEFAULT_LEG,
) -> Iterator[list[Any]]:
    reqs: list[CheckRequest | str] = []
    for row in chunk:
        tally.rows += 1
        try:
            reqs.append(request_from_row(row.values, leg))
        except RangezoneError as exc:
            msg = " ".join(str(exc).split())
            tally.fail(row.line, msg)
            reqs.append(msg)
    pts = [(k, r.point) for k, r in enumerate(reqs) if isinstance(r, PointCheck)]
    cells: dict[int, list[list[Any]]] = {}
    if pts:
        lons = np.array([p.lon_deg for _, p in pts])
        lats = np.array([p.lat_deg for _, p in pts])
        found = point_cells(ctx.zones, ctx.land, sides, lons, lats)
        for (k, _), c in zip(pts, found, strict=True):
            cells[k] = c
    empty_verdict = [""] * (len(VERDICT_COLUMNS) + len(AREA_COLUMNS))
    no_area = [""] * len(AREA_COLUMNS)
    for k, (row, req) in enumerate(zip(chunk, reqs, strict=True)):
        extra = [v for _, v in row.extra]
        kind = row_kind(row.values)
        if isinstance(req, str):
            yield [row.id, row.line, kind, "", "", "", *empty_verdict, *dataset, req, *extra]
            continue
        if isinstance(req, PointCheck):
            p = req.point
            for c in cells[k]:
                head = [row.id, row.line, kind, "", p.lat_deg, p.lon_deg]
                yield [*head, *c, *no_area, *dataset, "", *extra]
            continue
        read = req.leg if isinstance(req, ImpactCheck) else ""
        try:
            result = run_check(req, ctx)
        except RangezoneError as exc:
            hint = "write geodesic in its leg column"  # a row reads its leg from there
            msg = " ".join(str(exc).split()).replace(GEODESIC_LEG_HINT, hint)
            tally.fail(row.line, msg)
            yield [row.id, row.line, kind, read, "", "", *empty_verdict, *dataset, msg, *extra]
            continue
        for c in _verdict_cells(result):
            yield [row.id, row.line, kind, read, *c, *dataset, "", *extra]


def _verdict_cells(result: PointVerdict | AreaVerdict) -> list[list[Any]]:
    """lat, lon, the verdict columns and the area columns of a single check's result, one
    list per country (one with empty country columns when none was asked)."""
    if isinstance(result, PointVerdict):
        at, containing = result.point, result.containing
        on_land = result.on_land.country if result.on_land else ""
    else:
        at, containing, on_land = result.launch, result.containing, ""
    z = containing[0].zone if containing else None
    base: list[Any] = [
        at.lat_deg,
        at.lon_deg,
        z.name if z else "",
        z.territory if z else "",
        z.sovereign if z else "",
        z.pol_type if z else "",
        "; ".join(c.zone.name for c in containing),
        on_land,
    ]
    if isinstance(result, PointVerdict):
        if not result.verdicts:
            return [[*base, "", "", "", "", "", "", "", "", ""]]
        return [
            [
                *base,
                v.country,
                v.status,
                round(v.margin_km, 3) if math.isfinite(v.margin_km) else "",
                "" if v.coast_km is None else round(v.coast_km, 3),
                round(v.p_inside, 4),
                v.note,
                "",
                "",
                "",
            ]
            for v in result.verdicts
        ]
    area = round(result.area_km2, 1)
    if not result.verdicts:
        return [[*base, "", "", "", "", "", "", area, "", ""]]
    return [
        [
            *base,
            a.country,
            a.status,
            "" if a.margin_km is None else a.margin_km,
            "",
            "",
            a.summary,
            area,
            round(a.overlap_km2, 1),
            "" if a.nearest_km is None else round(a.nearest_km, 3),
        ]
        for a in result.verdicts
    ]
