"""ID: every document and item can be told apart, and every reference reaches its target."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from techfile.model.document import Document, Item
from techfile.model.evidence import ROW_TYPES, document_rows, is_lettered
from techfile.model.finding import Finding, Location
from techfile.rules.base import Context, rule


@rule("ID001")
def duplicate_ids(ctx: Context) -> Iterator[Finding]:
    for doc_id, documents in sorted(ctx.index.by_id.items()):
        # an obsolete or superseded copy may keep its id; two live documents may not
        live = [d for d in documents if d.type is None or d.active]
        if len(live) < 2:
            continue
        first = live[0]
        for other in live[1:]:
            yield ctx.finding(
                "ID001",
                f"the document id {doc_id} is also used by {first.path}; every reference to "
                f"{doc_id} is now ambiguous, so give one of them a new id",
                other.location("id"),
                key=(doc_id, other.path),
                related=(first.location("id"),),
            )
    for document in ctx.documents:
        yield from _duplicate_items(ctx, document)


def _duplicate_items(ctx: Context, document: Document) -> Iterator[Finding]:
    seen: dict[tuple[str, str], Item] = {}
    # a checklist's `(a)` row continues the numbered row above it: `(a)` under 3 is 3(a)
    qualified = (
        {id(row.item): row.ref.clause for row in document_rows(document, ctx.clauses)}
        if document.type in ROW_TYPES
        else {}
    )
    for item in document.all_items():
        item_id = qualified.get(id(item), item.id)
        if item_id is None or (qualified and is_lettered(item_id)):
            continue  # a bare `(a)` row that continues no numbered row is no id of its own
        first = seen.setdefault((item.list_name, item_id), item)
        if first is item:
            continue
        yield ctx.finding(
            "ID001",
            f"{document.label()} has two {item.list_name} with the id {item_id} ("
            f"{_place(first, document)} and {_place(item, document)}); references to {item_id} "
            "cannot tell them apart",
            item.location,
            key=(item_id, str(item.list_name)),
            related=(first.location,),
        )


@rule("ID002", "ID003")
def unresolved_references(ctx: Context) -> Iterator[Finding]:
    known: list[list[str]] = []  # the known ids, read at the first dangling reference
    for document in ctx.documents:
        for ref in ctx.index.references(document):
            resolution = ctx.index.resolve(ref.value, document, ref.kind, ref.lists)
            if resolution.problem not in ("dangling", "anchor", "ambiguous"):
                continue
            location = Location(
                document.path, ref.line, 0, document.id, ref.item.id if ref.item else None
            )
            owner = f"{ref.item.id} in {document.label()}" if ref.item else document.label()
            if resolution.problem == "dangling":
                if not known:
                    known.append(_known_ids(ctx))
                close = _suggestion(ref.value.strip(), known[0])
                hint = f" (did you mean {close}?)" if close else ""
                yield ctx.finding(
                    "ID002",
                    f"`{ref.field}` of {owner} refers to {ref.value.strip()}, which is not in the "
                    f"technical file{hint}; a reviewer following this trace finds nothing",
                    location,
                    key=(ref.field, ref.value.strip()),
                )
            elif resolution.problem == "anchor":
                target = resolution.document.label() if resolution.document else "the document"
                yield ctx.finding(
                    "ID002",
                    f"`{ref.field}` of {owner} links to {ref.value.strip()}, but {target} has no "
                    "section or item with that anchor; a reviewer following this trace lands "
                    "nowhere in particular",
                    location,
                    key=(ref.field, ref.value.strip()),
                )
            else:
                places = ", ".join(resolution.candidates)
                yield ctx.finding(
                    "ID003",
                    f"`{ref.field}` of {owner} refers to {ref.value.strip()}, which exists in "
                    f"several documents ({places}); write it as DOCUMENT-ID:{ref.value.strip()}",
                    location,
                    key=(ref.field, ref.value.strip()),
                )


def _suggestion(value: str, known: list[str]) -> str | None:
    """A close id of the same kind: `SWR-14` may become `SWR-41`, never `TM-001`."""
    kind = _prefix(value)
    same_kind = [k for k in known if _prefix(k) == kind]
    close = difflib.get_close_matches(value, same_kind, n=1, cutoff=0.75)
    return close[0] if close else None


def _prefix(identifier: str) -> str:
    head = identifier.rsplit(":", 1)[-1]
    return "".join(ch for ch in head if ch.isalpha()).casefold()[:6]


def _place(item: Item, document: Document) -> str:
    where = "" if item.path == document.path else f"{item.path} "
    return f"{where}line {item.line}"


def _known_ids(ctx: Context) -> list[str]:
    ids = set(ctx.index.by_id)
    for document in ctx.index.documents:
        for item in document.all_items():
            if item.id is not None and document.id is not None:
                ids.add(item.id)
                ids.add(f"{document.id}:{item.id}")
    return sorted(ids)
