"""Where a document cites standards: its front-matter and checklist columns meant for them, and
(read from the body's text) anywhere else in the body."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from techfile.model.document import Document
from techfile.model.finding import Location
from techfile.model.standards.table import Cited, StandardsTable
from techfile.model.standards.text import body_mentions

CERTIFICATE_TYPES = ("isms-certificate", "qms-certificate", "hds-certificate")
BODY = "body"  # the field of a citation read from the body's text


@dataclass(frozen=True)
class Citation:
    """Where a document cites a standard."""

    document: Document
    field: str  # `standards`, `rows.standards`, `standard`, `certifies`, `body`
    text: str
    location: Location
    found: tuple[Cited, ...] = ()  # the standard as read already (body citations)

    @property
    def in_body(self) -> bool:
        return self.field == BODY


def citation_text(value: Any) -> str | None:
    """A standard reference: a string, or a mapping `{standard, edition}` (also `ref`/`name`
    for the standard and `version`/`year` for the edition)."""
    if isinstance(value, str):
        return value if value.strip() else None
    if not isinstance(value, dict):
        return None
    name = next(
        (value[k] for k in ("standard", "ref", "name") if isinstance(value.get(k), str)), ""
    )
    if not name.strip():
        return None
    edition = next(
        (value[k] for k in ("edition", "version", "year") if isinstance(value.get(k), (str, int))),
        None,
    )
    if edition is not None and str(edition).strip() and ":" not in name:
        return f"{name.strip()}:{str(edition).strip()}"
    return name.strip()


def _listed(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def cited_standards(document: Document, certificates: bool = False) -> Iterator[Citation]:
    """Every standard the document cites where standards are meant to be cited: its
    `standards` list, a GSPR checklist's row `standards`, a conformity matrix's `standard`,
    and with `certificates` a certificate's `certifies`."""
    for position, entry in enumerate(_listed(document.meta.get("standards"))):
        text = citation_text(entry)
        if text is not None:
            path: tuple[str | int, ...] = ("standards", position)
            if not isinstance(document.meta.get("standards"), list):
                path = ("standards",)
            yield Citation(document, "standards", text, document.location(*path))
    if document.type == "gspr-checklist":
        for item in document.items.get("rows", []):
            for entry in _listed(item.get("standards")):
                text = citation_text(entry)
                if text is not None:
                    yield Citation(document, "rows.standards", text, item.location_of("standards"))
    if document.type == "conformity-matrix":
        text = citation_text(document.meta.get("standard"))
        if text is not None:
            yield Citation(document, "standard", text, document.location("standard"))
    if certificates and document.type in CERTIFICATE_TYPES:
        text = citation_text(document.meta.get("certifies"))
        if text is not None:
            yield Citation(document, "certifies", text, document.location("certifies"))


def body_citations(
    table: StandardsTable, document: Document, text: str, taken: set[tuple[int, str | None]]
) -> Iterator[Citation]:
    """The standards the body names outside the places `cited_standards` reads: a standard
    on a line where `taken` holds it already (a checklist row's standards column, as
    (line, core)) is left out."""
    for mention in body_mentions(table, text, document.body_line):
        if (mention.line, mention.cited.core) in taken:
            continue
        location = Location(document.path, mention.line, 0, document.id, None)
        yield Citation(document, BODY, mention.cited.text, location, (mention.cited,))
