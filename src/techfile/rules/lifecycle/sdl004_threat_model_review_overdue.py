"""SDL004 threat-model-review-overdue: the product has been released, and its threat model has
not been approved or reviewed for more than 12 months (the yearly review of the threat model).
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterator

from techfile.model.finding import Finding
from techfile.model.register import parse_date
from techfile.rules.base import Context, rule


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _max_age_months(ctx: Context) -> int:
    value = ctx.options("SDL004").get("max-age-months", 12)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 12


@rule("SDL004")
def threat_model_review_overdue(ctx: Context) -> Iterator[Finding]:
    if not ctx.index.of_type("release-record"):
        return  # the yearly review applies to released products
    months = _max_age_months(ctx)
    clause = ctx.page_clause("SDL004")
    for document in ctx.index.of_type("threat-model"):
        dated: list[tuple[datetime.date, tuple[str | int, ...]]] = []
        for key in ("approvals", "reviews"):
            entries = document.meta.get(key)
            if not isinstance(entries, list):
                continue
            for index, entry in enumerate(entries):
                day = parse_date(entry.get("date")) if isinstance(entry, dict) else None
                if day is not None:
                    dated.append((day, (key, index, "date")))
        if not dated:
            continue  # never approved: the document-control rules report that
        latest, path = max(dated, key=lambda d: d[0])
        if _add_months(latest, months) >= ctx.as_of:
            continue
        yield ctx.finding(
            "SDL004",
            f"threat model {document.label()} was last approved or reviewed on "
            f"{latest.isoformat()}, more than {months} months before {ctx.as_of.isoformat()}",
            document.location(*path),
            clause=clause,
            key=(document.id or document.path,),
            why=f"{clause} requires the threat model of a released product to be reviewed at "
            "least once a year, and a notified body will ask for that review.",
            fix="Review it and record the review: a new approved version, or an entry "
            "`{by, date, result}` in `reviews`.",
        )
