"""SDL: is there evidence of the secure development lifecycle of EN IEC 81001-5-1:2022, and do
the security tests, mitigations and IT requirements hold together?

The activities SDL001 requires, the words the rules read and the parts of the minimum IT
requirements live in `data/lifecycle.yaml`; clause numbers come from there and from the rule
pages, never from this module.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from techfile.model.clauses import Clause, ClauseRef
from techfile.model.device import tested_product
from techfile.model.document import INACTIVE_STATUSES, Document, Item
from techfile.model.evidence import Citation, document_status, run_citations
from techfile.model.finding import Finding, Location, Severity
from techfile.model.registry import load_data, type_registry
from techfile.rules.base import Context, rule

RELIANCE = ("environment", "operator", "user")  # implemented_by values outside the product
TEST_TYPES = ("test-report", "security-test-report")
SUGGESTIONS = 2  # at most this many likely files are named in one SDL001 message


# --- the data file -------------------------------------------------------------------------


@dataclass(frozen=True)
class Activity:
    id: str
    name: str
    clauses: tuple[str, ...]
    types: tuple[str, ...]
    test_types: tuple[str, ...]
    also_in: tuple[str, ...]
    hints: tuple[str, ...]


@dataclass(frozen=True)
class ItRequirement:
    field: str
    name: str
    headings: tuple[str, ...]


@dataclass(frozen=True)
class LifecycleData:
    standard: str
    activities: tuple[Activity, ...]
    applies_when_types: tuple[str, ...]
    failing_results: frozenset[str]
    it_requirements: tuple[ItRequirement, ...]

    def activity(self, activity_id: str) -> Activity | None:
        return next((a for a in self.activities if a.id == activity_id), None)


@functools.cache
def lifecycle_data() -> LifecycleData:
    raw = load_data("lifecycle.yaml")
    activities = tuple(
        Activity(
            id=str(entry["id"]),
            name=str(entry["name"]),
            clauses=tuple(str(c) for c in entry["clauses"]),
            types=tuple(entry.get("types", [])),
            test_types=tuple(_normalise(str(w)) for w in entry.get("test_types", [])),
            also_in=tuple(entry.get("also_in", [])),
            hints=tuple(_normalise(str(w)) for w in entry.get("hints", [])),
        )
        for entry in raw["activities"]
    )
    return LifecycleData(
        standard=str(raw["standard"]),
        activities=activities,
        applies_when_types=tuple(raw.get("applies_when_types", [])),
        failing_results=frozenset(_normalise(str(w)) for w in raw.get("failing_results", [])),
        it_requirements=tuple(
            ItRequirement(
                str(entry["field"]),
                str(entry["name"]),
                tuple(_normalise(str(h)) for h in entry["headings"]),
            )
            for entry in raw["it_requirements"]
        ),
    )


# --- shared helpers ------------------------------------------------------------------------

_NON_WORD = re.compile(r"[^0-9a-z]+")


def _normalise(text: str) -> str:
    """Lower-case words separated by single spaces: `Pen-Test_Report` -> `pen test report`."""
    return _NON_WORD.sub(" ", text.casefold()).strip()


def _has_phrase(text: str, phrases: Iterable[str]) -> bool:
    """True when one of the (normalised) phrases starts a word of the normalised text."""
    padded = " " + _normalise(text)
    return any(phrase and f" {phrase}" in padded for phrase in phrases)


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str) and v.strip()]
    return []


def _date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _page_clauses_text(ctx: Context, code: str) -> str:
    """`EN IEC 81001-5-1:2022 5.8.1 and 5.8.5`; `MDR Annex I 17.4 and 23.4(ab); MDCG ...`."""
    page = ctx.pages.get(code)
    groups: dict[str, list[str]] = {}
    for text in page.clauses if page else ():
        standard, _, number = text.rpartition(" ")
        groups.setdefault(standard, []).append(number)
    return "; ".join(
        f"{standard} {' and '.join(numbers)}".strip() for standard, numbers in groups.items()
    )


def _is_approved(ctx: Context, document: Document) -> bool:
    """Approved in its front-matter, or in the document register when the configuration says
    `approval-source = "register"`."""
    from_register = ctx.config.get("approval-source") == "register"
    status = document_status(ctx.index, document, from_register)
    return (status or "").casefold() == "approved"


def _status_text(ctx: Context, document: Document) -> str:
    from_register = ctx.config.get("approval-source") == "register"
    status = document_status(ctx.index, document, from_register)
    return f"`{status}`" if status else "not given"


def _label(document: Document) -> str:
    return f"{document.label()} ({document.path})" if document.id else document.path


def _item_name(item: Item, *fields: str) -> str:
    for field in fields:
        text = _text(item.get(field))
        if text:
            text = " ".join(text.split()).rstrip(".")
            short = text if len(text) <= 80 else text[:77].rstrip() + "..."
            return f"{item.id} ({short})"
    return str(item.id)


def _test_type_words(document: Document) -> str | None:
    words = _texts(document.meta.get("test_type"))
    return " ".join(words) if words else None


def _is_penetration_test(document: Document) -> bool:
    activity = lifecycle_data().activity("penetration-testing")
    words = activity.test_types if activity else ()
    text = _test_type_words(document) or " ".join(
        t for t in (_text(document.meta.get("title")), document.h1) if t
    )
    return _has_phrase(text, words)


# --- SDL001 -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Suggestion:
    text: str
    location: Location
    holder: str | None = None  # "if HOLDER holds it, list the clause": merged when repeated
    unapproved: bool = False


def _suggestion_text(suggestions: list[_Suggestion], entries: str) -> str:
    shown = suggestions[:SUGGESTIONS]
    holders = [s for s in shown if s.holder]
    if len(holders) == len(shown) > 1 and len({s.unapproved for s in holders}) == 1:
        names = " or ".join(str(s.holder) for s in holders)
        approve = " and approve it" if holders[0].unapproved else ""
        text = f"if {names} holds it, list `{entries}` in its `evidence_for`{approve}"
    else:
        text = "; ".join(s.text for s in shown)
    return text[:1].upper() + text[1:]


def _family(ctx: Context) -> str | None:
    return ctx.clauses.family_of(lifecycle_data().standard)


def lifecycle_applies(ctx: Context) -> bool:
    """Whether the technical file is one of health software the standard is for."""
    data = lifecycle_data()
    device = ctx.device
    if device.get("connected") is True or isinstance(device.get("software_safety_class"), str):
        return True
    if ctx.index.of_type(*data.applies_when_types):
        return True
    family = _family(ctx)
    for document in ctx.documents:
        for text in _texts(document.meta.get("standards")):
            if family and ctx.clauses.family_of(text) == family:
                return True
    return any(c.ref.family == family for c in run_citations(ctx))


def counts_by_type(activity: Activity, document: Document) -> bool:
    if document.type not in activity.types:
        return False
    if document.type == "security-test-report" and activity.test_types:
        words = _test_type_words(document)
        return words is None or _has_phrase(words, activity.test_types)
    return True


@rule("SDL001")
def lifecycle_evidence_missing(ctx: Context) -> Iterator[Finding]:
    data = lifecycle_data()
    family = _family(ctx)
    standard = ctx.clauses.standards.get(family or "")
    if standard is None or not lifecycle_applies(ctx):
        return
    cited = _cited_clauses(ctx, family or "", standard.clauses)
    approved = [d for d in ctx.documents if _is_approved(ctx, d)]
    for activity in data.activities:
        missing = []
        for clause_id in activity.clauses:
            clause = standard.clauses.get(clause_id)
            if clause is not None and not _covered(ctx, activity, clause, cited, approved):
                missing.append(clause)
        if missing:
            yield _missing_finding(ctx, activity, missing, cited)


Cited = dict[str, set[int]]  # clause id -> id() of the documents citing it or one of its items


def _cited_clauses(ctx: Context, family: str, clauses: dict[str, Clause]) -> Cited:
    cited: Cited = {}
    for citation in run_citations(ctx):
        if citation.ref.family != family or citation.evidence is None:
            continue
        clause, depth = citation.clause, 0
        while clause is not None and depth < 16:
            cited.setdefault(clause.id, set()).add(id(citation.evidence))
            clause = clauses.get(clause.parent) if clause.parent else None
            depth += 1
    return cited


def _cites(document: Document, clause: Clause, cited: Cited) -> bool:
    return id(document) in cited.get(clause.id, ())


def _covered(
    ctx: Context, activity: Activity, clause: Clause, cited: Cited, approved: list[Document]
) -> bool:
    for document in approved:
        if ctx.evidence_class(document) not in clause.accepts:
            continue
        if counts_by_type(activity, document) or _cites(document, clause, cited):
            return True
    return False


def _missing_finding(
    ctx: Context, activity: Activity, missing: list[Clause], cited: Cited
) -> Finding:
    first = missing[0]
    display = ctx.clauses.display(_ref(ctx, first))
    numbers = ", ".join(c.id for c in missing)
    where = f"{display.rsplit(' ', 1)[0]} {numbers}"
    suggestions = _suggestions(ctx, activity, missing, cited)
    message = (
        f"no approved document covers the {activity.name} ({where}); a notified body will ask "
        "for it. "
    )
    entries = "`, `".join(ctx.clauses.display(_ref(ctx, c)) for c in missing)
    if suggestions:
        message += _suggestion_text(suggestions, entries)
    else:
        message += _generic_fix(activity, entries)
    return ctx.finding(
        "SDL001",
        message,
        _anchor(ctx, first, suggestions),
        clause=display,
        key=(activity.id,),
    )


def _ref(ctx: Context, clause: Clause) -> ClauseRef:
    return ClauseRef(clause.id, clause.family, "", None, clause.id)


def _generic_fix(activity: Activity, entries: str) -> str:
    if activity.types:
        kinds = " or ".join(f"`type: {t}`" for t in activity.types)
        return (
            f"Add an approved document of {kinds}, or list `{entries}` in the `evidence_for` of "
            "the approved document that holds it"
        )
    usual = " or ".join(f"`{t}`" for t in activity.also_in[:3])
    often = f" (often a document of type {usual})" if usual else ""
    return f"List `{entries}` in the `evidence_for` of the approved document that holds it{often}"


def _suggestions(
    ctx: Context, activity: Activity, missing: list[Clause], cited: Cited
) -> list[_Suggestion]:
    found: list[_Suggestion] = []
    named: set[str] = set()
    clause = missing[0]
    display = "`, `".join(ctx.clauses.display(_ref(ctx, c)) for c in missing)

    def add(document: Document, text: str, location: Location, holder: bool = False) -> None:
        if document.path not in named:
            named.add(document.path)
            unapproved = holder and not _is_approved(ctx, document)
            label = _label(document) if holder else None
            found.append(_Suggestion(text, location, label, unapproved))

    def holds(document: Document) -> None:
        approve = "" if _is_approved(ctx, document) else " and approve it"
        add(
            document,
            f"if {_label(document)} holds it, list `{display}` in its `evidence_for`{approve}",
            document.location("evidence_for")
            if "evidence_for" in document.meta
            else document.location(),
            holder=True,
        )

    # 1. would count, but is not approved
    for document in ctx.documents:
        relevant = counts_by_type(activity, document) or _cites(document, clause, cited)
        accepted = ctx.evidence_class(document) in clause.accepts
        if relevant and accepted and not _is_approved(ctx, document):
            add(
                document,
                f"{_label(document)} would count once approved "
                f"(status: {_status_text(ctx, document)})",
                document.location("status") if "status" in document.meta else document.location(),
            )
    # 2. a security test of something other than the device
    for document in ctx.documents:
        if counts_by_type(activity, document) and ctx.tests_other_product(document):
            add(
                document,
                f"{_label(document)} tested `{tested_product(document)}`, not "
                f"{ctx.device_name()}, so it is not evidence for the device",
                document.location("test_object", "product"),
            )
    # 3. a security test report whose test type names other testing
    for document in ctx.documents:
        if (
            document.type in activity.types
            and not counts_by_type(activity, document)
            and ctx.evidence_class(document) in clause.accepts
        ):
            add(
                document,
                f"{_label(document)} is a {document.type.replace('-', ' ')} whose `test_type` "
                f"({_test_type_words(document)}) names no {activity.name}; if it includes "
                f"{activity.name}, say so in `test_type`, or list `{display}` in its "
                "`evidence_for`",
                document.location("test_type"),
            )
    if found:
        return found  # a document that nearly counts is the clearest fix
    # 4. a document of a type that often holds the activity, without the citation; those
    #    whose name, title or headings mention the activity first
    holders = [d for d in ctx.documents if d.type in activity.also_in]
    holders.sort(key=lambda d: not _mentions(activity, d))
    for document in holders:
        accepted = ctx.evidence_class(document) in clause.accepts
        if accepted and not _cites(document, clause, cited):
            holds(document)
    # 5. files whose name, title or headings suggest the activity
    for document in ctx.index.documents:
        if document.status in INACTIVE_STATUSES or document.path in named:
            continue
        suggested_type = _looks_like(activity, document) if document.type is None else None
        if suggested_type:
            add(
                document,
                f"the file {document.path} looks like a {suggested_type.replace('-', ' ')} but "
                f"has no document type techfile knows; give it `type: {suggested_type}`",
                document.location(),
            )
        elif (
            document.type is not None
            and ctx.evidence_class(document) in clause.accepts
            and _mentions(activity, document)
        ):
            holds(document)
    return found


def _looks_like(activity: Activity, document: Document) -> str | None:
    """The activity's document type an unclassified file looks like, by name or first heading."""
    registry = type_registry()
    stem = _normalise(PurePosixPath(document.path).stem)
    heading = _normalise(document.h1 or "")
    for type_name in activity.types:
        doc_type = registry.types.get(type_name)
        if doc_type is None:
            continue
        names = {_normalise(type_name), *(_normalise(a) for a in doc_type.aliases)}
        if stem in names or any(n and f" {n}" in f" {stem}" for n in names if " " in n):
            return type_name
        if heading and _has_phrase(heading, [_normalise(p) for p in doc_type.h1]):
            return type_name
    if document.type is None and _mentions(activity, document) and len(activity.types) == 1:
        return activity.types[0]
    return None


def _mentions(activity: Activity, document: Document) -> bool:
    texts = [
        PurePosixPath(document.path).stem,
        _text(document.meta.get("title")) or "",
        document.h1 or "",
        *(text for level, text, _ in document.headings if level >= 1),
    ]
    return any(_has_phrase(text, activity.hints) for text in texts if text)


def _anchor(ctx: Context, clause: Clause, suggestions: list[_Suggestion]) -> Location:
    """Where the missing evidence is reported: the conformity-matrix row that claims it (so a
    finding of the evidence family about that row owns the defect), else the most likely file,
    else the security plan, the conformity matrix, the device description or the
    configuration."""
    for row_doc in ctx.index.of_type("conformity-matrix"):
        for row in row_doc.items.get("rows", []):
            text = row.get("clause")
            if not isinstance(text, str):
                continue
            family = ctx.clauses.family_of(str(row_doc.meta.get("standard", "")))
            ref = ctx.clauses.parse(text, default_family=family)
            if ref is not None and ref.family == clause.family and ref.clause == clause.id:
                return row.location_of("evidence")
    if suggestions:
        return suggestions[0].location
    for type_name in ("security-plan", "conformity-matrix", "device-description"):
        for document in ctx.index.of_type(type_name):
            return document.location()
    if ctx.config.source is not None:
        try:
            return Location(ctx.config.source.relative_to(ctx.root).as_posix(), 1)
        except ValueError:
            pass
    documents = ctx.documents or ctx.index.documents
    return documents[0].location() if documents else Location(".", 0)


# --- SDL002 / SDL007: verification of mitigations and security requirements --------------


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


# --- SDL003 / SDL005 / SDL006: security test reports --------------------------------------


def _device_test_reports(ctx: Context) -> list[Document]:
    """Security test reports about the device: enterprise tests are left to the evidence rules."""
    return [d for d in ctx.index.of_type("security-test-report") if not ctx.tests_other_product(d)]


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


def _version_key(text: str) -> str:
    """`v2.3.0+1187` -> `2.3.0`: build metadata and a leading v do not change the version."""
    key = text.strip().casefold().split("+", 1)[0].strip()
    return key[1:] if key.startswith("v") and key[1:2].isdigit() else key


def _tested_version(document: Document) -> tuple[str | None, tuple[str, ...]]:
    test_object = document.meta.get("test_object")
    if isinstance(test_object, dict):
        version = test_object.get("software_version")
        if isinstance(version, str | int | float) and str(version).strip():
            return str(version).strip(), ("test_object", "software_version")
    version = _text(document.meta.get("software_version"))
    return version, ("software_version",)


@rule("SDL005")
def security_test_not_on_product_version(ctx: Context) -> Iterator[Finding]:
    device = ctx.device_name()
    current = ctx.software_version()
    clause = ctx.page_clause("SDL005")
    reports = ctx.index.of_type("security-test-report")
    for document in reports:
        test_object = document.meta.get("test_object")
        if not isinstance(test_object, dict) or not tested_product(document):
            missing = "`test_object`" if not isinstance(test_object, dict) else "its `product`"
            yield ctx.finding(
                "SDL005",
                f"security test report {document.label()} does not say what was tested "
                f"({missing} is missing); a notified body will ask whether the tests were run on "
                "the device and the version under assessment. Add `test_object: {product, "
                "software_version}`",
                document.location("test_object")
                if "test_object" in document.meta
                else document.location(),
                clause=clause,
                key=("test-object",),
            )
            continue
        if ctx.tests_other_product(document):
            product = tested_product(document)
            yield ctx.finding(
                "SDL005",
                f"security test report {document.label()} tested `{product}`, not the device "
                f"{device}; a test of other systems is no evidence that the device is secure, "
                "and a notified body will ask for a test of the device. Test the device, or, if "
                "this is a test of the organisation's IT, give it `type: enterprise-pentest`",
                _other_product_anchor(ctx, document),
                clause=_other_product_clause(ctx, document) or clause,
                key=("product",),
            )
            continue
        version, path = _tested_version(document)
        if version is None:
            yield ctx.finding(
                "SDL005",
                f"security test report {document.label()} does not say which software version "
                "was tested; a notified body will ask whether it is the version under assessment"
                f"{f' ({current})' if current else ''}. Add `test_object.software_version`",
                document.location("test_object"),
                clause=clause,
                key=("version-missing",),
            )
            continue
        if current is None or _version_key(version) == _version_key(current):
            continue
        if _text(document.meta.get("delta_rationale")):
            continue
        if _superseded_by_current(ctx, document, reports, current):
            continue
        yield ctx.finding(
            "SDL005",
            f"security test report {document.label()} tested version {version}, but the device "
            f"software is at version {current}; a notified body will ask why the changes since "
            f"{version} need no new security test. Retest {current}, or explain in "
            "`delta_rationale` why the earlier test still covers it",
            document.location(*path),
            clause=clause,
            key=("version",),
            severity=Severity.WARNING,
        )


def _superseded_by_current(
    ctx: Context, document: Document, reports: list[Document], current: str
) -> bool:
    """Another report on the current version covers the same kind of testing."""
    kinds = {_normalise(t) for t in _texts(document.meta.get("test_type"))}
    for other in reports:
        if other is document or ctx.tests_other_product(other):
            continue
        version, _ = _tested_version(other)
        if version is None or _version_key(version) != _version_key(current):
            continue
        other_kinds = {_normalise(t) for t in _texts(other.meta.get("test_type"))}
        if not kinds or not other_kinds or kinds & other_kinds:
            return True
    return False


def _ev001_citation(ctx: Context, document: Document) -> Citation | None:
    """The first citation of this enterprise test that the evidence family reports as
    organisational evidence for a product clause (EV001), so SDL005 can yield to it."""
    for citation in run_citations(ctx):
        clause = citation.clause
        if citation.evidence is not document or clause is None:
            continue
        if "organisational-supporting" in clause.accepts or document.type in clause.supporting:
            continue
        return citation
    return None


def _other_product_anchor(ctx: Context, document: Document) -> Location:
    citation = _ev001_citation(ctx, document)
    if citation is not None:
        return citation.location
    return document.location("test_object", "product")


def _other_product_clause(ctx: Context, document: Document) -> str | None:
    citation = _ev001_citation(ctx, document)
    return ctx.clauses.display(citation.ref) if citation is not None else None


@rule("SDL006")
def open_security_findings(ctx: Context) -> Iterator[Finding]:
    clause = ctx.page_clause("SDL006")
    both = _page_clauses_text(ctx, "SDL006")
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
                f"{document.label()} is open{rated}, with no disposition; a notified body will "
                f"ask how it was resolved or why it was accepted before release ({both}). Fix "
                "and close it, or record the decision and its rationale in `disposition`",
                item.location_of("status"),
                clause=clause,
                key=(item.id or "",),
            )


# --- SDL004: yearly review of the threat model --------------------------------------------


def _max_age_months(ctx: Context) -> int:
    value = ctx.options("SDL004").get("max-age-months", 12)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 12


@rule("SDL004")
def threat_model_review_overdue(ctx: Context) -> Iterator[Finding]:
    if not ctx.index.of_type("release-record"):
        return  # the yearly review applies to released products
    months = _max_age_months(ctx)
    clause = ctx.page_clause("SDL004")
    for document in ctx.index.of_type("threat-model"):
        dated: list[tuple[datetime.date, tuple[str | int, ...]]] = []
        for key in ("approvals", "reviews"):
            entries = document.meta.get(key)
            if not isinstance(entries, list):
                continue
            for index, entry in enumerate(entries):
                day = _date(entry.get("date")) if isinstance(entry, dict) else None
                if day is not None:
                    dated.append((day, (key, index, "date")))
        if not dated:
            continue  # never approved: the document-control rules report that
        latest, path = max(dated, key=lambda d: d[0])
        if _add_months(latest, months) >= ctx.as_of:
            continue
        yield ctx.finding(
            "SDL004",
            f"threat model {document.label()} was last approved or reviewed on "
            f"{latest.isoformat()}, more than {months} months before {ctx.as_of.isoformat()}; "
            f"for a released product {clause} expects the threat model to be reviewed at least "
            "once a year, and a notified body will ask for that review. Review it and record the "
            "review (a new approved version, or an entry `{by, date, result}` in `reviews`)",
            document.location(*path),
            clause=clause,
            key=(document.id or document.path,),
        )


# --- SDL008: mitigations that rely on the environment, the operator or the user ----------


def _declared_items(ctx: Context) -> tuple[set[int], list[Document]]:
    """ids() of the items referenced from the IT security requirements and the IFU."""
    declaring = sorted(
        ctx.index.of_type("it-security-requirements", "ifu"),
        key=lambda d: (d.type != "it-security-requirements", d.path),
    )
    found: set[int] = set()
    for document in declaring:
        for reference in ctx.index.references(document):
            item = ctx.index.resolve(reference.value, document, "item").item
            if item is not None:
                found.add(id(item))
    return found, declaring


@rule("SDL008")
def environment_reliance_undeclared(ctx: Context) -> Iterator[Finding]:
    declared, declaring = _declared_items(ctx)
    clause = ctx.page_clause("SDL008")
    cited = _page_clauses_text(ctx, "SDL008")
    if len(declaring) == 1:
        target = f"{declaring[0].label()} does not reference it"
    elif declaring:
        target = f"neither {declaring[0].label()} nor {declaring[1].label()} references it"
    else:
        target = "the technical file has no IT security requirements or IFU document"
    for document in ctx.index.of_type("threat-model"):
        for item in document.items.get("mitigations", []):
            by = item.get("implemented_by")
            if not (isinstance(by, str) and by.strip().casefold() in RELIANCE):
                continue
            if id(item) in declared:
                continue
            reliance = by.strip().casefold()
            fix = (
                f"Reference {document.label()}:{item.id} in the `mitigations` or `references` of "
                f"{declaring[0].label()}"
                if declaring
                else "State it in the IT security requirements (`type: it-security-requirements`) "
                f"and reference {document.label()}:{item.id} there"
            )
            yield ctx.finding(
                "SDL008",
                f"mitigation {_item_name(item, 'description', 'title')} in {document.label()} "
                f"relies on the {reliance}, but {target}; the operator or user must be told what "
                f"they are to do ({cited}), and a notified body will look for it in the "
                f"documentation supplied with the device. {fix}",
                item.location_of("implemented_by"),
                clause=clause,
                key=(item.id or "",),
            )


# --- SDL009: the minimum IT requirements --------------------------------------------------


def _either(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _part_covered(part: ItRequirement, documents: list[Document]) -> bool:
    for document in documents:
        if document.type == "it-security-requirements" and _texts(document.meta.get(part.field)):
            return True
        for level, text, _line in document.headings:
            if level >= 2 and _has_phrase(text, part.headings):
                return True
    return False


@rule("SDL009")
def it_security_requirements_incomplete(ctx: Context) -> Iterator[Finding]:
    requirements = ctx.index.of_type("it-security-requirements")
    documents = requirements + ctx.index.of_type("ifu")
    if not requirements and not (documents and lifecycle_applies(ctx)):
        return
    missing = [
        part for part in lifecycle_data().it_requirements if not _part_covered(part, documents)
    ]
    if not missing:
        return
    target = documents[0]
    names = _either([part.name for part in missing])
    fields = ", ".join(f"`{part.field}`" for part in missing)
    looked = " and ".join(d.label() for d in documents[:3])
    clause = ctx.page_clause("SDL009")
    heading = missing[0].name[:1].upper() + missing[0].name[1:]
    each = "it" if len(missing) == 1 else "each"
    plural = "field" if len(missing) == 1 else "fields"
    fields_hint = (
        f", or the front-matter {plural} {fields}"
        if target.type == "it-security-requirements"
        else ""
    )
    yield ctx.finding(
        "SDL009",
        f"the minimum IT requirements ({looked}) say nothing about {names}; {clause} asks "
        "manufacturers of software to state the minimum hardware, IT network and IT security "
        "requirements, protection against unauthorised access included, needed to run it as "
        f"intended, and a notified body will look for each. Add a section for {each} to "
        f"{target.label()} (for example `## {heading}`){fields_hint}",
        target.location(),
        clause=clause,
        key=tuple(part.field for part in missing),
    )
