"""ST001: a document cites an edition of a standard or guidance document that has been
replaced; an error when it was replaced well before the document was approved, else a warning.

An edition named only in the body's text is read with care: it is at most a warning (the text
may name it as history), and it is not reported at all when the same document also names an
edition that replaced it (a gap assessment, a revision history, a comparison)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from techfile.data.severity import Severity
from techfile.model.document import Document
from techfile.model.finding import Finding
from techfile.model.register import UNSTATED, approval_date, is_approved, is_withdrawn, release
from techfile.model.standards import Citation, Cited, Edition, standards_table
from techfile.rules.base import Context, rule
from techfile.rules.standards.common import (
    document_citations,
    more,
    named,
    readings,
    span,
    written,
)

DEFAULT_GRACE_DAYS = 31


@dataclass
class _Group:
    """The citations of one superseded edition in one document."""

    edition: Edition
    cited: Cited
    citations: list[Citation]

    @property
    def body_only(self) -> bool:
        return all(c.in_body for c in self.citations)


def _grace_days(ctx: Context) -> int:
    value = ctx.options("ST001").get("grace-days", DEFAULT_GRACE_DAYS)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return DEFAULT_GRACE_DAYS


@rule("ST001")
def superseded_standard_edition(ctx: Context) -> Iterator[Finding]:
    clause = str(ctx.page_clause("ST001", default="techfile's policy"))
    grace = _grace_days(ctx)
    for document in ctx.documents:
        if is_withdrawn(ctx, document):
            continue
        approved = approval_date(ctx, document)
        for group in _superseded(ctx, document):
            first = group.citations[0]
            cites = written(ctx, first, group.cited, group.edition)
            cites += more(len(group.citations), first.field)
            said = _message(ctx, document, approved, group, cites, clause, grace)
            yield ctx.finding(
                "ST001",
                said.message,
                first.location,
                clause=clause,
                key=(document.id or document.path, group.edition.ref),
                related=tuple(c.location for c in group.citations[1:]),
                severity=said.severity,
                why=said.why,
                fix=said.fix,
            )


def _superseded(ctx: Context, document: Document) -> list[_Group]:
    """The superseded editions the document cites, each with its citations; an edition named
    only in the body is left out when the document also names one that replaced it."""
    table = standards_table()
    read = [(c, cited) for c in document_citations(ctx, document) for cited in readings(ctx, c)]
    named = {cited.edition.ref for _c, cited in read if cited.edition is not None}
    grouped: dict[str, _Group] = {}
    for citation, cited in read:
        edition = cited.edition
        if edition is None or edition.superseded_on is None or edition.superseded_on > ctx.as_of:
            continue  # current, unknown, or replaced only after the date the check runs as of
        group = grouped.setdefault(edition.ref, _Group(edition, cited, []))
        group.citations.append(citation)
    return [
        group
        for group in grouped.values()
        if not (group.body_only and any(s.ref in named for s in table.successors(group.edition)))
    ]


@dataclass(frozen=True)
class _Said:
    severity: Severity
    message: str
    why: str
    fix: str


def _message(
    ctx: Context,
    document: Document,
    approved: datetime.date | None,
    group: _Group,
    written_as: str,
    clause: str,
    grace: int,
) -> _Said:
    edition = group.edition
    assert edition.superseded_on is not None
    replaced = edition.superseded_on.isoformat()
    successor = edition.superseded_by or "a newer edition"
    current = _current(edition)
    target = current or successor
    cites = f"{named(document)} {_verb(group)} {written_as}"
    state_of_art = (
        f"{clause} asks for the state of the art, and a notified body judges it against current "
        "editions"
    )
    gap = (
        f"{state_of_art}: it will ask what changed and whether it affects the device, so a gap "
        "assessment is needed."
    )
    chain = _chain(successor, current)
    if approved is None:
        state = _approval_state(ctx, document)
        return _Said(
            Severity.WARNING,
            f"{cites}, replaced by {successor} on {replaced}, and it {state}",
            gap,
            f"{chain}Assess the changes in {target} and cite it before approval, or record why "
            f"the old edition still applies.{_history_hint(group)}",
        )
    days = (approved - edition.superseded_on).days
    if days > grace and not group.body_only:
        return _Said(
            Severity.ERROR,
            f"{cites}, replaced by {successor} on {replaced}, {span(days)} before its approval "
            f"on {approved.isoformat()}",
            f"{state_of_art}, and will ask why the document was approved against a withdrawn one.",
            f"{chain}Assess the changes in {target}, update the citation and approve a new "
            "version, or record why the old edition still applies.",
        )
    when = _when(approved, days, grace)
    return _Said(
        Severity.WARNING,
        f"{cites}, replaced by {successor} on {replaced}, {when}",
        gap,
        f"{chain}Assess the changes in {target}, then update the citation in a new approved "
        f"version.{_history_hint(group)}",
    )


def _verb(group: _Group) -> str:
    return "names in its text" if group.body_only else "cites"


def _current(edition: Edition) -> str | None:
    """The current edition when the successor was itself replaced since (the FDA guidance of
    2014 -> 2023 -> 2025 -> 2026), else None."""
    chain = standards_table().successors(edition)
    if len(chain) > 1 and not chain[-1].superseded:
        return chain[-1].ref
    return None


def _chain(successor: str, current: str | None) -> str:
    if current is None:
        return ""
    return f"{successor} was itself replaced since; the current edition is {current}. "


def _when(approved: datetime.date, days: int, grace: int) -> str:
    on = approved.isoformat()
    if days < 0:
        return f"after its approval on {on}"
    if days == 0:
        return f"on the day of its approval ({on})"
    if days <= grace:
        return f"only {span(days)} before its approval on {on} (within `grace-days`)"
    return f"{span(days)} before its approval on {on}"


def _history_hint(group: _Group) -> str:
    if not group.body_only:
        return ""
    return (
        " If the text names the old edition only as history, cite the current one beside it, "
        "or suppress this finding with the reason."
    )


def _approval_state(ctx: Context, document: Document) -> str:
    """How the document stands, in the one status policy's words (README, "Documents without a
    status"): a document that records no status or approval is not called unapproved."""
    if is_approved(ctx, document):
        return "has no dated approval"
    if release(ctx, document).state == UNSTATED:
        return "records no status or approval techfile can read"
    return "is not approved yet"
