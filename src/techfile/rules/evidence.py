"""EV: is the evidence cited for each clause the kind of evidence that clause needs?"""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.evidence import Citation, citations
from techfile.model.finding import Finding
from techfile.model.registry import type_registry
from techfile.rules.base import Context, rule

CLASS_WORDS = {
    "product": "product evidence",
    "process": "process evidence",
    "organisational-supporting": "organisational evidence as support",
}


def evidence_class(ctx: Context, citation: Citation) -> str | None:
    """The evidence class of the cited document; a penetration test of something other than
    the device is an enterprise test, i.e. organisational."""
    document = citation.evidence
    if document is None:
        return None
    if document.type == "security-test-report":
        test_object = document.meta.get("test_object")
        product = test_object.get("product") if isinstance(test_object, dict) else None
        device = ctx.device.get("name")
        if isinstance(product, str) and device and product.casefold() != str(device).casefold():
            return "organisational"
    return document.evidence_class


@rule("EV001")
def organisational_evidence_for_product_clause(ctx: Context) -> Iterator[Finding]:
    all_citations = list(citations(ctx.index, ctx.clauses))
    for citation in all_citations:
        clause = citation.clause
        document = citation.evidence
        if clause is None or document is None or evidence_class(ctx, citation) != "organisational":
            continue
        if "organisational-supporting" in clause.accepts or document.type in clause.supporting:
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
    type_title = type_registry().types[document.type or ""].title if document.type else "document"
    clause = ctx.clauses.display(citation.ref)
    needs = " or ".join(CLASS_WORDS[c] for c in sorted(citation.clause.accepts) if c in CLASS_WORDS)
    needs = needs or "product evidence"
    alternative = _accepted_alternative(ctx, citation, all_citations)
    such_as = f", such as {alternative}" if alternative else ""
    supporting = _supporting_clauses(ctx, citation)
    keep = (
        f"; keep {document.label()} only for clauses that accept organisational evidence as "
        f"support ({supporting}), beside process evidence"
        if supporting
        else ""
    )
    return (
        f"{type_title} {document.label()} is cited for {clause}; a notified body will ask for "
        f"{needs} here{such_as}, because organisational (ISMS) evidence describes how the company "
        f"runs information security, not the device. Cite {needs} for {citation.ref.clause}{keep}"
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


def _accepted_alternative(
    ctx: Context, citation: Citation, all_citations: list[Citation]
) -> str | None:
    """Another document in the file already cited for the same clause with an accepted class."""
    assert citation.clause is not None
    for other in all_citations:
        if other.clause is not citation.clause or other.evidence is None:
            continue
        if evidence_class(ctx, other) in citation.clause.accepts:
            kind = other.evidence.type or "document"
            return f"{other.evidence.label()} ({kind.replace('-', ' ')})"
    return None
