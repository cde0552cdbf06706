"""SDL002 mitigation-without-verification: a threat-model mitigation that the product implements
has no test, or only failed tests, showing that it works.
"""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.finding import Finding
from techfile.rules.base import Context, rule
from techfile.rules.lifecycle.common import RELIANCE, _item_name
from techfile.rules.lifecycle.coverage import _covering_tests, _verification, unverified_text


@rule("SDL002")
def mitigation_without_verification(ctx: Context) -> Iterator[Finding]:
    covered = _covering_tests(ctx)
    clause = ctx.page_clause("SDL002")
    for document in ctx.index.of_type("threat-model"):
        for item in document.items.get("mitigations", []):
            by = item.get("implemented_by")
            if isinstance(by, str) and by.strip().casefold() in RELIANCE:
                continue  # provided outside the product: SDL008 asks for it to be declared
            verification = _verification(ctx, document, item, covered)
            if verification.verified:
                continue
            name = _item_name(item, "description", "title")
            message, fix, kind = unverified_text(
                ctx, f"mitigation {name} in {document.label()}", item, verification
            )
            yield ctx.finding(
                "SDL002",
                message,
                item.location,
                clause=clause,
                key=(item.id or "", kind),
                why=f"{clause} expects each threat mitigation to be tested; a notified body will "
                "ask for a passed test that shows the mitigation works.",
                fix=fix,
            )
