"""A fix in the form the item is written in: for a row of a Markdown table, the column as the
table heads it (`its second "Acceptable" column`) and the cell values the table uses; for
front-matter or a data file, the key (`set new_risks_assessed: true`).

The headers are read again from the document's text (through the run's source, so
`--pre-commit` reads what is staged) and mapped to fields as the parser maps them; a table
techfile cannot find there again (a CSV file) is named by the header techfile reads for the
field. Every rule family names columns through these helpers.
"""

from __future__ import annotations

from dataclasses import dataclass

from techfile.data.registry import column_aliases
from techfile.intake.gfm_rows import CELL_SPACE, delimiter_columns, row_cells
from techfile.intake.items import header_fields
from techfile.intake.text import decode
from techfile.model.document import Document, Item
from techfile.model.table import clean_cell
from techfile.rules.base import Context

# The column header a fix names when the item's table has no column for the field: a header
# techfile reads as the field (each one is a header of data/columns.yaml;
# tests/test_precision_risk.py checks it).
COLUMN_HEADERS = {
    "acceptable": "Acceptable",
    "residual_acceptable": "Residual acceptable",
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
    "hazard": "Hazard",
    "hazardous_situation": "Hazardous situation",
    "harm": "Harm",
    "severity": "Severity",
    "probability": "Probability",
    "applicable": "Applicable",
    "justification": "Justification",
    "implemented": "Implemented",
    "implemented_by": "Implemented by",
    "verified_by": "Verified by",
    "covers": "Covers",
    "disposition": "Disposition",
    "status": "Status",
    "name": "Name",
    "version": "Version",
    "manufacturer": "Manufacturer",
    "requirements": "Requirements",
    "last_verified": "Last verified at",
    "anomaly_review.date": "Anomaly review date",
    "component": "Component",
    "state": "State",
    "response": "Response",
}
ORDINALS = ("first", "second", "third", "fourth", "fifth")


@dataclass(frozen=True, slots=True)
class WrittenTable:
    """A table's header row as written, and the field each column holds."""

    headers: tuple[str, ...]
    fields: tuple[str, ...]

    def position(self, field_name: str) -> int | None:
        """The column of the field (the last one when several fill it: the one that wins)."""
        found = [i for i, name in enumerate(self.fields) if name == field_name]
        return found[-1] if found else None

    def header(self, field_name: str) -> str | None:
        """`"Acceptable"`, or `second "Acceptable"` when several columns have that header."""
        at = self.position(field_name)
        if at is None or not self.headers[at]:
            return None
        text = self.headers[at]
        same = [i for i, h in enumerate(self.headers) if h.casefold() == text.casefold()]
        if len(same) == 1 or same.index(at) >= len(ORDINALS):
            return f'"{text}"'
        return f'{ORDINALS[same.index(at)]} "{text}"'


def in_table(item: Item) -> bool:
    """The item is a row of a Markdown or CSV table, so a fix names columns and cells."""
    return item.source == "table"


def written_table(ctx: Context, item: Item) -> WrittenTable | None:
    """The header row of the Markdown table the item is a row of, None when it cannot be
    found again (not a table row, a CSV file, a table inside a list or quote)."""
    if not in_table(item) or not item.table:
        return None
    tables: dict[tuple[str, int, str], WrittenTable | None] = ctx.shared("written-tables", dict)
    key = (item.path, item.table, item.list_name)
    if key not in tables:
        tables[key] = _read_table(ctx, item)
    return tables[key]


def _read_table(ctx: Context, item: Item) -> WrittenTable | None:
    lines = _lines(ctx, item.path)
    if not 0 < item.table < len(lines) or delimiter_columns(lines[item.table].strip()) is None:
        return None
    headers = tuple(_cells(lines[item.table - 1]))
    columns = column_aliases(ctx.settings.column_aliases)
    return WrittenTable(headers, tuple(header_fields(headers, item.list_name, columns)))


def _lines(ctx: Context, path: str) -> list[str]:
    files: dict[str, list[str]] = ctx.shared("written-lines", dict)
    if path not in files:
        data = ctx.read_path(path) if ctx.read_path is not None else None
        text = decode(data).text if isinstance(data, bytes) else None
        files[path] = text.split("\n") if text is not None else []
    return files[path]


def _cells(line: str) -> list[str]:
    return [clean_cell(cell.strip(CELL_SPACE)) for cell in row_cells(line.strip(CELL_SPACE))]


def written_cell(ctx: Context, item: Item, field_name: str) -> str | None:
    """The item's cell in the field's column, as written (markup removed); None when the
    table cannot be read again or the cell is empty."""
    table = written_table(ctx, item)
    at = table.position(field_name) if table else None
    lines = _lines(ctx, item.path)
    if at is None or not 0 < item.line <= len(lines):
        return None
    cells = _cells(lines[item.line - 1])
    if at >= len(cells):
        return None
    return cells[at] or None


def column(field_name: str) -> str:
    """`"New risks assessed"`: the header techfile reads for the field."""
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


def has_column(ctx: Context, document: Document, item: Item, field_name: str) -> bool:
    """Whether the item's table has a column for the field (headed, or filled in a row)."""
    table = written_table(ctx, item)
    if table is not None:
        return table.position(field_name) is not None
    return column_in_use(document, item, field_name)


def column_name(ctx: Context, item: Item, field_name: str) -> str:
    """`"Risk refs"`, `second "Acceptable"`: the field's column as the item's table heads it,
    else as techfile reads it."""
    table = written_table(ctx, item)
    header = table.header(field_name) if table else None
    return header or column(field_name)


def its_column(
    ctx: Context, document: Document, item: Item, field_name: str, whose: str = "its"
) -> str:
    """`its "New risks assessed" column`, or `a new "New risks assessed" column` when the
    item's table has none."""
    if has_column(ctx, document, item, field_name):
        return f"{whose} {column_name(ctx, item, field_name)} column"
    return f"a new {column(field_name)} column"


def columns_words(ctx: Context, document: Document, item: Item, fields: list[str]) -> str:
    """`its "Harm" and "S" columns and a new "Probability" column`: where a table row records
    several fields."""
    there = [column_name(ctx, item, f) for f in fields if has_column(ctx, document, item, f)]
    new = [column(f) for f in fields if not has_column(ctx, document, item, f)]
    parts = []
    if there:
        parts.append(f"its {_and(there)} column{'s' if len(there) > 1 else ''}")
    if new:
        parts.append(
            f"{'a ' if len(new) == 1 else ''}new {_and(new)} column{'s' if len(new) > 1 else ''}"
        )
    return " and ".join(parts)


def _and(words: list[str]) -> str:
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else words[0]


def record(
    ctx: Context,
    document: Document,
    item: Item,
    field_name: str,
    value: str,
    cell: str | None = None,
) -> str:
    """How to record a value in the form the item is written in: set `field: value` in
    front-matter or a data file, write the cell in its column for a table row (write `Yes`
    in its "New risks assessed" column)."""
    if in_table(item):
        written = cell if cell is not None else value
        return f"write `{written}` in {its_column(ctx, document, item, field_name)}"
    return f"set `{field_name}: {value}`"


def field_words(ctx: Context, document: Document, item: Item, field_name: str) -> str:
    """`its "Safety impact rationale" column` for a table row, `` `safety_impact_rationale` ``
    otherwise: where the item records the field."""
    if in_table(item):
        return its_column(ctx, document, item, field_name)
    return f"`{field_name}`"


def written_column(ctx: Context, item: Item, field_name: str, usual: str | None = None) -> str:
    """How the document names where an entry keeps a field: the header of its table column as
    written (`"Evidence of Conformity"`), else the usual header (`usual`, or the field's name
    capitalised), or the key of a front-matter entry (`evidence`)."""
    if item.source != "table":
        return f"`{field_name}`"
    written = header_of(ctx, item, field_name)
    return written or f'"{usual or field_name.replace("_", " ").capitalize()}"'


def its_field(ctx: Context, item: Item, field_name: str, usual: str | None = None) -> str:
    """Where to write a value: `its "Evidence of Conformity" column`, `a new "Evidence"
    column` when the item's table has none, or its key for a front-matter entry."""
    if item.source != "table":
        return f"its `{field_name}`"
    where = "its" if header_of(ctx, item, field_name) else "a new"
    return f"{where} {written_column(ctx, item, field_name, usual)} column"


def header_of(ctx: Context, item: Item, field_name: str) -> str | None:
    """`"Evidence of Conformity"`: the header, quoted as written, of the column of the item's
    Markdown table that holds the field (read as the risk rules read it); None when the item
    is not from one or its table has no such column."""
    table = written_table(ctx, item)
    return table.header(field_name) if table is not None else None
