"""The SOUP lists and their items: the lists of the current software version, how an item
is named in a message, and which current items describe an SBOM component."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from techfile.model import sbom as sb
from techfile.model.document import Document, Item
from techfile.rules.base import Context
from techfile.rules.supply_chain.common import _filled, _text
from techfile.rules.supply_chain.matching import (
    Identity,
    PackageIndex,
    _component_key,
    _item_identity,
    _item_key,
)
from techfile.rules.supply_chain.sources import _same_version


def _soup_lists(ctx: Context, current_only: bool = False) -> list[Document]:
    lists = ctx.index.of_type("soup-list")
    return [d for d in lists if _same_version(d, ctx)] if current_only else lists


def _soup_items(documents: list[Document]) -> list[tuple[Document, Item]]:
    return [(d, item) for d in documents for item in d.items.get("items", [])]


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
