"""How a cited document counts for a clause: its evidence class, whether it can meet the clause
on its own or only support other evidence, whose evidence it is, and its type in words.

Which classes a clause accepts, and which organisational types it takes as support, come from
the clause registry (`data/clauses/*.yaml`). The evidence rules and the report's coverage table
both read them from here.

**Whose evidence.** A SOC 2 report, an ISO/IEC 27001 certificate or an HDS certificate may be
the manufacturer's own or a supplier's (the hosting provider's, say). It is a supplier's when
it says so in `supplier`, or when the organisation it is about (`service_organisation` of a
SOC 2 report, `issued_to` of a certificate) is not the manufacturer (`[device] manufacturer`
in the configuration, else the device description's `manufacturer`). A supplier's evidence
describes the supplier, so it supports only the clauses that take a `supplier-attestation` as
support (EN IEC 81001-5-1 4.1.5, 4.3, 5.1.2, 5.2.3, 5.8.4), never those where the
manufacturer's own management system is the subject (4.1.1, 4.1.4).
"""

from __future__ import annotations

import re

from techfile.data.clauses import Clause
from techfile.model.document import Document
from techfile.model.view import RunView

SATISFYING = ("product", "process")  # classes that can meet a clause on their own
SUPPLIER_TYPE = "supplier-attestation"  # in `supporting`, it stands for any supplier evidence
OWNED_TYPES = ("soc2-report", "isms-certificate", "hds-certificate", "qms-certificate")
SUBJECT_FIELDS = ("service_organisation", "issued_to")  # the organisation it is about

ACRONYMS = {
    "isms": "ISMS",
    "soa": "SoA",
    "qms": "QMS",
    "soup": "SOUP",
    "sbom": "SBOM",
    "it": "IT",
    "ifu": "IFU",
    "cvd": "CVD",
    "hds": "HDS",
    "dpia": "DPIA",
    "soc2": "SOC 2",
    "pms": "PMS",
    "gspr": "GSPR",
}
_LEGAL_FORMS = re.compile(
    r"\b(?:gmbh|ag|kg|se|ltd|limited|inc|incorporated|llc|llp|plc|corp|corporation|co|company|"
    r"sas|sasu|sa|sarl|sàrl|bv|nv|oy|ab|as|aps|srl|spa|pty|kk|ug)\b"
)
_NON_WORD = re.compile(r"[\W_]+")


def document_class(view: RunView, document: Document | None) -> str | None:
    """The document's evidence class; a penetration test of something other than the device
    is an enterprise test, i.e. organisational."""
    return None if document is None else view.evidence_class(document)


def satisfies(view: RunView, clause: Clause, document: Document | None) -> bool:
    """The document can meet the clause on its own (product or process evidence it accepts)."""
    kind = document_class(view, document)
    return kind in SATISFYING and kind in clause.accepts


def supports_only(clause: Clause, document: Document, view: RunView | None = None) -> bool:
    """Organisational evidence the clause takes only as support beside other evidence. A
    supplier's evidence supports only where the clause takes supplier evidence; with no
    `view`, only a document that says it is a supplier's (`supplier`) is known to be one."""
    if is_supplier_evidence(view, document):
        return SUPPLIER_TYPE in clause.supporting or document.type in clause.supporting
    return "organisational-supporting" in clause.accepts or document.type in clause.supporting


def needs_words(clause: Clause) -> str:
    """`product evidence`, `process evidence` or `product or process evidence`."""
    kinds = [c for c in SATISFYING if c in clause.accepts] or ["product"]
    return f"{' or '.join(kinds)} evidence"


def kind_name(document: Document) -> str:
    """The type in words: `QMS procedure`, `threat model`, `ISMS SoA`."""
    words = (document.type or "document").split("-")
    return " ".join(ACRONYMS.get(word, word) for word in words)


# --- whose evidence ------------------------------------------------------------------------


def manufacturer(view: RunView) -> str | None:
    """`[device] manufacturer`, else the device description's `manufacturer`."""
    return view.shared("manufacturer", lambda: _manufacturer(view))


def _manufacturer(view: RunView) -> str | None:
    configured = view.device.get("manufacturer")
    if isinstance(configured, str) and configured.strip():
        return configured.strip()
    for document in view.index.of_type("device-description"):
        value = document.meta.get("manufacturer")
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def subject_of(document: Document) -> str | None:
    """The organisation a SOC 2 report or certificate is about, as written."""
    for field in SUBJECT_FIELDS:
        value = document.meta.get(field)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def supplier_of(view: RunView | None, document: Document) -> str | None:
    """The supplier whose evidence this is (its name, or `a supplier` when unnamed), None when
    it is the manufacturer's own or nothing says whose it is."""
    if document.type == SUPPLIER_TYPE:
        return _named(document.meta.get("supplier")) or subject_of(document) or "a supplier"
    if document.type not in OWNED_TYPES:
        return None
    declared = _named(document.meta.get("supplier"))
    if declared:
        return declared
    subject = subject_of(document)
    maker = manufacturer(view) if view is not None else None
    if subject and maker and not same_organisation(subject, maker):
        return subject
    return None


def is_supplier_evidence(view: RunView | None, document: Document) -> bool:
    return supplier_of(view, document) is not None


def ownership_unknown(view: RunView, document: Document) -> bool:
    """A SOC 2 report or certificate about which nothing says whether it is the manufacturer's
    own: no `supplier`, and no subject or no manufacturer to compare it with."""
    if document.type not in OWNED_TYPES or is_supplier_evidence(view, document):
        return False
    return subject_of(document) is None or manufacturer(view) is None


def same_organisation(a: str, b: str) -> bool:
    """`Acme Health GmbH` is `ACME Health`; `Amazon Web Services, Inc.` is not `Acme`."""
    left, right = _organisation_words(a), _organisation_words(b)
    if not left or not right:
        return False
    return left == right or f" {left} " in f" {right} " or f" {right} " in f" {left} "


def _organisation_words(name: str) -> str:
    words = _NON_WORD.sub(" ", name.casefold())
    return " ".join(_LEGAL_FORMS.sub(" ", words).split())


def _named(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None
