"""Sections 2 and 3 of the readiness report: the security <-> safety trace and the risk heat map.

Which threats reach the ISO 14971 risk file, and where a risk row falls in its plan's matrix,
are the model's queries (`techfile.model.risk_trace`, `techfile.model.risk_evaluation`), the
same ones RM001, RM004 and RM006 judge with, so the report and the rules agree.
"""

from __future__ import annotations

from collections import defaultdict

from techfile.model.document import Document, Item
from techfile.model.plan import RiskPlan, plan_for
from techfile.model.risk_evaluation import evaluate_row, risk_plans
from techfile.model.risk_trace import (
    SecurityEntry,
    reached_entries,
    risk_rows,
    security_entries,
)
from techfile.model.view import RunView
from techfile.report.data import HeatMap, RiskLink, TraceEntry, shown_text

Links = dict[int, list[tuple[Document, Item]]]  # id() of a threat or entry -> risk rows


def item_label(document: Document, item: Item) -> str:
    """`RA-001:R-10`, or the place of an item without an id."""
    owner = document.id or document.path
    return f"{owner}:{item.id}" if item.id else f"{owner} line {item.line}"


# --- security <-> safety trace ---------------------------------------------------------------


def security_trace(view: RunView) -> tuple[tuple[TraceEntry, ...], tuple[str, ...]]:
    """The threats (and assessment entries that assess no threat) with a safety impact, each
    with the risk rows it reaches; and the labels of those rated safety impact `none`."""
    entries = security_entries(view)
    reached = reached_entries(view, entries)
    links, assessed = _links(view, entries)
    shown: list[TraceEntry] = []
    no_impact: list[str] = []
    for entry in entries:
        if entry.kind == "entry" and entry.threats:
            continue  # shown with the threats it assesses
        if entry.safety_impact == "none":
            no_impact.append(item_label(entry.document, entry.item))
            continue
        is_reached = id(entry.item) in reached
        shown.append(_trace_entry(entry, links, assessed, is_reached))
    return tuple(shown), tuple(no_impact)


def _links(view: RunView, entries: list[SecurityEntry]) -> tuple[Links, dict[int, list[str]]]:
    """The risk rows each threat or entry reaches, and the assessment entries of each threat."""
    rows = {id(row): (document, row) for document, row in risk_rows(view)}
    links: Links = defaultdict(list)
    for document, row in rows.values():
        for resolution in view.index.resolve_field(document, row, "threat_refs"):
            if resolution.item is not None:
                links[id(resolution.item)].append((document, row))
    for entry in entries:
        for resolution in view.index.resolve_field(entry.document, entry.item, "risk_refs"):
            if resolution.item is not None and id(resolution.item) in rows:
                links[id(entry.item)].append(rows[id(resolution.item)])
    assessed: dict[int, list[str]] = defaultdict(list)
    for entry in entries:
        if entry.kind != "entry":
            continue
        for threat in entry.threats:
            links[id(threat)].extend(links[id(entry.item)])
            assessed[id(threat)].append(item_label(entry.document, entry.item))
    return links, assessed


def _trace_entry(
    entry: SecurityEntry, links: Links, assessed: dict[int, list[str]], reached: bool
) -> TraceEntry:
    seen: dict[str, RiskLink] = {}
    for document, row in links[id(entry.item)]:
        risk_label = item_label(document, row)
        seen.setdefault(
            risk_label,
            RiskLink(risk_label, shown_text(row.get("hazard")), document.path, row.line),
        )
    is_reached = reached or bool(seen)
    impact = entry.safety_impact
    state = "unassessed" if impact is None else "ok" if is_reached else "missing"
    item = entry.item
    return TraceEntry(
        label=item_label(entry.document, item),
        title=shown_text(item.get("title")) or shown_text(item.get("description")),
        path=entry.document.path,
        line=item.line,
        safety_impact=impact or "not assessed",
        rationale=entry.rationale or "",
        assessed_in=tuple(dict.fromkeys(assessed[id(item)])),
        risks=tuple(seen.values()),
        reached=is_reached,
        state=state,
    )


# --- heat map ----------------------------------------------------------------------------------


def heat_maps(view: RunView) -> tuple[tuple[HeatMap, ...], tuple[str, ...]]:
    """A heat map for each plan with a usable matrix; and the plans without one."""
    every = risk_plans(view)
    plans = [p for p in every if p.has_matrix and p.severity and p.probability]
    without = tuple(p.label for p in every if all(p is not q for q in plans))
    analyses = view.index.of_type("risk-analysis")
    maps = []
    for plan in plans:
        mine = [d for d in analyses if plan_for(plans, d, view.index) is plan]
        maps.append(_heat_map(plan, mine))
    return tuple(maps), without


def _heat_map(plan: RiskPlan, analyses: list[Document]) -> HeatMap:
    """The rows of the plan's risk analyses, placed as RM004 and RM006 place them."""
    before: dict[tuple[str, str], list[str]] = defaultdict(list)
    after: dict[tuple[str, str], list[str]] = defaultdict(list)
    unplaced: dict[str, list[str]] = {"initial": [], "residual": []}
    for document in analyses:
        for row in document.items.get("risks", []):
            label = item_label(document, row)
            for stage, counts in (("initial", before), ("residual", after)):
                evaluation = evaluate_row(plan, row, stage, plan.aliases)
                if evaluation.severity is None or evaluation.probability is None:
                    unplaced[stage].append(label)
                    continue
                counts[(evaluation.severity.id, evaluation.probability.id)].append(label)
    return HeatMap(
        plan=plan.label,
        path=plan.document.path,
        severities=plan.severity.levels,
        probabilities=plan.probability.levels,
        cells=dict(plan.matrix),
        before={k: tuple(v) for k, v in before.items()},
        after={k: tuple(v) for k, v in after.items()},
        unplaced_before=tuple(unplaced["initial"]),
        unplaced_after=tuple(unplaced["residual"]),
        analyses=tuple(d.label() for d in analyses),
    )
