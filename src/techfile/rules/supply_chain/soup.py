"""The SOUP lists and their items: the lists of the current software version, how an item
is named in a message, and which current items describe an SBOM component."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from techfile.model import sbom as sb
from techfile.model.document import Document, Item
from techfile.model.finding import Location
from techfile.rules.base import Context
from techfile.rules.supply_chain.common import _as_date, _filled, _text
from techfile.rules.supply_chain.matching import (
    Identity,
    PackageIndex,
    _component_key,
    _item_identity,
    _item_key,
)
from techfile.rules.supply_chain.names import listed_names, not_soup
from techfile.rules.supply_chain.sources import _same_version


def _left_out(documents: list[Document]) -> list[Item]:
    """The rows of the lists that are no SOUP items of their own (`_soup_items` leaves them
    out): an SBOM component they name is not reported as missing from the SOUP list."""
    kept = {id(item) for _, item in _soup_items(documents)}
    return [item for d in documents for item in d.items.get("items", []) if id(item) not in kept]


def _current_left_out(ctx: Context) -> list[Identity]:
    return [_item_identity(item) for item in _left_out(_soup_lists(ctx, True))]


def _soup_lists(ctx: Context, current_only: bool = False) -> list[Document]:
    lists = ctx.index.of_type("soup-list")
    return [d for d in lists if _same_version(d, ctx)] if current_only else lists


def _soup_items(documents: list[Document]) -> list[tuple[Document, Item]]:
    """The SOUP items of the lists: every row except those that are no SOUP item of their own
    (`names.not_soup`: not delivered, a development tool, a runtime or test module without a
    version, the import name of a package the list gives under its published name)."""
    found: list[tuple[Document, Item]] = []
    for document in documents:
        rows = document.items.get("items", [])
        listed = listed_names(rows)
        found.extend((document, item) for item in rows if not not_soup(item, listed))
    return found


def _item_label(item: Item) -> str:
    name = _text(item.get("name"))
    own_id = _text(item.get("id"))
    if own_id and name and own_id != name:
        return f"{own_id} ({name})"
    return name or own_id or f"the SOUP item on line {item.line}"


def _item_named(item: Item) -> str:
    """`S-01 (numpy 2.1.3)`, or `numpy 2.1.3` when the item has no id of its own."""
    name = _text(item.get("name")) or "(unnamed)"
    version = _text(item.get("version"))
    named = f"{name} {version}" if version else name
    own_id = _text(item.get("id"))
    return f"{own_id} ({named})" if own_id and own_id != name else named


@dataclass(frozen=True)
class SoupEntry:
    document: Document
    item: Item
    identity: Identity


def _current_soup(ctx: Context) -> list[SoupEntry]:
    """The items of the SOUP lists of the current software version, with their identities."""
    return ctx.shared(
        "supply-chain-current-soup",
        lambda: [
            SoupEntry(document, item, _item_identity(item))
            for document, item in _soup_items(_soup_lists(ctx, True))
        ],
    )


def _current_soup_index(ctx: Context) -> PackageIndex:
    return ctx.shared(
        "supply-chain-soup-index",
        lambda: PackageIndex([_item_key(e.identity) for e in _current_soup(ctx)]),
    )


def _describing(ctx: Context, component: sb.Component) -> list[Item]:
    """The current SOUP items that match the component (`_matches`), in list order."""
    entries = _current_soup(ctx)
    return [entries[i].item for i in _current_soup_index(ctx).matches(_component_key(component))]


def _supported(component: sb.Component) -> bool:
    return bool(component.support_level) and bool(component.end_of_support)


def _first_filled(items: list[Item], field_name: str) -> Any:
    return next((it.get(field_name) for it in items if _filled(it.get(field_name))), None)


def _by_list(found: list[tuple[Document, Item]]) -> list[tuple[Document, list[Item]]]:
    """The SOUP items grouped by their list, in order."""
    grouped: dict[int, tuple[Document, list[Item]]] = {}
    for document, item in found:
        grouped.setdefault(id(document), (document, []))[1].append(item)
    return list(grouped.values())


def _list_location(document: Document, items: list[Item]) -> Location:
    """Where a finding about a whole SOUP list goes: the header row of its table, else the
    `items` key of its front-matter, else the first item (a data file)."""
    first = items[0]
    if first.source == "table" and first.table:
        return Location(first.path, first.table, 0, document.id)
    if first.path == document.path:
        return document.location("items")
    return Location(first.path, first.line, 0, document.id)


@dataclass(frozen=True)
class Review:
    """What a SOUP item records of its anomaly review."""

    written: Any  # the date as written, None when none is given
    date: datetime.date | None  # the date read, None when none can be read
    recorded: bool  # some part of a review (date, source, result) is recorded
    from_field: str  # where the date is written: anomaly_review or last_verified

    @property
    def missing(self) -> bool:
        """No date, or a `last_verified` text that is no date (an `anomaly_review.date` that
        is no date is FM004's, by the schema)."""
        if self.written is None:
            return True
        return self.from_field == "last_verified" and self.date is None


def _review(item: Item) -> Review:
    """The item's anomaly review. Its date is `anomaly_review.date`, else `last_verified`:
    OpenRegulatory's `Last verified at` is the date the SOUP's issue tracker was last checked
    (its software development plan: "SOUP issue trackers are checked at least once every 6
    months. The verification date is updated in the SOUP list accordingly")."""
    review = item.get("anomaly_review")
    date = review.get("date") if isinstance(review, dict) else None
    field_name = "anomaly_review"
    if not _filled(date) and _filled(item.get("last_verified")):
        date, field_name = item.get("last_verified"), "last_verified"
    recorded = _filled(date) or (isinstance(review, dict) and _filled(review))
    written = date if _filled(date) else None
    return Review(written, _as_date(written), recorded, field_name)


def _versioned(item: Item) -> bool:
    """The item names a version. The anomaly list a review reads is that of a version, so an
    item without one is reported for its identification only (SC002), not for its review."""
    return _filled(item.get("version"))
