"""Shared by the RM rules: the rows of the risk file with their plans, and the words and
clause citations of the findings (columns.py: fixes in the form a row is written in)."""

from __future__ import annotations

from techfile.model.document import Document, Item
from techfile.model.plan import Level, RiskPlan, plan_for
from techfile.model.risk_evaluation import as_list, risk_plans
from techfile.rules.base import Context


def row_name(item: Item) -> str:
    return item.id if item.id else f"(row at line {item.line})"


def line_words(line: int, path: str, here: str) -> str:
    """` (line 117)`, or ` (data/risk.yml:9)` when the line is in another file than the
    finding; empty when the line is not known."""
    if not line:
        return ""
    return f" (line {line})" if path == here else f" ({path}:{line})"


def has_value(value: object) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, dict)):
        return bool(value)
    return value is not None and not isinstance(value, bool)


def level_pair(severity: Level | None, probability: Level | None) -> str:
    """A cell of the matrix in words, severity by probability; `?` for a level not known."""
    left = severity.label() if severity else "?"
    right = probability.label() if probability else "?"
    return f"{left} \u00d7 {right}"


def risk_plan_rows(ctx: Context) -> list[tuple[Document, Item, RiskPlan | None]]:
    """Every risk-analysis row with its document and the plan it is evaluated with, once per
    run."""
    return ctx.shared("risk-plan-rows", lambda: _read_risk_plan_rows(ctx))


def _read_risk_plan_rows(ctx: Context) -> list[tuple[Document, Item, RiskPlan | None]]:
    plans = risk_plans(ctx)
    rows: list[tuple[Document, Item, RiskPlan | None]] = []
    for document in ctx.index.of_type("risk-analysis"):
        plan = plan_for(plans, document, ctx.index)
        rows.extend((document, row, plan) for row in document.items.get("risks", []))
    return rows


def is_security_row(row: Item) -> bool:
    return row.get("source") == "security" or bool(as_list(row.get("threat_refs")))
