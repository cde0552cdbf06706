"""SDL001 lifecycle-evidence-missing: an activity of the EN IEC 81001-5-1 secure lifecycle, such
as the threat model, penetration testing or vulnerability handling, has no approved document in
the technical file that covers it.

One defect, one finding: activities that share a kind of evidence (the four kinds of security
testing, all shown by security test reports) and miss it for the same reason are reported
together, and a technical file with no product-security documentation at all gets one finding
that says so (`sdl001_placement`), not one per activity. The likely fixes a message names are
found in `sdl001_suggestions`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass

from techfile.data.clauses import Clause
from techfile.model.document import Document
from techfile.model.evidence import run_citations
from techfile.model.finding import Finding
from techfile.model.lifecycle import Activity, counts_by_type, lifecycle_data
from techfile.rules.base import Context, rule
from techfile.rules.lifecycle.common import (
    _family,
    _is_approved,
    lifecycle_applies,
    note_unstated,
)
from techfile.rules.lifecycle.sdl001_placement import (
    activity_anchor,
    has_security_documentation,
    no_security_documentation,
)
from techfile.rules.lifecycle.sdl001_suggestions import (
    Cited,
    _cites,
    _ref,
    _Suggestion,
    _suggestion_text,
    _suggestions,
)


@dataclass(frozen=True)
class _Gap:
    """An activity (or several of one kind of evidence) and the clauses left uncovered."""

    activities: tuple[Activity, ...]
    missing: tuple[Clause, ...]
    suggestions: tuple[_Suggestion, ...]


@rule("SDL001")
def lifecycle_evidence_missing(ctx: Context) -> Iterator[Finding]:
    family = _family(ctx)
    standard = ctx.clauses.standards.get(family or "")
    if standard is None or not lifecycle_applies(ctx):
        return
    note_unstated(ctx)
    cited = _cited_clauses(ctx, family or "", standard.clauses)
    gaps = _gaps(ctx, standard.clauses, cited)
    if not gaps:
        return
    if not has_security_documentation(ctx, family or ""):
        missing = [clause for gap in gaps for clause in gap.missing]
        yield no_security_documentation(ctx, missing)
        return
    for gap in _merged(ctx, gaps, cited):
        yield _missing_finding(ctx, gap, cited)


def _cited_clauses(ctx: Context, family: str, clauses: dict[str, Clause]) -> Cited:
    cited: Cited = {}
    for citation in run_citations(ctx):
        if citation.ref.family != family or citation.evidence is None:
            continue
        clause, depth = citation.clause, 0
        while clause is not None and depth < 16:
            cited.setdefault(clause.id, set()).add(id(citation.evidence))
            clause = clauses.get(clause.parent) if clause.parent else None
            depth += 1
    return cited


def _gaps(ctx: Context, clauses: dict[str, Clause], cited: Cited) -> list[_Gap]:
    released = [d for d in ctx.documents if _is_approved(ctx, d)]
    gaps = []
    for activity in lifecycle_data().activities:
        missing = [
            clause
            for clause in (clauses.get(c) for c in activity.clauses)
            if clause is not None and not _covered(ctx, activity, clause, cited, released)
        ]
        if missing:
            found = _suggestions(ctx, activity, missing, cited)
            gaps.append(_Gap((activity,), tuple(missing), tuple(found)))
    return gaps


def _covered(
    ctx: Context, activity: Activity, clause: Clause, cited: Cited, released: list[Document]
) -> bool:
    for document in released:
        if ctx.evidence_class(document) not in clause.accepts:
            continue
        if counts_by_type(activity, document) or _cites(document, clause, cited):
            return True
    return False


def _merged(ctx: Context, gaps: list[_Gap], cited: Cited) -> list[_Gap]:
    """Gaps of one kind of evidence whose fixes are the same files, in the same way, become
    one gap: a missing security test report is one defect, not four."""
    groups: dict[tuple[object, ...], list[_Gap]] = {}
    for gap in gaps:
        activity = gap.activities[0]
        if activity.evidence is None:
            key: tuple[object, ...] = ("activity", activity.id)
        else:
            key = ("evidence", activity.evidence, tuple(s.signature for s in gap.suggestions))
        groups.setdefault(key, []).append(gap)
    merged = []
    for group in groups.values():
        if len(group) == 1:
            merged.append(group[0])
            continue
        activities = tuple(a for gap in group for a in gap.activities)
        missing = tuple(clause for gap in group for clause in gap.missing)
        joined = dataclasses.replace(
            activities[0],
            name=" or ".join(a.name for a in activities),
            clauses=tuple(c.id for c in missing),
        )
        found = _suggestions(ctx, joined, list(missing), cited)
        merged.append(_Gap(activities, missing, tuple(found)))
    return merged


def _names(activities: tuple[Activity, ...]) -> str:
    names = [a.name for a in activities]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _missing_finding(ctx: Context, gap: _Gap, cited: Cited) -> Finding:
    first = gap.missing[0]
    display = ctx.clauses.display(_ref(ctx, first))
    numbers = ", ".join(c.id for c in gap.missing)
    where = f"{display.rsplit(' ', 1)[0]} {numbers}"
    names = _names(gap.activities)
    entries = "`, `".join(ctx.clauses.display(_ref(ctx, c)) for c in gap.missing)
    suggestions = list(gap.suggestions)
    if suggestions:
        fix = _suggestion_text(suggestions, entries)
    else:
        fix = _generic_fix(gap.activities[0], entries)
    return ctx.finding(
        "SDL001",
        _missing_message(gap, names, where),
        activity_anchor(ctx, list(gap.missing), suggestions),
        clause=display,
        key=("+".join(a.id for a in gap.activities),),
        why=f"{where} {'ask' if len(gap.missing) > 1 else 'asks'} for a record of the {names}; "
        "without an approved document that covers it, nothing shows that it was done, and a "
        "notified body will ask for it.",
        fix=fix,
    )


def _missing_message(gap: _Gap, names: str, where: str) -> str:
    """`no approved document covers the threat model (... 7.2)`; activities of one kind of
    evidence by their clauses (their names are in `why`)."""
    evidence = gap.activities[0].evidence
    if len(gap.activities) > 1 and evidence:
        return f"no approved {evidence} or other document covers {where}"
    return f"no approved document covers the {names} ({where})"


def _generic_fix(activity: Activity, entries: str) -> str:
    if activity.types:
        kinds = " or ".join(f"`type: {t}`" for t in activity.types)
        return (
            f"Add an approved document of {kinds}, or list `{entries}` in the `evidence_for` of "
            "the approved document that holds it."
        )
    usual = " or ".join(f"`{t}`" for t in activity.also_in[:3])
    often = f" (often a document of type {usual})" if usual else ""
    return f"List `{entries}` in the `evidence_for` of the approved document that holds it{often}."
