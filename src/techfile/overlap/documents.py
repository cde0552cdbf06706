"""The documents the overlap report names, with version and approval state, and what the
Statements of Applicability decide: read from the run's view."""

from __future__ import annotations

from techfile.data.isms import control_id
from techfile.model.document import Document
from techfile.model.evidence import as_list, is_blank
from techfile.model.evidence_classes import document_class, kind_name, supplier_of
from techfile.model.register import (
    APPROVED,
    UNRELEASED,
    UNSTATED,
    WITHDRAWN_STATE,
    effective_version,
    is_withdrawn,
    release,
)
from techfile.model.view import RunView
from techfile.overlap.data import Certificate, DocumentRef, SoaDecision

SOA_TYPE = "isms-soa"
CERTIFICATE_TYPE = "isms-certificate"
SOA_CONTROLS = "soa_controls"


def document_ref(view: RunView, document: Document) -> DocumentRef:
    state = release(view, document)
    approval = {
        APPROVED: "approved",
        UNSTATED: "approval not stated",
        UNRELEASED: f"not approved ({state.basis})",
        WITHDRAWN_STATE: f"withdrawn ({state.basis})",
    }[state.state]
    version, _ = effective_version(view, document)
    return DocumentRef(
        label=document.label(),
        title=document.title,
        path=document.path,
        type=kind_name(document) if document.type else "unclassified",
        evidence_class=document_class(view, document) or "unknown",
        version=version or "",
        approval=approval,
        counts=state.state in (APPROVED, UNSTATED),
    )


def statements(view: RunView) -> list[Document]:
    return [d for d in view.index.of_type(SOA_TYPE) if not is_withdrawn(view, d)]


def decisions(view: RunView) -> dict[str, SoaDecision]:
    """Control (`A.8.8`) -> what the first Statement of Applicability (by path) that lists it
    decides about it."""
    found: dict[str, SoaDecision] = {}
    for document in statements(view):
        counts = document_ref(view, document).counts
        for item in document.items.get(SOA_CONTROLS, []):
            control = control_id(item.get("control"))
            if control is None or control in found:
                continue
            applicable = item.get("applicable")
            found[control] = SoaDecision(
                soa=document.label(),
                line=item.line,
                applicable=applicable if isinstance(applicable, bool) else None,
                implemented=_implemented(item.get("implemented")),
                justification=_text(item.get("justification")),
                implemented_by=tuple(
                    (text, _resolved(view, document, text))
                    for text in (_text(v) for v in as_list(item.get("implemented_by")))
                    if text
                ),
                counts=counts,
            )
    return found


def certificates(view: RunView) -> tuple[Certificate, ...]:
    """The organisation's own ISO/IEC 27001 certificates (a supplier's certifies the
    supplier)."""
    found = []
    for document in view.index.of_type(CERTIFICATE_TYPE):
        if supplier_of(view, document) or is_withdrawn(view, document):
            continue
        found.append(
            Certificate(
                label=document.label(),
                certifies=_text(document.meta.get("certifies")),
                expiry=_text(document.meta.get("expiry_date")),
                scope=_text(document.meta.get("scope")),
                approval=document_ref(view, document).approval,
            )
        )
    return tuple(found)


def _resolved(view: RunView, soa: Document, text: str) -> DocumentRef | None:
    target = view.index.resolve(text, soa, "any").document
    return document_ref(view, target) if target is not None else None


def _implemented(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return _text(value)


def _text(value: object) -> str:
    if value is None or isinstance(value, bool) or is_blank(value):
        return ""
    return str(value).strip()
