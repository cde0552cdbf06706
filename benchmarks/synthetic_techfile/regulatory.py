"""The regulatory overview documents: the device description, the GSPR checklist (MDR Annex I)
and the conformity matrices of the harmonised standards.

The GSPR checklist and the conformity matrices cite approved documents only as evidence, as a
notified body assesses released documents (EV003).
"""

from __future__ import annotations

from random import Random
from typing import TYPE_CHECKING

from .device import COMPANY, DEVICE, IEC62304, IEC81001, ISO13485, ISO14971, SOFTWARE_VERSION
from .front_matter import front_matter
from .markup import table, wrap, ys
from .model import Doc

if TYPE_CHECKING:
    from .technical_file import Generator

# (GSPR, requirement, applicable to this software-only device)
GSPR_ROWS: list[tuple[str, str, bool]] = [
    ("1", "Intended performance, safety and acceptable benefit-risk", True),
    ("2", "Reducing risks as far as possible", True),
    ("3", "Risk management system", True),
    ("3(a)", "Risk management plan per device", True),
    ("3(b)", "Identification and analysis of hazards", True),
    ("3(c)", "Estimation and evaluation of risks", True),
    ("3(d)", "Elimination or control of risks", True),
    ("3(e)", "Use of production and post-market information", True),
    ("4", "Risk control measures and their priority", True),
    ("5", "Risks related to use error", True),
    ("6", "Performance over the device lifetime", True),
    ("7", "Transport and storage", False),
    ("8", "Acceptable residual risks", True),
    ("9", "Devices without a medical purpose", False),
    ("10.1", "Chemical, physical and biological properties", False),
    ("10.2", "Contaminants and residues", False),
    ("10.4", "Substances", False),
    ("11.1", "Infection and microbial contamination", False),
    ("12.1", "Devices incorporating a medicinal substance", False),
    ("13.1", "Materials of biological origin", False),
    ("14.1", "Combination with other devices", True),
    ("14.2", "Risks of interaction with the environment", True),
    ("14.2(d)", "Negative interaction with the IT environment", True),
    ("14.5", "Interoperability", True),
    ("15.1", "Diagnostic or measuring function", True),
    ("16.1", "Protection against radiation", False),
    ("17.1", "Repeatability, reliability and performance of software", True),
    ("17.2", "State of the art software life cycle and information security", True),
    ("17.3", "Software for mobile computing platforms", True),
    ("17.4", "Minimum IT requirements", True),
    ("18.8", "Protection against unauthorised access", True),
    ("19.1", "Active implantable devices", False),
    ("20.1", "Mechanical risks", False),
    ("21.1", "Risks from energy or substances supplied", False),
    ("22.1", "Devices for use by lay persons", True),
    ("23.1", "General requirements on information supplied", True),
    ("23.2", "Information on the label", True),
    ("23.4", "Information in the instructions for use", True),
    ("23.4(ab)", "Minimum IT requirements in the IFU", True),
]


def clause_list(text: str) -> list[str]:
    """Clause numbers written one after the other, separated by white space."""
    return text.split()


IEC81001_CLAUSES = clause_list(
    """
    4.1.1 4.1.2 4.1.3 4.1.4 4.1.5 4.1.6 4.1.7 4.1.8 4.1.9 4.2 4.3 5.1.1 5.1.2 5.1.3 5.2.1
    5.2.2 5.2.3 5.3.1 5.3.2 5.3.3 5.4.1 5.4.2 5.4.3 5.4.4 5.5.1 5.5.2 5.6 5.7.1 5.7.2 5.7.3
    5.7.4 5.7.5 5.8.1 5.8.2 5.8.3 5.8.4 5.8.5 5.8.6 5.8.7 6.1.1 6.2.1 6.2.2 6.3.1 6.3.2
    6.3.3 7.1.1 7.1.2 7.2 7.3 7.4 7.5 8 9.1 9.2 9.3 9.4 9.5
    """
)
IEC62304_CLAUSES = clause_list(
    """
    4.1 4.2 4.3 4.4 5.1.1 5.1.2 5.1.3 5.1.4 5.1.5 5.1.6 5.1.7 5.1.8 5.1.9 5.1.10 5.1.11
    5.1.12 5.2.1 5.2.2 5.2.3 5.2.4 5.2.5 5.2.6 5.3.1 5.3.2 5.3.3 5.3.4 5.3.5 5.3.6 5.4.1
    5.4.2 5.4.3 5.4.4 5.5.1 5.5.2 5.5.3 5.5.4 5.5.5 5.6.1 5.6.2 5.6.3 5.6.4 5.6.5 5.6.6
    5.6.7 5.6.8 5.7.1 5.7.2 5.7.3 5.7.4 5.7.5 5.8.1 5.8.2 5.8.3 5.8.4 5.8.5 5.8.6 5.8.7
    5.8.8 6.1 6.2.1 6.2.2 6.2.3 6.2.4 6.2.5 6.3.1 6.3.2 7.1.1 7.1.2 7.1.3 7.1.4 7.2.1 7.2.2
    7.3.1 7.3.3 7.4.1 7.4.2 7.4.3 8.1.1 8.1.2 8.1.3 8.2.1 8.2.2 8.2.3 8.2.4 8.3 9.1 9.2 9.3
    9.4 9.5 9.6 9.7 9.8
    """
)
ISO14971_CLAUSES = clause_list(
    """
    4.1 4.2 4.3 4.4 4.5 5.1 5.2 5.3 5.4 5.5 6 7.1 7.2 7.3 7.4 7.5 7.6 8 9 10.1 10.2 10.3
    10.4
    """
)
# the clauses each conformity matrix lists, one matrix per standard in turn
CM_STANDARDS: list[tuple[str, list[str]]] = [
    (IEC81001, IEC81001_CLAUSES),
    (IEC62304, IEC62304_CLAUSES),
    (ISO14971, ISO14971_CLAUSES),
]
# the life-cycle documents that are product evidence and process evidence for the matrices
PRODUCT_SECURITY_DOCS = ["SEC-PLAN-0001", "SEC-CTX-0001", "SEC-ARCH-0001"]
PROCESS_SECURITY_DOCS = ["SCS-0001", "CVD-0001", "VMP-0001"]
INTENDED_PURPOSE = (
    f"{DEVICE} is software intended to analyse single-lead ECG recordings taken by "
    "adult patients with a compatible wearable ECG recorder, to detect signs of "
    "atrial fibrillation and other arrhythmias, and to present the recordings and "
    "the analysis results to a treating clinician for review. It does not make a "
    "diagnosis and is not intended for use in emergencies."
)


# -- building ----------------------------------------------------------------------------------


def add_device_description(gen: Generator) -> Doc:
    doc = gen.add("device-description", "DD", 1, "device", f"{DEVICE} Device Description")
    doc.path = "device/device-description.md"
    return doc


def add_gspr_checklist(gen: Generator) -> Doc:
    doc = gen.add(
        "gspr-checklist", "GSPR", 1, "regulatory", f"{DEVICE} GSPR Checklist (MDR Annex I)"
    )
    doc.path = "regulatory/gspr-checklist.md"
    return doc


def build_conformity_matrices(gen: Generator) -> None:
    for i in range(1, gen.counts["conformity-matrix"] + 1):
        standard, clauses = CM_STANDARDS[(i - 1) % len(CM_STANDARDS)]
        doc = gen.add(
            "conformity-matrix",
            "CM",
            i,
            "regulatory/conformity",
            f"{DEVICE} Conformity Matrix for {standard}",
        )
        doc.data["standard"] = standard
        doc.data["clauses"] = clauses


def evidence_pool(gen: Generator) -> dict[str, list[str]]:
    """Approved documents only: a notified body assesses released documents (EV003)."""
    t = {name: [d for d in docs if d.status == "approved"] for name, docs in gen.by_type.items()}
    return {
        "risk": [d.id for d in t["risk-analysis"]] + ["RMP-0001"],
        "security": [
            d.id
            for d in t["threat-model"]
            + t["security-risk-assessment"]
            + t["security-requirements"]
            + t["security-test-report"]
        ]
        + PRODUCT_SECURITY_DOCS,
        "software": [
            d.id for d in t["software-requirements"] + t["test-report"] + t["soup-list"] + t["sbom"]
        ],
        "process": [d.id for d in t["qms-procedure"]] + PROCESS_SECURITY_DOCS,
    }


# -- rendering ---------------------------------------------------------------------------------


def render_device_description(gen: Generator, doc: Doc) -> list[str]:
    extra = [
        f"device_name: {DEVICE}",
        "device_class: IIa",
        "software_safety_class: B",
        "connected: true",
        "interoperates: true",
        "mobile_platforms: true",
    ]
    fm = front_matter(
        doc, extra, [ISO14971, IEC62304, IEC81001], ["MDR Annex I 14.5", "MDR Annex I 17.3"]
    )
    identification = [
        ["Manufacturer", COMPANY],
        ["Trade name", DEVICE],
        ["Software version", SOFTWARE_VERSION],
        ["EU classification", "Class IIa, MDR Annex VIII Rule 11"],
        ["Software safety class", f"B ({IEC62304})"],
    ]
    body = [
        "",
        f"# {doc.title}",
        "",
        "## 1 Identification",
        "",
        table(["Item", "Value"], identification),
        "",
        "## 2 Intended purpose",
        "",
        wrap(INTENDED_PURPOSE),
        "",
        "## 3 Description",
        "",
        gen.paragraph(4, 7),
        "",
        gen.paragraph(3, 5),
    ]
    return fm + body


def gspr_row(
    rng: Random, pool: dict[str, list[str]], gspr: str, title: str, applicable: bool
) -> list[str]:
    """A checklist row: up to three evidence documents of the requirement's kind, or why the
    requirement does not apply."""
    if not applicable:
        return [gspr, title, "No", "Software-only device: requirement does not apply", "", ""]
    major = int(gspr.split(".")[0].split("(")[0])
    kind = "security" if major in (17, 18) else "risk" if major <= 8 else "software"
    ev = sorted(set(rng.sample(pool[kind], min(3, len(pool[kind])))))
    std = IEC81001 if kind == "security" else ISO14971 if kind == "risk" else IEC62304
    return [gspr, title, "Yes", "", std, ", ".join(ev)]


def render_gspr_checklist(gen: Generator, doc: Doc) -> list[str]:
    rng = Random(f"{gen.seed}-gspr-{doc.version}")
    pool = evidence_pool(gen)
    rows = [gspr_row(rng, pool, *row) for row in GSPR_ROWS]
    fm = front_matter(doc, [], [ISO14971, IEC62304, IEC81001, ISO13485], [])
    body = [
        "",
        f"# {doc.title}",
        "",
        gen.paragraph(3, 4),
        "",
        table(
            ["GSPR", "Requirement", "Applicable", "Justification", "Standards", "Evidence"],
            rows,
            "rows",
        ),
    ]
    return fm + body


def render_conformity_matrix(gen: Generator, doc: Doc) -> list[str]:
    rng = Random(f"{gen.seed}-{doc.id}-{doc.version}")
    pool = evidence_pool(gen)
    standard = doc.data["standard"]
    kind = "security" if standard == IEC81001 else "risk" if standard == ISO14971 else "software"
    rows: list[list[str]] = []
    for clause in doc.data["clauses"]:
        ev = sorted({*rng.sample(pool[kind], min(2, len(pool[kind]))), rng.choice(pool["process"])})
        rows.append([clause, "Yes", ", ".join(ev), ""])
    fm = front_matter(doc, [f"standard: {ys(standard)}"], [standard], [])
    body = [
        "",
        f"# {doc.title}",
        "",
        gen.paragraph(2, 3),
        "",
        table(["Clause", "Applicable", "Evidence", "Justification"], rows, "rows"),
    ]
    return fm + body
