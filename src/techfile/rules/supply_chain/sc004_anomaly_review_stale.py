"""SC004 anomaly-review-stale: the last review of a SOUP item's published anomaly list is
older than the policy allows (12 months by default)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from techfile.model.config import ConfigError
from techfile.model.finding import Finding
from techfile.rules.base import Context, rule
from techfile.rules.supply_chain.common import _as_date, _ref
from techfile.rules.supply_chain.device import _safety_class
from techfile.rules.supply_chain.soup import _item_label, _soup_items, _soup_lists


def _max_age(ctx: Context) -> int:
    value = ctx.options("SC004").get("max-age-months", 12)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ConfigError(f"[rules.SC004] max-age-months = {value!r}: use a whole number >= 1")
    return value


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


@rule("SC004")
def anomaly_review_stale(ctx: Context) -> Iterator[Finding]:
    safety_class = _safety_class(ctx)
    if safety_class == "A":
        return
    months = _max_age(ctx)
    cutoff = _months_before(ctx.as_of, months)
    clause = _ref(ctx, "soup-anomaly-review")
    for document, item in _soup_items(_soup_lists(ctx)):
        review = item.get("anomaly_review")
        date = _as_date(review.get("date")) if isinstance(review, dict) else None
        if date is None or date >= cutoff:
            continue
        label = _item_label(item)
        yield ctx.finding(
            "SC004",
            f"the anomaly review of SOUP item {label} in {document.label()} is dated "
            f"{date.isoformat()}, more than {months} months before {ctx.as_of.isoformat()}; "
            "anomalies and vulnerabilities are published all the time, and a notified body will "
            f"ask whether the list is still current ({clause}). Review the item's anomaly list "
            "again and record the new date and result",
            item.location_of("anomaly_review"),
            clause=clause,
            key=(label,),
        )
