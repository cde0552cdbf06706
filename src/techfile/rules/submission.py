"""SUB: the stricter gate before a notified-body submission (`--profile submission`)."""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.finding import Finding, Location
from techfile.model.register import effective_status, is_withdrawn, status_location
from techfile.rules.base import Context, rule


@rule("SUB001")
def document_not_approved(ctx: Context) -> Iterator[Finding]:
    for document in ctx.documents:
        status = effective_status(ctx, document)
        if status == "approved" or is_withdrawn(ctx, document):
            continue
        status = status or "no status"
        yield ctx.finding(
            "SUB001",
            f"{document.label()} is {status}, not approved; a notified body reviews only released "
            "documents, so approve it (with version and approval record) or take it out of the "
            "submission",
            status_location(ctx, document),
            key=(document.id or document.path,),
        )


@rule("SUB002")
def unresolved_placeholder(ctx: Context) -> Iterator[Finding]:
    for document in ctx.documents:
        seen: dict[str, int] = {}
        for line, text in document.placeholders:
            seen[text] = seen.get(text, 0) + 1
            yield ctx.finding(
                "SUB002",
                f"{document.label()} still holds the placeholder `{text}`; a submitted document "
                "must be complete, so resolve it or remove the marker",
                Location(document.path, line, 0, document.id),
                key=(document.id or document.path, text, str(seen[text])),
            )
