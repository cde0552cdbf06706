"""Parsed files to and from plain JSON data, for the cache.

Decoding checks every type it rebuilds: an entry that is not exactly what `encode` makes
(a stale format, a bug) is a miss, never a crash in the rules that would read it later.
"""

from __future__ import annotations

from typing import Any

from techfile.intake.directives import Directive
from techfile.intake.parse import ParsedFile
from techfile.intake.shapes import (
    array,
    flag,
    mapping,
    number,
    number_mapping,
    optional_text,
    text,
    texts,
)
from techfile.model.diagnostics import Diagnostic
from techfile.model.document import Document, Item
from techfile.model.table import Table


def encode(parsed: ParsedFile) -> dict[str, Any]:
    return {
        "path": parsed.path,
        "document": _encode_document(parsed.document) if parsed.document else None,
        "diagnostics": [
            [
                d.code,
                d.message,
                d.line,
                d.column,
                list(d.key),
                d.severity,
                d.why,
                d.fix,
                list(d.edit) if d.edit else None,
            ]
            for d in parsed.diagnostics
        ],
        "directives": [
            [d.verb, list(d.codes), d.reason, d.line, d.target_line, d.argument]
            for d in parsed.directives
        ],
        "front_matter_end": parsed.front_matter_end,
        "table_spans": [list(span) for span in parsed.table_spans],
    }


def decode(data: object) -> ParsedFile | None:
    """Rebuild a parsed file; None for anything else, whatever is wrong with it."""
    try:
        return _decode(mapping(data))
    except Exception:  # malformed data may fail in any way: all of them are a miss
        return None


def _decode(data: dict[str, Any]) -> ParsedFile:
    document = data["document"]
    return ParsedFile(
        path=text(data["path"]),
        document=None if document is None else _decode_document(mapping(document)),
        diagnostics=[_decode_diagnostic(array(d, 9)) for d in array(data["diagnostics"])],
        directives=[_decode_directive(array(d, 6)) for d in array(data["directives"])],
        front_matter_end=number(data["front_matter_end"]),
        table_spans=[_pair(span) for span in array(data["table_spans"])],
    )


def _decode_diagnostic(data: list[Any]) -> Diagnostic:
    code, message, line, column, key, severity, why, fix, edit = data
    return Diagnostic(
        text(code),
        text(message),
        number(line),
        number(column),
        texts(key),
        optional_text(severity),
        text(why),
        text(fix),
        None if edit is None else _pair_of_texts(edit),
    )


def _pair_of_texts(data: object) -> tuple[str, str]:
    old, new = array(data, 2)
    return text(old), text(new)


def _decode_directive(data: list[Any]) -> Directive:
    verb, codes, reason, line, target, argument = data
    return Directive(
        text(verb),
        texts(codes),
        optional_text(reason),
        number(line),
        number(target),
        optional_text(argument),
    )


def _pair(data: object) -> tuple[int, int]:
    first, second = array(data, 2)
    return number(first), number(second)


def _encode_document(doc: Document) -> dict[str, Any]:
    return {
        "path": doc.path,
        "id": doc.id,
        "type": doc.type,
        "class": doc.evidence_class,
        "meta": doc.meta,
        "lines": [[list(key), line] for key, line in doc.lines.items()],
        "items": {name: [_encode_item(i, doc) for i in items] for name, items in doc.items.items()},
        "h1": doc.h1,
        "headings": [list(h) for h in doc.headings],
        "body_line": doc.body_line,
        "external": [list(e) for e in doc.external_tables],
        "placeholders": [list(p) for p in doc.placeholders],
        "readable": doc.readable,
        "tables": [
            [t.line, list(t.headers), [[line, list(cells)] for line, cells in t.rows], t.path]
            for t in doc.tables
        ],
    }


def _decode_document(data: dict[str, Any]) -> Document:
    return Document(
        path=text(data["path"]),
        id=optional_text(data["id"]),
        type=optional_text(data["type"]),
        evidence_class=optional_text(data["class"]),
        meta=mapping(data["meta"]),
        lines=dict(_decode_line(array(entry, 2)) for entry in array(data["lines"])),
        items={
            name: [_decode_item(array(i, 8), name, data) for i in array(items)]
            for name, items in mapping(data["items"]).items()
        },
        h1=optional_text(data["h1"]),
        headings=tuple(_decode_heading(array(h, 3)) for h in array(data["headings"])),
        body_line=number(data["body_line"]),
        external_tables=tuple(_numbered(e) for e in array(data["external"])),
        placeholders=tuple(_numbered(p) for p in array(data["placeholders"])),
        readable=flag(data["readable"]),
        tables=tuple(_decode_table(array(t, 4)) for t in array(data["tables"])),
    )


def _decode_line(data: list[Any]) -> tuple[tuple[str | int, ...], int]:
    key, line = data
    return tuple(_key_part(part) for part in array(key)), number(line)


def _key_part(value: object) -> str | int:
    return value if isinstance(value, str) else number(value)


def _decode_heading(data: list[Any]) -> tuple[int, str, int]:
    level, heading, line = data
    return number(level), text(heading), number(line)


def _numbered(data: object) -> tuple[int, str]:
    line, value = array(data, 2)
    return number(line), text(value)


def _decode_table(data: list[Any]) -> Table:
    line, headers, rows, path = data
    return Table(
        number(line),
        texts(headers),
        tuple((number(r), texts(c)) for r, c in (array(row, 2) for row in array(rows))),
        optional_text(path),
    )


_SAME = 0  # an item's path or document id is the document's own


def _encode_item(item: Item, doc: Document) -> list[Any]:
    """Compact: most items sit in their document's file, with one line for every field
    (a table row), so those parts are left out; this is most of the cache's size."""
    one_line = list(item.lines) == list(item.fields) and all(
        line == item.line for line in item.lines.values()
    )
    return [
        item.id,
        item.fields,
        item.line,
        None if one_line else item.lines,
        item.table,
        item.source,
        _SAME if item.path == doc.path else item.path,
        _SAME if item.doc_id == doc.id else [item.doc_id],
    ]


def _decode_item(data: list[Any], list_name: str, doc: dict[str, Any]) -> Item:
    item_id, fields, line, lines, table, source, path, doc_id = data
    fields = mapping(fields)
    line = number(line)
    return Item(
        list_name,
        optional_text(item_id),
        fields,
        line,
        optional_text(doc["id"] if _is_same(doc_id) else array(doc_id, 1)[0]),
        text(doc["path"] if _is_same(path) else path),
        text(source),
        dict.fromkeys(fields, line) if lines is None else number_mapping(lines),
        number(table),
    )


def _is_same(value: object) -> bool:
    return type(value) is int and value == _SAME
