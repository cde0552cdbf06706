"""EV003: a row cites, as evidence, a document that is not released: a draft, in review,
obsolete or superseded."""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.document import Document
from techfile.model.evidence import Citation, document_status, run_citations
from techfile.model.evidence_classes import kind_name
from techfile.model.finding import Finding
from techfile.rules.base import Context, rule

UNRELEASED = {"draft": "a draft", "in-review": "still in review"}
WITHDRAWN = {"obsolete": "obsolete", "superseded": "superseded"}


@rule("EV003")
def evidence_not_released(ctx: Context) -> Iterator[Finding]:
    from_register = ctx.config.approvals_from_register
    grouped: dict[tuple[str, str], list[Citation]] = {}
    for citation in run_citations(ctx):
        document = citation.evidence
        if citation.row is None or document is None:
            continue  # `evidence_for` is a document speaking for itself; nobody relies on it yet
        status = document_status(ctx.index, document, from_register)
        if status not in UNRELEASED and status not in WITHDRAWN:
            continue
        key = (citation.citing.path, document.path)
        grouped.setdefault(key, []).append(citation)
    for found in grouped.values():
        first = found[0]
        document = first.evidence
        assert document is not None
        status = document_status(ctx.index, document, from_register) or ""
        clauses = _clause_list([ctx.clauses.display(c.ref) for c in found])
        message, why, fix = _texts(ctx, first.citing, document, status, clauses)
        yield ctx.finding(
            "EV003",
            message,
            first.location,
            clause=ctx.clauses.display(first.ref),
            key=(document.id or document.path,),
            related=tuple(c.location for c in found[1:]),
            why=why,
            fix=fix,
        )


def _clause_list(names: list[str]) -> str:
    """`EN IEC 81001-5-1:2022 4.1.1, 5.1.1`: the clauses, the numbers of one standard together,
    the first three numbers and how many more."""
    unique = list(dict.fromkeys(names))
    shown = unique[:3]
    groups: dict[str, list[str]] = {}
    for name in shown:
        standard, _, number = name.rpartition(" ")
        groups.setdefault(standard, []).append(number)
    text = ", ".join(
        f"{standard} {', '.join(numbers)}".strip() for standard, numbers in groups.items()
    )
    return f"{text} and {len(unique) - 3} more" if len(unique) > 3 else text


def _texts(
    ctx: Context, citing: Document, document: Document, status: str, clauses: str
) -> tuple[str, str, str]:
    """(message, why, fix) of a citation of a document that is not released."""
    named = f"{document.label()} ({kind_name(document)})"
    controlled = (
        f"Under {ctx.page_clauses('EV003')}, the evidence of a technical file is controlled "
        "documents, approved before issue"
    )
    if status in WITHDRAWN:
        return (
            f"{citing.label()} cites {named} for {clauses}, but it is {WITHDRAWN[status]}",
            f"{controlled}; a notified body will ask why the technical file relies on a "
            "withdrawn document.",
            "Cite the document that replaced it.",
        )
    return (
        f"{citing.label()} cites {named} for {clauses}, but it is {UNRELEASED[status]}",
        f"{controlled}; a notified body assesses released documents only.",
        f"Approve {document.label()} before the submission, or cite its approved version.",
    )
