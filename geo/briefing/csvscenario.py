"""A CSV of reported impacts as a scenario: ``rangezone build impacts.csv``.

Columns (names matched ignoring case, any order): ``date`` (YYYY-MM-DD, optional),
``site`` (the launch site, optional), ``from``, ``distance``, ``bearing`` (the reported
impact, as in ``check --csv``), optional ``distance_uncertainty``, ``bearing_uncertainty``,
``leg`` (``rhumb``, the default, or ``geodesic``),
``label`` (or ``name``), ``source`` and ``country`` (whose EEZ the statement is about: the
verdicts are for the countries named there, unless the caller gives some). Rows are read by
the check reader (:class:`geo.access.pointfile.CheckFile`) and parsed like ``check --csv`` rows
(:func:`geo.briefing.checks.request_from_row`), so a row means the same in both.

Rows with the same date and site make one event (a launch day's salvo); an event without a
site has no launch point: its impacts and reference points are drawn, no track. A bad row
stops the build with one line naming the file, line and column: a build is all or nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from geo.briefing.checks import ImpactCheck, place_or_point, request_from_row, row_kind
from geo.briefing.scenario import EventSpec, ImpactSpec, Scenario
from geo.briefing.scenario_yaml import MAX_AREAS, MAX_EVENTS, MAX_RANGES
from geo.core.parse import MAX_TITLE_CHARS, parse_bearing_deg, parse_distance_m, parse_leg
from geo.errors import InputError, RangezoneError

__all__ = ["scenario_from_csv"]

_LABEL_COLUMNS = ("label", "name")


def _extra(row_extra: tuple[tuple[str, str], ...], names: Sequence[str]) -> tuple[str, str]:
    """(column, value) of the first of ``names`` among a row's other columns."""
    for name in names:
        for col, value in row_extra:
            if col.strip().casefold() == name:
                return col.strip(), value.strip()
    return "", ""


def _date(text: str) -> str:
    try:
        day = dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise InputError(f"{text!r} is not a date YYYY-MM-DD")
    return day.isoformat()


class _ColumnError(InputError):
    def __init__(self, column: str, msg: str) -> None:
        super().__init__(msg)
        self.column = column


def _impact(values: dict[str, str]) -> ImpactCheck:
    """The row's reported impact; :class:`_ColumnError` when a column is at fault."""
    from geo.core.impact import (
        DEFAULT_BEARING_UNCERTAINTY_DEG,
        DEFAULT_DISTANCE_UNCERTAINTY,
        check_leg,
    )
    from geo.core.rhumb import GEODESIC_HINT
    from geo.core.shapes import ANTIPODAL_RADIUS_M

    if "__error__" in values or row_kind(values) != "impact":
        return _checked(values)  # the reader's own message
    for column, parse in (
        ("from", place_or_point),
        ("site", place_or_point),
        ("distance", parse_distance_m),
        ("bearing", parse_bearing_deg),
        ("leg", parse_leg),
    ):
        if column in values:
            try:
                parse(values[column])
            except RangezoneError as exc:
                raise _ColumnError(column, " ".join(str(exc).split())) from None
    req = _checked(values)
    du = req.distance_uncertainty
    du = DEFAULT_DISTANCE_UNCERTAINTY if du is None else du
    if req.distance_m * (1 + du) > ANTIPODAL_RADIUS_M:
        raise _ColumnError(
            "distance",
            f"with its uncertainty the impact area reaches "
            f"{req.distance_m * (1 + du) / 1000:,.0f} km; impact areas are limited to "
            f"{ANTIPODAL_RADIUS_M / 1000:,.0f} km",
        )
    bu = req.bearing_uncertainty_deg
    try:
        check_leg(
            req.origin,
            req.distance_m,
            req.bearing_deg,
            du,
            DEFAULT_BEARING_UNCERTAINTY_DEG if bu is None else bu,
            req.leg,
        )
    except InputError as exc:  # build has no --leg: the row's leg column says it
        msg = str(exc).replace(GEODESIC_HINT, "write geodesic in its leg column")
        raise _ColumnError("bearing", msg) from None
    return req


def _checked(values: dict[str, str]) -> ImpactCheck:
    try:
        req = request_from_row(values)
    except RangezoneError as exc:
        raise InputError(" ".join(str(exc).split())) from None
    if not isinstance(req, ImpactCheck):
        raise InputError("not a reported impact: fill from, distance and bearing")
    return req


def scenario_from_csv(
    path: str | Path, *, title: str | None = None, countries: Sequence[str] = ()
) -> Scenario:
    """The scenario of a CSV of reported impacts; InputError names file, line and column."""
    from geo.access.pointfile import CheckFile
    from geo.core.impact import DEFAULT_BEARING_UNCERTAINTY_DEG, impact_label

    named: list[str] = []  # the rows' country column: verdicts for these unless --country
    events: dict[tuple[str, str], list[ImpactSpec]] = {}
    sites: dict[tuple[str, str], tuple[object, str] | None] = {}
    for row in CheckFile(path):
        where = f"{path}, line {row.line}"
        if row.number > MAX_AREAS:
            raise InputError(f"{where}: more than {MAX_AREAS} impacts; a build takes at most that")
        _, date_text = _extra(row.extra, ("date",))
        try:
            date = _date(date_text) if date_text else ""
        except InputError as exc:
            raise InputError(f"{where}, column date: {exc}") from None
        try:
            req = _impact(row.values)
        except _ColumnError as exc:
            raise InputError(f"{where}, column {exc.column}: {exc}") from None
        except InputError as exc:
            raise InputError(f"{where}: {exc}") from None
        label_col, label = _extra(row.extra, _LABEL_COLUMNS)
        if len(label) > MAX_TITLE_CHARS:
            raise InputError(
                f"{where}, column {label_col}: {len(label):,} characters; at most {MAX_TITLE_CHARS}"
            )
        _, source = _extra(row.extra, ("source",))
        country_col, country = _extra(row.extra, ("country",))
        if len(country) > MAX_TITLE_CHARS:
            raise InputError(
                f"{where}, column {country_col}: {len(country):,} characters; "
                f"at most {MAX_TITLE_CHARS}"
            )
        if country and country not in named:
            if len(named) >= MAX_RANGES:
                raise InputError(f"{where}, column {country_col}: more than {MAX_RANGES} countries")
            named.append(country)
        key = (date, req.site_name or "")
        if key not in events:
            if len(events) >= MAX_EVENTS:
                raise InputError(
                    f"{where}: more than {MAX_EVENTS} events (date and site pairs); "
                    f"a build takes at most {MAX_EVENTS}"
                )
            events[key] = []
            sites[key] = (req.site, req.site_name or "") if req.site is not None else None
        if len(events[key]) >= MAX_RANGES:
            raise InputError(
                f"{where}: more than {MAX_RANGES} impacts on {date or 'one day'}"
                f"{' from ' + key[1] if key[1] else ''}; an event takes at most {MAX_RANGES}"
            )
        events[key].append(
            ImpactSpec(
                req.origin,
                req.origin_name,
                req.distance_m,
                req.bearing_deg,
                req.bearing_text,
                label or impact_label(row.values["distance"], req.bearing_text, req.origin_name),
                req.distance_uncertainty if req.distance_uncertainty is not None else _default_du(),
                req.bearing_uncertainty_deg
                if req.bearing_uncertainty_deg is not None
                else DEFAULT_BEARING_UNCERTAINTY_DEG,
                source,
                req.leg,
            )
        )
    specs = []
    for (date, site_name), impacts in events.items():
        site = sites[(date, site_name)]
        name = " ".join(p for p in (date, site_name) if p) or "Reported impacts"
        first = impacts[0]
        specs.append(
            EventSpec(
                name=name[:MAX_TITLE_CHARS],
                site=site[0] if site is not None else first.origin,  # type: ignore[arg-type]
                site_name=site_name or first.origin_name,
                impacts=tuple(impacts),
                date=date,
                launch_known=site is not None,
            )
        )
    dates = sorted(e.date for e in specs if e.date)
    span = ""
    if dates:
        span = dates[0] if dates[0] == dates[-1] else f"{dates[0]} to {dates[-1]}"
    default = f"Reported impacts, {span}" if span else "Reported impacts"
    return Scenario(
        path=Path(path),
        title=(title or default)[:MAX_TITLE_CHARS],
        date=span,
        events=tuple(specs),
        countries=tuple(countries) or tuple(named),
    )


def _default_du() -> float:
    from geo.core.impact import DEFAULT_DISTANCE_UNCERTAINTY

    return DEFAULT_DISTANCE_UNCERTAINTY
