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
from techfile.rules.columns import its_field
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
        message, why, fix = _texts(ctx, row, cited, all_citations)
        yield ctx.finding(
            "EV002",
            message,
            row.item.location_of("evidence") if cited else row.item.location,
            clause=ctx.clauses.display(row.ref),
            key=(row.clause_id,),
            why=why,
            fix=fix,
        )


def _claims_conformity(row: Row) -> bool:
    if row.document.type == "gspr-checklist":
        return row.effective_applicable() is True
    return row.applicable is not False  # a matrix row applies unless it says otherwise


def _texts(
    ctx: Context, row: Row, cited: list[Citation], all_citations: list[Citation]
) -> tuple[str, str, str]:
    """(message, why, fix) of a row without accepted evidence."""
    assert row.clause is not None
    clause = ctx.clauses.display(row.ref)
    needs = needs_words(row.clause)
    alternative = accepted_alternative(ctx, row.clause, all_citations, satisfying=True)
    such_as = f", such as {alternative}," if alternative else ""
    where = f"{clause} in {row.document.label()}"
    fix = f"Add {needs}{such_as} to {its_field(ctx, row.item, 'evidence')}."
    if not cited:
        either = ""
        if row.document.type == "gspr-checklist" and not row.standards:
            either = "; the row names no standard or other solution applied either"
        return (
            f"{where}{' is marked applicable but' if row.applicable else ''} cites no evidence",
            f"{annex_section(ctx, 'EV002')} asks for the controlled documents that show "
            f"conformity; for {clause} a notified body will ask for {needs}{either}.",
            fix,
        )
    documents = [c.evidence for c in cited if c.evidence is not None]
    listed = ", ".join(f"{d.label()} ({kind_name(d)})" for d in documents)
    return (
        f"{where} cites only {listed}",
        f"For {clause} a notified body will ask for {needs}: "
        f"{_reasons(ctx, row.clause, documents)}.",
        fix,
    )


def _reasons(ctx: Context, clause: Clause, documents: list[Document]) -> str:
    """Why none of the documents meets the clause, in a clause of a sentence: support only,
    or a class the clause does not accept at all (a class it does not accept is never
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
    parts = []
    if support:
        names = ", ".join(d.label() for d in support)
        counts = "counts" if len(support) == 1 else "count"
        parts.append(f"{names} {counts} here only as support beside other evidence")
    for kind, found in rejected.items():
        names = " and ".join(d.label() for d in found)
        verb = "is" if len(found) == 1 else "are"
        words = CLASS_NAMES.get(kind, f"{kind} evidence")
        parts.append(f"{names} {verb} {words}, which the clause does not accept")
    return "; ".join(parts)
