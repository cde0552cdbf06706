"""SDL007 security-requirement-not-verified: a security requirement has no test, or only failed
tests, showing that the product meets it.
"""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.finding import Finding
from techfile.rules.base import Context, rule
from techfile.rules.lifecycle.common import _item_name
from techfile.rules.lifecycle.coverage import _covering_tests, _failing_text, _verification


@rule("SDL007")
def security_requirement_not_verified(ctx: Context) -> Iterator[Finding]:
    covered = _covering_tests(ctx)
    clause = ctx.page_clause("SDL007")
    for document in ctx.index.of_type("security-requirements"):
        for item in document.items.get("requirements", []):
            verified, failing = _verification(ctx, document, item, covered)
            if verified:
                continue
            name = _item_name(item, "title", "text")
            if failing:
                message = (
                    f"security requirement {name} in {document.label()} is verified only by "
                    f"failed tests ({_failing_text(failing)}); a notified body will ask for a "
                    f"passed test ({clause}). Fix and retest, or record the passing retest in "
                    "`verified_by`"
                )
            else:
                message = (
                    f"security requirement {name} in {document.label()} has no test: no "
                    f"`verified_by` and no test lists it in `covers`; {clause} expects every "
                    "security requirement to be tested, and a notified body will ask for the "
                    f"test. Add it to `verified_by`, or list {item.id} in the `covers` of the "
                    "test that checks it"
                )
            yield ctx.finding(
                "SDL007",
                message,
                item.location,
                clause=clause,
                key=(item.id or "", "failed" if failing else "none"),
            )
