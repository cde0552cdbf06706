"""EV007: organisational evidence is cited for a clause that takes it only as support, and no
process or product evidence stands beside it."""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.evidence_classes import needs_words, satisfies, supplier_of, supports_only
from techfile.model.finding import Finding
from techfile.rules.base import Context, rule
from techfile.rules.columns import its_field
from techfile.rules.evidence.common import (
    accepted_alternative,
    organisational_citations,
    type_title,
)


@rule("EV007")
def organisational_evidence_cited_as_supporting(ctx: Context) -> Iterator[Finding]:
    for citation, clause, document, all_citations in organisational_citations(ctx):
        if not supports_only(clause, document, ctx):
            continue  # not accepted at all: EV001
        if citation.row is not None:
            beside = [c for c in all_citations if c.row is citation.row]
        else:
            beside = [c for c in all_citations if c.clause is clause]
        if any(c.evidence is None for c in beside if c.row is citation.row):
            continue  # an entry of the row leads nowhere (ID002); it may be the other evidence
        if any(satisfies(ctx, clause, c.evidence) for c in beside):
            continue
        clause_name = ctx.clauses.display(citation.ref)
        needs = needs_words(clause)
        alternative = accepted_alternative(ctx, clause, all_citations, satisfying=True)
        such_as = f" (the file holds {alternative})" if alternative else ""
        where = "the row" if citation.row is not None else "the technical file"
        supplier = supplier_of(ctx, document)
        whose = (
            f"takes a supplier's evidence ({supplier}'s here) only as support"
            if supplier is not None and document.type != "supplier-attestation"
            else "takes organisational evidence only as support"
        )
        row = citation.row
        in_row = f" in {its_field(ctx, row, 'evidence')}" if row is not None else ""
        yield ctx.finding(
            "EV007",
            f"{type_title(document)} {document.label()} is cited for {clause_name} with no "
            f"{needs} beside it",
            citation.location,
            clause=clause_name,
            key=(document.id or document.path,),
            why=f"{clause_name} {whose}; a notified body will look for {needs} beside it, and "
            f"{where} cites none{such_as}.",
            fix=f"Cite {needs} for {citation.ref.clause} together with {document.label()}{in_row}.",
        )
