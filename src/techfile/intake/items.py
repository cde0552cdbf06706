"""Turn front-matter lists and Markdown tables into the items of a document."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from techfile.data.registry import ValueAliases, normalise_header
from techfile.data.schemas import Schema, flattened, item_lists, property_schema
from techfile.intake.directives import Directive
from techfile.intake.values import CellTyper, cell_typer
from techfile.model.checklist import Heading, Kind, read_checklist
from techfile.model.diagnostics import Diagnostic
from techfile.model.document import Item
from techfile.model.table import Table


@dataclass(frozen=True, slots=True)
class ItemList:
    name: str
    schema: Schema
    required_columns: tuple[str, ...]
    id_field: str
    merge_tables: bool = False  # rows with one id in several tables describe one item
    checklist: bool = False  # rows laid out as a checklist: `(b)` under 23.4 is 23.4(b)


@functools.cache
def lists_of(schema_id: str) -> tuple[ItemList, ...]:
    """The item lists a document type declares (`x-techfile-items` in its schema)."""
    return tuple(
        ItemList(
            name,
            item_schema,
            tuple(opts.get("required-columns", ("id",))),
            str(opts.get("id-field", "id")),
            bool(opts.get("merge-tables", False)),
            bool(opts.get("checklist", False)),
        )
        for name, item_schema, opts in item_lists(flattened(schema_id))
    )


def settle_items(
    document_items: dict[str, list[Item]],
    lists: tuple[ItemList, ...],
    headings: tuple[Heading, ...] = (),
) -> None:
    """Merge rows across tables for the lists that ask for it (risks estimated in separate
    before/after tables); other lists keep every row. The rows of a checklist are named as
    model/checklist.py reads them (`headings`: the document's, which name appended tables)."""
    merging = {item_list.name for item_list in lists if item_list.merge_tables}
    for name in merging & set(document_items):
        document_items[name] = merge_by_id(document_items[name])
    for item_list in lists:
        if item_list.checklist and item_list.name in document_items:
            name_checklist_rows(document_items[item_list.name], item_list.id_field, headings)


def name_checklist_rows(items: list[Item], id_field: str, headings: tuple[Heading, ...]) -> None:
    """Give each checklist row the id a reader calls it by: `(b)` under 23.4 is 23.4(b), the
    indents of 10.4.1 are `10.4.1, indent 1` ...; a numbered row keeps its number as written."""
    for row in read_checklist(items, id_field, headings).rows:
        if row.kind in (Kind.LETTERED, Kind.CONTINUATION, Kind.LEAD_IN):
            row.item.id = row.name


@dataclass(slots=True)
class BoundTable:
    list_name: str
    table: Table


def bind_tables(
    tables: tuple[Table, ...],
    markers: list[Directive],
    lists: list[ItemList],
    columns: dict[str, dict[str, tuple[str, ...]]],
    given_in_front_matter: set[str],
) -> tuple[list[BoundTable], list[Diagnostic]]:
    """A marker binds the table that follows it; otherwise the first table whose headers
    cover a list's required columns is that list."""
    by_name = {item_list.name: item_list for item_list in lists}
    bound: list[BoundTable] = []
    problems: list[Diagnostic] = []
    used: set[int] = set()
    marked: set[str] = set()
    for marker in markers:
        name = marker.argument or ""
        table_index = next(
            (i for i, t in enumerate(tables) if t.line == marker.target_line and i not in used),
            None,
        )
        if name not in by_name:
            known = ", ".join(sorted(by_name)) or "none"
            problems.append(
                Diagnostic(
                    "FM004",
                    f"the marker `items={name}` names a list this document type does not have",
                    marker.line,
                    why="techfile bound no table to it, so the rows below were not read as items "
                    "and no rule checked them.",
                    fix=f"Name one of the type's lists: {known}.",
                )
            )
            continue
        if table_index is None:
            problems.append(
                Diagnostic(
                    "FM004",
                    f"the marker `items={name}` is not followed by a table, so no {name} were read",
                    marker.line,
                    why=f"no rule checked the {name} the marker announces.",
                    fix="Put the marker directly above the table it names.",
                )
            )
            continue
        used.add(table_index)
        marked.add(name)
        bound.append(BoundTable(name, tables[table_index]))
    for item_list in lists:
        if item_list.name in marked or item_list.name in given_in_front_matter:
            continue
        signature: list[str] | None = None
        for index, table in enumerate(tables):
            if index in used:
                continue
            fields = header_fields(table.headers, item_list.name, columns)
            first = signature is None and set(item_list.required_columns) <= set(fields)
            if first or fields == signature:
                # the first covering table, and the tables after it with the same columns
                # (a checklist split into one table per chapter)
                signature = fields
                used.add(index)
                bound.append(BoundTable(item_list.name, table))
    return bound, problems


def merge_by_id(items: list[Item]) -> list[Item]:
    """Rows of different tables with the same id describe one item (e.g. a risk's estimate
    before and after controls in separate tables): later tables add to earlier rows.
    Repeats inside one table stay separate, so duplicate ids are still reported."""
    merged: list[Item] = []
    first_seen: dict[str, tuple[Item, tuple[str, int]]] = {}
    for item in items:
        earlier = first_seen.get(item.id) if item.id is not None else None
        if earlier is not None and earlier[1] != (item.path, item.table):
            target = earlier[0]
            for name, value in item.fields.items():
                before = target.fields.get(name)
                if isinstance(before, list) and isinstance(value, list):
                    # e.g. the external, then the internal risk control ids of one risk
                    target.fields[name] = before + [v for v in value if v not in before]
                else:
                    target.fields[name] = value
            for name in item.fields:
                target.lines.setdefault(name, item.line)
            continue
        if item.id is not None and earlier is None:
            first_seen[item.id] = (item, (item.path, item.table))
        merged.append(item)
    return merged


def header_fields(
    headers: tuple[str, ...], list_name: str, columns: dict[str, dict[str, tuple[str, ...]]]
) -> list[str]:
    """The field each column holds; a repeated header takes the next field in its alias list."""
    aliases = columns.get(list_name, {})
    seen: dict[str, int] = {}
    fields: list[str] = []
    for header in headers:
        normal = normalise_header(header)
        occurrence = seen.get(normal, 0)
        seen[normal] = occurrence + 1
        names = aliases.get(normal)
        if names:
            fields.append(names[min(occurrence, len(names) - 1)])
        else:
            fields.append(normal.replace(" ", "_"))
    return fields


def table_items(
    bound: BoundTable,
    item_list: ItemList,
    columns: dict[str, dict[str, tuple[str, ...]]],
    aliases: ValueAliases,
    doc_id: str | None,
    path: str,
) -> Iterator[Item]:
    fields = header_fields(bound.table.headers, item_list.name, columns)
    typed_columns = [_typed_column(field_name, item_list.schema, aliases) for field_name in fields]
    for line, cells in bound.table.rows:
        values: dict[str, Any] = {}
        for (head, tail, typer), cell in zip(typed_columns, cells, strict=False):
            value = typer.value(cell)
            if value is None:
                continue
            target, name = (values.setdefault(head, {}), tail) if tail else (values, head)
            if isinstance(value, list) and isinstance(target.get(name), list):
                target[name] = target[name] + value  # e.g. external and internal control ids
            else:
                target[name] = value  # a later repeated column wins (the residual stage)
        if not values:
            continue
        item_id = values.get(item_list.id_field)
        yield Item(
            item_list.name,
            str(item_id) if item_id is not None else None,
            values,
            line,
            doc_id,
            bound.table.path or path,
            "table",
            {name: line for name in values},
            bound.table.line,
        )


def _typed_column(
    field_name: str, item_schema: Schema, aliases: ValueAliases
) -> tuple[str, str, CellTyper]:
    """The field a column fills (`head`, or `tail` inside `head`) and the typer of its cells."""
    head, _, tail = field_name.partition(".")
    schema = property_schema(item_schema, head)
    if tail:
        schema = property_schema(schema, tail)
    return head, tail, cell_typer(schema, aliases)


def front_matter_items(
    item_list: ItemList,
    entries: list[Any],
    lines: dict[tuple[str | int, ...], int],
    doc_id: str | None,
    path: str,
) -> Iterator[Item]:
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            continue  # the schema reports it
        line = lines.get((item_list.name, index), 0)
        field_lines = {str(key): lines.get((item_list.name, index, key), line) for key in entry}
        item_id = entry.get(item_list.id_field)
        yield Item(
            item_list.name,
            str(item_id) if item_id is not None else None,
            entry,
            line,
            doc_id,
            path,
            "front-matter",
            field_lines,
        )
