"""What the readiness report shows: the plain values `gather` builds from one run and the HTML
and Markdown renderers lay out. Nothing here reads files or runs rules."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from techfile.model.plan import Level


def shown_text(value: Any) -> str:
    """A front-matter value as the report shows it: a number or a string, stripped; else ""."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, (int, float, str)):
        return str(value).strip()
    return ""


@dataclass(frozen=True)
class Header:
    device_name: str
    device_class: str
    software_safety_class: str
    software_version: str
    as_of: str
    tool_version: str
    input_hash: str
    input_files: int
    files: int
    classified: int
    root_name: str
    profile: str
    commit: str = ""  # the git commit the report was made from ("" when there is none)
    commit_date: str = ""
    commit_absent: str = ""  # why no commit is named
    differing: tuple[str, ...] = ()  # input files not as in the commit

    def commit_words(self) -> str:
        """The commit as a reader finds it again, and whether the inputs are as committed:
        `<id> (<date>)`, or `none (<why>)`."""
        if not self.commit:
            return f"none ({self.commit_absent or 'not read'})"
        said = f"{self.commit} ({self.commit_date})" if self.commit_date else self.commit
        if self.commit_absent:
            return f"{said}; work tree {self.commit_absent}"
        if self.differing:
            return f"{said}, with uncommitted changes to {len(self.differing)} of the files read"
        return said


@dataclass(frozen=True)
class Evidence:
    """One document named in a coverage cell, and what it counts for there."""

    label: str  # document id, else path
    title: str
    path: str
    kind: str  # the type in words
    status: str  # as written, or "no status"
    evidence_class: str  # product | process | organisational | unknown
    role: str  # satisfies | pending | supporting | wrong-class | not-accepted | unresolved
    via: tuple[str, ...]  # how it is linked: "cited in CM-001 line 53", "evidence_for", ...
    places: tuple[tuple[str, int], ...] = ()  # (path, line) of each citation
    findings: tuple[FindingLink, ...] = ()  # the findings about these citations


@dataclass(frozen=True)
class FindingLink:
    """A finding shown elsewhere in the report, by its rule code and its anchor."""

    code: str
    anchor: str


@dataclass(frozen=True)
class CoverageRow:
    clause: str  # "7.2"
    reference: str  # "EN IEC 81001-5-1:2022 7.2"
    name: str  # the activity or requirement in words
    state: str  # green | amber | red | grey
    verdict: str  # the state in words
    evidence: tuple[Evidence, ...]
    note: str = ""  # a not-applicable justification

    @property
    def wrong_citations(self) -> tuple[Evidence, ...]:
        """Evidence of the wrong class cited beside evidence that covers the clause."""
        if self.state == "red":
            return ()
        return tuple(e for e in self.evidence if e.role == "wrong-class")


@dataclass(frozen=True)
class CoverageSection:
    heading: str
    standard: str
    rows: tuple[CoverageRow, ...]


@dataclass(frozen=True)
class RiskLink:
    label: str  # "RA-001:R-10"
    title: str  # the hazard
    path: str
    line: int


@dataclass(frozen=True)
class TraceEntry:
    """A threat (or a security-risk-assessment entry that assesses no threat) and the ISO
    14971 risk rows it reaches."""

    label: str  # "TM-001:T-06"
    title: str
    path: str
    line: int
    safety_impact: str  # serious | non-serious | unknown | not assessed
    rationale: str
    assessed_in: tuple[str, ...]  # security-risk-assessment entries that assess the threat
    risks: tuple[RiskLink, ...]
    reached: bool
    state: str  # ok | missing (reaches no row) | unassessed (no safety_impact)


@dataclass(frozen=True)
class HeatMap:
    plan: str  # plan label
    path: str
    severities: tuple[Level, ...]  # as the plan lists them (lowest first)
    probabilities: tuple[Level, ...]
    cells: dict[tuple[str, str], str]  # (severity id, probability id) -> acceptability
    before: dict[tuple[str, str], tuple[str, ...]]  # -> risk row labels
    after: dict[tuple[str, str], tuple[str, ...]]
    unplaced_before: tuple[str, ...]
    unplaced_after: tuple[str, ...]
    analyses: tuple[str, ...]  # risk analyses evaluated with this plan


@dataclass(frozen=True)
class FindingRow:
    severity: str
    code: str
    name: str
    clause: str
    document: str
    path: str
    line: int
    message: str
    why: str = ""
    fix: str = ""
    anchor: str = ""  # the element id the row carries, from the finding's fingerprint


@dataclass(frozen=True)
class FindingGroup:
    family: str
    findings: tuple[FindingRow, ...]


@dataclass(frozen=True)
class Deviation:
    kind: str
    codes: str
    path: str
    line: int
    reason: str
    until: str
    approved_by: str
    expired: bool
    findings: int


@dataclass(frozen=True)
class DocumentRow:
    label: str
    title: str
    kind: str  # the type in words
    evidence_class: str
    version: str
    status: str
    approved_by: str  # approvers of this version, or ""
    path: str
    approvals: tuple[str, ...] = ()  # "name (date)" per approval of this version
    next_review: str = ""  # as written
    review_overdue: bool = False


@dataclass(frozen=True)
class BaselineSection:
    """The findings the baseline accepted, with why and when it was written."""

    reason: str
    created: str
    findings: tuple[FindingRow, ...]
    gone: int  # accepted occurrences that no longer occur

    def severity_counts(self) -> dict[str, int]:
        counts = Counter(f.severity for f in self.findings)
        return {s: counts.get(s, 0) for s in ("error", "warning", "info")}


@dataclass(frozen=True)
class ReportData:
    header: Header
    coverage: tuple[CoverageSection, ...]
    trace: tuple[TraceEntry, ...]
    no_impact: tuple[str, ...]  # threats rated safety impact `none`
    heatmaps: tuple[HeatMap, ...]
    plans_without_matrix: tuple[str, ...]  # risk management plans with no usable matrix
    findings: tuple[FindingGroup, ...]
    severity_counts: dict[str, int]
    deviations: tuple[Deviation, ...]
    baselined: int
    documents: tuple[DocumentRow, ...]
    notices: tuple[str, ...] = field(default_factory=tuple)
    baseline: BaselineSection | None = None
    threat_models: tuple[str, ...] = ()  # labels of the threat-model documents

    @property
    def trace_applicable(self) -> bool:
        """False when there is no threat model and nothing else to trace."""
        return bool(self.threat_models or self.trace or self.no_impact)

    @property
    def wrong_citations(self) -> tuple[CoverageRow, ...]:
        """Rows that are not gaps but also cite evidence of the wrong class."""
        return tuple(r for s in self.coverage for r in s.rows if r.wrong_citations)

    def coverage_counts(self) -> Counter[str]:
        return Counter(row.state for section in self.coverage for row in section.rows)

    @property
    def missing_threats(self) -> tuple[TraceEntry, ...]:
        return tuple(entry for entry in self.trace if entry.state == "missing")
