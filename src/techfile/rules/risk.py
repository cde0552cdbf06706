"""RM: does the ISO 14971 risk file hold the security risks that can lead to harm?"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from techfile.model.document import Document, Item
from techfile.model.finding import Finding, Severity
from techfile.rules.base import Context, rule

IMPACT_ORDER = {"serious": 3, "non-serious": 2, "unknown": 1, "none": 0}


@dataclass(frozen=True, slots=True)
class SecurityEntry:
    """A threat (threat model) or a security-risk-assessment entry."""

    document: Document
    item: Item
    kind: str  # "threat" | "entry"
    safety_impact: str | None
    rationale: str | None
    threats: tuple[Item, ...]  # for entries: the threats they assess


def _as_list(value: object) -> list[str]:
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return [value] if isinstance(value, str) else []


def security_entries(ctx: Context) -> list[SecurityEntry]:
    entries: list[SecurityEntry] = []
    for document in ctx.index.of_type("threat-model"):
        for item in document.items.get("threats", []):
            entries.append(
                SecurityEntry(document, item, "threat", _impact(item), _text(item, "rationale"), ())
            )
    for document in ctx.index.of_type("security-risk-assessment"):
        for item in document.items.get("entries", []):
            threats = tuple(_resolved_items(ctx, document, item, "threat_refs"))
            impact = _impact(item)
            rationale = _text(item, "rationale")
            if impact is None:
                inherited = [t for t in threats if _impact(t) is not None]
                if inherited:
                    worst = max(inherited, key=lambda t: IMPACT_ORDER.get(_impact(t) or "", 0))
                    impact, rationale = _impact(worst), rationale or _text(worst, "rationale")
            entries.append(SecurityEntry(document, item, "entry", impact, rationale, threats))
    return entries


def _impact(item: Item) -> str | None:
    value = item.get("safety_impact")
    return value if isinstance(value, str) and value.strip() else None


def _text(item: Item, which: str) -> str | None:
    value = item.get("safety_impact_rationale")
    return value if isinstance(value, str) and value.strip() else None


def _resolved_items(ctx: Context, document: Document, item: Item, field: str) -> Iterator[Item]:
    for value in _as_list(item.get(field)):
        resolution = ctx.index.resolve(value, document, "item")
        if resolution.item is not None:
            yield resolution.item


def _risk_rows(ctx: Context) -> list[tuple[Document, Item]]:
    return [
        (document, row)
        for document in ctx.index.of_type("risk-analysis")
        for row in document.items.get("risks", [])
    ]


def reached_entries(ctx: Context, entries: list[SecurityEntry]) -> set[int]:
    """ids() of threat/entry items that reach a risk-analysis row, directly or through an
    assessment entry (threat -> entry -> row)."""
    rows = _risk_rows(ctx)
    row_ids = {id(row) for _, row in rows}
    reached: set[int] = set()
    for document, row in rows:
        for target in _resolved_items(ctx, document, row, "threat_refs"):
            reached.add(id(target))
    for entry in entries:
        risks = _resolved_items(ctx, entry.document, entry.item, "risk_refs")
        if any(id(risk) in row_ids for risk in risks):
            reached.add(id(entry.item))
    for entry in entries:
        if entry.kind == "entry" and id(entry.item) in reached:
            reached.update(id(threat) for threat in entry.threats)
    return reached


@rule("RM001")
def threat_absent_from_risk_file(ctx: Context) -> Iterator[Finding]:
    entries = security_entries(ctx)
    reached = reached_entries(ctx, entries)
    for entry in entries:
        if entry.safety_impact in (None, "none") or id(entry.item) in reached:
            continue
        if entry.kind == "entry" and any(id(t) in reached for t in entry.threats):
            continue
        if entry.kind == "entry" and entry.threats:
            continue  # reported once, at the threat it assesses
        item = entry.item
        title = item.get("title")
        named = f"{item.id} ({title})" if isinstance(title, str) and title else f"{item.id}"
        what = "threat" if entry.kind == "threat" else "security risk"
        yield ctx.finding(
            "RM001",
            f"{what} {named} in {entry.document.label()} has a {entry.safety_impact} safety "
            "impact but reaches no ISO 14971 risk-analysis row; MDCG 2019-16 Rev.1 §3.2 expects "
            "security risks that can lead to harm in the safety risk file. Add the risk row to its "
            f"`risk_refs`, or list {item.id} in a risk row's threat refs",
            item.location,
            key=(item.id or "",),
        )


@rule("RM002")
def safety_impact_unassessed(ctx: Context) -> Iterator[Finding]:
    for entry in security_entries(ctx):
        item = entry.item
        what = "threat" if entry.kind == "threat" else "security risk"
        if entry.safety_impact is None:
            yield ctx.finding(
                "RM002",
                f"{what} {item.id} in {entry.document.label()} has no `safety_impact`; without it "
                "nobody can show whether it belongs in the ISO 14971 risk file (MDCG 2019-16 "
                "Rev.1 §3.2). Set none, non-serious, serious or unknown",
                item.location,
                key=(item.id or "", "missing"),
            )
        elif entry.safety_impact == "none" and not entry.rationale:
            yield ctx.finding(
                "RM002",
                f"{what} {item.id} in {entry.document.label()} is marked safety impact `none` "
                "without a `safety_impact_rationale`; a notified body will ask why this threat "
                "cannot lead to harm",
                item.location,
                key=(item.id or "", "rationale"),
                severity=Severity.WARNING,
            )
