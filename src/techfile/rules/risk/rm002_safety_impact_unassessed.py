"""RM002: a threat or security risk says nothing of its safety impact, or rates it `none`
without saying why."""

from __future__ import annotations

from collections.abc import Iterator

from techfile.data.severity import Severity
from techfile.model.finding import Finding
from techfile.model.risk_trace import security_entries
from techfile.rules.base import Context, rule
from techfile.rules.columns import field_words, in_table, its_column

IMPACTS = "none, non-serious, serious or unknown"


@rule("RM002")
def safety_impact_unassessed(ctx: Context) -> Iterator[Finding]:
    for entry in security_entries(ctx):
        item, document = entry.item, entry.document
        what = "threat" if entry.kind == "threat" else "security risk"
        if entry.safety_impact is None:
            tabled = in_table(item)
            stated = "states no safety impact" if tabled else "has no `safety_impact`"
            fix = (
                f"Write {IMPACTS} in {its_column(ctx, document, item, 'safety_impact')}."
                if tabled
                else f"Set `safety_impact` to {IMPACTS}."
            )
            yield ctx.finding(
                "RM002",
                f"{what} {item.id} in {document.label()} {stated}",
                item.location,
                key=(item.id or "", "missing"),
                why=f"{ctx.page_clauses('RM002', 0)} "
                "expects the security risks that can lead to harm "
                "in the ISO 14971 risk file; without the safety impact nobody can show whether "
                f"this {what} belongs there, and a notified body will ask.",
                fix=fix,
            )
        elif entry.safety_impact == "none" and not entry.rationale:
            rationale = field_words(ctx, document, item, "safety_impact_rationale")
            yield ctx.finding(
                "RM002",
                f"{what} {item.id} in {document.label()} is marked safety impact `none` without "
                "a rationale",
                item.location,
                key=(item.id or "", "rationale"),
                severity=Severity.WARNING,
                why=f"{ctx.page_clauses('RM002', 0)} "
                "leaves out of the ISO 14971 risk file only the "
                "security risks that cannot lead to harm; a notified body will ask why this "
                f"{what} cannot.",
                fix=f"Give the reason why it cannot lead to harm in {rationale}.",
            )
