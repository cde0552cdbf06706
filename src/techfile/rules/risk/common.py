"""Shared by the RM rules: the rows of the risk file with their plans, and the words and
clause citations of the messages."""

from __future__ import annotations

import re

from techfile.model.document import Document, Item
from techfile.model.plan import Level, RiskPlan, plan_for
from techfile.model.risk_evaluation import as_list, risk_plans
from techfile.rules.base import Context

_LETTERED = re.compile(r"\s+([a-z]{1,2})\)$")  # `4.4 d)` -> `4.4(d)` inside parentheses

# The column header a fix names when the item is a table row: a header techfile reads as the
# field (each one is a header of data/columns.yaml; tests/test_precision_risk.py checks it).
COLUMN_HEADERS = {
    "new_risks_assessed": "New risks assessed",
    "verification.implementation": "Verification of implementation",
    "verification.effectiveness": "Verification of effectiveness",
    "benefit_risk_ref": "Benefit-risk reference",
    "priority_rationale": "Priority rationale",
    "probability_method": "Probability method",
    "source": "Source",
    "threat_refs": "Threat refs",
    "risk_refs": "Risk refs",
    "safety_impact": "Safety impact",
    "safety_impact_rationale": "Safety impact rationale",
}


def _cite(ctx: Context, code: str, index: int = 0) -> str:
    """A clause of the rule's page, for the message; clause numbers live on the pages."""
    page = ctx.pages.get(code)
    if page is None or len(page.clauses) <= index:
        return ""
    return page.clauses[index]


def cited(ctx: Context, code: str, *indexes: int) -> str:
    """` (ISO 14971:2019 5.4, 5.5)`: the page's clauses at these positions (default: the
    first), for the message."""
    texts = [_LETTERED.sub(r"(\1)", t) for i in indexes or (0,) if (t := _cite(ctx, code, i))]
    if not texts:
        return ""
    refs = [ctx.clauses.parse(t) for t in texts]
    families = {ref.family for ref in refs if ref is not None}
    if len(texts) > 1 and None not in families and len(families) == 1 and all(refs):
        prefix = texts[0][: len(texts[0]) - len(texts[0].split()[-1])].rstrip()
        if all(t.startswith(prefix + " ") for t in texts):
            return f" ({prefix} {', '.join(t[len(prefix) + 1 :] for t in texts)})"
    return f" ({'; '.join(texts)})"


def row_name(item: Item) -> str:
    return item.id if item.id else f"(row at line {item.line})"


def line_words(line: int, path: str, here: str) -> str:
    """` (line 117)`, or ` (data/risk.yml:9)` when the line is in another file than the
    finding; empty when the line is not known."""
    if not line:
        return ""
    return f" (line {line})" if path == here else f" ({path}:{line})"


def in_table(item: Item) -> bool:
    """The item is a row of a Markdown or CSV table, so a fix names columns and cells."""
    return item.source == "table"


def column(field_name: str) -> str:
    """`"New risks assessed"`: the column a table row records the field in."""
    return f'"{COLUMN_HEADERS.get(field_name, field_name)}"'


def column_in_use(document: Document, item: Item, field_name: str) -> bool:
    """Whether a row of the item's table fills the field's column, so the column is there
    (a row keeps only the cells that hold a value; `a.b` is `b` inside `a`)."""
    return any(
        other.path == item.path
        and other.table == item.table
        and _filled(other.fields, field_name.split("."))
        for other in document.items.get(item.list_name, [])
    )


def _filled(fields: object, path: list[str]) -> bool:
    for step in path:
        if not isinstance(fields, dict) or step not in fields:
            return False
        fields = fields[step]
    return True


def its_column(document: Document, item: Item, field_name: str) -> str:
    """`its "New risks assessed" column`, or `a new "New risks assessed" column` when the
    item's table has none."""
    if column_in_use(document, item, field_name):
        return f"its {column(field_name)} column"
    return f"a new {column(field_name)} column"


def record(
    document: Document, item: Item, field_name: str, value: str, cell: str | None = None
) -> str:
    """How to record a value in the form the item is written in: set `field: value` in
    front-matter or a data file, write the cell in its column for a table row (write `Yes`
    in its "New risks assessed" column)."""
    if in_table(item):
        written = cell if cell is not None else value
        return f"write `{written}` in {its_column(document, item, field_name)}"
    return f"set `{field_name}: {value}`"


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
