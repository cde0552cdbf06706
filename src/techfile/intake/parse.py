"""Parse one file into a document, on its own: no other file is consulted.

Everything here is a pure function of the file's bytes and the parse settings, so the
result can be cached by content hash and computed in a worker process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from techfile.data.registry import DocType, column_aliases
from techfile.data.schemas import flattened
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
from techfile.intake.settings import ParseSettings
from techfile.intake.split import split_front_matter
from techfile.intake.text import decode
from techfile.intake.validate import schema_diagnostics
from techfile.intake.values import NodeTyper, Typed
from techfile.intake.yamltree import Node, TreeError, build_tree
from techfile.model.diagnostics import Diagnostic
from techfile.model.document import Document

__all__ = ["COMMON_SCHEMA", "ParseSettings", "ParsedFile", "parse_bytes", "read_front_matter"]

COMMON_SCHEMA = "document.schema.json"


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
        self.renamed: dict[str, str] = {}  # field -> the key as written, where an alias renamed it
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
                    "techfile reads (`max-table-rows`)",
                    line,
                    key=(str(rows),),
                    why="the rows after that limit were not checked.",
                    fix="Split the table, or keep its data in a CSV file bound with "
                    "`[[items-from]]`; if it is meant to be that large, raise `max-table-rows` "
                    "in the configuration.",
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
            self.diagnostics.extend(schema_diagnostics(document, doc_type, self.renamed))
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
                    problem.code,
                    problem.message,
                    problem.line + first_line - 1,
                    problem.column,
                    why=problem.why,
                    fix=problem.fix,
                )
            )
            self.salvaged_id = _salvage_id(yaml_text)
            return None
        if root is not None and root.kind != "map":
            kind = "a list" if root.kind == "seq" else "a single value"
            self.diagnostics.append(
                Diagnostic(
                    "FM003",
                    f"the front-matter is {kind}, not a mapping of keys to values",
                    first_line,
                    why="techfile read nothing from the block, so the document has no id or "
                    "type and no rule checked it.",
                    fix="Write one `key: value` pair per line, with no `- ` before the keys; "
                    "move prose below the closing `---`.",
                )
            )
            return None
        if root is not None:
            self._apply_field_aliases(root)
        return root

    def _apply_field_aliases(self, root: Node) -> None:
        """Keys a preset or `[aliases.fields]` renames (`record_version` to `version`); the
        written key is kept, so a finding names the key the document has."""
        aliases = dict(self.settings.field_aliases)
        if not aliases:
            return
        present = {key.value for key, _ in root.pairs}
        for key, _ in root.pairs:
            target = aliases.get(key.value)
            if target and target not in present:
                self.renamed[target] = key.value
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
                    f"`{name}` is not a document type techfile knows{hint}",
                    line,
                    key=(name,),
                    why="the document was not checked, and a citation of it as evidence is not "
                    "judged.",
                    fix="Use a type `techfile types` lists, or map your name to one under "
                    "`[aliases.types]` in the configuration.",
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
        settle_items(document.items, lists_of(doc_type.schema_id), document.headings)


_ID_LINE = re.compile(r"""^id[ \t]*:[ \t]*["']?([^"'#\s]+)""", re.MULTILINE)


def _salvage_id(yaml_text: str) -> str | None:
    """The `id:` line of a front-matter that did not parse, so references to the document
    are not also reported as dangling (one defect, one finding)."""
    match = _ID_LINE.search(yaml_text)
    return match.group(1) if match else None


def _scalar_of(root: Node | None, key: str, offset: int) -> tuple[str, int] | None:
    if root is None:
        return None
    for key_node, value_node in root.pairs:
        if key_node.value == key and value_node.kind == "scalar" and value_node.value.strip():
            return value_node.value.strip(), value_node.line + offset
    return None
