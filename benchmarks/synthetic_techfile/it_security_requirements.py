"""IT security requirements: the part of the instructions for use that tells clinics and
patients about every mitigation the threat models expect from the environment, the operator or
the user (SDL008), with the minimum hardware and network (MDR Annex I 17.4, 23.4(ab)).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .device import DEVICE, IEC81001, SOFTWARE_VERSION
from .front_matter import front_matter
from .markup import table, wrap
from .model import Doc

if TYPE_CHECKING:
    from .technical_file import Generator

MINIMUM_HARDWARE = [
    ["Patient smartphone", "iOS 16 or later, or Android 11 or later, Bluetooth 5.0"],
    ["Clinician workstation", "A computer able to run a supported browser"],
    ["Browser", "Current or previous major version of Chrome, Edge or Firefox"],
]


def build_it_security_requirements(gen: Generator) -> None:
    """Part j declares the mitigations outside the product of every n-th threat model,
    starting at the j-th, for n parts."""
    parts = gen.counts["it-security-requirements"]
    tms = gen.by_type["threat-model"]
    for j in range(1, parts + 1):
        doc = gen.add(
            "it-security-requirements",
            "ITSEC",
            j,
            "security/it-requirements",
            f"{DEVICE} IT Security Requirements, Part {j}",
        )
        doc.status = "approved"
        mine = tms[j - 1 :: parts]
        doc.data["mitigations"] = [
            f"{tm.id}:{m['id']}"
            for tm in mine
            for m in tm.data["mitigations"]
            if m["implemented_by"] != "product"
        ]
        doc.references = [tm.id for tm in mine][:20]


def render_it_security_requirements(gen: Generator, doc: Doc) -> list[str]:
    extra: list[str] = []
    if doc.data["mitigations"]:
        extra = ["mitigations:", *[f"  - {m}" for m in doc.data["mitigations"]]]
    fm = front_matter(
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
        table(["Use", "Minimum requirement"], MINIMUM_HARDWARE),
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
    body += ["", "## Protection against unauthorised access", "", gen.paragraph(2, 4)]
    return fm + body
