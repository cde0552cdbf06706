"""Items kept outside the Markdown: CSV files pulled in by MyST `{csv-table}` directives,
and YAML/JSON/CSV data files named by `[[items-from]]` in the configuration.

Rows keep their own file and line, so a finding about a CSV row points at the CSV.
"""

from __future__ import annotations

import csv
import io
import posixpath
from collections.abc import Callable
from typing import Any

from techfile.data.registry import column_aliases
from techfile.data.schemas import is_valid, known_keys, property_schema, validator
from techfile.intake.discover import check_globs, matches
from techfile.intake.items import (
    ItemList,
    bind_tables,
    front_matter_items,
    lists_of,
    settle_items,
    table_items,
)
from techfile.intake.parse import ParsedFile, ParseSettings
from techfile.intake.plan_data import attach_plan_parts
from techfile.intake.schema_messages import SCHEMA_WHY, schema_texts
from techfile.intake.values import NodeTyper, dotted
from techfile.intake.yamltree import TreeError, build_tree
from techfile.model.diagnostics import Diagnostic
from techfile.model.document import Document, Item
from techfile.model.table import Table

Reader = Callable[[str], "bytes | Diagnostic"]


def attach_external(
    parsed: list[ParsedFile],
    items_from: list[dict[str, Any]],
    settings: ParseSettings,
    read: Reader,
) -> None:
    check_globs("[[items-from]] document", (str(e["document"]) for e in items_from))
    for file in parsed:
        document = file.document
        if document is None or document.type is None:
            continue
        sources = [(line, _join(document.path, name)) for line, name in document.external_tables]
        wanted = [e for e in items_from if matches(document.path, (str(e["document"]),))]
        wanted = attach_plan_parts(file, wanted, settings, read)  # a plan's scales and matrix
        if not sources and not wanted:
            continue
        lists = _lists(document.type)
        for line, path in sources:
            _attach_csv(file, document, lists, settings, read, path, line, None)
        for entry in wanted:
            named = str(entry["file"])
            relative_to_document = named.startswith(("./", "../"))
            path = (
                _join(document.path, named) if relative_to_document else posixpath.normpath(named)
            )
            name = str(entry["list"])
            if name not in lists:
                file.diagnostics.append(
                    _problem(
                        f"[[items-from]] names the list `{name}`, which "
                        f"a {document.type} does not have",
                        0,
                        fix="Name one of the lists the document type has (`techfile types`).",
                    )
                )
            elif path.endswith((".csv", ".tsv")):
                own_columns = tuple(
                    (name, header, target)
                    for header, target in sorted(dict(entry.get("columns", {})).items())
                )
                _attach_csv(file, document, lists, settings, read, path, 0, name, own_columns)
            else:
                own = tuple(
                    (name, header, target)
                    for header, target in sorted(dict(entry.get("columns", {})).items())
                )
                _attach_data(
                    file, document, lists[name], settings, read, path, entry.get("key"), own
                )
        settle_items(
            document.items, lists_of(f"types/{document.type}.schema.json"), document.headings
        )


def _lists(type_name: str) -> dict[str, ItemList]:
    return {il.name: il for il in lists_of(f"types/{type_name}.schema.json")}


def _join(document_path: str, name: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(document_path), name))


def _attach_csv(
    file: ParsedFile,
    document: Document,
    lists: dict[str, ItemList],
    settings: ParseSettings,
    read: Reader,
    path: str,
    line: int,
    forced: str | None,
    own_columns: tuple[tuple[str, str, str], ...] = (),
) -> None:
    data = read(path)
    if isinstance(data, Diagnostic):
        file.diagnostics.append(
            _problem(
                f"the table file {path} cannot be read: {data.message}",
                line,
                fix="Correct the file name in the directive, or make the file readable.",
            )
        )
        return
    rows = _csv_rows(file, path, data, line)
    if not rows:
        return
    table = Table(
        1,
        tuple(rows[0]),
        tuple(
            (number, tuple(row))
            for number, row in enumerate(rows[1:], start=2)
            if any(cell.strip() for cell in row)
        ),
        path,
    )
    columns = column_aliases((*settings.column_aliases, *own_columns))
    if forced is not None:
        from techfile.intake.items import BoundTable

        bound = [BoundTable(forced, table)]
    else:
        given = {n for n, items in document.items.items() if items}
        bound, _ = bind_tables((table,), [], list(lists.values()), columns, given)
    for binding in bound:
        items = list(
            table_items(
                binding, lists[binding.list_name], columns, settings.values, document.id, path
            )
        )
        document.items.setdefault(binding.list_name, []).extend(items)
        _check_items(file, document, binding.list_name, items, line)


def _csv_rows(file: ParsedFile, path: str, data: bytes, line: int) -> list[list[str]]:
    """The rows of a CSV or TSV file; none, with an FM008 naming the file and line, when
    it cannot be read as one (a field past csv's size limit, 128 KiB, among others)."""
    text = data.decode("utf-8-sig", errors="replace")
    reader = csv.reader(
        io.StringIO(text), dialect="excel-tab" if path.endswith(".tsv") else "excel"
    )
    rows: list[list[str]] = []
    try:
        rows.extend(reader)
    except csv.Error as problem:
        file.diagnostics.append(
            _problem(
                f"the table file {path} cannot be read: line {reader.line_num}: {problem}",
                line,
                why="techfile skipped the table, so its rows are missing from every check.",
                fix="Correct the table file at that line.",
            )
        )
        return []
    return rows


def _attach_data(
    file: ParsedFile,
    document: Document,
    item_list: ItemList,
    settings: ParseSettings,
    read: Reader,
    path: str,
    key: Any,
    own_columns: tuple[tuple[str, str, str], ...] = (),
) -> None:
    data = read(path)
    if isinstance(data, Diagnostic):
        file.diagnostics.append(
            _problem(
                f"the data file {path} named by [[items-from]] cannot be read: {data.message}", 0
            )
        )
        return
    try:
        root = build_tree(data.decode("utf-8-sig", errors="replace"), settings.limits)
    except TreeError as problem:
        file.diagnostics.append(_problem(f"{path}:{problem.line}: {problem.message}", 0))
        return
    renames = {
        header: fields[0]
        for header, fields in column_aliases((*settings.column_aliases, *own_columns))
        .get(item_list.name, {})
        .items()
    }
    if root is not None:
        entries_node = root.children if root.kind == "seq" else _under(root, key)
        _rename_keys(entries_node, renames, known_keys(item_list.schema))
    wrapper = {
        "type": "object",
        "properties": {item_list.name: {"type": "array", "items": item_list.schema}},
    }
    if key is not None and root is not None and root.kind == "map":
        schema: dict[str, Any] = {
            "type": "object",
            "properties": {str(key): property_schema(wrapper, item_list.name)},
        }
        typed = NodeTyper(settings.values, 0).run(root, schema)
        entries = typed.value.get(str(key)) if isinstance(typed.value, dict) else None
        prefix: tuple[str | int, ...] = (str(key),)
    elif root is not None and root.kind == "seq":
        typed = NodeTyper(settings.values, 0).run(root, property_schema(wrapper, item_list.name))
        entries = typed.value
        prefix = ()
    else:
        entries, prefix = None, ()
    if not isinstance(entries, list):
        file.diagnostics.append(
            _problem(
                f"{path} holds no list of {item_list.name}" + (f" under `{key}`" if key else ""), 0
            )
        )
        return
    lines = {
        (item_list.name, *k[len(prefix) :]): v
        for k, v in typed.lines.items()
        if k[: len(prefix)] == prefix
    }
    for entry in entries:
        if isinstance(entry, dict):
            for name in [k for k in entry if "." in k]:
                head, _, tail = name.partition(".")
                nested = entry.setdefault(head, {})
                if isinstance(nested, dict):
                    nested.setdefault(tail, entry.pop(name))
    items: list[Item] = list(front_matter_items(item_list, entries, lines, document.id, path))
    for item in items:
        item.source = "data-file"
    document.items.setdefault(item_list.name, []).extend(items)
    _check_items(file, document, item_list.name, items, 0)


def _check_items(
    file: ParsedFile, document: Document, list_name: str, items: list[Item], line: int
) -> None:
    """FM004 for items from a data file, as for rows of a Markdown table: each violation
    names the file and row; it is reported where the document pulls the file in (`line`,
    0 for [[items-from]])."""
    schema_id = f"types/{document.type}.schema.json"
    instance: dict[str, Any] = {**document.meta, "id": document.id, "type": document.type}
    # a null in a data file (`controls: null`) says what an empty table cell says
    instance[list_name] = [
        {k: v for k, v in item.fields.items() if v is not None} for item in items
    ]
    if not items or is_valid(schema_id, instance):
        return
    for error in validator(schema_id).iter_errors(instance):
        path = tuple(error.absolute_path)
        if len(path) < 2 or path[0] != list_name or not isinstance(path[1], int):
            continue  # the document's own front-matter: reported when it was parsed
        if error.validator == "required" and "'id'" in error.message:
            continue  # rdm numbers its data-file risks by position when it renders them
        item = items[path[1]]
        field = dotted(path[2:])
        where = f"`{field}` of {item.id or 'the row'}" if field else item.id or "the row"
        row = item.lines.get(str(path[2]), item.line) if len(path) > 2 else item.line
        message, fix = schema_texts(error, where)
        file.diagnostics.append(
            Diagnostic(
                "FM004",
                f"{item.path} line {row}: {message} ({list_name})",
                line,
                key=(item.path, item.id or str(row), field or "(row)", error.validator),
                why=SCHEMA_WHY,
                fix=fix,
            )
        )


_NOT_READ = "techfile could not read these items, so they are missing from every check."
_FIX_SOURCE = "Correct the `[[items-from]]` entry or the data file it names."


def _problem(message: str, line: int, why: str = _NOT_READ, fix: str = _FIX_SOURCE) -> Diagnostic:
    return Diagnostic("FM008", message, line, key=(message,), why=why, fix=fix)


def _under(root: Any, key: Any) -> list[Any]:
    if key is None or root.kind != "map":
        return []
    for key_node, value in root.pairs:
        if key_node.value == str(key) and value.kind == "seq":
            return list(value.children)
    return []


def _rename_keys(entries: list[Any], renames: dict[str, str], fields: set[str]) -> None:
    """Data-file keys are read like table headers: `title` is a SOUP item's `name`,
    `control_measures` a risk's `controls` (column aliases and the entry's `columns`). A key
    that is a field's own name keeps it: `anomaly_review: {date, …}` is the review, not the
    header "Anomaly review" of a result column."""
    from techfile.data.registry import normalise_header

    for entry in entries:
        if entry.kind != "map":
            continue
        present = {k.value for k, _ in entry.pairs}
        for key_node, _ in entry.pairs:
            if key_node.value in fields:
                continue
            target = renames.get(normalise_header(key_node.value))
            if target and target != key_node.value and target not in present:
                present.add(target)
                key_node.value = target
