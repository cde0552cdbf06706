"""SDL002 / SDL007: verification of mitigations and security requirements: the tests that cover
each item, read once and shared by both rules.
"""

from __future__ import annotations

from techfile.model.document import Document, Item
from techfile.model.lifecycle import lifecycle_data
from techfile.model.lifecycle import normalise as _normalise
from techfile.model.lifecycle import texts as _texts
from techfile.rules.base import Context

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


def _verification(
    ctx: Context, document: Document, item: Item, covered: dict[int, list[Item]]
) -> tuple[bool, list[Item]]:
    """(verified, failing tests): verified when a `verified_by` entry or a covering test
    exists that is not a failed test. A reference that does not resolve still counts here:
    ID002/ID003 report it."""
    failing: list[Item] = []
    for value in _texts(item.get("verified_by")):
        target = ctx.index.resolve(value, document, "any").item
        if target is not None and target.list_name == "tests" and _failing(target):
            failing.append(target)
            continue
        return True, []
    for test in covered.get(id(item), []):
        if _failing(test):
            failing.append(test)
            continue
        return True, []
    return False, failing


def _failing_text(tests: list[Item]) -> str:
    names = ", ".join(f"{t.doc_id}:{t.id}" if t.doc_id else str(t.id) for t in tests[:3])
    return names
