"""What the IS rules share: the Statements of Applicability of the run and their controls."""

from __future__ import annotations

from dataclasses import dataclass

from techfile.data.isms import claimed_edition, control_id, is_2013_numbering
from techfile.model.document import Document, Item
from techfile.model.evidence import as_list, is_blank
from techfile.model.register import is_withdrawn
from techfile.rules.base import Context

SOA_TYPE = "isms-soa"
POLICY_TYPE = "isms-policy"
CERTIFICATE_TYPE = "isms-certificate"
CONTROLS = "soa_controls"  # the item list of an isms-soa (schemas/types/isms-soa.schema.json)
EDITION_2022, EDITION_2013 = "2022", "2013"


@dataclass(frozen=True, slots=True)
class SoaControl:
    """One entry of a Statement of Applicability, its control number read."""

    item: Item
    written: str  # the control as written
    control: str | None  # `A.8.8`, `A.12.6.1`; None when the text is no control number

    @property
    def label(self) -> str:
        return self.control or self.written


def statements(ctx: Context) -> list[Document]:
    """The Statements of Applicability the run reports on: active, not withdrawn."""
    return [d for d in ctx.documents if d.type == SOA_TYPE and not is_withdrawn(ctx, d)]


def controls_of(document: Document) -> list[SoaControl]:
    """The SoA's entries that name a control (rows without one are headings or notes)."""
    found = []
    for item in document.items.get(CONTROLS, []):
        written = item.get("control")
        if not isinstance(written, str) or is_blank(written):
            continue
        found.append(SoaControl(item, written.strip(), control_id(written)))
    return found


def edition_texts(document: Document) -> list[str]:
    """Where an SoA names the ISO/IEC 27001 edition it follows: `standards`, title, first
    heading and the headers of its other tables (`| ISO 27001:2023 Section | ... |`)."""
    texts = [
        str(v.get("standard", "")) if isinstance(v, dict) else str(v)
        for v in as_list(document.meta.get("standards"))
    ]
    texts += [document.title, document.h1 or ""]
    texts += [header for table in document.tables for header in table.headers]
    return texts


def claimed(document: Document) -> str | None:
    """The edition the SoA says it follows, None when it names none (or both)."""
    return claimed_edition(edition_texts(document))


def numbering(document: Document, controls: list[SoaControl]) -> str | None:
    """The edition whose Annex A the SoA's decisions refer to: the one it claims, else the
    one its control numbers are written in (three numbers: 2013)."""
    edition = claimed(document)
    if edition is not None or not controls:
        return edition
    if any(c.control and is_2013_numbering(c.control) for c in controls):
        return EDITION_2013
    return EDITION_2022


def text_of(value: object) -> str | None:
    """A non-blank text value, stripped."""
    return value.strip() if isinstance(value, str) and not is_blank(value) else None


def clause(ctx: Context, code: str, index: int = 0) -> str:
    """The clause a rule's page names at `index`, as written there."""
    return str(ctx.page_clause(code, index, default="ISO/IEC 27001"))
