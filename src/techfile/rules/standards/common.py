"""Shared by the ST rules: the standards one document cites (in its front-matter, its
checklist columns and the rest of its body), each citation read once per run, and dates and
counts in words."""

from __future__ import annotations

import datetime

from techfile.intake.text import decode
from techfile.model.document import Document
from techfile.model.evidence_classes import kind_name
from techfile.model.standards import (
    Citation,
    Cited,
    Edition,
    body_citations,
    cited_standards,
    standards_table,
)
from techfile.rules.base import Context


def readings(ctx: Context, citation: Citation) -> list[Cited]:
    """The standards one citation names; documents cite the same few texts again and again,
    so each is read once per run (a body citation comes read already)."""
    if citation.found:
        return list(citation.found)
    cache: dict[str, list[Cited]] = ctx.shared("standards-readings", dict)
    found = cache.get(citation.text)
    if found is None:
        found = cache[citation.text] = standards_table().read(citation.text)
    return found


def document_citations(
    ctx: Context, document: Document, certificates: bool = False
) -> list[Citation]:
    """Where the document cites standards: the places meant for them first (`standards`,
    checklist columns, and with `certificates` a certificate's `certifies`), then the rest of
    its body."""
    structured = list(cited_standards(document, certificates=certificates))
    cache: dict[str, list[Citation]] = ctx.shared("standards-body", dict)
    body = cache.get(document.path)
    if body is None:
        body = cache[document.path] = _body(ctx, document, structured)
    return structured + body


def _body(ctx: Context, document: Document, structured: list[Citation]) -> list[Citation]:
    text = _text(ctx, document)
    if text is None:
        return []
    taken = {
        (citation.location.line, cited.core)
        for citation in structured
        if citation.field == "rows.standards"
        for cited in readings(ctx, citation)
    }
    return list(body_citations(standards_table(), document, text, taken))


def _text(ctx: Context, document: Document) -> str | None:
    """The document's text from the run's source (so `--pre-commit` reads what is staged)."""
    if ctx.read_path is None:
        return None
    data = ctx.read_path(document.path)
    if not isinstance(data, bytes):
        return None
    return decode(data).text


def written(ctx: Context, citation: Citation, cited: Cited, edition: Edition) -> str:
    """The edition as the document wrote it, or the table's name for it when one entry names
    several standards or is long."""
    if citation.in_body:
        return cited.text
    text = citation.text.strip()
    several = len(readings(ctx, citation)) > 1
    return edition.ref if several or len(text) > 80 else text


def named(document: Document) -> str:
    """`RMP-001 (risk management plan)`; `SOUP List` alone when its name says what it is."""
    label, kind = document.label(), kind_name(document)
    return label if kind.casefold() in label.casefold() else f"{label} ({kind})"


def more(count: int, field: str) -> str:
    if count <= 1:
        return ""
    where = "rows" if field == "rows.standards" else "places"
    return f" (in {count} {where})"


def span(days: int) -> str:
    if days >= 730:
        return f"{days // 365} years"
    if days >= 60:
        return f"{days // 30} months"
    return f"{days} day{'s' if days != 1 else ''}"


def date_text(day: datetime.date | None) -> str:
    return day.isoformat() if day else "an unknown date"


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` months earlier (the last day of a shorter month)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    for last in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    return datetime.date(year, month + 1, 28)
