"""SC001 soup-sbom-mismatch: the SOUP list and the machine-readable SBOM of the same release
disagree: a component delivered with the software is not identified as SOUP, a SOUP item is
missing from the SBOM, or the two give different versions."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from techfile.model import sbom as sb
from techfile.model.document import Document, Item
from techfile.model.finding import Finding, Location
from techfile.rules.base import Context, rule
from techfile.rules.supply_chain.common import _cell, _ref, _text
from techfile.rules.supply_chain.matching import PackageIndex, _component_key, _item_key
from techfile.rules.supply_chain.soup import (
    _current_left_out,
    _current_soup,
    _item_label,
    _item_named,
    _soup_lists,
)
from techfile.rules.supply_chain.sources import Source, sources


def _scope(ctx: Context) -> str:
    """`all` or `direct` (the configuration's checks hold the option to its page)."""
    return str(ctx.options("SC001").get("sbom-scope", "all"))


def _ignored(ctx: Context) -> list[str]:
    return [str(v).casefold() for v in ctx.options("SC001").get("ignore-components", [])]


def _is_ignored(component: sb.Component, patterns: list[str]) -> bool:
    texts = [t.casefold() for t in (component.purl, component.name, component.key()) if t]
    return any(fnmatch.fnmatchcase(t, p) for t in texts for p in patterns)


@rule("SC001")
def soup_sbom_mismatch(ctx: Context) -> Iterator[Finding]:
    scope, patterns = _scope(ctx), _ignored(ctx)
    boms = [s for s in sources(ctx).of("sbom") if s.file.readable and s.current(ctx)]
    if not boms:
        return
    clause = _ref(ctx, "soup-identification")
    every: list[tuple[Source, sb.Component]] = [
        (s, c) for s in boms for c in s.file.shipped_components() if not _is_ignored(c, patterns)
    ]
    lists = _soup_lists(ctx, current_only=True)
    if not lists:
        source = boms[0]
        count = len(sb.unique(c for _, c in every))
        if count == 0:
            return
        what = (
            f"the SBOM {source.name()} lists"
            if len(boms) == 1
            else f"the {len(boms)} SBOMs ({source.name()}, …) list"
        )
        yield ctx.finding(
            "SC001",
            f"{what} {count} component(s), but the technical file has no SOUP list",
            source.location,
            clause=clause,
            key=("no-soup-list",),
            related=source.related(),
            why=f"{clause} requires each SOUP item to be identified, and a notified body will ask "
            "where each of these components is identified and evaluated as SOUP.",
            fix="Add a SOUP list (`type: soup-list`) that names them.",
        )
        return
    identities = [(e.identity, e.document, e.item) for e in _current_soup(ctx)]
    index = PackageIndex([_component_key(c) for _, c in every])
    matched: set[int] = set()
    unmatched_items = []
    for identity, document, item in identities:
        hits = index.matches(_item_key(identity))
        matched.update(hits)
        if not hits:
            unmatched_items.append((identity, document, item))
    for identity in _current_left_out(ctx):  # a tool the SOUP list names is not missing from it
        matched.update(index.matches(_item_key(identity)))
    for identity, document, item in unmatched_items:
        others = [
            (i, every[i][0], every[i][1])
            for i in index.same_package(_item_key(identity))
            if i not in matched
        ]
        matched.update(i for i, _, _ in others)
        yield _item_finding(ctx, clause, boms, document, item, [(s, c) for _, s, c in others])
    direct = _direct(boms) if scope == "direct" else None
    missing = [
        (s, c)
        for i, (s, c) in enumerate(every)
        if i not in matched and (direct is None or _in(direct, s, c))
    ]
    reported: set[str] = set()
    target = lists[0]
    for source, component in missing:
        kept = sb.unique([component])[0]
        identity_key = kept.key().casefold()
        if identity_key in reported:
            continue
        reported.add(identity_key)
        yield _component_finding(ctx, clause, scope, source, component, target)


def _direct(boms: list[Source]) -> dict[int, frozenset[str] | None]:
    return {id(s): s.file.direct_refs for s in boms}


def _in(direct: dict[int, frozenset[str] | None], source: Source, component: sb.Component) -> bool:
    refs = direct.get(id(source))
    return refs is None or (component.ref is not None and component.ref in refs)


def _list_location(document: Document, item_id: str | None) -> Location:
    """The start of a SOUP list's items: its table header or its `items` key."""
    entries = document.items.get("items", [])
    if entries and entries[0].source == "table":
        return Location(document.path, max(entries[0].line - 2, 1), 0, document.id, item_id)
    if "items" in document.meta:
        return Location(document.path, document.line_of("items"), 0, document.id, item_id)
    return Location(document.path, document.body_line or 1, 0, document.id, item_id)


def _item_finding(
    ctx: Context,
    clause: str,
    boms: list[Source],
    document: Document,
    item: Item,
    others: list[tuple[Source, sb.Component]],
) -> Finding:
    label = _item_label(item)
    where = f"the SBOM {boms[0].name()}" if len(boms) == 1 else "any of the SBOMs"
    if others:
        mine = _text(item.get("version")) or "(none)"
        versions = sorted({c.version or "(no version)" for _, c in others})
        source = others[0][0]
        return ctx.finding(
            "SC001",
            f"SOUP item {label} in {document.label()} is version {mine}, "
            f"but the SBOM {source.name()} lists {others[0][1].name or label} "
            f"{', '.join(versions)}",
            item.location,
            clause=clause,
            key=(label, "version"),
            related=source.related(others[0][1].line),
            why=f"{clause} requires each SOUP item to be identified by a unique designation such "
            "as its version; one of the two describes another build, and a notified body will "
            "ask which version is in the device.",
            fix=f"Update {_cell(item, 'version')} in the SOUP list (and repeat the item's anomaly "
            "review for the new version), or regenerate the SBOM from the release build.",
        )
    return ctx.finding(
        "SC001",
        f"SOUP item {_item_named(item)} in {document.label()} is not in {where}",
        item.location,
        clause=clause,
        key=(label, "not-in-sbom"),
        why=f"{clause} requires the software's SOUP items to be identified, so the SOUP list and "
        "the SBOM must describe the same software; a notified body will ask which of the two "
        "is wrong.",
        fix="Regenerate the SBOM from the release build, or remove the item from the SOUP list "
        "if the software no longer uses it.",
    )


def _component_finding(
    ctx: Context,
    clause: str,
    scope: str,
    source: Source,
    component: sb.Component,
    target: Document,
) -> Finding:
    refs = source.file.direct_refs
    transitive = scope == "all" and refs is not None and component.ref not in refs
    purl = f" ({component.purl})" if component.purl else ""
    hint = (
        " It is a transitive dependency: if your SOUP procedure lists direct dependencies only "
        'and leaves the rest to the SBOM, say so and set sbom-scope = "direct" for SC001.'
        if transitive
        else ""
    )
    return ctx.finding(
        "SC001",
        f"the SBOM {source.name()} lists {component.label()}{purl}, which is not in the SOUP list "
        f"{target.label()}",
        _list_location(target, component.key()),
        clause=clause,
        key=(component.key(), "not-in-soup-list"),
        related=source.related(component.line),
        why=f"{clause} requires each SOUP item to be identified; a notified body will ask why a "
        "component delivered with the software is not identified and evaluated as SOUP.",
        fix="Add it to the SOUP list, or, if it is your own code or is not delivered, leave it "
        f"out with the SC001 option ignore-components.{hint}",
    )
