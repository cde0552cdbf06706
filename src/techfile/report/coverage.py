"""Section 1 of the readiness report: evidence coverage.

For each clause `data/report.yaml` lists (and, where it asks, each activity of the secure
lifecycle in `data/lifecycle.yaml`), the documents cited for it or counting for it by their
type, what each counts for there, and a verdict in words. Evidence classes and what a clause
accepts are the model's (`techfile.model.evidence_classes`), so the table and the EV rules agree.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from techfile.data.clauses import Clause, ClauseRegistry, Standard
from techfile.data.registry import load_data
from techfile.model.document import Document
from techfile.model.evidence import Citation, citations, document_status, rows
from techfile.model.evidence_classes import (
    SATISFYING,
    document_class,
    kind_name,
    needs_words,
    supports_only,
)
from techfile.model.lifecycle import Activity, counts_by_type, lifecycle_data
from techfile.model.register import counts_as_released
from techfile.model.view import RunView
from techfile.report.data import CoverageRow, CoverageSection, Evidence

ROLE_ORDER = {
    "wrong-class": 0,
    "satisfies": 1,
    "pending": 2,
    "supporting": 3,
    "not-accepted": 4,
    "unresolved": 5,
}
_CLAUSE_PART = re.compile(r"\d+|[a-z]+|[A-Z]+")

Place = tuple[str, int]
# key -> (document, label, vias, places of the citations)
Found = dict[str, tuple[Document | None, str, list[str], list[Place]]]


@functools.cache
def report_data() -> dict[str, Any]:
    data: dict[str, Any] = load_data("report.yaml")
    return data


def clause_key(clause: str) -> tuple[tuple[int, int | str], ...]:
    """`5.7.10` after `5.7.9`, `23.4(ab)` after `23.4(z)`, `8` after `7.4`."""
    parts: list[tuple[int, int | str]] = []
    for token in _CLAUSE_PART.findall(clause):
        parts.append((0, int(token)) if token.isdigit() else (1, f"{len(token):02d}{token}"))
    return tuple(parts)


def coverage(view: RunView) -> tuple[CoverageSection, ...]:
    registry = view.clauses
    all_citations = list(citations(view.index, registry))
    not_applicable: dict[tuple[str | None, str], str] = {}
    for row in rows(view.index, registry):
        if row.applicable is False and row.clause is not None:
            not_applicable[(row.ref.family, row.clause.id)] = row.justification or ""
    sections = []
    for spec in report_data()["coverage"]:
        family = registry.family_of(str(spec["standard"]))
        standard = registry.standards.get(family or "")
        if standard is None:
            continue
        wanted = _wanted(spec, standard, registry)
        section_rows = []
        for clause_id in sorted(wanted, key=clause_key):
            clause = standard.clauses.get(clause_id)
            if clause is None:
                continue
            name, row_activity = wanted[clause_id]
            evidence = _evidence(view, clause, standard.clauses, row_activity, all_citations)
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


def _wanted(
    spec: dict[str, Any], standard: Standard, registry: ClauseRegistry
) -> dict[str, tuple[str, Activity | None]]:
    """The section's clauses, each with its name and (lifecycle clauses) its activity."""
    lifecycle = lifecycle_data()
    wanted: dict[str, tuple[str, Activity | None]] = {}
    if spec.get("lifecycle") and registry.family_of(lifecycle.standard) == standard.family:
        for activity in lifecycle.activities:
            for clause_id in activity.clauses:
                wanted.setdefault(clause_id, (activity.name, activity))
    for entry in spec.get("clauses", []):
        clause_id = str(entry["clause"])
        known = standard.clauses.get(clause_id)
        default = known.title if known else clause_id
        wanted.setdefault(clause_id, (str(entry.get("name") or default), None))
    return wanted


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


def _evidence(
    view: RunView,
    clause: Clause,
    clauses: dict[str, Clause],
    activity: Activity | None,
    all_citations: list[Citation],
) -> tuple[Evidence, ...]:
    found = _cited_for(clause, clauses, all_citations)
    if activity is not None:
        for document in view.documents:
            if counts_by_type(activity, document):
                found.setdefault(document.path, (document, document.label(), [], []))[2].append(
                    "its type"
                )
    evidence = [
        _judged(view, clause, document, label, tuple(dict.fromkeys(vias)), places)
        for document, label, vias, places in found.values()
    ]
    return tuple(sorted(evidence, key=lambda e: (ROLE_ORDER[e.role], e.label)))


def _cited_for(clause: Clause, clauses: dict[str, Clause], all_citations: list[Citation]) -> Found:
    """The documents cited for the clause or one of its parts, each with where it was cited."""
    found: Found = {}
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
        place = (citation.location.path, citation.location.line)
        document = citation.evidence
        if document is None:
            key, label = f"?{citation.evidence_text}", citation.evidence_text.strip()
        else:
            key, label = document.path, document.label()
        entry = found.setdefault(key, (document, label, [], []))
        entry[2].append(where)
        if place not in entry[3]:
            entry[3].append(place)
    return found


def _judged(
    view: RunView,
    clause: Clause,
    document: Document | None,
    label: str,
    via: tuple[str, ...],
    places: list[Place],
) -> Evidence:
    """What the document counts for at the clause."""
    if document is None:
        return Evidence(label, "", "", "", "", "unknown", "unresolved", via, tuple(places))
    from_register = view.config.approvals_from_register
    status = document_status(view.index, document, from_register) or "no status"
    kind = document_class(view, document) or "unknown"
    if kind in SATISFYING and kind in clause.accepts:
        role = "satisfies" if counts_as_released(view, document) else "pending"
    elif kind == "organisational":
        role = "supporting" if supports_only(clause, document, view) else "wrong-class"
    else:
        role = "not-accepted"
    return Evidence(
        label,
        document.title,
        document.path,
        kind_name(document),
        status,
        kind,
        role,
        via,
        tuple(places),
    )


def _verdict(clause: Clause, evidence: tuple[Evidence, ...], note: str | None) -> tuple[str, str]:
    """The cell's state and its words. Evidence of the wrong class cited beside approved
    evidence the clause accepts does not make the clause a gap: it is covered, and the wrong
    citation is named (and reported by its rule); without accepted evidence it is a gap."""
    needs = needs_words(clause)
    roles = {e.role for e in evidence}
    wrong = [e.label for e in evidence if e.role == "wrong-class"]
    beside = (
        f"; {', '.join(wrong)} is also cited, organisational evidence where {needs} is needed"
        if wrong
        else ""
    )
    if "satisfies" in roles:
        return "green", f"approved {needs}{beside}"
    if "pending" in roles:
        return "amber", f"{needs} not yet approved{beside}"
    if wrong:
        return "red", (
            f"organisational evidence ({', '.join(wrong)}) is cited where {needs} is needed"
        )
    if "supporting" in roles:
        return "amber", f"organisational evidence as support only; {needs} is needed"
    if note is not None:
        return "grey", "declared not applicable"
    if "not-accepted" in roles:
        return "red", f"no evidence of a class the clause accepts ({needs})"
    if "unresolved" in roles:
        return "red", "the cited evidence cannot be found"
    return "red", f"no evidence cited ({needs} is needed)"
