"""SC002 soup-item-incomplete: a SOUP item has no name, version or manufacturer, or, for
software safety class B or C, no requirements or no dated anomaly review."""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.document import Item
from techfile.model.finding import Finding
from techfile.rules.base import Context, rule
from techfile.rules.supply_chain.common import _filled, _ref, _text
from techfile.rules.supply_chain.device import _safety_class
from techfile.rules.supply_chain.soup import _item_label, _soup_items, _soup_lists

UNPINNED_VERSIONS = frozenset({"latest", "*", "any", "current", "newest", "head", "master", "main"})


def _class_note(ctx: Context, safety_class: str | None) -> str:
    if safety_class is None:
        return (
            f" (no software safety class is recorded, and {_ref(ctx, 'class-c-until-classified')}"
            " applies class C requirements until one is)"
        )
    return f" (software safety class {safety_class})"


@rule("SC002")
def soup_item_incomplete(ctx: Context) -> Iterator[Finding]:
    safety_class = _safety_class(ctx)
    strict = safety_class in (None, "B", "C")
    identification = _ref(ctx, "soup-identification")
    requirements = _ref(ctx, "soup-requirements")
    anomaly = _ref(ctx, "soup-anomaly-review")
    note = _class_note(ctx, safety_class)
    for document, item in _soup_items(_soup_lists(ctx)):
        label = _item_label(item)
        gaps = _identification_gaps(item)
        if gaps:
            yield ctx.finding(
                "SC002",
                f"SOUP item {label} in {document.label()} has {_join(gaps)}; {identification} "
                "requires each SOUP item to be identified by title, manufacturer and a unique "
                "designation such as its version, and a notified body will ask which software "
                "exactly is in the device. Fill in what is missing",
                item.location,
                clause=identification,
                key=(label, "identification"),
            )
        if not strict:
            continue
        if not _filled(item.get("requirements")):
            yield ctx.finding(
                "SC002",
                f"SOUP item {label} in {document.label()} has no requirements{note}; "
                f"{requirements} expects the functional and performance requirements the "
                "software relies on for each SOUP item. Record them (or a reference to the "
                "requirements that depend on the item) in the `requirements` column",
                item.location_of("requirements"),
                clause=requirements,
                key=(label, "requirements"),
            )
        review = item.get("anomaly_review")
        date = review.get("date") if isinstance(review, dict) else None
        if not _filled(date):
            what = (
                "an anomaly review without a date"
                if isinstance(review, dict) and _filled(review)
                else "no anomaly review"
            )
            yield ctx.finding(
                "SC002",
                f"SOUP item {label} in {document.label()} has {what}{note}; "
                f"{anomaly} expects the published anomaly list of each SOUP item to be evaluated, "
                "and a notified body will ask when that was done and what it found. Record the "
                "date, the source (issue tracker, release notes, advisories) and the result",
                item.location_of("anomaly_review"),
                clause=anomaly,
                key=(label, "anomaly-review"),
            )


def _identification_gaps(item: Item) -> list[str]:
    gaps = []
    if not _filled(item.get("name")):
        gaps.append("no name")
    version = _text(item.get("version"))
    if not _filled(version):
        gaps.append("no version")
    elif version is not None and version.casefold() in UNPINNED_VERSIONS:
        gaps.append(f"the version `{version}`, which names no release")
    if not _filled(item.get("manufacturer")):
        gaps.append("no manufacturer")
    return gaps


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
