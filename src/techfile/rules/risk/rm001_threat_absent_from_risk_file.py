"""RM001: a threat or security risk with a safety impact reaches no ISO 14971 risk row."""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.document import Document, Item
from techfile.model.finding import Finding
from techfile.model.risk_trace import reached_entries, security_entries
from techfile.rules.base import Context, rule
from techfile.rules.risk.common import in_table, its_column


def _article(word: str | None) -> str:
    return f"an {word}" if word and word[0] in "aeiou" else f"a {word}"


def _refs(document: Document, item: Item) -> str:
    return its_column(document, item, "risk_refs") if in_table(item) else "its `risk_refs`"


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
            f"{what} {named} in {entry.document.label()} has {_article(entry.safety_impact)} "
            "safety impact but reaches no ISO 14971 risk-analysis row; "
            f"{ctx.page_clause('RM001', default='the standard')} expects security risks that "
            "can lead to harm in the safety risk file. Add the risk row to "
            f"{_refs(entry.document, item)}, or list {item.id} in a risk row's threat refs",
            item.location,
            key=(item.id or "",),
        )
