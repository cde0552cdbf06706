"""Parse one file into a document, on its own: no other file is consulted.

Everything here is a pure function of the file's bytes and the parse settings, so the
result can be cached by content hash and computed in a worker process.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from techfile.data.registry import (
    DocType,
    TypeRegistry,
    ValueAliases,
    column_aliases,
    type_registry,
    value_aliases,
)
from techfile.data.schemas import (
    flattened,
    is_valid,
    item_schema,
    known_keys,
    property_schema,
    validator,
)
from techfile.intake.directives import Directive, find_directives
from techfile.intake.discover import matches
from techfile.intake.items import (
    bind_tables,
    front_matter_items,
    lists_of,
    settle_items,
    table_items,
)
from techfile.intake.markdown import Body, first_h1, parse_body, placeholders, scan_headings
from techfile.intake.split import split_front_matter
from techfile.intake.text import decode
from techfile.intake.values import NodeTyper, Typed, dotted
from techfile.intake.yamltree import Limits, Node, TreeError, build_tree
from techfile.model.diagnostics import Diagnostic
from techfile.model.document import Document

COMMON_SCHEMA = "document.schema.json"


@dataclass(frozen=True)
class ParseSettings:
    """Everything from the configuration that changes how a single file is read."""

    type_globs: tuple[tuple[str, str], ...] = ()
    id_from: str = "front-matter"
    type_aliases: tuple[tuple[str, str], ...] = ()
    field_aliases: tuple[tuple[str, str], ...] = ()
    column_aliases: tuple[tuple[str, str, str], ...] = ()
    value_aliases: tuple[tuple[str, Any], ...] = ()
    max_file_size: int = 10 * 1024 * 1024
    max_table_rows: int = 20_000
    limits: Limits = field(default_factory=Limits)

    @property
    def types(self) -> TypeRegistry:
        return type_registry(self.type_aliases)

    @property
    def values(self) -> ValueAliases:
        return value_aliases(self.value_aliases)


@dataclass(slots=True)
class ParsedFile:
    path: str
    document: Document | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)
    front_matter_end: int = 0  # last line of the front-matter block, 0 when none
    table_spans: list[tuple[int, int]] = field(default_factory=list)  # (header, last row)


def parse_bytes(path: str, data: bytes, settings: ParseSettings) -> ParsedFile:
    decoded = decode(data)
    if decoded.text is None:
        assert decoded.diagnostic is not None
        return ParsedFile(path, None, [decoded.diagnostic])
    return _FileParser(path, decoded.text, settings).run()


def read_front_matter(text: str, settings: ParseSettings) -> dict[str, Any]:
    """The front-matter values of a text, typed by the common keys only: no items, no
    validation, no body parsing. For comparing old versions of a file cheaply."""
    split = split_front_matter(text)
    if split.front_matter is None or not split.front_matter.strip():
        return {}
    try:
        root = build_tree(split.front_matter, settings.limits)
    except TreeError:
        return {}
    if root is None or root.kind != "map":
        return {}
    typed = NodeTyper(settings.values, 0).run(root, flattened(COMMON_SCHEMA))
    return typed.value if isinstance(typed.value, dict) else {}


class _FileParser:
    def __init__(self, path: str, text: str, settings: ParseSettings) -> None:
        self.path = path
        self.text = text
        self.settings = settings
        self.diagnostics: list[Diagnostic] = []
        self.salvaged_id: str | None = None  # the id of a front-matter that failed to parse

    def run(self) -> ParsedFile:
        split = split_front_matter(self.text)
        if split.diagnostic:
            self.diagnostics.append(split.diagnostic)
        fm_end = split.body_line - 1 if split.front_matter is not None else 0
        directives = find_directives(self.text, fm_end)
        root = self._tree(split.front_matter, split.front_matter_line)
        doc_type = self._doc_type(root, split.front_matter_line - 1)
        schema_id = doc_type.schema_id if doc_type else COMMON_SCHEMA
        typed = self._typed(root, schema_id, split.front_matter_line - 1)
        meta: dict[str, Any] = typed.value if isinstance(typed.value, dict) else {}
        needs_body = doc_type is not None and doc_type.parse_body
        body = Body()
        if needs_body:
            body = parse_body(split.body, split.body_line, self.settings.max_table_rows)
        for line, rows in body.cut_tables:
            self.diagnostics.append(
                Diagnostic(
                    "FM014",
                    f"this table has {rows:,} rows, more than the {self.settings.max_table_rows:,} "
                    "techfile reads (`max-table-rows`); the rows from here on were not checked",
                    line,
                    key=(str(rows),),
                )
            )
        if doc_type is not None and not needs_body:
            body = Body(headings=scan_headings(split.body, split.body_line))
        h1 = self._h1(body, split.body, split.body_line)
        doc_id = self._doc_id(meta, h1) or self.salvaged_id
        document = Document(
            path=self.path,
            id=doc_id,
            type=doc_type.name if doc_type else None,
            evidence_class=doc_type.evidence_class if doc_type else None,
            meta=meta,
            lines=typed.lines,
            h1=h1,
            headings=body.headings,
            body_line=split.body_line,
            readable=self.salvaged_id is None,
            external_tables=body.external_tables,
            placeholders=placeholders(split.body, split.body_line) if doc_type else (),
        )
        if doc_type is not None:
            self._items(document, doc_type, body, directives)
            self._validate(document, doc_type)
        spans = [(t.line, t.rows[-1][0] if t.rows else t.line) for t in body.tables]
        return ParsedFile(self.path, document, self.diagnostics, directives, fm_end, spans)

    def _tree(self, yaml_text: str | None, first_line: int) -> Node | None:
        if yaml_text is None or not yaml_text.strip():
            return None
        try:
            root = build_tree(yaml_text, self.settings.limits)
        except TreeError as problem:
            self.diagnostics.append(
                Diagnostic(
                    problem.code, problem.message, problem.line + first_line - 1, problem.column
                )
            )
            self.salvaged_id = _salvage_id(yaml_text)
            return None
        if root is not None and root.kind != "map":
            kind = "a list" if root.kind == "seq" else "a single value"
            self.diagnostics.append(
                Diagnostic(
                    "FM003",
                    f"the front-matter is {kind}, not a mapping of keys to values; "
                    "techfile read nothing from it",
                    first_line,
                )
            )
            return None
        if root is not None:
            self._apply_field_aliases(root)
        return root

    def _apply_field_aliases(self, root: Node) -> None:
        aliases = dict(self.settings.field_aliases)
        if not aliases:
            return
        present = {key.value for key, _ in root.pairs}
        for key, _ in root.pairs:
            target = aliases.get(key.value)
            if target and target not in present:
                key.value = target

    def _doc_type(self, root: Node | None, offset: int) -> DocType | None:
        registry = self.settings.types
        declared = _scalar_of(root, "type", offset)
        if declared is None:
            for pattern, type_name in self.settings.type_globs:
                if matches(self.path, (pattern,)):
                    declared = (type_name, 0)
                    break
        if declared is None:
            return None
        name, line = declared
        canonical = registry.canonical(name)
        if canonical is None:
            suggestion = registry.suggest(name)
            hint = f"; did you mean `{suggestion}`?" if suggestion else ""
            self.diagnostics.append(
                Diagnostic(
                    "FM005",
                    f"`{name}` is not a document type techfile knows{hint} "
                    "(`techfile types` lists them); the document was not checked",
                    line,
                    key=(name,),
                )
            )
            return None
        return registry.types[canonical]

    def _typed(self, root: Node | None, schema_id: str, offset: int) -> Typed:
        if root is None:
            return Typed({})
        typer = NodeTyper(self.settings.values, offset)
        typed = typer.run(root, flattened(schema_id))
        self.diagnostics.extend(typed.diagnostics)
        return typed

    def _h1(self, body: Body, text: str, body_line: int) -> str | None:
        for level, heading, _line in body.headings:
            if level == 1:
                return heading
        found = first_h1(text, body_line) if not body.headings else None
        return found[0] if found else None

    def _doc_id(self, meta: dict[str, Any], h1: str | None) -> str | None:
        declared = meta.get("id")
        if isinstance(declared, str) and declared.strip():
            return declared.strip()
        if self.settings.id_from == "path-stem":
            return PurePosixPath(self.path).stem
        if self.settings.id_from == "h1" and h1:
            return h1
        return None

    def _items(
        self, document: Document, doc_type: DocType, body: Body, directives: list[Directive]
    ) -> None:
        lists = list(lists_of(doc_type.schema_id))
        columns = column_aliases(self.settings.column_aliases)
        given = {il.name for il in lists if isinstance(document.meta.get(il.name), list)}
        for item_list in lists:
            if item_list.name in given:
                document.items[item_list.name] = list(
                    front_matter_items(
                        item_list,
                        document.meta[item_list.name],
                        document.lines,
                        document.id,
                        self.path,
                    )
                )
        markers = [d for d in directives if d.verb == "items"]
        bound, problems = bind_tables(body.tables, markers, lists, columns, given)
        self.diagnostics.extend(problems)
        taken = {id(binding.table) for binding in bound}
        document.tables = tuple(t for t in body.tables if id(t) not in taken)
        by_name = {il.name: il for il in lists}
        for binding in bound:
            items = table_items(
                binding,
                by_name[binding.list_name],
                columns,
                self.settings.values,
                document.id,
                self.path,
            )
            document.items.setdefault(binding.list_name, []).extend(items)
        settle_items(document.items, lists_of(doc_type.schema_id))

    def _validate(self, document: Document, doc_type: DocType) -> None:
        instance = dict(document.meta)
        if document.id is not None:
            instance.setdefault("id", document.id)
        instance.setdefault("type", doc_type.name)
        lines = dict(document.lines)
        for name, items in document.items.items():
            if items and items[0].source == "table":
                instance[name] = [item.fields for item in items]
                for index, item in enumerate(items):
                    lines[(name, index)] = item.line
        errors = (
            ()
            if is_valid(doc_type.schema_id, instance)
            else (validator(doc_type.schema_id).iter_errors(instance))
        )
        for error in errors:
            path = tuple(error.absolute_path)
            line = _nearest_line(lines, path)
            self.diagnostics.append(
                Diagnostic(
                    "FM004",
                    schema_message(error, _where(path, document)),
                    line,
                    key=(dotted(path) or "(document)", error.validator),
                )
            )
        self._near_misses(document, doc_type)

    def _near_misses(self, document: Document, doc_type: DocType) -> None:
        """Keys a team adds are welcome; a near miss of a key techfile reads is a typo."""
        self._check_keys(document.meta, flattened(doc_type.schema_id), (), document.lines)

    def _check_keys(
        self,
        value: Any,
        schema: dict[str, Any],
        path: tuple[str | int, ...],
        lines: dict[tuple[str | int, ...], int],
    ) -> None:
        if isinstance(value, list):
            for index, element in enumerate(value):
                self._check_keys(element, item_schema(schema), (*path, index), lines)
            return
        if not isinstance(value, dict):
            return
        known = known_keys(schema)
        for key, sub_value in value.items():
            if key in known:
                if len(path) < 6:
                    self._check_keys(sub_value, property_schema(schema, key), (*path, key), lines)
                continue
            close = _near_miss(key, known)
            if close:
                where = dotted((*path, key))
                self.diagnostics.append(
                    Diagnostic(
                        "FM012",
                        f"the key `{where}` is not one techfile reads; did you mean "
                        f"`{close[0]}`? (as written, it is ignored)",
                        _nearest_line(lines, (*path, key)),
                        key=(where, close[0]),
                    )
                )


_ID_LINE = re.compile(r"""^id[ \t]*:[ \t]*["']?([^"'#\s]+)""", re.MULTILINE)


def _salvage_id(yaml_text: str) -> str | None:
    """The `id:` line of a front-matter that did not parse, so references to the document
    are not also reported as dangling (one defect, one finding)."""
    match = _ID_LINE.search(yaml_text)
    return match.group(1) if match else None


def _near_miss(key: str, known: set[str]) -> list[str]:
    """A known key this one was probably meant to be: close in spelling, or the same
    letters with two swapped (`dtae`)."""
    close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.8)
    if close:
        return close
    swapped = [
        k
        for k in sorted(known)
        if len(k) == len(key)
        and sorted(k) == sorted(key)
        and sum(a != b for a, b in zip(k, key, strict=True)) == 2
    ]
    return swapped[:1]


def _scalar_of(root: Node | None, key: str, offset: int) -> tuple[str, int] | None:
    if root is None:
        return None
    for key_node, value_node in root.pairs:
        if key_node.value == key and value_node.kind == "scalar" and value_node.value.strip():
            return value_node.value.strip(), value_node.line + offset
    return None


def _nearest_line(lines: dict[tuple[str | int, ...], int], path: tuple[Any, ...]) -> int:
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get((), 1)


def _where(path: tuple[Any, ...], document: Document) -> str:
    """`controls[3].type` becomes `type` of RC-04 (controls), as a reader names it."""
    if not path:
        return "the front-matter"
    if len(path) >= 2 and isinstance(path[1], int) and path[0] in document.items:
        items = document.items[str(path[0])]
        if path[1] < len(items) and items[path[1]].id:
            rest = dotted(path[2:])
            field = f"`{rest}` of " if rest else ""
            return f"{field}{items[path[1]].id} ({path[0]})"
    return f"`{dotted(path)}`"


def _shown(value: Any) -> str:
    """A value as a reader of the file would write it (no Python spellings)."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, (list, dict)):
        return "a list" if isinstance(value, list) else "a mapping"
    return str(value)


def schema_message(error: Any, where: str) -> str:
    """A jsonschema error as a reader says it: `severity` of R-1 should be ..."""
    kind = error.validator
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"{where} lacks the required key `{missing}`"
    if kind == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        return f"{where} is {_shown(error.instance)}, which is not one of: {allowed}"
    if kind == "type":
        expected = error.validator_value
        names = expected if isinstance(expected, list) else [expected]
        expected_text = " or ".join(_article(str(n)) for n in names)
        return f"{where} should be {expected_text}, but is {_shown(error.instance)}"
    if kind == "format":
        return f"{where} is {_shown(error.instance)}, which is not a valid {error.validator_value}"
    if kind == "minLength":
        return f"{where} is empty"
    return f"{where}: {error.message}"


def _article(type_name: str) -> str:
    names = {
        "string": "text",
        "array": "a list",
        "object": "a mapping",
        "boolean": "true or false",
        "integer": "a whole number",
        "number": "a number",
        "null": "empty",
    }
    return names.get(type_name, type_name)
