"""RM006: a residual risk that is not acceptable names no benefit-risk analysis."""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.document import Document, Item
from techfile.model.finding import Finding
from techfile.model.plan import as_text
from techfile.model.risk_evaluation import as_list, configured_aliases, evaluate_row
from techfile.rules.base import Context, rule
from techfile.rules.columns import in_table, its_column
from techfile.rules.risk.common import has_value, level_pair, risk_plan_rows, row_name


@rule("RM006")
def unacceptable_residual_risk_without_benefit_risk(ctx: Context) -> Iterator[Finding]:
    aliases = configured_aliases(ctx)
    for document, row, plan in risk_plan_rows(ctx):
        if has_value(row.get("benefit_risk_ref")):
            continue
        evaluation = evaluate_row(plan, row, "residual", aliases)
        if evaluation.verdict != "not-acceptable":
            continue
        pair = level_pair(evaluation.severity, evaluation.probability)
        if evaluation.cell == "unacceptable" and plan is not None:
            state, where = "is unacceptable", f" ({pair} in the matrix of {plan.label})"
        elif evaluation.cell == "reduce-afap" and plan is not None:
            state = "is stated not acceptable"
            where = (
                f" ({pair}, where the matrix of {plan.label} asks to reduce it as far as possible)"
            )
        else:
            state, where = "is stated not acceptable", ""
        uncontrolled = not as_list(row.get("controls")) and not any(
            as_text(row.get(f)) for f in ("residual_severity", "residual_probability")
        )
        subject = (
            f"risk {row_name(row)} in {document.label()} has no risk control; its risk"
            if uncontrolled
            else f"the residual risk of {row_name(row)} in {document.label()}"
        )
        yield ctx.finding(
            "RM006",
            f"{subject} {state}, and the row names no benefit-risk analysis",
            row.location_of("residual_acceptable"),
            key=(row.id or str(row.line),),
            why=f"{ctx.page_clauses('RM006', 0)} "
            f"accepts a residual risk that is not acceptable{where} "
            "only when the medical benefit outweighs it; a notified body will ask for the "
            "analysis that shows this.",
            fix=f"Reduce the risk further, or {_name_analysis(ctx, document, row)}.",
        )


def _name_analysis(ctx: Context, document: Document, row: Item) -> str:
    if in_table(row):
        return f"name that analysis in {its_column(ctx, document, row, 'benefit_risk_ref')}"
    return "add `benefit_risk_ref` pointing to that analysis"
