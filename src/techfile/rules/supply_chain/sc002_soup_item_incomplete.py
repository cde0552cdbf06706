"""SC002 soup-item-incomplete: a SOUP item has no name, version or manufacturer, or, for
software safety class B or C, no requirements or no dated anomaly review.

One defect, one finding: what is missing from every item of a list (no `Manufacturer` column,
a `Requirements` column never filled in) is reported once, at the list's header row; what is
missing from some items is reported at each of them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from techfile.model.document import Document, Item
from techfile.model.finding import Finding
from techfile.rules.base import Context, rule
from techfile.rules.supply_chain.common import EXAMPLES, _cell, _column, _filled, _ref, _text
from techfile.rules.supply_chain.device import _safety_class
from techfile.rules.supply_chain.names import published_names
from techfile.rules.supply_chain.soup import (
    _by_list,
    _item_label,
    _list_location,
    _review,
    _soup_items,
    _soup_lists,
    _versioned,
)

UNPINNED_VERSIONS = frozenset({"latest", "*", "any", "current", "newest", "head", "master", "main"})


def _class_note(ctx: Context, safety_class: str | None) -> str:
    """Why the class B and C requirements apply: the device's class, or IEC 62304 4.3(g)."""
    if safety_class is None:
        return (
            f" No software safety class is recorded, and {_ref(ctx, 'class-c-until-classified')}"
            " applies class C requirements until one is."
        )
    return f" The device software is of software safety class {safety_class}."


@dataclass(frozen=True)
class Check:
    """One thing every SOUP item of a list must have."""

    topic: str  # the reference topic in data/supply-chain.yaml
    missing: Callable[[Item], bool]
    applies: Callable[[Item], bool]  # the items it is asked of
    every_item: str  # "none of the N SOUP items in X {every_item}"
    fields: tuple[str, ...]  # where an item records it
    fix: str  # with `{column}`: where the list records it (`a "Version" column`)


def _no_version(item: Item) -> bool:
    return not _filled(item.get("version"))


def _no_manufacturer(item: Item) -> bool:
    return not _filled(item.get("manufacturer"))


def _no_requirements(item: Item) -> bool:
    return not _filled(item.get("requirements"))


def _no_review_date(item: Item) -> bool:
    return _review(item).missing


def _every(item: Item) -> bool:
    return True


WHY = {
    "soup-identification": "requires each SOUP item to be identified by title, manufacturer "
    "and a unique designation such as its version, and a notified body will ask which "
    "software exactly is in the device",
    "soup-requirements": "expects the functional and performance requirements the software "
    "relies on for each SOUP item of software safety class B and C, and a notified body will "
    "ask what the software needs each item for",
    "soup-anomaly-review": "expects the published anomaly list of each SOUP item of software "
    "safety class B and C to be evaluated, and a notified body will ask when that was done and "
    "what it found",
}
IDENTIFICATION = (
    Check(
        "soup-identification",
        _no_version,
        _every,
        "gives its version",
        ("version",),
        "Give, for every item, the version that ships (the one in the lock file or the SBOM) in "
        "{column}.",
    ),
    Check(
        "soup-identification",
        _no_manufacturer,
        _every,
        "names its manufacturer",
        ("manufacturer",),
        "Name, for every item, the vendor, foundation or maintainers that publish it, in {column}.",
    ),
)
CLASS_B_C = (
    Check(
        "soup-requirements",
        _no_requirements,
        _every,
        "has requirements",
        ("requirements",),
        "Record, for every item, what the software relies on it for and what it needs to run "
        "(or a reference to the requirements that depend on it) in {column}.",
    ),
    Check(
        "soup-anomaly-review",
        _no_review_date,
        _versioned,
        "has a dated anomaly review",
        ("anomaly_review.date", "last_verified"),
        "Record, for every item, the date of the review (in {column}), the source (issue "
        "tracker, release notes, advisories) and the result.",
    ),
)


@rule("SC002")
def soup_item_incomplete(ctx: Context) -> Iterator[Finding]:
    safety_class = _safety_class(ctx)
    checks = IDENTIFICATION + (CLASS_B_C if safety_class in (None, "B", "C") else ())
    note = _class_note(ctx, safety_class)
    for document, items in _by_list(_soup_items(_soup_lists(ctx))):
        whole = [c for c in checks if _missing_everywhere(c, items)]
        for check in whole:
            yield _list_finding(ctx, document, items, check, note)
        for item in items:
            yield from _item_findings(ctx, document, item, [c for c in checks if c not in whole])
            if safety_class in (None, "B", "C"):
                yield from _class_b_c_findings(ctx, document, item, whole, note)


def _missing_everywhere(check: Check, items: list[Item]) -> bool:
    """The gap is in every item the check asks (and there are several): one finding for the
    list, not one per row."""
    asked = [item for item in items if check.applies(item)]
    return len(asked) > 1 and all(check.missing(item) for item in asked)


def _list_finding(
    ctx: Context, document: Document, items: list[Item], check: Check, note: str
) -> Finding:
    clause = _ref(ctx, check.topic)
    asked = [item for item in items if check.applies(item)]
    scope = "" if check.topic == "soup-identification" else note
    return ctx.finding(
        "SC002",
        f"none of the {len(asked)} SOUP items in {document.label()} {check.every_item}",
        _list_location(document, items),
        clause=clause,
        key=(document.label(), check.every_item, "every-item"),
        why=f"{clause} {WHY[check.topic]}.{scope}{_left_out(document, items)}",
        fix=check.fix.format(column=_column(items[0], *check.fields)),
    )


def _left_out(document: Document, items: list[Item]) -> str:
    """` Its 10 other rows (itertools, time, sklearn, …) are not counted: ...`."""
    kept = {id(item) for item in items}
    others = [item for item in document.items.get("items", []) if id(item) not in kept]
    if not others:
        return ""
    names = [_text(item.get("name")) or "?" for item in others]
    shown = ", ".join(names[:EXAMPLES]) + (", …" if len(names) > EXAMPLES else "")
    return (
        f" Its {len(others)} other rows ({shown}) are not counted: they are no SOUP items of "
        "their own (development tools, runtime or test modules, import names of listed "
        "packages)."
    )


def _item_findings(
    ctx: Context, document: Document, item: Item, checks: list[Check]
) -> Iterator[Finding]:
    identification = _ref(ctx, "soup-identification")
    asked = {check.missing for check in checks if check.topic == "soup-identification"}
    gaps = _identification_gaps(item, asked)
    if not gaps:
        return
    label = _item_label(item)
    cells = _cell(item, *dict.fromkeys(field for _, field in gaps))
    yield ctx.finding(
        "SC002",
        f"SOUP item {label} in {document.label()} has {_join([gap for gap, _ in gaps])}",
        item.location,
        clause=identification,
        key=(label, "identification"),
        why=f"{identification} {WHY['soup-identification']}.",
        fix=f"Fill in {cells}{_not_soup_hint(item, gaps)}.",
    )


def _not_soup_hint(item: Item, gaps: list[tuple[str, str]]) -> str:
    """For an item without a version: what to do when the row is no SOUP item at all (rows
    generated from import statements list the project's own modules too)."""
    if ("no version", "version") not in gaps:
        return ""
    name = _text(item.get("name")) or "it"
    published = sorted(published_names(name))
    also = (
        f" (`{name}` is the name it is imported by; the package is published as "
        f"{' or '.join(published)})"
        if published
        else ""
    )
    return (
        f"{also}. If {name} is your own code, part of the language runtime or not delivered "
        "with the device, it is not SOUP: remove it from the list (a development or test tool "
        'may stay, marked `dev` or `test` in a "Scope" column)'
    )


def _class_b_c_findings(
    ctx: Context, document: Document, item: Item, whole: list[Check], note: str
) -> Iterator[Finding]:
    label = _item_label(item)
    if CLASS_B_C[0] not in whole and _no_requirements(item):
        requirements = _ref(ctx, "soup-requirements")
        yield ctx.finding(
            "SC002",
            f"SOUP item {label} in {document.label()} has no requirements",
            item.location_of("requirements"),
            clause=requirements,
            key=(label, "requirements"),
            why=f"{requirements} {WHY['soup-requirements']}.{note}",
            fix="Record them (or a reference to the requirements that depend on the item) in "
            f"{_cell(item, 'requirements')}.",
        )
    if CLASS_B_C[1] in whole or not _versioned(item) or not _no_review_date(item):
        return
    anomaly = _ref(ctx, "soup-anomaly-review")
    review = _review(item)
    date_format = ""
    if review.written is not None:
        what = f"a last-verified date `{review.written}` that is no date techfile can read"
        date_format = " (write YYYY-MM-DD or DD.MM.YYYY)"
    else:
        what = "an anomaly review without a date" if review.recorded else "no anomaly review"
    where = _cell(
        item, "last_verified" if review.from_field == "last_verified" else "anomaly_review.date"
    )
    yield ctx.finding(
        "SC002",
        f"SOUP item {label} in {document.label()} has {what}",
        item.location_of(review.from_field),
        clause=anomaly,
        key=(label, "anomaly-review"),
        why=f"{anomaly} {WHY['soup-anomaly-review']}.{note}",
        fix=f"Record the date in {where}{date_format}, the source (issue tracker, release "
        "notes, advisories) and the result.",
    )


def _identification_gaps(item: Item, asked: set[Callable[[Item], bool]]) -> list[tuple[str, str]]:
    """What the item lacks to be identified, each with the field that records it."""
    gaps = []
    if not _filled(item.get("name")):
        gaps.append(("no name", "name"))
    version = _text(item.get("version"))
    if not _filled(version):
        if _no_version in asked:
            gaps.append(("no version", "version"))
    elif version is not None and version.casefold() in UNPINNED_VERSIONS:
        gaps.append((f"the version `{version}`, which names no release", "version"))
    if _no_manufacturer in asked and _no_manufacturer(item):
        gaps.append(("no manufacturer", "manufacturer"))
    return gaps


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
