"""SDL003 tester-objectivity-undocumented: a security test report does not say how independent
the testers were from the developers, or a penetration test was done by testers with no
independence.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from techfile.data.severity import Severity
from techfile.model.document import Document
from techfile.model.finding import Finding
from techfile.model.lifecycle import has_phrase as _has_phrase
from techfile.model.lifecycle import lifecycle_data
from techfile.model.lifecycle import stated_test_type as _test_type_words
from techfile.rules.base import Context, rule
from techfile.rules.lifecycle.common import _device_test_reports, _text


def _is_penetration_test(document: Document) -> bool:
    activity = lifecycle_data().activity("penetration-testing")
    words = activity.test_types if activity else ()
    text = _test_type_words(document) or " ".join(
        t for t in (_text(document.meta.get("title")), document.h1) if t
    )
    return _has_phrase(text, words)


def _independence_documented(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())  # the wrong shape is FM004's; something is documented
    if isinstance(value, dict):
        return bool(_text(value.get("level")) or _text(value.get("means")))
    return False


@rule("SDL003")
def tester_objectivity_undocumented(ctx: Context) -> Iterator[Finding]:
    clause = ctx.page_clause("SDL003")
    for document in _device_test_reports(ctx):
        independence = document.meta.get("independence")
        if not _independence_documented(independence):
            where = (
                document.location("independence")
                if "independence" in document.meta
                else document.location()
            )
            yield ctx.finding(
                "SDL003",
                f"security test report {document.label()} does not document how independent "
                f"the testers were from the developers; {clause} requires the testers' "
                "objectivity to be documented, and a notified body will ask who tested. Add "
                "`independence: {level, means}` (level none, independent-person, "
                "independent-department or independent-organisation; means: how it was achieved)",
                where,
                clause=clause,
                key=("missing",),
            )
            continue
        level = independence.get("level") if isinstance(independence, dict) else None
        if isinstance(level, str) and level.strip().casefold() == "none":
            if not _is_penetration_test(document):
                continue
            yield ctx.finding(
                "SDL003",
                f"the penetration test {document.label()} was performed by testers with "
                "independence level `none`; independent penetration testers are a "
                "recommendation (the informative annex of EN IEC 81001-5-1; the FDA premarket "
                "cybersecurity guidance, section V.C), not a requirement, but a notified body "
                "will ask how the testers stayed objective. Explain it in `independence.means`, "
                "or have the test repeated by an independent team",
                document.location("independence", "level"),
                clause=clause,
                key=("level-none",),
                severity=Severity.WARNING,
            )
