"""The order in which the document families are built, and the references between families.

Every random choice comes from one generator, so this order is part of the output: changing it
changes every document after the change.
"""

from __future__ import annotations

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

if TYPE_CHECKING:
    from .technical_file import Generator


def build_technical_file(gen: Generator) -> None:
    """All documents, their items and the references between them."""
    add_singletons(gen)
    requirements_and_tests.build_requirements(gen)
    requirements_and_tests.build_test_reports(gen)
    requirements_and_tests.link_all_tests(gen)
    risk.build_risk_analyses(gen)
    security.build_threat_models(gen)
    it_security_requirements.build_it_security_requirements(gen)
    supply_chain.build_soup_lists(gen)
    regulatory.build_conformity_matrices(gen)
    qms.build_procedures(gen)
    cross_reference(gen)


def add_singletons(gen: Generator) -> None:
    """The documents there is one of; all of them approved."""
    gen.dd = regulatory.add_device_description(gen)
    gen.rmp = plans.add_risk_management_plan(gen)
    gen.gspr = regulatory.add_gspr_checklist(gen)
    gen.lifecycle = plans.add_lifecycle_documents(gen)
    for doc in (gen.dd, gen.rmp, gen.gspr, *gen.lifecycle):
        doc.status = "approved"


def cross_reference(gen: Generator) -> None:
    """The references that join the families: the overview documents cite a representative
    set, and some families cite documents of another."""
    first = {doc_type: docs[0].id for doc_type, docs in gen.by_type.items()}
    gen.dd.references = [
        "RMP-0001",
        "GSPR-0001",
        first["software-requirements"],
        first["security-requirements"],
    ]
    gen.rmp.references = [
        "DD-0001",
        first["risk-analysis"],
        first["threat-model"],
        first["qms-procedure"],
    ]
    risk.cite_test_reports(gen)
    requirements_and_tests.cite_threat_models(gen)
    qms.cite_other_procedures(gen)
    gen.gspr.references = ["DD-0001", *[d.id for d in gen.by_type["conformity-matrix"][:3]]]
    for doc in gen.by_type["conformity-matrix"]:
        doc.references = ["GSPR-0001"]
