"""EV005: a GSPR checklist row is marked applicable but names no standards or no evidence, is
marked not applicable without a justification, or says nothing at all."""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.checklist import read_checklist
from techfile.model.evidence import Row, document_rows
from techfile.model.finding import Finding
from techfile.model.standards import standards_table
from techfile.rules.base import Context, rule
from techfile.rules.evidence.common import annex_section


@rule("EV005")
def gspr_row_incomplete(ctx: Context) -> Iterator[Finding]:
    require_standards = ctx.options("EV005").get("require-standards", True) is not False
    annex = annex_section(ctx, "EV005")
    for document in ctx.index.of_type("gspr-checklist"):
        layout = read_checklist(document.items.get("rows", []), "gspr", document.headings)
        for row in document_rows(document, ctx.clauses):
            place = layout.of(row.item)
            if place is None or not place.is_requirement:
                continue  # a row of an appended Annex II table, or one FM004 cannot place
            problem = _row_problem(row, layout.has_points(place), require_standards, annex)
            if problem is None:
                continue
            gspr = ctx.clauses.display(row.ref)
            yield ctx.finding(
                "EV005",
                f"{gspr} in {document.label()} {problem}",
                row.item.location,
                clause=gspr,
                key=(row.clause_id,),
            )


def _row_problem(row: Row, heading: bool, require_standards: bool, annex: str) -> str | None:
    """What the row lacks, in words (None: nothing); `heading`: points or answering rows
    stand below it (model/checklist.py); `annex` names the MDR's requirement on the checklist
    (`MDR Annex II section 4`)."""
    applicable = row.effective_applicable()
    if applicable is False:
        if row.justification:
            return None
        return (
            f"is marked not applicable without a justification; {annex} asks for "
            "the reason each requirement does not apply. Add it to the row's justification"
        )
    if heading and not (row.evidence or row.standards):
        return None  # a heading such as `17` or `23.4` whose points carry the answers
    if applicable is None:
        return (
            f"says neither whether it applies nor how it is met; {annex} asks for "
            "each requirement either the standards and evidence that show conformity or the "
            "reason it does not apply. Fill in applicable, and then the evidence or a justification"
        )
    missing = []
    if require_standards and not row.standards:
        elsewhere = _standard_in_justification(row)
        if elsewhere and row.evidence:
            return (
                f"is marked applicable and names {elsewhere} only in its justification, not among "
                "the standards, common specifications or other solutions applied; a notified body "
                f"reads the standards applied from the checklist ({annex}). Move it to the "
                "row's standards"
            )
        missing.append("the standards, common specifications or other solutions applied")
    if not row.evidence:
        missing.append("the controlled documents that give the evidence")
    if not missing:
        return None
    if len(missing) == 2:
        return (
            f"is marked applicable but names neither {missing[0]} nor {missing[1]}; a notified "
            f"body reads both from the checklist ({annex}). Add them"
        )
    return (
        f"is marked applicable but does not name {missing[0]}; a notified body reads the "
        f"standards applied and the evidence from the checklist ({annex}). Add them"
    )


def _standard_in_justification(row: Row) -> str | None:
    """A standard written in the justification (rationale) column instead of the standards
    column, as written (`ISO 14971:2919`)."""
    text = row.justification
    if text is None:
        return None
    found = [c for c in standards_table().read(text) if c.designation and c.core]
    if not found:
        return None
    first = found[0]
    return f"{first.designation}:{first.year}" if first.year else first.designation
