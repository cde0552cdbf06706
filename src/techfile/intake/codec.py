"""Parsed files to and from plain JSON data, for the cache."""

from __future__ import annotations

from typing import Any

from techfile.intake.directives import Directive
from techfile.intake.parse import ParsedFile
from techfile.model.diagnostics import Diagnostic
from techfile.model.document import Document, Item
from techfile.model.table import Table


def encode(parsed: ParsedFile) -> dict[str, Any]:
    return {
        "path": parsed.path,
        "document": _encode_document(parsed.document) if parsed.document else None,
        "diagnostics": [
            [d.code, d.message, d.line, d.column, list(d.key), d.severity]
            for d in parsed.diagnostics
        ],
        "directives": [
            [d.verb, list(d.codes), d.reason, d.line, d.target_line, d.argument]
            for d in parsed.directives
        ],
        "front_matter_end": parsed.front_matter_end,
        "table_spans": [list(span) for span in parsed.table_spans],
    }


def decode(data: dict[str, Any]) -> ParsedFile:
    """Rebuild a parsed file; raises KeyError/TypeError/ValueError on foreign data."""
    return ParsedFile(
        path=str(data["path"]),
        document=_decode_document(data["document"]) if data["document"] else None,
        diagnostics=[
            Diagnostic(str(c), str(m), int(line), int(col), tuple(k), s)
            for c, m, line, col, k, s in data["diagnostics"]
        ],
        directives=[
            Directive(str(v), tuple(c), r, int(line), int(t), a)
            for v, c, r, line, t, a in data["directives"]
        ],
        front_matter_end=int(data["front_matter_end"]),
        table_spans=[(int(start), int(end)) for start, end in data["table_spans"]],
    )


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
    if not isinstance(data["meta"], dict):
        raise TypeError("meta is not a mapping")
    return Document(
        path=str(data["path"]),
        id=data["id"],
        type=data["type"],
        evidence_class=data["class"],
        meta=data["meta"],
        lines={tuple(key): int(line) for key, line in data["lines"]},
        items={
            str(name): [_decode_item(i, str(name), data) for i in items]
            for name, items in data["items"].items()
        },
        h1=data["h1"],
        headings=tuple(
            (int(level), str(text), int(line)) for level, text, line in data["headings"]
        ),
        body_line=int(data["body_line"]),
        external_tables=tuple((int(line), str(name)) for line, name in data["external"]),
        placeholders=tuple((int(line), str(text)) for line, text in data["placeholders"]),
        readable=bool(data["readable"]),
        tables=tuple(
            Table(int(line), tuple(headers), tuple((int(r), tuple(c)) for r, c in rows), path)
            for line, headers, rows, path in data["tables"]
        ),
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
    if not isinstance(fields, dict) or not (lines is None or isinstance(lines, dict)):
        raise TypeError("item fields are not a mapping")
    return Item(
        list_name,
        item_id,
        fields,
        int(line),
        doc["id"] if doc_id == _SAME else doc_id[0],
        str(doc["path"] if path == _SAME else path),
        str(source),
        dict.fromkeys(fields, int(line)) if lines is None else lines,
        int(table),
    )
