"""The vocabulary of names and prose: modules, procedure sentences, roles, activities, records."""

from __future__ import annotations

from random import Random

from .markup import wrap

AREAS = [
    "ECG acquisition",
    "Signal quality",
    "Arrhythmia classifier",
    "Alarm routing",
    "Clinician worklist",
    "Patient app",
    "Bluetooth pairing",
    "Cloud ingest",
    "FHIR export",
    "Report generation",
    "User management",
    "Audit logging",
    "Device firmware update",
    "Data retention",
    "Notification service",
    "Trend analytics",
    "Time synchronisation",
    "Offline buffering",
    "Results API",
    "Clinic onboarding",
    "Batch re-analysis",
    "Model deployment",
    "Consent management",
    "Telemetry gateway",
    "Dashboard rendering",
]
COMPONENTS = [
    "service",
    "pipeline",
    "module",
    "subsystem",
    "interface",
    "workflow",
    "component",
    "backend",
    "front end",
    "adapter",
]
PROSE = [
    "The {role} is responsible for the {activity} and keeps the {record} up to date.",
    "Each {artefact} is reviewed by a person who did not author it before it is released.",
    "Deviations from this procedure are documented in the {record} together with a "
    "rationale and the approval of the {role}.",
    "Inputs to the {activity} include customer feedback, complaint data, the results of "
    "internal audits and the {artefact}.",
    "The outcome of the {activity} is recorded in the {record} within {days} working days.",
    "Where the {activity} identifies a change to the device, the change is assessed under "
    "the change control procedure before implementation.",
    "The {role} ensures that the people performing the {activity} are trained and that "
    "their training is recorded.",
    "Records created under this procedure are retained for at least {years} years after "
    "the last device of a version has been placed on the market.",
    "The effectiveness of the {activity} is evaluated at the management review, using the "
    "metrics defined in the {artefact}.",
    "If the {activity} cannot be completed on time, the {role} escalates the delay to the "
    "management team.",
    "Templates for the {artefact} are maintained in the document management system and "
    "may only be changed through a document change request.",
    "Electronic signatures used in the {record} comply with the company's requirements "
    "for electronic records.",
    "Information from the {activity} is fed into the risk management process so that new "
    "hazards and changed probabilities are evaluated.",
    "The {role} decides whether a finding requires a corrective action, and the decision "
    "is recorded with its justification.",
    "Suppliers that contribute to the {activity} are qualified and monitored as described "
    "in the supplier control procedure.",
    "The {artefact} is version-controlled in the same repository as the technical "
    "documentation, and changes are reviewed by pull request.",
    "At least once a year the {role} verifies that this procedure still reflects current "
    "practice and the applicable standards.",
    "Software tools used for the {activity} are validated for their intended use before "
    "first use and after each major update.",
    "The {activity} is planned at the start of each release cycle, and the plan is "
    "approved by the {role}.",
    "Open items from the {activity} are tracked in the issue tracker until they are "
    "closed and verified.",
]
ROLES = [
    "quality manager",
    "head of regulatory affairs",
    "product owner",
    "head of product security",
    "lead software engineer",
    "clinical safety officer",
    "test manager",
    "process owner",
    "person responsible for regulatory compliance",
    "DevOps lead",
]
ACTIVITIES = [
    "document control",
    "management review",
    "internal audit",
    "complaint handling",
    "post-market surveillance",
    "supplier evaluation",
    "training",
    "change control",
    "software release",
    "vulnerability monitoring",
    "CAPA process",
    "design review",
    "usability evaluation",
    "data backup and restore",
    "incident reporting",
    "clinical evaluation update",
    "labelling review",
    "software problem resolution",
]
ARTEFACTS = [
    "quality manual",
    "design history file",
    "software development plan",
    "post-market surveillance plan",
    "risk management file",
    "training matrix",
    "supplier list",
    "release checklist",
    "audit programme",
    "security plan",
]
RECORDS = [
    "quality record",
    "CAPA log",
    "training record",
    "audit report",
    "review minutes",
    "complaint file",
    "release record",
    "change request",
    "vulnerability log",
]


def sentence(rng: Random) -> str:
    """One sentence of procedure prose."""
    return rng.choice(PROSE).format(
        role=rng.choice(ROLES),
        activity=rng.choice(ACTIVITIES),
        artefact=rng.choice(ARTEFACTS),
        record=rng.choice(RECORDS),
        days=rng.choice([5, 10, 15, 20, 30]),
        years=rng.choice([10, 15]),
    )


def paragraph(rng: Random, lo: int = 3, hi: int = 6) -> str:
    """A wrapped paragraph of lo to hi sentences."""
    return wrap(" ".join(sentence(rng) for _ in range(rng.randint(lo, hi))))


def module_name(rng: Random) -> str:
    """A part of the device, such as "Alarm routing service"."""
    return f"{rng.choice(AREAS)} {rng.choice(COMPONENTS)}"
