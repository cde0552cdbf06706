"""RM004: a risk row states an acceptability its plan's matrix contradicts, before or after
risk control."""

from __future__ import annotations

from collections.abc import Iterator

from techfile.data.registry import ValueAliases
from techfile.model.document import Document, Item
from techfile.model.finding import Finding
from techfile.model.plan import contradicts, stated_acceptability
from techfile.model.risk_evaluation import Evaluation, configured_aliases, evaluate_row
from techfile.rules.base import Context, rule
from techfile.rules.columns import in_table, record, written_cell
from techfile.rules.risk.common import level_pair, risk_plan_rows, row_name

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
STAGES = (
    ("initial", "acceptable", "before risk control", 0),
    ("residual", "residual_acceptable", "after risk control", 1),
)


@rule("RM004")
def acceptability_contradicts_matrix(ctx: Context) -> Iterator[Finding]:
    aliases = configured_aliases(ctx)
    reading = str(ctx.options("RM004").get("reduce_afap", "either"))
    if reading not in ("either", "acceptable", "not-acceptable"):
        reading = "either"
    for document, row, plan in risk_plan_rows(ctx):
        if plan is None or not plan.has_matrix:
            continue
        for stage, field_name, when, clause in STAGES:
            evaluation = evaluate_row(plan, row, stage, aliases)
            if not contradicts(evaluation.stated, evaluation.cell, reading):
                continue
            pair = level_pair(evaluation.severity, evaluation.probability)
            cell = CELL_WORDS.get(evaluation.cell or "", "").format(pair=pair)
            written = written_cell(ctx, row, field_name) if in_table(row) else None
            stated = f"says `{written}`" if written else STATED_WORDS.get(evaluation.stated or "")
            target = _target(ctx, document, row, field_name, evaluation, reading, aliases)
            yield ctx.finding(
                "RM004",
                f"risk {row_name(row)} in {document.label()} {stated} {when}, but the matrix of "
                f"{plan.label} {cell}",
                row.location_of(field_name),
                key=(row.id or str(row.line), stage),
                why=f"{ctx.page_clauses('RM004', clause)} compares each risk {when} with the "
                "acceptability criteria of the risk management plan; when the row and the "
                "matrix disagree, a notified body will ask which evaluation is right.",
                fix=f"If the severity and probability of {row_name(row)} are right, {target}; "
                f"otherwise correct them, or the matrix of {plan.label} if the policy changed.",
            )


def _target(
    ctx: Context,
    document: Document,
    row: Item,
    field_name: str,
    evaluation: Evaluation,
    reading: str,
    aliases: ValueAliases,
) -> str:
    """What to record in the row so that it agrees with the matrix, in the row's form: the
    word the table uses elsewhere for that verdict (`No`, `Not acceptable`), else Yes or No."""
    cell = evaluation.cell
    verdict = reading if cell == "reduce-afap" else cell
    acceptable = verdict == "acceptable"
    if not in_table(row):
        return record(ctx, document, row, field_name, "true" if acceptable else "false")
    wanted = "acceptable" if acceptable else "not-acceptable"
    words = [
        text
        for other in document.items.get(row.list_name, [])
        if other.path == row.path and other.table == row.table
        for name in ("acceptable", "residual_acceptable")
        if (text := written_cell(ctx, other, name)) is not None
        and stated_acceptability(text, aliases) == wanted
    ]
    return record(ctx, document, row, field_name, "", words[0] if words else _yes_no(acceptable))


def _yes_no(acceptable: bool) -> str:
    return "Yes" if acceptable else "No"
