"""Findings: what a rule reports, where, and how it is identified across runs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from techfile.data.severity import Severity

WHOLE_FILE = "(technical file)"  # how a finding about no one document names its place


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A place in the technical file. Lines and columns are 1-based; 0 means the whole file."""

    path: str
    line: int = 0
    column: int = 0
    doc_id: str | None = field(default=None, compare=False)
    item_id: str | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    message: str
    location: Location
    clause: str | None = None
    key: tuple[str, ...] = ()
    related: tuple[Location, ...] = ()

    @property
    def fingerprint(self) -> str:
        """Stable identity of the defect: never depends on line numbers or wording."""
        anchor = self.location.doc_id or self.location.path
        parts = (self.code, anchor, self.location.item_id or "", self.clause or "", *self.key)
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:20]

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.code, self.message)


@dataclass(frozen=True, slots=True)
class Suppression:
    """A recorded deviation: an ignore directive, a waiver or a config entry."""

    kind: str  # "ignore" | "disable-file" | "waiver" | "per-file-ignore" | "baseline"
    codes: tuple[str, ...]
    reason: str
    location: Location
    until: str | None = None
    approved_by: str | None = None
    item: str | None = None
    clause: str | None = None


@dataclass(frozen=True, slots=True)
class SuppressedFinding:
    finding: Finding
    by: Suppression
