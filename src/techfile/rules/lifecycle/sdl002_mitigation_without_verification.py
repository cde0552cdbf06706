"""SDL002 mitigation-without-verification: a threat-model mitigation that the product implements
has no test, or only failed tests, showing that it works.
"""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.finding import Finding
from techfile.rules.base import Context, rule
from techfile.rules.lifecycle.common import RELIANCE, _item_name
from techfile.rules.lifecycle.coverage import _covering_tests, _failing_text, _verification


@rule("SDL002")
def mitigation_without_verification(ctx: Context) -> Iterator[Finding]:
    covered = _covering_tests(ctx)
    clause = ctx.page_clause("SDL002")
    for document in ctx.index.of_type("threat-model"):
        for item in document.items.get("mitigations", []):
            by = item.get("implemented_by")
            if isinstance(by, str) and by.strip().casefold() in RELIANCE:
                continue  # provided outside the product: SDL008 asks for it to be declared
            verified, failing = _verification(ctx, document, item, covered)
            if verified:
                continue
            name = _item_name(item, "description", "title")
            if failing:
                message = (
                    f"mitigation {name} in {document.label()} is verified only by failed tests "
                    f"({_failing_text(failing)}); a notified body will ask for a passed test "
                    f"that shows the mitigation works ({clause}). Fix and retest, or record "
                    "the passing retest in `verified_by`"
                )
            else:
                message = (
                    f"mitigation {name} in {document.label()} has no test: no `verified_by` and "
                    f"no test lists it in `covers`; {clause} expects each threat mitigation to be "
                    "tested, and a notified body will ask for that test. Add the test to "
                    f"`verified_by`, or list {item.id} in the `covers` of the test that checks it"
                )
            yield ctx.finding(
                "SDL002",
                message,
                item.location,
                clause=clause,
                key=(item.id or "", "failed" if failing else "none"),
            )
