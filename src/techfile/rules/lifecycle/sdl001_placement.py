"""SDL001: where a missing-evidence finding is placed, and the one finding for a technical file
that has no product-security documentation at all.

A finding about the whole technical file goes where the evidence should be listed: the
conformity-matrix or GSPR-checklist row for the clause, else the file most likely to hold it,
else no file at all (path ""). It is never placed on the configuration file or on a document
that is not about the device, where nobody could fix it.
"""

from __future__ import annotations

from techfile.data.clauses import Clause, ClauseRef
from techfile.data.registry import type_registry
from techfile.model.evidence import Row, rows, run_citations
from techfile.model.finding import Finding, Location
from techfile.model.lifecycle import lifecycle_data
from techfile.rules.base import Context
from techfile.rules.lifecycle.sdl001_suggestions import _Suggestion

NO_FILE = Location("", 0)  # a finding about the technical file as a whole
SECURITY_CLASSES = ("product", "process")  # evidence classes of product-security documentation


def _rows(ctx: Context) -> list[Row]:
    return ctx.shared("sdl001-rows", lambda: list(rows(ctx.index, ctx.clauses)))


def _row_for(ctx: Context, family: str | None, clause_id: str) -> Location | None:
    """The evidence cell of the first checklist or matrix row for the clause."""
    for row in _rows(ctx):
        if row.ref.family == family and row.clause_id == clause_id:
            return row.item.location_of("evidence")
    return None


def _regulation_refs(ctx: Context) -> list[ClauseRef]:
    refs = (ctx.clauses.parse(text) for text in lifecycle_data().regulation)
    return [ref for ref in refs if ref is not None]


def _regulation_row(ctx: Context) -> Location | None:
    """The GSPR checklist row of the first GSPR the secure life cycle is evidence for."""
    for ref in _regulation_refs(ctx):
        found = _row_for(ctx, ref.family, ref.clause)
        if found is not None:
            return found
    return None


def activity_anchor(
    ctx: Context, missing: list[Clause], suggestions: list[_Suggestion]
) -> Location:
    """The matrix or checklist row that claims the clause (so a finding of the evidence family
    about that row owns the defect), else the most likely file, else the GSPR checklist row of
    MDR Annex I 17.2, else the security plan, else no file."""
    for clause in missing:
        found = _row_for(ctx, clause.family, clause.id)
        if found is not None:
            return found
    if suggestions:
        return suggestions[0].location
    found = _regulation_row(ctx)
    if found is not None:
        return found
    for document in ctx.index.of_type("security-plan"):
        if document.active:
            return document.location()
    return NO_FILE


def has_security_documentation(ctx: Context, family: str) -> bool:
    """Any document of a product-security type about the device, or any product or process
    document cited for a clause of the standard."""
    types = lifecycle_data().security_documentation
    for document in ctx.documents:
        if document.type in types and ctx.evidence_class(document) in SECURITY_CLASSES:
            return True
    for citation in run_citations(ctx):
        evidence = citation.evidence
        if citation.ref.family != family or evidence is None or not evidence.active:
            continue
        if ctx.evidence_class(evidence) in SECURITY_CLASSES:
            return True
    return False


def _number_key(clause: Clause) -> tuple[int, ...]:
    return tuple(int(part) for part in clause.id.split(".") if part.isdigit())


def _regulation_text(ctx: Context) -> str:
    """`MDR Annex I 17.2 (software per the state of the art: ...) and 17.4 (...)`."""
    parts = []
    for position, ref in enumerate(_regulation_refs(ctx)):
        found = ctx.clauses.lookup(ref)
        shown = ctx.clauses.display(ref) if position == 0 else ref.clause
        title = f" ({found.title[:1].lower()}{found.title[1:]})" if found and found.title else ""
        parts.append(f"{shown}{title}")
    return " and ".join(parts)


def _first_documents() -> str:
    data = lifecycle_data()
    registry = type_registry().types
    named = []
    for activity_id in data.first_documents:
        activity = data.activity(activity_id)
        if activity is None or not activity.types:
            continue
        type_name = activity.types[0]
        known = registry.get(type_name)
        what = (known.title if known else type_name.replace("-", " ")).lower()
        named.append(f"a {what} (`type: {type_name}`, {', '.join(activity.clauses)})")
    if not named:
        return "Write the records of the secure life cycle's activities"
    listed = named[0] if len(named) == 1 else f"{', '.join(named[:-1])} and {named[-1]}"
    return f"Start with {listed}, then the other activities' records"


def _anchor_for_whole_file(ctx: Context, family: str | None) -> Location:
    found = _regulation_row(ctx)
    if found is not None:
        return found
    for document in ctx.index.of_type("conformity-matrix"):
        standard = ctx.clauses.family_of(str(document.meta.get("standard", "")))
        if document.active and standard == family:
            return document.location()
    return NO_FILE


def no_security_documentation(ctx: Context, missing: list[Clause]) -> Finding:
    """One finding for a technical file with no product-security documentation at all."""
    ordered = sorted(dict.fromkeys(missing), key=_number_key)
    first = ordered[0]
    standard = ctx.clauses.display(ClauseRef(first.id, first.family, "", None, first.id))
    standard = standard.rsplit(" ", 1)[0]
    numbers = ", ".join(c.id for c in ordered)
    regulation = _regulation_text(ctx)
    needs = f", and {regulation} lack the evidence they rest on" if regulation else ""
    return ctx.finding(
        "SDL001",
        "the technical file has no product-security documentation: no record of the "
        f"{standard} secure life cycle",
        _anchor_for_whole_file(ctx, first.family),
        clause=standard,
        key=("no-security-documentation",),
        why=f"{standard} asks for a record of each activity of its secure life cycle: without a "
        "security plan, threat model, security risk assessment, security test report or other "
        f"record, {len(ordered)} of its clauses have no evidence ({numbers}){needs}. A notified "
        "body assessing a device with software asks for this record first.",
        fix=f"{_first_documents()}; `techfile template TYPE` prints a skeleton of each.",
    )
