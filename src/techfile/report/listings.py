"""Sections 4 to 6 of the readiness report: the findings by family, the deviation list (every
suppression and waiver, and the findings the baseline accepted) and the documents the report
was made from."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict

from techfile.data.pages import RulePage
from techfile.model.evidence import document_status
from techfile.model.evidence_classes import document_class, kind_name
from techfile.model.finding import Finding
from techfile.model.register import Approval, effective_approvals, is_withdrawn, parse_date
from techfile.model.result import RunResult
from techfile.model.view import RunView
from techfile.report.data import (
    BaselineSection,
    Deviation,
    DocumentRow,
    FindingGroup,
    FindingRow,
    shown_text,
)


def finding_row(finding: Finding, pages: dict[str, RulePage]) -> FindingRow:
    """A finding as the report shows it: its message, and its why and fix where it has them."""
    page = pages.get(finding.code)
    loc = finding.location
    return FindingRow(
        severity=finding.severity.label,
        code=finding.code,
        name=page.name if page else "",
        clause=finding.clause or (page.clause_text if page else ""),
        document=loc.doc_id or "",
        path=loc.path,
        line=loc.line,
        message=finding.message,
        why=finding.why.strip(),
        fix=finding.fix.strip(),
        anchor=anchor(finding),
    )


def anchor(finding: Finding) -> str:
    """The element id of a finding's row: unique in a run, as the fingerprint is."""
    return f"finding-{finding.fingerprint}"


def findings(result: RunResult) -> tuple[FindingGroup, ...]:
    """The findings by family, the family with the worst and the most findings first."""
    groups: dict[str, list[FindingRow]] = defaultdict(list)
    worst: dict[str, int] = defaultdict(int)
    for finding in result.findings:
        page = result.pages.get(finding.code)
        family = page.family if page else "other"
        groups[family].append(finding_row(finding, result.pages))
        worst[family] = max(worst[family], int(finding.severity))
    order = sorted(groups, key=lambda f: (-worst[f], -len(groups[f]), f))
    return tuple(FindingGroup(family, tuple(groups[family])) for family in order)


def baselined(result: RunResult, reason: str, created: str) -> BaselineSection | None:
    """The findings the baseline accepted in this run, None when it accepted none."""
    accepted = sorted(
        (s.finding for s in result.suppressed if s.by.kind == "baseline"),
        key=lambda f: f.sort_key(),
    )
    if not accepted and not result.baseline_gone:
        return None
    rows = tuple(finding_row(f, result.pages) for f in accepted)
    return BaselineSection(reason, created, rows, result.baseline_gone)


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
    """Every document of the index, with the version, status, approvals and next review it
    has."""
    from_register = view.config.approvals_from_register
    rows = []
    for document in view.index.documents:
        approvals = effective_approvals(view, document)
        names = [a.by for a in approvals if a.by]
        due = parse_date(document.meta.get("next_review"))
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
                approvals=tuple(_approval_words(a) for a in approvals if a.by or a.written_date),
                next_review=shown_text(document.meta.get("next_review"))
                or (due.isoformat() if due else ""),
                review_overdue=due is not None
                and due < view.as_of
                and not is_withdrawn(view, document),
            )
        )
    return tuple(rows)


def _approval_words(approval: Approval) -> str:
    """`Jonas Albrecht, 2026-04-09`; a date that is not one is shown as written."""
    day = approval.date.isoformat() if approval.date else shown_text(approval.written_date)
    who = approval.by or "(no name)"
    return f"{who}, {day}" if day else f"{who}, no date"
