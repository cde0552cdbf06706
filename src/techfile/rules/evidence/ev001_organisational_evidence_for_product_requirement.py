"""EV001: organisational (ISMS) evidence is cited for a clause that only evidence about the
device can meet; a supplier's certificate or SOC 2 report for a clause that does not take a
supplier's evidence."""

from __future__ import annotations

from collections.abc import Iterator

from techfile.data.clauses import Clause
from techfile.model.document import Document
from techfile.model.evidence import Citation
from techfile.model.evidence_classes import ownership_unknown, supplier_of, supports_only
from techfile.model.finding import Finding
from techfile.rules.base import Context, rule
from techfile.rules.evidence.common import (
    CLASS_WORDS,
    accepted_alternative,
    organisational_citations,
    type_title,
)

MAX_CLAUSES = 6  # clauses named as a better place for the document
ASK_WHOSE = ("soc2-report", "hds-certificate")  # usually a supplier's: say how to tell


@rule("EV001")
def organisational_evidence_for_product_clause(ctx: Context) -> Iterator[Finding]:
    for citation, clause, document, all_citations in organisational_citations(ctx):
        if supports_only(clause, document, ctx):
            continue
        message, why, fix = _texts(ctx, citation, all_citations)
        yield ctx.finding(
            "EV001",
            message,
            citation.location,
            clause=ctx.clauses.display(citation.ref),
            key=(document.id or document.path,),
            why=why,
            fix=fix,
        )


def _texts(ctx: Context, citation: Citation, all_citations: list[Citation]) -> tuple[str, str, str]:
    """(message, why, fix) of one citation of organisational evidence."""
    assert citation.evidence is not None and citation.clause is not None
    document = citation.evidence
    clause = ctx.clauses.display(citation.ref)
    needs = " or ".join(CLASS_WORDS[c] for c in sorted(citation.clause.accepts) if c in CLASS_WORDS)
    needs = needs or "product evidence"
    alternative = accepted_alternative(ctx, citation.clause, all_citations)
    such_as = f", such as {alternative}" if alternative else ""
    supporting = _supporting_clauses(ctx, citation)
    supplier = supplier_of(ctx, document)
    cite = f"Cite {needs} for {citation.ref.clause}{such_as}"
    if supplier is not None:
        keep = (
            f"; keep {document.label()} for clauses that take a supplier's evidence as support "
            f"({supporting}), beside the manufacturer's own assessment of the supplier"
            if supporting
            else ""
        )
        return (
            f"{type_title(document)} {document.label()}, of the supplier {supplier}, is cited "
            f"for {clause}, which needs {needs}",
            f"For {clause} a notified body will ask for {needs}, because a "
            "supplier's certificate or report describes the supplier's own controls, not the "
            "device.",
            f"{cite}{keep}.",
        )
    keep = (
        f"; keep {document.label()} only for clauses that accept organisational evidence as "
        f"support ({supporting}), beside process evidence"
        if supporting
        else ""
    )
    return (
        f"{type_title(document)} {document.label()} is cited for {clause}, which needs {needs}",
        f"For {clause} a notified body will ask for {needs}, because "
        "organisational (ISMS) evidence describes how the company runs information security, "
        "not the device.",
        f"{cite}{keep}.{_whose_hint(ctx, document)}",
    )


def _whose_hint(ctx: Context, document: Document) -> str:
    if document.type not in ASK_WHOSE or not ownership_unknown(ctx, document):
        return ""
    return (
        f" If {document.label()} is a supplier's (a hosting provider's, say), name the "
        "supplier in its `supplier` field: a supplier's evidence counts as support for other "
        "clauses."
    )


def _supporting_clauses(ctx: Context, citation: Citation) -> str:
    """The clauses of the same standard that take this document as support: the deepest
    numbered ones (lettered items go with their clause)."""
    standard = ctx.clauses.standards.get(citation.ref.family or "")
    document = citation.evidence
    if standard is None or document is None:
        return ""
    clauses = list(standard.clauses.values())
    fitting = {c.id for c in clauses if supports_only(c, document, ctx)}
    chosen = [
        c.id
        for c in clauses
        if c.id in fitting and "(" not in c.id and not _child_fits(c, clauses, fitting)
    ]
    return ", ".join(chosen[:MAX_CLAUSES])


def _child_fits(clause: Clause, clauses: list[Clause], fitting: set[str]) -> bool:
    return any(c.parent == clause.id and "(" not in c.id and c.id in fitting for c in clauses)
