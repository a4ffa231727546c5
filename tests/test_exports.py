"""GIS exports read back: same features, kinds and attributes in GeoJSON, KML and GPKG."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import pyogrio
import pytest
from shapely.geometry import Point

from geo.core.shapes import annulus
from geo.present.content import MapContent, MapFeature
from geo.present.exports import layer_name, render_kml, write_geojson, write_gpkg, write_kml

KML = "{http://www.opengis.net/kml/2.2}"
TRICKY = "Site <\"A\"> & 'B' \x01"


def _content() -> MapContent:
    from test_html_map import ANADYR, seed_content

    content = seed_content()
    # a polygon with a hole across the antimeridian, and awkward text
    ann = annulus(ANADYR, 800_000, 1_000_000)
    content.features.append(
        MapFeature(ann.geometry, "impact_area", "800-1,000 km", {"min_km": 800, "max_km": 1000})
    )
    content.features.append(
        MapFeature(Point(127.0, 37.5), "site", TRICKY, {"note": TRICKY, "ok": True, "n": None})
    )
    return content


@pytest.fixture(scope="module")
def content() -> MapContent:
    return _content()


def test_geojson_round_trip(content: MapContent, tmp_path: Path) -> None:
    out = tmp_path / "map.geojson"
    write_geojson(content, out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["features"]) == len(content.features)
    for feat, orig in zip(data["features"], content.features, strict=True):
        assert feat["properties"]["kind"] == orig.kind
        assert feat["properties"]["label"] == orig.label
        for k, v in orig.properties.items():
            assert feat["properties"][k] == v
    assert data["properties"]["title"] == content.title
    assert data["properties"]["attribution"] == content.attribution_lines()
    df = pyogrio.read_dataframe(out)
    assert len(df) == len(content.features)
    assert Counter(df["kind"]) == Counter(f.kind for f in content.features)


def test_kml_structure(content: MapContent, tmp_path: Path) -> None:
    out = tmp_path / "map.kml"
    write_kml(content, out)
    root = ET.parse(out).getroot()
    doc = root.find(f"{KML}Document")
    assert doc is not None
    assert doc.findtext(f"{KML}name") == content.title
    marks = root.findall(f".//{KML}Placemark")
    assert len(marks) == len(content.features)
    folders = [f.findtext(f"{KML}name") for f in doc.findall(f"{KML}Folder")]
    assert folders == [
        "EEZ zones",
        "Range areas",
        "Impact areas",
        "Reported impact uncertainty",
        "Range rings",
        "Reported impacts",
        "Launch sites",
    ]
    # every placemark uses a defined style
    styles = {s.get("id") for s in doc.findall(f"{KML}Style")}
    assert all(m.findtext(f"{KML}styleUrl", "").lstrip("#") in styles for m in marks)

    def data(mark: ET.Element) -> dict[str, str]:
        return {d.get("name", ""): d.findtext(f"{KML}value", "") for d in mark.iter(f"{KML}Data")}

    by_kind = Counter(data(m)["kind"] for m in marks)
    assert by_kind == Counter(f.kind for f in content.features)
    eez = [data(m) for m in marks if data(m)["kind"] == "eez"]
    first = next(f for f in content.features if f.kind == "eez")
    assert eez[0]["name"] == first.properties["name"]
    assert json.loads(eez[0]["territories"]) == first.properties["territories"]
    tricky = next(m for m in marks if data(m).get("note"))
    assert tricky.findtext(f"{KML}name") == TRICKY.replace("\x01", "")
    assert data(tricky)["note"] == TRICKY.replace("\x01", "")
    assert data(tricky)["ok"] == "true" and data(tricky)["n"] == ""
    # the annulus keeps its hole; the parts split at 180° form a MultiGeometry
    impact = next(m for m in marks if data(m)["kind"] == "impact_area")
    assert (
        impact.find(f".//{KML}innerBoundaryIs") is not None
        or impact.find(f".//{KML}MultiGeometry") is not None
    )
    area = next(m for m in marks if data(m)["kind"] == "range_area")
    assert area.find(f".//{KML}Polygon") is not None


def test_kml_modelled_zones_say_so() -> None:
    from test_html_map import seed_content

    text = render_kml(seed_content(modelled=True))
    root = ET.fromstring(text)
    names = [
        m.findtext(f"{KML}name", "")
        for m in root.iter(f"{KML}Placemark")
        if any(d.findtext(f"{KML}value") == "eez" for d in m.iter(f"{KML}Data"))
    ]
    assert names and all(n.endswith("(modelled)") for n in names)
    assert "MODELLED" in (root.find(f"{KML}Document/{KML}description").text or "")  # type: ignore[union-attr]


def _expected(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def test_gpkg_round_trip(content: MapContent, tmp_path: Path) -> None:
    out = tmp_path / "map.gpkg"
    write_gpkg(content, out)
    layers = {name: gtype for name, gtype in pyogrio.list_layers(out)}
    kinds = list(dict.fromkeys(f.kind for f in content.features))
    assert set(layers) == {layer_name(k) for k in kinds} | {"map_info"}
    assert layers["map_info"] is None
    for kind in kinds:
        df = pyogrio.read_dataframe(out, layer=layer_name(kind))
        feats = content.of_kind(kind)
        assert len(df) == len(feats)
        assert set(df["kind"]) == {kind}
        assert list(df["label"]) == [f.label for f in feats]
        for i, f in enumerate(feats):
            for k, v in f.properties.items():
                got = df[k].iloc[i]
                if v is None:
                    assert got is None or got != got  # null / NaN
                elif isinstance(v, float):
                    assert got == pytest.approx(v)
                else:
                    assert got == _expected(v), (kind, k)
            # GeoPackage stores doubles: the geometry comes back exactly (as Multi*)
            assert df.geometry.iloc[i].equals(_multi(f.geometry)), (kind, i)
    info = pyogrio.read_dataframe(out, layer="map_info")
    rows = dict(zip(info["key"], info["value"], strict=True))
    assert rows["title"] == content.title
    assert rows["eez_name"] == "Marine Regions World EEZ"
    assert content.attribution_lines()[-1] in rows.values()
    eez = pyogrio.read_dataframe(out, layer="eez")
    assert str(eez["mrgid"].dtype).lower().startswith("int")


def _multi(g: Any) -> Any:
    from shapely.geometry import LineString, MultiLineString, MultiPoint, MultiPolygon, Polygon

    if isinstance(g, Polygon):
        return MultiPolygon([g])
    if isinstance(g, LineString):
        return MultiLineString([g])
    if isinstance(g, Point):
        return MultiPoint([g])
    return g


def test_writes_are_atomic(content: MapContent, tmp_path: Path) -> None:
    for name, writer in (
        ("a.geojson", write_geojson),
        ("a.kml", write_kml),
        ("a.gpkg", write_gpkg),
    ):
        writer(content, tmp_path / name)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.geojson", "a.gpkg", "a.kml"]
