"""Evidence citations: which document is cited for which clause, and from where.

A document cites itself through `evidence_for`; a GSPR checklist row or a conformity-matrix
row cites the documents in its `evidence`. Every evidence rule reads citations from here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from techfile.model.clauses import MDR_FAMILY, Clause, ClauseRef, ClauseRegistry
from techfile.model.document import Document, Item
from techfile.model.finding import Location
from techfile.model.index import Index


@dataclass(frozen=True, slots=True)
class Citation:
    citing: Document  # the document the citation is written in
    row: Item | None  # the GSPR / conformity-matrix row, None for `evidence_for`
    location: Location
    ref: ClauseRef
    clause: Clause | None  # None when the registry does not know the clause
    evidence: Document | None  # None when the cited id does not resolve
    evidence_text: str  # the citation as written


def clause_text(value: Any) -> str | None:
    """A clause reference is a string or a `{standard, clause}` mapping."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and value.get("clause"):
        return f"{value.get('standard', '')} {value['clause']}".strip()
    return None


def evidence_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("doc"), str):
        return str(value["doc"])
    return None


def citations(index: Index, registry: ClauseRegistry) -> Iterator[Citation]:
    for document in index.documents:
        if not document.active:
            continue
        yield from _self_citations(document, registry)
        if document.type == "gspr-checklist":
            yield from _row_citations(index, registry, document, "gspr", MDR_FAMILY)
        elif document.type == "conformity-matrix":
            family = registry.family_of(str(document.meta.get("standard", "")))
            yield from _row_citations(index, registry, document, "clause", family)


def _self_citations(document: Document, registry: ClauseRegistry) -> Iterator[Citation]:
    entries = document.meta.get("evidence_for")
    if not isinstance(entries, list):
        return
    for position, entry in enumerate(entries):
        text = clause_text(entry)
        ref = registry.parse(text) if text else None
        if ref is None:
            continue
        location = document.location("evidence_for", position)
        yield Citation(
            document,
            None,
            location,
            ref,
            registry.lookup(ref),
            document,
            document.id or document.path,
        )


def _row_citations(
    index: Index, registry: ClauseRegistry, document: Document, field: str, family: str | None
) -> Iterator[Citation]:
    for row in document.items.get("rows", []):
        text = clause_text(row.get(field))
        if not text or row.get("applicable") is False:
            continue
        ref = registry.parse(text, default_family=family)
        if ref is None:
            continue
        clause = registry.lookup(ref)
        for entry in _as_list(row.get("evidence")):
            cited = evidence_text(entry)
            if not cited:
                continue
            resolution = index.resolve(cited, document, "document")
            yield Citation(
                document,
                row,
                row.location_of("evidence"),
                ref,
                clause,
                resolution.document,
                cited,
            )


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
