"""RM001: a threat or security risk with a safety impact reaches no ISO 14971 risk row."""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.document import Document, Item
from techfile.model.finding import Finding
from techfile.model.risk_trace import reached_entries, security_entries
from techfile.rules.base import Context, rule
from techfile.rules.columns import in_table, its_column


def _article(word: str | None) -> str:
    return f"an {word}" if word and word[0] in "aeiou" else f"a {word}"


def _refs(ctx: Context, document: Document, item: Item) -> str:
    if in_table(item):
        return its_column(ctx, document, item, "risk_refs", whose=f"{item.id}'s")
    return f"the `risk_refs` of {item.id}"


@rule("RM001")
def threat_absent_from_risk_file(ctx: Context) -> Iterator[Finding]:
    entries = security_entries(ctx)
    reached = reached_entries(ctx, entries)
    for entry in entries:
        if entry.safety_impact in (None, "none", "invalid") or id(entry.item) in reached:
            continue
        if entry.kind == "entry" and any(id(t) in reached for t in entry.threats):
            continue
        if entry.kind == "entry" and entry.threats:
            continue  # reported once, at the threat it assesses
        item = entry.item
        title = item.get("title")
        named = f"{item.id} ({title})" if isinstance(title, str) and title else f"{item.id}"
        what = "threat" if entry.kind == "threat" else "security risk"
        yield ctx.finding(
            "RM001",
            f"{what} {item.id} in {entry.document.label()} has {_article(entry.safety_impact)} "
            "safety impact but reaches no ISO 14971 risk-analysis row",
            item.location,
            key=(item.id or "",),
            why=f"{ctx.page_clauses('RM001', 0)} "
            "expects security risks that can lead to harm in the "
            "safety risk file, analysed there like any other hazard "
            f"({ctx.page_clauses('RM001', 1)}); "
            f"a notified body that finds this {what} only in {entry.document.label()} will ask "
            "how its risk was evaluated and controlled.",
            fix=f"Add a risk row for {named} and name that row in "
            f"{_refs(ctx, entry.document, item)}, or list {item.id} in the threat refs of an "
            "existing risk row.",
        )
