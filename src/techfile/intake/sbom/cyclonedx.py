"""Reads a parsed CycloneDX JSON document into an SbomFile: its components (nested ones
too), the root in `metadata.component`, the root's direct dependencies, who wrote it and
when, and the vulnerabilities it carries (VEX)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from techfile.intake.sbom.fields import date_of, first_name, has_name, name_of, text_of
from techfile.model.sbom import Component, SbomFile, Vulnerability

# Property names (namespace stripped, letters and digits only, lower case) that carry the
# support information FDA premarket guidance expects per component.
SUPPORT_LEVEL_NAMES = frozenset({"supportlevel", "levelofsupport", "support", "supportstatus"})
END_OF_SUPPORT_NAMES = frozenset(
    {
        "endofsupport",
        "endofsupportdate",
        "eos",
        "eosdate",
        "supportenddate",
        "supportuntil",
        "endoflife",
        "endoflifedate",
        "eol",
        "eoldate",
    }
)


def read_cyclonedx(sbom: SbomFile, data: dict[str, Any]) -> None:
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    assert isinstance(metadata, dict)
    root = metadata.get("component")
    if isinstance(root, dict):
        sbom.roots = [_component(sbom, root)]
    sbom.components = [_component(sbom, c) for c in _walk(data.get("components"))]
    sbom.timestamp = date_of(metadata.get("timestamp"))
    sbom.has_author = any(
        metadata.get(key) for key in ("authors", "author", "manufacture", "manufacturer", "tools")
    ) or has_name(metadata.get("supplier"))
    graph = _dependency_graph(data.get("dependencies"))
    sbom.has_dependencies = bool(graph)
    root_ref = sbom.roots[0].ref if sbom.roots else None
    if root_ref and root_ref in graph:
        sbom.direct_refs = frozenset(graph[root_ref])
    sbom.vulnerabilities = list(_vulnerabilities(sbom, data.get("vulnerabilities")))


def _dependency_graph(dependencies: Any) -> dict[str, list[str]]:
    """What each `ref` of `dependencies` says it depends on."""
    graph: dict[str, list[str]] = {}
    if isinstance(dependencies, list):
        for entry in dependencies:
            if isinstance(entry, dict) and isinstance(entry.get("ref"), str):
                depends = entry.get("dependsOn")
                graph[entry["ref"]] = [
                    d for d in (depends if isinstance(depends, list) else []) if isinstance(d, str)
                ]
    return graph


def _walk(components: Any) -> Iterator[dict[str, Any]]:
    if not isinstance(components, list):
        return
    for component in components:
        if isinstance(component, dict):
            yield component
            yield from _walk(component.get("components"))


def _component(sbom: SbomFile, obj: dict[str, Any]) -> Component:
    ref = text_of(obj.get("bom-ref"))
    purl = text_of(obj.get("purl"))
    name = text_of(obj.get("name"))
    supplier = (
        name_of(obj.get("supplier"))
        or name_of(obj.get("manufacturer"))
        or text_of(obj.get("publisher"))
        or text_of(obj.get("author"))
        or first_name(obj.get("authors"))
    )
    has_identifier = bool(
        purl
        or text_of(obj.get("cpe"))
        or isinstance(obj.get("swid"), dict)
        or obj.get("omniborId")
        or obj.get("swhid")
    )
    level, end = _support(obj.get("properties"))
    return Component(
        ref=ref,
        name=name,
        version=text_of(obj.get("version")),
        purl=purl,
        group=text_of(obj.get("group")),
        supplier=supplier,
        kind=text_of(obj.get("type")),
        scope=text_of(obj.get("scope")),
        has_identifier=has_identifier,
        support_level=level,
        end_of_support=end,
        line=sbom.line_of(ref, purl, name),
    )


def _support(properties: Any) -> tuple[str | None, str | None]:
    level = end = None
    if not isinstance(properties, list):
        return None, None
    for prop in properties:
        if not isinstance(prop, dict):
            continue
        name, value = text_of(prop.get("name")), text_of(prop.get("value"))
        if not name or not value:
            continue
        short = re.sub(r"[^a-z0-9]", "", name.rsplit(":", 1)[-1].lower())
        if short in SUPPORT_LEVEL_NAMES and level is None:
            level = value
        elif short in END_OF_SUPPORT_NAMES and end is None:
            end = value
    return level, end


def _vulnerabilities(sbom: SbomFile, vulnerabilities: Any) -> Iterator[Vulnerability]:
    if not isinstance(vulnerabilities, list):
        return
    for entry in vulnerabilities:
        if not isinstance(entry, dict):
            continue
        vuln_id = text_of(entry.get("id")) or text_of(entry.get("bom-ref")) or "(no id)"
        affects = entry.get("affects")
        refs = tuple(
            a["ref"]
            for a in (affects if isinstance(affects, list) else [])
            if isinstance(a, dict) and isinstance(a.get("ref"), str)
        )
        analysis = entry.get("analysis") if isinstance(entry.get("analysis"), dict) else {}
        assert isinstance(analysis, dict)
        responses = analysis.get("response")
        yield Vulnerability(
            id=vuln_id,
            refs=refs,
            state=text_of(analysis.get("state")),
            responses=tuple(
                r for r in (responses if isinstance(responses, list) else []) if isinstance(r, str)
            ),
            justification=text_of(analysis.get("justification")),
            line=sbom.line_of(vuln_id),
        )
