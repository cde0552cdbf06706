"""EV005: a GSPR checklist row is marked applicable but names no standards or no evidence, is
marked not applicable without a justification, or says nothing at all."""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.checklist import read_checklist
from techfile.model.evidence import Row, document_rows
from techfile.model.finding import Finding
from techfile.model.standards import standards_table
from techfile.rules.base import Context, rule
from techfile.rules.columns import its_field
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
            problem = _row_problem(ctx, row, layout.has_points(place), require_standards, annex)
            if problem is None:
                continue
            what, why, fix = problem
            gspr = ctx.clauses.display(row.ref)
            yield ctx.finding(
                "EV005",
                f"{gspr} in {document.label()} {what}",
                row.item.location,
                clause=gspr,
                key=(row.clause_id,),
                why=why,
                fix=fix,
            )


def _row_problem(
    ctx: Context, row: Row, heading: bool, require_standards: bool, annex: str
) -> tuple[str, str, str] | None:
    """What the row lacks in words, why it matters, and what to write where (None: nothing);
    `heading`: points or answering rows stand below it (model/checklist.py); `annex` names the
    MDR's requirement on the checklist (`MDR Annex II section 4`)."""
    applicable = row.effective_applicable()
    item = row.item
    if applicable is False:
        if row.justification:
            return None
        return (
            "is marked not applicable without a justification",
            f"{annex} asks for the reason each requirement does not apply.",
            f"Write the reason in {its_field(ctx, item, 'justification')}.",
        )
    if heading and not (row.evidence or row.standards):
        return None  # a heading such as `17` or `23.4` whose points carry the answers
    if applicable is None:
        return (
            "says neither whether it applies nor how it is met",
            f"{annex} asks, for each requirement, either the standards and evidence that show "
            "conformity or the reason it does not apply.",
            f"Fill in {its_field(ctx, item, 'applicable')}, and then the evidence or a "
            "justification.",
        )
    read_there = (
        f"{annex} asks the checklist to name, for each requirement that applies, the "
        "standards, common specifications or other solutions applied and the controlled "
        "documents that give the evidence; a notified body reads them from there."
    )
    standards, evidence = its_field(ctx, item, "standards"), its_field(ctx, item, "evidence")
    missing_standards = require_standards and not row.standards
    if missing_standards and row.evidence:
        elsewhere = _standard_in_justification(row)
        if elsewhere:
            return (
                f"names {elsewhere} only in its justification, not among the standards applied",
                read_there,
                f"Move {elsewhere} to {standards}.",
            )
    if missing_standards and not row.evidence:
        return (
            "is marked applicable but names neither the standards applied nor the evidence",
            read_there,
            f"Add the standards applied to {standards} and the evidence to {evidence}.",
        )
    if missing_standards:
        return (
            "is marked applicable but names no standard applied",
            read_there,
            f"Add the standards, common specifications or other solutions applied to {standards}.",
        )
    if not row.evidence:
        return (
            "is marked applicable but names no evidence",
            read_there,
            f"Add the controlled documents that give the evidence to {evidence}.",
        )
    return None


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
