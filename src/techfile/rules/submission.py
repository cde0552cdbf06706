"""SUB: the stricter gate before a notified-body submission (`--profile submission`)."""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.document import Document
from techfile.model.finding import Finding, Location
from techfile.model.register import UNRELEASED, UNSTATED, Release, release
from techfile.model.titles import is_left_over_instruction
from techfile.rules.base import Context, rule

SHOWN = 5  # documents named in the one finding about documents without a status
STATUS_PHRASES = {
    "draft": "is a draft, not approved",
    "in-review": "is still in review, not approved",
}


@rule("SUB001")
def document_not_approved(ctx: Context) -> Iterator[Finding]:
    why = (
        f"Under {ctx.page_clauses('SUB001')}, a notified body reviews only documents approved "
        "before issue."
    )
    unstated: list[Document] = []
    for document in ctx.documents:
        found = release(ctx, document)
        if found.state == UNSTATED:
            unstated.append(document)
        elif found.state == UNRELEASED:
            record = (
                ", with its version and approval record,"
                if found.status is not None
                else " and record who approved it, and when, in that row,"
            )
            yield ctx.finding(
                "SUB001",
                f"{document.label()} {_why_unreleased(found)}",
                found.location,
                key=(document.id or document.path,),
                why=why,
                fix=f"Approve it{record} or take it out of the submission.",
            )
    if unstated:
        yield _unstated_finding(ctx, sorted(unstated, key=lambda d: d.path))


def _why_unreleased(found: Release) -> str:
    """`is a draft, not approved`, `has the status `final`, not `approved``, `is not
    approved: its Approval row is empty`."""
    if found.status is not None:
        return STATUS_PHRASES.get(found.status, f"has the status `{found.status}`, not `approved`")
    return f"is not approved: {found.basis}"


def _unstated_finding(ctx: Context, documents: list[Document]) -> Finding:
    """One finding for every document that states no status: one cause (approval is kept
    where techfile cannot read it, or not at all), one fix, listed once."""
    names = ", ".join(d.label() for d in documents[:SHOWN])
    more = f" and {len(documents) - SHOWN} more" if len(documents) > SHOWN else ""
    count = (
        "1 document states no status and carries"
        if len(documents) == 1
        else f"{len(documents)} documents state no status and carry"
    )
    return ctx.finding(
        "SUB001",
        f"{count} no approval record techfile can read ({names}{more})",
        documents[0].location(),
        key=("no-status",),
        related=tuple(Location(d.path, 1, 0, d.id) for d in documents[1:]),
        why=f"Under {ctx.page_clauses('SUB001')}, a notified body relies only on documents "
        "approved before issue.",
        fix="Record each one's approval: `status: approved` with `approvals` in its "
        'front-matter, or its entry in a document register with `approval-source = "register"`.',
    )


@rule("SUB002")
def unresolved_placeholder(ctx: Context) -> Iterator[Finding]:
    for document in ctx.documents:
        seen: dict[str, int] = {}
        yield from _instructions_in_references(ctx, document)
        for line, text in document.placeholders:
            seen[text] = seen.get(text, 0) + 1
            yield ctx.finding(
                "SUB002",
                f"{document.label()} still holds the placeholder `{text}`",
                Location(document.path, line, 0, document.id),
                key=(document.id or document.path, text, str(seen[text])),
                why=f"Under {ctx.page_clauses('SUB002')}, a submitted document must be "
                "complete; a notified body reads a placeholder as content still missing.",
                fix="Write the missing content, or remove the marker if the content is already "
                "there.",
            )


def _instructions_in_references(ctx: Context, document: Document) -> Iterator[Finding]:
    """A template's instruction left where a citation belongs (ID002 does not take it for a
    citation): `Link Software Test ID` in an evidence column, say. One finding per instruction
    and document, with every place."""
    places: dict[str, list[Location]] = {}
    for ref in ctx.index.references(document):
        value = " ".join(ref.value.split())
        if is_left_over_instruction(value):
            item = ref.item.id if ref.item else None
            places.setdefault(value, []).append(
                Location(document.path, ref.line, 0, document.id, item)
            )
    for value, found in sorted(places.items()):
        count = f" in {len(found)} places" if len(found) > 1 else ""
        yield ctx.finding(
            "SUB002",
            f"{document.label()} still holds the template's instruction `{value}`{count} where "
            "a citation belongs",
            found[0],
            key=(document.id or document.path, "instruction", value),
            related=tuple(found[1:]),
            why=f"Under {ctx.page_clauses('SUB002')}, a submitted document must name its "
            "evidence; a notified body finds no evidence behind an instruction.",
            fix="Cite the document or item, or remove the instruction.",
        )
