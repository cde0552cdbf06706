"""EV006: the GSPR checklist of a device with software lacks a row for a requirement on software
and IT security, or a connected device marks one not applicable that must apply."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from techfile.data.clauses import MDR_FAMILY
from techfile.data.registry import load_data
from techfile.model.document import Document
from techfile.model.evidence import Row, document_rows
from techfile.model.finding import Finding, Location
from techfile.rules.base import Context, rule
from techfile.rules.columns import its_field
from techfile.rules.evidence.common import gspr_clause

FLAG_FACTS = ("connected", "interoperates", "mobile_platforms")
FACT_WORDS = {
    "software": "the device is or contains software",
    "connected": "the device is connected",
    "interoperates": "the device interoperates with other devices or software",
    "mobile_platforms": "the software runs on mobile platforms",
}


@dataclass(frozen=True, slots=True)
class RequiredRow:
    gspr: str
    required_when: tuple[str, ...]
    must_apply_when: tuple[str, ...]
    topic: str


@functools.cache
def required_rows() -> tuple[tuple[str, ...], tuple[RequiredRow, ...]]:
    """(software document types, required rows) from data/gspr-requirements.yaml."""
    data: dict[str, Any] = load_data("gspr-requirements.yaml")
    found = tuple(
        RequiredRow(
            str(entry["gspr"]),
            tuple(entry.get("required_when", ())),
            tuple(entry.get("must_apply_when", ())),
            str(entry.get("topic", "")),
        )
        for entry in data["rows"]
    )
    return tuple(data.get("software_document_types", ())), found


def device_facts(ctx: Context, software_types: tuple[str, ...]) -> dict[str, str]:
    """Device facts that hold, each with where it was read (for messages)."""
    facts: dict[str, str] = {}
    descriptions = ctx.index.of_type("device-description")
    for name in FLAG_FACTS:
        if ctx.device.get(name) is True:
            facts[name] = f"`[device] {name} = true` in the configuration"
            continue
        for description in descriptions:
            if description.meta.get(name) is True:
                facts[name] = f"{description.label()} says `{name}: true`"
                break
    for key in ("software_safety_class", "software_version"):
        value = ctx.device.get(key)
        if isinstance(value, str) and value.strip():
            facts.setdefault("software", f"`[device] {key}` is set")
        for description in descriptions:
            value = description.meta.get(key)
            if isinstance(value, str) and value.strip():
                facts.setdefault("software", f"{description.label()} gives a `{key}`")
    software_docs = ctx.index.of_type(*software_types)
    if software_docs:
        facts.setdefault("software", f"the file holds {software_docs[0].label()}")
    return facts


@rule("EV006")
def cybersecurity_gspr_rows_missing(ctx: Context) -> Iterator[Finding]:
    checklists = ctx.index.of_type("gspr-checklist")
    if not checklists:
        return  # no checklist at all is not a missing row
    software_types, required = required_rows()
    facts = device_facts(ctx, software_types)
    present: dict[str, list[Row]] = {}
    all_rows: list[Row] = []
    for document in checklists:
        for row in document_rows(document, ctx.clauses):
            if row.ref.family == MDR_FAMILY:
                present.setdefault(row.clause_id, []).append(row)
                all_rows.append(row)
    for need in required:
        if not all(fact in facts for fact in need.required_when):
            continue
        found = present.get(need.gspr)
        if not found:
            location = _missing_location(ctx, need.gspr, checklists, all_rows)
            yield _missing_row(ctx, need, facts, location)
            continue
        if need.must_apply_when and all(fact in facts for fact in need.must_apply_when):
            yield from _must_apply(ctx, need, facts, found)


def _because(facts: dict[str, str], names: tuple[str, ...]) -> str:
    return " and ".join(f"{FACT_WORDS[f]} ({facts[f]})" for f in names)


def _missing_row(
    ctx: Context, need: RequiredRow, facts: dict[str, str], location: Location
) -> Finding:
    gspr = gspr_clause(ctx, need.gspr)
    return ctx.finding(
        "EV006",
        f"the GSPR checklist has no row for {gspr} ({need.topic})",
        location,
        clause=gspr,
        key=(need.gspr,),
        why=f"{gspr} concerns this device because {_because(facts, need.required_when)}; a "
        "notified body expects the checklist to answer it.",
        fix="Add the row: applicable with its evidence, or not applicable with a justification.",
    )


def _must_apply(
    ctx: Context, need: RequiredRow, facts: dict[str, str], found: list[Row]
) -> Iterator[Finding]:
    gspr = gspr_clause(ctx, need.gspr)
    for row in found:
        if row.effective_applicable() is not False:
            continue
        item = row.item
        yield ctx.finding(
            "EV006",
            f"{gspr} ({need.topic}) is marked not applicable in {row.document.label()}",
            item.location,
            clause=ctx.clauses.display(row.ref),
            key=(need.gspr, "not-applicable"),
            why=f"{gspr} applies because {_because(facts, need.must_apply_when)}; a notified "
            "body will not accept a justification for marking it not applicable.",
            fix=f"Mark it applicable in {its_field(ctx, item, 'applicable')} and cite the "
            f"evidence in {its_field(ctx, item, 'evidence')}.",
        )


def _missing_location(
    ctx: Context, gspr: str, checklists: list[Document], all_rows: list[Row]
) -> Location:
    """Where the missing row belongs: after the closest earlier GSPR row, else at the first row,
    else at the top of the checklist."""
    standard = ctx.clauses.standards.get(MDR_FAMILY)
    order = {cid: n for n, cid in enumerate(standard.clauses)} if standard else {}
    position = order.get(gspr, -1)
    earlier = [r for r in all_rows if -1 < order.get(r.clause_id, -1) < position]
    if earlier:
        row = max(earlier, key=lambda r: order[r.clause_id])
        return Location(row.document.path, row.item.line, 0, row.document.id, None)
    if all_rows:
        row = all_rows[0]
        return Location(row.document.path, row.item.line, 0, row.document.id, None)
    document = checklists[0]
    return Location(document.path, 1, 0, document.id, None)
