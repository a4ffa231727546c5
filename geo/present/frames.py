"""Map content and briefings as GeoDataFrames: one row per feature, typed columns.

A feature's ``kind`` (site, range_area, ring, impact_area, reported_impact, eez...), its layer
name as on the maps, its label and each property become columns. A property's column takes
the type of its values: booleans ``boolean``, whole numbers ``Int64``, numbers ``float64``,
text ``string`` (lists joined by "; ", mappings as JSON), missing where a feature has no such
property. Properties named like the fixed columns are prefixed with ``property_``.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

from geo.present.content import MapContent, MapFeature

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

FIXED = ("kind", "layer", "label", "geometry")


def _column(values: list[Any]) -> pd.api.extensions.ExtensionArray | list[Any]:
    import pandas as pd

    present = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if present and all(isinstance(v, bool) for v in present):
        return pd.array(values, dtype="boolean")
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return pd.array(values, dtype="Int64")
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return pd.array([math.nan if v is None else float(v) for v in values], dtype="float64")
    return pd.array([None if v is None else _text(v) for v in values], dtype="string")


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return "; ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, default=str)
    return str(value)


def features_to_geodataframe(features: list[MapFeature]) -> gpd.GeoDataFrame:
    """One row per feature: ``kind``, ``layer``, ``label``, the properties, ``geometry``."""
    import geopandas as gpd

    from geo.present.style import LAYER_NAMES

    names: dict[str, str] = {}
    for f in features:
        for key in f.properties:
            if key not in names:
                names[key] = f"property_{key}" if key in FIXED else key
    data: dict[str, Any] = {
        "kind": _column([f.kind for f in features]),
        "layer": _column([LAYER_NAMES.get(f.kind, f.kind) for f in features]),
        "label": _column([f.label for f in features]),
    }
    for key, column in names.items():
        data[column] = _column([f.properties.get(key) for f in features])
    return gpd.GeoDataFrame(data, geometry=[f.geometry for f in features], crs="EPSG:4326")


def content_to_geodataframe(content: MapContent) -> gpd.GeoDataFrame:
    """Every feature of a map (zones, ranges, rings, sites, impacts...) as one frame; the
    map's title and attribution lines are in ``frame.attrs``."""
    frame = features_to_geodataframe(content.features)
    frame.attrs["title"] = content.title
    frame.attrs["attribution"] = content.attribution_lines()
    return frame


def to_geodataframe(obj: Any) -> gpd.GeoDataFrame:
    """A GeoDataFrame of a zone set, a shape, map content or a briefing."""
    from geo.access.frames import shape_to_geodataframe, zones_to_geodataframe
    from geo.access.zones import Zones
    from geo.core.shapes import Shape

    if isinstance(obj, Zones):
        return zones_to_geodataframe(obj)
    if isinstance(obj, Shape):
        return shape_to_geodataframe(obj)
    if isinstance(obj, MapContent):
        return content_to_geodataframe(obj)
    content = getattr(obj, "content", None)
    if isinstance(content, MapContent):
        return content_to_geodataframe(content)
    raise TypeError(f"no GeoDataFrame for a {type(obj).__name__}")
