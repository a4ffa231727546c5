"""GIS exports of a map: GeoJSON, KML (Google Earth) and GeoPackage.

Each holds every layer of the map (one per feature kind) with every attribute. GeoJSON
keeps attribute values as they are (lists stay lists); KML and GeoPackage have flat
attribute tables, so lists and dicts are written as JSON strings there. All writes are
atomic.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import sqlite3
import struct
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import numpy.typing as npt
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
from geo.present.geojson import content_text
from geo.present.style import Style, feature_style, is_modelled, kind_title, ordered_kinds

# --------------------------------------------------------------------------------------
# GeoJSON
# --------------------------------------------------------------------------------------


def write_geojson(content: MapContent, path: str | os.PathLike[str]) -> None:
    """RFC 7946 FeatureCollection: every feature with ``kind``, ``label`` and its properties;
    the map's title, dataset and attribution in the collection's ``properties``."""
    write_text_atomic(path, content_text(content) + "\n")


# --------------------------------------------------------------------------------------
# Attribute values for flat tables
# --------------------------------------------------------------------------------------

FlatValue = str | int | float | bool | None
"""A value a flat attribute table (KML data, GeoPackage column) holds."""


def flat_value(value: object) -> FlatValue:
    """A value for a flat attribute table: scalars as they are, lists and dicts as JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(_finite(value), ensure_ascii=False, default=str)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _finite(value: object) -> object:
    """NaN and infinities (not JSON) as null, inside lists and dicts too."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: object) -> str:
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


# Zeros ending a fixed-point number, and its point when nothing follows it.
_TRAILING_ZEROS = re.compile(r"\.?0+(?=[, ]|$)")


def _coords(seq: npt.ArrayLike) -> str:
    """``lon,lat`` pairs with 7 decimals (1 cm), trailing zeros (and a bare point) dropped."""
    arr = np.asarray(seq, dtype=float)
    if arr.size == 0:
        return ""
    pairs = arr.reshape(len(arr), -1)[:, :2].tolist()
    text = " ".join([f"{x:.7f},{y:.7f}" for x, y in pairs])
    return _TRAILING_ZEROS.sub("", text)


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
    name = f.label or str(f.properties.get("name") or "") or kind_title(f.kind)
    if f.kind == "eez" and is_modelled(f, content) and "(modelled)" not in name:
        name += " (modelled)"
    return name


def _kml_time(date: object) -> str:
    """A ``<TimeStamp>`` for a feature dated YYYY-MM-DD (Google Earth's time slider); it
    comes between ``name`` and ``styleUrl`` in KML 2.2's Feature sequence."""
    if not isinstance(date, str) or len(date) != 10:
        return ""
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        return ""
    return f"<TimeStamp><when>{day.isoformat()}</when></TimeStamp>"


def render_kml(content: MapContent) -> str:
    """The map as a KML 2.2 document: a Folder per layer, a Placemark per feature."""
    styles: dict[
        tuple[str, str, str, str | None, bool], tuple[str, str]
    ] = {}  # style key -> (id, <Style>)
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
                f"{_kml_time(f.properties.get('date'))}"
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


def _text(v: object) -> str:
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

_RESERVED = {"geometry", "geom", "fid", "kind", "label"}

GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"
GPKG_USER_VERSION = 10400  # GeoPackage 1.4
WGS84_SRS_ID = 4326

_GPKG_TABLES = (
    """CREATE TABLE gpkg_spatial_ref_sys (
        srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
        organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL,
        description TEXT)""",
    """CREATE TABLE gpkg_contents (
        table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
        identifier TEXT UNIQUE, description TEXT DEFAULT '',
        last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
        CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id)
        REFERENCES gpkg_spatial_ref_sys(srs_id))""",
    """CREATE TABLE gpkg_geometry_columns (
        table_name TEXT NOT NULL, column_name TEXT NOT NULL,
        geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,
        z TINYINT NOT NULL, m TINYINT NOT NULL,
        CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
        CONSTRAINT uk_gc_table_name UNIQUE (table_name),
        CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
        CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))""",
)


def layer_name(kind: str) -> str:
    """A GeoPackage table name for a kind: letters, digits and underscores."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", kind) or "layer"
    return name if not name[0].isdigit() else f"l_{name}"


def _q(name: str) -> str:
    """An SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _column_type(values: list[FlatValue]) -> str:
    """One SQL type per attribute column, as GIS tables need (values already flat)."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return "BOOLEAN"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "INTEGER"
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return "REAL"
    return "TEXT"


def _cell(value: FlatValue, sql_type: str) -> FlatValue:
    if value is None:
        return None
    if sql_type == "BOOLEAN":
        return int(value)
    if sql_type == "REAL":
        return float(value)
    if sql_type == "INTEGER":
        return value
    return str(value)


def _promoted(geom: BaseGeometry) -> BaseGeometry:
    """Single parts as their Multi* type, so that a layer has one geometry type."""
    if isinstance(geom, Point):
        return MultiPoint([geom])
    if isinstance(geom, LineString):
        return MultiLineString([geom])
    if isinstance(geom, Polygon):
        return MultiPolygon([geom])
    return geom


def _gpkg_blob(geom: BaseGeometry) -> bytes:
    """GeoPackageBinary: the "GP" header (version 0, little-endian, xy envelope, SRS id)
    followed by the ISO WKB of the geometry."""
    minx, miny, maxx, maxy = geom.bounds
    header = struct.pack("<2sBBi4d", b"GP", 0, 0b0000_0011, WGS84_SRS_ID, minx, maxx, miny, maxy)
    wkb: bytes = shapely.to_wkb(geom, byte_order=1, flavor="iso")
    return header + wkb


def _geometry_type_name(geoms: list[BaseGeometry]) -> str:
    types = {str(g.geom_type) for g in geoms}
    if len(types) == 1 and "GeometryCollection" not in types:
        return types.pop().upper()
    return "GEOMETRY"


def _feature_table(db: sqlite3.Connection, table: str, features: list[MapFeature]) -> None:
    keys: list[str] = []
    for f in features:
        for k in f.properties:
            if k not in keys:
                keys.append(k)
    columns: list[tuple[str, str, list[FlatValue]]] = [
        ("kind", "TEXT", [f.kind for f in features]),
        ("label", "TEXT", [f.label for f in features]),
    ]
    taken = {"fid", "geom", "kind", "label"}
    for k in keys:
        name = f"prop_{k}" if k.casefold() in _RESERVED else k
        while name.casefold() in taken:  # SQL names ignore case: "Name" and "name" clash
            name += "_"
        taken.add(name.casefold())
        values = [flat_value(f.properties.get(k)) for f in features]
        sql_type = _column_type(values)
        columns.append((name, sql_type, [_cell(v, sql_type) for v in values]))
    geoms = [_promoted(f.geometry) for f in features]
    gtype = _geometry_type_name(geoms)
    cols_sql = ", ".join(f"{_q(n)} {t}" for n, t, _ in columns)
    db.execute(
        f"CREATE TABLE {_q(table)} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "
        f"geom {gtype}, {cols_sql})"
    )
    marks = ", ".join("?" * (len(columns) + 1))
    names = ", ".join(["geom", *(_q(n) for n, _, _ in columns)])
    rows = zip([_gpkg_blob(g) for g in geoms], *(vals for _, _, vals in columns), strict=True)
    db.executemany(f"INSERT INTO {_q(table)} ({names}) VALUES ({marks})", rows)
    minx, miny, maxx, maxy = shapely.total_bounds(geoms).tolist()
    db.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, min_x, min_y, max_x, "
        "max_y, srs_id) VALUES (?, 'features', ?, ?, ?, ?, ?, ?)",
        (table, table, minx, miny, maxx, maxy, WGS84_SRS_ID),
    )
    db.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)",
        (table, gtype, WGS84_SRS_ID),
    )


def _wgs84_wkt() -> str:
    from pyproj import CRS

    return str(CRS.from_epsg(WGS84_SRS_ID).to_wkt("WKT1_GDAL"))


def _write_gpkg_file(content: MapContent, path: Path) -> None:
    db = sqlite3.connect(path)
    try:
        # A fresh temporary file: nothing to recover, so no journal beside it.
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.execute(f"PRAGMA application_id = {GPKG_APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {GPKG_USER_VERSION}")
        for statement in _GPKG_TABLES:
            db.execute(statement)
        db.executemany(
            "INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)",
            [
                ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian"),
                ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic"),
                ("WGS 84 geodetic", WGS84_SRS_ID, "EPSG", WGS84_SRS_ID, _wgs84_wkt(), ""),
            ],
        )
        for kind in ordered_kinds(content):
            feats = [f for f in content.of_kind(kind) if not f.geometry.is_empty]
            if feats:
                _feature_table(db, layer_name(kind), feats)
        rows = [("title", content.title), ("subtitle", content.subtitle), ("date", content.date)]
        if content.dataset is not None:
            rows += [(f"eez_{k}", _text(v)) for k, v in content.dataset.to_dict().items()]
        rows += [
            (f"attribution_{i + 1}", line) for i, line in enumerate(content.attribution_lines())
        ]
        db.execute(
            "CREATE TABLE map_info (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "
            "key TEXT, value TEXT)"
        )
        db.executemany("INSERT INTO map_info (key, value) VALUES (?, ?)", rows)
        db.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier) "
            "VALUES ('map_info', 'attributes', 'map_info')"
        )
        db.commit()
    finally:
        db.close()


def write_gpkg(content: MapContent, path: str | os.PathLike[str]) -> None:
    """One layer per kind (attributes as columns, lists as JSON strings) and a ``map_info``
    table with the title, date, EEZ dataset and attribution lines.

    Written with SQLite directly (a GeoPackage is an SQLite file with a few metadata
    tables), which spares loading pandas, GeoPandas and GDAL for one small file.
    """
    write_with(path, lambda tmp: _write_gpkg_file(content, tmp))
