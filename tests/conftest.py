"""Shared test fixtures.

``oracle`` is an independent geodesic checker built only on ``pyproj.Geod`` (the authority
for every numeric check) and shapely point-in-polygon tests; it does not use
``geo.core.shapes`` internals, so the shape code is checked against it, not against itself.
"""

from __future__ import annotations

import ipaddress
import math
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import numpy as np
import numpy.typing as npt
import pytest
import shapely
from hypothesis import HealthCheck, settings
from pyproj import Geod
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

# ---- hypothesis profiles -----------------------------------------------------------------------

# The autouse fixtures below (data directory, network guard) are function-scoped, so every
# @given test uses one: that is intended, hence function_scoped_fixture is suppressed.
_HYPOTHESIS_COMMON: dict[str, Any] = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
# ci (the default: make test, CI): the same 20 examples per test on every run, plus the pinned
# @examples, so a failure is reproduced by running the test again. dev: 50 random examples a
# run, failures kept in .hypothesis/. fuzz: a long search. Choose with --hypothesis-profile=NAME
# (hypothesis' pytest plugin, read after this file) or RANGEZONE_HYPOTHESIS_PROFILE=NAME.
settings.register_profile(
    "ci", max_examples=20, derandomize=True, database=None, **_HYPOTHESIS_COMMON
)
settings.register_profile("dev", max_examples=50, **_HYPOTHESIS_COMMON)
settings.register_profile("fuzz", max_examples=1000, **_HYPOTHESIS_COMMON)
settings.load_profile(os.environ.get("RANGEZONE_HYPOTHESIS_PROFILE", "ci"))

# ---- geodesic oracle (foundation tests) -------------------------------------------------------

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.intp]

GEOD = Geod(ellps="WGS84")
WGS84_AREA_M2 = (
    2.0
    * math.pi
    * GEOD.a**2
    * (1.0 + (1.0 - GEOD.es) / math.sqrt(GEOD.es) * math.atanh(math.sqrt(GEOD.es)))
)
"""Surface area of the WGS84 ellipsoid, computed here from a and f (not taken from geo)."""
HALF_MERIDIAN_M = float(GEOD.line_length([0.0, 0.0], [-90.0, 90.0]))
FORWARD_EXACT_M = 19_900_000.0
"""Up to here Geod.fwd points at distance r are at inverse distance r (checked per use)."""
SPHERE_R_M = 6_371_008.8

VERTEX_TOL_M = 1e-3
"""Every boundary vertex lies at the requested distance within 1 mm."""


def contract_band_m(tolerance_m: float) -> float:
    """Points closer than this to a boundary are not judged by the contract."""
    return 2.0 * tolerance_m + 1.0


@dataclass(frozen=True)
class Points:
    lon: FloatArray
    lat: FloatArray
    az: FloatArray
    """Initial azimuth at the centre (Geod.inv)."""
    dist: FloatArray
    """Geodesic distance from the centre (Geod.inv)."""


@dataclass(frozen=True)
class Violations:
    count: int
    judged: int
    examples: list[tuple[float, float, float, float, bool]]
    """(lon, lat, distance from centre in m, azimuth, polygon says inside) of a few bad points."""


class GeodesicOracle:
    """Independent checks of lon/lat geometries against Geod.inv distances and azimuths."""

    geod = GEOD
    earth_area_m2 = WGS84_AREA_M2
    half_meridian_m = HALF_MERIDIAN_M

    def __init__(self) -> None:
        self._disk_areas: dict[tuple[float, float, float, int], tuple[float, float]] = {}

    # ---- sampling -------------------------------------------------------------------------

    def inverse(self, clon: float, clat: float, lon: FloatArray, lat: FloatArray) -> Points:
        lon = np.asarray(lon, dtype=float)
        lat = np.asarray(lat, dtype=float)
        n = lon.size
        az, _, dist = self.geod.inv(np.full(n, clon), np.full(n, clat), lon, lat)
        return Points(lon, lat, np.asarray(az, dtype=float), np.asarray(dist, dtype=float))

    def forward(
        self, clon: float, clat: float, az: FloatArray, dist: FloatArray
    ) -> tuple[FloatArray, FloatArray]:
        az = np.asarray(az, dtype=float)
        dist = np.broadcast_to(np.asarray(dist, dtype=float), az.shape)
        n = az.size
        lon, lat, _ = self.geod.fwd(np.full(n, clon), np.full(n, clat), az, dist)
        return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)

    def sample_points(
        self,
        clon: float,
        clat: float,
        radii_m: list[float],
        rng: np.random.Generator,
        n: int = 2000,
    ) -> Points:
        """Random points worldwide, near each circle, near the antipode, plus poles and seam."""
        lons: list[FloatArray] = []
        lats: list[FloatArray] = []
        # Uniform on the sphere (lat uniform in sin).
        lons.append(rng.uniform(-180.0, 180.0, n))
        lats.append(np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, n))))
        for r in radii_m:
            if r <= 0:
                continue
            # Around the centre, out to twice the radius, and in a shell of +-5 km around it.
            az = rng.uniform(0.0, 360.0, n)
            d = np.minimum(r * rng.uniform(0.0, 2.0, n), HALF_MERIDIAN_M)
            lo, la = self.forward(clon, clat, az, d)
            lons.append(lo)
            lats.append(la)
            az = rng.uniform(0.0, 360.0, n // 2)
            d = np.clip(r + rng.uniform(-5_000.0, 5_000.0, n // 2), 0.0, HALF_MERIDIAN_M)
            lo, la = self.forward(clon, clat, az, d)
            lons.append(lo)
            lats.append(la)
        # Around the antipode, where huge disks end.
        alon = clon + 180.0 if clon <= 0 else clon - 180.0
        az = rng.uniform(0.0, 360.0, n // 2)
        d = 10.0 ** rng.uniform(0.0, 6.5, n // 2)
        lo, la = self.forward(alon, -clat, az, d)
        lons.append(lo)
        lats.append(la)
        # Poles and both sides of the antimeridian.
        seam_lat = np.linspace(-89.5, 89.5, 73)
        lons += [np.array([0.0, 0.0, 77.0, -77.0]), np.full(73, 180.0), np.full(73, -180.0)]
        lats += [np.array([90.0, -90.0, 90.0, -90.0]), seam_lat, seam_lat]
        return self.inverse(clon, clat, np.concatenate(lons), np.concatenate(lats))

    # ---- contract -------------------------------------------------------------------------

    def covered(self, geom: BaseGeometry, pts: Points) -> BoolArray:
        """Point in polygon, boundary included (the seam and pole edges are boundaries)."""
        return np.asarray(shapely.intersects_xy(geom, pts.lon, pts.lat), dtype=bool)

    def violations(
        self, geom: BaseGeometry, pts: Points, want: BoolArray, judged: BoolArray
    ) -> Violations:
        got = self.covered(geom, pts)
        bad = judged & (got != want)
        idx = np.nonzero(bad)[0][:5]
        examples = [
            (
                float(pts.lon[i]),
                float(pts.lat[i]),
                float(pts.dist[i]),
                float(pts.az[i]),
                bool(got[i]),
            )
            for i in idx
        ]
        return Violations(int(bad.sum()), int(judged.sum()), examples)

    def annular_sector_truth(
        self,
        pts: Points,
        min_m: float,
        max_m: float,
        band_m: float,
        bearings: tuple[float, float] | None = None,
    ) -> tuple[BoolArray, BoolArray]:
        """(inside, judged): the exact membership and which points are far from the boundary.

        Distance to a radial edge is estimated with the spherical cross-track formula and
        given a 5 % + 10 m margin for the ellipsoid; only points beyond it are judged.
        """
        inside = (pts.dist <= max_m) & (pts.dist >= min_m)
        near = np.abs(pts.dist - max_m) <= band_m
        if min_m > 0:
            near |= np.abs(pts.dist - min_m) <= band_m
        if bearings is not None:
            a0, a1 = bearings
            sweep = (a1 - a0) % 360.0
            if sweep != 0.0:
                inside &= (pts.az - a0) % 360.0 <= sweep
                for edge in (a0, a1):
                    delta = np.radians((pts.az - edge + 180.0) % 360.0 - 180.0)
                    s = np.clip(np.sin(pts.dist / SPHERE_R_M) * np.sin(delta), -1.0, 1.0)
                    cross_track = SPHERE_R_M * np.abs(np.arcsin(s))
                    near |= (np.abs(delta) <= math.pi / 2) & (cross_track <= 1.05 * band_m + 10.0)
                # The apex: every azimuth is within reach of the centre.
                near |= pts.dist <= band_m + 10.0
        return inside, ~near

    # ---- geometry validity ----------------------------------------------------------------

    def check_valid_lonlat(self, geom: BaseGeometry) -> list[str]:
        """Problems with a polygonal lon/lat geometry (empty list when fine)."""
        problems: list[str] = []
        if not isinstance(geom, (Polygon, MultiPolygon)):
            return [f"not polygonal: {geom.geom_type}"]
        if not geom.is_valid:
            problems.append(f"invalid: {shapely.is_valid_reason(geom)}")
        if not geom.is_empty:
            w, s, e, n = geom.bounds
            if w < -180.0 or e > 180.0:
                problems.append(f"longitude outside [-180, 180]: {w}, {e}")
            if s < -90.0 or n > 90.0:
                problems.append(f"latitude outside [-90, 90]: {s}, {n}")
        for part in getattr(geom, "geoms", [geom]):
            if not part.exterior.is_ccw:
                problems.append("exterior ring not counter-clockwise")
            if any(ring.is_ccw for ring in part.interiors):
                problems.append("interior ring not clockwise")
        return problems

    def degenerate_rings(self, geom: BaseGeometry) -> int:
        """Rings enclosing (almost) nothing: under 1e-12 square degrees (about 0.01 m²)."""
        return sum(1 for ring in self.rings(geom) if abs(shapely.area(Polygon(ring))) < 1e-12)

    @staticmethod
    def rings(geom: BaseGeometry) -> list[FloatArray]:
        out: list[FloatArray] = []
        for part in getattr(geom, "geoms", [geom]):
            if isinstance(part, Polygon) and not part.is_empty:
                out.append(np.asarray(part.exterior.coords))
                out.extend(np.asarray(r.coords) for r in part.interiors)
        return out

    @staticmethod
    def is_artificial(a: FloatArray, b: FloatArray) -> BoolArray:
        """Edges that follow the antimeridian seam or touch a pole (closure edges)."""
        seam = (a[:, 0] == b[:, 0]) & (np.abs(a[:, 0]) == 180.0)
        pole = (np.abs(a[:, 1]) == 90.0) | (np.abs(b[:, 1]) == 90.0)
        return np.asarray(seam | pole, dtype=bool)

    def boundary_vertices(self, geom: BaseGeometry) -> FloatArray:
        """All ring vertices except pole-closure vertices (lat = +-90)."""
        rings = self.rings(geom)
        if not rings:
            return np.empty((0, 2))
        xy = np.concatenate([r[:-1] for r in rings])
        return np.asarray(xy[np.abs(xy[:, 1]) < 90.0])

    def edge_samples(
        self, geom: BaseGeometry, rng: np.random.Generator, per_edge: int = 4
    ) -> FloatArray:
        """Random points along every non-artificial straight lon/lat edge."""
        chunks: list[FloatArray] = []
        for ring in self.rings(geom):
            a, b = ring[:-1], ring[1:]
            keep = ~self.is_artificial(a, b)
            a, b = a[keep], b[keep]
            if len(a) == 0:
                continue
            t = rng.uniform(0.0, 1.0, (len(a), per_edge))
            pts = a[:, None, :] + t[:, :, None] * (b - a)[:, None, :]
            chunks.append(pts.reshape(-1, 2))
        return np.concatenate(chunks) if chunks else np.empty((0, 2))

    # ---- reference areas ------------------------------------------------------------------

    def polygon_area_m2(self, lon: FloatArray, lat: FloatArray) -> tuple[float, float]:
        """(area left of the ring in [0, E), perimeter) with geodesic edges."""
        area, perimeter = self.geod.polygon_area_perimeter(lon, lat)
        area = float(area)
        return (area if area >= 0 else area + WGS84_AREA_M2), float(perimeter)

    def circle_points(
        self, clon: float, clat: float, r: float, az: FloatArray
    ) -> tuple[FloatArray, FloatArray]:
        """Exact points of the circle of radius r at the given azimuths, any r < HALF_MERIDIAN.

        Up to 19,900 km by Geod.fwd (each checked by Geod.inv); beyond, by root finding along
        rays from the antipode for the boundary of {P: d(centre, P) > r}, to 10 µm.
        """
        if r <= FORWARD_EXACT_M:
            lon, lat = self.forward(clon, clat, az, np.full(az.shape, r))
            back = self.inverse(clon, clat, lon, lat).dist
            assert np.abs(back - r).max() < VERTEX_TOL_M, "forward point is not at distance r"
            return lon, lat
        alon = clon + 180.0 if clon <= 0 else clon - 180.0
        alat = -clat

        def excess(s: FloatArray, k: IntArray) -> FloatArray:
            """Distance from the centre minus r of the points s metres from the antipode
            along the azimuths az[k]."""
            lon, lat = self.forward(alon, alat, az[k], s)
            return self.inverse(clon, clat, lon, lat).dist - r

        every = np.arange(az.size)
        lo = np.zeros(az.shape)
        hi = np.full(az.shape, max(4.0 * (HALF_MERIDIAN_M - r), 100_000.0))
        f_lo, f_hi = excess(lo, every), excess(hi, every)
        assert (f_lo > 0).all() and (f_hi <= 0).all(), "bracket too small"
        # Regula falsi (Illinois) inside the bracket, to 10 µm, on the points not yet there:
        # most take ~10 steps where bisection takes 34 (each an inverse problem per point,
        # slow near the antipode); the few on a kink of the distance still halve.
        s = hi.copy()
        todo = every
        for _ in range(200):
            a, b, fa, fb = lo[todo], hi[todo], f_lo[todo], f_hi[todo]
            x = np.clip(b - fb * (b - a) / (fb - fa), a, b)
            f = excess(x, todo)
            s[todo] = x
            far = f > 0
            # Illinois: the end kept twice in a row has its value halved (no stalling).
            f_hi[todo] = np.where(far, 0.5 * fb, f)
            f_lo[todo] = np.where(far, f, 0.5 * fa)
            lo[todo], hi[todo] = np.where(far, x, a), np.where(far, b, x)
            todo = todo[(np.abs(f) >= 1e-5) & (hi[todo] - lo[todo] >= 1e-5)]
            if todo.size == 0:
                break
        else:
            raise AssertionError("the circle beyond 19,900 km did not converge")
        return self.forward(alon, alat, az, s)

    def disk_area_m2(
        self, clon: float, clat: float, r: float, n: int = 20_000
    ) -> tuple[float, float]:
        """(area, perimeter) of {P: d(centre, P) <= r} from n exact circle points.

        Memoised: the same disk (e.g. Sariwon at 19,990 km, 2 s of bisection) is the
        reference of several tests."""
        key = (clon, clat, r, n)
        if key not in self._disk_areas:
            self._disk_areas[key] = self._disk_area_m2(clon, clat, r, n)
        return self._disk_areas[key]

    def _disk_area_m2(self, clon: float, clat: float, r: float, n: int) -> tuple[float, float]:
        if r <= 0:
            return 0.0, 0.0
        if r >= HALF_MERIDIAN_M:
            return WGS84_AREA_M2, 0.0
        az = np.linspace(0.0, 360.0, n, endpoint=False)
        lon, lat = self.circle_points(clon, clat, r, az)
        if r <= FORWARD_EXACT_M:
            # Azimuth increasing = clockwise around the centre: reverse to have it on the left.
            return self.polygon_area_m2(lon[::-1], lat[::-1])
        # Rays from the antipode: increasing azimuth is clockwise around the antipode, so
        # the far set is on the right and the disk on the left.
        return self.polygon_area_m2(lon, lat)

    def annular_sector_area_m2(
        self,
        clon: float,
        clat: float,
        min_m: float,
        max_m: float,
        a0: float,
        a1: float,
        n: int = 20_000,
    ) -> tuple[float, float]:
        """(area, perimeter) of an annular sector: radial edges are geodesics, arcs dense."""
        sweep = (a1 - a0) % 360.0
        k = max(2, int(n * sweep / 360.0))
        az = a0 + sweep * np.linspace(0.0, 1.0, k)
        olon, olat = self.circle_points(clon, clat, max_m, az)
        if min_m > 0:
            ilon, ilat = self.circle_points(clon, clat, min_m, az[::-1])
        else:
            ilon, ilat = np.array([clon]), np.array([clat])
        lon = np.concatenate([olon, ilon])
        lat = np.concatenate([olat, ilat])
        return self.polygon_area_m2(lon[::-1], lat[::-1])

    # ---- lines ----------------------------------------------------------------------------

    @staticmethod
    def line_parts(geom: BaseGeometry) -> list[LineString]:
        if isinstance(geom, LineString):
            return [] if geom.is_empty else [geom]
        if isinstance(geom, MultiLineString):
            return list(geom.geoms)
        raise AssertionError(f"not a line: {geom.geom_type}")


@pytest.fixture(scope="session")
def oracle() -> GeodesicOracle:
    return GeodesicOracle()


# ---- rhumb-line oracle ------------------------------------------------------------------------

_MERCATOR: Any = None


def _mercator() -> Any:
    global _MERCATOR
    if _MERCATOR is None:
        from pyproj import Transformer

        _MERCATOR = Transformer.from_crs(
            "EPSG:4326", "+proj=merc +ellps=WGS84 +lon_0=0 +x_0=0 +y_0=0 +units=m", always_xy=True
        )
    return _MERCATOR


RHUMB_ORACLE_TOL_M = 0.01
"""The oracle below agrees with RhumbSolve's reference points within 1 cm (test_rhumb)."""


def rhumb_forward(
    lon: Any, lat: Any, azimuth_deg: Any, distance_m: Any
) -> tuple[FloatArray, FloatArray]:
    """End points of rhumb lines, independently of geo.core.rhumb: a rhumb line is straight
    in the ellipsoidal Mercator projection, and its meridian distance grows as s·cos α.

    The end latitude is Geod.fwd along the meridian over s·cos α; the longitude change is
    s·sin α·Δψ/Δm with Δψ from pyproj's Mercator ordinates (Δψ = Δy / a); when the
    meridian change is under 1 km, Δψ/Δm is taken at the mid latitude, 1 / (N cos φ).
    Legs must stay off the poles. Good to 1 cm (RHUMB_ORACLE_TOL_M)."""
    lon1, lat1, az, s = (np.asarray(v, dtype=float) for v in np.broadcast_arrays(
        lon, lat, azimuth_deg, distance_m
    ))  # fmt: skip
    a, e2 = GEOD.a, GEOD.es
    dm = s * np.cos(np.radians(az))
    n = dm.size
    _, lat2, _ = GEOD.fwd(
        np.zeros(n), lat1.ravel(), np.where(dm.ravel() >= 0, 0.0, 180.0), np.abs(dm.ravel())
    )
    lat2 = np.asarray(lat2, dtype=float).reshape(dm.shape)
    _, latm, _ = GEOD.fwd(
        np.zeros(n), lat1.ravel(), np.where(dm.ravel() >= 0, 0.0, 180.0), np.abs(dm.ravel()) / 2
    )
    latm = np.radians(np.asarray(latm, dtype=float).reshape(dm.shape))
    merc = _mercator()
    _, y1 = merc.transform(np.zeros(n), lat1.ravel())
    _, y2 = merc.transform(np.zeros(n), lat2.ravel())
    dpsi = (np.asarray(y2) - np.asarray(y1)).reshape(dm.shape) / a
    mid = np.sqrt(1.0 - e2 * np.sin(latm) ** 2) / (a * np.cos(latm))
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(np.abs(dm) >= 1000.0, dpsi / np.where(dm != 0, dm, 1.0), mid)
    dlam = np.degrees(s * np.sin(np.radians(az)) * ratio)
    lon2 = (lon1 + dlam + 180.0) % 360.0 - 180.0
    return lon2, lat2


def rhumb_sector_area_m2(
    clon: float, clat: float, min_m: float, max_m: float, a0: float, a1: float, n: int = 20_000
) -> tuple[float, float]:
    """(area, perimeter) of the region rhumb legs of length min..max and bearing a0..a1
    (clockwise) sweep, from ``n`` oracle points on its boundary joined by short geodesics
    (the smaller of the two regions the ring bounds: areas here are under a hemisphere)."""
    sweep = (a1 - a0) % 360.0
    k = max(2, n // 4)
    t = np.linspace(0.0, 1.0, k)
    az = np.concatenate(
        [np.full(k, a0), a0 + sweep * t, np.full(k, a0 + sweep), a0 + sweep * t[::-1]]
    )
    s = np.concatenate([min_m + (max_m - min_m) * t, np.full(k, max_m),
                        max_m - (max_m - min_m) * t, np.full(k, min_m)])  # fmt: skip
    lon, lat = rhumb_forward(clon, clat, az, s)
    area, perimeter = GEOD.polygon_area_perimeter(lon, lat)
    area = abs(float(area))
    return min(area, WGS84_AREA_M2 - area), float(perimeter)


# --- zone data (EEZ files, WFS, per-user data directory) ---------------------------------------

# Real Marine Regions polygons for tests only; they live beside the repository, never in it.
SHARED_EEZ = (
    Path(__file__).resolve().parents[1].parent
    / "shared"
    / "data"
    / "eez"
    / "marineregions-v10-ne-asia.geojson"
)


@pytest.fixture(scope="session")
def official_eez_path() -> Path:
    """Marine Regions v10 zones of North-East Asia (12 features); skips when absent."""
    if not SHARED_EEZ.is_file():
        pytest.skip(f"shared test data not found: {SHARED_EEZ}")
    return SHARED_EEZ


@pytest.fixture(scope="module", params=["stand-in", "official"])
def map_zones(request: pytest.FixtureRequest) -> Path | None:
    """For map tests that hold with any zones but are worth running on the real ones too:
    ``None`` (the stand-in zones of ``test_html_map.eez_features``), then the official file
    (skipped, with the reason, when it is absent)."""
    if request.param == "official":
        path: Path = request.getfixturevalue("official_eez_path")
        return path
    return None


@pytest.fixture(autouse=True)
def _isolated_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every test gets an empty per-user data directory: none touches the real home."""
    monkeypatch.setenv("RANGEZONE_DATA_DIR", str(tmp_path_factory.mktemp("rangezone-data")))


# --- no network ------------------------------------------------------------------------------


class NetworkBlocked(RuntimeError):
    """A test tried to reach the network.

    Not an ``OSError``: code that reads an ``OSError`` as "offline" (urllib, the WFS client)
    must not turn it into an ordinary failure a test could expect.
    """


def _is_local_host(host: object) -> bool:
    """``localhost`` or a loopback address (``127.0.0.0/8``, ``::1``, ``::ffff:127.x``)."""
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    host = host.strip("[]").split("%", 1)[0]
    if host == "" or host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or (mapped is not None and mapped.is_loopback)


def _is_ip_literal(host: object) -> bool:
    try:
        ipaddress.ip_address(host.decode() if isinstance(host, bytes) else str(host))
    except ValueError:
        return False
    return True


class NetworkGuard:
    """What the autouse ``network_guard`` fixture blocked during one test."""

    def __init__(self, test_id: str) -> None:
        self.test_id = test_id
        self.attempts: list[str] = []

    def block(self, call: str, address: object) -> NoReturn:
        attempt = f"{call}({address!r})"
        self.attempts.append(attempt)
        raise NetworkBlocked(
            f"{self.test_id} tried to reach the network: {attempt}; tests run offline "
            "(only AF_UNIX sockets and localhost are allowed)"
        )


@pytest.fixture(autouse=True)
def network_guard(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[NetworkGuard]:
    """No test reaches the network: connecting (or sending a datagram) to anything but
    localhost over IPv4/IPv6, and resolving a host name, raise ``NetworkBlocked`` naming the
    test and the address. AF_UNIX sockets and pipes (Chromium's DevTools pipe) are untouched.
    An attempt that the code under test swallowed still fails the test at teardown.
    """
    guard = NetworkGuard(request.node.nodeid)
    inet = (socket.AF_INET, socket.AF_INET6)
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_sendto = socket.socket.sendto
    real_create_connection = socket.create_connection
    real_getaddrinfo = socket.getaddrinfo

    def remote(sock: socket.socket, address: Any) -> bool:
        return sock.family in inet and not _is_local_host(address[0])

    def connect(self: socket.socket, address: Any) -> None:
        if remote(self, address):
            guard.block("socket.connect", address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if remote(self, address):
            guard.block("socket.connect_ex", address)
        return real_connect_ex(self, address)

    def sendto(self: socket.socket, data: Any, *args: Any) -> int:
        if args and remote(self, args[-1]):
            guard.block("socket.sendto", args[-1])
        return real_sendto(self, data, *args)

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        if not _is_local_host(address[0]):
            guard.block("socket.create_connection", address)
        return real_create_connection(address, *args, **kwargs)

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not _is_local_host(host) and not _is_ip_literal(host):
            guard.block("socket.getaddrinfo", (host, port))
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket.socket, "sendto", sendto)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield guard
    if guard.attempts:
        pytest.fail(
            f"{guard.test_id} tried to reach the network: {', '.join(guard.attempts)}",
            pytrace=False,
        )


# --- zone sets and an independent zone oracle (verdict, CLI, scenario tests) -------------------

import geo.access.zones as _zones  # noqa: E402  (this section is appended as one block)


@pytest.fixture(scope="session")
def eez_v10(official_eez_path: Path) -> _zones.Zones:
    """The official Marine Regions v10 test polygons, read once through ``load_zones``."""
    return _zones.load_zones(official_eez_path)


@pytest.fixture(scope="session")
def eez_modelled() -> _zones.Zones:
    """The embedded modelled default, loaded by its path (never via the per-user dataset)."""
    from geo.access.resources import data_file

    return _zones.load_zones(data_file("eez-modelled.zip"))


@pytest.fixture(scope="session")
def land_layer() -> _zones.Zones:
    return _zones.load_land()


def seamless_boundary_distance_km(lon: float, lat: float, geom: BaseGeometry) -> float:
    """Brute force: minimum geodesic distance (km) from the point to the boundary of ``geom``.

    Edges are straight in lon/lat (as point-in-polygon reads them); edges along ±180° or
    ±90° are cuts of the lon/lat plane, not boundaries, and are skipped. A coarse pass over
    0.05° pieces finds the region of the minimum: every boundary point lies within 0.05°
    (< 6 km) of a coarse vertex, so pieces whose start is more than 10 km beyond the coarse
    minimum cannot hold it. Those left are cut to 0.001° (~110 m: the minimum is at most
    ~60 m too high) and measured.
    """
    coarse, fine = 0.05, 0.001
    starts, ends = [], []
    boundary = geom.boundary
    for part in getattr(boundary, "geoms", [boundary]):
        xy = np.asarray(shapely.segmentize(part, coarse).coords)
        a, b = xy[:-1], xy[1:]
        cut = ((np.abs(a[:, 0]) == 180.0) & (np.abs(b[:, 0]) == 180.0)) | (
            (np.abs(a[:, 1]) == 90.0) & (a[:, 1] == b[:, 1])
        )
        starts.append(a[~cut])
        ends.append(b[~cut])
    a = np.concatenate(starts)
    b = np.concatenate(ends)
    n = len(a)
    _, _, d = GEOD.inv(np.full(n, lon), np.full(n, lat), a[:, 0], a[:, 1])
    near = np.nonzero(d <= d.min() + 10_000.0)[0]
    near = np.unique(np.concatenate([near, np.clip(near - 1, 0, None)]))
    t = np.linspace(0.0, 1.0, round(coarse / fine) + 1)
    pts = (a[near][:, None, :] + t[None, :, None] * (b[near] - a[near])[:, None, :]).reshape(-1, 2)
    m = len(pts)
    _, _, d2 = GEOD.inv(np.full(m, lon), np.full(m, lat), pts[:, 0], pts[:, 1])
    return float(d2.min()) / 1000.0


class ZoneOracle:
    """Independent answers about the official zones.

    The GeoJSON is read with ``json`` and ``shapely.geometry.shape`` (not geo's reader);
    membership is shapely's ``contains`` on those raw polygons; distances to a boundary are
    a brute-force minimum of ``Geod.inv`` over the boundary cut into 0.001° pieces.
    """

    def __init__(self, path: Path) -> None:
        import json

        from shapely.geometry import shape

        data = json.loads(path.read_text(encoding="utf-8"))
        self.features: list[tuple[dict[str, object], BaseGeometry]] = [
            (dict(f["properties"]), shape(f["geometry"])) for f in data["features"]
        ]

    def names(self) -> list[str]:
        return [str(p["geoname"]) for p, _ in self.features]

    def geom(self, name: str) -> BaseGeometry:
        for p, g in self.features:
            if p["geoname"] == name:
                return g
        raise KeyError(name)

    def country_union(self, iso: str) -> BaseGeometry:
        """Union of every zone with ``iso`` among its ISO_TER1..3 (claims and regimes too)."""
        parts = [
            g
            for p, g in self.features
            if iso in (p.get("iso_tr1"), p.get("iso_tr2"), p.get("iso_tr3"))
        ]
        return shapely.union_all(parts)

    def boundary_distance_km(self, lon: float, lat: float, geom: BaseGeometry) -> float:
        """Minimum geodesic distance (km) from the point to the boundary of ``geom``
        (:func:`seamless_boundary_distance_km`)."""
        return seamless_boundary_distance_km(lon, lat, geom)

    def distance_km(self, lon: float, lat: float, geom: BaseGeometry) -> float:
        """0 inside ``geom``, else the distance to its boundary."""
        if shapely.contains_xy(geom, lon, lat):
            return 0.0
        return self.boundary_distance_km(lon, lat, geom)

    @staticmethod
    def p_inside_monte_carlo(
        origin_lon: float,
        origin_lat: float,
        distance_m: float,
        azimuth_deg: float,
        distance_uncertainty: float,
        bearing_uncertainty_deg: float,
        area: BaseGeometry,
        n: int = 20_000,
        seed: int = 20_241_105,
        leg: str = "rhumb",
    ) -> float:
        """Share of ``n`` random impacts inside ``area``: distance and bearing drawn
        independently and uniformly from d(1 ± u) and b ± w, placed along rhumb lines
        (:func:`rhumb_forward`) or, with ``leg="geodesic"``, with ``Geod.fwd``."""
        rng = np.random.default_rng(seed)
        d = rng.uniform(
            distance_m * (1 - distance_uncertainty), distance_m * (1 + distance_uncertainty), n
        )
        b = rng.uniform(
            azimuth_deg - bearing_uncertainty_deg, azimuth_deg + bearing_uncertainty_deg, n
        )
        if leg == "rhumb":
            lon, lat = rhumb_forward(origin_lon, origin_lat, b, d)
        else:
            lon, lat, _ = GEOD.fwd(np.full(n, origin_lon), np.full(n, origin_lat), b, d)
        return float(np.mean(shapely.contains_xy(area, lon, lat)))


@pytest.fixture(scope="session")
def zone_oracle(official_eez_path: Path) -> ZoneOracle:
    return ZoneOracle(official_eez_path)
