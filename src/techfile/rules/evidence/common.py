"""Shared by the EV rules (and the ID, FM, SUB and SUP rules for the first two): a rule page's
clauses and a table's columns in words, documents and clauses in words, the organisational
citations EV001 and EV007 judge, and the accepted evidence a message can point to."""

from __future__ import annotations

from collections.abc import Iterator

from techfile.data.clauses import MDR_FAMILY, Clause
from techfile.data.registry import type_registry
from techfile.model.document import Document
from techfile.model.evidence import Citation, run_citations
from techfile.model.evidence_classes import SATISFYING, document_class
from techfile.rules.base import Context

CLASS_WORDS = {
    "product": "product evidence",
    "process": "process evidence",
    "organisational-supporting": "organisational evidence as support",
}


def type_title(document: Document) -> str:
    types = type_registry().types
    return types[document.type].title if document.type in types else "Document"


def kind_words(document: Document) -> str:
    return (document.type or "document").replace("-", " ")


def annex_section(ctx: Context, code: str) -> str:
    """`MDR Annex II section 4`: the first clause of the rule's page, a part of the MDR other
    than Annex I, named as the Regulation names the sections of its annexes."""
    text = ctx.page_clause(code) or ""
    ref = ctx.clauses.parse(text)
    return f"{ref.number} section {ref.clause}" if ref else text


def gspr_clause(ctx: Context, gspr: str) -> str:
    """`MDR Annex I 17.2`: a GSPR number as the clause registry displays it."""
    ref = ctx.clauses.parse(gspr, MDR_FAMILY)
    return ctx.clauses.display(ref) if ref else gspr


def organisational_citations(
    ctx: Context,
) -> Iterator[tuple[Citation, Clause, Document, list[Citation]]]:
    """Citations of organisational documents for clauses the registry knows (EV001, EV007)."""
    all_citations = run_citations(ctx)
    for citation in all_citations:
        clause, document = citation.clause, citation.evidence
        if clause is None or document is None:
            continue
        if document_class(ctx, document) == "organisational":
            yield citation, clause, document, all_citations


def accepted_alternative(
    ctx: Context, clause: Clause, all_citations: list[Citation], satisfying: bool = False
) -> str | None:
    """Another document in the file already cited for the same clause with an accepted class
    (with `satisfying`, one that can meet the clause on its own)."""
    for other in all_citations:
        if other.clause is not clause or other.evidence is None:
            continue
        kind = document_class(ctx, other.evidence)
        if (kind in SATISFYING if satisfying else True) and kind in clause.accepts:
            return f"{other.evidence.label()} ({kind_words(other.evidence)})"
    return None
