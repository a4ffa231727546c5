"""What a map shows, independent of how it is drawn (HTML, image, GIS layers).

Every writer (``html_map``, ``images``, ``exports``) takes a :class:`MapContent`. Feature
``kind`` values, which also name the layers:

- ``site``: a launch site or reference point (Point)
- ``range_area`` / ``impact_area``: a range disk, annulus, sector or annular sector
- ``ring``: a range circle as a line
- ``reported_impact``: a reported impact point; ``impact_uncertainty``: its area
- ``eez``: a zone of the EEZ dataset (properties: name, pol_type, territories, sovereigns)
- ``trajectory``/others may be added; writers draw unknown kinds with a neutral style.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shapely.geometry.base import BaseGeometry

from geo.access.zonepack import DatasetInfo
from geo.core.types import LonLat

LEGAL_DISCLAIMER = "Boundaries are shown for analysis only and have no legal value."


@dataclass
class MapFeature:
    geometry: BaseGeometry
    kind: str
    label: str = ""
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass
class MapContent:
    title: str
    features: list[MapFeature] = field(default_factory=list)
    subtitle: str = ""
    date: str = ""
    focus: LonLat | None = None
    """Centre of the map's projection (the launch site) for slide images."""
    dataset: DatasetInfo | None = None
    """The EEZ dataset shown, named in the attribution."""
    notes: list[str] = field(default_factory=list)
    """Extra attribution lines (sources of sites, missile figures...)."""

    def of_kind(self, *kinds: str) -> list[MapFeature]:
        return [f for f in self.features if f.kind in kinds]

    def _repr_html_(self) -> str:
        """In a notebook: the offline page of this content in an iframe."""
        from geo.present.notebook import map_html

        return map_html(self)

    def to_geodataframe(self) -> Any:
        """One row per feature (see :mod:`geo.present.frames`)."""
        from geo.present.frames import content_to_geodataframe

        return content_to_geodataframe(self)

    def attribution_lines(self) -> list[str]:
        lines: list[str] = []
        if self.dataset is not None:
            d = self.dataset
            head = f"EEZ: {d.name}"
            if d.version:
                head += f" (version {d.version})"
            if d.modelled:
                head += " — MODELLED, not official boundaries"
            elif d.kind == "user":
                head += " — user file, provenance unknown"
            lines.append(head)
            if d.citation:
                lines.append(f"Citation: {d.citation}")
            if d.licence:
                lines.append(f"Licence: {d.licence}")
        lines.extend(self.notes)
        lines.append(LEGAL_DISCLAIMER)
        return lines
