"""RM008: a risk row lacks part of the sequence from hazard to harm, or its probability."""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.document import Document, Item
from techfile.model.finding import Finding
from techfile.rules.base import Context, rule
from techfile.rules.risk.common import (
    cited,
    column,
    has_value,
    in_table,
    its_column,
    risk_plan_rows,
    row_name,
)

CHAIN_FIELDS = (
    ("hazard", "hazard"),
    ("hazardous_situation", "hazardous situation"),
    ("harm", "harm"),
    ("severity", "severity"),
)


@rule("RM008")
def risk_chain_incomplete(ctx: Context) -> Iterator[Finding]:
    for document, row, plan in risk_plan_rows(ctx):
        missing = [
            words for field_name, words in CHAIN_FIELDS if not has_value(row.get(field_name))
        ]
        probability_missing = (
            not has_value(row.get("probability"))
            and not (plan is not None and plan.non_estimable_criteria)
            and row.get("probability_method") not in ("not-estimable", "exploitability")
        )
        if probability_missing:
            missing.append("probability")
        if not missing:
            continue
        listed = ", ".join(missing[:-1]) + (" or " if len(missing) > 1 else "") + missing[-1]
        if missing == ["probability"]:
            where = f"the plan {plan.label}" if plan is not None else "no risk management plan"
            yield ctx.finding(
                "RM008",
                f"risk {row_name(row)} in {document.label()} has no probability, {where} gives "
                "no criteria for risks whose probability cannot be estimated, and the row gives "
                f"no {_method_name(row)}; a notified body will ask how this risk was evaluated"
                f"{cited(ctx, 'RM008', 1, 2)}. Estimate the probability, or record how the risk "
                f"is evaluated without one: {_method_words(document, row)}, or "
                "`non_estimable_probability_criteria` in the plan",
                row.location,
                key=(row.id or str(row.line),),
            )
            continue
        yield ctx.finding(
            "RM008",
            f"risk {row_name(row)} in {document.label()} has no {listed}; a notified body will "
            "ask for the whole sequence from hazard through hazardous situation to harm, with "
            f"its severity and probability{cited(ctx, 'RM008', 0, 1)}. Fill in the missing parts",
            row.location,
            key=(row.id or str(row.line),),
        )


def _method_name(row: Item) -> str:
    return f"{column('probability_method')}" if in_table(row) else "`probability_method`"


def _method_words(document: Document, row: Item) -> str:
    """Where the row says how it is evaluated, in the form it is written in."""
    if in_table(row):
        where = its_column(document, row, "probability_method")
        return f"`not-estimable` or `exploitability` in {where}"
    return "`probability_method: not-estimable` or `exploitability` in the row"
