"""The device and support summary and the security capability answers of the pack.

Every answer comes from `techfile.model.capability_answers` (the same derivation the PK rules
check a disclosure against); a question the file cannot answer stays manual, with the reason.
Evidence that is organisational (an ISMS certificate, a SOC 2 report) is never shown for a
capability, even if a future derivation offered it.
"""

from __future__ import annotations

from typing import Any

from techfile.data.capabilities import capability_registry
from techfile.model.capabilities import released
from techfile.model.capability_answers import Derived, derived_answers
from techfile.model.disclosure import file_support_end, is_organisational
from techfile.model.document import Document
from techfile.model.evidence_classes import manufacturer
from techfile.model.register import counts_as_released, latest_approval, text
from techfile.model.view import RunView
from techfile.pack.data import AnswerRow, Fact

NOT_STATED = ""


def answer_rows(view: RunView) -> tuple[AnswerRow, ...]:
    registry = capability_registry()
    derived = derived_answers(view)
    rows = []
    for section in registry.sections:
        for question in section.questions:
            found = derived[question.key]
            rows.append(
                AnswerRow(
                    section=section.code,
                    section_title=section.title,
                    question=question.key,
                    text=question.text,
                    answer=found.answer or "",
                    note=found.note,
                    evidence=_product_evidence(view, found),
                    confidence=section.confidence,
                    iec_80001_2_2=section.iec_80001_2_2 or "",
                )
            )
    return tuple(rows)


def _product_evidence(view: RunView, found: Derived) -> tuple[str, ...]:
    """The answer's evidence ids, without any that resolve to organisational assurance."""
    kept = []
    for label in found.evidence:
        doc_id = label.split(":", 1)[0]
        if not is_organisational(view, view.index.document(doc_id)):
            kept.append(label)
    return tuple(kept)


def _words(value: Any) -> str:
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, list):
        return "; ".join(" ".join(v.split()) for v in value if isinstance(v, str))
    return NOT_STATED


def _stated(view: RunView, doc_type: str, key: str) -> tuple[str, tuple[str, ...]]:
    """The value of `key` in the first approved document of `doc_type` that states it."""
    for document in view.index.of_type(doc_type):
        words = _words(document.meta.get(key))
        if words and counts_as_released(view, document):
            return words, (document.label(),)
    return NOT_STATED, ()


def _device_fact(view: RunView, key: str, config_key: str) -> str:
    for document in view.index.of_type("device-description"):
        value = text(document.meta.get(key))
        if value:
            return value
    value = view.device.get(config_key)
    return str(value) if isinstance(value, str) else NOT_STATED


def support_summary(view: RunView, sbom_supplier: str = "") -> tuple[Fact, ...]:
    release = released(view)
    release_ids = (release.document.label(),) if release.document is not None else ()
    release_words = release.version or NOT_STATED
    if release.document is not None and release.date is not None:
        release_words += f" (released {release.date.isoformat()}, {release.document.label()})"
    support = file_support_end(view)
    period, period_ids = _stated(view, "it-security-requirements", "support_period")
    facts = [
        Fact("Device", view.device_name() or NOT_STATED),
        Fact("Manufacturer", *_manufacturer(view, sbom_supplier)),
        Fact("Device class", _device_fact(view, "device_class", "class")),
        Fact("Software version", release_words, release_ids),
        Fact(
            "Intended environment",
            *_stated(view, "it-security-requirements", "intended_environment"),
        ),
        Fact("Interfaces", *_interfaces(view)),
        Fact(
            "End of security support",
            support.date.isoformat() if support else NOT_STATED,
            (support.document.label(),) if support else (),
        ),
        Fact("Support period", period, period_ids),
        Fact("Security contact", *_stated(view, "it-security-requirements", "security_contact")),
        Fact("Coordinated vulnerability disclosure", *_cvd(view)),
        Fact("Update channel", *_stated(view, "it-security-requirements", "update_channel")),
    ]
    return tuple(facts)


def _manufacturer(view: RunView, sbom_supplier: str) -> tuple[str, tuple[str, ...]]:
    named = manufacturer(view)
    if named:
        return named, ()
    sboms = tuple(d.label() for d in view.index.of_type("sbom"))
    if sbom_supplier:
        return f"{sbom_supplier} (supplier of the software in the SBOM)", sboms
    return NOT_STATED, ()


def _interfaces(view: RunView) -> tuple[str, tuple[str, ...]]:
    for key in ("CONN.b", "CONN.a"):
        found = derived_answers(view).get(key)
        if found is not None and not found.manual:
            return found.note, found.evidence
    return NOT_STATED, ()


def _cvd(view: RunView) -> tuple[str, tuple[str, ...]]:
    policies = [d for d in view.index.of_type("cvd-policy") if counts_as_released(view, d)]
    if not policies:
        return NOT_STATED, ()
    return "; ".join(_policy_words(view, d) for d in policies), tuple(d.label() for d in policies)


def _policy_words(view: RunView, document: Document) -> str:
    approval = latest_approval(view, document)
    when = f", approved {approval.date.isoformat()}" if approval and approval.date else ""
    return f"{document.title} ({document.label()}{when})"
