"""ID: every document and item can be told apart, and every reference reaches its target."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from techfile.model.document import Document, Item
from techfile.model.evidence import ROW_TYPES, document_rows, is_lettered
from techfile.model.finding import Finding, Location
from techfile.rules.base import Context, rule
from techfile.util.nearest import NearestIndex

SUGGESTION_CUTOFF = 0.75  # how alike a known id must be to be offered as "did you mean"


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
    close: list[CloseIds] = []  # the known ids, read at the first dangling reference
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
                if not close:
                    close.append(CloseIds(_known_ids(ctx)))
                suggestion = close[0].suggest(ref.value.strip())
                hint = f" (did you mean {suggestion}?)" if suggestion else ""
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


class CloseIds:
    """The "did you mean" of ID002: a close known id of the same kind, so `SWR-14` may
    become `SWR-41`, never `TM-001`.

    The known ids are grouped by kind once; each kind gets one NearestIndex, built at its
    first question, so a tree with many ids and many dangling references costs bounded work
    per reference instead of a comparison with every id. On ordinary trees the answer is
    difflib's closest match.
    """

    def __init__(self, known: Iterable[str]) -> None:
        self._by_kind: dict[str, list[str]] = {}
        for identifier in known:
            self._by_kind.setdefault(_prefix(identifier), []).append(identifier)
        self._indexes: dict[str, NearestIndex] = {}

    def suggest(self, value: str) -> str | None:
        kind = _prefix(value)
        index = self._indexes.get(kind)
        if index is None:
            index = self._indexes[kind] = NearestIndex(self._by_kind.get(kind, ()))
        return index.suggest(value, cutoff=SUGGESTION_CUTOFF)

    @property
    def comparisons(self) -> int:
        """Full comparisons made so far, for tests of bounded work."""
        return sum(index.comparisons for index in self._indexes.values())


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
