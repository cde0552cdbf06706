"""Software and security requirements, and the (security) test reports that verify them.

Tests cover requirements of "their" requirement documents; every requirement ends up verified
by at least one test, and both directions of each link are written (`covers`, `verified_by`).
"""

from __future__ import annotations

from random import Random
from typing import TYPE_CHECKING, Any

from .device import DEVICE, IEC62304, IEC81001, SOFTWARE_VERSION
from .front_matter import front_matter
from .markup import table
from .model import Doc

if TYPE_CHECKING:
    from .technical_file import Generator

REQ_SUBJECTS = [
    "The app",
    "The backend",
    "The clinician portal",
    "The analysis service",
    "The export service",
    "The notification service",
    "The pairing module",
    "The report generator",
    "The audit service",
    "The ingest API",
]
REQ_ACTIONS = [
    "shall reject recordings shorter than 30 seconds",
    "shall display the ECG strip with every classification",
    "shall retry failed uploads with exponential back-off for 24 hours",
    "shall mark unreviewed urgent results in the worklist",
    "shall store time stamps in UTC with the recording's offset",
    "shall verify the integrity of each recording before analysis",
    "shall log every change of a result's review status",
    "shall refuse to start when the model checksum does not match",
    "shall export results as HL7 FHIR R4 Observations",
    "shall show the patient's name and date of birth on every result page",
    "shall classify recordings below the quality threshold as unreadable",
    "shall complete an analysis within 60 seconds at nominal load",
    "shall send an escalation e-mail for urgent results unreviewed for 72 hours",
    "shall lock an account after five consecutive failed sign-ins",
    "shall expire sessions after 15 minutes of inactivity",
    "shall encrypt health data at rest with AES-256",
    "shall validate all API input against the published schema",
    "shall only accept recordings from the paired wearable",
]
TEST_TITLES = [
    "Upload retry and notification",
    "Signal quality gate",
    "Classifier verification",
    "Worklist order and markers",
    "Time zone handling",
    "Integrity check of recordings",
    "Audit log entries",
    "Model checksum check at start-up",
    "FHIR export conformance",
    "Patient identification on result pages",
    "Latency at nominal load",
    "Escalation e-mail",
    "Account lockout",
    "Session expiry",
    "Encryption at rest",
    "API input validation",
    "Pairing and rejection of unpaired wearables",
    "Labelling review",
]
SEC_TEST_TITLES = [
    "Authentication bypass attempts",
    "Authorisation and tenant isolation",
    "TLS configuration and certificate pinning",
    "Input fuzzing of the ingest API",
    "Rate limiting and denial-of-service resilience",
    "Container image scan",
    "Software composition analysis of the SBOM",
    "Bluetooth pairing attacks",
    "Session management",
    "Mobile app reverse engineering",
    "Export endpoint spoofing",
]


# -- building ----------------------------------------------------------------------------------


def requirement_text(rng: Random) -> str:
    return f"{rng.choice(REQ_SUBJECTS)} {rng.choice(REQ_ACTIONS)}."


def new_requirements(rng: Random, id_pattern: str, lo: int, hi: int) -> list[dict[str, Any]]:
    """lo to hi requirements, not yet verified; `id_pattern` formats their number."""
    return [
        {"id": id_pattern.format(k), "text": requirement_text(rng), "verified_by": []}
        for k in range(1, rng.randint(lo, hi) + 1)
    ]


def new_tests(
    rng: Random, id_pattern: str, titles: list[str], lo: int, hi: int
) -> list[dict[str, Any]]:
    """lo to hi passed tests that cover nothing yet; `id_pattern` formats their number."""
    return [
        {"id": id_pattern.format(k), "title": rng.choice(titles), "result": "pass", "covers": []}
        for k in range(1, rng.randint(lo, hi) + 1)
    ]


def build_requirements(gen: Generator) -> None:
    for i in range(1, gen.counts["software-requirements"] + 1):
        doc = gen.add(
            "software-requirements",
            "SRS",
            i,
            "software/requirements",
            f"{gen.module_name().capitalize()} Software Requirements",
        )
        doc.data["reqs"] = new_requirements(gen.rng, "SWR-{:03d}", 15, 40)
    for i in range(1, gen.counts["security-requirements"] + 1):
        doc = gen.add(
            "security-requirements",
            "SEC-REQ",
            i,
            "security/requirements",
            f"{gen.module_name().capitalize()} Security Requirements",
        )
        doc.data["reqs"] = new_requirements(gen.rng, "SR-{:02d}", 8, 20)


def build_test_reports(gen: Generator) -> None:
    rng = gen.rng
    for i in range(1, gen.counts["test-report"] + 1):
        doc = gen.add(
            "test-report",
            "TR",
            i,
            "verification/test-reports",
            f"{gen.module_name().capitalize()} Verification Test Report",
        )
        doc.data["tests"] = new_tests(rng, "TC-{:03d}", TEST_TITLES, 20, 50)
    for i in range(1, gen.counts["security-test-report"] + 1):
        doc = gen.add(
            "security-test-report",
            "STR",
            i,
            "verification/security-tests",
            f"{DEVICE} Security Test Report {i}",
        )
        doc.data["tests"] = new_tests(rng, "ST-{:02d}", SEC_TEST_TITLES, 8, 20)
        doc.data["findings"] = [
            {
                "id": f"F-{k:02d}",
                "severity": rng.choice(["low", "medium", "high"]),
                "status": "closed",
                "disposition": rng.choice(["fixed", "risk-accepted"]),
            }
            for k in range(1, rng.randint(0, 5) + 1)
        ]


def link_all_tests(gen: Generator) -> None:
    link_tests(gen, "software-requirements", "test-report")
    link_tests(gen, "security-requirements", "security-test-report")


def link_tests(gen: Generator, req_type: str, test_type: str) -> None:
    """Tests cover requirements of 'their' requirement documents; every requirement ends up
    verified by at least one test, and both directions are written."""
    req_docs = gen.by_type[req_type]
    test_docs = gen.by_type[test_type]
    for i, tdoc in enumerate(test_docs):
        group = [req_docs[i % len(req_docs)], req_docs[(i + 1) % len(req_docs)]]
        cover_requirements(gen.rng, tdoc, group)
    for j, rdoc in enumerate(req_docs):
        verify_the_rest(gen.rng, rdoc, j, test_docs)


def cover_requirements(rng: Random, tdoc: Doc, group: list[Doc]) -> None:
    """Each test of tdoc covers one or two requirements of the group's documents."""
    for test in tdoc.data["tests"]:
        for _ in range(rng.randint(1, 2)):
            rdoc = rng.choice(group)
            req = rng.choice(rdoc.data["reqs"])
            link(rdoc, req, tdoc, test)
    for rdoc in group:
        if rdoc.id not in tdoc.references:
            tdoc.references.append(rdoc.id)


def verify_the_rest(rng: Random, rdoc: Doc, j: int, test_docs: list[Doc]) -> None:
    """A test of one of two test reports (chosen by j, the requirement document's position)
    verifies each requirement that no test covers yet; the document cites the first six test
    reports that verify it."""
    for req in rdoc.data["reqs"]:
        if not req["verified_by"]:
            tdoc = test_docs[(2 * j + rng.randrange(2)) % len(test_docs)]
            link(rdoc, req, tdoc, rng.choice(tdoc.data["tests"]))
    rdoc.references = sorted(
        {r.split(":")[0] for q in rdoc.data["reqs"] for r in q["verified_by"]}
    )[:6]


def link(rdoc: Doc, req: dict[str, Any], tdoc: Doc, test: dict[str, Any]) -> None:
    """The test covers the requirement and the requirement is verified by the test."""
    cover = f"{rdoc.id}:{req['id']}"
    if cover not in test["covers"]:
        test["covers"].append(cover)
        req["verified_by"].append(f"{tdoc.id}:{test['id']}")


def some_tests(gen: Generator, k: int, security: bool = False) -> list[str]:
    """Up to k distinct test references; with `security`, mostly security tests."""
    rng = gen.rng
    out: list[str] = []
    for _ in range(k):
        kind = "security-test-report" if security and rng.random() < 0.6 else "test-report"
        tdoc = rng.choice(gen.by_type[kind])
        ref = f"{tdoc.id}:{rng.choice(tdoc.data['tests'])['id']}"
        if ref not in out:
            out.append(ref)
    return out


def cite_threat_models(gen: Generator) -> None:
    """Each security test report also cites one threat model in its references."""
    for doc in gen.by_type["security-test-report"]:
        doc.references = [*doc.references, gen.rng.choice(gen.by_type["threat-model"]).id]


# -- rendering ---------------------------------------------------------------------------------


def render_requirements(gen: Generator, doc: Doc, standard: str, clause: str) -> list[str]:
    rows = [[r["id"], r["text"], ", ".join(r["verified_by"])] for r in doc.data["reqs"]]
    fm = front_matter(doc, [], [standard], [f"{standard} {clause}"])
    body = [
        "",
        f"# {doc.title}",
        "",
        "## 1 Purpose",
        "",
        gen.paragraph(2, 4),
        "",
        "## 2 Requirements",
        "",
        table(["ID", "Text", "Verified by"], rows, "requirements"),
    ]
    return fm + body


def render_software_requirements(gen: Generator, doc: Doc) -> list[str]:
    return render_requirements(gen, doc, IEC62304, "5.2.1")


def render_security_requirements(gen: Generator, doc: Doc) -> list[str]:
    return render_requirements(gen, doc, IEC81001, "5.2.1")


def tests_table(doc: Doc) -> str:
    rows = [[t["id"], t["title"], t["result"], ", ".join(t["covers"])] for t in doc.data["tests"]]
    return table(["ID", "Title", "Result", "Covers"], rows, "tests")


def render_test_report(gen: Generator, doc: Doc) -> list[str]:
    fm = front_matter(doc, [], [IEC62304], [f"{IEC62304} 5.7", "MDR Annex I 17.1"])
    body = [
        "",
        f"# {doc.title}",
        "",
        "## 1 Test object and environment",
        "",
        f"- **Software:** {DEVICE} {SOFTWARE_VERSION}",
        "- **Environment:** staging cluster identical in configuration to production",
        "",
        "## 2 Method",
        "",
        gen.paragraph(3, 5),
        "",
        "## 3 Results",
        "",
        tests_table(doc),
    ]
    return fm + body


def security_test_front_matter(doc: Doc) -> list[str]:
    """Test type, test object, independence and findings of a security test report."""
    extra = [
        "test_type: [penetration-test, vulnerability-scan]",
        "test_object:",
        f"  product: {DEVICE}",
        f'  software_version: "{SOFTWARE_VERSION}"',
        "independence:",
        "  level: independent-organisation",
        "  means: Tests performed by an external security company under contract with QA.",
        "performed_by: Bastion Labs Security GmbH",
        f"date: {doc.approved_on.isoformat()}",
    ]
    if doc.data["findings"]:
        extra.append("findings:")
        for f in doc.data["findings"]:
            extra += [
                f"  - id: {f['id']}",
                f"    severity: {f['severity']}",
                f"    status: {f['status']}",
                f"    disposition: {f['disposition']}",
            ]
    return extra


def render_security_test_report(gen: Generator, doc: Doc) -> list[str]:
    fm = front_matter(
        doc,
        security_test_front_matter(doc),
        [IEC81001],
        [f"{IEC81001} 5.7.1", f"{IEC81001} 5.7.2", "MDR Annex I 18.8"],
    )
    body = [
        "",
        f"# {doc.title}",
        "",
        "## 1 Test object",
        "",
        gen.paragraph(2, 3),
        "",
        "## 2 Method",
        "",
        gen.paragraph(3, 4),
        "",
        "## 3 Tests",
        "",
        tests_table(doc),
    ]
    return fm + body


# -- editing -----------------------------------------------------------------------------------


def edit_test_report(gen: Generator, doc: Doc, kind: float) -> str | None:
    """Record a retest; None leaves the content as it is."""
    if kind >= 0.4:
        return None
    test = gen.rng.choice(doc.data["tests"])
    if "retest" not in test["title"]:
        test["title"] = f"{test['title']} (retest)"
    return f"Retest of {test['id']} recorded"


def edit_requirements(gen: Generator, doc: Doc, kind: float) -> str | None:
    """Reword a requirement; None leaves the content as it is."""
    if kind >= 0.5:
        return None
    req = gen.rng.choice(doc.data["reqs"])
    req["text"] = requirement_text(gen.rng)
    return f"Clarified {req['id']}"
