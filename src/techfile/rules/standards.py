"""ST: standards currency. Are the cited editions current, is an edition cited at all, and are
the organisation's certificates still valid?

Editions, their supersession dates and the end of certification to an old edition come from
`data/standards.yaml` (techfile.model.standards); the rules hold no dates of their own. The
citing document's approval comes from techfile.model.register, so a document register is
honoured with `approval-source = "register"`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from techfile.data.severity import Severity
from techfile.model.document import Document
from techfile.model.evidence_classes import kind_name
from techfile.model.finding import Finding
from techfile.model.register import approval_date, is_approved, is_withdrawn, parse_date
from techfile.model.standards import (
    CERTIFICATE_TYPES,
    Citation,
    Cited,
    Edition,
    cited_standards,
    is_european,
    standards_table,
)
from techfile.rules.base import Context, rule

DEFAULT_GRACE_DAYS = 31


def _read(ctx: Context, text: str) -> list[Cited]:
    """The standards one citation text names; documents cite the same few texts again and
    again, so each is read once per run."""
    readings: dict[str, list[Cited]] = ctx.shared("standards-readings", dict)
    found = readings.get(text)
    if found is None:
        found = readings[text] = standards_table().read(text)
    return found


def _written(ctx: Context, citation: Citation, cited: Cited, edition: Edition) -> str:
    """The edition as the document wrote it, or the table's name for it when one entry
    names several standards."""
    text = citation.text.strip()
    several = len(_read(ctx, text)) > 1
    return edition.ref if several or len(text) > 80 else text


def _more(count: int, field: str) -> str:
    if count <= 1:
        return ""
    where = "rows" if field == "rows.standards" else "places"
    return f" (in {count} {where})"


def _grace_days(ctx: Context) -> int:
    value = ctx.options("ST001").get("grace-days", DEFAULT_GRACE_DAYS)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return DEFAULT_GRACE_DAYS


# --- ST001 ------------------------------------------------------------------------------


@rule("ST001")
def superseded_standard_edition(ctx: Context) -> Iterator[Finding]:
    clause = str(ctx.page_clause("ST001", default="techfile's policy"))
    grace = _grace_days(ctx)
    for document in ctx.documents:
        if is_withdrawn(ctx, document):
            continue
        grouped: dict[str, tuple[Edition, Cited, list[Citation]]] = {}
        for citation in cited_standards(document):
            for cited in _read(ctx, citation.text):
                edition = cited.edition
                if edition is None or edition.superseded_on is None:
                    continue
                if edition.superseded_on > ctx.as_of:
                    continue  # replaced only after the date the check runs as of
                grouped.setdefault(edition.ref, (edition, cited, []))[2].append(citation)
        approved = approval_date(ctx, document)
        for edition, cited, found in grouped.values():
            first = found[0]
            written = _written(ctx, first, cited, edition) + _more(len(found), first.field)
            severity, message = _superseded_message(
                ctx, document, approved, edition, written, clause, grace
            )
            yield ctx.finding(
                "ST001",
                message,
                first.location,
                clause=clause,
                key=(document.id or document.path, edition.ref),
                related=tuple(c.location for c in found[1:]),
                severity=severity,
            )


def _superseded_message(
    ctx: Context,
    document: Document,
    approved: datetime.date | None,
    edition: Edition,
    written: str,
    clause: str,
    grace: int,
) -> tuple[Severity, str]:
    assert edition.superseded_on is not None
    replaced = edition.superseded_on.isoformat()
    successor = edition.superseded_by or "a newer edition"
    cites = f"{document.label()} ({kind_name(document)}) cites {written}"
    if approved is None:
        state = "is not approved yet" if not is_approved(ctx, document) else "has no dated approval"
        return Severity.WARNING, (
            f"{cites}, which was replaced by {successor} on {replaced}, and {document.label()} "
            f"{state}; a gap assessment is needed: a notified body judges the state of the art "
            f"({clause}) against current editions and will ask what changed and whether it "
            f"affects the device. Assess the changes in {successor} and cite it before approval, "
            "or record why the old edition still applies"
        )
    days = (approved - edition.superseded_on).days
    if days > grace:
        return Severity.ERROR, (
            f"{cites}, which had been replaced by {successor} on {replaced}, "
            f"{_span(days)} before {document.label()} was approved on {approved.isoformat()}; "
            f"a notified body judges the state of the art ({clause}) against current editions "
            "and will ask why the document was approved against a withdrawn one. Assess the "
            f"changes in {successor}, update the citation and approve a new version, or record "
            "why the old edition still applies"
        )
    when = (
        f"after {document.label()} was approved on {approved.isoformat()}"
        if days < 0
        else f"only {_span(days)} before {document.label()} was approved on "
        f"{approved.isoformat()} (within `grace-days`)"
        if days > 0
        else f"on the day {document.label()} was approved"
    )
    return Severity.WARNING, (
        f"{cites}, which was replaced by {successor} on {replaced}, {when}; a gap assessment is "
        f"needed: a notified body judges the state of the art ({clause}) against current "
        "editions and will ask what changed and whether it affects the device. Assess the "
        f"changes in {successor}, then update the citation in a new approved version"
    )


def _span(days: int) -> str:
    if days >= 730:
        return f"{days // 365} years"
    if days >= 60:
        return f"{days // 30} months"
    return f"{days} day{'s' if days != 1 else ''}"


# --- ST002 ------------------------------------------------------------------------------


@rule("ST002")
def unversioned_standard_reference(ctx: Context) -> Iterator[Finding]:
    table = standards_table()
    clause = str(ctx.page_clause("ST002", default="techfile's policy"))
    for document in ctx.documents:
        if is_withdrawn(ctx, document):
            continue
        grouped: dict[tuple[str, str], tuple[Cited, list[Citation]]] = {}
        for citation in cited_standards(document, certificates=True):
            for cited in _read(ctx, citation.text):
                problem = _edition_problem(ctx, cited)
                if problem is None or cited.core is None:
                    continue
                grouped.setdefault((cited.core, problem), (cited, []))[1].append(citation)
        for (core, problem), (cited, found) in grouped.items():
            first = found[0]
            designation = cited.designation or first.text.strip()
            current = [e.ref for e in table.current(core, is_european(designation))][:2]
            hint = f"; techfile's table lists {' and '.join(current)} as current" if current else ""
            verb = "certifies" if first.field == "certifies" else "cites"
            if problem == "none":
                what = f"{verb} {designation} without an edition"
            elif problem == "unreadable":
                what = f"{verb} {designation}:{cited.unreadable}, whose edition is not a year"
            else:
                what = (
                    f"{verb} {designation} with the edition year {cited.year}, which has not come "
                    f"yet on {ctx.as_of.isoformat()} (a typo?)"
                )
            name = f"{document.label()} ({kind_name(document)})"
            if first.field == "certifies":
                message = (
                    f"{name} {what}; a certificate is issued against one edition, and a notified "
                    "body will check that it is one to which certificates are still valid. Give "
                    f"the edition the certificate names{hint}"
                )
            else:
                message = (
                    f"{name} {what}{_more(len(found), first.field)}; editions differ in their "
                    "requirements and even in clause numbers, so a notified body cannot tell "
                    f"which state of the art ({clause}) the device was held to. Give the edition "
                    f"you apply{hint}"
                )
            yield ctx.finding(
                "ST002",
                message,
                first.location,
                clause=clause,
                key=(document.id or document.path, core, problem),
                related=tuple(c.location for c in found[1:]),
            )


def _edition_problem(ctx: Context, cited: Cited) -> str | None:
    """`none` (no edition), `unreadable` (`:219`), `future` (`:2919`), or None when fine."""
    if cited.year is not None and cited.year > ctx.as_of.year:
        return "future"
    if cited.versioned:
        return None
    return "unreadable" if cited.unreadable else "none"


# --- ST003 ------------------------------------------------------------------------------


@rule("ST003")
def certificate_expired(ctx: Context) -> Iterator[Finding]:
    for document in ctx.index.of_type(*CERTIFICATE_TYPES):
        if is_withdrawn(ctx, document):
            continue
        expiry = parse_date(document.meta.get("expiry_date"))
        withdrawn: Edition | None = None
        certified = ""
        for citation in cited_standards(document, certificates=True):
            if citation.field != "certifies":
                continue
            for cited in _read(ctx, citation.text):
                edition = cited.edition
                end = edition.withdrawn_for_certification_on if edition else None
                if edition is not None and end is not None and end < ctx.as_of:
                    withdrawn, certified = edition, citation.text.strip()
        name = f"{document.label()} ({kind_name(document)})"
        if expiry is not None and expiry < ctx.as_of:
            days = (ctx.as_of - expiry).days
            also = ""
            if withdrawn is not None:
                also = (
                    f"; it also certifies {certified}, to which certificates stopped being valid "
                    f"on {_date(withdrawn.withdrawn_for_certification_on)}"
                )
            yield ctx.finding(
                "ST003",
                f"{name} expired on {expiry.isoformat()}, {_span(days)} before "
                f"{ctx.as_of.isoformat()}{also}; an expired certificate shows nothing about the "
                "organisation today, and a notified body will ask for the current one. File the "
                "renewed certificate (a new version with its `expiry_date`), or stop citing this "
                "one",
                document.location("expiry_date"),
                key=(document.id or document.path, "expired"),
            )
        elif withdrawn is not None:
            successor = withdrawn.superseded_by or "the current edition"
            yield ctx.finding(
                "ST003",
                f"{name} certifies {certified}; certificates to that edition stopped being valid "
                f"on {_date(withdrawn.withdrawn_for_certification_on)}, at the end of the "
                f"transition to {successor}, whatever the certificate's own expiry date says. A "
                f"notified body will ask for the certificate to {successor}; file it, or stop "
                "citing this one",
                document.location("certifies"),
                key=(document.id or document.path, "withdrawn"),
            )


def _date(day: datetime.date | None) -> str:
    return day.isoformat() if day else "an unknown date"
