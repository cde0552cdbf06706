"""Risk analyses (EN ISO 14971): risk rows with the OpenRegulatory column set and a controls table.

Every risk row names the controls of its own document; every control cites the tests that verify
its implementation and its effectiveness. The acceptability matrix is the one the risk management
plan (`plans`) declares.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .device import IEC62304, ISO14971
from .front_matter import front_matter
from .markup import table, wrap, yn
from .model import Doc
from .requirements_and_tests import some_tests

if TYPE_CHECKING:
    from .technical_file import Generator

HAZARDS = [
    "Classifier misses an arrhythmia episode in the recording (false negative)",
    "Classifier flags sinus rhythm with ectopic beats as arrhythmia (false positive)",
    "Recording degraded by motion artefact or poor electrode contact",
    "ECG samples lost or altered during transfer",
    "Recording linked to the wrong patient record",
    "Upload delayed because the phone has no connectivity",
    "Alarm notification not delivered to the on-call clinician",
    "Result displayed with the wrong time zone",
    "Trend chart scaled incorrectly after a unit conversion",
    "Stale result shown after re-analysis with a newer model",
    "Report omits the most recent episodes",
    "Duplicate recordings inflate the episode burden",
    "Software update interrupted on the patient's phone",
    "Clinician account shared between users",
    "Result list truncated on small screens",
    "Threshold configuration changed without review",
    "Export to the EHR fails silently",
    "Battery saving mode stops background recording",
    "Heart rate computed from a saturated signal",
    "Language setting shows untranslated warnings",
]
SITUATIONS = [
    "Clinician relies on an all-clear result and does not follow up the patient",
    "Clinician starts treatment without a confirmatory ECG",
    "Noisy recording is classified and the result is taken at face value",
    "Distorted recording is analysed and reported as normal",
    "Clinician reviews and acts on another patient's data",
    "Clinician is unaware of a recorded episode for several days",
    "Result is not reviewed in time",
    "Patient with acute symptoms does not seek care",
    "Clinician misjudges the timing of an episode",
    "Clinician bases a decision on an outdated result",
    "Patient stops recording because the app appears broken",
    "Therapy is adjusted on the basis of an incorrect trend",
    "EHR shows a missing or wrong result",
    "Warnings are not understood by the patient",
]
HARMS = [
    "Delayed anticoagulation leading to ischaemic stroke",
    "Major bleeding from unnecessary anticoagulation",
    "Delayed diagnosis and treatment of arrhythmia",
    "Inappropriate therapy requiring medical intervention",
    "Syncope with injury from an untreated bradycardia",
    "Unnecessary invasive diagnostic procedure",
    "Anxiety and unnecessary clinic visit",
    "Delayed treatment of a symptomatic arrhythmia",
]
CONTROL_TEXT = [
    "Signal quality gate rejects recordings below the quality threshold",
    "Classifier locked and validated on an independent dataset",
    "Inconclusive class for recordings near the decision threshold",
    "ECG strip displayed with every classification for over-reading",
    "Store-and-forward upload with retry and notification after 24 hours",
    "IFU warning that an all-clear result does not rule out arrhythmia",
    "Patient identification shown with every recording and export",
    "Worklist orders urgent results first and marks them until reviewed",
    "Escalation e-mail when an urgent result is unreviewed for 72 hours",
    "Time stamps stored in UTC and shown in the clinician's local time",
    "End-to-end integrity check of recordings with per-packet CRC",
    "Result invalidated and re-queued when the model version changes",
    "Duplicate detection by recording hash before analysis",
    "Configuration changes require a second approver",
    "Responsive layout tested on the smallest supported screen",
    "Export failures raise an alert in the operations dashboard",
    "App requests an exemption from battery optimisation at setup",
    "Saturated segments excluded from heart rate computation",
    "Translation completeness check in the release pipeline",
    "Multi-factor authentication for clinician accounts",
]
CONTROL_TYPES = ["inherent-safety", "protective-measure", "information-for-safety"]

# severity -> probability -> acceptability, as in the bundled example (the RMP declares it)
MATRIX: dict[str, list[str]] = {
    "S1": ["acceptable", "acceptable", "acceptable", "acceptable", "reduce-afap"],
    "S2": ["acceptable", "acceptable", "acceptable", "reduce-afap", "reduce-afap"],
    "S3": ["acceptable", "acceptable", "reduce-afap", "reduce-afap", "unacceptable"],
    "S4": ["acceptable", "reduce-afap", "reduce-afap", "unacceptable", "unacceptable"],
    "S5": ["acceptable", "reduce-afap", "unacceptable", "unacceptable", "unacceptable"],
}

RISK_COLUMNS = [
    "ID",
    "Hazard",
    "Hazardous Situation",
    "Harm",
    "Source",
    "S",
    "P",
    "Acceptable",
    "Risk Control ID(s)",
    "S",
    "P",
    "Residual Acceptable",
    "Threat refs",
]
CONTROL_COLUMNS = [
    "ID",
    "Description",
    "Type",
    "Verification of implementation",
    "Verification of effectiveness",
    "New risks assessed",
]


def acceptable(severity: int, probability: int) -> bool:
    return MATRIX[f"S{severity}"][probability - 1] == "acceptable"


# -- building ----------------------------------------------------------------------------------


def build_risk_analyses(gen: Generator) -> None:
    rng = gen.rng
    for i in range(1, gen.counts["risk-analysis"] + 1):
        doc = gen.add(
            "risk-analysis",
            "RA",
            i,
            "risk/analyses",
            f"{gen.module_name().capitalize()} Risk Analysis",
        )
        ncontrols = rng.randint(10, 30)
        doc.data["controls"] = [new_control(gen, k) for k in range(1, ncontrols + 1)]
        doc.data["controls"][0]["type"] = "inherent-safety"
        doc.data["risks"] = [
            new_risk(gen, k, doc.data["controls"]) for k in range(1, rng.randint(20, 50) + 1)
        ]
        doc.references = ["RMP-0001"]


def new_control(gen: Generator, k: int) -> dict[str, Any]:
    rng = gen.rng
    return {
        "id": f"RC-{k:02d}",
        "description": rng.choice(CONTROL_TEXT),
        "type": rng.choice(CONTROL_TYPES),
        "implementation": some_tests(gen, 1),
        "effectiveness": some_tests(gen, rng.randint(1, 2), True),
        "new_risks": True,
    }


def new_risk(gen: Generator, k: int, controls: list[dict[str, Any]]) -> dict[str, Any]:
    rng = gen.rng
    s = rng.randint(2, 5)
    p = rng.randint(2, 5)
    rs = s
    best = max(q for q in range(1, p) if acceptable(s, q))
    rp = rng.randint(1, best)
    chosen = sorted(rng.sample(range(1, len(controls) + 1), rng.randint(1, 3)))
    if not acceptable(s, p) and all(
        controls[c - 1]["type"] == "information-for-safety" for c in chosen
    ):  # an unacceptable risk is never controlled by information for safety alone
        design = [i for i, c in enumerate(controls, 1) if c["type"] != "information-for-safety"]
        chosen = sorted({*chosen, rng.choice(design)})
    return {
        "id": f"R-{k:02d}",
        "hazard": rng.choice(HAZARDS),
        "situation": rng.choice(SITUATIONS),
        "harm": rng.choice(HARMS),
        "source": rng.choice(["safety", "software", "software", "usability"]),
        "s": s,
        "p": p,
        "controls": chosen,
        "rs": rs,
        "rp": rp,
        "threat_refs": [],
    }


def cite_test_reports(gen: Generator) -> None:
    """Each risk analysis also cites one test report in its references."""
    for doc in gen.by_type["risk-analysis"]:
        doc.references.append(gen.rng.choice(gen.by_type["test-report"]).id)


# -- rendering ---------------------------------------------------------------------------------


def risk_row(risk: dict[str, Any]) -> list[str]:
    s, p, rs, rp = risk["s"], risk["p"], risk["rs"], risk["rp"]
    return [
        risk["id"],
        risk["hazard"],
        risk["situation"],
        risk["harm"],
        risk["source"],
        f"S{s}",
        f"P{p}",
        yn(acceptable(s, p)),
        ", ".join(f"RC-{c:02d}" for c in risk["controls"]),
        f"S{rs}",
        f"P{rp}",
        yn(acceptable(rs, rp)),
        ", ".join(risk["threat_refs"]),
    ]


def control_row(control: dict[str, Any]) -> list[str]:
    return [
        control["id"],
        control["description"],
        control["type"],
        ", ".join(control["implementation"]),
        ", ".join(control["effectiveness"]),
        yn(control["new_risks"]),
    ]


def render_risk_analysis(gen: Generator, doc: Doc) -> list[str]:
    rows = [risk_row(r) for r in doc.data["risks"]]
    controls = [control_row(c) for c in doc.data["controls"]]
    fm = front_matter(
        doc,
        [],
        [ISO14971, IEC62304],
        [f"{ISO14971} 5", f"{ISO14971} 6", f"{ISO14971} 7", "MDR Annex I 3"],
    )
    body = [
        "",
        f"# {doc.title}",
        "",
        "## 1 Scope and method",
        "",
        gen.paragraph(3, 5),
        "",
        wrap(
            "Severity (S) and probability (P) use the levels of RMP-0001; the first S/P pair "
            "is the risk before control, the second pair the residual risk after all listed "
            "controls."
        ),
        "",
        "## 2 Risks",
        "",
        table(RISK_COLUMNS, rows, "risks"),
        "",
        "## 3 Risk controls",
        "",
        table(CONTROL_COLUMNS, controls, "controls"),
        "",
        "## 4 Summary",
        "",
        gen.paragraph(2, 4),
    ]
    return fm + body


# -- editing -----------------------------------------------------------------------------------


def edit_risk_analysis(gen: Generator, doc: Doc, kind: float) -> str | None:
    """Revise a hazardous situation or add a risk row; None leaves the content as it is."""
    rng = gen.rng
    if kind < 0.5:
        row = rng.choice(doc.data["risks"])
        row["situation"] = rng.choice(SITUATIONS)
        return f"Revised hazardous situation of {row['id']}"
    if kind < 0.7 and len(doc.data["risks"]) < 50:
        k = len(doc.data["risks"]) + 1
        doc.data["risks"].append(new_risk(gen, k, doc.data["controls"]))
        return f"Added risk R-{k:02d}"
    return None
