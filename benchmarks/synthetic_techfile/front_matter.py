"""The YAML front-matter every generated document starts with."""

from __future__ import annotations

from .device import SOFTWARE_VERSION
from .markup import ys
from .model import Doc


def front_matter(
    doc: Doc, extra: list[str], standards: list[str], evidence_for: list[str]
) -> list[str]:
    """The front-matter lines: identity, approval, standards, evidence and references, then
    the family's own `extra` lines."""
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
