"""EV001: organisational (ISMS) evidence is cited for a clause that only evidence about the
device can meet."""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.evidence import Citation
from techfile.model.evidence_classes import supports_only
from techfile.model.finding import Finding
from techfile.rules.base import Context, rule
from techfile.rules.evidence.common import (
    CLASS_WORDS,
    accepted_alternative,
    organisational_citations,
    type_title,
)


@rule("EV001")
def organisational_evidence_for_product_clause(ctx: Context) -> Iterator[Finding]:
    for citation, clause, document, all_citations in organisational_citations(ctx):
        if supports_only(clause, document):
            continue
        yield ctx.finding(
            "EV001",
            _message(ctx, citation, all_citations),
            citation.location,
            clause=ctx.clauses.display(citation.ref),
            key=(document.id or document.path,),
        )


def _message(ctx: Context, citation: Citation, all_citations: list[Citation]) -> str:
    assert citation.evidence is not None and citation.clause is not None
    document = citation.evidence
    clause = ctx.clauses.display(citation.ref)
    needs = " or ".join(CLASS_WORDS[c] for c in sorted(citation.clause.accepts) if c in CLASS_WORDS)
    needs = needs or "product evidence"
    alternative = accepted_alternative(ctx, citation.clause, all_citations)
    such_as = f", such as {alternative}" if alternative else ""
    supporting = _supporting_clauses(ctx, citation)
    keep = (
        f"; keep {document.label()} only for clauses that accept organisational evidence as "
        f"support ({supporting}), beside process evidence"
        if supporting
        else ""
    )
    return (
        f"{type_title(document)} {document.label()} is cited for {clause}; a notified body will "
        f"ask for {needs} here{such_as}, because organisational (ISMS) evidence describes how the "
        f"company runs information security, not the device. Cite {needs} for "
        f"{citation.ref.clause}{keep}"
    )


def _supporting_clauses(ctx: Context, citation: Citation) -> str:
    standard = ctx.clauses.standards.get(citation.ref.family or "")
    if standard is None or citation.evidence is None:
        return ""
    parents = {c.parent for c in standard.clauses.values()}
    fitting = [
        c.id
        for c in standard.clauses.values()
        if c.id not in parents
        and ("organisational-supporting" in c.accepts or citation.evidence.type in c.supporting)
    ]
    return ", ".join(fitting[:4])
