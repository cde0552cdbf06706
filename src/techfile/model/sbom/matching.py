"""How SBOM components are told apart and matched: normalised names and versions, package
URLs, the names a SOUP list may use for a component, and components kept once per identity.
"""

from __future__ import annotations

import functools
import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass

from techfile.model.sbom.files import Component


def normalise_name(name: str) -> str:
    """Case and the separators `-`, `_`, `.` do not tell packages apart (`Fhir_Resources`
    and `fhir.resources` are one package)."""
    return re.sub(r"[-_.\s]+", "-", name.strip().casefold())


def normalise_version(version: str) -> str:
    text = version.strip().casefold()
    return text[1:] if len(text) > 1 and text[0] == "v" and text[1].isdigit() else text


@dataclass(frozen=True, slots=True)
class Purl:
    type: str
    namespace: str
    name: str
    version: str | None

    def without_version(self) -> tuple[str, str, str]:
        return (self.type, self.namespace, self.name)


@functools.lru_cache(maxsize=65536)
def parse_purl(text: str | None) -> Purl | None:
    """A package URL without qualifiers and subpath, case-folded; pypi names normalised."""
    if not text or not text.strip().lower().startswith("pkg:"):
        return None
    body = text.strip()[4:].lstrip("/")
    body = body.split("#", 1)[0].split("?", 1)[0]
    path, _, version = body.rpartition("@") if "@" in body else (body, "", "")
    parts = [urllib.parse.unquote(p) for p in path.split("/") if p]
    if len(parts) < 2:
        return None
    purl_type = parts[0].casefold()
    name = parts[-1].casefold()
    namespace = "/".join(parts[1:-1]).casefold()
    if purl_type == "pypi":
        name = normalise_name(name)
    version_text = urllib.parse.unquote(version) if version else None
    return Purl(
        purl_type, namespace, name, normalise_version(version_text) if version_text else None
    )


@functools.lru_cache(maxsize=65536)
def component_names(component: Component) -> frozenset[str]:
    """The normalised names a SOUP list may use for a component."""
    names: set[str] = set()
    if component.name:
        names.add(normalise_name(component.name))
        if component.group:
            for sep in ("/", ":", "."):
                names.add(normalise_name(f"{component.group}{sep}{component.name}"))
    purl = parse_purl(component.purl)
    if purl is not None:
        names.add(normalise_name(purl.name))
        if purl.namespace:
            names.add(normalise_name(f"{purl.namespace}/{purl.name}"))
    return frozenset(names)


def unique(components: Iterable[Component]) -> list[Component]:
    """Components with the same identity (purl, else name and version) kept once."""
    seen: set[tuple[str, ...]] = set()
    kept = []
    for component in components:
        purl = parse_purl(component.purl)
        identity: tuple[str, ...]
        if purl is not None:
            identity = ("purl", *purl.without_version(), purl.version or "")
        else:
            identity = (
                "name",
                normalise_name(component.name or component.ref or ""),
                normalise_version(component.version or ""),
            )
        if identity not in seen:
            seen.add(identity)
            kept.append(component)
    return kept
