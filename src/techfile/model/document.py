"""Documents and the items inside them, as the rules see them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from techfile.model.finding import Location
from techfile.model.table import Table

Path = tuple[str | int, ...]
INACTIVE_STATUSES = frozenset({"obsolete", "superseded"})


@dataclass(slots=True)
class Item:
    list_name: str
    id: str | None
    fields: dict[str, Any]
    line: int
    doc_id: str | None
    path: str
    source: str  # "front-matter" | "table"
    lines: dict[str, int] = field(default_factory=dict)  # field name -> line, when known
    table: int = 0  # line of the table the item came from (0: front-matter)

    def get(self, name: str, default: Any = None) -> Any:
        return self.fields.get(name, default)

    @property
    def location(self) -> Location:
        return Location(self.path, self.line, 0, self.doc_id, self.id)

    def location_of(self, field_name: str) -> Location:
        line = self.lines.get(field_name, self.line)
        return Location(self.path, line, 0, self.doc_id, self.id)


@dataclass(slots=True)
class Document:
    path: str  # root-relative, POSIX separators
    id: str | None
    type: str | None  # canonical type, None when unclassified or unknown
    evidence_class: str | None
    meta: dict[str, Any]
    lines: dict[Path, int]
    items: dict[str, list[Item]] = field(default_factory=dict)
    h1: str | None = None
    headings: tuple[tuple[int, str, int], ...] = ()
    body_line: int = 1
    external_tables: tuple[tuple[int, str], ...] = ()  # (line, file) of csv-table directives
    placeholders: tuple[tuple[int, str], ...] = ()  # (line, text) of TODO/TBD/{{ }} markers
    readable: bool = True  # False: the front-matter did not parse; only the id was salvaged
    tables: tuple[Table, ...] = ()  # body tables not bound to an item list (e.g. a plan's matrix)

    @property
    def status(self) -> str | None:
        value = self.meta.get("status")
        return value if isinstance(value, str) else None

    @property
    def active(self) -> bool:
        """Obsolete and superseded documents are left out of content rules."""
        return self.type is not None and self.status not in INACTIVE_STATUSES

    @property
    def title(self) -> str:
        value = self.meta.get("title")
        return str(value) if value else (self.h1 or self.id or self.path)

    def all_items(self) -> list[Item]:
        return [item for name in sorted(self.items) for item in self.items[name]]

    def line_of(self, *path: str | int) -> int:
        """Line of a front-matter value; falls back to the nearest enclosing key."""
        key: Path = tuple(path)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.lines.get((), 1)

    def location(self, *path: str | int, item: Item | None = None) -> Location:
        line = self.line_of(*path) if path else 1
        return Location(self.path, line, 0, self.id, item.id if item else None)

    def label(self) -> str:
        """How a regulatory lead would name this document in a sentence."""
        return f"{self.id}" if self.id else self.path


# what an item of each list is, as a finding names a reference that resolved to one
_ITEM_KINDS = {
    "tests": "a test",
    "requirements": "a requirement",
    "risks": "a risk",
    "controls": "a risk control",
    "threats": "a threat",
    "mitigations": "a mitigation",
    "entries": "a security risk assessment entry",
    "items": "a SOUP item",
    "findings": "a test finding",
    "rows": "a checklist row",
}


def item_kind(item: Item) -> str:
    """`a requirement of SEC-REQ-001`: what a reference resolved to."""
    kind = _ITEM_KINDS.get(item.list_name, "an item")
    return f"{kind} of {item.doc_id}" if item.doc_id else kind
