"""The whole technical file at once: documents by id and path, items, and reference resolution."""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from techfile.model.document import Document, Item
from techfile.model.schemas import Schema, branch_for, flattened, item_schema, property_schema

_LINK = re.compile(r"^\s*\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]*)(?:\s+\"[^\"]*\")?\)\s*$")
_EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Resolution:
    document: Document | None = None
    item: Item | None = None
    problem: str | None = None  # None | "dangling" | "ambiguous" | "external"
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reference:
    """A reference value found in a schema-declared reference field."""

    source: Document
    item: Item | None
    field: str  # dotted field path inside the document or item
    value: str
    kind: str  # document | item | any
    line: int


class Index:
    def __init__(self, documents: list[Document]) -> None:
        self.documents = sorted(documents, key=lambda d: d.path)
        self.by_path = {d.path: d for d in self.documents}
        self.by_id: dict[str, list[Document]] = defaultdict(list)
        self.items_by_id: dict[str, list[Item]] = defaultdict(list)
        self.local_items: dict[str, dict[str, Item]] = {}  # path -> item id -> first item
        for document in self.documents:
            if document.id is not None:
                self.by_id[document.id].append(document)
            local = self.local_items.setdefault(document.path, {})
            for item in document.all_items():
                if item.id is not None:
                    self.items_by_id[item.id].append(item)
                    local.setdefault(item.id, item)

    def document(self, doc_id: str) -> Document | None:
        found = self.by_id.get(doc_id)
        return found[0] if found else None

    def of_type(self, *types: str) -> list[Document]:
        return [d for d in self.documents if d.active and d.type in types]

    def resolve(self, value: str, source: Document, kind: str = "any") -> Resolution:
        text = value.strip()
        link = _LINK.match(text)
        target = link.group("target") if link else None
        if target is None and (".md" in text or text.startswith(("./", "../"))) and " " not in text:
            target = text
        if target is not None:
            return self._resolve_link(target, source)
        if kind in ("document", "any"):
            found = self.by_id.get(text)
            if found:
                return Resolution(document=found[0])
        if ":" in text and kind in ("item", "any"):
            doc_id, _, item_id = text.rpartition(":")
            owner = self.by_id.get(doc_id)
            if owner:
                return self._item_in(owner[0], item_id)
        if kind in ("item", "any"):
            return self._item_anywhere(text, source)
        return Resolution(problem="dangling")

    def _resolve_link(self, target: str, source: Document) -> Resolution:
        if _EXTERNAL.match(target):
            return Resolution(problem="external")
        path_part, _, anchor = target.partition("#")
        if path_part:
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(source.path), path_part))
            document = self.by_path.get(joined)
        else:
            document = source
        if document is None:
            return Resolution(problem="dangling")
        if not anchor:
            return Resolution(document=document)
        for item in document.all_items():
            if item.id is not None and _anchor(item.id) == anchor.casefold():
                return Resolution(document=document, item=item)
        return Resolution(document=document)  # an anchor to a heading names the document

    def _item_in(self, document: Document, item_id: str) -> Resolution:
        item = self.local_items.get(document.path, {}).get(item_id)
        if item is None:
            return Resolution(problem="dangling")
        return Resolution(document=document, item=item)

    def _item_anywhere(self, item_id: str, source: Document) -> Resolution:
        local = self.local_items.get(source.path, {}).get(item_id)
        if local is not None:
            return Resolution(document=source, item=local)
        found = self.items_by_id.get(item_id, [])
        owners = sorted({i.doc_id or i.path for i in found})
        if len(owners) == 1:
            item = found[0]
            return Resolution(document=self.by_path.get(item.path), item=item)
        if len(owners) > 1:
            return Resolution(problem="ambiguous", candidates=tuple(owners))
        return Resolution(problem="dangling")

    def references(self, document: Document) -> Iterator[Reference]:
        """Every value in a reference field of the document and its items."""
        if document.type is None:
            return
        schema = flattened(f"types/{document.type}.schema.json")
        for key, value in document.meta.items():
            if key in document.items:
                continue
            for path, text, kind in walk_refs(value, property_schema(schema, key), (key,)):
                yield Reference(document, None, _field(path), text, kind, document.line_of(*path))
        for list_name, items in document.items.items():
            inner = item_schema(property_schema(schema, list_name))
            for index, item in enumerate(items):
                for key, value in item.fields.items():
                    for path, text, kind in walk_refs(value, property_schema(inner, key), (key,)):
                        line = item.lines.get(key, item.line)
                        if item.source == "front-matter":
                            line = document.line_of(list_name, index, *path)
                        yield Reference(document, item, _field(path), text, kind, line)


def walk_refs(
    value: Any, schema: Schema, path: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    """(path, text, kind) for each string under `value` that its schema marks as a reference."""
    if isinstance(value, str):
        kind = branch_for(schema, "string").get("x-techfile-ref") or schema.get("x-techfile-ref")
        if kind:
            yield path, value, str(kind)
        return
    if isinstance(value, list):
        inner = item_schema(schema)
        for index, element in enumerate(value):
            yield from walk_refs(element, inner, (*path, index))
        return
    if isinstance(value, dict):
        for key, sub in value.items():
            yield from walk_refs(sub, property_schema(schema, key), (*path, key))


def _field(path: tuple[str | int, ...]) -> str:
    return ".".join(str(part) for part in path if not isinstance(part, int))


def _anchor(text: str) -> str:
    return re.sub(r"[^\w\- ]", "", text.strip().casefold()).replace(" ", "-")
