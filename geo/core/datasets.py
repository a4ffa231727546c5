"""What dataset a verdict used: every verdict quotes its name, version, kind and citation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from geo.access.zones import Zones


@dataclass(frozen=True)
class DatasetSummary:
    """What dataset a verdict used (every verdict quotes it)."""

    name: str
    version: str
    modelled: bool
    kind: str  # modelled | official | user
    citation: str
    licence: str

    @classmethod
    def of(cls, zones: Zones) -> DatasetSummary:
        i = zones.info
        return cls(i.name, i.version, i.modelled, i.kind, i.citation, i.licence)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "modelled": self.modelled,
            "kind": self.kind,
            "citation": self.citation,
            "licence": self.licence,
        }


def dataset_summary(zones: Zones) -> dict[str, Any]:
    return DatasetSummary.of(zones).to_dict()


def dataset_title(ds: dict[str, Any] | DatasetSummary) -> str:
    """A dataset's name with its version, the version only when the name does not already
    hold it (``Marine Regions World EEZ v10``, not ``... v10 v10``)."""
    d = ds.to_dict() if isinstance(ds, DatasetSummary) else ds
    version = str(d.get("version") or "")
    return f"{d['name']} {version}" if version and version not in d["name"] else str(d["name"])


def dataset_kind(ds: dict[str, Any] | DatasetSummary) -> str:
    """``modelled``, ``official`` or ``user`` (summaries written before ``kind`` existed
    say only ``modelled``)."""
    d = ds.to_dict() if isinstance(ds, DatasetSummary) else ds
    return str(d.get("kind") or ("modelled" if d["modelled"] else "official"))
