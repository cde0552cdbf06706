"""Shared by the RM rules: the rows of the risk file with their plans, and the words and
clause citations of the findings (columns.py: fixes in the form a row is written in)."""

from __future__ import annotations

import re

from techfile.model.document import Document, Item
from techfile.model.plan import Level, RiskPlan, plan_for
from techfile.model.risk_evaluation import as_list, risk_plans
from techfile.rules.base import Context

_LETTERED = re.compile(r"\s+([a-z]{1,2})\)$")  # `4.4 d)` -> `4.4(d)` inside parentheses


def _cite(ctx: Context, code: str, index: int = 0) -> str:
    """A clause of the rule's page; clause numbers live on the pages."""
    page = ctx.pages.get(code)
    if page is None or len(page.clauses) <= index:
        return ""
    return page.clauses[index]


def clauses(ctx: Context, code: str, *indexes: int) -> str:
    """`ISO 14971:2019 5.4, 5.5`: the page's clauses at these positions (default: the first),
    for a finding's `why`; `the standard` when the page names none."""
    texts = [_LETTERED.sub(r"(\1)", t) for i in indexes or (0,) if (t := _cite(ctx, code, i))]
    if not texts:
        return "the standard"
    refs = [ctx.clauses.parse(t) for t in texts]
    families = {ref.family for ref in refs if ref is not None}
    if len(texts) > 1 and None not in families and len(families) == 1 and all(refs):
        prefix = texts[0][: len(texts[0]) - len(texts[0].split()[-1])].rstrip()
        if all(t.startswith(prefix + " ") for t in texts):
            return f"{prefix} {', '.join(t[len(prefix) + 1 :] for t in texts)}"
    return " and ".join([", ".join(texts[:-1]), texts[-1]] if len(texts) > 1 else texts)


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
