"""A country's zones and its side: the zones that count for it together with its own land.

A point's verdict for a country is decided against the side, so that the same place gets
the same answer whether a dataset cut the country's islands out of its zone or not, and an
``inside`` margin is the distance to where the country's side ends at sea (a foreign zone,
foreign land or the high seas), not to its own coast.

Pure: zone sets in memory in, geometries and numpy arrays out.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

from geo.core.iso3166 import ALPHA2_TO_ALPHA3
from geo.core.margins import SegmentSet, fill_small_holes, nearest_many, segment_set
from geo.errors import UnknownCountryError

if TYPE_CHECKING:
    from geo.access.zones import Zones

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

GAP_FILL_DEG2 = 0.02
"""Enclosed gaps between a country's zones and its own land smaller than this (in square
degrees, about 200 km² at 35° N) belong to its side: they are where a zone file and the land
layer draw the same coast a little differently, not sea of anyone else."""

STATUSES = ("inside", "on_own_land", "outside", "uncertain")

_COUNTRY_ALIASES = {
    "rok": "south korea",
    "republic of korea": "south korea",
    "korea, republic of": "south korea",
    "dprk": "north korea",
    "democratic people's republic of korea": "north korea",
    "korea, dem. people's rep.": "north korea",
    "prc": "china",
    "people's republic of china": "china",
    "roc": "taiwan",
    "russian federation": "russia",
    "usa": "united states",
    "us": "united states",
    "united states of america": "united states",
    "uk": "united kingdom",
    "nippon": "japan",
}


def norm_country(text: str) -> str:
    """A country name as compared: case-folded, single-spaced, aliases resolved."""
    t = " ".join(text.casefold().replace("_", " ").split())
    return _COUNTRY_ALIASES.get(t, t)


@dataclass(frozen=True, eq=False)  # compared and cached by identity (one per zone set)
class CountryZones:
    """The zones that count for a country, and their union."""

    country: str
    own: list[int]
    shared: list[int]
    union: BaseGeometry

    @property
    def indices(self) -> list[int]:
        return self.own + self.shared

    def describe(self, zones: Zones) -> str:
        own = ", ".join(zones.zones[i].name for i in self.own) or "none"
        text = f"{self.country}'s own zones ({own})"
        if self.shared:
            shared = ", ".join(
                f"{zones.zones[i].name} [{zones.zones[i].pol_type}]" for i in self.shared
            )
            text += f" and zones it shares or claims with others ({shared})"
        return text


def country_zones(zones: Zones, country: str) -> CountryZones:
    """Zones whose territory, sovereign or ISO code is ``country`` (a name, alias, or ISO 3166
    alpha-3 or alpha-2 code)."""
    return _country_zones_cached(zones, norm_country(country), country)


@lru_cache(maxsize=64)
def _country_zones_cached(zones: Zones, key: str, original: str) -> CountryZones:
    own: list[int] = []
    shared: list[int] = []
    display = original
    # Zone files carry alpha-3 codes; users also type alpha-2 ("JP").
    keys = {key, ALPHA2_TO_ALPHA3.get(original.strip().upper(), "").casefold()} - {""}
    for i, z in enumerate(zones.zones):
        names = [norm_country(n) for n in (*z.territories, *z.sovereigns)]
        codes = [c.casefold() for c in z.iso_codes]
        if key in names or not keys.isdisjoint(codes):
            (shared if z.is_shared else own).append(i)
            if key in names:
                display = next(n for n in (*z.territories, *z.sovereigns) if norm_country(n) == key)
            elif display == original and not z.is_shared:
                display = z.territory or z.sovereign  # matched by ISO code: show a name
    if not own and not shared:
        labels = sorted({n for z in zones.zones for n in (*z.territories, *z.sovereigns)})
        import difflib  # only for a misspelt name: not at every start

        close = difflib.get_close_matches(original, labels, n=3, cutoff=0.6)
        close += [lb for lb in labels if original.casefold() in lb.casefold() and lb not in close][
            :3
        ]
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UnknownCountryError(
            f"no zone of dataset '{zones.info.name}' belongs to {original!r}{hint}"
        )
    union = shapely.union_all([zones.geoms[i] for i in own + shared])
    shapely.prepare(union)
    return CountryZones(display, own, shared, union)


@dataclass(frozen=True)
class CountrySide:
    """A country's side: its counted zones and its own land (from the land layer), with the
    small gaps between them filled; ``edge`` is where the side ends, ``coast`` the edge of
    its own land."""

    zones: CountryZones
    land_indices: frozenset[int]
    own_union: BaseGeometry  # the country's own (not shared) zones
    side: BaseGeometry
    edge: SegmentSet
    coast: SegmentSet | None

    @property
    def country(self) -> str:
        return self.zones.country

    def land_mask(self, land_idx: IntArray) -> BoolArray:
        """Which land-layer hits (indices, -1 for none) are the country's own land."""
        if not self.land_indices:
            return np.zeros(land_idx.shape, dtype=bool)
        return np.isin(land_idx, np.fromiter(self.land_indices, dtype=np.int64))


def country_side(zones: Zones, country: str, land: Zones | None) -> CountrySide:
    """The side of ``country`` (see :class:`CountrySide`); without ``land`` only its zones."""
    cz = country_zones(zones, country)
    return _side_cached(zones, cz, land)


@lru_cache(maxsize=32)
def _side_cached(zones: Zones, cz: CountryZones, land: Zones | None) -> CountrySide:
    own_idx = own_land_indices(zones, cz, land) if land is not None else []
    parts = [cz.union]
    own_land = None
    if land is not None and own_idx:
        own_land = shapely.union_all([land.geoms[i] for i in own_idx])
        parts.append(own_land)
    side = fill_small_holes(shapely.union_all(parts), GAP_FILL_DEG2)
    shapely.prepare(side)
    own_union = shapely.union_all([zones.geoms[i] for i in cz.own]) if cz.own else shapely.Polygon()
    shapely.prepare(own_union)
    return CountrySide(
        cz,
        frozenset(own_idx),
        own_union,
        side,
        segment_set([side]),
        segment_set([own_land]) if own_land is not None else None,
    )


def own_land_indices(zones: Zones, cz: CountryZones, land: Zones) -> list[int]:
    """Land-layer records of the country: named like it, or carrying the ISO code of one of
    its own (not shared) zones."""
    codes = {c.casefold() for i in cz.own for c in zones.zones[i].iso_codes} - {"", "-99"}
    name = norm_country(cz.country)
    out = []
    for i, z in enumerate(land.zones):
        names = {norm_country(n) for n in (z.name, *z.territories)}
        if name in names or not codes.isdisjoint(c.casefold() for c in z.iso_codes):
            out.append(i)
    return out


@dataclass
class SideVerdicts:
    """Per point, for one country: status, margin (km) and coast distance (km, NaN when not
    measured), and what the note says (codes, see :func:`side_note`)."""

    status: npt.NDArray[np.str_]
    margin_km: npt.NDArray[np.float64]
    coast_km: npt.NDArray[np.float64]
    in_zone: BoolArray
    shared_only: BoolArray
    gap: BoolArray


def side_verdicts(
    side: CountrySide, lons: npt.NDArray[np.float64], lats: npt.NDArray[np.float64],
    land_idx: IntArray,
) -> SideVerdicts:  # fmt: skip
    """Status of each point for the country: ``on_own_land`` (on its own land, whatever the
    zone file did with that land), ``inside`` (in its side at sea), else ``outside``. The
    margin is the geodesic distance to the nearest point that is not on the country's side
    (inside) or to its side (outside); ``coast_km`` is measured for points on its side."""
    own = side.land_mask(land_idx)
    in_zone = shapely.contains_xy(side.zones.union, lons, lats)
    in_side = own | in_zone | shapely.contains_xy(side.side, lons, lats)
    in_own_zone = (
        shapely.contains_xy(side.own_union, lons, lats)
        if side.zones.own
        else np.zeros(lons.shape, dtype=bool)
    )
    status = np.where(own, "on_own_land", np.where(in_side, "inside", "outside"))
    margin, _, _ = nearest_many(lons, lats, side.edge)
    coast = np.full(lons.size, np.nan)
    if side.coast is not None and in_side.any():
        coast[in_side], _, _ = nearest_many(lons[in_side], lats[in_side], side.coast)
    return SideVerdicts(
        status.astype(str),
        margin / 1000.0,
        coast / 1000.0,
        in_zone,
        in_zone & ~in_own_zone & ~own,
        in_side & ~in_zone & ~own,
    )
