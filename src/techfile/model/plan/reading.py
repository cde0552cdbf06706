"""Reading a risk management plan: front-matter first, then the body tables for what the
front-matter leaves out."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from techfile.data.registry import ValueAliases
from techfile.model.document import Document
from techfile.model.plan.front_matter import (
    complete_from_matrix,
    front_matter_levels,
    front_matter_matrix,
    has_non_estimable_criteria,
)
from techfile.model.plan.levels import AXES, DuplicateLevel, Scale, distinct_levels
from techfile.model.plan.risk_plan import RiskPlan
from techfile.model.plan.tables import (
    MatrixReading,
    is_matrix,
    risk_level_meanings,
    table_levels,
    table_matrix,
)
from techfile.model.table import Table


def plan_tables(document: Document) -> tuple[Table, ...]:
    """The body tables of a document, when the document model carries them."""
    tables = getattr(document, "tables", ())
    return tuple(t for t in tables if isinstance(t, Table)) if isinstance(tables, tuple) else ()


def read_plan(
    document: Document, aliases: ValueAliases, tables: Sequence[Table] | None = None
) -> RiskPlan:
    """Read a risk management plan from its front-matter, completed by its body tables (and
    the tables intake renders from a data file the configuration names for it)."""
    meta = document.meta
    tables = tuple(plan_tables(document) if tables is None else tables)
    risk_levels = risk_level_meanings(tables, aliases)
    matrix_tables = [t for t in tables if is_matrix(t, aliases, risk_levels)]
    scales, duplicates, from_tables = _scales(document, tables, matrix_tables)
    raw = meta.get("acceptability_matrix")
    reading = MatrixReading(scales, {})
    unknown: list[str] = []
    line, path = 0, None
    if isinstance(raw, dict) and raw:
        scales = complete_from_matrix(scales, raw)
        matrix, unknown, labels = front_matter_matrix(
            raw, scales, aliases, lambda *keys: document.line_of("acceptability_matrix", *keys)
        )
        reading = MatrixReading(scales, matrix, tuple(labels))
        line = document.line_of("acceptability_matrix")
    elif matrix_tables:
        table = matrix_tables[0]
        reading = table_matrix(table, scales, aliases, risk_levels)
        line, path = table.line, table.path
        if reading.cells:
            from_tables.append("acceptability matrix")
        unknown = [label.text for label in reading.labels if label.level is None]
    # a matrix table whose labels name no level is still the plan's matrix: RM009 says why
    has_matrix = bool(reading.cells or reading.labels) or (isinstance(raw, dict) and bool(raw))
    return RiskPlan(
        document=document,
        severity=reading.scales["severity"],
        probability=reading.scales["probability"],
        exploitability=reading.scales["exploitability"],
        matrix=reading.cells,
        has_matrix=has_matrix,
        matrix_line=line,
        matrix_path=path,
        unknown_matrix_keys=tuple(unknown),
        matrix_labels=reading.labels,
        duplicate_levels=duplicates,
        non_estimable_criteria=has_non_estimable_criteria(document),
        from_tables=tuple(from_tables),
        aliases=aliases,
    )


def _scales(
    document: Document, tables: tuple[Table, ...], matrix_tables: list[Table]
) -> tuple[dict[str, Scale], tuple[DuplicateLevel, ...], list[str]]:
    """The scales by axis (front-matter first, then the first table defining one), the rows
    that make a value name two levels, and which scales were read from tables."""
    scales: dict[str, Scale] = {}
    duplicates: list[DuplicateLevel] = []
    from_tables: list[str] = []
    for axis in AXES:
        key = f"{axis}_levels"
        written = front_matter_levels(document.meta.get(key), _line_in(document, key))
        levels, repeated = distinct_levels(axis, written)
        scale = Scale(axis, levels)
        if not scale:
            scale, repeated = table_levels(tables, axis, matrix_tables)
            if scale:
                from_tables.append(f"{axis} levels")
        scales[axis] = scale
        duplicates.extend(repeated)
    return scales, tuple(duplicates), from_tables


def _line_in(document: Document, key: str) -> Callable[[int], int]:
    """The line of the n-th entry of a front-matter list."""
    return lambda index: document.line_of(key, index)
