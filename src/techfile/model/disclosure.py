"""A maintained disclosure statement (`type: disclosure-statement`, the manufacturer's answers to
a hospital's MDS2 questionnaire) and the facts of the technical file it is checked against:
the mitigations the customer must provide and where the customer is told, the end of support,
and the documents a disclosure summarises. The PK rules and `techfile pack` read them here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from techfile.data.capabilities import Question, Section, capability_registry
from techfile.model.document import Document, Item
from techfile.model.register import counts_as_released, parse_date, text
from techfile.model.view import RunView

DISCLOSURE_TYPE = "disclosure-statement"
RELIANCE = ("environment", "operator", "user")  # implemented_by values outside the product
TELLING_TYPES = ("it-security-requirements", "ifu")
SUMMARISED_TYPES = ("sbom", "vulnerability-report", "security-requirements")
ORGANISATIONAL = "organisational"


@dataclass(frozen=True)
class DisclosureAnswer:
    document: Document
    item: Item
    section: Section
    question: Question | None  # None: a question key the registry does not know
    answer: str | None  # Yes | No | N/A | See note, None when absent


def disclosure_answers(document: Document) -> list[DisclosureAnswer]:
    registry = capability_registry()
    found = []
    for item in document.items.get("answers", []):
        code = text(item.get("section"))
        section = registry.section(code) if code else None
        if section is None:
            continue  # FM004 reports a code the schema does not know
        key = text(item.get("question"))
        question = registry.question(key) if key else section.lead
        answer = text(item.get("answer"))
        found.append(DisclosureAnswer(document, item, section, question, answer))
    return found


def is_organisational(view: RunView, document: Document | None) -> bool:
    """Organisational assurance (ISMS certificate, SoA, SOC 2, HDS, a test of another product):
    never evidence of what the device does."""
    return document is not None and view.evidence_class(document) == ORGANISATIONAL


# --- the customer's part -------------------------------------------------------------------


@dataclass(frozen=True)
class Reliance:
    """A threat-model mitigation that the IT environment, the operator or the user provides,
    and the IT security requirements or IFU documents that reference it."""

    document: Document
    item: Item
    by: str  # environment | operator | user
    told_in: tuple[Document, ...]

    @property
    def label(self) -> str:
        return f"{self.document.label()}:{self.item.id}"


def reliances(view: RunView) -> list[Reliance]:
    return view.shared("disclosure-reliances", lambda: _reliances(view))


def _reliances(view: RunView) -> list[Reliance]:
    telling: dict[int, list[Document]] = {}
    for document in view.index.of_type(*TELLING_TYPES):
        for reference in view.index.references(document):
            item = view.index.resolve(reference.value, document, "item").item
            if item is not None and document not in telling.setdefault(id(item), []):
                telling[id(item)].append(document)
    found = []
    for document in view.index.of_type("threat-model"):
        for item in document.items.get("mitigations", []):
            by = item.get("implemented_by")
            if isinstance(by, str) and by.strip().casefold() in RELIANCE:
                told = tuple(telling.get(id(item), ()))
                found.append(Reliance(document, item, by.strip().casefold(), told))
    return found


def responsibility_targets(view: RunView, disclosure: Document) -> set[int]:
    """id() of the mitigations the disclosure's customer-responsibility section names."""
    found: set[int] = set()
    for item in disclosure.items.get("customer_responsibilities", []):
        for resolution in view.index.resolve_field(disclosure, item, "mitigation"):
            if resolution.item is not None:
                found.add(id(resolution.item))
    return found


# --- support -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SupportEnd:
    date: datetime.date
    document: Document


def file_support_end(view: RunView) -> SupportEnd | None:
    """The end of security support the technical file states: `support_end` of the approved IT
    security requirements, else of a release record."""
    for doc_type in ("it-security-requirements", "release-record"):
        for document in view.index.of_type(doc_type):
            day = parse_date(document.meta.get("support_end"))
            if day is not None and counts_as_released(view, document):
                return SupportEnd(day, document)
    return None


def summarised_documents(view: RunView) -> list[Document]:
    """The documents a disclosure statement summarises: SBOMs, VEX / vulnerability reports and
    security requirements."""
    return view.index.of_type(*SUMMARISED_TYPES)


def disclosures(view: RunView) -> list[Document]:
    return view.index.of_type(DISCLOSURE_TYPE)
