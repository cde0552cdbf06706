"""ST002: a document cites a standard without an edition, with an edition that cannot be right
(`ISO 14971:219`, `ISO 14971:2919`), or with a number one keystroke from a known standard
(`ISO 14941` for ISO 14971).

In the body's text, a standard named without an edition is normal (the edition is usually
given once, in the references) and is not reported; the impossible editions and the near
numbers are."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from techfile.model.document import Document
from techfile.model.finding import Finding
from techfile.model.register import is_withdrawn
from techfile.model.standards import (
    Citation,
    Cited,
    NearMiss,
    designation_core,
    is_european,
    near_miss,
    standards_table,
)
from techfile.rules.base import Context, rule
from techfile.rules.standards.common import document_citations, more, named, readings

_YEAR_TYPO = re.compile(r"\d{3}|\d{5,}")  # `:219`, `:20199`: a year with a digit lost or doubled


@dataclass
class _Group:
    cited: Cited
    citations: list[Citation]
    near: NearMiss | None = None


@rule("ST002")
def unversioned_standard_reference(ctx: Context) -> Iterator[Finding]:
    clause = str(ctx.page_clause("ST002", default="techfile's policy"))
    known = _registry_numbers(ctx)
    for document in ctx.documents:
        if is_withdrawn(ctx, document):
            continue
        grouped: dict[tuple[str, str], _Group] = {}
        for citation in document_citations(ctx, document, certificates=True):
            for cited in readings(ctx, citation):
                problem, near = _problem(ctx, cited, citation.in_body, known)
                if problem is None or cited.core is None:
                    continue
                group = grouped.setdefault((cited.core, problem), _Group(cited, [], near))
                group.citations.append(citation)
        for (core, problem), group in grouped.items():
            first = group.citations[0]
            message, why, fix = _message(ctx, document, problem, group, clause)
            yield ctx.finding(
                "ST002",
                message,
                first.location,
                clause=clause,
                key=(document.id or document.path, core, problem),
                related=tuple(c.location for c in group.citations[1:]),
                why=why,
                fix=fix,
            )


def _registry_numbers(ctx: Context) -> frozenset[str]:
    """The standard numbers the clause registry knows: never typos."""
    return frozenset(
        designation_core(number)
        for standard in ctx.clauses.standards.values()
        for number in standard.numbers
    )


def _problem(
    ctx: Context, cited: Cited, in_body: bool, known: frozenset[str]
) -> tuple[str | None, NearMiss | None]:
    """`none` (no edition), `unreadable` (`:219`), `future` (`:2919`), `unknown` (a number one
    keystroke from a known standard), or None when fine."""
    if cited.year is not None and cited.year > ctx.as_of.year:
        return "future", None
    near = near_miss(standards_table(), cited, known)
    if near is not None:
        return "unknown", near
    if cited.versioned:
        return None, None
    if cited.unreadable:
        if in_body and not _YEAR_TYPO.fullmatch(cited.unreadable):
            return None, None  # `ISO 14971:7.3` in running text is a clause, not an edition
        return "unreadable", None
    return (None if in_body else "none"), None


def _message(
    ctx: Context, document: Document, problem: str, group: _Group, clause: str
) -> tuple[str, str, str]:
    """The finding's message, why and fix."""
    cited, first = group.cited, group.citations[0]
    designation = cited.designation or first.text.strip()
    verb = "certifies" if first.field == "certifies" else "cites"
    name = named(document)
    if problem == "unknown" and group.near is not None:
        return _near_message(name, verb, group.near, first, len(group.citations), clause)
    hint = _current_hint(cited.core or "", designation)
    if problem == "none":
        what = f"{verb} {designation} without an edition"
    elif problem == "unreadable":
        what = f"{verb} {designation}:{cited.unreadable}, whose edition is not a year"
    else:
        what = (
            f"{verb} {designation} with the edition year {cited.year}, which has not come "
            f"yet on {ctx.as_of.isoformat()} (a typo?)"
        )
    if first.field == "certifies":
        return (
            f"{name} {what}",
            "A certificate is issued against one edition, and a notified body will check that "
            f"it is one to which certificates are still valid ({clause}).",
            f"Give the edition the certificate names{hint}.",
        )
    return (
        f"{name} {what}{more(len(group.citations), first.field)}",
        f"{clause} holds the device to the state of the art, and editions differ in their "
        "requirements and even in clause numbers, so a notified body cannot tell which one the "
        "device was held to.",
        f"Give the edition you apply{hint}.",
    )


def _near_message(
    name: str, verb: str, near: NearMiss, first: Citation, count: int, clause: str
) -> tuple[str, str, str]:
    current = [e.ref for e in near.editions if not e.superseded][:2]
    listed = f" (techfile's table lists {' and '.join(current)} as current)" if current else ""
    return (
        f"{name} {verb} {near.written}{more(count, first.field)}, which is not a standard "
        f"number techfile knows: did you mean {near.meant}?",
        f"{clause} holds the device to the state of the art; a notified body cannot follow a "
        "citation to a standard that does not exist, nor tell which state of the art the "
        "device was held to.",
        f"Correct the number: {near.written} is one keystroke from {near.meant}{listed}.",
    )


def _current_hint(core: str, designation: str) -> str:
    current = [e.ref for e in standards_table().current(core, is_european(designation))][:2]
    return f" (techfile's table lists {' and '.join(current)} as current)" if current else ""
