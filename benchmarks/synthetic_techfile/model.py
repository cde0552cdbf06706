"""The document record and the document mix of a technical file of N documents."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .device import AS_OF, HISTORY_START


@dataclass(eq=False)
class Doc:
    """One Markdown document: its identity, its life cycle and its family's data."""

    id: str
    type: str
    path: str
    title: str
    author: str
    approver: tuple[str, str]
    created: int = 0  # commit index that adds it
    major: int = 1
    minor: int = 0
    status: str = "approved"
    approved_on: dt.date = HISTORY_START
    next_review: dt.date = AS_OF
    history: list[tuple[str, dt.date, str]] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return f"{self.major}.{self.minor}"


TYPE_PLAN: list[tuple[str, float, str, str]] = [
    # type, weight among the variable part, id prefix, directory
    ("risk-analysis", 0.13, "RA", "risk/analyses"),
    ("threat-model", 0.05, "TM", "security/threat-models"),
    ("soup-list", 0.04, "SOUP", "software/soup"),
    ("conformity-matrix", 0.02, "CM", "regulatory/conformity"),
    ("software-requirements", 0.07, "SRS", "software/requirements"),
    ("security-requirements", 0.03, "SEC-REQ", "security/requirements"),
    ("test-report", 0.12, "TR", "verification/test-reports"),
    ("security-test-report", 0.05, "STR", "verification/security-tests"),
]
# the types whose documents come in pairs: type -> (paired type, id prefix, directory)
PAIRED: dict[str, tuple[str, str, str]] = {
    "threat-model": ("security-risk-assessment", "SRA", "security/risk-assessments"),
    "soup-list": ("sbom", "SBOM", "software/sbom"),
}
# One each: the secure life cycle documents of EN IEC 81001-5-1 (type, id prefix, title, clauses)
LIFECYCLE_DOCS: list[tuple[str, str, str, list[str]]] = [
    ("security-plan", "SEC-PLAN", "Security Plan", ["4.1.1", "5.1.1", "5.8.2", "6.1.1"]),
    ("security-context", "SEC-CTX", "Product Security Context", ["7.1.2"]),
    ("security-architecture", "SEC-ARCH", "Security Architecture", ["5.3.1"]),
    ("secure-coding-standard", "SCS", "Secure Coding Standard", ["5.1.3"]),
    ("cvd-policy", "CVD", "Coordinated Vulnerability Disclosure Policy", ["4.1.7"]),
    (
        "vulnerability-management-procedure",
        "VMP",
        "Vulnerability Management Procedure",
        ["9.2", "9.3", "9.4", "9.5"],
    ),
]
# device description, risk management plan, GSPR checklist and the life cycle documents
FIXED = 3 + len(LIFECYCLE_DOCS)
FIXED_TYPES = ", ".join(
    ["device-description", "risk-management-plan", "gspr-checklist"]
    + [t for t, *_ in LIFECYCLE_DOCS]
)
MIN_DOCS = 25


def plan_counts(n: int) -> dict[str, int]:
    """How many documents of each type a technical file of n documents has."""
    if n < MIN_DOCS:
        raise ValueError(f"--docs must be at least {MIN_DOCS}")
    variable = n - FIXED
    counts: dict[str, int] = {}
    used = 0
    for doc_type, weight, _, _ in TYPE_PLAN:
        count = max(1, round(variable * weight))
        counts[doc_type] = count
        used += count
        if doc_type in PAIRED:
            counts[PAIRED[doc_type][0]] = count
            used += count
    counts["it-security-requirements"] = max(1, round(counts["threat-model"] / 10))
    used += counts["it-security-requirements"]
    counts["qms-procedure"] = variable - used
    if counts["qms-procedure"] < 1:
        raise ValueError(f"--docs {n} is too small for the document mix")
    return counts
