"""EV002: a row that claims conformity cites no evidence, or none the clause accepts on its
own."""

from __future__ import annotations

from collections.abc import Iterator

from techfile.data.clauses import Clause
from techfile.model.document import Document
from techfile.model.evidence import Citation, Row, row_citations, rows, run_citations
from techfile.model.evidence_classes import (
    document_class,
    kind_name,
    needs_words,
    satisfies,
    supports_only,
)
from techfile.model.finding import Finding
from techfile.rules.base import Context, rule
from techfile.rules.evidence.common import accepted_alternative, annex_section

CLASS_NAMES = {
    "product": "product evidence",
    "process": "process evidence",
    "organisational": "organisational evidence",
    "unclassified": "documents of no evidence class",
}


@rule("EV002")
def requirement_without_accepted_evidence(ctx: Context) -> Iterator[Finding]:
    all_citations = run_citations(ctx)
    for row in rows(ctx.index, ctx.clauses):
        clause = row.clause
        if clause is None or not _claims_conformity(row):
            continue
        cited = row_citations(ctx.index, row)
        if any(c.evidence is None for c in cited):
            continue  # an entry that leads nowhere is ID002's; it may be the accepted one
        if any(satisfies(ctx, clause, c.evidence) for c in cited):
            continue
        yield ctx.finding(
            "EV002",
            _missing_message(ctx, row, cited, all_citations),
            row.item.location_of("evidence") if cited else row.item.location,
            clause=ctx.clauses.display(row.ref),
            key=(row.clause_id,),
        )


def _claims_conformity(row: Row) -> bool:
    if row.document.type == "gspr-checklist":
        return row.effective_applicable() is True
    return row.applicable is not False  # a matrix row applies unless it says otherwise


def _missing_message(
    ctx: Context, row: Row, cited: list[Citation], all_citations: list[Citation]
) -> str:
    assert row.clause is not None
    clause = ctx.clauses.display(row.ref)
    needs = needs_words(row.clause)
    alternative = accepted_alternative(ctx, row.clause, all_citations, satisfying=True)
    such_as = f", such as {alternative}" if alternative else ""
    where = f"the row for {clause} in {row.document.label()}"
    if not cited:
        either = ""
        if row.document.type == "gspr-checklist" and not row.standards:
            either = " (it names no standard or other solution applied either)"
        return (
            f"{where}{' is marked applicable but' if row.applicable else ''} cites no "
            f"evidence{either}; a notified body will "
            "ask for the controlled documents that show conformity "
            f"({annex_section(ctx, 'EV002')}), here {needs}{such_as}. Add them to the row's "
            "evidence"
        )
    documents = [c.evidence for c in cited if c.evidence is not None]
    listed = ", ".join(f"{d.label()} ({kind_name(d)})" for d in documents)
    reasons = _reasons(ctx, row.clause, clause, documents)
    return (
        f"{where} cites only {listed}{reasons}. A notified body will ask for {needs}{such_as}; "
        "add it to the row"
    )


def _reasons(ctx: Context, clause: Clause, display: str, documents: list[Document]) -> str:
    """Why none of the documents meets the clause, to follow the list of documents: support
    only, or a class the clause does not accept at all (a class it does not accept is never
    said to be not enough `on its own`)."""
    support = [
        d
        for d in documents
        if document_class(ctx, d) == "organisational" and supports_only(clause, d, ctx)
    ]
    rejected: dict[str, list[Document]] = {}
    for document in documents:
        if not any(document is s for s in support):
            kind = document_class(ctx, document) or "unclassified"
            rejected.setdefault(kind, []).append(document)
    if len(documents) == 1:
        if support:
            return ", which counts here only as support beside other evidence"
        kind = next(iter(rejected))
        words = CLASS_NAMES.get(kind, f"{kind} evidence")
        return f", which is {words}; {display} does not accept {words}"
    parts = []
    if support:
        names = ", ".join(d.label() for d in support)
        counts = "counts" if len(support) == 1 else "count"
        parts.append(f"{names} {counts} here only as support beside other evidence")
    for kind, found in rejected.items():
        names = " and ".join(d.label() for d in found)
        verb = "is" if len(found) == 1 else "are"
        words = CLASS_NAMES.get(kind, f"{kind} evidence")
        parts.append(f"{names} {verb} {words}, which {display} does not accept")
    return "; " + "; ".join(parts)
