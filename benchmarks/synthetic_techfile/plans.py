"""The plans and policies there is one of: the risk management plan (EN ISO 14971) and the secure
life-cycle documents of EN IEC 81001-5-1 (security plan, product security context, security
architecture, secure coding standard, CVD policy, vulnerability management procedure).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .device import DEVICE, IEC81001, ISO13485, ISO14971
from .front_matter import front_matter
from .markup import table
from .model import LIFECYCLE_DOCS, Doc
from .prose import ACTIVITIES
from .risk import MATRIX

if TYPE_CHECKING:
    from .technical_file import Generator

SEVERITY_LEVELS = [
    ("Negligible", "Inconvenience or temporary discomfort"),
    ("Minor", "Temporary injury not requiring intervention"),
    ("Serious", "Injury requiring professional medical intervention"),
    ("Critical", "Permanent impairment or life-threatening injury"),
    ("Catastrophic", "Death"),
]
PROBABILITY_LEVELS = [
    ("Improbable", "< 10^-6"),
    ("Remote", "10^-6 to < 10^-5"),
    ("Occasional", "10^-5 to < 10^-4"),
    ("Probable", "10^-4 to < 10^-3"),
    ("Frequent", ">= 10^-3"),
]
LIFECYCLE_TYPES = [doc_type for doc_type, *_ in LIFECYCLE_DOCS]
NON_ESTIMABLE_PROBABILITY = [
    "non_estimable_probability_criteria: >-",
    "  Where the probability of occurrence of harm cannot be estimated, in particular for",
    "  harms caused by a deliberate attack, the probability level is assigned from the",
    "  exploitability rating in the security risk assessment and evaluated with the same",
    "  matrix.",
]


# -- building ----------------------------------------------------------------------------------


def add_risk_management_plan(gen: Generator) -> Doc:
    doc = gen.add("risk-management-plan", "RMP", 1, "risk", f"{DEVICE} Risk Management Plan")
    doc.path = "risk/risk-management-plan.md"
    return doc


def add_lifecycle_documents(gen: Generator) -> list[Doc]:
    """One document of each EN IEC 81001-5-1 life-cycle type, with four to six paragraphs."""
    documents: list[Doc] = []
    for doc_type, prefix, title, clauses in LIFECYCLE_DOCS:
        doc = gen.add(doc_type, prefix, 1, "security", f"{DEVICE} {title}")
        doc.path = f"security/{doc_type}.md"
        doc.data["clauses"] = clauses
        doc.data["paragraphs"] = [gen.paragraph() for _ in range(gen.rng.randint(4, 6))]
        documents.append(doc)
    return documents


# -- rendering ---------------------------------------------------------------------------------


def risk_scales_front_matter() -> list[str]:
    """The severity and probability levels and the acceptability matrix, as the RMP declares
    them."""
    extra = ["severity_levels:"]
    for i, (name, _) in enumerate(SEVERITY_LEVELS, 1):
        extra += [f"  - id: S{i}", f"    name: {name}"]
    extra.append("probability_levels:")
    for i, (name, _) in enumerate(PROBABILITY_LEVELS, 1):
        extra += [f"  - id: P{i}", f"    name: {name}"]
    extra.append("acceptability_matrix:")
    for s, row in MATRIX.items():
        extra.append(f"  {s}:")
        extra += [f"    P{i}: {v}" for i, v in enumerate(row, 1)]
    return extra + NON_ESTIMABLE_PROBABILITY


def render_risk_management_plan(gen: Generator, doc: Doc) -> list[str]:
    fm = front_matter(
        doc,
        risk_scales_front_matter(),
        [ISO14971, IEC81001, ISO13485],
        [f"{ISO14971} 4.4", f"{IEC81001} 4.2", "MDR Annex I 3"],
    )
    severities = [[f"S{i}", n, d] for i, (n, d) in enumerate(SEVERITY_LEVELS, 1)]
    probabilities = [[f"P{i}", n, r] for i, (n, r) in enumerate(PROBABILITY_LEVELS, 1)]
    body = [
        "",
        f"# {doc.title}",
        "",
        "## 1 Purpose and scope",
        "",
        gen.paragraph(4, 6),
        "",
        "## 2 Severity levels",
        "",
        table(["Level", "Name", "Definition"], severities),
        "",
        "## 3 Probability levels",
        "",
        table(["Level", "Name", "Range"], probabilities),
        "",
        "## 4 Risk acceptability",
        "",
        table(["Severity", "P1", "P2", "P3", "P4", "P5"], [[s, *row] for s, row in MATRIX.items()]),
        "",
        gen.paragraph(3, 5),
        "",
        "## 5 Verification of risk controls",
        "",
        gen.paragraph(3, 5),
    ]
    return fm + body


def render_lifecycle(gen: Generator, doc: Doc) -> list[str]:
    """A life-cycle document: its paragraphs under headings named after QMS activities."""
    paras = doc.data["paragraphs"]
    fm = front_matter(doc, [], [IEC81001], [f"{IEC81001} {c}" for c in doc.data["clauses"]])
    body = ["", f"# {doc.title}", "", "## 1 Purpose and scope", "", paras[0], ""]
    for k, para in enumerate(paras[1:], 2):
        body += [f"## {k} {ACTIVITIES[(k * 7 + len(para)) % len(ACTIVITIES)].capitalize()}", ""]
        body += [para, ""]
    return fm + body[:-1]
