"""SC004 anomaly-review-stale: the last review of a SOUP item's published anomaly list is
older than the policy allows (12 months by default).

The review date is `anomaly_review.date`, else `last_verified` (OpenRegulatory's `Last verified
at`), in YYYY-MM-DD or DD.MM.YYYY. When the reviews of every item of a list are stale, the
periodic review was not done: one finding for the list, at its header row."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from techfile.model.document import Document, Item
from techfile.model.finding import Finding
from techfile.rules.base import Context, rule
from techfile.rules.supply_chain.common import _cell, _column, _ref
from techfile.rules.supply_chain.device import _safety_class
from techfile.rules.supply_chain.soup import (
    _by_list,
    _item_label,
    _list_location,
    _review,
    _soup_items,
    _soup_lists,
    _versioned,
)


def _max_age(ctx: Context) -> int:
    """A whole number of months, at least 1 (the configuration's checks hold it to its page)."""
    return int(ctx.options("SC004").get("max-age-months", 12))


def _months_before(day: datetime.date, months: int) -> datetime.date:
    total = day.year * 12 + (day.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    return datetime.date(year, month, 1)


def _dated(items: list[Item]) -> list[tuple[Item, datetime.date]]:
    """The items with a version and a readable review date (an item without a version is
    SC002's to report; one without a dated review too)."""
    found = []
    for item in items:
        date = _review(item).date if _versioned(item) else None
        if date is not None:
            found.append((item, date))
    return found


@rule("SC004")
def anomaly_review_stale(ctx: Context) -> Iterator[Finding]:
    safety_class = _safety_class(ctx)
    if safety_class == "A":
        return
    months = _max_age(ctx)
    cutoff = _months_before(ctx.as_of, months)
    for document, items in _by_list(_soup_items(_soup_lists(ctx))):
        dated = _dated(items)
        stale = [(item, date) for item, date in dated if date < cutoff]
        if len(stale) > 1 and len(stale) == len(dated):
            yield _whole_list(ctx, document, items, stale, months)
            continue
        for item, date in stale:
            yield _one_item(ctx, document, item, date, months)


def _review_field(item: Item) -> str:
    return "last_verified" if _review(item).from_field == "last_verified" else "anomaly_review.date"


def _why(clause: str) -> str:
    return (
        f"{clause} expects the published anomaly lists of SOUP items to be evaluated; anomalies "
        "and vulnerabilities are published all the time, and a notified body will ask whether "
        "the evaluation is still current."
    )


def _one_item(
    ctx: Context, document: Document, item: Item, date: datetime.date, months: int
) -> Finding:
    clause = _ref(ctx, "soup-anomaly-review")
    label = _item_label(item)
    return ctx.finding(
        "SC004",
        f"the anomaly review of SOUP item {label} in {document.label()} is dated "
        f"{date.isoformat()}, more than {months} months before {ctx.as_of.isoformat()}",
        item.location_of(_review(item).from_field),
        clause=clause,
        key=(label,),
        why=_why(clause),
        fix="Review the item's anomaly list again and record the new date (in "
        f"{_cell(item, _review_field(item))}) and result.",
    )


def _whole_list(
    ctx: Context,
    document: Document,
    items: list[Item],
    stale: list[tuple[Item, datetime.date]],
    months: int,
) -> Finding:
    clause = _ref(ctx, "soup-anomaly-review")
    dates = sorted(date for _, date in stale)
    fields = dict.fromkeys(_review_field(item) for item, _ in stale)
    return ctx.finding(
        "SC004",
        f"the anomaly reviews of all {len(stale)} SOUP items in {document.label()} are dated "
        f"more than {months} months before {ctx.as_of.isoformat()}",
        _list_location(document, items),
        clause=clause,
        key=(document.label(), "every-item"),
        why=_why(clause),
        fix="Review the anomaly list of every item again (the newest review is dated "
        f"{dates[-1].isoformat()}, the oldest {dates[0].isoformat()}) and record the new dates "
        f"(in {_column(stale[0][0], *fields, existing=True)}) and results.",
    )
