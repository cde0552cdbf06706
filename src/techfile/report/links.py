"""Links from the coverage table to the findings about its citations.

A citation the clause does not accept (organisational evidence where product evidence is
needed, or an id that resolves to nothing) is reported by a rule at the citation's place; the
coverage cell marks the citation and links to that finding, in section 4 or, when the baseline
accepted it, in section 5. A finding at the place is about the citation when it names the
row's clause, else when it is one of the evidence rules'.
"""

from __future__ import annotations

from dataclasses import replace

from techfile.model.finding import Finding
from techfile.model.result import RunResult
from techfile.report.data import CoverageRow, CoverageSection, Evidence, FindingLink
from techfile.report.listings import anchor

LINKED_ROLES = frozenset({"wrong-class", "unresolved", "not-accepted"})
EVIDENCE_FAMILY = "evidence"

Shown = dict[tuple[str, int], list[Finding]]  # (path, line) -> findings shown in the report


def link_findings(
    sections: tuple[CoverageSection, ...], result: RunResult
) -> tuple[CoverageSection, ...]:
    shown: Shown = {}
    baselined = [s.finding for s in result.suppressed if s.by.kind == "baseline"]
    for finding in (*result.findings, *baselined):
        shown.setdefault((finding.location.path, finding.location.line), []).append(finding)
    return tuple(
        replace(section, rows=tuple(_row(row, shown, result) for row in section.rows))
        for section in sections
    )


def _row(row: CoverageRow, shown: Shown, result: RunResult) -> CoverageRow:
    if not any(e.role in LINKED_ROLES and e.places for e in row.evidence):
        return row
    evidence = tuple(_evidence(e, row.reference, shown, result) for e in row.evidence)
    return replace(row, evidence=evidence)


def _evidence(item: Evidence, reference: str, shown: Shown, result: RunResult) -> Evidence:
    if item.role not in LINKED_ROLES:
        return item
    here = [f for place in item.places for f in shown.get(place, [])]
    about = [f for f in here if f.clause == reference] or [
        f for f in here if _family(f, result) == EVIDENCE_FAMILY
    ]
    links = tuple(dict.fromkeys(FindingLink(f.code, anchor(f)) for f in about))
    return replace(item, findings=links) if links else item


def _family(finding: Finding, result: RunResult) -> str:
    page = result.pages.get(finding.code)
    return page.family if page else ""
