"""GeoJSON (RFC 7946) output of shapes and map content."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.present.content import MapContent, MapFeature

COORD_DECIMALS = 9
"""Decimal places of degrees in output: 1e-9° is about 0.1 mm, below the 1 mm vertex budget."""


def _clean(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


# GEOS writes a few rounded values with a binary tail (64.92793558299999 for 64.927935583,
# 5.5470000000000004e-06): runs of 9s or 0s mark them; numbers holding such a run are
# written again as json writes the rounded float.
_TAIL_MARKS = ("9999", "0000")


def _shorten(text: str) -> str:
    spans: set[tuple[int, int]] = set()
    for mark in _TAIL_MARKS:
        i = text.find(mark)
        while i >= 0:
            start = max(text.rfind("[", 0, i), text.rfind(",", 0, i)) + 1
            ends = [e for e in (text.find(",", i), text.find("]", i)) if e >= 0]
            end = min(ends) if ends else len(text)
            spans.add((start, end))
            i = text.find(mark, end)
    if not spans:
        return text
    parts: list[str] = []
    last = 0
    for start, end in sorted(spans):
        number = text[start:end]
        if "." not in number and "e" not in number:
            continue  # an integer
        parts += [text[last:start], repr(round(float(number), COORD_DECIMALS))]
        last = end
    return "".join([*parts, text[last:]])


def geometry_texts(geoms: Sequence[BaseGeometry]) -> list[str]:
    """GeoJSON geometry objects as compact JSON text, coordinates rounded to
    :data:`COORD_DECIMALS`; all at once, without building Python lists of coordinates."""
    if not geoms:
        return []
    arr = np.empty(len(geoms), dtype=object)
    arr[:] = list(geoms)
    rounded = shapely.transform(arr, lambda c: np.round(c, COORD_DECIMALS))
    return [_shorten(str(t)) for t in shapely.to_geojson(rounded)]


def geometry_dict(geom: BaseGeometry) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(geometry_texts([geom])[0])
    return out


def feature_dict(feature: MapFeature) -> dict[str, Any]:
    props = {"kind": feature.kind, "label": feature.label, **feature.properties}
    return {
        "type": "Feature",
        "geometry": geometry_dict(feature.geometry),
        "properties": _clean(props),
    }


def feature_collection(features: list[MapFeature], **meta: object) -> dict[str, Any]:
    fc: dict[str, Any] = {
        "type": "FeatureCollection",
        "features": [feature_dict(f) for f in features],
    }
    if meta:
        fc["properties"] = _clean(meta)
    return fc


def content_collection(content: MapContent) -> dict[str, Any]:
    return feature_collection(content.features, **_content_meta(content))


def _content_meta(content: MapContent) -> dict[str, object]:
    meta: dict[str, object] = {"title": content.title}
    if content.subtitle:
        meta["subtitle"] = content.subtitle
    if content.date:
        meta["date"] = content.date
    if content.dataset is not None:
        meta["eez_dataset"] = content.dataset.to_dict()
    meta["attribution"] = content.attribution_lines()
    return meta


def dumps(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def collection_text(features: Sequence[MapFeature], **meta: object) -> str:
    """``dumps(feature_collection(features, **meta))``, with the geometries written by
    :func:`geometry_texts` straight into the text."""
    parts = [
        '{"type":"Feature","geometry":'
        + geom
        + ',"properties":'
        + dumps(_clean({"kind": f.kind, "label": f.label, **f.properties}))
        + "}"
        for f, geom in zip(features, geometry_texts([f.geometry for f in features]), strict=True)
    ]
    text = '{"type":"FeatureCollection","features":[' + ",".join(parts) + "]"
    if meta:
        text += ',"properties":' + dumps(_clean(meta))
    return text + "}"


def content_text(content: MapContent) -> str:
    """``dumps(content_collection(content))``, fast (see :func:`collection_text`)."""
    return collection_text(content.features, **_content_meta(content))
