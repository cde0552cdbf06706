"""A plan's scales and matrix as most real plans give them: Markdown tables in the body.

A scale is a table whose first header names the axis (`| Severity | Description |`). A matrix
is a table whose cells right of the first column are mostly verdicts, or risk levels that a
second table explains (`| Risk Level | Comment |`, as GSTT writes them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from techfile.data.registry import ValueAliases
from techfile.model.plan.acceptability import UNKNOWN, acceptability_word
from techfile.model.plan.labels import MatrixLabel, matrix_label
from techfile.model.plan.levels import (
    DuplicateLevel,
    Scale,
    distinct_levels,
    level_from_cell,
    normal_form,
)
from techfile.model.table import Table

_AXIS_WORDS = {
    "severity": ("severity",),
    "probability": ("probability", "likelihood", "occurrence", "frequency"),
    "exploitability": ("exploitability",),
}
_RISK_LEVEL_HEADERS = ("risk level", "risk levels", "risk category", "risk class", "risk index")

Rows = Sequence[tuple[str, ...]]


@dataclass(frozen=True)
class _Layout:
    """Where a matrix table keeps its column levels, and which axis they are."""

    header_index: int  # the row that names the column levels
    column_axis: str  # severity | probability

    @property
    def row_axis(self) -> str:
        return "probability" if self.column_axis == "severity" else "severity"


def _axis_of(header: str) -> str | None:
    words = normal_form(header)
    for axis, names in _AXIS_WORDS.items():
        if any(name in words for name in names):
            return axis
    return None


def risk_level_meanings(tables: Iterable[Table], aliases: ValueAliases) -> dict[str, str]:
    """Risk-level label -> acceptability, from tables such as `| Risk Level | Comment |`
    (GSTT) where the matrix gives a risk level and a second table says what it means."""
    labels: dict[str, str] = {}
    for table in tables:
        if not table.headers or normal_form(table.headers[0]) not in _RISK_LEVEL_HEADERS:
            continue
        for _, cells in table.rows:
            if len(cells) < 2 or not normal_form(cells[0]):
                continue
            meaning = _meaning(" ".join(cells[1:]), aliases)
            labels[normal_form(cells[0])] = meaning or UNKNOWN
    return labels


def _meaning(text: str, aliases: ValueAliases) -> str | None:
    """What a risk level's description says: a conservative reading of its first words."""
    words = normal_form(text)
    if not words:
        return None
    direct = acceptability_word(words.split("<br>")[0], aliases)
    if direct:
        return direct
    if re.match(r"(?:not acceptable|unacceptable|intolerable)\b", words):
        return "unacceptable"
    if re.match(r"(?:undesirable|alarp|tolerable)\b", words) or "as low as" in words:
        return "reduce-afap"
    if re.match(r"acceptable\s*(?:where|if|when|only)\b", words):
        return "reduce-afap"
    if re.match(r"acceptable\b", words):
        return "acceptable"
    return None


def _cell_verdict(text: str, aliases: ValueAliases, risk_levels: dict[str, str]) -> str | None:
    word = acceptability_word(text, aliases)
    if word:
        return word
    return risk_levels.get(normal_form(text))


def _mostly_verdicts(cells: list[str], aliases: ValueAliases, risk_levels: dict[str, str]) -> bool:
    filled = [c for c in cells if normal_form(c)]
    verdicts = sum(1 for c in filled if _cell_verdict(c, aliases, risk_levels) is not None)
    return bool(filled) and verdicts * 5 >= len(filled) * 3


def is_matrix(table: Table, aliases: ValueAliases, risk_levels: dict[str, str]) -> bool:
    """Most cells right of the first column are verdicts or risk levels."""
    cells = [c for _, row in table.rows for c in row[1:] if normal_form(c)]
    return len(cells) >= 4 and _mostly_verdicts(cells, aliases, risk_levels)


def table_levels(
    tables: Iterable[Table],
    axis: str,
    matrix_tables: list[Table],
) -> tuple[Scale, tuple[DuplicateLevel, ...]]:
    """The scale of the first table that defines one on `axis` (a level per row; rows that
    repeat a level add criteria to it), and the rows that make a value name two levels."""
    for table in tables:
        if table in matrix_tables or not table.headers or _axis_of(table.headers[0]) != axis:
            continue
        if normal_form(table.headers[0]) in _RISK_LEVEL_HEADERS:
            continue
        found = [
            level
            for line, cells in table.rows
            if cells and (level := level_from_cell(cells[0], line)) is not None
        ]
        if found:
            levels, duplicates = distinct_levels(axis, found, table.path)
            return Scale(axis, levels, table.path), duplicates
    return Scale(axis), ()


@dataclass(frozen=True)
class MatrixReading:
    """What a matrix table says: the scales (completed from the table where the plan left
    them out), the cells by (severity id, probability id), and the labels that disagree
    with the scales."""

    scales: dict[str, Scale]
    cells: dict[tuple[str, str], str]
    labels: tuple[MatrixLabel, ...] = ()


def table_matrix(
    table: Table,
    scales: dict[str, Scale],
    aliases: ValueAliases,
    risk_levels: dict[str, str],
) -> MatrixReading:
    """Read a matrix table in either orientation."""
    rows: list[tuple[str, ...]] = [table.headers, *(cells for _, cells in table.rows)]
    lines = [table.line, *(line for line, _ in table.rows)]
    layout = _layout_by_scales(rows, scales, aliases)
    result = dict(scales)
    if layout is None:
        guessed = _layout_by_headers(table, rows, aliases, risk_levels)
        if guessed is None:
            return MatrixReading(scales, {})
        layout, found = guessed
        for axis in (layout.column_axis, layout.row_axis):
            result[axis] = result[axis] or found[axis]
    if not result[layout.row_axis]:
        result[layout.row_axis] = _row_scale(rows, layout)
    cells = _cells(rows, layout, result, aliases, risk_levels)
    labels = _labels(rows, lines, layout, result, aliases, risk_levels)
    return MatrixReading(result, cells, tuple(labels))


def _labels(
    rows: Rows,
    lines: list[int],
    layout: _Layout,
    scales: dict[str, Scale],
    aliases: ValueAliases,
    risk_levels: dict[str, str],
) -> list[MatrixLabel]:
    """The row and column labels that disagree with the scales; only rows and columns that
    hold verdicts count (not a column of event counts, not an empty header row)."""
    column_scale, row_scale = scales[layout.column_axis], scales[layout.row_axis]
    body = [(p, cells) for p, cells in enumerate(rows) if p != layout.header_index and cells]
    labels: list[MatrixLabel | None] = []
    for j, text in enumerate(rows[layout.header_index][1:], start=1):
        column = [cells[j] for _, cells in body if len(cells) > j]
        if _mostly_verdicts(column, aliases, risk_levels):
            line = lines[layout.header_index]
            labels.append(matrix_label(text, column_scale, aliases, line))
    for position, cells in body:
        if _mostly_verdicts(list(cells[1:]), aliases, risk_levels):
            labels.append(matrix_label(cells[0], row_scale, aliases, lines[position]))
    return [label for label in labels if label is not None]


def _layout_by_scales(
    rows: Rows, scales: dict[str, Scale], aliases: ValueAliases
) -> _Layout | None:
    """The row that names most levels of a known scale: the header row, or whichever row
    names them (GSTT puts them in the last row, jadczak in the first)."""
    best: tuple[int, int, str] = (0, -1, "")  # (matches, row index, column axis)
    for position, cells in enumerate(rows):
        for axis in ("severity", "probability"):
            hits = sum(1 for c in cells[1:] if scales[axis].find(c, aliases) is not None)
            if hits > best[0]:
                best = (hits, position, axis)
    return _Layout(best[1], best[2]) if best[0] >= 2 else None


def _layout_by_headers(
    table: Table, rows: Rows, aliases: ValueAliases, risk_levels: dict[str, str]
) -> tuple[_Layout, dict[str, Scale]] | None:
    """No scales known: the first header names the row axis, the headers the columns."""
    row_axis = _axis_of(table.headers[0]) if table.headers else None
    if row_axis not in ("severity", "probability"):
        return None
    column_axis = "severity" if row_axis == "probability" else "probability"
    columns = [
        lv
        for j, c in enumerate(table.headers[1:], start=1)
        if _mostly_verdicts(
            [cells[j] for cells in rows[1:] if len(cells) > j], aliases, risk_levels
        )
        and (lv := level_from_cell(c)) is not None
    ]
    firsts = [level_from_cell(cells[0]) for cells in rows[1:] if cells]
    return _Layout(0, column_axis), {
        column_axis: Scale(column_axis, tuple(columns)),
        row_axis: Scale(row_axis, tuple(lv for lv in firsts if lv is not None)),
    }


def _row_scale(rows: Rows, layout: _Layout) -> Scale:
    """The row levels, from the first cell of every row but the one naming the columns."""
    firsts = [
        level_from_cell(cells[0])
        for position, cells in enumerate(rows)
        if position != layout.header_index and cells and normal_form(cells[0])
    ]
    return Scale(layout.row_axis, tuple(lv for lv in firsts if lv is not None))


def _cells(
    rows: Rows,
    layout: _Layout,
    scales: dict[str, Scale],
    aliases: ValueAliases,
    risk_levels: dict[str, str],
) -> dict[tuple[str, str], str]:
    column_scale, row_scale = scales[layout.column_axis], scales[layout.row_axis]
    header = rows[layout.header_index]
    matrix: dict[tuple[str, str], str] = {}
    for position, cells in enumerate(rows):
        if position == layout.header_index or not cells:
            continue
        row_level = row_scale.find(cells[0], aliases)
        if row_level is None:
            continue
        for column, text in zip(header[1:], cells[1:], strict=False):
            column_level = column_scale.find(column, aliases)
            if column_level is None:
                continue
            pair = (
                (column_level.id, row_level.id)
                if layout.column_axis == "severity"
                else (row_level.id, column_level.id)
            )
            matrix[pair] = _cell_verdict(text, aliases, risk_levels) or UNKNOWN
    return matrix
