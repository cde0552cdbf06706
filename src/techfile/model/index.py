"""The whole technical file at once: documents by id and path, items, and reference resolution."""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from techfile.data.schemas import Schema, branch_for, flattened, item_schema, property_schema
from techfile.model.document import Document, Item
from techfile.model.titles import TitleIndex

_LINK = re.compile(r"^\s*\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]*)(?:\s+\"[^\"]*\")?\)\s*$")
_EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|mailto:|urn:|doi:)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Resolution:
    document: Document | None = None
    item: Item | None = None
    problem: str | None = None  # None | dangling | ambiguous | external | anchor | unreadable
    candidates: tuple[str, ...] = ()
    by_title: str = ""  # how a citation by title matched (model.titles), "" for ids and links


@dataclass(frozen=True, slots=True)
class Reference:
    """A reference value found in a schema-declared reference field."""

    source: Document
    item: Item | None
    field: str  # dotted field path inside the document or item
    value: str
    kind: str  # document | item | any
    line: int
    lists: tuple[str, ...] = ()  # the item lists the field points into


_FROM_SOURCE = Resolution(problem="from-source")  # marks answers that depend on the source


def _link_target(text: str) -> str | None:
    """The target of a Markdown link or of a bare relative path, else None."""
    link = _LINK.match(text)
    target = link.group("target") if link else None
    if target is None and (".md" in text or text.startswith(("./", "../"))) and " " not in text:
        target = text
    return target


class Index:
    def __init__(self, documents: list[Document]) -> None:
        self.documents = sorted(documents, key=lambda d: d.path)
        self.by_path = {d.path: d for d in self.documents}
        self.by_id: dict[str, list[Document]] = defaultdict(list)
        self.items_by_id: dict[str, list[Item]] = defaultdict(list)
        # path -> list name -> item id -> first item: ids are numbered per list in many
        # real files (risk 1 and control 1 in one document)
        self.local_items: dict[str, dict[str, dict[str, Item]]] = {}
        self.by_type: dict[str, list[Document]] = defaultdict(list)  # active documents only
        self._resolved: dict[tuple[str, str, str, tuple[str, ...]], Resolution] = {}
        self._anywhere: dict[tuple[str, str, tuple[str, ...]], Resolution] = {}
        self._references: dict[str, list[Reference]] = {}
        self._preferred: dict[str, Document] = {}
        self._list_names: dict[str, list[str]] = {}
        self._titles: TitleIndex | None = None  # built at the first citation by title
        for document in self.documents:
            if document.type is not None and document.active:
                self.by_type[document.type].append(document)
            if document.id is not None:
                self.by_id[document.id].append(document)
            local = self.local_items.setdefault(document.path, {})
            for item in document.all_items():
                if item.id is not None:
                    self.items_by_id[item.id].append(item)
                    local.setdefault(item.list_name, {}).setdefault(item.id, item)

    def document(self, doc_id: str) -> Document | None:
        """The document with this id; an active one before an obsolete or superseded copy."""
        preferred = self._preferred.get(doc_id)
        if preferred is not None:
            return preferred
        found = self.by_id.get(doc_id)
        if not found:
            return None
        preferred = self._preferred[doc_id] = next((d for d in found if d.active), found[0])
        return preferred

    def of_type(self, *types: str) -> list[Document]:
        """Active documents of these types, in path order."""
        if len(types) == 1:
            return list(self.by_type.get(types[0], ()))
        return sorted((d for t in types for d in self.by_type.get(t, ())), key=lambda d: d.path)

    def resolve(
        self, value: str, source: Document, kind: str = "any", lists: tuple[str, ...] = ()
    ) -> Resolution:
        """Resolve a reference. `lists` names the item lists the field points into (from the
        schema's x-techfile-list); they are preferred where an id exists in several lists.
        Many rules follow the same references, so answers are kept for the run: once per
        text where the source does not matter, else once per text and source."""
        anywhere = self._anywhere.get((value, kind, lists))
        if anywhere is None:
            anywhere = self._anywhere[(value, kind, lists)] = self._resolve_anywhere(
                value, kind, lists
            )
        if anywhere is not _FROM_SOURCE:
            return anywhere
        key = (value, source.path, kind, lists)
        found = self._resolved.get(key)
        if found is None:
            found = self._resolved[key] = self._resolve_from(value, source, kind, lists)
        return found

    def _resolve_anywhere(self, value: str, kind: str, lists: tuple[str, ...]) -> Resolution:
        """The resolution wherever the reference is written, or _FROM_SOURCE when the source
        matters: a relative link, or an item id the source may hold itself."""
        text = value.strip()
        if _URL.match(text):
            return Resolution(problem="external")
        if _link_target(text) is not None:
            return _FROM_SOURCE
        if kind in ("document", "any"):
            found = self.document(text)
            if found:
                return Resolution(document=found)
        if ":" in text and kind in ("item", "any"):
            doc_id, _, item_id = text.rpartition(":")
            owner = self.document(doc_id)
            if owner:
                return self._item_in(owner, item_id, lists)
        if kind in ("item", "any"):
            return _FROM_SOURCE
        return self._by_title(text)

    def _resolve_from(
        self, value: str, source: Document, kind: str, lists: tuple[str, ...]
    ) -> Resolution:
        text = value.strip()
        target = _link_target(text)
        if target is not None:
            return self._resolve_link(target, source)
        found = self._item_anywhere(text, source, lists)
        if found.problem == "dangling" and kind == "any":
            return self._by_title(text)
        return found

    def _by_title(self, text: str) -> Resolution:
        """A citation by title (model.titles): the document a reader would open."""
        if self._titles is None:
            self._titles = TitleIndex(self.documents)
        match = self._titles.match(text)
        if len(match.documents) == 1:
            return Resolution(document=match.documents[0], by_title=match.tier)
        if match.documents:
            names = tuple(sorted(d.label() for d in match.documents))
            return Resolution(problem="ambiguous", candidates=names, by_title=match.tier)
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
        wanted = anchor.casefold()
        for item in document.all_items():
            if item.id is not None and _anchor(item.id) == wanted:
                return Resolution(document=document, item=item)
        if any(_anchor(text) == wanted for _level, text, _line in document.headings):
            return Resolution(document=document)  # a section of the document
        return Resolution(document=document, problem="anchor")

    def _local(self, document: Document, item_id: str, lists: tuple[str, ...]) -> Item | None:
        by_list = self.local_items.get(document.path, {})
        for name in (*lists, *self._sorted_lists(document.path, by_list)):
            item = by_list.get(name, {}).get(item_id)
            if item is not None:
                return item
        return None

    def _sorted_lists(self, path: str, by_list: dict[str, dict[str, Item]]) -> list[str]:
        names = self._list_names.get(path)
        if names is None:
            names = self._list_names[path] = sorted(by_list)
        return names

    def _item_in(self, document: Document, item_id: str, lists: tuple[str, ...]) -> Resolution:
        item = self._local(document, item_id, lists)
        if item is None and (not document.readable or document.type is None):
            # a front-matter that did not parse, or a type techfile does not know: its
            # entries were never read, so a reference into it cannot be checked
            return Resolution(document=document, problem="unreadable")
        if item is None:
            return Resolution(problem="dangling")
        return Resolution(document=document, item=item)

    def _item_anywhere(self, item_id: str, source: Document, lists: tuple[str, ...]) -> Resolution:
        local = self._local(source, item_id, lists)
        if local is not None:
            return Resolution(document=source, item=local)
        found = self.items_by_id.get(item_id, [])
        if lists and any(i.list_name in lists for i in found):
            found = [i for i in found if i.list_name in lists]
        owners = sorted({i.doc_id or i.path for i in found})
        if len(owners) == 1:
            item = found[0]
            return Resolution(document=self.by_path.get(item.path), item=item)
        if len(owners) > 1:
            return Resolution(problem="ambiguous", candidates=tuple(owners))
        return Resolution(problem="dangling")

    def resolve_field(self, document: Document, item: Item, field: str) -> list[Resolution]:
        """Resolve every reference in one field of an item, as the type's schema declares it
        (kind and target lists), so rules never guess where an id points."""
        if document.type is None or field not in item.fields:
            return []
        schema = flattened(f"types/{document.type}.schema.json")
        inner = item_schema(property_schema(schema, item.list_name))
        found = walk_refs(item.fields[field], property_schema(inner, field), (field,))
        return [self.resolve(text, document, kind, lists) for _, text, kind, lists in found]

    def references(self, document: Document) -> list[Reference]:
        """Every value in a reference field of the document and its items (computed once)."""
        found = self._references.get(document.path)
        if found is None:
            found = self._references[document.path] = list(self._walk_references(document))
        return found

    def _walk_references(self, document: Document) -> Iterator[Reference]:
        if document.type is None:
            return
        schema = flattened(f"types/{document.type}.schema.json")
        for key, value in values_that_may_hold(document.meta, schema, REF):
            if key in document.items:
                continue
            for path, text, kind, lists in walk_refs(value, property_schema(schema, key), (key,)):
                yield Reference(
                    document, None, _field(path), text, kind, document.line_of(*path), lists
                )
        for list_name, items in document.items.items():
            inner = item_schema(property_schema(schema, list_name))
            if not may_hold(inner, REF):
                continue
            for index, item in enumerate(items):
                for key, value in values_that_may_hold(item.fields, inner, REF):
                    field_schema = property_schema(inner, key)
                    for path, text, kind, lists in walk_refs(value, field_schema, (key,)):
                        line = item.lines.get(key, item.line)
                        if item.source == "front-matter":
                            line = document.line_of(list_name, index, *path)
                        yield Reference(document, item, _field(path), text, kind, line, lists)


def walk_refs(
    value: Any, schema: Schema, path: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], str, str, tuple[str, ...]]]:
    """(path, text, kind, target lists) for each string under `value` that its schema marks
    as a reference."""
    if not may_hold(schema, REF):
        return
    if isinstance(value, str):
        found = _string_ref(schema)
        if found is not None:
            yield path, value, found[0], found[1]
        return
    if isinstance(value, list):
        inner = item_schema(schema)
        found = _string_ref(inner)
        for index, element in enumerate(value):
            if not isinstance(element, str):
                yield from walk_refs(element, inner, (*path, index))
            elif found is not None:  # the common list of ids, without a call for each
                yield (*path, index), element, found[0], found[1]
        return
    if isinstance(value, dict):
        for key, sub in value.items():
            yield from walk_refs(sub, property_schema(schema, key), (*path, key))


# Schemas are read-only once loaded, so what a (sub-)schema says is kept by identity, with
# the schema itself so that its id is never reused (as in model.schemas).
REF = "x-techfile-ref"
_MARKED: dict[tuple[int, str], tuple[Schema, bool]] = {}
_MARKED_KEYS: dict[tuple[int, str], tuple[Schema, frozenset[str] | None]] = {}
_STRING_REFS: dict[int, tuple[Schema, tuple[str, tuple[str, ...]] | None]] = {}


def may_hold(schema: Schema, marker: str) -> bool:
    """False when no sub-schema of `schema` carries `marker` (`x-techfile-ref`,
    `x-techfile-clause`): then no value under it needs walking."""
    key = (id(schema), marker)
    kept = _MARKED.get(key)
    if kept is None:
        kept = _MARKED[key] = (schema, _mentions(schema, marker))
    return kept[1]


def _mentions(value: Any, marker: str) -> bool:
    if isinstance(value, dict):
        return marker in value or any(_mentions(v, marker) for v in value.values())
    if isinstance(value, list):
        return any(_mentions(v, marker) for v in value)
    return False


def values_that_may_hold(
    values: dict[Any, Any], schema: Schema, marker: str
) -> list[tuple[Any, Any]]:
    """The (key, value) pairs of an object of this schema whose schema may carry `marker`,
    in order: the others hold nothing to find."""
    keys = _keys_that_may_hold(schema, marker)
    if keys is None:
        return list(values.items())
    return [(key, value) for key, value in values.items() if key in keys]


def _keys_that_may_hold(schema: Schema, marker: str) -> frozenset[str] | None:
    """The property names whose schema may carry `marker`; None when any name may (the
    schema of additional properties does)."""
    key = (id(schema), marker)
    kept = _MARKED_KEYS.get(key)
    if kept is None:
        kept = _MARKED_KEYS[key] = (schema, _read_keys_that_may_hold(schema, marker))
    return kept[1]


def _read_keys_that_may_hold(schema: Schema, marker: str) -> frozenset[str] | None:
    obj = branch_for(schema, "object")
    extra = obj.get("additionalProperties")
    if isinstance(extra, dict) and may_hold(extra, marker):
        return None
    names = obj.get("properties", {})
    return frozenset(name for name in names if may_hold(property_schema(schema, name), marker))


def _string_ref(schema: Schema) -> tuple[str, tuple[str, ...]] | None:
    """(kind, target lists) when a string under this schema is a reference."""
    kept = _STRING_REFS.get(id(schema))
    if kept is None:
        kept = _STRING_REFS[id(schema)] = (schema, _read_string_ref(schema))
    return kept[1]


def _read_string_ref(schema: Schema) -> tuple[str, tuple[str, ...]] | None:
    string = branch_for(schema, "string")
    kind = string.get(REF) or schema.get(REF)
    if not kind:
        return None
    lists = string.get("x-techfile-list") or schema.get("x-techfile-list") or ()
    return str(kind), tuple(lists)


def _field(path: tuple[str | int, ...]) -> str:
    return ".".join([str(part) for part in path if not isinstance(part, int)])


def _anchor(text: str) -> str:
    return re.sub(r"[^\w\- ]", "", text.strip().casefold()).replace(" ", "-")
