"""SDL006 open-security-findings: a finding of a security test is still open, and no decision
about it is recorded.
"""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.finding import Finding
from techfile.rules.base import Context, rule
from techfile.rules.lifecycle.common import (
    _device_test_reports,
    _item_name,
    _text,
    written_as,
)


@rule("SDL006")
def open_security_findings(ctx: Context) -> Iterator[Finding]:
    clause = ctx.page_clause("SDL006")
    both = ctx.page_clauses("SDL006")
    for document in _device_test_reports(ctx):
        for item in document.items.get("findings", []):
            status = item.get("status")
            if not (isinstance(status, str) and status.strip().casefold() == "open"):
                continue
            if _text(item.get("disposition")):
                continue
            severity = _text(item.get("severity"))
            rated = f", severity {severity}" if severity else ""
            yield ctx.finding(
                "SDL006",
                f"security finding {_item_name(item, 'title', 'description')} of "
                f"{document.label()} is open{rated}, with no disposition",
                item.location_of("status"),
                clause=clause,
                key=(item.id or "",),
                why=f"{both} ask for security findings to be resolved before release, or the "
                "decision to release with them to be documented; a notified body will ask how "
                "this one was resolved or why it was accepted.",
                fix="Fix and close it, or record the decision and its rationale in "
                f"{written_as(item, 'disposition')}.",
            )
