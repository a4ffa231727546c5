"""``rangezone trajectory``: what a reported flight's range and apogee say about the missile."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import click

from geo.cli._common import emit_json, emit_text
from geo.cli.options import option
from geo.core import ballistics as bal
from geo.core.parse import parse_bearing_deg, parse_distance_m
from geo.errors import InputError

DISCLAIMER = (
    "The standard range ignores the powered phase and Earth's rotation: "
    "it is an energy bound, not a forecast."
)

MODEL = (
    f"vacuum Kepler ellipse over a spherical, non-rotating Earth "
    f"(R = {bal.EARTH_RADIUS_KM:g} km, mu = {bal.MU_KM3_S2} km^3/s^2), burnout at the surface, "
    f"symmetric arc through launch and impact points"
)


def _distance_km(option: str, text: str, check: Callable[[float], float]) -> float:
    """Parse and check one distance option; the error names the option."""
    try:
        return check(parse_distance_m(text) / 1000.0)
    except InputError as exc:
        raise type(exc)(f"{option}: {exc}") from None


def _round(x: float | None, ndigits: int) -> float | None:
    return None if x is None else round(x, ndigits)


def _report(
    analysis: bal.TrajectoryAnalysis,
    rotation: bal.RotationEstimate | None,
    powered: bal.PoweredPhaseEstimate | None,
) -> dict[str, Any]:
    a = analysis
    out: dict[str, Any] = {
        "model": MODEL,
        "range_km": _round(a.range_km, 3),
        "apogee_km": _round(a.apogee_km, 3),
        "burnout_speed_km_s": _round(a.burnout_speed_km_s, 5),
        "circular_speed_fraction": _round(a.circular_speed_fraction, 5),
        "flight_path_angle_deg": _round(a.flight_path_angle_deg, 4),
        "min_energy_angle_deg": _round(a.min_energy_angle_deg, 4),
        "angle_above_min_energy_deg": _round(a.angle_above_min_energy_deg, 4),
        "class_margin_deg": bal.CLASS_MARGIN_DEG,
        "trajectory_class": a.trajectory_class,
        "min_energy_angle_for_range_deg": _round(a.min_energy_angle_for_range_deg, 4),
        "min_energy_apogee_km": _round(a.min_energy_apogee_km, 3),
        "flight_time_min": _round(a.flight_time_min, 3),
        "reported_flight_time_min": _round(a.reported_flight_time_min, 3),
        "flight_time_difference_min": _round(a.flight_time_difference_min, 3),
        "standard_range_km": _round(a.standard_range_km, 1),
        "global_reach": a.global_reach,
        "standard_flight_time_min": _round(a.standard_flight_time_min, 3),
        "note": DISCLAIMER,
    }
    if rotation is not None:
        out["rotation_estimate"] = {
            "optional_estimate": True,
            "azimuth_deg": _round(rotation.azimuth_deg, 4),
            "latitude_deg": _round(rotation.latitude_deg, 4),
            "range_km": _round(rotation.range_km, 1),
            "global_reach": rotation.global_reach,
            "flight_path_angle_deg": _round(rotation.flight_path_angle_deg, 4),
            "assumptions": (
                "burnout speed relative to the ground as in the main model; the launch site's "
                "eastward speed added; range measured on the Earth turning under the flight"
            ),
        }
    if powered is not None:
        out["powered_phase_estimate"] = {
            "optional_estimate": True,
            "burn_time_s": _round(powered.burn_time_s, 3),
            "mean_gravity_m_s2": _round(powered.mean_gravity_m_s2, 4),
            "gravity_loss_saving_km_s": _round(powered.gravity_loss_saving_km_s, 5),
            "standard_burnout_speed_km_s": _round(powered.standard_burnout_speed_km_s, 5),
            "standard_flight_path_angle_deg": _round(powered.standard_flight_path_angle_deg, 4),
            "standard_range_km": _round(powered.standard_range_km, 1),
            "global_reach": powered.global_reach,
            "assumptions": (
                "same thrust and mass history; constant gravity during the burn; flight-path "
                "angle falling linearly from vertical; only the gravity loss differs; burnout "
                "at the surface"
            ),
        }
    return out


def _km(x: float) -> str:
    return f"{x:,.0f} km"


def _text(
    analysis: bal.TrajectoryAnalysis,
    rotation: bal.RotationEstimate | None,
    powered: bal.PoweredPhaseEstimate | None,
) -> str:
    a = analysis
    lines = [
        f"Flight:            range {a.range_km:,.1f} km, apogee {a.apogee_km:,.1f} km",
        f"Burnout speed:     {a.burnout_speed_km_s:.3f} km/s "
        f"({a.circular_speed_fraction:.3f} of circular-orbit speed)",
        f"Flight-path angle: {a.flight_path_angle_deg:.2f} deg "
        f"(minimum-energy angle for this speed {a.min_energy_angle_deg:.2f} deg)",
        f"Trajectory class:  {a.trajectory_class} "
        f"({a.angle_above_min_energy_deg:+.2f} deg from minimum energy; "
        f"margin +/-{bal.CLASS_MARGIN_DEG:g} deg)",
    ]
    ft = f"Flight time:       {a.flight_time_min:.1f} min predicted"
    if a.reported_flight_time_min is not None and a.flight_time_difference_min is not None:
        ft += (
            f"; reported {a.reported_flight_time_min:.1f} min "
            f"(difference {a.flight_time_difference_min:+.1f} min)"
        )
    lines.append(ft)
    if a.standard_range_km is None:
        lines.append(
            "Standard range:    global reach (burnout speed at or above circular-orbit speed)"
        )
    else:
        lines.append(
            f"Standard range:    {_km(a.standard_range_km)} "
            f"(minimum-energy range at this burnout speed)"
        )
    if rotation is not None:
        where = f"azimuth {rotation.azimuth_deg:g} deg from latitude {rotation.latitude_deg:g} deg"
        value = "global reach" if rotation.range_km is None else _km(rotation.range_km)
        lines.append(f"With rotation:     {value}, {where} (optional estimate)")
    if powered is not None:
        value = (
            "global reach" if powered.standard_range_km is None else _km(powered.standard_range_km)
        )
        lines.append(
            f"Powered phase:     {value} with a {powered.burn_time_s:g} s standard boost "
            f"(+{powered.gravity_loss_saving_km_s:.3f} km/s; optional estimate)"
        )
    lines.append(f"Model: {MODEL}.")
    lines.append(DISCLAIMER)
    return "\n".join(lines)


@click.command("trajectory")
@option("range", dest="range_text", required=True, note="The flown ground range.")
@option("apogee", dest="apogee_text", required=True)
@click.option(
    "--flight-time",
    "flight_time",
    type=float,
    metavar="MIN",
    help="Reported flight time in minutes, compared with the model's.",
)
@click.option(
    "--azimuth",
    "azimuth_text",
    metavar="DEG",
    help="Launch azimuth for the optional Earth-rotation estimate (with --lat).",
)
@click.option(
    "--lat",
    "lat",
    type=float,
    metavar="DEG",
    help="Launch latitude for the optional Earth-rotation estimate (with --azimuth).",
)
@click.option(
    "--burn-time",
    "burn_time",
    type=float,
    metavar="SEC",
    help="Boost duration for the optional powered-phase estimate.",
)
@option("json")
def trajectory_cmd(
    range_text: str,
    apogee_text: str,
    flight_time: float | None,
    azimuth_text: str | None,
    lat: float | None,
    burn_time: float | None,
    as_json: bool,
) -> None:
    """Burnout speed, trajectory class, flight time and energy-equivalent standard range
    of a flight reported by its range and apogee (vacuum Kepler ellipse, non-rotating Earth).
    """
    range_km = _distance_km("--range", range_text, bal.check_range_km)
    apogee_km = _distance_km("--apogee", apogee_text, bal.check_apogee_km)
    if (azimuth_text is None) != (lat is None):
        raise click.UsageError("--azimuth and --lat go together")
    if flight_time is not None and not (math.isfinite(flight_time) and flight_time > 0.0):
        raise InputError(f"--flight-time must be a positive number of minutes, got {flight_time:g}")
    if lat is not None and not -90.0 <= lat <= 90.0:  # also refuses nan
        raise InputError(f"--lat must be a latitude from -90 to 90 degrees, got {lat:g}")
    if burn_time is not None and not 0.0 < burn_time <= bal.MAX_BURN_TIME_S:
        raise InputError(
            f"--burn-time must be a positive number of seconds up to "
            f"{bal.MAX_BURN_TIME_S:g}, got {burn_time:g}"
        )

    analysis = bal.analyse_flight(range_km, apogee_km, flight_time)
    rotation = None
    if azimuth_text is not None and lat is not None:
        try:
            azimuth = parse_bearing_deg(azimuth_text)
        except InputError as exc:
            raise type(exc)(f"--azimuth: {exc}") from None
        rotation = bal.rotation_adjusted_range_km(
            analysis.burnout_speed_km_s, azimuth_deg=azimuth, lat_deg=lat
        )
    powered = None
    if burn_time is not None:
        powered = bal.powered_phase_estimate(range_km, apogee_km, burn_time_s=burn_time)

    if as_json:
        emit_json(_report(analysis, rotation, powered))
    else:
        emit_text(_text(analysis, rotation, powered), None)
