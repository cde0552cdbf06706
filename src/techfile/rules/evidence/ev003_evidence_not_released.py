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
    from_register = ctx.config.get("approval-source") == "register"
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
        yield ctx.finding(
            "EV003",
            _release_message(first.citing, document, status, clauses),
            first.location,
            clause=ctx.clauses.display(first.ref),
            key=(document.id or document.path,),
            related=tuple(c.location for c in found[1:]),
        )


def _clause_list(names: list[str]) -> str:
    unique = list(dict.fromkeys(names))
    if len(unique) <= 3:
        return ", ".join(unique)
    return f"{', '.join(unique[:3])} and {len(unique) - 3} more"


def _release_message(citing: Document, document: Document, status: str, clauses: str) -> str:
    named = f"{document.label()} ({kind_name(document)})"
    if status in WITHDRAWN:
        return (
            f"{citing.label()} cites {named} as evidence for {clauses}, but {document.label()} "
            f"is {WITHDRAWN[status]}; a notified body will ask why the technical file relies on a "
            "withdrawn document. Cite the document that replaced it"
        )
    return (
        f"{citing.label()} cites {named} as evidence for {clauses}, but {document.label()} is "
        f"{UNRELEASED[status]}; a notified body assesses released documents only. Approve "
        f"{document.label()} before the submission, or cite its approved version"
    )
