"""Threat models and their security risk assessments (EN IEC 81001-5-1).

Threats name their mitigations and, where they have a safety impact, the risk rows they lead to
(`RA-xxxx:R-yy`), and those risk rows name the threats back. Each threat model has a security
risk assessment whose entries cite the threat, its risk rows and its mitigations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .device import IEC81001, ISO14971
from .front_matter import front_matter
from .markup import flow, table, ys
from .model import Doc
from .requirements_and_tests import some_tests

if TYPE_CHECKING:
    from .technical_file import Generator

THREAT_TITLES = [
    ("Clinician account takeover by phishing or credential stuffing", "spoofing"),
    (
        "Cross-organisation access through broken object-level authorisation",
        "information-disclosure",
    ),
    ("Denial of service against the public API", "denial-of-service"),
    ("Malicious code injected through the build pipeline", "tampering"),
    ("Manipulation of exported results in transit", "tampering"),
    ("Tampering with recordings between app and backend", "tampering"),
    ("Rogue Bluetooth device pairs with the app", "spoofing"),
    ("Exploitation of an API vulnerability to gain privileged access", "elevation-of-privilege"),
    ("Audit entries altered or review actions denied", "repudiation"),
    ("Leak of API keys from the mobile app binary", "information-disclosure"),
    ("Replay of captured upload requests", "spoofing"),
    ("Compromised third-party dependency with a known vulnerability", "tampering"),
    ("Exhaustion of the notification queue", "denial-of-service"),
    ("Session fixation in the clinician portal", "elevation-of-privilege"),
    ("Injection through free-text fields in reports", "tampering"),
]
ASSETS = [
    "Clinician accounts and review status",
    "ECG recordings (integrity)",
    "Results database",
    "Audit log",
    "Build pipeline and container images",
    "Exported results in the EHR",
    "Pairing between wearable and patient",
    "Availability of the analysis service",
    "Patient identifiers (confidentiality)",
]
MITIGATION_TEXT = [
    ("Multi-factor authentication for all portal accounts", "product"),
    ("Account lockout after repeated failed sign-ins", "product"),
    ("Server-side authorisation with organisation isolation on every API call", "product"),
    ("Rate limiting and web application firewall in front of the public API", "product"),
    ("Hash-pinned dependencies and signed container images", "product"),
    ("Mutual TLS for the export to registered endpoints", "product"),
    ("Signature of each recording verified by the backend", "product"),
    ("Certificate pinning in the mobile apps", "product"),
    ("Clinic workstations with patched browsers and endpoint protection", "environment"),
    ("Clinic IT registers and monitors the EHR endpoint", "operator"),
    ("Patients keep the phone operating system up to date", "user"),
    ("Append-only audit log with hash chaining", "product"),
    ("Daily software composition analysis against the SBOM", "product"),
    ("Nonce and timestamp checks on upload requests", "product"),
    ("Output encoding of free-text fields", "product"),
]
LEVELS = ["very low", "low", "medium", "high"]
SAFETY_IMPACT_RATIONALE = {
    "serious": "Realisation of the threat can change results or their presentation so that "
    "treatment is wrong or delayed, with harm of severity S3 or above.",
    "non-serious": "Results are delayed but remain correct; the device is not used for "
    "emergencies, so only elective care is affected.",
    "none": "The threat affects confidentiality only; recordings, results and their "
    "availability to the treating clinician are unchanged.",
    "unknown": "The effect on results could not yet be determined and is under "
    "investigation; it is carried into the risk analysis as a precaution.",
}
SRA_COLUMNS = [
    "ID",
    "Threat refs",
    "Safety impact",
    "Safety impact rationale",
    "Risk refs",
    "Likelihood",
    "Impact",
    "Exploitability",
    "Controls",
]


# -- building ----------------------------------------------------------------------------------


def build_threat_models(gen: Generator) -> None:
    """Threat models, each with its security risk assessment."""
    rng = gen.rng
    ras = gen.by_type["risk-analysis"]
    for i in range(1, gen.counts["threat-model"] + 1):
        tm = gen.add(
            "threat-model",
            "TM",
            i,
            "security/threat-models",
            f"{gen.module_name().capitalize()} Threat Model",
        )
        mitigations = [new_mitigation(gen, k) for k in range(1, rng.randint(8, 15) + 1)]
        threats = []
        for k in range(1, rng.randint(8, 20) + 1):
            threat = new_threat(gen, k, mitigations)
            if threat["safety_impact"] != "none":
                link_threat_to_risks(gen, tm, threat, ras)
            threats.append(threat)
        tm.data["threats"] = threats
        tm.data["mitigations"] = mitigations
        add_security_risk_assessment(gen, i, tm)


def new_mitigation(gen: Generator, k: int) -> dict[str, Any]:
    rng = gen.rng
    text, by = rng.choice(MITIGATION_TEXT)
    return {
        "id": f"M-{k:02d}",
        "description": text,
        "implemented_by": by,
        "verified_by": some_tests(gen, rng.randint(1, 3), security=True),
    }


def new_threat(gen: Generator, k: int, mitigations: list[dict[str, Any]]) -> dict[str, Any]:
    rng = gen.rng
    title, category = rng.choice(THREAT_TITLES)
    impact = rng.choices(["serious", "non-serious", "none", "unknown"], [40, 20, 35, 5])[0]
    return {
        "id": f"T-{k:02d}",
        "title": title,
        "category": category,
        "asset": rng.choice(ASSETS),
        "safety_impact": impact,
        "safety_impact_rationale": SAFETY_IMPACT_RATIONALE[impact],
        "risk_refs": [],
        "mitigations": sorted(rng.sample([m["id"] for m in mitigations], rng.randint(1, 3))),
    }


def link_threat_to_risks(gen: Generator, tm: Doc, threat: dict[str, Any], ras: list[Doc]) -> None:
    """One or two risk rows the threat leads to, both directions, and the documents cite each
    other."""
    rng = gen.rng
    for _ in range(rng.randint(1, 2)):
        ra = rng.choice(ras)
        row = rng.choice(ra.data["risks"])
        ref = f"{ra.id}:{row['id']}"
        if ref in threat["risk_refs"]:
            continue
        threat["risk_refs"].append(ref)
        row["source"] = "security"
        row["threat_refs"].append(f"{tm.id}:{threat['id']}")
        if ra.id not in tm.references:
            tm.references.append(ra.id)
        if tm.id not in ra.references:
            ra.references.append(tm.id)


def add_security_risk_assessment(gen: Generator, i: int, tm: Doc) -> None:
    rng = gen.rng
    sra = gen.add(
        "security-risk-assessment",
        "SRA",
        i,
        "security/risk-assessments",
        tm.title.replace("Threat Model", "Security Risk Assessment"),
    )
    sra.data["entries"] = [
        {
            "id": f"E-{k:02d}",
            "threat_refs": [f"{tm.id}:{t['id']}"],
            "safety_impact": t["safety_impact"],
            "safety_impact_rationale": t["safety_impact_rationale"],
            "risk_refs": list(t["risk_refs"]),
            "likelihood": rng.choice(LEVELS),
            "impact": rng.choice(LEVELS[1:]),
            "exploitability": rng.choice(LEVELS),
            "controls": [f"{tm.id}:{m}" for m in t["mitigations"]],
        }
        for k, t in enumerate(tm.data["threats"], 1)
    ]
    sra.references = [tm.id, *tm.references[:3], "RMP-0001"]
    tm.references = [sra.id, *tm.references]


# -- rendering ---------------------------------------------------------------------------------


def threat_front_matter(threat: dict[str, Any]) -> list[str]:
    lines = [
        f"  - id: {threat['id']}",
        f"    title: {ys(threat['title'])}",
        f"    category: {threat['category']}",
        f"    asset: {ys(threat['asset'])}",
        f"    safety_impact: {threat['safety_impact']}",
        "    safety_impact_rationale: >-",
        "      " + threat["safety_impact_rationale"],
    ]
    if threat["risk_refs"]:
        lines.append(f"    risk_refs: {flow(threat['risk_refs'])}")
    lines.append(f"    mitigations: [{', '.join(threat['mitigations'])}]")
    return lines


def mitigation_front_matter(mitigation: dict[str, Any]) -> list[str]:
    return [
        f"  - id: {mitigation['id']}",
        f"    description: {ys(mitigation['description'])}",
        f"    implemented_by: {mitigation['implemented_by']}",
        f"    verified_by: {flow(mitigation['verified_by'])}",
        "    new_risks_assessed: true",
    ]


def render_threat_model(gen: Generator, doc: Doc) -> list[str]:
    extra = ["threats:"]
    for threat in doc.data["threats"]:
        extra += threat_front_matter(threat)
    extra.append("mitigations:")
    for mitigation in doc.data["mitigations"]:
        extra += mitigation_front_matter(mitigation)
    fm = front_matter(doc, extra, [IEC81001, ISO14971], [f"{IEC81001} 7.2", "MDR Annex I 17.2"])
    body = [
        "",
        f"# {doc.title}",
        "",
        "## 1 Scope",
        "",
        gen.paragraph(3, 5),
        "",
        "## 2 Method",
        "",
        gen.paragraph(3, 5),
        "",
        "1. Wearable and app (Bluetooth LE radio)",
        "2. App and backend (internet)",
        "3. Backend and clinic EHR (mutual TLS)",
        "",
        "## 3 Review",
        "",
        gen.paragraph(2, 3),
    ]
    return fm + body


def assessment_row(entry: dict[str, Any]) -> list[str]:
    return [
        entry["id"],
        ", ".join(entry["threat_refs"]),
        entry["safety_impact"],
        entry["safety_impact_rationale"],
        ", ".join(entry["risk_refs"]),
        entry["likelihood"],
        entry["impact"],
        entry["exploitability"],
        ", ".join(entry["controls"]),
    ]


def render_security_risk_assessment(gen: Generator, doc: Doc) -> list[str]:
    rows = [assessment_row(e) for e in doc.data["entries"]]
    fm = front_matter(
        doc,
        [],
        [IEC81001, ISO14971],
        [f"{IEC81001} 7.3", f"{IEC81001} 7.4", "MDR Annex I 17.2"],
    )
    body = [
        "",
        f"# {doc.title}",
        "",
        "## 1 Method",
        "",
        gen.paragraph(3, 5),
        "",
        "## 2 Assessment",
        "",
        table(SRA_COLUMNS, rows, "entries"),
    ]
    return fm + body
