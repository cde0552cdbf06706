"""QMS procedures (ISO 13485): prose bodies with responsibilities, steps and records."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .device import ISO13485
from .front_matter import front_matter
from .markup import wrap
from .model import Doc
from .prose import ACTIVITIES, RECORDS, ROLES

if TYPE_CHECKING:
    from .technical_file import Generator

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


# -- building ----------------------------------------------------------------------------------


def build_procedures(gen: Generator) -> None:
    """One procedure per topic; past the list of topics, topics repeat for parts of the device."""
    rng = gen.rng
    topics = list(PROCEDURE_TOPICS)
    for i in range(1, gen.counts["qms-procedure"] + 1):
        topic = topics[(i - 1) % len(topics)]
        if i > len(topics):
            topic = f"{topic}: {gen.module_name().capitalize()}"
        doc = gen.add("qms-procedure", "SOP", i, "qms/procedures", topic)
        doc.data["paragraphs"] = [gen.paragraph() for _ in range(rng.randint(4, 7))]
        doc.data["steps"] = [gen.sentence() for _ in range(rng.randint(4, 8))]


def cite_other_procedures(gen: Generator) -> None:
    """Each procedure cites up to three other procedures."""
    rng = gen.rng
    procedures = gen.by_type["qms-procedure"]
    for doc in procedures:
        doc.references = sorted(
            {rng.choice(procedures).id for _ in range(rng.randint(0, 3))} - {doc.id}
        )


# -- rendering ---------------------------------------------------------------------------------


def responsibilities(doc: Doc) -> list[str]:
    roles = ROLES[doc.created % 4 : doc.created % 4 + 3]
    return [
        f"- **{r.capitalize()}:** {a} and the related records"
        for r, a in zip(roles, ACTIVITIES[:3], strict=True)
    ]


def render_qms_procedure(gen: Generator, doc: Doc) -> list[str]:
    paras = doc.data["paragraphs"]
    fm = front_matter(doc, [], [ISO13485], [])
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
        *responsibilities(doc),
        "",
        "## 4 Procedure",
        "",
    ]
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


# -- editing -----------------------------------------------------------------------------------


def edit_qms_procedure(gen: Generator, doc: Doc, kind: float) -> str | None:
    """Reword one paragraph; None leaves the content as it is."""
    if kind >= 0.6:
        return None
    i = gen.rng.randrange(len(doc.data["paragraphs"]))
    doc.data["paragraphs"][i] = gen.paragraph()
    return "Reworded section after internal audit finding"
