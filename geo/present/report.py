"""The verdict report of a briefing, as Markdown and JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from geo.access.atomic import write_text_atomic
from geo.core.verdicts import dataset_kind, dataset_title

if TYPE_CHECKING:
    from geo.briefing.records import (
        ImpactRecord,
        ReportRecord,
        TrackRecord,
        TrajectoryRecord,
        ZoneRecord,
    )


def _zone_who(z: ZoneRecord) -> str:
    who = z.get("territory") or z.get("sovereign") or ""
    if z.get("claimants"):
        who = " / ".join(z["claimants"])
    return who


# Characters that start inline Markdown (code, emphasis, links, HTML, GFM strikethrough)
# or end a table cell; a backslash makes each literal in CommonMark and GFM.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# What makes a line a heading, quote, list item, rule or setext underline.
_MD_LINE_START = re.compile(r"^(?:[#>+=-]|\d+(?=[.)]))")
_MD_CLOSING_HASHES = re.compile(r"(^|\s)(#+)$")


def _md_escape(text: object) -> str:
    """User or dataset text as literal Markdown on one line, safe in a table cell."""
    one_line = " ".join(str(text).split())  # also CR, tabs, Unicode line separators
    return _MD_ENTITY.sub(r"\\&", _MD_INLINE.sub(r"\\\1", one_line))


def _md_line(text: object) -> str:
    """:func:`_md_escape` for text that starts a line (paragraph, list item, heading):
    a leading ``#``, ``-``, ``1.``... stays text, as do a heading's trailing ``#``."""
    out = _md_escape(text)
    m = _MD_LINE_START.match(out)
    if m:
        end = m.end()
        out = out[:end] + "\\" + out[end:] if out[:1].isdigit() else "\\" + out
    return _MD_CLOSING_HASHES.sub(lambda h: h.group(1) + "\\#" * len(h.group(2)), out)


def _flight_time(traj: TrajectoryRecord) -> str | None:
    """The model's flight time and, when the event gave one, the reported time beside it."""
    predicted = traj.get("flight_time_min")
    if predicted is None:
        return None
    text = f"Flight time: {predicted:.1f} min predicted"
    reported = traj.get("reported_flight_time_min")
    if reported is not None:
        text += f"; reported {reported:.1f} min"
        diff = traj.get("flight_time_difference_min")
        if diff is not None:
            text += f" (difference {diff:+.1f} min)"
    return text + "."


MAX_ZONE_ROWS = 15
"""A world-scale area touches 150 zones; the table shows the largest overlaps."""


def report_markdown(report: ReportRecord) -> str:
    ds = report["dataset"]
    lines = [f"# {_md_line(report['title'])}", ""]
    if report.get("subtitle"):
        lines += [_md_line(report["subtitle"]), ""]
    if report.get("date"):
        lines += [f"Date: {_md_escape(report['date'])}", ""]
    kind = {
        "modelled": "**modelled** zones, not official boundaries",
        "official": "official zones",
        "user": "a user zone file of unknown provenance",
    }[dataset_kind(dict(ds))]
    lines += [f"EEZ dataset: {_md_escape(dataset_title(dict(ds)))} ({kind}).", ""]
    lines += _impact_table(report)
    for ev in report["events"]:
        site = ev["site"]
        head = f"## {_md_line(ev['name'])}"
        lines += [head, ""]
        when = f" at {_md_escape(ev['time'])}" if ev.get("time") else ""
        if ev.get("launch_known", True):
            lines += [
                f"Launch from {_md_escape(site['name'])} ({site['lat']:.4f}, {site['lon']:.4f})"
                f"{when}.",
                "",
            ]
        if ev.get("date"):
            lines += [f"Date: {_md_escape(ev['date'])}", ""]
        if ev.get("notes"):
            lines += [f"Notes: {_md_escape(ev['notes'])}", ""]
        traj = ev.get("trajectory")
        if traj:
            std = "global reach" if traj["global_reach"] else f"{traj['standard_range_km']:,.0f} km"
            lines += [
                f"Trajectory ({traj['range_km']:,.0f} km range, "
                f"{traj['apogee_km']:,.0f} km apogee): "
                f"{traj['trajectory_class']}; burnout speed {traj['burnout_speed_km_s']:.2f} km/s, "
                f"flight-path angle {traj['flight_path_angle_deg']:.1f}° "
                f"(minimum-energy {traj['min_energy_angle_deg']:.1f}°); "
                f"energy-equivalent standard range {std} "
                "(vacuum Kepler model: an energy bound, not a forecast).",
                "",
            ]
            flight_time = _flight_time(traj)
            if flight_time:
                lines += [flight_time, ""]
        for rng in ev["ranges"]:
            heading = rng.get("area") or f"range area {rng['label']}"
            lines += [f"### {_md_line(heading[:1].upper() + heading[1:])}", ""]
            for c in rng.get("countries", []):
                lines += [f"- **{_md_escape(c['summary'])}**"]
            if rng.get("countries"):
                lines.append("")
            if rng["zones"]:
                lines += [
                    "| zone | territory | type | overlap km² | share of area | from launch km |",
                    "|---|---|---|---:|---:|---:|",
                ]
                for z in rng["zones"][:MAX_ZONE_ROWS]:
                    far = z["distance_from_launch_km"]
                    lines.append(
                        f"| {_md_escape(z['name'])} | {_md_escape(_zone_who(z))} "
                        f"| {_md_escape(z['pol_type'])} | "
                        f"{z['overlap_km2']:,.0f} | {100 * z['fraction_of_area']:.1f}% | "
                        f"{'—' if far is None else f'{far:,.0f}'} |"
                    )
                more = len(rng["zones"]) - MAX_ZONE_ROWS
                if more > 0:
                    lines.append(
                        f"| … and {more} smaller overlaps (all in report.json) | | | | | |"
                    )
                lines.append("")
            else:
                lines += ["The area reaches no zone of the dataset.", ""]
        for imp in ev["impacts"]:
            lines += [f"### Reported impact: {_md_line(imp['label'])}{_leg_note(imp)}", ""]
            if imp.get("source"):
                lines += [f"Source: {_md_escape(imp['source'])}", ""]
            for v in imp["verdicts"]:
                lines.append(f"- point {v['lat']:.4f}, {v['lon']:.4f}")
                verdict = v.get("verdict")
                if verdict:
                    lines.append(
                        f"- **{_md_escape(verdict['country'])}: {_md_escape(verdict['status'])}** "
                        f"— margin "
                        f"{verdict['margin_km']:,.1f} km, P(inside) {verdict['p_inside']:.2f}"
                        + (f" ({_md_escape(verdict['note'])})" if verdict.get("note") else "")
                    )
                for zi in v["containing"]:
                    # no distance: to the zone's outline (coast included), it would sit
                    # beside the verdict's seaward margin and contradict it (report.json
                    # keeps distance_to_boundary_km)
                    lines.append(f"- in {_md_escape(zi['name'])} ({_md_escape(zi['pol_type'])})")
            if imp.get("track"):
                lines += _track_lines(imp["track"], report.get("countries") or [])
            lines.append("")
        if ev.get("sources"):
            lines += ["Sources: " + "; ".join(_md_escape(s) for s in ev["sources"]), ""]
    lines += ["---", ""]
    lines += [f"- {_md_line(a)}" for a in report["attribution"]]
    return "\n".join(lines).rstrip("\n") + "\n"  # one final newline, as text files end


def _leg_note(imp: ImpactRecord) -> str:
    """How the reported distance and bearing were read, e.g. " (rhumb line)"."""
    leg = imp.get("leg")
    return {"rhumb": " (rhumb line)", "geodesic": " (geodesic)"}.get(str(leg), "")


def _impact_table(report: ReportRecord) -> list[str]:
    """One row per reported impact and subject country, when the briefing has several
    impacts (a launch day, a year): the overview before the per-event sections."""
    rows = [(ev, imp) for ev in report["events"] for imp in ev["impacts"]]
    if len(rows) < 2:
        return []
    out = [
        "## Reported impacts",
        "",
        "| date | event | impact | country | verdict | margin km | P(inside) |",
        "|---|---|---|---|---|---:|---:|",
    ]
    for ev, imp in rows:
        head = (
            f"| {_md_escape(ev.get('date') or report.get('date') or '')} "
            f"| {_md_escape(ev['name'])} | {_md_escape(imp['label'])}{_leg_note(imp)} "
        )
        verdicts = [v["verdict"] for v in imp["verdicts"] if v.get("verdict")]
        if not verdicts:
            out.append(head + "| — | — | | |")
        for vd in verdicts:
            out.append(
                head + f"| {_md_escape(vd['country'])} | {_md_escape(vd['status'])} "
                f"| {vd['margin_km']:,.1f} | {vd['p_inside']:.2f} |"
            )
    return [*out, ""]


def _track_lines(track: TrackRecord, countries: list[str]) -> list[str]:
    """The ground track and every crossing report.json lists (land and EEZ, every country),
    but those shorter than :data:`geo.core.track.CROSSING_MIN_KM`; for each of the report's
    countries whose land it misses, a line saying so."""
    from geo.core.track import crossing_lines

    out = [f"- ground track (geodesic, Earth's rotation ignored): {track['length_km']:,.0f} km"]
    lines = crossing_lines(
        track["overflies"], track["length_km"], countries, every_zone=True, name=_md_escape
    )
    return out + [f"- {line}" for line in lines]


def write_report(report: ReportRecord, stem: Path) -> list[Path]:
    """Write ``stem.md`` and ``stem.json`` atomically; return their paths."""
    md = stem.with_suffix(".md")
    js = stem.with_suffix(".json")
    write_text_atomic(md, report_markdown(report))
    write_text_atomic(js, json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n")
    return [md, js]
