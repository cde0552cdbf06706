"""ST003: a certificate the file relies on has expired, or certifies an edition to which
certificates are no longer valid; or a SOC 2 report covers a period that ended too long ago."""

from __future__ import annotations

from collections.abc import Iterator

from techfile.data.severity import Severity
from techfile.model.document import Document
from techfile.model.evidence_classes import supplier_of
from techfile.model.finding import Finding
from techfile.model.register import is_withdrawn, parse_date
from techfile.model.standards import CERTIFICATE_TYPES, Edition, cited_standards
from techfile.rules.base import Context, rule
from techfile.rules.standards.common import date_text, months_before, named, readings, span

SOC2_TYPE = "soc2-report"
DEFAULT_SOC2_MONTHS = 12


@rule("ST003")
def certificate_expired(ctx: Context) -> Iterator[Finding]:
    for document in ctx.index.of_type(*CERTIFICATE_TYPES):
        if not is_withdrawn(ctx, document):
            yield from _certificate(ctx, document)
    for document in ctx.index.of_type(SOC2_TYPE):
        if not is_withdrawn(ctx, document):
            yield from _soc2_report(ctx, document)


def _certificate(ctx: Context, document: Document) -> Iterator[Finding]:
    expiry = parse_date(document.meta.get("expiry_date"))
    withdrawn, certified = _withdrawn_edition(ctx, document)
    name = named(document)
    if expiry is not None and expiry < ctx.as_of:
        days = (ctx.as_of - expiry).days
        also = ""
        if withdrawn is not None:
            also = (
                f"; it also certifies {certified}, to which certificates stopped being valid "
                f"on {date_text(withdrawn.withdrawn_for_certification_on)}"
            )
        yield ctx.finding(
            "ST003",
            f"{name} expired on {expiry.isoformat()}, {span(days)} before "
            f"{ctx.as_of.isoformat()}{also}",
            document.location("expiry_date"),
            key=(document.id or document.path, "expired"),
            why=f"An expired certificate shows nothing about the {_whom(ctx, document)} today, "
            "and a notified body will ask for the current one.",
            fix="File the renewed certificate (a new version with its `expiry_date`), or stop "
            "citing this one.",
        )
    elif withdrawn is not None:
        successor = withdrawn.superseded_by or "the current edition"
        yield ctx.finding(
            "ST003",
            f"{name} certifies {certified}; certificates to that edition stopped being valid "
            f"on {date_text(withdrawn.withdrawn_for_certification_on)}",
            document.location("certifies"),
            key=(document.id or document.path, "withdrawn"),
            why=f"Certificates to {certified} stopped being valid at the end of the transition "
            f"to {successor}, whatever the certificate's own expiry date says; a notified body "
            f"will ask for the certificate to {successor}.",
            fix=f"File the certificate to {successor}, or stop citing this one.",
        )


def _withdrawn_edition(ctx: Context, document: Document) -> tuple[Edition | None, str]:
    """The certified edition to which certificates are no longer valid, and how it is written."""
    found: tuple[Edition | None, str] = (None, "")
    for citation in cited_standards(document, certificates=True):
        if citation.field != "certifies":
            continue
        for cited in readings(ctx, citation):
            edition = cited.edition
            end = edition.withdrawn_for_certification_on if edition else None
            if edition is not None and end is not None and end < ctx.as_of:
                found = (edition, citation.text.strip())
    return found


def _whom(ctx: Context, document: Document) -> str:
    supplier = supplier_of(ctx, document)
    return f"supplier {supplier}" if supplier else "organisation"


# --- SOC 2 ---------------------------------------------------------------------------------


def _months(ctx: Context) -> int:
    value = ctx.options("ST003").get("soc2-max-age-months", DEFAULT_SOC2_MONTHS)
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return DEFAULT_SOC2_MONTHS


def _soc2_report(ctx: Context, document: Document) -> Iterator[Finding]:
    period_end = parse_date(document.meta.get("period_end"))
    if period_end is None:
        return
    bridge = document.meta.get("bridge_letter")
    covered_to = parse_date(bridge.get("covers_until")) if isinstance(bridge, dict) else None
    end = max(period_end, covered_to) if covered_to else period_end
    months = _months(ctx)
    if end >= months_before(ctx.as_of, months):
        return
    days = (ctx.as_of - end).days
    field: tuple[str, ...]
    if covered_to and covered_to > period_end:
        what = f"ended on {period_end.isoformat()}, and its bridge letter runs to {end.isoformat()}"
        field = ("bridge_letter", "covers_until")
    else:
        what = f"ended on {end.isoformat()}"
        field = ("period_end",)
    organisation = supplier_of(ctx, document) or _text(document.meta.get("service_organisation"))
    of = f" of {organisation}" if organisation else ""
    yield ctx.finding(
        "ST003",
        f"{named(document)}{of} covers a period that {what}, "
        f"{span(days)} before {ctx.as_of.isoformat()}",
        document.location(*field),
        key=(document.id or document.path, "soc2-stale"),
        severity=Severity.WARNING,
        why="A SOC 2 report describes how the service organisation's controls worked during "
        f"its period, and after more than {months} months (`soc2-max-age-months`) a notified "
        "body will ask for the current report.",
        fix="File the latest report, or a bridge letter from the service organisation that "
        "covers the time since the period ended.",
    )


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""
