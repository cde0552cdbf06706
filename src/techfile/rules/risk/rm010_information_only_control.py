"""RM010: a risk that is not acceptable before risk control is controlled only by information
for safety, and the row does not say why."""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.finding import Finding
from techfile.model.risk_evaluation import as_list, configured_aliases, evaluate_row
from techfile.rules.base import Context, rule
from techfile.rules.columns import field_words
from techfile.rules.risk.common import has_value, level_pair, risk_plan_rows, row_name


@rule("RM010")
def information_only_control(ctx: Context) -> Iterator[Finding]:
    aliases = configured_aliases(ctx)
    for document, row, plan in risk_plan_rows(ctx):
        if has_value(row.get("priority_rationale")):
            continue
        references = as_list(row.get("controls"))
        if not references:
            continue
        controls = [ctx.index.resolve(ref, document, "item").item for ref in references]
        if any(
            control is None
            or control.list_name != "controls"
            or control.get("type") != "information-for-safety"
            for control in controls
        ):
            continue
        evaluation = evaluate_row(plan, row, "initial", aliases)
        if evaluation.verdict != "not-acceptable":
            continue
        pair = (
            f" ({level_pair(evaluation.severity, evaluation.probability)} in {plan.label})"
            if plan is not None and evaluation.severity and evaluation.probability
            else ""
        )
        names = ", ".join(c.id or "?" for c in controls if c is not None)
        yield ctx.finding(
            "RM010",
            f"risk {row_name(row)} in {document.label()} is not acceptable before risk control "
            f"but is controlled only by information for safety ({names})",
            row.location_of("controls"),
            key=(row.id or str(row.line),),
            why=f"{ctx.page_clauses('RM010', 0, 1)} put information for safety after safe design "
            "and protective measures in the order of risk control options; for a risk that is "
            f"not acceptable{pair}, a notified body will ask why those were not possible.",
            fix="Add safe design or protective measures, or record why they were not possible "
            f"in {field_words(ctx, document, row, 'priority_rationale')}.",
        )
