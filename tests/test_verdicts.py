"""EEZ verdicts against the official Marine Regions v10 polygons (North-East Asia).

Every number is checked against an independent authority with an absolute tolerance:

- distances to a zone boundary: the ``zone_oracle`` brute force (``Geod.inv`` over the raw
  GeoJSON boundary cut into 0.001° pieces), ±0.5 km (±2 km for the headline 509 km figure);
- overlap areas: the intersection of the raw zone with a 7,200-vertex ``Geod.fwd`` circle,
  projected to a Lambert azimuthal equal-area projection centred on the launch point, ±100 km²
  (the ring is drawn to 100 m; over the ≤ 1,000 km of ring arc inside any one zone that moves
  at most 100 km²);
- ``p_inside``: a 20,000-draw Monte Carlo of the documented error model, ±0.03;
- ``Zones.locate``: ``geopandas.sjoin(predicate="within")``, answers identical.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pytest
import shapely
from conftest import GeodesicOracle, ZoneOracle, rhumb_forward, rhumb_sector_area_m2
from pyproj import Geod, Transformer
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from geo.access.gazetteer import lookup_place
from geo.access.zones import Zones, load_zones
from geo.briefing.compose import RangeRequest, shape_for
from geo.core.impact import reported_impact
from geo.core.iso3166 import ALPHA2_TO_ALPHA3
from geo.core.parse import parse_bearing_deg
from geo.core.types import LonLat
from geo.core.verdicts import (
    NEARBY_COUNT,
    area_verdict,
    country_zones,
    impact_verdict,
    point_verdict,
)
from geo.errors import UnknownCountryError

GEOD = Geod(ellps="WGS84")

DIST_TOL_KM = 0.5
"""Distances to a boundary: the oracle is ≤ 0.06 km high; the tool refines on the ellipsoid."""
HEADLINE_TOL_KM = 2.0
AREA_TOL_KM2 = 100.0
FRACTION_TOL = 0.001
P_TOL = 0.03

JAPAN_EEZ = "Japanese Exclusive Economic Zone"
KOREA_EEZ = "South Korean Exclusive Economic Zone"
NORTH_KOREA_EEZ = "North Korean Exclusive Economic Zone"
CHINA_EEZ = "Chinese Exclusive Economic Zone"
LIANCOURT_CLAIM = "Overlapping claim Liancourt Rocks: Japan / South Korea"
JOINT_REGIME = "Joint regime area Japan / Korea"

SEA_OF_JAPAN = LonLat(135.5, 38.0)
"""Mid Sea of Japan, inside Japan's zone only, about 131 km from its edge."""
PACIFIC = LonLat(165.0, 30.0)
"""Open Pacific east of Japan: in no zone of the file."""
LIANCOURT = LonLat(131.8667, 37.2417)
"""Liancourt Rocks (Dokdo / Takeshima), 37°14′30″N 131°52′00″E."""
EAST_CHINA_SEA_JDZ = LonLat(127.0, 30.5)
"""Inside the Japan-Korea joint development zone of the East China Sea."""
TOKYO = LonLat(139.7671, 35.6812)
"""Tokyo Station."""


def sariwon() -> LonLat:
    return lookup_place("Sariwon").lonlat


def japan_counted(oracle: ZoneOracle) -> list[str]:
    """Zones Japan is party to in the raw file: its EEZ, the three claims, the joint regime."""
    return [
        str(p["geoname"])
        for p, _ in oracle.features
        if "JPN" in (p.get("iso_tr1"), p.get("iso_tr2"), p.get("iso_tr3"))
    ]


def containing_names(d: dict[str, Any]) -> list[str]:
    return [z["name"] for z in d["containing"]]


# ---------------------------------------------------------------------------- points


def test_point_inside_japan_reports_zone_and_distance_to_its_boundary(
    eez_v10: Zones, zone_oracle: ZoneOracle
) -> None:
    d = point_verdict(eez_v10, SEA_OF_JAPAN, country="Japan").to_dict()
    assert (d["lat"], d["lon"]) == (38.0, 135.5)
    assert containing_names(d) == [JAPAN_EEZ]
    zone = d["containing"][0]
    assert (zone["territory"], zone["sovereign"], zone["pol_type"]) == ("Japan", "Japan", "200NM")
    want = zone_oracle.boundary_distance_km(135.5, 38.0, zone_oracle.geom(JAPAN_EEZ))
    assert zone["distance_to_boundary_km"] == pytest.approx(want, abs=DIST_TOL_KM)
    assert d["nearby"] == []
    v = d["verdict"]
    assert (v["country"], v["status"], v["p_inside"]) == ("Japan", "inside", 1.0)
    assert v["inside_zones"] == [JAPAN_EEZ]
    # far from the claims, the margin is the distance to Japan's own zone's edge
    assert v["margin_km"] == pytest.approx(want, abs=DIST_TOL_KM)


def test_point_in_no_zone_lists_the_nearest_zones_with_distances(
    eez_v10: Zones, zone_oracle: ZoneOracle
) -> None:
    d = point_verdict(eez_v10, PACIFIC, country="Japan").to_dict()
    assert d["containing"] == []
    truth = sorted(
        (zone_oracle.distance_km(PACIFIC.lon_deg, PACIFIC.lat_deg, g), str(p["geoname"]))
        for p, g in zone_oracle.features
    )
    assert all(km > 0 for km, _ in truth)
    got = [(z["distance_km"], z["name"]) for z in d["nearby"]]
    assert len(got) == NEARBY_COUNT
    assert [n for _, n in got] == [n for _, n in truth[:NEARBY_COUNT]]
    for (km, _), (want, _) in zip(got, truth, strict=False):
        assert km == pytest.approx(want, abs=DIST_TOL_KM)
    for z in d["nearby"]:
        assert {"name", "territory", "sovereign", "pol_type", "distance_km"} <= set(z)
    v = d["verdict"]
    assert v["status"] == "outside"
    union = zone_oracle.country_union("JPN")
    assert v["margin_km"] == pytest.approx(
        zone_oracle.boundary_distance_km(PACIFIC.lon_deg, PACIFIC.lat_deg, union),
        abs=DIST_TOL_KM,
    )


def test_liancourt_rocks_are_in_the_overlapping_claim_and_in_south_koreas_zone(
    eez_v10: Zones, zone_oracle: ZoneOracle
) -> None:
    d = point_verdict(eez_v10, LIANCOURT).to_dict()
    raw = {
        str(p["geoname"])
        for p, g in zone_oracle.features
        if shapely.contains_xy(g, LIANCOURT.lon_deg, LIANCOURT.lat_deg)
    }
    assert raw == {LIANCOURT_CLAIM, KOREA_EEZ}
    # both named, the most specific (the claim) first; never folded into one country
    assert containing_names(d) == [LIANCOURT_CLAIM, KOREA_EEZ]
    claim, korea = d["containing"]
    assert claim["pol_type"] == "Overlapping claim"
    assert claim["claimants"] == ["Japan", "South Korea"]
    assert korea["pol_type"] == "200NM"
    assert korea["territory"] == korea["sovereign"] == "South Korea"
    assert "claimants" not in korea
    for z in d["containing"]:
        want = zone_oracle.boundary_distance_km(
            LIANCOURT.lon_deg, LIANCOURT.lat_deg, zone_oracle.geom(z["name"])
        )
        assert z["distance_to_boundary_km"] == pytest.approx(want, abs=DIST_TOL_KM)

    jp = point_verdict(eez_v10, LIANCOURT, country="Japan").verdict
    assert jp is not None
    assert jp.status == "inside"
    assert jp.inside_zones == [LIANCOURT_CLAIM]
    assert "shared or claimed" in jp.note
    kr = point_verdict(eez_v10, LIANCOURT, country="South Korea").verdict
    assert kr is not None
    assert kr.status == "inside"
    assert kr.inside_zones == [LIANCOURT_CLAIM, KOREA_EEZ]


def test_point_in_the_japan_korea_joint_regime(eez_v10: Zones, zone_oracle: ZoneOracle) -> None:
    p = EAST_CHINA_SEA_JDZ
    raw = {str(q["geoname"]) for q, g in zone_oracle.features if shapely.contains_xy(g, *p)}
    assert raw == {JOINT_REGIME}
    d = point_verdict(eez_v10, p).to_dict()
    assert containing_names(d) == [JOINT_REGIME]
    z = d["containing"][0]
    assert z["pol_type"] == "Joint regime"
    assert z["claimants"] == ["Japan", "South Korea"]
    want = zone_oracle.boundary_distance_km(p.lon_deg, p.lat_deg, zone_oracle.geom(JOINT_REGIME))
    assert z["distance_to_boundary_km"] == pytest.approx(want, abs=DIST_TOL_KM)
    for country in ("Japan", "South Korea"):
        v = point_verdict(eez_v10, p, country=country).verdict
        assert v is not None
        assert v.status == "inside"
        assert v.inside_zones == [JOINT_REGIME]
        assert "shared or claimed" in v.note
        assert "Joint regime" in v.counted_zones


@pytest.mark.parametrize("name", ["Japan", "japan", " JAPAN ", "JPN", "jpn", "JP", "jp", "Nippon"])
def test_country_by_name_iso_code_and_alias(eez_v10: Zones, name: str) -> None:
    ref = point_verdict(eez_v10, LIANCOURT, country="Japan").verdict
    v = point_verdict(eez_v10, LIANCOURT, country=name).verdict
    assert ref is not None and v is not None
    assert v.country == "Japan"
    assert (v.status, v.margin_km, v.inside_zones) == (ref.status, ref.margin_km, ref.inside_zones)
    assert v.counted_zones == ref.counted_zones


@pytest.mark.parametrize("name", ["South Korea", "KOR", "KR", "ROK", "Republic of Korea"])
def test_south_korea_by_name_code_and_alias(eez_v10: Zones, name: str) -> None:
    cz = country_zones(eez_v10, name)
    assert cz.country == "South Korea"
    assert {eez_v10.zones[i].name for i in cz.indices} == {
        KOREA_EEZ,
        JOINT_REGIME,
        LIANCOURT_CLAIM,
    }


@pytest.mark.parametrize(
    ("code", "alpha3"),
    [("JP", "JPN"), ("KP", "PRK"), ("CN", "CHN"), ("TW", "TWN"), ("FR", "FRA"), ("GB", "GBR")],
)
def test_alpha2_table_has_the_iso_codes(code: str, alpha3: str) -> None:
    # Natural Earth leaves France's codes as -99 and gives Taiwan "CN-TW": the table must not.
    assert ALPHA2_TO_ALPHA3[code] == alpha3


def test_unknown_two_letter_code_is_an_unknown_country(eez_v10: Zones) -> None:
    with pytest.raises(UnknownCountryError, match="'QQ'"):
        country_zones(eez_v10, "QQ")


def test_counted_zones_are_stated_own_and_shared(eez_v10: Zones, zone_oracle: ZoneOracle) -> None:
    cz = country_zones(eez_v10, "Japan")
    assert [eez_v10.zones[i].name for i in cz.own] == [JAPAN_EEZ]
    assert sorted(eez_v10.zones[i].name for i in cz.indices) == sorted(japan_counted(zone_oracle))
    text = cz.describe(eez_v10)
    for name in japan_counted(zone_oracle):
        assert name in text
    assert "[Overlapping claim]" in text and "[Joint regime]" in text


def test_unknown_country_is_an_error_with_suggestions(eez_v10: Zones) -> None:
    with pytest.raises(UnknownCountryError, match=r"'Japn'.*did you mean .*Japan"):
        point_verdict(eez_v10, SEA_OF_JAPAN, country="Japn")


def test_point_on_land_is_land_of_its_country(eez_v10: Zones, land_layer: Zones) -> None:
    d = point_verdict(eez_v10, TOKYO, country="Japan", land=land_layer).to_dict()
    assert d["on_land"] is not None
    assert (d["on_land"]["country"], d["on_land"]["iso"]) == ("Japan", "JPN")
    assert d["containing"] == []
    v = d["verdict"]
    assert v["status"] == "on_own_land"
    assert v["note"] == "on Japan's own land (its side), not in its EEZ, which is a sea zone"
    other = point_verdict(eez_v10, TOKYO, country="KOR", land=land_layer).verdict
    assert other is not None
    # Foreign land: outside the country's side, with a note saying whose land it is.
    assert other.status == "outside"
    assert other.note == "on land of Japan, not in South Korea's EEZ"


# ---------------------------------------------------------------------------- areas


def _equal_area_km2(geom: BaseGeometry, centre: LonLat) -> float:
    laea = Transformer.from_crs(
        "EPSG:4326",
        f"+proj=laea +lat_0={centre.lat_deg} +lon_0={centre.lon_deg} +ellps=WGS84 +units=m",
        always_xy=True,
    )
    dense = shapely.segmentize(geom, 0.01)
    projected = shapely.transform(dense, lambda xy: np.column_stack(laea.transform(*xy.T)))
    return float(projected.area) / 1e6


def _disk(centre: LonLat, radius_m: float, n: int = 7200) -> Polygon:
    az = np.linspace(0.0, 360.0, n, endpoint=False)
    lon, lat, _ = GEOD.fwd(
        np.full(n, centre.lon_deg), np.full(n, centre.lat_deg), az, np.full(n, radius_m)
    )
    return Polygon(np.column_stack([lon, lat])[::-1])


def test_400km_ring_from_sariwon_does_not_reach_japan(
    eez_v10: Zones, zone_oracle: ZoneOracle, oracle: GeodesicOracle
) -> None:
    centre = sariwon()
    shape = shape_for(centre, RangeRequest(400_000.0))
    label = "the 400 km range area from Sariwon"
    d = area_verdict(
        eez_v10, shape.geometry, shape.area_m2, centre, country="Japan", label=label
    ).to_dict()

    # the area of the 400 km disk, within the ring's 100 m tolerance times its length
    exact_m2, perimeter_m = oracle.disk_area_m2(centre.lon_deg, centre.lat_deg, 400_000.0)
    assert d["area_km2"] == pytest.approx(exact_m2 / 1e6, abs=0.1 * perimeter_m / 1000)

    union = zone_oracle.country_union("JPN")
    nearest = zone_oracle.distance_km(centre.lon_deg, centre.lat_deg, union)
    assert round(nearest) == 509
    v = d["verdict"]
    assert v["reaches"] is False
    assert v["overlap_km2"] == 0.0
    assert v["nearest_km"] == pytest.approx(nearest, abs=HEADLINE_TOL_KM)
    assert v["summary"] == (
        f"{label} does not reach Japan's EEZ: nearest point {v['nearest_km']:,.0f} km away"
    )
    assert v["summary"].endswith("nearest point 509 km away")


def test_400km_ring_from_sariwon_overlaps_korea_china_north_korea_by_geodesic_area(
    eez_v10: Zones, zone_oracle: ZoneOracle, oracle: GeodesicOracle
) -> None:
    centre = sariwon()
    shape = shape_for(centre, RangeRequest(400_000.0))
    d = area_verdict(eez_v10, shape.geometry, shape.area_m2, centre).to_dict()
    disk = _disk(centre, 400_000.0)
    disk_km2 = oracle.disk_area_m2(centre.lon_deg, centre.lat_deg, 400_000.0)[0] / 1e6
    truth = {}
    for p, g in zone_oracle.features:
        inter = g.intersection(disk)
        if not inter.is_empty and inter.area > 0:
            truth[str(p["geoname"])] = _equal_area_km2(inter, centre)
    assert set(truth) == {KOREA_EEZ, CHINA_EEZ, NORTH_KOREA_EEZ}
    got = {o["name"]: o for o in d["overlaps"]}
    assert set(got) == set(truth)
    # largest overlap first
    assert [o["overlap_km2"] for o in d["overlaps"]] == sorted(
        (o["overlap_km2"] for o in d["overlaps"]), reverse=True
    )
    for name, want_km2 in truth.items():
        o = got[name]
        assert o["overlap_km2"] == pytest.approx(want_km2, abs=AREA_TOL_KM2)
        assert o["fraction_of_area"] == pytest.approx(want_km2 / disk_km2, abs=FRACTION_TOL)
        zone_km2 = abs(GEOD.geometry_area_perimeter(zone_oracle.geom(name))[0]) / 1e6
        assert o["fraction_of_zone"] == pytest.approx(want_km2 / zone_km2, abs=FRACTION_TOL)
        want_km = zone_oracle.distance_km(centre.lon_deg, centre.lat_deg, zone_oracle.geom(name))
        assert o["distance_from_launch_km"] == pytest.approx(want_km, abs=DIST_TOL_KM)
    # the zones it does not reach, with the minimum distance from the launch point
    names = [z["name"] for z in d["nearest"]]
    assert names[0] == JAPAN_EEZ
    assert LIANCOURT_CLAIM in names
    for z in d["nearest"]:
        want_km = zone_oracle.distance_km(
            centre.lon_deg, centre.lat_deg, zone_oracle.geom(z["name"])
        )
        assert want_km > 400.0
        assert z["distance_from_launch_km"] == pytest.approx(want_km, abs=DIST_TOL_KM)


# ---------------------------------------------------------------------------- reported impacts


@pytest.mark.parametrize(
    ("place", "km", "bearing", "status"),
    [
        ("Oshima-Oshima", 250.0, "W", "uncertain"),  # 2023-03-16, Japan: outside
        ("Okushiri Island", 200.0, "W", "uncertain"),  # 2016-09-05 inside, 2024-10-31 outside
        ("Noto Peninsula", 200.0, "NNW", "inside"),  # 2017-03-06
        ("Okushiri Island", 250.0, "NW", "outside"),  # 2023-12-18
    ],
)
def test_reported_impact_p_inside_agrees_with_monte_carlo(
    eez_v10: Zones,
    zone_oracle: ZoneOracle,
    oracle: GeodesicOracle,
    place: str,
    km: float,
    bearing: str,
    status: str,
) -> None:
    origin = lookup_place(place).lonlat
    az = parse_bearing_deg(bearing)
    impact = reported_impact(origin, km * 1000, az)  # read as a rhumb line: the default
    d = impact_verdict(eez_v10, impact, country="Japan").to_dict()
    lon, lat = rhumb_forward(origin.lon_deg, origin.lat_deg, az, km * 1000)
    assert GEOD.inv(lon, lat, d["lon"], d["lat"])[2] < 1.0
    imp = d["impact"]
    assert (imp["distance_km"], imp["bearing_deg"], imp["leg"]) == (km, az, "rhumb")
    assert (imp["distance_uncertainty"], imp["bearing_uncertainty_deg"]) == (0.10, 11.25)
    area_m2, perimeter_m = rhumb_sector_area_m2(
        origin.lon_deg, origin.lat_deg, 0.9 * km * 1000, 1.1 * km * 1000, az - 11.25, az + 11.25
    )
    # drawn to 100 m: within 0.1 km times the outline length, plus rounding
    assert imp["uncertainty_area_km2"] == pytest.approx(
        area_m2 / 1e6, abs=0.1 * perimeter_m / 1000 + 0.05
    )
    p_mc = zone_oracle.p_inside_monte_carlo(
        origin.lon_deg, origin.lat_deg, km * 1000, az, 0.10, 11.25, zone_oracle.country_union("JPN")
    )
    v = d["verdict"]
    assert v["p_inside"] == pytest.approx(p_mc, abs=P_TOL)
    assert v["status"] == status
    if status == "uncertain":
        assert 0.1 < v["p_inside"] < 0.9
        assert 0.0 < p_mc < 1.0  # the uncertainty area really has points on both sides
        assert "uncertainty" in v["note"]
    elif status == "inside":
        assert v["p_inside"] >= 0.9
    else:
        assert v["p_inside"] <= 0.1


# ---------------------------------------------------------------------------- modelled default


def test_load_zones_without_a_path_is_the_embedded_modelled_pack(eez_modelled: Zones) -> None:
    zones = load_zones()  # the per-user data directory is empty (conftest)
    assert zones.info.modelled is True
    assert zones.info.name == eez_modelled.info.name
    assert len(zones) == len(eez_modelled)


def test_modelled_default_gives_the_same_statuses(
    eez_modelled: Zones, eez_v10: Zones, land_layer: Zones
) -> None:
    ds = point_verdict(eez_modelled, SEA_OF_JAPAN).to_dict()["dataset"]
    assert ds["modelled"] is True
    assert ds["name"] and ds["citation"]

    def status(zones: Zones, p: LonLat) -> str:
        v = point_verdict(zones, p, country="Japan", land=land_layer).verdict
        assert v is not None
        return v.status

    for p, want in [(SEA_OF_JAPAN, "inside"), (PACIFIC, "outside"), (TOKYO, "on_own_land")]:
        assert status(eez_v10, p) == want
        assert status(eez_modelled, p) == want

    centre = sariwon()
    shape = shape_for(centre, RangeRequest(400_000.0))
    for zones in (eez_v10, eez_modelled):
        av = area_verdict(zones, shape.geometry, shape.area_m2, centre, country="JPN")
        assert av.verdict is not None
        assert av.verdict.reaches is False
        assert av.verdict.nearest_km is not None
        assert 490.0 < av.verdict.nearest_km < 530.0

    for place, km, bearing, want in [
        ("Noto Peninsula", 200.0, "NNW", "inside"),
        ("Okushiri Island", 250.0, "NW", "outside"),
    ]:
        impact = reported_impact(lookup_place(place).lonlat, km * 1000, parse_bearing_deg(bearing))
        for zones in (eez_v10, eez_modelled):
            v = impact_verdict(zones, impact, country="Japan", land=land_layer).verdict
            assert v is not None
            assert v.status == want


# ---------------------------------------------------------------------------- Zones.locate


def _fresh(zones: Zones) -> Zones:
    """The same polygons with an empty cell grid, so no test sees another's cache."""
    return Zones(zones.info, zones.zones, zones.geoms)


def _sjoin_expected(zones: Zones, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """geopandas.sjoin(predicate="within"); where zones overlap, the smallest (geodesic area)."""
    area = np.array([abs(GEOD.geometry_area_perimeter(g)[0]) for g in zones.geoms])
    frame = gpd.GeoDataFrame(
        {"zone": np.arange(len(zones))}, geometry=list(zones.geoms), crs="EPSG:4326"
    )
    pts = gpd.GeoDataFrame(
        {"pt": np.arange(lon.size)}, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326"
    )
    joined = gpd.sjoin(pts, frame, predicate="within", how="inner")
    want = np.full(lon.size, -1, dtype=np.int64)
    p = joined["pt"].to_numpy()
    z = joined["zone"].to_numpy()
    order = np.lexsort((area[z], p))  # per point, smallest zone first
    p, z = p[order], z[order]
    first = np.ones(p.size, dtype=bool)
    first[1:] = p[1:] != p[:-1]
    want[p[first]] = z[first]
    return want


def _assert_same(got: np.ndarray, want: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> None:
    bad = np.nonzero(got != want)[0]
    examples = [(float(lon[i]), float(lat[i]), int(got[i]), int(want[i])) for i in bad[:5]]
    assert bad.size == 0, f"{bad.size} of {got.size} differ (lon, lat, got, sjoin): {examples}"


def test_locate_matches_sjoin_on_50000_random_points(eez_v10: Zones) -> None:
    zones = _fresh(eez_v10)
    rng = np.random.default_rng(7)
    # 34,000 in North-East Asia, 10,000 anywhere on the sphere, 6,000 hugging boundaries
    lon = [rng.uniform(115.0, 160.0, 34_000), rng.uniform(-180.0, 180.0, 10_000)]
    lat = [rng.uniform(20.0, 55.0, 34_000), np.degrees(np.arcsin(rng.uniform(-1, 1, 10_000)))]
    edges = []
    for g in zones.geoms:
        for ring in shapely.get_rings(g):
            xy = np.asarray(ring.coords)
            edges.append(np.column_stack([xy[:-1], xy[1:]]))
    seg = np.concatenate(edges)
    seg = seg[rng.integers(0, len(seg), 6_000)]
    t = rng.uniform(0.0, 1.0, 6_000)[:, None]
    on_edge = seg[:, :2] + t * (seg[:, 2:] - seg[:, :2])
    jitter = rng.normal(0.0, 10.0 ** rng.uniform(-6, -2, 6_000))[:, None] * [[1.0, 1.0]]
    near = np.clip(on_edge + jitter, [-180.0, -90.0], [180.0, 90.0])
    lon.append(near[:, 0])
    lat.append(near[:, 1])
    x, y = np.concatenate(lon), np.concatenate(lat)
    assert x.size == 50_000
    want = _sjoin_expected(zones, x, y)
    assert (want >= 0).sum() > 15_000  # many points are in some zone: the test has teeth
    _assert_same(zones.locate(x, y), want, x, y)


def test_locate_overlaps_answer_the_smallest_zone(eez_v10: Zones) -> None:
    zones = _fresh(eez_v10)
    claim = next(i for i, z in enumerate(zones.zones) if z.name == LIANCOURT_CLAIM)
    korea = next(i for i, z in enumerate(zones.zones) if z.name == KOREA_EEZ)
    rng = np.random.default_rng(11)
    x = rng.uniform(131.6, 132.13, 3_000)
    y = rng.uniform(37.03, 37.45, 3_000)
    inside_claim = shapely.contains_xy(zones.geoms[claim], x, y)
    assert inside_claim.sum() > 500
    assert shapely.contains_xy(zones.geoms[korea], x[inside_claim], y[inside_claim]).all()
    got = zones.locate(x, y)
    assert (got[inside_claim] == claim).all()
    _assert_same(got, _sjoin_expected(zones, x, y), x, y)


def test_locate_on_cell_corners_and_edges_of_the_grid(eez_v10: Zones) -> None:
    zones = _fresh(eez_v10)
    c = Zones.CELL_DEG
    # corners: every 0.1° lon/lat pair over 120..150 E, 25..50 N, written as decimal numbers
    gx, gy = np.meshgrid(
        np.round(np.arange(1200, 1501) * c, 1), np.round(np.arange(250, 501) * c, 1)
    )
    rng = np.random.default_rng(3)
    # edges: on a grid line in one coordinate, anywhere in the other
    ex = np.round(rng.integers(1150, 1600, 20_000) * c, 1)
    ey = rng.uniform(20.0, 55.0, 20_000)
    fx = rng.uniform(115.0, 160.0, 20_000)
    fy = np.round(rng.integers(200, 550, 20_000) * c, 1)
    # zone vertices themselves: on a boundary, so outside that zone
    vx, vy = np.concatenate([shapely.get_coordinates(g) for g in zones.geoms]).T
    x = np.concatenate([gx.ravel(), ex, fx, vx])
    y = np.concatenate([gy.ravel(), ey, fy, vy])
    want = _sjoin_expected(zones, x, y)
    _assert_same(zones.locate(x, y), want, x, y)


def test_locate_at_the_antimeridian(eez_v10: Zones) -> None:
    zones = _fresh(eez_v10)
    lat = np.round(np.linspace(40.0, 85.0, 451), 6)
    xs = [180.0, -180.0, 179.9999, -179.9999, 179.95, -179.95]
    x = np.concatenate([np.full(lat.size, v) for v in xs])
    y = np.tile(lat, len(xs))
    got = zones.locate(x, y)
    _assert_same(got, _sjoin_expected(zones, x, y), x, y)
    # +180 and -180 are one meridian: the same answer
    assert (got[: lat.size] == got[lat.size : 2 * lat.size]).all()
    # the Russian zone crosses it: points just either side are in it somewhere
    russia = next(i for i, z in enumerate(zones.zones) if z.name.startswith("Russian"))
    assert (got[2 * lat.size : 3 * lat.size] == russia).any()
    assert (got[3 * lat.size : 4 * lat.size] == russia).any()


def test_locate_after_a_batch_near_the_antimeridian_keeps_cells_right(eez_v10: Zones) -> None:
    """Regression (quadtree key collision near 180°, fixed in 67a53e5): a batch with points
    near 180° in the Arctic poisoned the cell grid.

    ``Zones._classify_cells`` kept child boxes by a key ``row * w + col`` where a child
    column could equal ``w`` (boxes past 180°), so it collided with column 0 of the next row
    and a box east of 180° was classified (no zone); its cells were then clipped onto the
    last grid column (179.9..180°E), and later queries there answered "no zone" inside
    Russia's zone. Reproducer: locate (-174.84, 72.58), (178.77, 72.61) plus 300 points
    elsewhere, then locate (179.95, 64..70): -1 instead of the Russian zone.
    """
    zones = _fresh(eez_v10)
    pad = np.full(300, 0.05)
    zones.locate(
        np.concatenate([[-174.84439689, 178.76467671], pad]),
        np.concatenate([[72.57689493, 72.60620291], pad]),
    )
    y = np.round(np.arange(6361, 7000) / 100.0, 2)  # > 256 points: the cell-grid path
    x = np.full(y.size, 179.95)
    want = _sjoin_expected(zones, x, y)
    assert (want >= 0).sum() > 200
    _assert_same(zones.locate(x, y), want, x, y)


def test_locate_nan_and_out_of_range_coordinates_are_in_no_zone(eez_v10: Zones) -> None:
    zones = _fresh(eez_v10)
    x = np.array([np.nan, 135.5, np.nan, 135.5, 135.5])
    y = np.array([38.0, np.nan, np.nan, 90.5, -91.0])
    assert zones.locate(x, y).tolist() == [-1] * 5
    # the same with enough points to take the cell-grid path
    big_x = np.concatenate([x, np.full(500, 135.5)])
    big_y = np.concatenate([y, np.full(500, 38.0)])
    japan = next(i for i, z in enumerate(zones.zones) if z.name == JAPAN_EEZ)
    assert zones.locate(big_x, big_y).tolist() == [-1] * 5 + [japan] * 500


def test_locate_longitudes_wrap(eez_v10: Zones) -> None:
    zones = _fresh(eez_v10)
    rng = np.random.default_rng(5)
    x = rng.uniform(115.0, 160.0, 2_000)
    y = rng.uniform(20.0, 55.0, 2_000)
    base = zones.locate(x, y)
    assert (zones.locate(x - 360.0, y) == base).all()
    assert (zones.locate(x + 360.0, y) == base).all()


def test_locate_infinite_coordinates_are_in_no_zone_without_warnings(eez_v10: Zones) -> None:
    """Regression (warning on infinite longitudes, fixed in 67a53e5): ``locate`` wrapped
    ±inf longitudes with ``%`` and numpy warned "invalid value encountered in remainder"
    (an error under ``filterwarnings = error``). Reproducer:
    ``load_zones(v10).locate([np.inf], [38.0])``."""
    zones = _fresh(eez_v10)
    assert zones.locate([np.inf, -np.inf, 135.5], [38.0, 38.0, np.inf]).tolist() == [-1, -1, -1]


# ---------------------------------------------------------------------------- batches


def test_batch_rows_agree_with_point_verdicts(eez_v10: Zones, land_layer: Zones) -> None:
    """Each batch row says what ``point_verdict`` says: every containing zone (``all_zones``,
    smallest first; ``zone`` the first), and the status, margin and note of the verdict."""
    from geo.access.pointfile import BatchPoint
    from geo.core.batch import batch_verdicts

    pts = [SEA_OF_JAPAN, LIANCOURT, EAST_CHINA_SEA_JDZ, TOKYO, PACIFIC]
    batch = [BatchPoint(f"p{k}", p.lat_deg, p.lon_deg) for k, p in enumerate(pts)]
    rows = batch_verdicts(eez_v10, batch, country="Japan", land=land_layer)
    assert [r["id"] for r in rows] == ["p0", "p1", "p2", "p3", "p4"]
    for p, row in zip(pts, rows, strict=True):
        pv = point_verdict(eez_v10, p, country="Japan", land=land_layer)
        names = [z.zone.name for z in pv.containing]
        assert row["all_zones"] == "; ".join(names)
        assert row["zone"] == (names[0] if names else "")
        assert pv.verdict is not None
        assert (row["status"], row["note"]) == (pv.verdict.status, pv.verdict.note)
        assert row["margin_km"] == round(pv.verdict.margin_km, 3)
        coast = pv.verdict.coast_km
        assert row["coast_km"] == ("" if coast is None else round(coast, 3))
        assert (row["dataset"], row["dataset_kind"]) == ("Marine Regions World EEZ v10", "official")
    assert rows[1]["all_zones"] == f"{LIANCOURT_CLAIM}; {KOREA_EEZ}"
    assert rows[1]["note"] == "inside only zones that are shared or claimed by more than one state"
    assert rows[3]["note"] == "on Japan's own land (its side), not in its EEZ, which is a sea zone"


@pytest.mark.parametrize("which", ["official", "modelled"])
def test_overlap_regions_match_every_pairwise_intersection(
    which: str, eez_v10: Zones, eez_modelled: Zones
) -> None:
    """Where a batch lists several zones for a point: the part of each zone that other zones
    overlap. The relate test that skips neighbours merely sharing an edge must give the
    region of a brute-force intersection with every other zone (within 1 m² of area)."""
    from geo.core.batch import _overlap_region

    zones = _fresh(eez_v10 if which == "official" else eez_modelled)
    overlapping = 0
    for z, geom in enumerate(zones.geoms):
        parts = [geom.intersection(g) for j, g in enumerate(zones.geoms) if j != z]
        parts = [p for p in parts if not p.is_empty and p.area > 0]
        want = shapely.union_all(parts) if parts else None
        got = _overlap_region(zones, z)
        assert (got is None) == (want is None), zones.zones[z].name
        if got is not None and want is not None:
            overlapping += 1
            assert shapely.symmetric_difference(got, want).area < 1e-10  # deg²: ~1 m²
    assert overlapping > 0 if which == "official" else overlapping == 0


def test_batch_rows_carry_the_users_columns_renaming_clashes(eez_v10: Zones) -> None:
    from geo.access.pointfile import BatchPoint
    from geo.core.batch import batch_verdicts

    extra = (("Name", "Dokdo"), ("note", "seen"), ("input_note", "x"), ("Status", "y"))
    rows = batch_verdicts(
        eez_v10, [BatchPoint("a", LIANCOURT.lat_deg, LIANCOURT.lon_deg, extra)], country="JPN"
    )
    [row] = rows
    assert list(row)[-4:] == ["Name", "input_note", "input_input_note", "input_Status"]
    assert [row[k] for k in list(row)[-4:]] == ["Dokdo", "seen", "x", "y"]
    # without a country the same names: a column's name does not depend on the options
    [row] = batch_verdicts(eez_v10, [BatchPoint("a", 38.0, 135.5, extra)])
    assert list(row)[-4:] == ["Name", "input_note", "input_input_note", "input_Status"]
    assert (row["country"], row["status"], row["note"]) == ("", "", "")
