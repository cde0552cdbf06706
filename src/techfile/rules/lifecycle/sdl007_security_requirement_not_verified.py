"""SDL007 security-requirement-not-verified: a security requirement has no test, or only failed
tests, showing that the product meets it.
"""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.finding import Finding
from techfile.rules.base import Context, rule
from techfile.rules.lifecycle.common import _item_name
from techfile.rules.lifecycle.coverage import _covering_tests, _verification, unverified_text


@rule("SDL007")
def security_requirement_not_verified(ctx: Context) -> Iterator[Finding]:
    covered = _covering_tests(ctx)
    clause = ctx.page_clause("SDL007")
    for document in ctx.index.of_type("security-requirements"):
        for item in document.items.get("requirements", []):
            verification = _verification(ctx, document, item, covered)
            if verification.verified:
                continue
            name = _item_name(item, "title", "text")
            message, fix, kind = unverified_text(
                ctx, f"security requirement {name} in {document.label()}", item, verification
            )
            yield ctx.finding(
                "SDL007",
                message,
                item.location,
                clause=clause,
                key=(item.id or "", kind),
                why=f"{clause} expects every security requirement to be tested; a notified body "
                "will ask for a passed test that shows the product meets it.",
                fix=fix,
            )
