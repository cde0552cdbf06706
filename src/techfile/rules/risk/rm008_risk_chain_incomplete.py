"""RM008: a risk row lacks part of the sequence from hazard to harm, or its probability."""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.document import Document, Item
from techfile.model.finding import Finding
from techfile.model.plan import RiskPlan
from techfile.rules.base import Context, rule
from techfile.rules.columns import column_name, columns_words, field_words, in_table
from techfile.rules.risk.common import has_value, risk_plan_rows, row_name

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
            (field_name, words)
            for field_name, words in CHAIN_FIELDS
            if not has_value(row.get(field_name))
        ]
        probability_missing = (
            not has_value(row.get("probability"))
            and not (plan is not None and plan.non_estimable_criteria)
            and row.get("probability_method") not in ("not-estimable", "exploitability")
        )
        if probability_missing:
            missing.append(("probability", "probability"))
        if not missing:
            continue
        if len(missing) == 1 and probability_missing:
            yield _no_probability(ctx, document, row, plan)
            continue
        yield ctx.finding(
            "RM008",
            f"risk {row_name(row)} in {document.label()} has no {_listed(missing)}",
            row.location,
            key=(row.id or str(row.line),),
            why=f"{ctx.page_clauses('RM008', 0, 1)} ask for the whole sequence from hazard through "
            "hazardous situation to harm, with its severity and probability; a notified body "
            "will ask for the missing parts.",
            fix=f"Fill in {_where(ctx, document, row, [f for f, _w in missing])}.",
        )


def _no_probability(ctx: Context, document: Document, row: Item, plan: RiskPlan | None) -> Finding:
    where = (
        f"the plan {plan.label} gives"
        if plan is not None
        else "there is no risk management plan to give"
    )
    method = (
        f"{column_name(ctx, row, 'probability_method')}"
        if in_table(row)
        else "`probability_method`"
    )
    return ctx.finding(
        "RM008",
        f"risk {row_name(row)} in {document.label()} has no probability and no {method}",
        row.location,
        key=(row.id or str(row.line),),
        why=f"{ctx.page_clauses('RM008', 1, 2)} ask for the probability of each risk, or for "
        f"criteria for risks whose probability cannot be estimated, and {where} none; a "
        "notified body will ask how this risk was evaluated.",
        fix="Estimate the probability, or record how the risk is evaluated without one: "
        f"{_method_words(ctx, document, row)}, or `non_estimable_probability_criteria` in the "
        "plan.",
    )


def _listed(missing: list[tuple[str, str]]) -> str:
    words = [w for _f, w in missing]
    return ", ".join(words[:-1]) + (" or " if len(words) > 1 else "") + words[-1]


def _where(ctx: Context, document: Document, row: Item, fields: list[str]) -> str:
    """`its "Hazard" and "Harm" columns`, `` `hazard` and `harm` ``: where the parts go."""
    if not in_table(row):
        return " and ".join(f"`{f}`" for f in fields)
    return columns_words(ctx, document, row, fields)


def _method_words(ctx: Context, document: Document, row: Item) -> str:
    """Where the row says how it is evaluated, in the form it is written in."""
    if in_table(row):
        where = field_words(ctx, document, row, "probability_method")
        return f"`not-estimable` or `exploitability` in {where}"
    return "`probability_method: not-estimable` or `exploitability` in the row"
