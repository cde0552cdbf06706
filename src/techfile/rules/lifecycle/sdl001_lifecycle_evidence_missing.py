"""SDL001 lifecycle-evidence-missing: an activity of the EN IEC 81001-5-1 secure lifecycle, such
as the threat model, penetration testing or vulnerability handling, has no approved document in
the technical file that covers it. The likely fixes it names are found in `sdl001_suggestions`.
"""

from __future__ import annotations

from collections.abc import Iterator

from techfile.data.clauses import Clause
from techfile.model.document import Document
from techfile.model.evidence import run_citations
from techfile.model.finding import Finding, Location
from techfile.model.lifecycle import Activity, counts_by_type, lifecycle_data
from techfile.rules.base import Context, rule
from techfile.rules.lifecycle.common import _family, _is_approved, lifecycle_applies
from techfile.rules.lifecycle.sdl001_suggestions import (
    Cited,
    _cites,
    _ref,
    _Suggestion,
    _suggestion_text,
    _suggestions,
)


@rule("SDL001")
def lifecycle_evidence_missing(ctx: Context) -> Iterator[Finding]:
    data = lifecycle_data()
    family = _family(ctx)
    standard = ctx.clauses.standards.get(family or "")
    if standard is None or not lifecycle_applies(ctx):
        return
    cited = _cited_clauses(ctx, family or "", standard.clauses)
    approved = [d for d in ctx.documents if _is_approved(ctx, d)]
    for activity in data.activities:
        missing = []
        for clause_id in activity.clauses:
            clause = standard.clauses.get(clause_id)
            if clause is not None and not _covered(ctx, activity, clause, cited, approved):
                missing.append(clause)
        if missing:
            yield _missing_finding(ctx, activity, missing, cited)


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


def _covered(
    ctx: Context, activity: Activity, clause: Clause, cited: Cited, approved: list[Document]
) -> bool:
    for document in approved:
        if ctx.evidence_class(document) not in clause.accepts:
            continue
        if counts_by_type(activity, document) or _cites(document, clause, cited):
            return True
    return False


def _missing_finding(
    ctx: Context, activity: Activity, missing: list[Clause], cited: Cited
) -> Finding:
    first = missing[0]
    display = ctx.clauses.display(_ref(ctx, first))
    numbers = ", ".join(c.id for c in missing)
    where = f"{display.rsplit(' ', 1)[0]} {numbers}"
    suggestions = _suggestions(ctx, activity, missing, cited)
    message = (
        f"no approved document covers the {activity.name} ({where}); a notified body will ask "
        "for it. "
    )
    entries = "`, `".join(ctx.clauses.display(_ref(ctx, c)) for c in missing)
    if suggestions:
        message += _suggestion_text(suggestions, entries)
    else:
        message += _generic_fix(activity, entries)
    return ctx.finding(
        "SDL001",
        message,
        _anchor(ctx, first, suggestions),
        clause=display,
        key=(activity.id,),
    )


def _generic_fix(activity: Activity, entries: str) -> str:
    if activity.types:
        kinds = " or ".join(f"`type: {t}`" for t in activity.types)
        return (
            f"Add an approved document of {kinds}, or list `{entries}` in the `evidence_for` of "
            "the approved document that holds it"
        )
    usual = " or ".join(f"`{t}`" for t in activity.also_in[:3])
    often = f" (often a document of type {usual})" if usual else ""
    return f"List `{entries}` in the `evidence_for` of the approved document that holds it{often}"


def _anchor(ctx: Context, clause: Clause, suggestions: list[_Suggestion]) -> Location:
    """Where the missing evidence is reported: the conformity-matrix row that claims it (so a
    finding of the evidence family about that row owns the defect), else the most likely file,
    else the security plan, the conformity matrix, the device description or the
    configuration."""
    for row_doc in ctx.index.of_type("conformity-matrix"):
        for row in row_doc.items.get("rows", []):
            text = row.get("clause")
            if not isinstance(text, str):
                continue
            family = ctx.clauses.family_of(str(row_doc.meta.get("standard", "")))
            ref = ctx.clauses.parse(text, default_family=family)
            if ref is not None and ref.family == clause.family and ref.clause == clause.id:
                return row.location_of("evidence")
    if suggestions:
        return suggestions[0].location
    for type_name in ("security-plan", "conformity-matrix", "device-description"):
        for document in ctx.index.of_type(type_name):
            return document.location()
    if ctx.config.source is not None:
        try:
            return Location(ctx.config.source.relative_to(ctx.root).as_posix(), 1)
        except ValueError:
            pass
    documents = ctx.documents or ctx.index.documents
    return documents[0].location() if documents else Location(".", 0)
