"""What the readiness report shows, gathered from one run.

Everything here is read from the same bytes: the files are read once, the rules run on them
(`engine.run.evaluate`), and the index the report draws from is built from the bytes the run
read, which are also what the input hash covers. Nothing depends on the wall clock; the only
date is the run's as-of date.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import posixpath
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from techfile import __version__
from techfile.data.clauses import Clause
from techfile.data.registry import load_data
from techfile.engine.pipeline import RunOptions
from techfile.engine.run import evaluate
from techfile.intake.sources import Entry, WorkTree
from techfile.model.config import Config
from techfile.model.diagnostics import Diagnostic
from techfile.model.document import Document, Item
from techfile.model.evidence import citations, document_status, rows
from techfile.model.plan import Level, plan_for
from techfile.model.result import RunResult
from techfile.rules.base import Context
from techfile.rules.evidence import SATISFYING, document_class, kind_name, supports_only
from techfile.rules.lifecycle import Activity, lifecycle_data
from techfile.rules.risk import reached_entries, risk_plans, security_entries

# --------------------------------------------------------------------------------------------
# The report's data


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


@dataclass(frozen=True)
class CoverageRow:
    clause: str  # "7.2"
    reference: str  # "EN IEC 81001-5-1:2022 7.2"
    name: str  # the activity or requirement in words
    state: str  # green | amber | red | grey
    verdict: str  # the state in words
    evidence: tuple[Evidence, ...]
    note: str = ""  # a not-applicable justification


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

    def coverage_counts(self) -> Counter[str]:
        return Counter(row.state for section in self.coverage for row in section.rows)

    @property
    def missing_threats(self) -> tuple[TraceEntry, ...]:
        return tuple(entry for entry in self.trace if entry.state == "missing")


# --------------------------------------------------------------------------------------------
# Loading: one read of the files for the run, the index and the hash


class RecordingSource:
    """A work-tree source that keeps the bytes it read, so that the input hash covers
    exactly what the rules saw."""

    def __init__(self, inner: WorkTree) -> None:
        self.inner = inner
        self.data: dict[str, bytes] = {}

    def entries(self, include: tuple[str, ...], exclude: tuple[str, ...]) -> list[Entry]:
        return self.inner.entries(include, exclude)

    def prefetch(self, entries: list[Entry]) -> None:
        self.inner.prefetch(entries)

    def read(self, entry: Entry) -> bytes | Diagnostic:
        if entry.path in self.data:
            return self.data[entry.path]
        data = self.inner.read(entry)
        if isinstance(data, bytes):
            self.data[entry.path] = data
        return data

    def read_path(self, path: str) -> bytes | Diagnostic:
        if path in self.data:
            return self.data[path]
        data = self.inner.read_path(path)
        if isinstance(data, bytes):
            self.data[path] = data
        return data


def input_hash(files: dict[str, bytes]) -> str:
    """sha256 over the files sorted by root-relative path, each as its UTF-8 path, a NUL
    byte, its size as 8 bytes big-endian, and its bytes."""
    digest = hashlib.sha256()
    for path in sorted(files):
        data = files[path]
        digest.update(path.encode("utf-8") + b"\0" + len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


@dataclass
class Loaded:
    result: RunResult
    ctx: Context
    files: dict[str, bytes]


def load(config: Config, options: RunOptions) -> Loaded:
    """Run the rules and build the index from one read of the technical file."""
    source = RecordingSource(WorkTree(config.root, config.max_file_size))
    result = evaluate(config, replace(options, reuse_results=False), source)
    assert isinstance(result.view, Context)
    ctx = result.view
    for document in ctx.index.documents:  # the SBOM files the sbom documents name are inputs
        named = document.meta.get("file") if document.type == "sbom" else None
        if isinstance(named, str) and named.strip():
            path = posixpath.normpath(posixpath.join(posixpath.dirname(document.path), named))
            if not path.startswith("../") and path != "..":
                source.read_path(path)
    files = dict(source.data)
    for extra in (config.source, config.root / ".techfile-baseline.json"):
        if extra is not None and extra.is_file() and extra.resolve().is_relative_to(config.root):
            rel = extra.resolve().relative_to(config.root.resolve()).as_posix()
            files.setdefault(rel, extra.read_bytes())
    return Loaded(result, ctx, files)


# --------------------------------------------------------------------------------------------
# Gathering


def gather(config: Config, options: RunOptions) -> ReportData:
    loaded = load(config, options)
    result, ctx = loaded.result, loaded.ctx
    trace, no_impact = _trace(ctx)
    heatmaps, without = _heatmaps(ctx)
    counts = Counter(f.severity.label for f in result.findings)
    return ReportData(
        header=_header(ctx, result, loaded.files),
        coverage=_coverage(ctx),
        trace=trace,
        no_impact=no_impact,
        heatmaps=heatmaps,
        plans_without_matrix=without,
        findings=_findings(result),
        severity_counts={s: counts.get(s, 0) for s in ("error", "warning", "info")},
        deviations=_deviations(result),
        baselined=sum(1 for s in result.suppressed if s.by.kind == "baseline"),
        documents=_documents(ctx),
        notices=tuple(result.notices),
    )


def _text(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, (int, float, str)):
        return str(value).strip()
    return ""


def _device_fact(ctx: Context, field_name: str, config_key: str) -> str:
    for document in ctx.index.of_type("device-description"):
        value = _text(document.meta.get(field_name))
        if value:
            return value
    return _text(ctx.device.get(config_key))


def _header(ctx: Context, result: RunResult, files: dict[str, bytes]) -> Header:
    return Header(
        device_name=ctx.device_name() or "(device name not given)",
        device_class=_device_fact(ctx, "device_class", "class") or "not given",
        software_safety_class=_device_fact(ctx, "software_safety_class", "software_safety_class")
        or "not given",
        software_version=ctx.software_version() or "not given",
        as_of=result.as_of.isoformat(),
        tool_version=__version__,
        input_hash=input_hash(files),
        input_files=len(files),
        files=result.files,
        classified=result.classified,
        root_name=ctx.root.name,
        profile=ctx.profile,
    )


# --- coverage --------------------------------------------------------------------------------


@functools.cache
def report_data() -> dict[str, Any]:
    data: dict[str, Any] = load_data("report.yaml")
    return data


_CLAUSE_PART = re.compile(r"\d+|[a-z]+|[A-Z]+")


def clause_key(clause: str) -> tuple[tuple[int, int | str], ...]:
    """`5.7.10` after `5.7.9`, `23.4(ab)` after `23.4(z)`, `8` after `7.4`."""
    parts: list[tuple[int, int | str]] = []
    for token in _CLAUSE_PART.findall(clause):
        parts.append((0, int(token)) if token.isdigit() else (1, f"{len(token):02d}{token}"))
    return tuple(parts)


def _within(clause: Clause, target: str, clauses: dict[str, Clause]) -> bool:
    """The clause is `target` or one of its sub-clauses or lettered items."""
    current: Clause | None = clause
    for _ in range(16):
        if current is None:
            return False
        if current.id == target:
            return True
        current = clauses.get(current.parent) if current.parent else None
    return False


ROLE_ORDER = {
    "wrong-class": 0,
    "satisfies": 1,
    "pending": 2,
    "supporting": 3,
    "not-accepted": 4,
    "unresolved": 5,
}


def _coverage(ctx: Context) -> tuple[CoverageSection, ...]:
    registry = ctx.clauses
    all_citations = list(citations(ctx.index, registry))
    not_applicable: dict[tuple[str | None, str], str] = {}
    for row in rows(ctx.index, registry):
        if row.applicable is False and row.clause is not None:
            not_applicable[(row.ref.family, row.clause.id)] = row.justification or ""
    lifecycle = lifecycle_data()
    sections = []
    for spec in report_data()["coverage"]:
        family = registry.family_of(str(spec["standard"]))
        standard = registry.standards.get(family or "")
        if standard is None:
            continue
        wanted: dict[str, tuple[str, Activity | None]] = {}
        if spec.get("lifecycle") and registry.family_of(lifecycle.standard) == family:
            for activity in lifecycle.activities:
                for clause_id in activity.clauses:
                    wanted.setdefault(clause_id, (activity.name, activity))
        for entry in spec.get("clauses", []):
            clause_id = str(entry["clause"])
            known = standard.clauses.get(clause_id)
            default = known.title if known else clause_id
            wanted.setdefault(clause_id, (str(entry.get("name") or default), None))
        section_rows = []
        for clause_id in sorted(wanted, key=clause_key):
            clause = standard.clauses.get(clause_id)
            if clause is None:
                continue
            name, row_activity = wanted[clause_id]
            evidence = _evidence(ctx, clause, standard.clauses, row_activity, all_citations)
            note = not_applicable.get((family, clause_id))
            state, verdict = _verdict(clause, evidence, note)
            section_rows.append(
                CoverageRow(
                    clause_id,
                    f"{standard.display} {clause_id}",
                    name,
                    state,
                    verdict,
                    evidence,
                    note or "",
                )
            )
        sections.append(
            CoverageSection(str(spec["heading"]), standard.display, tuple(section_rows))
        )
    return tuple(sections)


def _evidence(
    ctx: Context,
    clause: Clause,
    clauses: dict[str, Clause],
    activity: Activity | None,
    all_citations: list[Any],
) -> tuple[Evidence, ...]:
    from_register = ctx.config.get("approval-source") == "register"
    found: dict[str, tuple[Document | None, str, list[str]]] = {}
    for citation in all_citations:
        if citation.clause is None or citation.clause.family != clause.family:
            continue
        if not _within(citation.clause, clause.id, clauses):
            continue
        where = (
            f"cited in {citation.citing.label()} line {citation.location.line}"
            if citation.row is not None
            else "its evidence_for"
        )
        if citation.evidence is None:
            key = f"?{citation.evidence_text}"
            found.setdefault(key, (None, citation.evidence_text.strip(), []))[2].append(where)
            continue
        document = citation.evidence
        key = document.path
        found.setdefault(key, (document, document.label(), []))[2].append(where)
    if activity is not None:
        for document in ctx.documents:
            if _counts_by_type(activity, document):
                found.setdefault(document.path, (document, document.label(), []))[2].append(
                    "its type"
                )
    evidence = []
    for document, label, vias in found.values():
        via = tuple(dict.fromkeys(vias))
        if document is None:
            evidence.append(Evidence(label, "", "", "", "", "unknown", "unresolved", via))
            continue
        status = document_status(ctx.index, document, from_register) or "no status"
        kind = document_class(ctx, document) or "unknown"
        if kind in SATISFYING and kind in clause.accepts:
            role = "satisfies" if status.casefold() == "approved" else "pending"
        elif kind == "organisational":
            role = "supporting" if supports_only(clause, document) else "wrong-class"
        else:
            role = "not-accepted"
        evidence.append(
            Evidence(
                label, document.title, document.path, kind_name(document), status, kind, role, via
            )
        )
    return tuple(sorted(evidence, key=lambda e: (ROLE_ORDER[e.role], e.label)))


def _counts_by_type(activity: Activity, document: Document) -> bool:
    """A document of one of the activity's types (a security test report only when its
    test_type is one the activity names, or it names none), as SDL001 counts it."""
    from techfile.rules.lifecycle import counts_by_type

    return counts_by_type(activity, document)


def _needs(clause: Clause) -> str:
    kinds = [c for c in SATISFYING if c in clause.accepts] or ["product"]
    return " or ".join(kinds) + " evidence"


def _verdict(clause: Clause, evidence: tuple[Evidence, ...], note: str | None) -> tuple[str, str]:
    roles = {e.role for e in evidence}
    wrong = [e.label for e in evidence if e.role == "wrong-class"]
    if wrong:
        return "red", (
            f"organisational evidence ({', '.join(wrong)}) is cited where {_needs(clause)} is "
            "needed"
        )
    if "satisfies" in roles:
        return "green", f"approved {_needs(clause)}"
    if "pending" in roles:
        return "amber", f"{_needs(clause)} not yet approved"
    if "supporting" in roles:
        return "amber", f"organisational evidence as support only; {_needs(clause)} is needed"
    if note is not None:
        return "grey", "declared not applicable"
    if "not-accepted" in roles:
        return "red", f"no evidence of a class the clause accepts ({_needs(clause)})"
    if "unresolved" in roles:
        return "red", "the cited evidence cannot be found"
    return "red", f"no evidence cited ({_needs(clause)} is needed)"


# --- security <-> safety trace ---------------------------------------------------------------


def _trace(ctx: Context) -> tuple[tuple[TraceEntry, ...], tuple[str, ...]]:
    index = ctx.index
    entries = security_entries(ctx)
    reached = reached_entries(ctx, entries)
    risk_rows: dict[int, tuple[Document, Item]] = {}
    for document in index.of_type("risk-analysis"):
        for row in document.items.get("risks", []):
            risk_rows[id(row)] = (document, row)
    links: dict[int, list[tuple[Document, Item]]] = defaultdict(list)
    for document, row in risk_rows.values():
        for resolution in index.resolve_field(document, row, "threat_refs"):
            if resolution.item is not None:
                links[id(resolution.item)].append((document, row))
    for entry in entries:
        for resolution in index.resolve_field(entry.document, entry.item, "risk_refs"):
            if resolution.item is not None and id(resolution.item) in risk_rows:
                links[id(entry.item)].append(risk_rows[id(resolution.item)])
    assessed: dict[int, list[str]] = defaultdict(list)
    for entry in entries:
        if entry.kind != "entry":
            continue
        for threat in entry.threats:
            links[id(threat)].extend(links[id(entry.item)])
            assessed[id(threat)].append(_label(entry.document, entry.item))
    shown: list[TraceEntry] = []
    no_impact: list[str] = []
    for entry in entries:
        if entry.kind == "entry" and entry.threats:
            continue  # shown with the threats it assesses
        label = _label(entry.document, entry.item)
        impact = entry.safety_impact
        if impact == "none":
            no_impact.append(label)
            continue
        seen: dict[str, RiskLink] = {}
        for document, row in links[id(entry.item)]:
            risk_label = _label(document, row)
            seen.setdefault(
                risk_label,
                RiskLink(risk_label, _text(row.get("hazard")), document.path, row.line),
            )
        is_reached = id(entry.item) in reached or bool(seen)
        state = "unassessed" if impact is None else "ok" if is_reached else "missing"
        shown.append(
            TraceEntry(
                label=label,
                title=_text(entry.item.get("title")) or _text(entry.item.get("description")),
                path=entry.document.path,
                line=entry.item.line,
                safety_impact=impact or "not assessed",
                rationale=entry.rationale or "",
                assessed_in=tuple(dict.fromkeys(assessed[id(entry.item)])),
                risks=tuple(seen.values()),
                reached=is_reached,
                state=state,
            )
        )
    return tuple(shown), tuple(no_impact)


def _label(document: Document, item: Item) -> str:
    owner = document.id or document.path
    return f"{owner}:{item.id}" if item.id else f"{owner} line {item.line}"


# --- heat map ----------------------------------------------------------------------------------


def _heatmaps(ctx: Context) -> tuple[tuple[HeatMap, ...], tuple[str, ...]]:
    from techfile.rules import risk

    evaluate_row = risk.evaluate_row  # placed exactly as RM004/RM006 place them
    every = risk_plans(ctx)
    plans = [p for p in every if p.has_matrix and p.severity and p.probability]
    without = tuple(p.label for p in every if all(p is not q for q in plans))
    analyses = ctx.index.of_type("risk-analysis")
    maps = []
    for plan in plans:
        mine = [d for d in analyses if plan_for(plans, d, ctx.index) is plan]
        before: dict[tuple[str, str], list[str]] = defaultdict(list)
        after: dict[tuple[str, str], list[str]] = defaultdict(list)
        unplaced: dict[str, list[str]] = {"initial": [], "residual": []}
        for document in mine:
            for row in document.items.get("risks", []):
                label = _label(document, row)
                for stage, counts in (("initial", before), ("residual", after)):
                    evaluation = evaluate_row(plan, row, stage, plan.aliases)
                    if evaluation.severity is None or evaluation.probability is None:
                        unplaced[stage].append(label)
                        continue
                    counts[(evaluation.severity.id, evaluation.probability.id)].append(label)
        maps.append(
            HeatMap(
                plan=plan.label,
                path=plan.document.path,
                severities=plan.severity.levels,
                probabilities=plan.probability.levels,
                cells=dict(plan.matrix),
                before={k: tuple(v) for k, v in before.items()},
                after={k: tuple(v) for k, v in after.items()},
                unplaced_before=tuple(unplaced["initial"]),
                unplaced_after=tuple(unplaced["residual"]),
                analyses=tuple(d.label() for d in mine),
            )
        )
    return tuple(maps), without


# --- documents ---------------------------------------------------------------------------------


def _documents(ctx: Context) -> tuple[DocumentRow, ...]:
    from_register = ctx.config.get("approval-source") == "register"
    rows = []
    for document in ctx.index.documents:
        approvals = document.meta.get("approvals")
        names = [
            _text(a.get("by"))
            for a in (approvals if isinstance(approvals, list) else [])
            if isinstance(a, dict) and _text(a.get("by"))
        ]
        rows.append(
            DocumentRow(
                label=document.id or "",
                title=document.title if document.id or document.meta.get("title") else "",
                kind=kind_name(document) if document.type else "unclassified",
                evidence_class=document_class(ctx, document) or "",
                version=_text(document.meta.get("version")),
                status=document_status(ctx.index, document, from_register) or "",
                approved_by=", ".join(names),
                path=document.path,
            )
        )
    return tuple(rows)


# --- findings and deviations ---------------------------------------------------------------------


def _findings(result: RunResult) -> tuple[FindingGroup, ...]:
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


def _deviations(result: RunResult) -> tuple[Deviation, ...]:
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
