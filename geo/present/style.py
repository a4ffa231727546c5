"""How a map's features look, shared by every writer (HTML, slide images, KML).

One table so that a briefing's HTML map, slides and Google Earth file look alike: colours,
line weights and dashes per feature kind, EEZ styles by zone type (modelled zones dashed and
hatched), the basemap's colours, the drawing order, layer names, and the texts of zone labels.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field, replace
from typing import Any

from shapely.geometry import Polygon

from geo.present.basemap import parts
from geo.present.content import MapContent, MapFeature


@dataclass(frozen=True)
class Style:
    """How one kind of feature is drawn. Colours are CSS hex strings."""

    title: str
    color: str
    weight: float = 1.5
    fill: str | None = None
    fill_opacity: float = 0.0
    dash: tuple[float, ...] = ()
    hatch: bool = False
    radius: float = 0.0
    """Points: marker radius in pixels."""
    extra: dict[str, Any] = field(default_factory=dict)


RANGE_PALETTE = (
    "#c0392b",  # red
    "#1e8449",  # green
    "#7d3c98",  # purple
    "#d35400",  # orange
    "#ad1457",  # magenta
    "#6e4b1f",  # brown
    "#9a7d0a",  # ochre
    "#283593",  # indigo
    "#00838f",  # cyan
    "#5d6d1e",  # olive
)
"""Colours of successive ranges (rings and range areas share the colour of their label):
far apart in hue from each other, and from the zones' blue, teal and amber. Ranges past the
palette get generated colours (:func:`extra_range_colour`), never a repeat."""

KIND_STYLES: dict[str, Style] = {
    "range_area": Style("Range area", "#c0392b", 1.2, "#c0392b", 0.07),
    "ring": Style("Range ring", "#c0392b", 2.4),
    "impact_area": Style("Impact area", "#6c3483", 1.6, "#8e44ad", 0.22),
    "impact_uncertainty": Style(
        "Reported impact uncertainty", "#a04000", 1.6, "#e67e22", 0.28, dash=(5.0, 3.0)
    ),
    "reported_impact": Style("Reported impact", "#1b1b1b", 1.6, "#f4d03f", 1.0, radius=6.5),
    "site": Style("Launch site", "#ffffff", 2.0, "#111111", 1.0, radius=6.5),
    "trajectory": Style("Trajectory", "#1b2631", 2.0, dash=(6.0, 4.0)),
    "nearest": Style("Nearest approach", "#2c3e50", 1.8, dash=(6.0, 4.0)),
    "track": Style("Ground track (geodesic)", "#7b241c", 2.6),
    "reported_leg": Style("Reported distance and bearing", "#34495e", 1.0, dash=(1.5, 2.5)),
    "reference_point": Style("Reference point", "#1b2631", 1.6, "#ffffff", 1.0, radius=5.0),
}
NEUTRAL_STYLE = Style("Other", "#566573", 1.6, "#85929e", 0.15)

EEZ_STYLES = {
    "200nm": Style("EEZ (200 NM)", "#1f5f9e", 1.3, "#2e86c1", 0.08),
    "overlapping claim": Style("Overlapping claim", "#c77c02", 1.6, "#f39c12", 0.22),
    "joint regime": Style("Joint regime", "#138d75", 1.6, "#1abc9c", 0.22),
    "other": Style("Other maritime zone", "#5d6d7e", 1.3, "#85929e", 0.12),
}

ZONE_LABEL_COLORS = {
    "200nm": "#3a6890",
    "overlapping claim": "#8d5a07",
    "joint regime": "#1d6e5f",
    "other": "#4d5b69",
}
"""Zone names: muted, darker versions of the zone colours, in italics (water labels), so
they read apart from the upright grey country names on land."""

LAND_COLOR = "#efebe3"
SEA_COLOR = "#d4e4f0"
COAST_COLOR = "#7f8c99"
BORDER_COLOR = "#a49a8c"
COUNTRY_LABEL_COLOR = "#7d7567"
INK_COLOR = "#1c2530"
"""Frames, scale bars, titles and the detail view's box and leader."""
SECONDARY_TEXT_COLOR = "#44505c"
"""Subtitles and dates."""
ATTRIBUTION_COLOR = "#34404c"
MODELLED_WARNING_COLOR = "#8a1c1c"
"""The attribution line that says zones are modelled, not official."""
LABEL_TEXT_COLOR = "#111111"
"""Names of sites and reported impacts."""
LEADER_COLOR = "#444444"
"""Leader lines of site and impact names (a ring's or line's leader takes its colour)."""
HALO_COLOR = "#ffffff"
"""The outline around names that keeps them legible over lines and fills."""
PAPER_COLOR = "#ffffff"
"""The slide's background, and the corners around a world map's disk."""
GRATICULE_COLOR = "#8fa9bf"
GLOBE_EDGE_COLOR = "#5d6d7e"
LEGEND_EDGE_COLOR = "#9aa5b1"

# Colours only the pages' CSS uses (web/page.css, events.css, folium.css).
KEY_TEXT_COLOR = "#5a6570"
"""Keys of popup tables and of the event info box."""
FOLIUM_KEY_TEXT_COLOR = "#566573"
"""Dates and popup keys of the folium map."""
TECH_TEXT_COLOR = "#6b7783"
FOOTER_COLOR = "#fafbfc"
RULE_COLOR = "#c9d1d9"
PRINT_EDGE_COLOR = "#999999"
PROFILE_AXIS_COLOR = "#5d6d7e"
FRAME_EDGE_COLOR = "#cccccc"
PROFILE_LAND_COLOR = "#b9a37e"
"""Land spans shaded along an altitude profile's downrange axis."""
MEASURE_COLOR = "#111111"
"""The page's measuring line and its vertices."""
"""The border of a notebook's iframe."""
SWATCH_EDGE_COLOR = "#111111"
"""The outline of a white marker's legend sample (white on white would vanish)."""


def swatch_edge(style: Style) -> str:
    """The outline colour of a marker's legend sample."""
    return style.color if style.color != PAPER_COLOR else SWATCH_EDGE_COLOR


CSS_COLORS: dict[str, str] = {
    "ink": INK_COLOR,
    "ink2": SECONDARY_TEXT_COLOR,
    "paper": PAPER_COLOR,
    "halo": HALO_COLOR,
    "land": LAND_COLOR,
    "sea": SEA_COLOR,
    "country": COUNTRY_LABEL_COLOR,
    "attr": ATTRIBUTION_COLOR,
    "warn": MODELLED_WARNING_COLOR,
    "key": KEY_TEXT_COLOR,
    "flkey": FOLIUM_KEY_TEXT_COLOR,
    "tech": TECH_TEXT_COLOR,
    "foot": FOOTER_COLOR,
    "rule": RULE_COLOR,
    "print": PRINT_EDGE_COLOR,
    "axis": PROFILE_AXIS_COLOR,
    "track": KIND_STYLES["track"].color,
    "measure": MEASURE_COLOR,
}
"""The CSS files' colours, read there as ``var(--rz-NAME)``."""


def css_color_rule() -> str:
    """``:root{--rz-ink:#1c2530;…}``: the one place the pages' CSS takes its colours from."""
    return ":root{" + "".join(f"--rz-{k}:{v};" for k, v in CSS_COLORS.items()) + "}"


MAX_COUNTRY_LABELS = 8
"""Country names on one map: the biggest visible countries first."""
COUNTRY_LABEL_SHARE = 0.002
"""A country is named when its visible land covers at least this share of the view."""
ZONE_LABEL_SHARE = 0.004
"""A zone is named when its visible part covers at least this share of the view."""

KIND_ORDER = (
    "eez",
    "range_area",
    "impact_area",
    "impact_uncertainty",
    "ring",
    "trajectory",
    "track",
    "reported_leg",
    "reference_point",
    "reported_impact",
    "site",
)
"""Drawing order, bottom to top; unknown kinds go between the lines and the points."""

LAYER_NAMES = {
    "eez": "EEZ zones",
    "range_area": "Range areas",
    "ring": "Range rings",
    "impact_area": "Impact areas",
    "impact_uncertainty": "Reported impact uncertainty",
    "reported_impact": "Reported impacts",
    "site": "Launch sites",
    "trajectory": "Trajectories",
    "nearest": "Nearest approach",
    "track": "Ground tracks",
    "reported_leg": "Reported distances and bearings",
    "reference_point": "Reference points",
}


def eez_key(pol_type: str) -> str:
    """Normalise a Marine Regions ``pol_type`` to a style key."""
    t = pol_type.casefold()
    if "overlap" in t:
        return "overlapping claim"
    if "joint" in t:
        return "joint regime"
    if "200" in t or not t:
        return "200nm"
    return "other"


def is_modelled(feature: MapFeature, content: MapContent) -> bool:
    """A zone is modelled when the feature says so, else when its dataset is modelled."""
    flag = feature.properties.get("modelled")
    if flag is not None:
        return bool(flag)
    return bool(content.dataset is not None and content.dataset.modelled)


def eez_style(pol_type: str, modelled: bool) -> Style:
    """Zones by type; modelled zones are dashed and hatched so they never pass for official."""
    base = EEZ_STYLES[eez_key(pol_type)]
    if not modelled:
        return base
    return Style(
        f"{base.title} (modelled)",
        base.color,
        base.weight,
        base.fill,
        base.fill_opacity,
        dash=(7.0, 5.0),
        hatch=True,
    )


def range_colours(content: MapContent) -> dict[str, str]:
    """A colour per distinct range label, in order of appearance (rings first): distinct
    ranges never share a colour."""
    colours: dict[str, str] = {}
    for f in content.of_kind("ring") + content.of_kind("range_area"):
        key = range_label(f)
        if key not in colours:
            n = len(colours)
            colours[key] = RANGE_PALETTE[n] if n < len(RANGE_PALETTE) else extra_range_colour(n)
    return colours


def extra_range_colour(n: int) -> str:
    """The ``n``-th range colour past the palette: hues a golden angle apart, dark enough
    for a line and a label on land and sea, alternating two shades."""
    import colorsys

    k = n - len(RANGE_PALETTE)
    hue = (0.03 + 0.381966 * (k + 1)) % 1.0
    light = 0.32 if k % 2 == 0 else 0.42
    r, g, b = colorsys.hls_to_rgb(hue, light, 0.7)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def range_label(feature: MapFeature) -> str:
    """A ring's or range area's label: its own, else its range from the properties."""
    if feature.label:
        return feature.label
    p = feature.properties
    for key, scale in (("range_km", 1.0), ("range_m", 1e-3), ("max_range_km", 1.0)):
        v = p.get(key)
        if isinstance(v, (int, float)) and math.isfinite(v):
            return f"{v * scale:,.0f} km"
    return ""


MAP_LABEL_CHARS = 34
"""A ring's name on the map longer than this is shortened (the legend keeps it whole)."""


def label_variants(feature: MapFeature) -> list[str]:
    """The texts a feature's label may take on a map, longest first: a crowded map uses the
    first that finds room. A ring: its label, without a long parenthesis, its range alone
    ("Standard range 9,983 km (energy bound, …)", "Standard range 9,983 km", "9,983 km";
    "KN-23: 600 km", "600 km"); a ring label too long for the map starts at a shorter form.
    A nearest-approach line: its label (with the country's short name), the distance alone."""
    full = range_label(feature) if feature.kind in ("ring", "range_area") else feature.label
    full = full.strip()
    if not full:
        return []
    out = [full]
    p = feature.properties
    if feature.kind in ("ring", "range_area"):
        head, _, rest = full.partition(" (")
        # a short qualifier ("(lowest)") stays; a long explanation goes to the legend
        keep = f" ({rest}" if rest and len(rest) <= 14 else ""
        base = head.strip() + keep
        out.append(base)
        if ": " in head:
            out.append(base.split(": ", 1)[1])  # "Hwasong-15: 8,500 km" -> "8,500 km"
        else:
            v = p.get("range_km")
            if isinstance(v, (int, float)) and math.isfinite(v):
                out.append(f"{v:,.0f} km{keep}")
        out = list(dict.fromkeys(t for t in out if t))
        short = [t for t in out if len(t) <= MAP_LABEL_CHARS]
        return short or out[-1:]
    if feature.kind == "track":
        km = p.get("length_km")  # "Ground track (geodesic), 294 km" -> "294 km"
        if isinstance(km, (int, float)) and math.isfinite(km):
            out.append(f"{km:,.0f} km")
        return list(dict.fromkeys(out))
    if feature.kind == "nearest":
        country = str(p.get("country") or "")
        if country and short_name(country) != country:
            # map labels name countries by their short names, as country labels do:
            # "… to United States of America's EEZ" -> "… to United States' EEZ"
            common = short_name(country)
            owner = f"{common}'" if common.endswith("s") else f"{common}'s"
            out = [full.replace(f"{country}'s", owner)]
        km = p.get("distance_km")
        if isinstance(km, (int, float)) and math.isfinite(km):
            out.append(f"{km:,.0f} km")
    return list(dict.fromkeys(out))


def feature_style(feature: MapFeature, content: MapContent) -> Style:
    """The style of one feature (range colours and EEZ types resolved)."""
    if feature.kind == "eez":
        base = eez_style(
            str(feature.properties.get("pol_type") or ""), is_modelled(feature, content)
        )
        return subject_style(base, feature, content)
    if feature.kind not in KIND_STYLES:
        # Unknown kinds: a neutral style named after the kind, a line style for lines.
        n = NEUTRAL_STYLE
        areal = any(isinstance(p, Polygon) for p in parts(feature.geometry))
        fill = n.fill if areal else None
        return Style(kind_title(feature.kind), n.color, n.weight, fill, n.fill_opacity, n.dash)
    base = KIND_STYLES[feature.kind]
    if feature.kind in ("ring", "range_area"):
        colour = range_colours(content).get(range_label(feature), base.color)
        fill = colour if base.fill else None
        dash = base.dash
        if feature.kind == "ring" and _on_earlier_ring(feature, content):
            # drawn over another range's ring: dashed, so that both colours show
            dash = SHARED_RING_DASH
        return Style(base.title, colour, base.weight, fill, base.fill_opacity, dash)
    if feature.kind == "reported_impact":
        return impact_verdict_style(base, feature)
    return base


MUTED_ZONE_COLOR = "#7f9db8"


def subject_style(base: Style, feature: MapFeature, content: MapContent) -> Style:
    """A zone of a country the map is about (``subject``) drawn strongly and named in the
    legend; other zones muted. A map that names no subjects draws every zone in the plain
    style: dashed where modelled (its names and the legend say "modelled"), not hatched, which
    marks the subject (the 2022 year map had every zone hatched as if each were its subject)."""
    flag = feature.properties.get("subject")
    if not content.subjects:
        return replace(base, hatch=False)
    if flag is None:
        return base
    if flag:
        who = ", ".join(content.subjects)
        return Style(f"{base.title} — {who}", base.color, base.weight * 1.7, base.fill,
                     min(1.0, base.fill_opacity * 2.0), base.dash, base.hatch)  # fmt: skip
    return Style(f"{base.title} — other countries", MUTED_ZONE_COLOR, base.weight * 0.7,
                 base.fill, base.fill_opacity * 0.5, base.dash, False)  # fmt: skip


IMPACT_VERDICT_FILLS = {
    "inside": "#e74c3c",
    "uncertain": "#f5b041",
    "outside": "#a6acaf",
    "on_own_land": "#7d3c98",
}
"""Reported impacts by their verdict for the subject country: red inside its EEZ, amber
uncertain, grey outside (white is a reference point), purple on its own land."""

IMPACT_VERDICT_TEXT = {
    "inside": "inside {c} EEZ",
    "uncertain": "uncertain for {c} EEZ",
    "outside": "outside {c} EEZ",
    "on_own_land": "on {c} land",
}

IMPACT_VERDICT_RANK = ("on_own_land", "inside", "uncertain", "outside")
"""With several subject countries, the marker shows the gravest verdict."""


def impact_verdict(verdicts: dict[str, str]) -> tuple[str, str] | None:
    """(status, country) an impact's marker shows, from its statuses per subject country."""
    for status in IMPACT_VERDICT_RANK:
        for country, s in verdicts.items():
            if s == status:
                return status, country
    return None


def impact_verdict_style(base: Style, feature: MapFeature) -> Style:
    """A reported impact coloured by its ``verdicts`` ({country: status}), titled for the
    legend ("Reported impact: inside Japan's EEZ"); unchanged without verdicts."""
    raw = feature.properties.get("verdicts")
    if not isinstance(raw, dict):
        return base
    shown = impact_verdict({str(k): str(v) for k, v in raw.items()})
    if shown is None:
        return base
    status, country = shown
    common = short_name(country)
    owner = f"{common}'" if common.endswith("s") else f"{common}'s"
    title = f"{base.title}: {IMPACT_VERDICT_TEXT[status].format(c=owner)}"
    return dataclasses.replace(base, title=title, fill=IMPACT_VERDICT_FILLS[status])


SHARED_RING_DASH = (5.0, 5.0)
"""A ring that lies on another range's ring (13,000 km, and a 8,500–13,000 km band)."""


def _ring_place(feature: MapFeature) -> tuple[Any, ...]:
    b = feature.geometry.bounds
    return (feature.properties.get("range_km"), *(round(v, 3) for v in b))


def _on_earlier_ring(feature: MapFeature, content: MapContent) -> bool:
    """Does the ring lie where an earlier ring of another range lies?"""
    if feature.geometry.is_empty:
        return False
    here = _ring_place(feature)
    label = range_label(feature)
    for f in content.of_kind("ring"):
        if f is feature:
            return False
        if range_label(f) != label and not f.geometry.is_empty and _ring_place(f) == here:
            return True
    return False


def kind_title(kind: str) -> str:
    return LAYER_NAMES.get(kind, kind.replace("_", " ").capitalize())


def ordered_kinds(content: MapContent) -> list[str]:
    present = list(dict.fromkeys(f.kind for f in content.features))
    known = [k for k in KIND_ORDER if k in present]
    unknown = [k for k in present if k not in KIND_ORDER]
    # unknown kinds draw above areas and rings but below points
    cut = len([k for k in known if k not in ("reference_point", "reported_impact", "site")])
    return known[:cut] + unknown + known[cut:]


# --------------------------------------------------------------------------------------
# Zone labels
# --------------------------------------------------------------------------------------


SHORT_NAMES = {
    "People's Republic of China": "China",
    "Republic of China": "Taiwan",
    "Russian Federation": "Russia",
    "Republic of Korea": "South Korea",
    "Democratic People's Republic of Korea": "North Korea",
    "United States of America": "United States",
    "Lao People's Democratic Republic": "Laos",
    "Syrian Arab Republic": "Syria",
    "Islamic Republic of Iran": "Iran",
    "United Republic of Tanzania": "Tanzania",
    "Democratic Republic of the Congo": "DR Congo",
    "Republic of the Congo": "Congo",
}
"""Official long names shortened on map labels (tooltips, popups and exports keep the
data's own names)."""


def short_name(name: str) -> str:
    """The name a label shows for a country: its common short form where it has one."""
    return SHORT_NAMES.get(name.strip(), name.strip())


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return []
    return list(dict.fromkeys(short_name(str(v)) for v in value if v and str(v).strip()))


def zone_label(feature: MapFeature, content: MapContent, *, lines: bool = False) -> str:
    """The short name a zone carries on the map: whose zone it is.

    A 200 NM zone is named after its territory ("Japan EEZ"; a territory of another state
    adds the sovereign: "Northern Mariana Islands EEZ (United States)"); an overlapping claim
    or a joint regime lists its claimants ("Overlapping claim: Japan / South Korea"). Modelled
    zones say so: "Japan EEZ (modelled)". With ``lines``, the label is broken into short
    lines ("Japan EEZ\\n(modelled)") that fit in narrow zones.
    """
    sep = "\n" if lines else " "
    p = feature.properties
    territories = _names(p.get("territories"))
    sovereigns = _names(p.get("sovereigns"))
    name = str(p.get("name") or feature.label or "").strip()
    key = eez_key(str(p.get("pol_type") or ""))
    if key == "200nm":
        owner = (territories or sovereigns or [name])[0]
        text = f"{owner} EEZ" if owner else "EEZ"
        others = [s for s in sovereigns if s != owner]
        if len(sovereigns) == 1 and others:
            text += f" ({others[0]})"
    elif key in ("overlapping claim", "joint regime"):
        claimants = sovereigns or territories
        head = "Overlapping claim" if key == "overlapping claim" else "Joint regime"
        text = f"{head}:{sep}{' / '.join(claimants)}" if claimants else (name or head)
    else:
        text = name or " / ".join(territories or sovereigns) or "Maritime zone"
    return f"{text}{sep}(modelled)" if is_modelled(feature, content) else text


def zone_label_color(feature: MapFeature) -> str:
    return ZONE_LABEL_COLORS[eez_key(str(feature.properties.get("pol_type") or ""))]
