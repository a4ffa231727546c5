"""GIS exports of a map: GeoJSON, KML (Google Earth) and GeoPackage.

Each holds every layer of the map (one per feature kind) with every attribute. GeoJSON
keeps attribute values as they are (lists stay lists); KML and GeoPackage have flat
attribute tables, so lists and dicts are written as JSON strings there. All writes are
atomic.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import shapely
from shapely.geometry import (
    GeometryCollection,
    LineString,
    MultiLineString,
    MultiPoint,
    MultiPolygon,
    Point,
    Polygon,
)
from shapely.geometry.base import BaseGeometry

from geo.access.atomic import write_text_atomic, write_with
from geo.present.content import MapContent, MapFeature
from geo.present.geojson import content_collection, dumps
from geo.present.style import Style, feature_style, kind_title, ordered_kinds

# --------------------------------------------------------------------------------------
# GeoJSON
# --------------------------------------------------------------------------------------


def write_geojson(content: MapContent, path: str | os.PathLike[str]) -> None:
    """RFC 7946 FeatureCollection: every feature with ``kind``, ``label`` and its properties;
    the map's title, dataset and attribution in the collection's ``properties``."""
    write_text_atomic(path, dumps(content_collection(content)) + "\n")


# --------------------------------------------------------------------------------------
# Attribute values for flat tables
# --------------------------------------------------------------------------------------


def flat_value(value: Any) -> Any:
    """A value for a flat attribute table: scalars as they are, lists and dicts as JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(_finite(value), ensure_ascii=False, default=str)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _finite(value: Any) -> Any:
    """NaN and infinities (not JSON) as null, inside lists and dicts too."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: Any) -> str:
    """Text for XML content or a double-quoted attribute; characters XML 1.0 cannot hold are
    dropped rather than making the file unreadable."""
    return escape(_XML_BAD.sub("", str(text)), {'"': "&quot;"})


# --------------------------------------------------------------------------------------
# KML
# --------------------------------------------------------------------------------------

KML_SEGMENT_DEG = 1.0
"""Google Earth joins vertices by great circles; edges longer than this (cuts along 180°,
clip edges) are split so that they keep to their meridian or parallel."""


def _kml_colour(hex_colour: str, alpha: float) -> str:
    """CSS #rrggbb and an opacity as KML's aabbggrr."""
    h = hex_colour.lstrip("#")
    a = max(0, min(255, round(alpha * 255)))
    return f"{a:02x}{h[4:6]}{h[2:4]}{h[0:2]}"


def _kml_style(sid: str, style: Style, kind: str) -> str:
    parts: list[str] = [f'<Style id="{sid}">']
    if style.radius:
        parts.append(
            f"<IconStyle><color>{_kml_colour(style.fill or style.color, 1.0)}</color>"
            "<scale>0.9</scale><Icon><href>"
            "http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png"
            "</href></Icon></IconStyle><LabelStyle><scale>0.9</scale></LabelStyle>"
        )
    width = style.weight * (1.3 if kind == "ring" else 1.0)
    parts.append(
        f"<LineStyle><color>{_kml_colour(style.color, 1.0)}</color>"
        f"<width>{width:g}</width></LineStyle>"
    )
    if style.fill:
        # KML has no hatching: modelled zones get a fainter fill and "(modelled)" in names.
        alpha = style.fill_opacity * (0.6 if style.hatch else 1.0)
        parts.append(
            f"<PolyStyle><color>{_kml_colour(style.fill, max(alpha, 0.05))}</color>"
            "<fill>1</fill><outline>1</outline></PolyStyle>"
        )
    else:
        parts.append("<PolyStyle><fill>0</fill></PolyStyle>")
    parts.append("</Style>")
    return "".join(parts)


def _coords(seq: Iterable[Any]) -> str:
    return " ".join(f"{_num(c[0])},{_num(c[1])}" for c in seq)


def _num(v: float) -> str:
    return f"{round(float(v), 7):.7f}".rstrip("0").rstrip(".")


def _kml_geometry(geom: BaseGeometry) -> str:
    if geom.is_empty:
        return ""
    if isinstance(geom, Point):
        return f"<Point><coordinates>{_coords([geom.coords[0]])}</coordinates></Point>"
    if isinstance(geom, LineString):
        return (
            "<LineString><tessellate>1</tessellate>"
            f"<coordinates>{_coords(geom.coords)}</coordinates></LineString>"
        )
    if isinstance(geom, Polygon):
        outer = (
            "<outerBoundaryIs><LinearRing>"
            f"<coordinates>{_coords(geom.exterior.coords)}</coordinates>"
            "</LinearRing></outerBoundaryIs>"
        )
        inner = "".join(
            "<innerBoundaryIs><LinearRing>"
            f"<coordinates>{_coords(r.coords)}</coordinates>"
            "</LinearRing></innerBoundaryIs>"
            for r in geom.interiors
        )
        return f"<Polygon><tessellate>1</tessellate>{outer}{inner}</Polygon>"
    if isinstance(geom, (MultiPoint, MultiLineString, MultiPolygon, GeometryCollection)):
        inner = "".join(_kml_geometry(g) for g in geom.geoms)
        return f"<MultiGeometry>{inner}</MultiGeometry>" if inner else ""
    raise TypeError(f"cannot write {geom.geom_type} to KML")


def _kml_name(f: MapFeature, content: MapContent) -> str:
    style = feature_style(f, content)
    name = f.label or str(f.properties.get("name") or "") or kind_title(f.kind)
    if style.hatch and "(modelled)" not in name:
        name += " (modelled)"
    return name


def render_kml(content: MapContent) -> str:
    """The map as a KML 2.2 document: a Folder per layer, a Placemark per feature."""
    styles: dict[tuple[Any, ...], tuple[str, str]] = {}  # style key -> (id, <Style>)
    folders: list[str] = []
    for kind in ordered_kinds(content):
        marks: list[str] = []
        for f in content.of_kind(kind):
            geom = shapely.segmentize(f.geometry, KML_SEGMENT_DEG)
            body = _kml_geometry(geom)
            if not body:
                continue
            style = feature_style(f, content)
            key = (kind, style.title, style.color, style.fill, style.hatch)
            if key not in styles:
                sid = f"style-{len(styles) + 1}"
                styles[key] = (sid, _kml_style(sid, style, kind))
            sid = styles[key][0]
            data = [("kind", f.kind), ("label", f.label)]
            data += [(str(k), v) for k, v in f.properties.items()]
            ext = "".join(
                f'<Data name="{_x(k)}"><value>{_x(_text(v))}</value></Data>' for k, v in data
            )
            marks.append(
                f"<Placemark><name>{_x(_kml_name(f, content))}</name>"
                f"<styleUrl>#{sid}</styleUrl><ExtendedData>{ext}</ExtendedData>"
                f"{body}</Placemark>"
            )
        if marks:
            folders.append(f"<Folder><name>{_x(kind_title(kind))}</name>{''.join(marks)}</Folder>")
    desc_lines = [content.subtitle, content.date, *content.attribution_lines()]
    description = "\n".join(line for line in desc_lines if line)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        f"<name>{_x(content.title)}</name>"
        f"<description>{_x(description)}</description>"
        f"{''.join(s for _, s in styles.values())}{''.join(folders)}"
        "</Document></kml>\n"
    )


def _text(v: Any) -> str:
    flat = flat_value(v)
    if flat is None:
        return ""
    if isinstance(flat, bool):
        return "true" if flat else "false"
    return str(flat)


def write_kml(content: MapContent, path: str | os.PathLike[str]) -> None:
    write_text_atomic(path, render_kml(content))


# --------------------------------------------------------------------------------------
# GeoPackage
# --------------------------------------------------------------------------------------

_RESERVED = {"geometry", "fid", "kind", "label"}


def layer_name(kind: str) -> str:
    """A GeoPackage table name for a kind: letters, digits and underscores."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", kind) or "layer"
    return name if not name[0].isdigit() else f"l_{name}"


def _column(values: list[Any]) -> Any:
    """One attribute column with a single type, as GIS tables need."""
    import pandas as pd

    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return pd.array(values, dtype="boolean")
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return pd.array(values, dtype="Int64")
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return [float(v) if v is not None else math.nan for v in values]
    return [None if v is None else str(v) for v in values]


def _layer_frame(features: list[MapFeature]) -> Any:
    import geopandas as gpd

    keys: list[str] = []
    for f in features:
        for k in f.properties:
            if k not in keys:
                keys.append(k)
    cols: dict[str, Any] = {
        "kind": [f.kind for f in features],
        "label": [f.label for f in features],
    }
    for k in keys:
        name = f"prop_{k}" if k.casefold() in _RESERVED else k
        cols[name] = _column([flat_value(f.properties.get(k)) for f in features])
    return gpd.GeoDataFrame(cols, geometry=[f.geometry for f in features], crs="EPSG:4326")


def _geometry_type(geoms: list[BaseGeometry]) -> str | None:
    families = set()
    for g in geoms:
        t = g.geom_type.replace("Multi", "")
        families.add(t)
    if len(families) == 1 and "GeometryCollection" not in families:
        return None  # let pyogrio name it (promoted to Multi*)
    return "Unknown"


def write_gpkg(content: MapContent, path: str | os.PathLike[str]) -> None:
    """One layer per kind (attributes as columns, lists as JSON strings) and a ``map_info``
    table with the title, date, EEZ dataset and attribution lines."""
    import pandas as pd
    import pyogrio

    def write(tmp: Path) -> None:
        for kind in ordered_kinds(content):
            feats = [f for f in content.of_kind(kind) if not f.geometry.is_empty]
            if not feats:
                continue
            gdf = _layer_frame(feats)
            pyogrio.write_dataframe(
                gdf,
                tmp,
                layer=layer_name(kind),
                driver="GPKG",
                promote_to_multi=True,
                geometry_type=_geometry_type(list(gdf.geometry)),
            )
        rows = [("title", content.title), ("subtitle", content.subtitle), ("date", content.date)]
        if content.dataset is not None:
            rows += [(f"eez_{k}", _text(v)) for k, v in content.dataset.to_dict().items()]
        rows += [
            (f"attribution_{i + 1}", line) for i, line in enumerate(content.attribution_lines())
        ]
        info = pd.DataFrame({"key": [r[0] for r in rows], "value": [r[1] for r in rows]})
        pyogrio.write_dataframe(info, tmp, layer="map_info", driver="GPKG")

    write_with(path, write)
