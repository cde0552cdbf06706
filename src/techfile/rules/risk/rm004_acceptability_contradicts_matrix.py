"""RM004: a risk row states an acceptability its plan's matrix contradicts, before or after
risk control."""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.finding import Finding
from techfile.model.plan import contradicts
from techfile.model.risk_evaluation import configured_aliases, evaluate_row
from techfile.rules.base import Context, rule
from techfile.rules.risk.common import cited, level_pair, risk_plan_rows, row_name

CELL_WORDS = {
    "acceptable": "rates {pair} acceptable",
    "reduce-afap": "puts {pair} in the region where risks are reduced as far as possible",
    "unacceptable": "rates {pair} unacceptable",
}
STATED_WORDS = {
    "acceptable": "is stated acceptable",
    "not-acceptable": "is stated not acceptable",
    "reduce-afap": "is placed in the reduce-as-far-as-possible region",
}


@rule("RM004")
def acceptability_contradicts_matrix(ctx: Context) -> Iterator[Finding]:
    aliases = configured_aliases(ctx)
    reading = ctx.options("RM004").get("reduce_afap", "either")
    if reading not in ("either", "acceptable", "not-acceptable"):
        reading = "either"
    for document, row, plan in risk_plan_rows(ctx):
        if plan is None or not plan.has_matrix:
            continue
        for stage, field_name, when, clause in (
            ("initial", "acceptable", "before risk control", 0),
            ("residual", "residual_acceptable", "after risk control", 1),
        ):
            evaluation = evaluate_row(plan, row, stage, aliases)
            if not contradicts(evaluation.stated, evaluation.cell, str(reading)):
                continue
            stated = STATED_WORDS.get(evaluation.stated or "", "")
            pair = level_pair(evaluation.severity, evaluation.probability)
            cell = CELL_WORDS.get(evaluation.cell or "", "").format(pair=pair)
            yield ctx.finding(
                "RM004",
                f"risk {row_name(row)} in {document.label()} {stated} {when}, but the "
                f"acceptability matrix of {plan.label} {cell}; a notified body will ask which "
                f"evaluation is right{cited(ctx, 'RM004', clause)}. Correct the row, or the "
                "matrix if the policy changed",
                row.location_of(field_name),
                key=(row.id or str(row.line), stage),
            )
