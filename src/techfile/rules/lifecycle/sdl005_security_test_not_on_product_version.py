"""SDL005 security-test-not-on-product-version: a security test report does not say what it
tested, tested something other than the device, or tested an earlier software version without
explaining why that is enough.
"""

from __future__ import annotations

from collections.abc import Iterator

from techfile.data.severity import Severity
from techfile.model.device import tested_product
from techfile.model.document import Document
from techfile.model.evidence import Citation, run_citations
from techfile.model.finding import Finding, Location
from techfile.model.lifecycle import normalise as _normalise
from techfile.model.lifecycle import texts as _texts
from techfile.rules.base import Context, rule
from techfile.rules.lifecycle.common import _text


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
                f"({missing} is missing)",
                document.location("test_object")
                if "test_object" in document.meta
                else document.location(),
                clause=clause,
                key=("test-object",),
                why=f"{clause} asks for security testing of the device; a notified body will ask "
                "whether the tests were run on the device and the version under assessment.",
                fix="Add `test_object: {product, software_version}`.",
            )
            continue
        if ctx.tests_other_product(document):
            product = tested_product(document)
            cited = _other_product_clause(ctx, document) or clause
            yield ctx.finding(
                "SDL005",
                f"security test report {document.label()} tested `{product}`, not the device "
                f"{device}",
                _other_product_anchor(ctx, document),
                clause=cited,
                key=("product",),
                why=f"{cited} asks for evidence about the device: a test of other systems is no "
                "evidence that the device is secure, and a notified body will ask for a test of "
                "the device.",
                fix="Test the device, or, if this is a test of the organisation's IT, give it "
                "`type: enterprise-pentest`.",
            )
            continue
        version, path = _tested_version(document)
        if version is None:
            yield ctx.finding(
                "SDL005",
                f"security test report {document.label()} does not say which software version "
                "was tested",
                document.location("test_object"),
                clause=clause,
                key=("version-missing",),
                why=f"{clause} asks for security testing of the device software; a notified body "
                "will ask whether the tested version is the version under assessment"
                f"{f' ({current})' if current else ''}.",
                fix="Add `test_object.software_version`.",
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
            f"software is at version {current}",
            document.location(*path),
            clause=clause,
            key=("version",),
            severity=Severity.WARNING,
            why=f"{clause} asks for security testing of the software as released; a notified "
            f"body will ask why the changes since {version} need no new security test.",
            fix=f"Retest {current}, or explain in `delta_rationale` why the earlier test still "
            "covers it.",
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
