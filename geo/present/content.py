"""What a map shows, independent of how it is drawn (HTML, image, GIS layers).

Every writer (``html_map``, ``images``, ``exports``) takes a :class:`MapContent`. Feature
``kind`` values, which also name the layers:

- ``site``: a launch site or reference point (Point)
- ``range_area`` / ``impact_area``: a range disk, annulus, sector or annular sector
- ``ring``: a range circle as a line
- ``reported_impact``: a reported impact point; ``impact_uncertainty``: its area
- ``eez``: a zone of the EEZ dataset (properties: name, pol_type, territories, sovereigns;
  ``subject`` True for a zone of a country the map is about: drawn strong, others muted)
- ``track``: a geodesic ground track from launch to impact (Line/MultiLine split at 180°;
  properties: length_km, overflies, note, event)
- ``reference_point``: a place an impact is measured from (Point; properties: name, source)
- ``reported_leg``: the reported leg from a reference point to its impact, e.g. "1,180 km E"
  (a geodesic line, drawn thin)
- ``trajectory``/others may be added; writers draw unknown kinds with a neutral style.

Besides features, :class:`MapContent` carries typed data for an info box
(:class:`InfoBox`), altitude profiles (:class:`AltitudeProfile`), the subject countries and a
view extent (:class:`MapExtent`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shapely.geometry.base import BaseGeometry

from geo.access.zonepack import DatasetInfo
from geo.core.types import LonLat, LonLatBbox

LEGAL_DISCLAIMER = "Boundaries are shown for analysis only and have no legal value."


@dataclass
class MapFeature:
    geometry: BaseGeometry
    kind: str
    label: str = ""
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class InfoLine:
    label: str
    value: str


@dataclass(frozen=True)
class InfoBox:
    """What a defence-ministry slide states in a box: date, time, site, flight, verdicts."""

    title: str
    lines: tuple[InfoLine, ...] = ()
    """Label and value, e.g. ("Apogee", "about 550 km")."""
    verdicts: tuple[str, ...] = ()
    """One line per subject country, e.g. "Japan: OUTSIDE its EEZ (by 780 km)"."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "lines": [{"label": x.label, "value": x.value} for x in self.lines],
            "verdicts": list(self.verdicts),
        }


@dataclass(frozen=True)
class ProfileSpan:
    """A stretch of the downrange axis over a subject country's land or zone."""

    country: str
    kind: str
    """``land`` or ``eez``."""
    start_km: float
    end_km: float


@dataclass(frozen=True)
class AltitudeProfile:
    """Side view of one flight: altitude against downrange distance (ballistic model, no
    atmosphere, non-rotating Earth), with the subject countries' spans marked."""

    event: str
    downrange_km: tuple[float, ...]
    altitude_km: tuple[float, ...]
    apogee_km: float
    range_km: float
    """The flown range the arc is computed for (reported)."""
    track_km: float | None = None
    """Length of the ground track to the reported impact, when there is one."""
    spans: tuple[ProfileSpan, ...] = ()
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "event": self.event,
            "downrange_km": list(self.downrange_km),
            "altitude_km": list(self.altitude_km),
            "apogee_km": self.apogee_km,
            "range_km": self.range_km,
            "track_km": self.track_km,
            "spans": [
                {"country": s.country, "kind": s.kind, "start_km": s.start_km, "end_km": s.end_km}
                for s in self.spans
            ],
            "note": self.note,
        }


@dataclass(frozen=True)
class MapExtent:
    """The view a map should show: ``bbox`` in degrees (west > east when it crosses 180°);
    ``given`` when the user set it (scenario ``extent:`` or ``--extent``)."""

    bbox: LonLatBbox
    given: bool = False


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
    subjects: tuple[str, ...] = ()
    """Countries the map is about (scenario ``countries``, ``--country``): their zones are
    marked ``subject`` and drawn strongly."""
    info: InfoBox | None = None
    profiles: list[AltitudeProfile] = field(default_factory=list)
    extent: MapExtent | None = None
    """The view to show; None: fit the features."""

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
