"""DC005 self-approval: every approval of a document was given by its author."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from techfile.model.evidence_classes import kind_name
from techfile.model.finding import Finding
from techfile.model.register import effective_approvals, is_approved, same_person
from techfile.rules.base import Context, rule
from techfile.rules.document_control.common import join_words


@rule("DC005")
def self_approval(ctx: Context) -> Iterator[Finding]:
    for document in ctx.documents:
        if not is_approved(ctx, document):
            continue
        authors = _names(document.meta.get("author"))
        approvals = [a for a in effective_approvals(ctx, document) if a.by]
        if not authors or not approvals:
            continue
        if not all(any(same_person(a.by or "", name) for name in authors) for a in approvals):
            continue
        approver = approvals[0]
        location = approver.location
        if approver.source == "front-matter" and approver.position is not None:
            location = document.location("approvals", approver.position, "by")
        names = [n for n in authors if any(same_person(a.by or "", n) for a in approvals)]
        name = join_words(names)
        whose = (
            "its author"
            if len(authors) == 1
            else "its authors"
            if len(names) > 1
            else "one of its authors"
        )
        listed = "register entry" if approver.source == "register" else "approvals"
        yield ctx.finding(
            "DC005",
            f"{document.label()} ({kind_name(document)}) is approved only by {whose}, {name} (its "
            f"{listed} name nobody else)",
            location,
            key=(document.id or document.path,),
            why="No clause says so in as many words: techfile's policy default expects a "
            "controlled document to be reviewed and approved by someone besides its author "
            "before release, and an auditor will question an approval nobody else gave.",
            fix="Add an approval by a second person, or record why one person may approve this "
            "document.",
        )


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [n for n in (part.strip() for part in value.split(";")) if n]
    if isinstance(value, list):
        return [n.strip() for n in value if isinstance(n, str) and n.strip()]
    return []
