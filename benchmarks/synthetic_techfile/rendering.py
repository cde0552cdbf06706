"""From a document to the bytes of its files: the dispatch from a type to its family's renderer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from random import Random
from typing import TYPE_CHECKING

from . import (
    it_security_requirements,
    plans,
    qms,
    regulatory,
    requirements_and_tests,
    risk,
    security,
    supply_chain,
)
from .model import Doc

if TYPE_CHECKING:
    from .technical_file import Generator

Renderer = Callable[["Generator", Doc], list[str]]

RENDERERS: dict[str, Renderer] = {
    "device-description": regulatory.render_device_description,
    "gspr-checklist": regulatory.render_gspr_checklist,
    "conformity-matrix": regulatory.render_conformity_matrix,
    "risk-management-plan": plans.render_risk_management_plan,
    **{doc_type: plans.render_lifecycle for doc_type in plans.LIFECYCLE_TYPES},
    "risk-analysis": risk.render_risk_analysis,
    "software-requirements": requirements_and_tests.render_software_requirements,
    "security-requirements": requirements_and_tests.render_security_requirements,
    "test-report": requirements_and_tests.render_test_report,
    "security-test-report": requirements_and_tests.render_security_test_report,
    "threat-model": security.render_threat_model,
    "security-risk-assessment": security.render_security_risk_assessment,
    "it-security-requirements": it_security_requirements.render_it_security_requirements,
    "soup-list": supply_chain.render_soup_list,
    "sbom": supply_chain.render_sbom,
    "qms-procedure": qms.render_qms_procedure,
}


def render(gen: Generator, doc: Doc) -> bytes:
    """The Markdown file of a document, its revision history last. Its prose comes from a
    generator seeded by its id, so the same document renders the same paragraphs each time."""
    gen.prose = Random(f"{gen.seed}-{doc.id}")
    try:
        lines = RENDERERS[doc.type](gen, doc)
    finally:
        gen.prose = gen.rng
    lines += revision_history(doc)
    return ("\n".join(lines) + "\n").encode("utf-8")


def revision_history(doc: Doc) -> list[str]:
    out = ["", "## Revision history", ""]
    for version, date, text in doc.history:
        out.append(f"- {version} ({date.isoformat()}): {text}")
    return out


def rendered_files(gen: Generator, doc: Doc) -> dict[str, bytes]:
    """The files of a document by path: its Markdown file, and the CycloneDX file of an SBOM."""
    files = {doc.path: render(gen, doc)}
    if doc.type == "sbom":
        files[str(Path(doc.path).parent / doc.data["file"])] = supply_chain.sbom_json(gen, doc)
    return files
