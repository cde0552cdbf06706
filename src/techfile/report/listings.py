"""Sections 4 to 6 of the readiness report: the findings by family, the deviation list (every
suppression and waiver) and the documents the report was made from."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict

from techfile.model.evidence import document_status
from techfile.model.evidence_classes import document_class, kind_name
from techfile.model.result import RunResult
from techfile.model.view import RunView
from techfile.report.data import Deviation, DocumentRow, FindingGroup, FindingRow, shown_text


def findings(result: RunResult) -> tuple[FindingGroup, ...]:
    """The findings by family, the family with the worst and the most findings first."""
    groups: dict[str, list[FindingRow]] = defaultdict(list)
    worst: dict[str, int] = defaultdict(int)
    for finding in result.findings:
        page = result.pages.get(finding.code)
        family = page.family if page else "other"
        loc = finding.location
        groups[family].append(
            FindingRow(
                severity=finding.severity.label,
                code=finding.code,
                name=page.name if page else "",
                clause=finding.clause or (page.clause_text if page else ""),
                document=loc.doc_id or "",
                path=loc.path,
                line=loc.line,
                message=finding.message,
            )
        )
        worst[family] = max(worst[family], int(finding.severity))
    order = sorted(groups, key=lambda f: (-worst[f], -len(groups[f]), f))
    return tuple(FindingGroup(family, tuple(groups[family])) for family in order)


def deviations(result: RunResult) -> tuple[Deviation, ...]:
    """Every suppression and waiver but the baseline, with how many findings it suppressed."""
    used = Counter(s.by for s in result.suppressed)
    found = []
    for item in result.suppressions:
        if item.kind == "baseline":
            continue
        found.append(
            Deviation(
                kind=item.kind,
                codes=", ".join(item.codes),
                path=item.location.path,
                line=item.location.line,
                reason=item.reason,
                until=item.until or "",
                approved_by=item.approved_by or "",
                expired=_expired(item.until, result.as_of),
                findings=used.get(item, 0),
            )
        )
    return tuple(found)


def _expired(until: str | None, as_of: datetime.date) -> bool:
    if not until:
        return False
    try:
        return datetime.date.fromisoformat(until.strip()) < as_of
    except ValueError:
        return False


def documents(view: RunView) -> tuple[DocumentRow, ...]:
    """Every document of the index, with the version, status and approvers it has."""
    from_register = view.config.get("approval-source") == "register"
    rows = []
    for document in view.index.documents:
        approvals = document.meta.get("approvals")
        names = [
            shown_text(a.get("by"))
            for a in (approvals if isinstance(approvals, list) else [])
            if isinstance(a, dict) and shown_text(a.get("by"))
        ]
        rows.append(
            DocumentRow(
                label=document.id or "",
                title=document.title if document.id or document.meta.get("title") else "",
                kind=kind_name(document) if document.type else "unclassified",
                evidence_class=document_class(view, document) or "",
                version=shown_text(document.meta.get("version")),
                status=document_status(view.index, document, from_register) or "",
                approved_by=", ".join(names),
                path=document.path,
            )
        )
    return tuple(rows)
