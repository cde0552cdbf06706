"""Capabilities in the model: which MDS2 capability sections the technical file provides.

A security requirement (or a threat-model mitigation the product implements) that carries
`capability: [TXCF, ...]` claims those sections. A claim *holds* when its document is released
(approved, `techfile.model.register`), is about the released software version (or names none),
and a passed test of the released version verifies it (`verified_by`, or a test whose `covers`
names it). `capabilities_not_provided` in an approved security requirements document says No or
N/A for a section, with the reason. `techfile pack` and the PK rules both read them from here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from techfile.model.document import Document, Item
from techfile.model.lifecycle import lifecycle_data, normalise, texts
from techfile.model.register import counts_as_released, latest_approval, parse_date, text
from techfile.model.sbom.matching import normalise_version
from techfile.model.view import RunView

TEST_TYPES = ("test-report", "security-test-report")
CLAIM_SOURCES = (("security-requirements", "requirements"), ("threat-model", "mitigations"))


@dataclass(frozen=True)
class Release:
    """The released software version, from the newest approved release record."""

    version: str | None
    document: Document | None
    date: datetime.date | None


def released(view: RunView) -> Release:
    return view.shared("capabilities-release", lambda: _released(view))


def _released(view: RunView) -> Release:
    best: tuple[datetime.date, str, Document] | None = None
    for document in view.index.of_type("release-record"):
        if (
            not counts_as_released(view, document)
            or text(document.meta.get("software_version")) is None
        ):
            continue
        approval = latest_approval(view, document)
        day = parse_date(document.meta.get("release_date")) or (approval.date if approval else None)
        key = (day or datetime.date.min, document.path, document)
        if best is None or key[:2] > best[:2]:
            best = key
    if best is not None:
        day, _, document = best
        version = text(document.meta.get("software_version"))
        return Release(version, document, day if day != datetime.date.min else None)
    return Release(view.software_version(), None, None)


def stated_version(document: Document) -> str | None:
    """The software version a document is about: a test report's `test_object`, else its own."""
    test_object = document.meta.get("test_object")
    if isinstance(test_object, dict):
        tested = text(test_object.get("software_version"))
        if tested:
            return tested
    return text(document.meta.get("software_version"))


def about_release(view: RunView, document: Document) -> bool:
    """The document is about the released version, or states no version (not judged)."""
    stated, wanted = stated_version(document), released(view).version
    if stated is None or wanted is None:
        return True
    return normalise_version(stated) == normalise_version(wanted)


def item_label(item: Item) -> str:
    return f"{item.doc_id}:{item.id}" if item.doc_id else str(item.id or item.path)


@dataclass(frozen=True)
class Verification:
    passed: tuple[str, ...]  # labels of passed tests (or test reports) of the released version
    failed: tuple[str, ...]
    other_version: tuple[str, ...]  # passed, but in a report about another version


@dataclass(frozen=True)
class Claim:
    code: str
    document: Document
    item: Item
    text: str
    approved: bool
    current: bool  # about the released version
    verification: Verification

    @property
    def label(self) -> str:
        return item_label(self.item)

    @property
    def holds(self) -> bool:
        return self.approved and self.current and bool(self.verification.passed)

    def why_not(self, version: str | None) -> str:
        """Why the claim does not hold, in words (empty when it holds)."""
        if not self.approved:
            return f"{self.document.label()} is not approved"
        if not self.current:
            return f"{self.document.label()} is about version {stated_version(self.document)}"
        if self.verification.failed and not self.verification.passed:
            return f"its only tests failed ({', '.join(self.verification.failed[:3])})"
        if self.verification.other_version:
            shown = ", ".join(self.verification.other_version[:3])
            return f"it was tested only on another version than {version} ({shown})"
        return "no passed test verifies it"


@dataclass(frozen=True)
class Statement:
    """`capabilities_not_provided`: the file says No or N/A for a section."""

    code: str
    answer: str  # No | N/A
    reason: str
    document: Document
    counts: bool  # approved and about the released version


def claims(view: RunView) -> dict[str, list[Claim]]:
    """Section code -> the claims of the technical file, in path and item order."""
    return view.shared("capabilities-claims", lambda: _claims(view))


def _claims(view: RunView) -> dict[str, list[Claim]]:
    covering = _covering_tests(view)
    found: dict[str, list[Claim]] = {}
    for doc_type, list_name in CLAIM_SOURCES:
        for document in view.index.of_type(doc_type):
            approved, current = counts_as_released(view, document), about_release(view, document)
            for item in document.items.get(list_name, []):
                if list_name == "mitigations" and _implemented_by(item) != "product":
                    continue
                codes = [c.strip().upper() for c in texts(item.get("capability"))]
                if not codes:
                    continue
                verification = _verification(view, document, item, covering)
                words = text(item.get("text")) or text(item.get("description")) or ""
                for code in dict.fromkeys(codes):
                    claim = Claim(code, document, item, words, approved, current, verification)
                    found.setdefault(code, []).append(claim)
    return found


def statements(view: RunView) -> dict[str, list[Statement]]:
    return view.shared("capabilities-statements", lambda: _statements(view))


def _statements(view: RunView) -> dict[str, list[Statement]]:
    found: dict[str, list[Statement]] = {}
    for document in view.index.of_type("security-requirements"):
        entries = document.meta.get("capabilities_not_provided")
        counts = counts_as_released(view, document) and about_release(view, document)
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, dict):
                continue
            code, answer = text(entry.get("capability")), text(entry.get("answer"))
            if code is None or answer not in ("No", "N/A"):
                continue
            reason = " ".join((text(entry.get("reason")) or "").split())
            statement = Statement(code.upper(), answer, reason, document, counts)
            found.setdefault(statement.code, []).append(statement)
    return found


def _implemented_by(item: Item) -> str | None:
    value = item.get("implemented_by")
    return value.strip().casefold() if isinstance(value, str) else None


# --- verification --------------------------------------------------------------------------


def _covering_tests(view: RunView) -> dict[int, list[Item]]:
    """id(item) -> the test items whose `covers` names it."""
    covered: dict[int, list[Item]] = {}
    for document in view.index.of_type(*TEST_TYPES):
        for test in document.items.get("tests", []):
            for value in texts(test.get("covers")):
                target = view.index.resolve(value, document, "item").item
                if target is not None:
                    covered.setdefault(id(target), []).append(test)
    return covered


def _failing(item: Item) -> bool:
    result = item.get("result")
    return isinstance(result, str) and normalise(result) in lifecycle_data().failing_results


def _verification(
    view: RunView, document: Document, item: Item, covering: dict[int, list[Item]]
) -> Verification:
    """The tests that verify the item, sorted into passed (on the released version), failed and
    passed on another version. Only references that resolve to a test, or to a whole test report,
    count: the evidence the pack shows must resolve."""
    passed: list[str] = []
    failed: list[str] = []
    other: list[str] = []
    found: list[tuple[Document, Item | None]] = []
    for value in texts(item.get("verified_by")):
        resolution = view.index.resolve(value, document, "any")
        target, test = resolution.document, resolution.item
        if (
            target is not None
            and target.type in TEST_TYPES
            and (test is None or test.list_name == "tests")
        ):
            found.append((target, test))
    for test in covering.get(id(item), []):
        owner = view.index.by_path.get(test.path)
        if owner is not None:
            found.append((owner, test))
    for report, test in found:
        label = item_label(test) if test is not None else report.label()
        if label in passed or label in failed or label in other:
            continue
        if test is not None and _failing(test):
            failed.append(label)
        elif not counts_as_released(view, report) or view.tests_other_product(report):
            continue
        elif about_release(view, report):
            passed.append(label)
        else:
            other.append(label)
    return Verification(tuple(passed), tuple(failed), tuple(other))
