"""GeoJSON (RFC 7946) output of shapes and map content."""

from __future__ import annotations

import json
import math
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from geo.present.content import MapContent, MapFeature

COORD_DECIMALS = 9
"""Decimal places of degrees in output: 1e-9° is about 0.1 mm, below the 1 mm vertex budget."""


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def geometry_dict(geom: BaseGeometry) -> dict[str, Any]:
    out: dict[str, Any] = _round(json.loads(shapely.to_geojson(geom)))
    return out


def _round(obj: Any) -> Any:
    if isinstance(obj, float):
        return round(obj, COORD_DECIMALS)
    if isinstance(obj, list):
        return [_round(v) for v in obj]
    if isinstance(obj, dict):
        return {k: _round(v) for k, v in obj.items()}
    return obj


def feature_dict(feature: MapFeature) -> dict[str, Any]:
    props = {"kind": feature.kind, "label": feature.label, **feature.properties}
    return {
        "type": "Feature",
        "geometry": geometry_dict(feature.geometry),
        "properties": _clean(props),
    }


def feature_collection(features: list[MapFeature], **meta: Any) -> dict[str, Any]:
    fc: dict[str, Any] = {
        "type": "FeatureCollection",
        "features": [feature_dict(f) for f in features],
    }
    if meta:
        fc["properties"] = _clean(meta)
    return fc


def content_collection(content: MapContent) -> dict[str, Any]:
    meta: dict[str, Any] = {"title": content.title}
    if content.subtitle:
        meta["subtitle"] = content.subtitle
    if content.date:
        meta["date"] = content.date
    if content.dataset is not None:
        meta["eez_dataset"] = content.dataset.to_dict()
    meta["attribution"] = content.attribution_lines()
    return feature_collection(content.features, **meta)


def dumps(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
