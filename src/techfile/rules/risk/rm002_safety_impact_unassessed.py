"""RM002: a threat or security risk says nothing of its safety impact, or rates it `none`
without saying why."""

from __future__ import annotations

from collections.abc import Iterator

from techfile.data.severity import Severity
from techfile.model.document import Document, Item
from techfile.model.finding import Finding
from techfile.model.risk_trace import security_entries
from techfile.rules.base import Context, rule
from techfile.rules.risk.common import in_table, its_column


@rule("RM002")
def safety_impact_unassessed(ctx: Context) -> Iterator[Finding]:
    for entry in security_entries(ctx):
        item = entry.item
        what = "threat" if entry.kind == "threat" else "security risk"
        tabled = in_table(item)
        if entry.safety_impact is None:
            stated = "states no safety impact" if tabled else "has no `safety_impact`"
            fix = (
                "Write none, non-serious, serious or unknown in "
                f"{its_column(entry.document, item, 'safety_impact')}"
                if tabled
                else "Set none, non-serious, serious or unknown"
            )
            yield ctx.finding(
                "RM002",
                f"{what} {item.id} in {entry.document.label()} {stated}; without it "
                "nobody can show whether it belongs in the ISO 14971 risk file "
                f"({ctx.page_clause('RM002', default='the standard')}). {fix}",
                item.location,
                key=(item.id or "", "missing"),
            )
        elif entry.safety_impact == "none" and not entry.rationale:
            yield ctx.finding(
                "RM002",
                f"{what} {item.id} in {entry.document.label()} is marked safety impact `none` "
                f"without {_rationale(entry.document, item)}; a notified body will ask why this "
                "threat cannot lead to harm",
                item.location,
                key=(item.id or "", "rationale"),
                severity=Severity.WARNING,
            )


def _rationale(document: Document, item: Item) -> str:
    if in_table(item):
        return f"a rationale in {its_column(document, item, 'safety_impact_rationale')}"
    return "a `safety_impact_rationale`"
