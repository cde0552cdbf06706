"""DC003 reference-to-obsolete-document: an approved document references a document that is
obsolete or superseded."""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.document import Document
from techfile.model.evidence_classes import kind_name
from techfile.model.finding import Finding, Location
from techfile.model.index import Reference
from techfile.model.register import effective_status, is_approved, text
from techfile.rules.base import Context, rule
from techfile.rules.document_control.common import join_words

WITHDRAWN = ("obsolete", "superseded")
ROW_TYPES = ("gspr-checklist", "conformity-matrix")  # their rows' evidence is EV003's


@rule("DC003")
def reference_to_obsolete_document(ctx: Context) -> Iterator[Finding]:
    clause = str(ctx.page_clause("DC003", default="techfile's policy"))
    withdrawn = _withdrawn(ctx)
    if not withdrawn:
        return  # nothing a reference could reach is withdrawn
    for document in ctx.documents:
        if not is_approved(ctx, document):
            continue
        for target, status, locations, items in _withdrawn_targets(
            ctx, document, withdrawn
        ).values():
            refers = _refers(items)
            yield ctx.finding(
                "DC003",
                f"{document.label()} {refers} {target.label()} "
                f"({kind_name(target)}), which is {status}{_replacement(ctx, target)}",
                locations[0],
                clause=clause,
                key=(document.id or document.path, target.id or target.path),
                related=tuple(locations[1:]),
                why=f"{clause} expects obsolete documents to be kept out of use, and a notified "
                "body will ask why a released document still relies on a withdrawn one.",
                fix="Reference the current document instead, and issue a new approved version.",
            )


def _refers(items: list[str]) -> str:
    """`is approved, and R-1 and R-2 in it reference`: which items hold the references."""
    if not items:
        return "is approved and references"
    return f"is approved, and {join_words(items)} in it reference{'s' if len(items) == 1 else ''}"


def _withdrawn(ctx: Context) -> dict[int, str]:
    """id() -> status of each document of the index that is obsolete or superseded: every
    document a reference resolves to is one of the index's."""
    return {
        id(document): status
        for document in ctx.index.documents
        if (status := effective_status(ctx, document)) in WITHDRAWN
    }


def _withdrawn_targets(
    ctx: Context, document: Document, withdrawn: dict[int, str]
) -> dict[str, tuple[Document, str, list[Location], list[str]]]:
    """The withdrawn documents `document` references, by path: (target, status, where the
    references are, the ids of the items that hold them)."""
    grouped: dict[str, tuple[Document, str, list[Location], list[str]]] = {}
    for reference in ctx.index.references(document):
        if _row_evidence(document, reference):
            continue  # EV003 reports evidence cited in a GSPR or matrix row
        resolution = ctx.index.resolve(reference.value, document, reference.kind, reference.lists)
        target = resolution.document
        if target is None or target is document:
            continue
        status = withdrawn.get(id(target))
        if status is None:
            continue
        item = reference.item.id if reference.item else None
        location = Location(document.path, reference.line, 0, document.id, item)
        entry = grouped.setdefault(target.path, (target, status, [], []))
        entry[2].append(location)
        if item and item not in entry[3]:
            entry[3].append(item)
    return grouped


def _row_evidence(document: Document, reference: Reference) -> bool:
    return (
        document.type in ROW_TYPES
        and reference.item is not None
        and reference.field.split(".")[0] == "evidence"
    )


def _replacement(ctx: Context, target: Document) -> str:
    """`, replaced by X` when the technical file says which document replaced the target."""
    for key in ("superseded_by", "replaced_by"):
        value = text(target.meta.get(key))
        if value:
            return f" (replaced by {value})"
    if target.id:
        for other in ctx.documents:
            for key in ("supersedes", "replaces"):
                value = other.meta.get(key)
                names = value if isinstance(value, list) else [value]
                if target.id in [text(n) for n in names] and is_approved(ctx, other):
                    return f" (replaced by {other.label()})"
    return ""
