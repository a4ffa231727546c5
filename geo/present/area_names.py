"""Where country and zone names may go, and what a legend explains (pure, both renderers)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from geo.present.basemap import label_points, largest_polygon, parts
from geo.present.content import MapContent
from geo.present.layout import XY, Placement, Placer, Request
from geo.present.style import Style, feature_style, ordered_kinds, range_label


def visible_part(geom: BaseGeometry, windows: Sequence[BaseGeometry]) -> Polygon | None:
    """The biggest piece of ``geom`` inside any of ``windows`` (plane polygons: one, or
    several where the view is cut at the antimeridian)."""
    polys: list[Polygon] = []
    for w in windows:
        if w.contains(geom):
            piece = geom
        elif w.intersects(geom):
            piece = geom.intersection(w)
        else:
            continue
        p = largest_polygon(piece)
        if p is not None:
            polys.append(p)
    return max(polys, key=lambda p: p.area) if polys else None


@dataclass(frozen=True)
class AreaName:
    """A country or zone that a map may name, with where (plane points, best first)."""

    key: int
    """Index of the area in the input."""
    share: float
    """Its visible part's share of the view."""
    part: Polygon
    places: list[XY]


def area_candidates(
    areas: Sequence[BaseGeometry],
    windows: Sequence[BaseGeometry],
    view_area: float,
    least_share: float,
    points: int,
) -> list[AreaName]:
    """The areas whose visible part covers at least ``least_share`` of the view, biggest
    first, each with ``points`` places well inside that part."""
    out: list[AreaName] = []
    for i, g in enumerate(areas):
        part = visible_part(g, windows)
        if part is None:
            continue
        share = part.area / max(view_area, 1e-12)
        if share < least_share:
            continue
        places = [(float(p.x), float(p.y)) for p in label_points(part, points)]
        out.append(AreaName(i, share, part, places))
    out.sort(key=lambda a: -a.share)
    return out


SUBJECT_COUNTRY_LABEL_SHARE = 0.00005
"""A subject country (``MapContent.subjects``) is named when its visible land covers this
share of the view: islands such as Japan's Sakishima group by Taiwan are enough."""


def visible_pieces(geom: BaseGeometry, windows: Sequence[BaseGeometry], n: int = 8) -> list[XY]:
    """A point well inside each visible piece of ``geom`` (its ``n`` biggest, biggest first):
    where a subject country's name may stand beside its land when every place on its
    biggest piece is taken (2022-08-04: Japan's islands by Yonaguni, under other names)."""
    polys: list[Polygon] = []
    for w in windows:
        piece = geom if w.contains(geom) else geom.intersection(w) if w.intersects(geom) else None
        if piece is not None:
            polys += [p for p in parts(piece) if isinstance(p, Polygon) and not p.is_empty]
    polys.sort(key=lambda p: -p.area)
    out: list[XY] = []
    for p in polys[:n]:
        c = p.representative_point()
        out.append((float(c.x), float(c.y)))
    return out


def name_beside(
    placer: Placer, size: XY, points: Sequence[XY], margin: XY, unit: float
) -> Placement | None:
    """A subject country's name where none of its own places is free: beside the nearest
    free side of one of its visible pieces (as a point's name), else in the nearest free room
    with a leader to it; never left out."""
    if not points:
        return None
    return placer.place(
        Request("reference_point", [size], list(points), unit=unit, margin=margin, leader=True)
    )


def is_subject_country(name: str, subjects: Sequence[str]) -> bool:
    """Is the basemap country ``name`` one of the map's subject countries?"""
    from geo.present.style import short_name

    keys = {k.casefold() for s in subjects for k in (s, short_name(s))}
    return name.casefold() in keys or short_name(name).casefold() in keys


def country_names_first(
    ranked: Sequence[AreaName], names: Sequence[str], subjects: Sequence[str], least_share: float
) -> list[AreaName]:
    """Country names to place: the subject countries first (any visible share from
    :data:`SUBJECT_COUNTRY_LABEL_SHARE`), then the others from ``least_share``, biggest
    first."""
    keep = [
        a for a in ranked if a.share >= least_share or is_subject_country(names[a.key], subjects)
    ]
    return sorted(keep, key=lambda a: (not is_subject_country(names[a.key], subjects), -a.share))


@dataclass(frozen=True)
class LegendEntry:
    title: str
    kind: str
    style: Style


def legend_entries(content: MapContent) -> list[LegendEntry]:
    """What the legend explains, in drawing order, one entry per distinct title: each range
    by its colour ("Range: 400 km"; range areas only when there are no rings), every other
    kind and zone type by its style's title."""
    out: list[LegendEntry] = []
    seen: set[str] = set()
    have_rings = bool(content.of_kind("ring"))
    for kind in ordered_kinds(content):
        for f in content.of_kind(kind):
            if (kind == "range_area" and have_rings) or kind == "reported_leg":
                continue  # a reported leg's own name ("1,180 km E") says what it is
            style = feature_style(f, content)
            if kind in ("ring", "range_area"):
                rl = range_label(f)
                head = "Range" if kind == "ring" else "Range area"
                title = f"{head}: {rl}" if rl else style.title
            else:
                title = style.title
            if title in seen:
                continue
            seen.add(title)
            out.append(LegendEntry(title, kind, style))
    return out
