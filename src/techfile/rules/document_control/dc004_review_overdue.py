"""DC004 review-overdue: a released document's `next_review` date has passed."""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.evidence_classes import kind_name
from techfile.model.finding import Finding
from techfile.model.register import effective_status, is_withdrawn, parse_date
from techfile.rules.base import Context, rule

UNRELEASED = ("draft", "in-review")


@rule("DC004")
def review_overdue(ctx: Context) -> Iterator[Finding]:
    clause = str(ctx.page_clause("DC004", default="techfile's policy"))
    released = bool(ctx.index.of_type("release-record"))
    for document in ctx.documents:
        if released and document.type == "threat-model":
            continue  # SDL004 owns the yearly review of a released product's threat model
        if effective_status(ctx, document) in UNRELEASED or is_withdrawn(ctx, document):
            continue
        due = parse_date(document.meta.get("next_review"))
        if due is None or due >= ctx.as_of:
            continue
        days = (ctx.as_of - due).days
        yield ctx.finding(
            "DC004",
            f"{document.label()} ({kind_name(document)}) was due for review on {due.isoformat()} "
            f"(`next_review`), {days} day{'s' if days != 1 else ''} before "
            f"{ctx.as_of.isoformat()}",
            document.location("next_review"),
            clause=clause,
            key=(document.id or document.path, due.isoformat()),
            why=f"{clause} expects documents to be reviewed and, where needed, updated and "
            "approved again, and an auditor will ask for the record of that review.",
            fix="Review it and record the result: a new approved version, or a new approval with "
            "the next review date.",
        )
