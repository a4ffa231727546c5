"""Exceptions. Every error rangezone raises on purpose derives from RangezoneError."""

from __future__ import annotations

GEODESIC_LEG_HINT = "read it as a geodesic (leg='geodesic')"
"""Ends the refusal of a rhumb leg over a pole; each front end names its own switch in its
place (``--leg geodesic``, ``leg: geodesic``, a ``leg`` column)."""


class RangezoneError(Exception):
    """Root of the package's exceptions; its message is one line meant for the user."""


class InputError(RangezoneError, ValueError):
    """A coordinate, distance, bearing or other user value could not be understood."""


class CoordinateError(InputError):
    """A coordinate is malformed or out of range."""


class DistanceError(InputError):
    """A distance is malformed, negative or has an unknown unit."""


class BearingError(InputError):
    """A bearing or bearing range is malformed."""


class UnknownPlaceError(InputError):
    """A place name is not in the gazetteer."""


class UnknownCountryError(InputError):
    """A country name or code matches no zone of the dataset."""


class ZoneDataError(InputError):
    """A zone file is unreadable, empty, has no polygons or an unknown schema."""


class ActiveDatasetError(RangezoneError):
    """The per-user record of the active zone set is unreadable or names a missing pack."""


class FetchError(RangezoneError):
    """Downloading from a web service failed (offline, timeout, service error)."""


class ScenarioError(InputError):
    """A scenario file is invalid; the message names the field and line."""


class UnknownMissileError(InputError):
    """A missile name is not in the catalogue."""


class WriteError(RangezoneError):
    """An output file could not be written for a reason outside the user's control."""


class OutputPathError(WriteError, InputError):
    """An output path cannot be written to (missing or read-only folder...): bad input."""


class CatalogError(RangezoneError):
    """The missile catalogue file is missing or malformed (a packaging problem)."""
