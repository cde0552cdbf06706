"""Threats and security risks, and which ISO 14971 risk-analysis rows they reach.

A threat (threat model) or a security-risk-assessment entry reaches a risk row through its
`risk_refs`, through a risk row's `threat_refs`, or (a threat) through an assessment entry that
reaches one. RM001 and RM002 judge these entries; the report draws the trace from them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from techfile.model.document import Document, Item
from techfile.model.view import RunView

IMPACT_ORDER = {"serious": 3, "non-serious": 2, "unknown": 1, "none": 0}


@dataclass(frozen=True, slots=True)
class SecurityEntry:
    """A threat (threat model) or a security-risk-assessment entry."""

    document: Document
    item: Item
    kind: str  # "threat" | "entry"
    safety_impact: str | None
    rationale: str | None
    threats: tuple[Item, ...]  # for entries: the threats they assess


def security_entries(view: RunView) -> list[SecurityEntry]:
    """Every threat, then every assessment entry; an entry that states no safety impact takes
    the worst one of the threats it assesses."""
    entries: list[SecurityEntry] = []
    for document in view.index.of_type("threat-model"):
        for item in document.items.get("threats", []):
            entries.append(
                SecurityEntry(document, item, "threat", _impact(item), _rationale(item), ())
            )
    for document in view.index.of_type("security-risk-assessment"):
        for item in document.items.get("entries", []):
            threats = tuple(resolved_items(view, document, item, "threat_refs"))
            impact = _impact(item)
            rationale = _rationale(item)
            if impact is None:
                inherited = [t for t in threats if _impact(t) is not None]
                if inherited:
                    worst = max(inherited, key=lambda t: IMPACT_ORDER.get(_impact(t) or "", 0))
                    impact, rationale = _impact(worst), rationale or _rationale(worst)
            entries.append(SecurityEntry(document, item, "entry", impact, rationale, threats))
    return entries


def _impact(item: Item) -> str | None:
    """The stated safety impact; a value outside the enumeration is FM004's to report, so it
    reads as `invalid` and neither RM001 nor RM002 speaks about it."""
    value = item.get("safety_impact")
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value if value in IMPACT_ORDER else "invalid"


def _rationale(item: Item) -> str | None:
    value = item.get("safety_impact_rationale")
    return value if isinstance(value, str) and value.strip() else None


def resolved_items(view: RunView, document: Document, item: Item, field: str) -> Iterator[Item]:
    """The items a reference field of the item leads to (references that lead nowhere skipped)."""
    for resolution in view.index.resolve_field(document, item, field):
        if resolution.item is not None:
            yield resolution.item


def _into_unreadable(view: RunView, document: Document, item: Item, field: str) -> bool:
    """A reference into a document whose front-matter did not parse: it may well reach a
    row there, so the finding about that file (FM001) is the one to fix first."""
    return any(r.problem == "unreadable" for r in view.index.resolve_field(document, item, field))


def risk_rows(view: RunView) -> list[tuple[Document, Item]]:
    """Every row of the ISO 14971 risk analyses, with its document."""
    return [
        (document, row)
        for document in view.index.of_type("risk-analysis")
        for row in document.items.get("risks", [])
    ]


def reached_entries(view: RunView, entries: list[SecurityEntry]) -> set[int]:
    """ids() of threat/entry items that reach a risk-analysis row, directly or through an
    assessment entry (threat -> entry -> row)."""
    rows = risk_rows(view)
    row_ids = {id(row) for _, row in rows}
    reached: set[int] = set()
    for document, row in rows:
        for target in resolved_items(view, document, row, "threat_refs"):
            reached.add(id(target))
    for entry in entries:
        risks = resolved_items(view, entry.document, entry.item, "risk_refs")
        if any(id(risk) in row_ids for risk in risks) or _into_unreadable(
            view, entry.document, entry.item, "risk_refs"
        ):
            reached.add(id(entry.item))
    for entry in entries:
        if entry.kind == "entry" and id(entry.item) in reached:
            reached.update(id(threat) for threat in entry.threats)
    return reached
