"""The Marine Regions WFS client, replayed from hand-made stand-ins for recorded responses
(tests/fixtures/wfs, see tests/fixtures/README.md). No test touches the network."""

from __future__ import annotations

import io
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
from email.message import Message
from pathlib import Path
from typing import Any

import pytest

from geo.access import wfs
from geo.access.wfs import build_url, fetch_zones, parse_bbox
from geo.errors import FetchError, InputError, UnknownCountryError, ZoneDataError

FIXTURES = Path(__file__).parent / "fixtures" / "wfs"
JAPAN_JSON = (FIXTURES / "eez-japan.json").read_bytes()
EXCEPTION_XML = (FIXTURES / "exception-report.xml").read_bytes()
EMPTY_JSON = (FIXTURES / "empty.json").read_bytes()


class Replay:
    """A transport that answers every request with one body (or raises), recording calls."""

    def __init__(self, body: bytes | None = None, error: BaseException | None = None) -> None:
        self.body = body
        self.error = error
        self.calls: list[tuple[str, float]] = []

    def __call__(self, url: str, timeout: float) -> bytes:
        self.calls.append((url, timeout))
        if self.error is not None:
            raise self.error
        assert self.body is not None
        return self.body


def _query(url: str) -> dict[str, str]:
    parsed = urllib.parse.urlsplit(url)
    assert f"{parsed.scheme}://{parsed.netloc}{parsed.path}" == (
        "https://geo.vliz.be/geoserver/MarineRegions/wfs"
    )
    pairs = urllib.parse.parse_qsl(parsed.query, strict_parsing=True)
    assert len(pairs) == len(dict(pairs))
    return dict(pairs)


BASE = {
    "service": "WFS",
    "version": "1.0.0",
    "request": "GetFeature",
    "typeName": "MarineRegions:eez",
    "outputFormat": "application/json",
}


# --- the request ------------------------------------------------------------------------------


def test_url_for_one_country() -> None:
    assert _query(build_url(["Japan"], None)) == {
        **BASE,
        "CQL_FILTER": "(territory1='Japan' OR sovereign1='Japan' OR iso_ter1='JAPAN')",
    }


def test_url_for_an_alpha2_code_asks_for_the_alpha3_code() -> None:
    # iso_ter1 holds alpha-3 codes: "jp" must reach Japan's zones.
    assert _query(build_url(["jp"], None)) == {
        **BASE,
        "CQL_FILTER": "(territory1='jp' OR sovereign1='jp' OR iso_ter1='JPN')",
    }


def test_url_for_countries_and_bbox_puts_the_box_in_cql() -> None:
    q = _query(build_url(["Japan", "Cote d'Ivoire", "KOR"], (120.0, 20.5, 150.0, 50.0)))
    assert "bbox" not in q  # GeoServer refuses BBOX together with CQL_FILTER
    assert q == {
        **BASE,
        "CQL_FILTER": (
            "((territory1='Japan' OR sovereign1='Japan' OR iso_ter1='JAPAN') OR "
            "(territory1='Cote d''Ivoire' OR sovereign1='Cote d''Ivoire' "
            "OR iso_ter1='COTE D''IVOIRE') OR "
            "(territory1='KOR' OR sovereign1='KOR' OR iso_ter1='KOR')) "
            "AND BBOX(the_geom,120,20.5,150,50)"
        ),
    }


def test_url_for_bbox_only() -> None:
    assert _query(build_url(None, (120.0, 20.0, 150.0, 50.0))) == {
        **BASE,
        "bbox": "120,20,150,50",
    }


def test_url_for_bbox_across_the_antimeridian() -> None:
    assert _query(build_url([], (170.0, 50.0, -170.0, 66.0))) == {
        **BASE,
        "CQL_FILTER": ("(BBOX(the_geom,170,50,180,66) OR BBOX(the_geom,-180,50,-170,66))"),
    }


def test_url_without_filters() -> None:
    assert _query(build_url(None, None)) == BASE


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1,2,3", "expected W,S,E,N in degrees, got '1,2,3'"),
        ("a,b,c,d", "expected W,S,E,N in degrees, got 'a,b,c,d'"),
        ("120,50,150,20", "need -90 <= S < N <= 90, got '120,50,150,20'"),
        ("190,0,200,10", "longitudes must be within -180..180, got '190,0,200,10'"),
    ],
)
def test_parse_bbox_errors(text: str, message: str) -> None:
    with pytest.raises(InputError) as exc:
        parse_bbox(text)
    assert str(exc.value) == message


def test_parse_bbox() -> None:
    assert parse_bbox(" 120, 20.5 ,150,50") == (120.0, 20.5, 150.0, 50.0)


# --- replaying responses ----------------------------------------------------------------------


def test_replay_of_a_recorded_response() -> None:
    replay = Replay(JAPAN_JSON)
    info, records, geoms = fetch_zones(["Japan"], None, timeout_s=12, opener=replay)
    assert replay.calls == [(build_url(["Japan"], None), 12)]
    assert len(records) == len(geoms) == 3
    assert records[0] == {
        "name": "Japanese Exclusive Economic Zone",
        "pol_type": "200NM",
        "territories": ["Japan"],
        "sovereigns": ["Japan"],
        "iso_codes": ["JPN"],
        "mrgid": 8487,
    }
    assert records[2] == {
        "name": "Overlapping claim Liancourt Rocks: Japan / South Korea",
        "pol_type": "Overlapping claim",
        "territories": ["Japan", "South Korea"],
        "sovereigns": ["Japan", "South Korea"],
        "iso_codes": ["JPN", "KOR"],
        "mrgid": 48955,
    }
    assert geoms[0].geom_type == "MultiPolygon" and all(g.is_valid for g in geoms)
    # axes are lon/lat: the rocks lie at 131.9 E, 37.2 N (the fixture's vertices, read
    # exactly: decimal text to the nearest double both here and in the reader)
    assert geoms[2].bounds == (131.61, 37.04, 132.12, 37.45)
    assert info.name == "Marine Regions World EEZ (WFS)"
    assert info.licence == "CC BY 4.0"
    assert info.modelled is False
    assert info.source == build_url(["Japan"], None)
    assert info.citation.startswith("Flanders Marine Institute. Maritime Boundaries Geodatabase")
    assert "MarineRegions:eez" in info.citation
    assert info.extra["schema"] == "marine-regions-wfs"
    assert info.extra["query"] == {"countries": ["Japan"], "bbox": None}
    assert "warnings" not in info.extra


def test_cache_hit_makes_no_second_request() -> None:
    replay = Replay(JAPAN_JSON)
    first = fetch_zones(["Japan"], None, opener=replay)
    second = fetch_zones(["Japan"], None, opener=replay)
    assert len(replay.calls) == 1
    assert first[1] == second[1]
    cached = wfs.cache_path(build_url(["Japan"], None))
    assert cached.read_bytes() == JAPAN_JSON
    assert cached.is_relative_to(Path(os.environ["RANGEZONE_DATA_DIR"]))
    # another query is another cache entry
    fetch_zones(["Japan"], (120.0, 20.0, 150.0, 50.0), opener=replay)
    assert len(replay.calls) == 2


def test_no_cache_and_stale_cache_download_again() -> None:
    replay = Replay(JAPAN_JSON)
    fetch_zones(["Japan"], None, opener=replay)
    fetch_zones(["Japan"], None, opener=replay, cache=False)
    assert len(replay.calls) == 2
    fetch_zones(["Japan"], None, opener=replay, cache_max_age_s=-1)
    assert len(replay.calls) == 3


def test_errors_are_not_cached() -> None:
    with pytest.raises(FetchError):
        fetch_zones(["Japan"], None, opener=Replay(EXCEPTION_XML))
    assert not wfs.cache_path(build_url(["Japan"], None)).exists()
    replay = Replay(JAPAN_JSON)
    fetch_zones(["Japan"], None, opener=replay)
    assert len(replay.calls) == 1


# --- failures ---------------------------------------------------------------------------------

SERVICE_MESSAGE = (
    "WFS returned an error: Illegal property name: territory9 for feature type MarineRegions:eez"
)


def test_exception_report_with_http_200() -> None:
    with pytest.raises(FetchError) as exc:
        fetch_zones(["Japan"], None, opener=Replay(EXCEPTION_XML))
    assert str(exc.value) == SERVICE_MESSAGE


def test_exception_report_with_http_400() -> None:
    url = build_url(["Japan"], None)
    error = urllib.error.HTTPError(url, 400, "Bad Request", Message(), io.BytesIO(EXCEPTION_XML))
    with pytest.raises(FetchError) as exc:
        fetch_zones(["Japan"], None, opener=Replay(error=error))
    assert str(exc.value) == SERVICE_MESSAGE


def test_http_error_without_report() -> None:
    url = build_url(["Japan"], None)
    error = urllib.error.HTTPError(url, 503, "Service Unavailable", Message(), io.BytesIO(b""))
    with pytest.raises(FetchError) as exc:
        fetch_zones(["Japan"], None, opener=Replay(error=error))
    assert str(exc.value) == "Marine Regions WFS answered HTTP 503 Service Unavailable"


TIMEOUT_MESSAGE = (
    "Marine Regions WFS did not answer within 7 s (timeout); "
    "try again later or pass a longer --timeout"
)


@pytest.mark.parametrize(
    "error",
    [
        TimeoutError("timed out"),
        urllib.error.URLError(TimeoutError("timed out")),
    ],
)
def test_timeout(error: BaseException) -> None:
    with pytest.raises(FetchError) as exc:
        fetch_zones(["Japan"], None, timeout_s=7, opener=Replay(error=error))
    assert str(exc.value) == TIMEOUT_MESSAGE


def test_offline() -> None:
    error = urllib.error.URLError(socket.gaierror(-3, "Temporary failure in name resolution"))
    with pytest.raises(FetchError) as exc:
        fetch_zones(["Japan"], None, opener=Replay(error=error))
    assert str(exc.value) == (
        "cannot reach Marine Regions WFS (offline?): "
        "[Errno -3] Temporary failure in name resolution"
    )


def test_connection_refused() -> None:
    error = ConnectionRefusedError(111, "Connection refused")
    with pytest.raises(FetchError) as exc:
        fetch_zones(None, (120.0, 20.0, 150.0, 50.0), opener=Replay(error=error))
    assert str(exc.value) == (
        "cannot reach Marine Regions WFS (offline?): [Errno 111] Connection refused"
    )


def test_empty_collection_for_a_country() -> None:
    with pytest.raises(UnknownCountryError) as exc:
        fetch_zones(["Japn"], None, opener=Replay(EMPTY_JSON))
    assert str(exc.value) == (
        "the Marine Regions WFS has no zones for Japn; names are matched exactly against "
        "territory1/sovereign1 (e.g. 'Japan') and ISO codes against iso_ter1 (e.g. 'JPN')"
    )


def test_empty_collection_for_a_bbox() -> None:
    with pytest.raises(ZoneDataError) as exc:
        fetch_zones(None, (-30.0, -10.0, -20.0, 0.0), opener=Replay(EMPTY_JSON))
    assert str(exc.value) == "the Marine Regions WFS returned no zones for bbox -30,-10,-20,0"


def test_not_geojson() -> None:
    with pytest.raises(FetchError) as exc:
        fetch_zones(["Japan"], None, opener=Replay(b"<html><body>Maintenance</body></html>"))
    assert str(exc.value) == (
        "Marine Regions WFS returned something other than GeoJSON: "
        "'<html><body>Maintenance</body></html>'"
    )


# --- the default transport --------------------------------------------------------------------


def test_default_transport_uses_urllib_with_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    class Response(io.BytesIO):
        def __enter__(self) -> Response:
            return self

        def __exit__(self, *args: object) -> None:
            self.close()

    def fake_urlopen(request: Any, timeout: float) -> Response:
        seen["url"] = request.full_url
        seen["agent"] = request.get_header("User-agent")
        seen["timeout"] = timeout
        return Response(JAPAN_JSON)

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    _, records, _ = fetch_zones(["Japan"], None, timeout_s=9)
    assert len(records) == 3
    assert seen["url"] == build_url(["Japan"], None)
    assert seen["timeout"] == 9
    assert seen["agent"].startswith("rangezone")
