"""The customer-responsibility annex (every mitigation the IT environment, the operator or the
user provides, and where the customer is told) and the check of the maintained disclosure
statements: their version and approval, and the PK findings of the run."""

from __future__ import annotations

from techfile.model.disclosure import disclosures, reliances, responsibility_targets
from techfile.model.register import latest_approval, text
from techfile.model.result import RunResult
from techfile.model.view import RunView
from techfile.pack.data import CheckRow, DisclosureCheck, Fact, Responsibility

PACK_FAMILY = "PK"


def responsibilities(view: RunView) -> tuple[Responsibility, ...]:
    statements = disclosures(view)
    listed = {d.label(): responsibility_targets(view, d) for d in statements}
    rows = []
    for reliance in reliances(view):
        description = text(reliance.item.get("description")) or ""
        rows.append(
            Responsibility(
                mitigation=reliance.label,
                description=" ".join(description.split()),
                by=reliance.by,
                told_in=tuple(d.label() for d in reliance.told_in),
                in_disclosures=tuple(
                    label for label, ids in listed.items() if id(reliance.item) in ids
                ),
            )
        )
    return tuple(rows)


def disclosure_check(view: RunView, result: RunResult) -> DisclosureCheck:
    facts = []
    for document in disclosures(view):
        approval = latest_approval(view, document)
        parts = [
            f"software version {text(document.meta.get('software_version')) or 'not stated'}",
            f"version {text(document.meta.get('version')) or 'not stated'}",
            f"status {document.status or 'not stated'}",
            f"approved {approval.date.isoformat()}"
            if approval and approval.date
            else "no dated approval",
        ]
        facts.append(Fact(document.label(), "; ".join(parts), (document.label(),)))
    findings = tuple(
        CheckRow(f.code, f.severity.label, f.message, f"{f.location.path}:{f.location.line}")
        for f in sorted(result.findings, key=lambda f: (f.location.path, f.location.line, f.code))
        if f.code.startswith(PACK_FAMILY)
    )
    return DisclosureCheck(tuple(facts), findings)
