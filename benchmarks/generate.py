#!/usr/bin/env python3
"""Generate a realistic synthetic EU MDR technical file for benchmarking `techfile check`.

    python benchmarks/generate.py OUT_DIR --docs N --seed S [--commits C]

writes N Markdown documents (plus CycloneDX SBOM files beside the `sbom` documents and a
`.techfile.toml`) into OUT_DIR and makes OUT_DIR a git repository with a history of C commits
(default max(200, N/10)) that add the documents and then edit them (version bumps, revised risk
rows, reworded procedure paragraphs, new tests).

Everything is a pure function of (N, seed, C): the only randomness is `random.Random(seed)`,
dates are derived from fixed base dates, and the commits carry fixed author/committer
timestamps, so the files, the trees and the commit ids are byte-identical between runs.

The history is written with one `git fast-import` stream, so 10,000 documents and 1,000 commits
take seconds, not minutes. Only the standard library and the `git` executable are used.

Document mix (see `plan_counts`): one device description, one risk management plan and one GSPR
checklist; risk analyses (20-50 risk rows with the OpenRegulatory column set and a controls
table), threat models (threats and mitigations in front-matter), security risk assessments
(entry tables), software and security requirements, test reports and security test reports
(`tests` tables), SOUP lists with a paired `sbom` document and CycloneDX JSON file, conformity
matrices, IT security requirements (declaring the mitigations the environment, operator or user
provide), one each of the EN IEC 81001-5-1 life-cycle documents (security plan, context and
architecture, secure coding standard, CVD policy, vulnerability management procedure), and QMS
procedures with prose bodies. References between them all resolve:
risk rows -> controls (same document), threats <-> risk rows (`RA-xxxx:R-yy`), requirements <->
tests, controls and mitigations -> tests, security-risk-assessment entries -> threats,
mitigations and risk rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from typing import Any

AS_OF = dt.date(2026, 6, 30)
HISTORY_START = dt.date(2025, 7, 7)
HISTORY_END = dt.date(2026, 6, 12)
EPOCH_START = int(dt.datetime(2025, 7, 7, 9, 0, tzinfo=dt.UTC).timestamp())
DEVICE = "PulseGuard"
COMPANY = "Meridian Cardio Systems GmbH"
SOFTWARE_VERSION = "3.4.0"

ISO14971 = "EN ISO 14971:2019+A11:2021"
IEC62304 = "EN 62304:2006/A1:2015"
IEC81001 = "EN IEC 81001-5-1:2022"
IEC62366 = "EN 62366-1:2015+A1:2020"
ISO13485 = "EN ISO 13485:2016"

PEOPLE = [
    ("Tobias Brandt", "Head of Quality and Regulatory Affairs"),
    ("Dr. Sofia Marini", "Medical Director"),
    ("Jonas Albrecht", "CTO"),
    ("Mira Koskinen", "Head of Product Security"),
    ("Aylin Demir", "Lead Software Engineer"),
    ("Paul Okafor", "Test Manager"),
    ("Dr. Lena Hartmann", "CEO and Person Responsible for Regulatory Compliance"),
    ("Kenji Watanabe", "Systems Engineer"),
    ("Ines Carvalho", "Clinical Safety Officer"),
    ("Malik Haddad", "DevOps Lead"),
    ("Greta Lindqvist", "Usability Engineer"),
    ("Ravi Menon", "Quality Engineer"),
]

# ---------------------------------------------------------------------------------------------
# Vocabulary for realistic text


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
PACKAGES = [
    ("pypi", "numpy", "NumPy Developers"),
    ("pypi", "scipy", "SciPy Developers"),
    ("pypi", "onnxruntime", "Microsoft Corporation"),
    ("pypi", "fastapi", "Sebastian Ramirez"),
    ("pypi", "pydantic", "Pydantic Services Inc."),
    ("pypi", "uvicorn", "Encode OSS Ltd."),
    ("pypi", "sqlalchemy", "SQLAlchemy authors"),
    ("pypi", "psycopg", "The Psycopg Team"),
    ("pypi", "cryptography", "Python Cryptographic Authority"),
    ("pypi", "fhir.resources", "Md Nazrul Islam"),
    ("pypi", "httpx", "Encode OSS Ltd."),
    ("pypi", "celery", "Celery Project"),
    ("pypi", "redis", "Redis Inc."),
    ("pypi", "boto3", "Amazon Web Services"),
    ("pypi", "pandas", "pandas Development Team"),
    ("pypi", "structlog", "Hynek Schlawack"),
    ("pypi", "jinja2", "Pallets"),
    ("pypi", "weasyprint", "CourtBouillon"),
    ("pypi", "pyjwt", "Jose Padilla"),
    ("pypi", "alembic", "SQLAlchemy authors"),
    ("pypi", "orjson", "ijl"),
    ("pypi", "prometheus-client", "Prometheus authors"),
    ("pypi", "tenacity", "Julien Danjou"),
    ("pypi", "python-dateutil", "dateutil maintainers"),
    ("pypi", "wfdb", "MIT LCP"),
    ("npm", "react", "Meta Platforms"),
    ("npm", "react-dom", "Meta Platforms"),
    ("npm", "axios", "axios contributors"),
    ("npm", "date-fns", "date-fns contributors"),
    ("npm", "chart.js", "Chart.js contributors"),
    ("npm", "zod", "Colin McDonnell"),
    ("npm", "i18next", "i18next contributors"),
    ("npm", "dompurify", "Cure53"),
    ("npm", "react-router", "Remix Software"),
    ("npm", "lodash", "OpenJS Foundation"),
    ("npm", "uuid", "uuid contributors"),
    ("npm", "jose", "Filip Skokan"),
    ("npm", "@tanstack/react-query", "TanStack"),
    ("npm", "d3-scale", "Mike Bostock"),
    ("maven", "com.squareup.okhttp3/okhttp", "Square, Inc."),
    ("maven", "com.squareup.retrofit2/retrofit", "Square, Inc."),
    ("maven", "net.zetetic/sqlcipher-android", "Zetetic LLC"),
    ("maven", "com.google.code.gson/gson", "Google LLC"),
    ("maven", "androidx.room/room-runtime", "Google LLC"),
    ("maven", "org.jetbrains.kotlinx/kotlinx-coroutines-core", "JetBrains s.r.o."),
    ("maven", "com.jakewharton.timber/timber", "Jake Wharton"),
    ("maven", "no.nordicsemi.android/ble", "Nordic Semiconductor ASA"),
    ("swift", "github.com/Alamofire/Alamofire", "Alamofire Software Foundation"),
    ("swift", "github.com/realm/realm-swift", "Realm Inc."),
    ("swift", "github.com/apple/swift-crypto", "Apple Inc."),
    ("swift", "github.com/SnapKit/SnapKit", "SnapKit Team"),
    ("swift", "github.com/kishikawakatsumi/KeychainAccess", "Kishikawa Katsumi"),
    ("golang", "github.com/gin-gonic/gin", "Gin contributors"),
    ("golang", "github.com/jackc/pgx/v5", "Jack Christensen"),
    ("golang", "go.uber.org/zap", "Uber Technologies"),
    ("golang", "github.com/prometheus/client_golang", "Prometheus authors"),
    ("cargo", "serde", "serde-rs"),
    ("cargo", "tokio", "Tokio Contributors"),
    ("cargo", "ring", "Brian Smith"),
]
PURPOSES = [
    "Array handling of ECG samples",
    "Signal filtering and resampling",
    "Model inference",
    "REST API framework",
    "Schema validation",
    "ASGI server",
    "Database access layer",
    "Database driver",
    "Cryptographic verification",
    "FHIR resource models",
    "HTTP client",
    "Background task queue",
    "Caching",
    "Object storage access",
    "Tabular data processing",
    "Structured logging",
    "Report templating",
    "PDF rendering",
    "Token handling",
    "Database migrations",
    "JSON serialisation",
    "Metrics export",
    "Retry handling",
    "Date handling",
    "UI rendering",
    "Charting",
    "Input validation",
    "Localisation",
    "HTML sanitising",
    "Client-side routing",
    "Encrypted local storage",
    "Bluetooth LE stack",
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
PROCEDURE_TOPICS = [
    "Document and Record Control",
    "Management Review",
    "Internal Audit",
    "Complaint Handling",
    "Post-Market Surveillance",
    "Supplier Evaluation and Monitoring",
    "Training and Competence",
    "Change Control",
    "Software Release",
    "Corrective and Preventive Action",
    "Design and Development Planning",
    "Usability Engineering",
    "Clinical Evaluation",
    "Vigilance and Incident Reporting",
    "Software Problem Resolution",
    "Labelling Control",
    "Infrastructure and Backup",
    "Validation of Software Tools",
    "Configuration Management",
    "Product Security Incident Response",
]

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
CM_STANDARDS: list[tuple[str, list[str]]] = [
    (
        IEC81001,
        [
            "4.1.1",
            "4.1.2",
            "4.1.3",
            "4.1.4",
            "4.1.5",
            "4.1.6",
            "4.1.7",
            "4.1.8",
            "4.1.9",
            "4.2",
            "4.3",
            "5.1.1",
            "5.1.2",
            "5.1.3",
            "5.2.1",
            "5.2.2",
            "5.2.3",
            "5.3.1",
            "5.3.2",
            "5.3.3",
            "5.4.1",
            "5.4.2",
            "5.4.3",
            "5.4.4",
            "5.5.1",
            "5.5.2",
            "5.6",
            "5.7.1",
            "5.7.2",
            "5.7.3",
            "5.7.4",
            "5.7.5",
            "5.8.1",
            "5.8.2",
            "5.8.3",
            "5.8.4",
            "5.8.5",
            "5.8.6",
            "5.8.7",
            "6.1.1",
            "6.2.1",
            "6.2.2",
            "6.3.1",
            "6.3.2",
            "6.3.3",
            "7.1.1",
            "7.1.2",
            "7.2",
            "7.3",
            "7.4",
            "7.5",
            "8",
            "9.1",
            "9.2",
            "9.3",
            "9.4",
            "9.5",
        ],
    ),
    (
        IEC62304,
        [
            "4.1",
            "4.2",
            "4.3",
            "4.4",
            "5.1.1",
            "5.1.2",
            "5.1.3",
            "5.1.4",
            "5.1.5",
            "5.1.6",
            "5.1.7",
            "5.1.8",
            "5.1.9",
            "5.1.10",
            "5.1.11",
            "5.1.12",
            "5.2.1",
            "5.2.2",
            "5.2.3",
            "5.2.4",
            "5.2.5",
            "5.2.6",
            "5.3.1",
            "5.3.2",
            "5.3.3",
            "5.3.4",
            "5.3.5",
            "5.3.6",
            "5.4.1",
            "5.4.2",
            "5.4.3",
            "5.4.4",
            "5.5.1",
            "5.5.2",
            "5.5.3",
            "5.5.4",
            "5.5.5",
            "5.6.1",
            "5.6.2",
            "5.6.3",
            "5.6.4",
            "5.6.5",
            "5.6.6",
            "5.6.7",
            "5.6.8",
            "5.7.1",
            "5.7.2",
            "5.7.3",
            "5.7.4",
            "5.7.5",
            "5.8.1",
            "5.8.2",
            "5.8.3",
            "5.8.4",
            "5.8.5",
            "5.8.6",
            "5.8.7",
            "5.8.8",
            "6.1",
            "6.2.1",
            "6.2.2",
            "6.2.3",
            "6.2.4",
            "6.2.5",
            "6.3.1",
            "6.3.2",
            "7.1.1",
            "7.1.2",
            "7.1.3",
            "7.1.4",
            "7.2.1",
            "7.2.2",
            "7.3.1",
            "7.3.3",
            "7.4.1",
            "7.4.2",
            "7.4.3",
            "8.1.1",
            "8.1.2",
            "8.1.3",
            "8.2.1",
            "8.2.2",
            "8.2.3",
            "8.2.4",
            "8.3",
            "9.1",
            "9.2",
            "9.3",
            "9.4",
            "9.5",
            "9.6",
            "9.7",
            "9.8",
        ],
    ),
    (
        ISO14971,
        [
            "4.1",
            "4.2",
            "4.3",
            "4.4",
            "4.5",
            "5.1",
            "5.2",
            "5.3",
            "5.4",
            "5.5",
            "6",
            "7.1",
            "7.2",
            "7.3",
            "7.4",
            "7.5",
            "7.6",
            "8",
            "9",
            "10.1",
            "10.2",
            "10.3",
            "10.4",
        ],
    ),
]

# RMP matrix: severity -> probability -> acceptability (as in the bundled example)
MATRIX = {
    "S1": ["acceptable", "acceptable", "acceptable", "acceptable", "reduce-afap"],
    "S2": ["acceptable", "acceptable", "acceptable", "reduce-afap", "reduce-afap"],
    "S3": ["acceptable", "acceptable", "reduce-afap", "reduce-afap", "unacceptable"],
    "S4": ["acceptable", "reduce-afap", "reduce-afap", "unacceptable", "unacceptable"],
    "S5": ["acceptable", "reduce-afap", "unacceptable", "unacceptable", "unacceptable"],
}

# ---------------------------------------------------------------------------------------------
# YAML / Markdown helpers

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 .,_/()+'&:-]*")
_RESERVED = {"yes", "no", "true", "false", "on", "off", "null", "y", "n"}


def ys(value: str) -> str:
    """A YAML scalar for a string: plain where no YAML reader could misread it, else quoted."""
    if (
        _PLAIN.fullmatch(value)
        and ": " not in value
        and not value.endswith(":")
        and value.lower() not in _RESERVED
    ):
        return value
    return json.dumps(value, ensure_ascii=False)


def flow(values: list[str]) -> str:
    return "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in values) + "]"


def table(headers: list[str], rows: list[list[str]], marker: str | None = None) -> str:
    out = []
    if marker:
        out.append(f"<!-- techfile: items={marker} -->")
    out.append("| " + " | ".join(headers) + " |")
    out.append("|" + "---|" * len(headers))
    for row in rows:
        out.append("| " + " | ".join(c.replace("|", "/") for c in row) + " |")
    return "\n".join(out)


def yn(value: bool) -> str:
    return "Yes" if value else "No"


def wrap(text: str, width: int = 98) -> str:
    words = text.split()
    lines: list[str] = []
    line = ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# The model


@dataclass(eq=False)
class Doc:
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


TYPE_PLAN = [
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
PAIRED = {
    "threat-model": ("security-risk-assessment", "SRA", "security/risk-assessments"),
    "soup-list": ("sbom", "SBOM", "software/sbom"),
}
# One each: the secure life cycle documents of EN IEC 81001-5-1 (type, id prefix, title, clauses)
LIFECYCLE_DOCS = [
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


class Generator:
    def __init__(self, n: int, seed: int, commits: int) -> None:
        self.n = n
        self.seed = seed
        self.rng = Random(seed)
        self.prose = self.rng  # render() swaps in a per-document generator: stable re-renders
        self.commits = max(1, commits)
        self.counts = plan_counts(n)
        self.docs: list[Doc] = []
        self.by_type: dict[str, list[Doc]] = {}

    # -- helpers -----------------------------------------------------------------------------

    def person(self) -> tuple[str, str]:
        return self.rng.choice(PEOPLE)

    def add(self, doc_type: str, prefix: str, index: int, directory: str, title: str) -> Doc:
        rng = self.rng
        doc_id = f"{prefix}-{index:04d}"
        path = f"{directory}/{doc_id.lower()}.md"
        author = self.person()[0]
        approver = self.person()
        while approver[0] == author:
            approver = self.person()
        doc = Doc(doc_id, doc_type, path, title, author, approver)
        doc.major = rng.choice([1, 1, 1, 2, 2, 3])
        doc.minor = rng.randrange(0, 4)
        doc.status = rng.choices(["approved", "in-review", "draft"], [90, 6, 4])[0]
        if index == 1:  # the first of each type is approved, so every evidence pool has one
            doc.status = "approved"
        self.docs.append(doc)
        self.by_type.setdefault(doc_type, []).append(doc)
        return doc

    def sentence(self, rng: Random | None = None) -> str:
        rng = rng or self.prose
        return rng.choice(PROSE).format(
            role=rng.choice(ROLES),
            activity=rng.choice(ACTIVITIES),
            artefact=rng.choice(ARTEFACTS),
            record=rng.choice(RECORDS),
            days=rng.choice([5, 10, 15, 20, 30]),
            years=rng.choice([10, 15]),
        )

    def paragraph(self, lo: int = 3, hi: int = 6, rng: Random | None = None) -> str:
        rng = rng or self.prose
        return wrap(" ".join(self.sentence(rng) for _ in range(rng.randint(lo, hi))))

    def module_name(self) -> str:
        return f"{self.rng.choice(AREAS)} {self.rng.choice(COMPONENTS)}"

    # -- building the model ------------------------------------------------------------------

    def build(self) -> None:
        rng = self.rng
        c = self.counts
        self.dd = self.add("device-description", "DD", 1, "device", f"{DEVICE} Device Description")
        self.dd.path = "device/device-description.md"
        self.rmp = self.add(
            "risk-management-plan", "RMP", 1, "risk", f"{DEVICE} Risk Management Plan"
        )
        self.rmp.path = "risk/risk-management-plan.md"
        self.gspr = self.add(
            "gspr-checklist", "GSPR", 1, "regulatory", f"{DEVICE} GSPR Checklist (MDR Annex I)"
        )
        self.gspr.path = "regulatory/gspr-checklist.md"
        self.lifecycle = []
        for doc_type, prefix, title, clauses in LIFECYCLE_DOCS:
            doc = self.add(doc_type, prefix, 1, "security", f"{DEVICE} {title}")
            doc.path = f"security/{doc_type}.md"
            doc.data["clauses"] = clauses
            doc.data["paragraphs"] = [self.paragraph() for _ in range(rng.randint(4, 6))]
            self.lifecycle.append(doc)
        for doc in (self.dd, self.rmp, self.gspr, *self.lifecycle):
            doc.status = "approved"

        # requirements
        for i in range(1, c["software-requirements"] + 1):
            doc = self.add(
                "software-requirements",
                "SRS",
                i,
                "software/requirements",
                f"{self.module_name().capitalize()} Software Requirements",
            )
            doc.data["reqs"] = [
                {
                    "id": f"SWR-{k:03d}",
                    "text": f"{rng.choice(REQ_SUBJECTS)} {rng.choice(REQ_ACTIONS)}.",
                    "verified_by": [],
                }
                for k in range(1, rng.randint(15, 40) + 1)
            ]
        for i in range(1, c["security-requirements"] + 1):
            doc = self.add(
                "security-requirements",
                "SEC-REQ",
                i,
                "security/requirements",
                f"{self.module_name().capitalize()} Security Requirements",
            )
            doc.data["reqs"] = [
                {
                    "id": f"SR-{k:02d}",
                    "text": f"{rng.choice(REQ_SUBJECTS)} {rng.choice(REQ_ACTIONS)}.",
                    "verified_by": [],
                }
                for k in range(1, rng.randint(8, 20) + 1)
            ]
        # tests
        for i in range(1, c["test-report"] + 1):
            doc = self.add(
                "test-report",
                "TR",
                i,
                "verification/test-reports",
                f"{self.module_name().capitalize()} Verification Test Report",
            )
            doc.data["tests"] = [
                {
                    "id": f"TC-{k:03d}",
                    "title": rng.choice(TEST_TITLES),
                    "result": "pass",
                    "covers": [],
                }
                for k in range(1, rng.randint(20, 50) + 1)
            ]
        for i in range(1, c["security-test-report"] + 1):
            doc = self.add(
                "security-test-report",
                "STR",
                i,
                "verification/security-tests",
                f"{DEVICE} Security Test Report {i}",
            )
            doc.data["tests"] = [
                {
                    "id": f"ST-{k:02d}",
                    "title": rng.choice(SEC_TEST_TITLES),
                    "result": "pass",
                    "covers": [],
                }
                for k in range(1, rng.randint(8, 20) + 1)
            ]
            doc.data["findings"] = [
                {
                    "id": f"F-{k:02d}",
                    "severity": rng.choice(["low", "medium", "high"]),
                    "status": "closed",
                    "disposition": rng.choice(["fixed", "risk-accepted"]),
                }
                for k in range(1, rng.randint(0, 5) + 1)
            ]
        self.link_tests("software-requirements", "test-report")
        self.link_tests("security-requirements", "security-test-report")

        # risk analyses
        for i in range(1, c["risk-analysis"] + 1):
            doc = self.add(
                "risk-analysis",
                "RA",
                i,
                "risk/analyses",
                f"{self.module_name().capitalize()} Risk Analysis",
            )
            ncontrols = rng.randint(10, 30)
            doc.data["controls"] = [self.new_control(k) for k in range(1, ncontrols + 1)]
            doc.data["controls"][0]["type"] = "inherent-safety"
            doc.data["risks"] = [
                self.new_risk(k, doc.data["controls"]) for k in range(1, rng.randint(20, 50) + 1)
            ]
            doc.references = ["RMP-0001"]

        # threat models and their security risk assessments
        ras = self.by_type["risk-analysis"]
        for i in range(1, c["threat-model"] + 1):
            tm = self.add(
                "threat-model",
                "TM",
                i,
                "security/threat-models",
                f"{self.module_name().capitalize()} Threat Model",
            )
            nmit = rng.randint(8, 15)
            mitigations = []
            for k in range(1, nmit + 1):
                text, by = rng.choice(MITIGATION_TEXT)
                mitigations.append(
                    {
                        "id": f"M-{k:02d}",
                        "description": text,
                        "implemented_by": by,
                        "verified_by": self.some_tests(rng.randint(1, 3), security=True),
                    }
                )
            threats = []
            for k in range(1, rng.randint(8, 20) + 1):
                title, category = rng.choice(THREAT_TITLES)
                impact = rng.choices(
                    ["serious", "non-serious", "none", "unknown"], [40, 20, 35, 5]
                )[0]
                threat: dict[str, Any] = {
                    "id": f"T-{k:02d}",
                    "title": title,
                    "category": category,
                    "asset": rng.choice(ASSETS),
                    "safety_impact": impact,
                    "safety_impact_rationale": self.rationale(impact),
                    "risk_refs": [],
                    "mitigations": sorted(
                        rng.sample([m["id"] for m in mitigations], rng.randint(1, 3))
                    ),
                }
                if impact != "none":
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
                threats.append(threat)
            tm.data["threats"] = threats
            tm.data["mitigations"] = mitigations
            sra = self.add(
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
                for k, t in enumerate(threats, 1)
            ]
            sra.references = [tm.id, *tm.references[:3], "RMP-0001"]
            tm.references = [sra.id, *tm.references]

        # IT security requirements: tell clinics and patients about every mitigation that the
        # threat models expect from the environment, the operator or the user (SDL008)
        tms = self.by_type["threat-model"]
        for j in range(1, c["it-security-requirements"] + 1):
            doc = self.add(
                "it-security-requirements",
                "ITSEC",
                j,
                "security/it-requirements",
                f"{DEVICE} IT Security Requirements, Part {j}",
            )
            doc.status = "approved"
            mine = tms[j - 1 :: c["it-security-requirements"]]
            doc.data["mitigations"] = [
                f"{tm.id}:{m['id']}"
                for tm in mine
                for m in tm.data["mitigations"]
                if m["implemented_by"] != "product"
            ]
            doc.references = [tm.id for tm in mine][:20]

        # SOUP lists and SBOMs
        srs = self.by_type["software-requirements"]
        for i in range(1, c["soup-list"] + 1):
            soup = self.add(
                "soup-list",
                "SOUP",
                i,
                "software/soup",
                f"{self.module_name().capitalize()} SOUP List",
            )
            items = []
            for k, (eco, name, maker) in enumerate(
                sorted(rng.sample(PACKAGES, rng.randint(10, 40))), 1
            ):
                version = f"{rng.randint(0, 12)}.{rng.randint(0, 30)}.{rng.randint(0, 15)}"
                req_doc = rng.choice(srs)
                reqs = [f"{req_doc.id}:{r['id']}" for r in rng.sample(req_doc.data["reqs"], 2)]
                items.append(
                    {
                        "id": f"S-{k:02d}",
                        "name": name,
                        "version": version,
                        "manufacturer": maker,
                        "purl": f"pkg:{eco}/{name}@{version}",
                        "purpose": rng.choice(PURPOSES),
                        "requirements": ", ".join(reqs),
                        "support": rng.choice(["actively maintained", "security fixes only"]),
                        "end_of_support": (
                            AS_OF + dt.timedelta(days=rng.randrange(200, 1500))
                        ).isoformat()
                        if rng.random() < 0.6
                        else "not announced",
                    }
                )
            soup.data["items"] = items
            sbom = self.add(
                "sbom",
                "SBOM",
                i,
                "software/sbom",
                f"{soup.title.replace('SOUP List', 'Software Bill of Materials')}",
            )
            sbom.data["file"] = f"{sbom.id.lower()}.cdx.json"
            sbom.data["soup"] = soup
            sbom.references = [soup.id]
            soup.references = [sbom.id]

        # conformity matrices
        for i in range(1, c["conformity-matrix"] + 1):
            standard, clauses = CM_STANDARDS[(i - 1) % len(CM_STANDARDS)]
            doc = self.add(
                "conformity-matrix",
                "CM",
                i,
                "regulatory/conformity",
                f"{DEVICE} Conformity Matrix for {standard}",
            )
            doc.data["standard"] = standard
            doc.data["clauses"] = clauses

        # procedures
        topics = list(PROCEDURE_TOPICS)
        for i in range(1, c["qms-procedure"] + 1):
            topic = topics[(i - 1) % len(topics)]
            if i > len(topics):
                topic = f"{topic}: {self.module_name().capitalize()}"
            doc = self.add("qms-procedure", "SOP", i, "qms/procedures", topic)
            doc.data["paragraphs"] = [self.paragraph() for _ in range(rng.randint(4, 7))]
            doc.data["steps"] = [self.sentence() for _ in range(rng.randint(4, 8))]

        self.cross_references()

    def link_tests(self, req_type: str, test_type: str) -> None:
        """Tests cover requirements of 'their' requirement documents; every requirement ends up
        verified by at least one test, and both directions are written."""
        rng = self.rng
        req_docs = self.by_type[req_type]
        test_docs = self.by_type[test_type]
        prefix = "SRS" if req_type == "software-requirements" else "SEC-REQ"
        for i, tdoc in enumerate(test_docs):
            group = [req_docs[i % len(req_docs)], req_docs[(i + 1) % len(req_docs)]]
            for test in tdoc.data["tests"]:
                for _ in range(rng.randint(1, 2)):
                    rdoc = rng.choice(group)
                    req = rng.choice(rdoc.data["reqs"])
                    self._link(rdoc, req, tdoc, test)
            for rdoc in group:
                if rdoc.id not in tdoc.references:
                    tdoc.references.append(rdoc.id)
        for j, rdoc in enumerate(req_docs):
            for req in rdoc.data["reqs"]:
                if not req["verified_by"]:
                    tdoc = test_docs[(2 * j + rng.randrange(2)) % len(test_docs)]
                    self._link(rdoc, req, tdoc, rng.choice(tdoc.data["tests"]))
            rdoc.references = sorted(
                {r.split(":")[0] for q in rdoc.data["reqs"] for r in q["verified_by"]}
            )[:6]
        assert prefix

    @staticmethod
    def _link(rdoc: Doc, req: dict[str, Any], tdoc: Doc, test: dict[str, Any]) -> None:
        cover = f"{rdoc.id}:{req['id']}"
        if cover not in test["covers"]:
            test["covers"].append(cover)
            req["verified_by"].append(f"{tdoc.id}:{test['id']}")

    def some_tests(self, k: int, security: bool = False) -> list[str]:
        rng = self.rng
        out: list[str] = []
        for _ in range(k):
            kind = "security-test-report" if security and rng.random() < 0.6 else "test-report"
            tdoc = rng.choice(self.by_type[kind])
            ref = f"{tdoc.id}:{rng.choice(tdoc.data['tests'])['id']}"
            if ref not in out:
                out.append(ref)
        return out

    def rationale(self, impact: str) -> str:
        return {
            "serious": "Realisation of the threat can change results or their presentation so that "
            "treatment is wrong or delayed, with harm of severity S3 or above.",
            "non-serious": "Results are delayed but remain correct; the device is not used for "
            "emergencies, so only elective care is affected.",
            "none": "The threat affects confidentiality only; recordings, results and their "
            "availability to the treating clinician are unchanged.",
            "unknown": "The effect on results could not yet be determined and is under "
            "investigation; it is carried into the risk analysis as a precaution.",
        }[impact]

    def new_control(self, k: int) -> dict[str, Any]:
        rng = self.rng
        return {
            "id": f"RC-{k:02d}",
            "description": rng.choice(CONTROL_TEXT),
            "type": rng.choice(CONTROL_TYPES),
            "implementation": self.some_tests(1),
            "effectiveness": self.some_tests(rng.randint(1, 2), True),
            "new_risks": True,
        }

    def new_risk(self, k: int, controls: list[dict[str, Any]]) -> dict[str, Any]:
        rng = self.rng
        s = rng.randint(2, 5)
        p = rng.randint(2, 5)
        rs = s
        best = max(q for q in range(1, p) if MATRIX[f"S{s}"][q - 1] == "acceptable")
        rp = rng.randint(1, best)
        chosen = sorted(rng.sample(range(1, len(controls) + 1), rng.randint(1, 3)))
        if MATRIX[f"S{s}"][p - 1] != "acceptable" and all(
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

    def cross_references(self) -> None:
        rng = self.rng
        types = self.by_type
        # device description and plan reference a representative set
        self.dd.references = [
            "RMP-0001",
            "GSPR-0001",
            types["software-requirements"][0].id,
            types["security-requirements"][0].id,
        ]
        self.rmp.references = [
            "DD-0001",
            types["risk-analysis"][0].id,
            types["threat-model"][0].id,
            types["qms-procedure"][0].id,
        ]
        for doc in types["risk-analysis"]:
            doc.references.append(rng.choice(types["test-report"]).id)
        for doc in types["security-test-report"]:
            doc.references = [*doc.references, rng.choice(types["threat-model"]).id]
        for doc in types["qms-procedure"]:
            doc.references = sorted(
                {rng.choice(types["qms-procedure"]).id for _ in range(rng.randint(0, 3))} - {doc.id}
            )
        self.gspr.references = ["DD-0001", *[d.id for d in types["conformity-matrix"][:3]]]
        for doc in types["conformity-matrix"]:
            doc.references = ["GSPR-0001"]

    def evidence_pool(self) -> dict[str, list[str]]:
        """Approved documents only: a notified body assesses released documents (EV003)."""
        t = {
            name: [d for d in docs if d.status == "approved"] for name, docs in self.by_type.items()
        }
        product = ["SEC-PLAN-0001", "SEC-CTX-0001", "SEC-ARCH-0001"]
        process = ["SCS-0001", "CVD-0001", "VMP-0001"]
        pools = {
            "risk": [d.id for d in t["risk-analysis"]] + ["RMP-0001"],
            "security": [
                d.id
                for d in t["threat-model"]
                + t["security-risk-assessment"]
                + t["security-requirements"]
                + t["security-test-report"]
            ]
            + product,
            "software": [
                d.id
                for d in t["software-requirements"] + t["test-report"] + t["soup-list"] + t["sbom"]
            ],
            "process": [d.id for d in t["qms-procedure"]] + process,
        }
        return pools

    # -- rendering ---------------------------------------------------------------------------

    def front_matter(
        self, doc: Doc, extra: list[str], standards: list[str], evidence_for: list[str]
    ) -> list[str]:
        fm = [
            "---",
            f"id: {doc.id}",
            f"type: {doc.type}",
            f"title: {ys(doc.title)}",
            f'version: "{doc.version}"',
            f"status: {doc.status}",
            f"author: {ys(doc.author)}",
        ]
        if doc.status == "approved":
            fm += [
                "approvals:",
                f"  - by: {ys(doc.approver[0])}",
                f"    role: {ys(doc.approver[1])}",
                f"    date: {doc.approved_on.isoformat()}",
            ]
        fm.append(f"next_review: {doc.next_review.isoformat()}")
        if doc.type not in ("qms-procedure",):
            fm.append(f'software_version: "{SOFTWARE_VERSION}"')
        if standards:
            fm.append("standards:")
            fm += [f"  - {ys(s)}" for s in standards]
        if evidence_for:
            fm.append("evidence_for:")
            fm += [f"  - {ys(e)}" for e in evidence_for]
        if doc.references:
            fm.append("references:")
            fm += [f"  - {r}" for r in doc.references]
        fm += extra
        fm.append("---")
        return fm

    def history_section(self, doc: Doc) -> list[str]:
        out = ["", "## Revision history", ""]
        for version, date, text in doc.history:
            out.append(f"- {version} ({date.isoformat()}): {text}")
        return out

    def render(self, doc: Doc) -> bytes:
        renderer = getattr(self, "render_" + doc.type.replace("-", "_"))
        self.prose = Random(f"{self.seed}-{doc.id}")
        try:
            lines: list[str] = renderer(doc)
        finally:
            self.prose = self.rng
        lines += self.history_section(doc)
        return ("\n".join(lines) + "\n").encode("utf-8")

    def render_device_description(self, doc: Doc) -> list[str]:
        extra = [
            f"device_name: {DEVICE}",
            "device_class: IIa",
            "software_safety_class: B",
            "connected: true",
            "interoperates: true",
            "mobile_platforms: true",
        ]
        fm = self.front_matter(
            doc, extra, [ISO14971, IEC62304, IEC81001], ["MDR Annex I 14.5", "MDR Annex I 17.3"]
        )
        body = [
            "",
            f"# {doc.title}",
            "",
            "## 1 Identification",
            "",
            table(
                ["Item", "Value"],
                [
                    ["Manufacturer", COMPANY],
                    ["Trade name", DEVICE],
                    ["Software version", SOFTWARE_VERSION],
                    ["EU classification", "Class IIa, MDR Annex VIII Rule 11"],
                    ["Software safety class", f"B ({IEC62304})"],
                ],
            ),
            "",
            "## 2 Intended purpose",
            "",
            wrap(
                f"{DEVICE} is software intended to analyse single-lead ECG recordings taken by "
                "adult patients with a compatible wearable ECG recorder, to detect signs of "
                "atrial fibrillation and other arrhythmias, and to present the recordings and "
                "the analysis results to a treating clinician for review. It does not make a "
                "diagnosis and is not intended for use in emergencies."
            ),
            "",
            "## 3 Description",
            "",
            self.paragraph(4, 7),
            "",
            self.paragraph(3, 5),
        ]
        return fm + body

    def render_risk_management_plan(self, doc: Doc) -> list[str]:
        names = ["Negligible", "Minor", "Serious", "Critical", "Catastrophic"]
        pnames = ["Improbable", "Remote", "Occasional", "Probable", "Frequent"]
        extra = ["severity_levels:"]
        for i, name in enumerate(names, 1):
            extra += [f"  - id: S{i}", f"    name: {name}"]
        extra.append("probability_levels:")
        for i, name in enumerate(pnames, 1):
            extra += [f"  - id: P{i}", f"    name: {name}"]
        extra.append("acceptability_matrix:")
        for s, row in MATRIX.items():
            extra.append(f"  {s}:")
            extra += [f"    P{i}: {v}" for i, v in enumerate(row, 1)]
        extra += [
            "non_estimable_probability_criteria: >-",
            "  Where the probability of occurrence of harm cannot be estimated, in particular for",
            "  harms caused by a deliberate attack, the probability level is assigned from the",
            "  exploitability rating in the security risk assessment and evaluated with the same",
            "  matrix.",
        ]
        fm = self.front_matter(
            doc,
            extra,
            [ISO14971, IEC81001, ISO13485],
            [f"{ISO14971} 4.4", f"{IEC81001} 4.2", "MDR Annex I 3"],
        )
        body = [
            "",
            f"# {doc.title}",
            "",
            "## 1 Purpose and scope",
            "",
            self.paragraph(4, 6),
            "",
            "## 2 Severity levels",
            "",
            table(
                ["Level", "Name", "Definition"],
                [
                    [f"S{i}", n, d]
                    for i, (n, d) in enumerate(
                        zip(
                            names,
                            [
                                "Inconvenience or temporary discomfort",
                                "Temporary injury not requiring intervention",
                                "Injury requiring professional medical intervention",
                                "Permanent impairment or life-threatening injury",
                                "Death",
                            ],
                            strict=True,
                        ),
                        1,
                    )
                ],
            ),
            "",
            "## 3 Probability levels",
            "",
            table(
                ["Level", "Name", "Range"],
                [
                    [f"P{i}", n, r]
                    for i, (n, r) in enumerate(
                        zip(
                            pnames,
                            [
                                "< 10^-6",
                                "10^-6 to < 10^-5",
                                "10^-5 to < 10^-4",
                                "10^-4 to < 10^-3",
                                ">= 10^-3",
                            ],
                            strict=True,
                        ),
                        1,
                    )
                ],
            ),
            "",
            "## 4 Risk acceptability",
            "",
            table(
                ["Severity", "P1", "P2", "P3", "P4", "P5"], [[s, *row] for s, row in MATRIX.items()]
            ),
            "",
            self.paragraph(3, 5),
            "",
            "## 5 Verification of risk controls",
            "",
            self.paragraph(3, 5),
        ]
        return fm + body

    def render_gspr_checklist(self, doc: Doc) -> list[str]:
        rng = Random(f"{self.seed}-gspr-{doc.version}")
        pool = self.evidence_pool()
        rows = []
        for gspr, title, applicable in GSPR_ROWS:
            if applicable:
                major = int(gspr.split(".")[0].split("(")[0])
                kind = "security" if major in (17, 18) else "risk" if major <= 8 else "software"
                ev = sorted(set(rng.sample(pool[kind], min(3, len(pool[kind])))))
                std = IEC81001 if kind == "security" else ISO14971 if kind == "risk" else IEC62304
                rows.append([gspr, title, "Yes", "", std, ", ".join(ev)])
            else:
                rows.append(
                    [gspr, title, "No", "Software-only device: requirement does not apply", "", ""]
                )
        fm = self.front_matter(doc, [], [ISO14971, IEC62304, IEC81001, ISO13485], [])
        body = [
            "",
            f"# {doc.title}",
            "",
            self.paragraph(3, 4),
            "",
            table(
                ["GSPR", "Requirement", "Applicable", "Justification", "Standards", "Evidence"],
                rows,
                "rows",
            ),
        ]
        return fm + body

    def render_risk_analysis(self, doc: Doc) -> list[str]:
        risks = doc.data["risks"]
        rows = []
        for r in risks:
            s, p, rs, rp = r["s"], r["p"], r["rs"], r["rp"]
            rows.append(
                [
                    r["id"],
                    r["hazard"],
                    r["situation"],
                    r["harm"],
                    r["source"],
                    f"S{s}",
                    f"P{p}",
                    yn(MATRIX[f"S{s}"][p - 1] == "acceptable"),
                    ", ".join(f"RC-{c:02d}" for c in r["controls"]),
                    f"S{rs}",
                    f"P{rp}",
                    yn(MATRIX[f"S{rs}"][rp - 1] == "acceptable"),
                    ", ".join(r["threat_refs"]),
                ]
            )
        controls = [
            [
                c["id"],
                c["description"],
                c["type"],
                ", ".join(c["implementation"]),
                ", ".join(c["effectiveness"]),
                yn(c["new_risks"]),
            ]
            for c in doc.data["controls"]
        ]
        fm = self.front_matter(
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
            self.paragraph(3, 5),
            "",
            wrap(
                "Severity (S) and probability (P) use the levels of RMP-0001; the first S/P pair "
                "is the risk before control, the second pair the residual risk after all listed "
                "controls."
            ),
            "",
            "## 2 Risks",
            "",
            table(
                [
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
                ],
                rows,
                "risks",
            ),
            "",
            "## 3 Risk controls",
            "",
            table(
                [
                    "ID",
                    "Description",
                    "Type",
                    "Verification of implementation",
                    "Verification of effectiveness",
                    "New risks assessed",
                ],
                controls,
                "controls",
            ),
            "",
            "## 4 Summary",
            "",
            self.paragraph(2, 4),
        ]
        return fm + body

    def render_threat_model(self, doc: Doc) -> list[str]:
        extra = ["threats:"]
        for t in doc.data["threats"]:
            extra += [
                f"  - id: {t['id']}",
                f"    title: {ys(t['title'])}",
                f"    category: {t['category']}",
                f"    asset: {ys(t['asset'])}",
                f"    safety_impact: {t['safety_impact']}",
                "    safety_impact_rationale: >-",
                "      " + t["safety_impact_rationale"],
            ]
            if t["risk_refs"]:
                extra.append(f"    risk_refs: {flow(t['risk_refs'])}")
            extra.append(f"    mitigations: [{', '.join(t['mitigations'])}]")
        extra.append("mitigations:")
        for m in doc.data["mitigations"]:
            extra += [
                f"  - id: {m['id']}",
                f"    description: {ys(m['description'])}",
                f"    implemented_by: {m['implemented_by']}",
                f"    verified_by: {flow(m['verified_by'])}",
                "    new_risks_assessed: true",
            ]
        fm = self.front_matter(
            doc, extra, [IEC81001, ISO14971], [f"{IEC81001} 7.2", "MDR Annex I 17.2"]
        )
        body = [
            "",
            f"# {doc.title}",
            "",
            "## 1 Scope",
            "",
            self.paragraph(3, 5),
            "",
            "## 2 Method",
            "",
            self.paragraph(3, 5),
            "",
            "1. Wearable and app (Bluetooth LE radio)",
            "2. App and backend (internet)",
            "3. Backend and clinic EHR (mutual TLS)",
            "",
            "## 3 Review",
            "",
            self.paragraph(2, 3),
        ]
        return fm + body

    def render_security_risk_assessment(self, doc: Doc) -> list[str]:
        rows = [
            [
                e["id"],
                ", ".join(e["threat_refs"]),
                e["safety_impact"],
                e["safety_impact_rationale"],
                ", ".join(e["risk_refs"]),
                e["likelihood"],
                e["impact"],
                e["exploitability"],
                ", ".join(e["controls"]),
            ]
            for e in doc.data["entries"]
        ]
        fm = self.front_matter(
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
            self.paragraph(3, 5),
            "",
            "## 2 Assessment",
            "",
            table(
                [
                    "ID",
                    "Threat refs",
                    "Safety impact",
                    "Safety impact rationale",
                    "Risk refs",
                    "Likelihood",
                    "Impact",
                    "Exploitability",
                    "Controls",
                ],
                rows,
                "entries",
            ),
        ]
        return fm + body

    def render_requirements(self, doc: Doc, standard: str, clause: str) -> list[str]:
        rows = [[r["id"], r["text"], ", ".join(r["verified_by"])] for r in doc.data["reqs"]]
        fm = self.front_matter(doc, [], [standard], [f"{standard} {clause}"])
        body = [
            "",
            f"# {doc.title}",
            "",
            "## 1 Purpose",
            "",
            self.paragraph(2, 4),
            "",
            "## 2 Requirements",
            "",
            table(["ID", "Text", "Verified by"], rows, "requirements"),
        ]
        return fm + body

    def render_software_requirements(self, doc: Doc) -> list[str]:
        return self.render_requirements(doc, IEC62304, "5.2.1")

    def render_security_requirements(self, doc: Doc) -> list[str]:
        return self.render_requirements(doc, IEC81001, "5.2.1")

    def render_test_report(self, doc: Doc) -> list[str]:
        rows = [
            [t["id"], t["title"], t["result"], ", ".join(t["covers"])] for t in doc.data["tests"]
        ]
        fm = self.front_matter(doc, [], [IEC62304], [f"{IEC62304} 5.7", "MDR Annex I 17.1"])
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
            self.paragraph(3, 5),
            "",
            "## 3 Results",
            "",
            table(["ID", "Title", "Result", "Covers"], rows, "tests"),
        ]
        return fm + body

    def render_security_test_report(self, doc: Doc) -> list[str]:
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
        rows = [
            [t["id"], t["title"], t["result"], ", ".join(t["covers"])] for t in doc.data["tests"]
        ]
        fm = self.front_matter(
            doc, extra, [IEC81001], [f"{IEC81001} 5.7.1", f"{IEC81001} 5.7.2", "MDR Annex I 18.8"]
        )
        body = [
            "",
            f"# {doc.title}",
            "",
            "## 1 Test object",
            "",
            self.paragraph(2, 3),
            "",
            "## 2 Method",
            "",
            self.paragraph(3, 4),
            "",
            "## 3 Tests",
            "",
            table(["ID", "Title", "Result", "Covers"], rows, "tests"),
        ]
        return fm + body

    def render_soup_list(self, doc: Doc) -> list[str]:
        date = min(doc.approved_on, AS_OF).isoformat()
        rows = [
            [
                i["id"],
                i["name"],
                i["version"],
                i["manufacturer"],
                i["purl"],
                i["purpose"],
                i["requirements"],
                date,
                "GitHub issues and release notes, OSV",
                "No anomalies affecting the device",
                i["support"],
                i["end_of_support"],
            ]
            for i in doc.data["items"]
        ]
        fm = self.front_matter(
            doc,
            [],
            [IEC62304, IEC81001],
            [f"{IEC62304} 5.3.3", f"{IEC62304} 7.1.3", f"{IEC81001} 4.3"],
        )
        body = [
            "",
            f"# {doc.title}",
            "",
            "## 1 Scope",
            "",
            self.paragraph(2, 4),
            "",
            "## 2 SOUP items",
            "",
            table(
                [
                    "ID",
                    "Name",
                    "Version",
                    "Manufacturer",
                    "PURL",
                    "Purpose",
                    "Requirements",
                    "Anomaly review date",
                    "Anomaly review source",
                    "Anomaly review result",
                    "Support level",
                    "End of support",
                ],
                rows,
                "items",
            ),
        ]
        return fm + body

    def render_sbom(self, doc: Doc) -> list[str]:
        extra = [f"file: {doc.data['file']}", "format: cyclonedx-json"]
        fm = self.front_matter(doc, extra, [IEC81001], [f"{IEC81001} 4.3"])
        body = [
            "",
            f"# {doc.title}",
            "",
            wrap(
                f"The machine-readable SBOM is [{doc.data['file']}]({doc.data['file']}), in "
                "CycloneDX 1.5 JSON format, generated by the release pipeline from the lock files."
            ),
            "",
            self.paragraph(2, 4),
        ]
        return fm + body

    def sbom_json(self, doc: Doc) -> bytes:
        soup: Doc = doc.data["soup"]
        serial = uuid.UUID(
            int=Random(f"{self.seed}-{doc.id}-{doc.version}").getrandbits(128), version=4
        )
        components = [
            {
                "type": "library",
                "bom-ref": i["purl"],
                "supplier": {"name": i["manufacturer"]},
                "name": i["name"],
                "version": i["version"],
                "purl": i["purl"],
            }
            for i in soup.data["items"]
        ]
        bom = {
            "$schema": "http://cyclonedx.org/schema/bom-1.5.schema.json",
            "bomFormat": "CycloneDX",
            "specVersion": "1.5",
            "serialNumber": f"urn:uuid:{serial}",
            "version": 1,
            "metadata": {
                "timestamp": f"{doc.approved_on.isoformat()}T09:00:00Z",
                "component": {
                    "type": "application",
                    "bom-ref": f"urn:meridian:{DEVICE.lower()}@{SOFTWARE_VERSION}",
                    "supplier": {"name": COMPANY},
                    "name": DEVICE,
                    "version": SOFTWARE_VERSION,
                },
                "supplier": {"name": COMPANY},
            },
            "components": components,
            "dependencies": [
                {
                    "ref": f"urn:meridian:{DEVICE.lower()}@{SOFTWARE_VERSION}",
                    "dependsOn": [c["bom-ref"] for c in components],
                }
            ],
        }
        return (json.dumps(bom, indent=2, ensure_ascii=False) + "\n").encode("utf-8")

    def render_conformity_matrix(self, doc: Doc) -> list[str]:
        rng = Random(f"{self.seed}-{doc.id}-{doc.version}")
        pool = self.evidence_pool()
        standard = doc.data["standard"]
        kind = (
            "security" if standard == IEC81001 else "risk" if standard == ISO14971 else "software"
        )
        rows = []
        for clause in doc.data["clauses"]:
            ev = sorted(
                {*rng.sample(pool[kind], min(2, len(pool[kind]))), rng.choice(pool["process"])}
            )
            rows.append([clause, "Yes", ", ".join(ev), ""])
        extra = [f"standard: {ys(standard)}"]
        fm = self.front_matter(doc, extra, [standard], [])
        body = [
            "",
            f"# {doc.title}",
            "",
            self.paragraph(2, 3),
            "",
            table(["Clause", "Applicable", "Evidence", "Justification"], rows, "rows"),
        ]
        return fm + body

    def render_lifecycle(self, doc: Doc) -> list[str]:
        paras = doc.data["paragraphs"]
        fm = self.front_matter(
            doc, [], [IEC81001], [f"{IEC81001} {c}" for c in doc.data["clauses"]]
        )
        body = ["", f"# {doc.title}", "", "## 1 Purpose and scope", "", paras[0], ""]
        for k, para in enumerate(paras[1:], 2):
            body += [f"## {k} {ACTIVITIES[(k * 7 + len(para)) % len(ACTIVITIES)].capitalize()}", ""]
            body += [para, ""]
        return fm + body[:-1]

    render_security_plan = render_lifecycle
    render_security_context = render_lifecycle
    render_security_architecture = render_lifecycle
    render_secure_coding_standard = render_lifecycle
    render_cvd_policy = render_lifecycle
    render_vulnerability_management_procedure = render_lifecycle

    def render_it_security_requirements(self, doc: Doc) -> list[str]:
        extra = []
        if doc.data["mitigations"]:
            extra = ["mitigations:", *[f"  - {m}" for m in doc.data["mitigations"]]]
        fm = self.front_matter(
            doc,
            extra,
            [IEC81001],
            [f"{IEC81001} 5.8.7", "MDR Annex I 17.4", "MDR Annex I 23.4(ab)"],
        )
        body = [
            "",
            f"# {doc.title}",
            "",
            wrap(
                f"This document is part of the instructions for use of {DEVICE} "
                f"{SOFTWARE_VERSION}. It sets out the minimum requirements concerning hardware, IT "
                "network characteristics and IT security measures, including protection against "
                "unauthorised access, that clinics and patients must meet."
            ),
            "",
            "## Hardware",
            "",
            table(
                ["Use", "Minimum requirement"],
                [
                    [
                        "Patient smartphone",
                        "iOS 16 or later, or Android 11 or later, Bluetooth 5.0",
                    ],
                    ["Clinician workstation", "A computer able to run a supported browser"],
                    ["Browser", "Current or previous major version of Chrome, Edge or Firefox"],
                ],
            ),
            "",
            "## IT network characteristics",
            "",
            "- Patient smartphones need internet access (mobile data or Wi-Fi).",
            "- Clinic networks must allow outbound HTTPS (TCP 443) to the service domains.",
            "",
            "## IT security measures",
            "",
        ]
        body += [f"- {m}: see the threat model" for m in doc.data["mitigations"][:12]]
        body += ["", "## Protection against unauthorised access", "", self.paragraph(2, 4)]
        return fm + body

    def render_qms_procedure(self, doc: Doc) -> list[str]:
        paras = doc.data["paragraphs"]
        fm = self.front_matter(doc, [], [ISO13485], [])
        body = [
            "",
            f"# {doc.id} {doc.title}",
            "",
            "## 1 Purpose",
            "",
            paras[0],
            "",
            "## 2 Scope",
            "",
            paras[1],
            "",
            "## 3 Responsibilities",
            "",
        ]
        body += [
            f"- **{r.capitalize()}:** {a} and the related records"
            for r, a in zip(
                ROLES[doc.created % 4 : doc.created % 4 + 3], ACTIVITIES[:3], strict=True
            )
        ]
        body += ["", "## 4 Procedure", ""]
        body += [f"{i}. {wrap(step)}" for i, step in enumerate(doc.data["steps"], 1)]
        for k, para in enumerate(paras[2:], 1):
            body += [
                "",
                f"### 4.{k} {ACTIVITIES[(len(para) + k) % len(ACTIVITIES)].capitalize()}",
                "",
                para,
            ]
        body += [
            "",
            "## 5 Records",
            "",
            f"Records are kept in the {RECORDS[len(paras[0]) % len(RECORDS)]}.",
        ]
        return fm + body

    # -- history -----------------------------------------------------------------------------

    def date_of(self, commit: int) -> dt.date:
        span = (HISTORY_END - HISTORY_START).days
        return HISTORY_START + dt.timedelta(days=span * commit // max(1, self.commits - 1))

    def timestamp_of(self, commit: int) -> int:
        span = (HISTORY_END - HISTORY_START).days * 86400
        return EPOCH_START + span * commit // max(1, self.commits - 1) + (commit % 7) * 61

    def stamp(self, doc: Doc, commit: int, text: str) -> None:
        doc.approved_on = self.date_of(commit)
        doc.next_review = max(
            doc.approved_on + dt.timedelta(days=365),
            AS_OF + dt.timedelta(days=30 + self.rng.randrange(300)),
        )
        doc.history.append((doc.version, doc.approved_on, text))

    def edit(self, doc: Doc, commit: int) -> str:
        """Change a document as a team would, bump its version, and say what changed."""
        rng = self.rng
        doc.minor += 1
        what = "Periodic review, no content change"
        kind = rng.random()
        if doc.type == "risk-analysis" and kind < 0.5:
            row = rng.choice(doc.data["risks"])
            row["situation"] = rng.choice(SITUATIONS)
            what = f"Revised hazardous situation of {row['id']}"
        elif doc.type == "risk-analysis" and kind < 0.7 and len(doc.data["risks"]) < 50:
            k = len(doc.data["risks"]) + 1
            doc.data["risks"].append(self.new_risk(k, doc.data["controls"]))
            what = f"Added risk R-{k:02d}"
        elif doc.type == "qms-procedure" and kind < 0.6:
            i = rng.randrange(len(doc.data["paragraphs"]))
            doc.data["paragraphs"][i] = self.paragraph()
            what = "Reworded section after internal audit finding"
        elif doc.type in ("test-report", "security-test-report") and kind < 0.4:
            test = rng.choice(doc.data["tests"])
            test["title"] = (
                f"{test['title']} (retest)" if "retest" not in test["title"] else test["title"]
            )
            what = f"Retest of {test['id']} recorded"
        elif doc.type in ("software-requirements", "security-requirements") and kind < 0.5:
            req = rng.choice(doc.data["reqs"])
            req["text"] = f"{rng.choice(REQ_SUBJECTS)} {rng.choice(REQ_ACTIONS)}."
            what = f"Clarified {req['id']}"
        elif doc.type == "soup-list" and kind < 0.5:
            item = rng.choice(doc.data["items"])
            major, minor, patch = item["version"].split(".")
            item["version"] = f"{major}.{minor}.{int(patch) + 1}"
            item["purl"] = item["purl"].rsplit("@", 1)[0] + "@" + item["version"]
            what = f"Updated {item['name']} to {item['version']}"
        self.stamp(doc, commit, what)
        return what


def git(repo: Path, *args: str, **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": f"{EPOCH_START} +0000",
        "GIT_COMMITTER_DATE": f"{EPOCH_START} +0000",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "LC_ALL": "C",
    }
    return subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, **kwargs)


def generate(out: Path, n: int, seed: int, commits: int | None = None) -> dict[str, Any]:
    """Write the technical file and its git history into `out` (created; must be empty)."""
    commits = commits if commits is not None else max(200, n // 10)
    gen = Generator(n, seed, commits)
    gen.build()
    rng = gen.rng
    docs = gen.docs

    # Commit plan: commit 0 adds the configuration and the core documents; the next commits
    # (about a tenth of the history) add the remaining documents in batches; the rest edit them.
    adding = max(1, min(commits - 1, max(1, commits // 10))) if commits > 1 else 0
    core = [gen.dd, gen.rmp, gen.gspr]
    rest = [d for d in docs if d not in core]
    batches: list[list[Doc]] = [list(core)]
    if adding:
        size = -(-len(rest) // adding)
        batches += [rest[i : i + size] for i in range(0, len(rest), size)]
    else:
        batches[0] += rest
    for index, batch in enumerate(batches):
        for doc in batch:
            doc.created = index
            gen.stamp(doc, index, "Initial release" if doc.status == "approved" else "First draft")

    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise SystemExit(f"generate: {out} is not empty")
    git(out, "init", "-q")
    git(out, "config", "core.autocrlf", "false")
    git(out, "config", "user.name", "Benchmark Generator")
    git(out, "config", "user.email", "bench@example.invalid")

    config = (
        "# techfile configuration of a synthetic benchmark technical file\n"
        "# (benchmarks/generate.py).\n"
        f"# documents: {n}, seed: {seed}, commits: {commits}\n"
        f'as-of = "{AS_OF.isoformat()}"\n\n'
        "[device]\n"
        f'name = "{DEVICE}"\n'
        'class = "IIa"\n'
        'software_safety_class = "B"\n'
        "connected = true\n"
        "interoperates = true\n"
        'markets = ["EU", "US"]\n'
        "mobile_platforms = true\n"
        f'software_version = "{SOFTWARE_VERSION}"\n'
    ).encode()

    gitignore = b"# techfile's parse and history cache\n.techfile_cache/\n"
    current: dict[str, bytes] = {".techfile.toml": config, ".gitignore": gitignore}
    proc = subprocess.Popen(
        ["git", "-C", str(out), "fast-import", "--quiet", "--done"],
        stdin=subprocess.PIPE,
        env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull},
    )
    assert proc.stdin is not None
    stream = proc.stdin
    by_dir = {d.id: d for d in docs}
    authors = [
        (name, name.lower().replace("dr. ", "").replace(" ", ".") + "@meridian.example")
        for name, _ in PEOPLE
    ]

    def commit(index: int, message: str, files: dict[str, bytes]) -> None:
        name, email = authors[index % len(authors)]
        when = gen.timestamp_of(index)
        msg = message.encode()
        chunks = [
            b"commit refs/heads/main\n",
            f"mark :{index + 1}\n".encode(),
            f"author {name} <{email}> {when} +0000\n".encode(),
            f"committer {name} <{email}> {when} +0000\n".encode(),
            f"data {len(msg)}\n".encode(),
            msg,
            b"\n",
        ]
        if index > 0:
            chunks.append(f"from :{index}\n".encode())
        for path in sorted(files):
            data = files[path]
            chunks += [
                f"M 100644 inline {path}\n".encode(),
                f"data {len(data)}\n".encode(),
                data,
                b"\n",
            ]
        chunks.append(b"\n")
        stream.write(b"".join(chunks))

    def rendered(doc: Doc) -> dict[str, bytes]:
        files = {doc.path: gen.render(doc)}
        if doc.type == "sbom":
            files[str(Path(doc.path).parent / doc.data["file"])] = gen.sbom_json(doc)
        return files

    for index, batch in enumerate(batches):
        files: dict[str, bytes] = (
            {".techfile.toml": config, ".gitignore": gitignore} if index == 0 else {}
        )
        for doc in batch:
            files.update(rendered(doc))
        current.update(files)
        kinds = sorted({d.type for d in batch})
        more = ", ..." if len(kinds) > 4 else ""
        message = (
            f"Add {len(batch)} documents ({', '.join(kinds[:4])}{more})"
            if index
            else "Add techfile configuration, device description, risk management plan and "
            "GSPR checklist"
        )
        commit(index, message + "\n", files)

    weights = {
        "risk-analysis": 6,
        "qms-procedure": 2,
        "test-report": 3,
        "software-requirements": 2,
        "security-requirements": 1,
        "threat-model": 1,
        "soup-list": 2,
        "security-test-report": 1,
    }
    editable = [d for d in docs if d.type in weights]
    edit_weights = [weights[d.type] for d in editable]
    for index in range(len(batches), commits):
        targets = rng.choices(editable, edit_weights, k=rng.choice([1, 1, 1, 2, 2, 3, 4]))
        files = {}
        notes = []
        for doc in dict.fromkeys(targets):
            notes.append(f"{doc.id}: {gen.edit(doc, index)}")
            files.update(rendered(doc))
            if doc.type == "soup-list":  # the SBOM follows the SOUP list
                sbom = by_dir[doc.id.replace("SOUP", "SBOM")]
                sbom.minor += 1
                gen.stamp(sbom, index, f"Regenerated from {doc.id} {doc.version}")
                files.update(rendered(sbom))
        current.update(files)
        subject = notes[0] if len(notes) == 1 else f"Update {len(notes)} documents"
        commit(index, subject + "\n\n" + "\n".join(f"- {n}" for n in notes) + "\n", files)
    stream.write(b"done\n")
    stream.close()
    if proc.wait() != 0:
        raise SystemExit("generate: git fast-import failed")

    git(out, "symbolic-ref", "HEAD", "refs/heads/main")
    # Materialise the work tree and the index from HEAD; git's parallel checkout writes many
    # small files several times faster than a Python loop on slow file systems.
    git(out, "-c", "checkout.workers=8", "reset", "-q", "--hard")
    return {
        "documents": len(docs),
        "files": len(current),
        "commits": commits,
        "counts": dict(sorted(gen.counts.items())),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="directory to create (must not exist or be empty)")
    parser.add_argument("--docs", type=int, required=True, help="number of Markdown documents")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--commits", type=int, default=None, help="default: max(200, docs/10)")
    parser.add_argument("--force", action="store_true", help="delete OUT first if it exists")
    args = parser.parse_args(argv)
    if args.force and args.out.exists():
        shutil.rmtree(args.out)
    started = time.perf_counter()
    try:
        info = generate(args.out, args.docs, args.seed, args.commits)
    except ValueError as problem:
        parser.error(str(problem))
    elapsed = time.perf_counter() - started
    print(
        f"generated {info['documents']} documents ({info['files']} files) and {info['commits']} "
        f"commits in {args.out} in {elapsed:.1f} s",
        file=sys.stderr,
    )
    mix = ", ".join(f"{name} {count}" for name, count in info["counts"].items())
    print(f"document mix: {mix} (+1 each: {FIXED_TYPES})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
