"""Reading a risk management plan: front-matter first, then the body tables for what the
front-matter leaves out."""

from __future__ import annotations

from collections.abc import Sequence

from techfile.data.registry import ValueAliases
from techfile.model.document import Document
from techfile.model.plan.front_matter import (
    complete_from_matrix,
    front_matter_levels,
    front_matter_matrix,
    has_non_estimable_criteria,
)
from techfile.model.plan.levels import AXES, Scale
from techfile.model.plan.risk_plan import RiskPlan
from techfile.model.plan.tables import is_matrix, risk_level_meanings, table_levels, table_matrix
from techfile.model.table import Table


def plan_tables(document: Document) -> tuple[Table, ...]:
    """The body tables of a document, when the document model carries them."""
    tables = getattr(document, "tables", ())
    return tuple(t for t in tables if isinstance(t, Table)) if isinstance(tables, tuple) else ()


def read_plan(
    document: Document, aliases: ValueAliases, tables: Sequence[Table] | None = None
) -> RiskPlan:
    """Read a risk management plan from its front-matter, completed by its body tables."""
    meta = document.meta
    tables = tuple(plan_tables(document) if tables is None else tables)
    risk_levels = risk_level_meanings(tables, aliases)
    matrix_tables = [t for t in tables if is_matrix(t, aliases, risk_levels)]
    scales = {axis: Scale(axis, front_matter_levels(meta.get(f"{axis}_levels"))) for axis in AXES}
    from_tables: list[str] = []
    for axis in AXES:
        if not scales[axis]:
            levels = table_levels(tables, axis, matrix_tables, risk_levels)
            if levels:
                scales[axis] = Scale(axis, levels)
                from_tables.append(f"{axis} levels")
    raw = meta.get("acceptability_matrix")
    matrix: dict[tuple[str, str], str] = {}
    unknown: list[str] = []
    has_matrix = False
    line = document.line_of("acceptability_matrix") if "acceptability_matrix" in meta else 0
    if isinstance(raw, dict) and raw:
        has_matrix = True
        scales = complete_from_matrix(scales, raw)
        matrix, unknown = front_matter_matrix(raw, scales, aliases)
    elif matrix_tables:
        table = matrix_tables[0]
        scales, matrix = table_matrix(table, scales, aliases, risk_levels)
        has_matrix = bool(matrix)
        line = table.line
        if has_matrix:
            from_tables.append("acceptability matrix")
    return RiskPlan(
        document=document,
        severity=scales["severity"],
        probability=scales["probability"],
        exploitability=scales["exploitability"],
        matrix=matrix,
        has_matrix=has_matrix,
        matrix_line=line,
        unknown_matrix_keys=tuple(unknown),
        non_estimable_criteria=has_non_estimable_criteria(document),
        from_tables=tuple(from_tables),
        aliases=aliases,
    )
