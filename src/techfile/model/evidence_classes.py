"""How a cited document counts for a clause: its evidence class, whether it can meet the clause
on its own or only support other evidence, and its type in words.

Which classes a clause accepts, and which organisational types it takes as support, come from
the clause registry (`data/clauses/*.yaml`). The evidence rules and the report's coverage table
both read them from here.
"""

from __future__ import annotations

from techfile.data.clauses import Clause
from techfile.model.document import Document
from techfile.model.view import RunView

SATISFYING = ("product", "process")  # classes that can meet a clause on their own

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


def document_class(view: RunView, document: Document | None) -> str | None:
    """The document's evidence class; a penetration test of something other than the device
    is an enterprise test, i.e. organisational."""
    return None if document is None else view.evidence_class(document)


def satisfies(view: RunView, clause: Clause, document: Document | None) -> bool:
    """The document can meet the clause on its own (product or process evidence it accepts)."""
    kind = document_class(view, document)
    return kind in SATISFYING and kind in clause.accepts


def supports_only(clause: Clause, document: Document) -> bool:
    """Organisational evidence the clause takes only as support beside other evidence."""
    return "organisational-supporting" in clause.accepts or document.type in clause.supporting


def needs_words(clause: Clause) -> str:
    """`product evidence`, `process evidence` or `product or process evidence`."""
    kinds = [c for c in SATISFYING if c in clause.accepts] or ["product"]
    return f"{' or '.join(kinds)} evidence"


def kind_name(document: Document) -> str:
    """The type in words: `QMS procedure`, `threat model`, `ISMS SoA`."""
    words = (document.type or "document").split("-")
    return " ".join(ACRONYMS.get(word, word) for word in words)
