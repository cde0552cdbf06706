"""Reads a parsed SPDX 2.x JSON document into an SbomFile: its packages, the packages the
document describes (the roots), which packages the roots depend on directly, which are only
built, developed or tested with, and who created the document and when."""

from __future__ import annotations

from typing import Any

from techfile.intake.sbom.fields import date_of, list_of, text_of
from techfile.model.sbom import Component, SbomFile

# SPDX relationships: (type, direction) that make the target a dependency of the source.
# "forward": spdxElementId depends on relatedSpdxElement; "reverse": the other way round.
SPDX_DEPENDS = {
    "DEPENDS_ON": "forward",
    "CONTAINS": "forward",
    "STATIC_LINK": "forward",
    "DYNAMIC_LINK": "forward",
    "HAS_PREREQUISITE": "forward",
    "DEPENDENCY_OF": "reverse",
    "RUNTIME_DEPENDENCY_OF": "reverse",
    "CONTAINED_BY": "reverse",
    "OPTIONAL_DEPENDENCY_OF": "reverse",
    "PROVIDED_DEPENDENCY_OF": "reverse",
    "OPTIONAL_COMPONENT_OF": "reverse",
    "PREREQUISITE_FOR": "reverse",
    "PACKAGE_OF": "reverse",
}
# Relationships that say a package is used to build, develop or test, not shipped.
SPDX_NOT_SHIPPED = frozenset(
    {
        "DEV_DEPENDENCY_OF",
        "TEST_DEPENDENCY_OF",
        "BUILD_DEPENDENCY_OF",
        "BUILD_TOOL_OF",
        "DEV_TOOL_OF",
        "TEST_TOOL_OF",
        "TEST_OF",
        "TEST_CASE_OF",
        "DOCUMENTATION_OF",
        "EXAMPLE_OF",
    }
)
NO_ASSERTION = frozenset({"", "noassertion", "none", "unknown", "n/a", "na", "-"})
_OTHER_IDENTIFIERS = ("cpe22type", "cpe23type", "swid", "gitoid", "swh")

Edges = dict[str, set[str]]  # SPDXID -> the SPDXIDs it depends on, or relationship types


def read_spdx(sbom: SbomFile, data: dict[str, Any]) -> None:
    packages = list_of(data.get("packages"))
    components = [c for c in (_component(sbom, p) for p in packages) if c is not None]
    creation = data.get("creationInfo") if isinstance(data.get("creationInfo"), dict) else {}
    assert isinstance(creation, dict)
    sbom.timestamp = date_of(creation.get("created"))
    creators = creation.get("creators")
    sbom.has_author = isinstance(creators, list) and any(
        isinstance(c, str) and c.strip() for c in creators
    )
    relationships = [r for r in list_of(data.get("relationships")) if isinstance(r, dict)]
    described = _described(data, relationships)
    sbom.components = components
    sbom.roots = [c for c in components if c.ref in described]
    edges, kinds_by_ref = _dependencies(relationships)
    sbom.has_dependencies = bool(edges)
    root_refs = {c.ref for c in sbom.roots if c.ref}
    if root_refs and any(ref in edges for ref in root_refs):
        sbom.direct_refs = frozenset(t for ref in root_refs for t in edges.get(ref, ()))
    sbom.not_shipped_refs = frozenset(
        ref for ref, kinds in kinds_by_ref.items() if kinds and kinds <= SPDX_NOT_SHIPPED
    )


def _described(data: dict[str, Any], relationships: list[dict[str, Any]]) -> set[str]:
    """The SPDXIDs the document describes: `documentDescribes` and DESCRIBES relationships."""
    document_id = text_of(data.get("SPDXID")) or "SPDXRef-DOCUMENT"
    described = {d for d in list_of(data.get("documentDescribes")) if isinstance(d, str)}
    for rel in relationships:
        kind = rel.get("relationshipType")
        source, target = rel.get("spdxElementId"), rel.get("relatedSpdxElement")
        if kind == "DESCRIBES" and source == document_id and isinstance(target, str):
            described.add(target)
        elif kind == "DESCRIBED_BY" and target == document_id and isinstance(source, str):
            described.add(source)
    return described


def _dependencies(relationships: list[dict[str, Any]]) -> tuple[Edges, Edges]:
    """Who depends on whom, and the dependency and not-shipped relationship types each
    element takes part in."""
    edges: Edges = {}
    kinds_by_ref: Edges = {}
    for rel in relationships:
        kind, source, target = (
            rel.get("relationshipType"),
            rel.get("spdxElementId"),
            rel.get("relatedSpdxElement"),
        )
        if not (isinstance(kind, str) and isinstance(source, str) and isinstance(target, str)):
            continue
        if kind in SPDX_NOT_SHIPPED:
            kinds_by_ref.setdefault(source, set()).add(kind)
            continue
        direction = SPDX_DEPENDS.get(kind)
        if direction == "forward":
            edges.setdefault(source, set()).add(target)
        elif direction == "reverse":
            edges.setdefault(target, set()).add(source)
        if direction:
            kinds_by_ref.setdefault(source, set()).add(kind)
            kinds_by_ref.setdefault(target, set()).add(kind)
    return edges, kinds_by_ref


def _component(sbom: SbomFile, obj: Any) -> Component | None:
    if not isinstance(obj, dict):
        return None
    ref = text_of(obj.get("SPDXID"))
    purl, other_ids = _identifiers(obj.get("externalRefs"))
    supplier = _agent(obj.get("supplier"))
    return Component(
        ref=ref,
        name=text_of(obj.get("name")),
        version=text_of(obj.get("versionInfo")),
        purl=purl,
        group=None,
        supplier=supplier,
        kind=text_of(obj.get("primaryPackagePurpose")),
        scope=None,
        has_identifier=bool(purl or other_ids),
        support_level=None,
        end_of_support=text_of(obj.get("validUntilDate")),
        line=sbom.line_of(ref, purl),
    )


def _identifiers(refs: Any) -> tuple[str | None, bool]:
    """The first purl of a package's `externalRefs`, and whether it has another unique id."""
    purl = None
    other_ids = False
    for external in refs if isinstance(refs, list) else []:
        if not isinstance(external, dict):
            continue
        kind = str(external.get("referenceType") or "").lower()
        locator = text_of(external.get("referenceLocator"))
        if kind == "purl" and locator and purl is None:
            purl = locator
        elif kind in _OTHER_IDENTIFIERS and locator:
            other_ids = True
    return purl, other_ids


def _agent(value: Any) -> str | None:
    text = text_of(value)
    if text is None:
        return None
    kind, sep, rest = text.partition(":")
    name = rest.strip() if sep and kind.strip() in ("Organization", "Person", "Tool") else text
    return None if name.strip().lower() in NO_ASSERTION else name.strip()
