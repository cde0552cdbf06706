"""SDL002 / SDL007: verification of mitigations and security requirements: the tests that cover
each item, read once and shared by both rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from techfile.model.document import Document, Item, item_kind
from techfile.model.lifecycle import lifecycle_data
from techfile.model.lifecycle import normalise as _normalise
from techfile.model.lifecycle import texts as _texts
from techfile.rules.base import Context
from techfile.rules.lifecycle.common import written_as

TEST_TYPES = ("test-report", "security-test-report")


def _covering_tests(ctx: Context) -> dict[int, list[Item]]:
    """id(item) -> the test items whose `covers` names it (read once, for SDL002 and SDL007)."""
    return ctx.shared("covering-tests", lambda: _read_covering_tests(ctx))


def _read_covering_tests(ctx: Context) -> dict[int, list[Item]]:
    covered: dict[int, list[Item]] = {}
    for document in ctx.index.of_type(*TEST_TYPES):
        for test in document.items.get("tests", []):
            for value in _texts(test.get("covers")):
                target = ctx.index.resolve(value, document, "item").item
                if target is not None:
                    covered.setdefault(id(target), []).append(test)
    return covered


def _failing(item: Item) -> bool:
    result = item.get("result")
    return isinstance(result, str) and _normalise(result) in lifecycle_data().failing_results


@dataclass
class Verification:
    """How an item's verification reads: verified, or the failed tests and the references that
    name something other than a test or a document (a requirement, a risk, a threat)."""

    verified: bool
    failing: list[Item] = field(default_factory=list)
    misdirected: list[tuple[str, Item]] = field(default_factory=list)


def _verification(
    ctx: Context, document: Document, item: Item, covered: dict[int, list[Item]]
) -> Verification:
    """Verified when a `verified_by` entry names a test that did not fail or a document, or a
    test that did not fail covers the item. The pages say "a test or a document": an entry that
    resolves to another kind of item does not count. A reference that does not resolve still
    counts here: ID002/ID003 report it."""
    result = Verification(False)
    for value in _texts(item.get("verified_by")):
        target = ctx.index.resolve(value, document, "any").item
        if target is not None and target.list_name != "tests":
            result.misdirected.append((value, target))
        elif target is not None and _failing(target):
            result.failing.append(target)
        else:
            return Verification(True)
    for test in covered.get(id(item), []):
        if not _failing(test):
            return Verification(True)
        result.failing.append(test)
    return result


def unverified_text(
    ctx: Context, subject: str, item: Item, verification: Verification
) -> tuple[str, str, str]:
    """(message, fix, kind) of an item that no passed test verifies."""
    verified_by = written_as(item, "verified_by")
    if verification.failing:
        message = (
            f"{subject} is verified only by failed tests ({_failing_text(verification.failing)})"
        )
        return message, f"Fix and retest, or record the passing retest in {verified_by}.", "failed"
    if verification.misdirected:
        named = ", ".join(f"{value} ({item_kind(t)})" for value, t in verification.misdirected)
        message = f"{subject} has no test: {verified_by} names {named}, not a test"
        fix = (
            f"Name the test or the test report that verifies it in {verified_by}, or list "
            f"{item.id} in {covers_field(ctx)} of the test that checks it."
        )
        return message, fix, "none"
    fix = (
        f"Add the test to {verified_by}, or list {item.id} in {covers_field(ctx)} of the test "
        f"that checks it: now {verified_by} is empty and no test lists it."
    )
    return f"{subject} has no test", fix, "none"


def _failing_text(tests: list[Item]) -> str:
    names = ", ".join(f"{t.doc_id}:{t.id}" if t.doc_id else str(t.id) for t in tests[:3])
    return names


def covers_field(ctx: Context) -> str:
    """How the test reports record what a test covers: `the `covers``, or `the "Covers"
    column` when every test of them is a table row."""
    tests = [t for d in ctx.index.of_type(*TEST_TYPES) for t in d.items.get("tests", [])]
    if tests and all(t.source == "table" for t in tests):
        return written_as(tests[0], "covers")
    return "the `covers`"
