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

# independence levels from least to most independent (the schema's enum, in order)
LEVELS = ("none", "independent-person", "independent-department", "independent-organisation")
DEFAULT_MINIMUM = "independent-department"
BY_LEVEL = {  # "penetration testing by ...", for the least level that passes
    "none": "anyone",
    "independent-person": "a person who did not develop what is tested",
    "independent-department": "an independent department or an independent organisation",
    "independent-organisation": "an independent organisation",
}


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
                "the testers were from the developers",
                where,
                clause=clause,
                key=("missing",),
                why=f"{clause} requires the testers' objectivity to be documented, and a notified "
                "body will ask who tested.",
                fix="Add `independence: {level, means}` (level none, independent-person, "
                "independent-department or independent-organisation; means: how it was "
                "achieved).",
            )
            continue
        level = independence.get("level") if isinstance(independence, dict) else None
        finding = _low_independence(ctx, document, level)
        if finding is not None:
            yield finding


def _minimum_level(ctx: Context) -> str:
    value = ctx.options("SDL003").get("penetration-test-independence", DEFAULT_MINIMUM)
    return value if isinstance(value, str) and value in LEVELS else DEFAULT_MINIMUM


def _low_independence(ctx: Context, document: Document, level: Any) -> Finding | None:
    """A penetration test by testers less independent than Table A.1 of the standard's
    informative Annex A recommends (an independent department, by default)."""
    if not isinstance(level, str) or level.strip().casefold() not in LEVELS:
        return None  # a value outside the levels is FM004's
    written = level.strip().casefold()
    minimum = _minimum_level(ctx)
    if LEVELS.index(written) >= LEVELS.index(minimum) or not _is_penetration_test(document):
        return None
    clause = ctx.page_clause("SDL003") or ""
    standard = clause.rsplit(" ", 1)[0]
    wanted = BY_LEVEL[minimum]
    return ctx.finding(
        "SDL003",
        f"the penetration test {document.label()} was performed by testers with independence "
        f"level `{written}`",
        document.location("independence", "level"),
        clause=clause,
        key=(f"level-{written}",),
        severity=Severity.WARNING,
        why=f"Table A.1 in the informative Annex A of {standard} recommends penetration testing "
        f"by {wanted}. It is a recommendation, not a requirement of {clause}, but a notified "
        "body will ask how the testers stayed objective.",
        fix=f"Explain it in `independence.means`, or have the test repeated by {wanted}.",
    )
