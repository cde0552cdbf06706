"""The known vulnerabilities of the current release and what was decided about each, read once
for SC005 and SC006: the `vulnerabilities` of the current CycloneDX SBOMs and VEX files and the
items of the `vulnerability-report` documents, each with its analysis (state, justification,
responses, detail) and whether it names a component delivered with the software."""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from typing import Any

from techfile.model import sbom as sb
from techfile.model.document import Document, Item
from techfile.model.finding import Location
from techfile.rules.base import Context
from techfile.rules.supply_chain.common import EXAMPLES, PLACEHOLDERS, _filled, _text
from techfile.rules.supply_chain.matching import _item_names
from techfile.rules.supply_chain.soup import _current_soup
from techfile.rules.supply_chain.sources import Source, _same_version, sources

IN_TRIAGE = frozenset({"in_triage", "under_investigation", "in-triage", "under investigation"})
AFFECTED = frozenset({"exploitable", "affected"})
NOT_AFFECTED = frozenset({"not_affected", "not affected", "not-affected"})
_WILL_NOT_FIX = re.compile(r"will[\s_-]*not[\s_-]*fix|won'?t[\s_-]*fix", re.IGNORECASE)


@dataclass(frozen=True)
class Shipped:
    refs: frozenset[str]
    purls: tuple[sb.Purl, ...]
    names: frozenset[tuple[str, str | None]]  # normalised name, normalised version
    known: bool  # False: nothing says what is shipped, so every entry counts

    def names_text(self, text: str) -> bool:
        """Whether a free-text component (`numpy`, `numpy@2.1.3`, `numpy 2.1.3`, a purl) is
        shipped."""
        if not self.known:
            return True
        purl = sb.parse_purl(text)
        if purl is not None:
            return self.has_purl(purl)
        match = re.match(r"^\s*(.+?)(?:\s*@\s*|\s+v?)(\d[\w.+-]*)\s*$", text)
        name, version = (match[1], match[2]) if match else (text, None)
        normal = sb.normalise_name(name)
        wanted = sb.normalise_version(version) if version else None
        return any(
            n == normal and (wanted is None or v is None or v == wanted) for n, v in self.names
        )

    def has_purl(self, purl: sb.Purl) -> bool:
        return any(
            p.without_version() == purl.without_version()
            and (p.version is None or purl.version is None or p.version == purl.version)
            for p in self.purls
        ) or any(
            n == sb.normalise_name(purl.name)
            and (v is None or purl.version is None or v == purl.version)
            for n, v in self.names
        )


def shipped(ctx: Context) -> Shipped:
    """What the technical file says is delivered: the current SBOMs' components (and roots)
    and the current SOUP items."""
    return ctx.shared("supply-chain-shipped", lambda: _read_shipped(ctx))


def _read_shipped(ctx: Context) -> Shipped:
    boms = [s for s in sources(ctx).of("sbom") if s.file.readable and s.current(ctx)]
    components = [c for s in boms for c in (*s.file.roots, *s.file.shipped_components())]
    refs = {c.ref for c in components if c.ref}
    purls = [p for p in (sb.parse_purl(c.purl) for c in components) if p is not None]
    names = {
        (name, sb.normalise_version(c.version) if c.version else None)
        for c in components
        for name in sb.component_names(c)
    }
    for entry in _current_soup(ctx):
        identity = entry.identity
        if identity.purl is not None:
            purls.append(identity.purl)
        names.update((name, identity.version) for name in _item_names(identity))
    known = bool(components) or bool(names)
    return Shipped(frozenset(refs), tuple(purls), frozenset(names), known)


def _bom_ref(ref: str) -> str:
    """The component reference of a BOM-link (`urn:cdx:serial/1#ref`), else the ref."""
    if ref.startswith("urn:cdx:") and "#" in ref:
        return urllib.parse.unquote(ref.split("#", 1)[1])
    return ref


def _affects_shipped(vuln: sb.Vulnerability, source: Source, known: Shipped) -> bool:
    if not vuln.refs or not known.known or source.kind == "sbom":
        return True
    local = {c.ref: c for c in (*source.file.roots, *source.file.components) if c.ref}
    roots = {c.ref for c in source.file.roots if c.ref}
    for raw in vuln.refs:
        ref = _bom_ref(raw)
        if ref in known.refs or ref in roots:
            return True
        purl = sb.parse_purl(ref)
        if purl is not None and known.has_purl(purl):
            return True
        component = local.get(ref)
        if component is not None:
            purl = sb.parse_purl(component.purl)
            if (purl is not None and known.has_purl(purl)) or (
                component.name
                and known.names_text(f"{component.name} {component.version or ''}".strip())
            ):
                return True
    return False


def _affected_names(vuln: sb.Vulnerability, source: Source) -> str | None:
    """The components the entry names (at most EXAMPLES), None when it names none."""
    local = {c.ref: c for c in (*source.file.roots, *source.file.components) if c.ref}
    names = []
    for raw in vuln.refs:
        ref = _bom_ref(raw)
        component = local.get(ref)
        names.append(component.label() if component else ref)
    return ", ".join(sorted(set(names))[:EXAMPLES]) or None


@dataclass(frozen=True)
class Assessment:
    """One known vulnerability of the current release and what was decided about it."""

    vuln_id: str
    where: str  # the report or file that lists it
    affects: str | None  # the components it names; None when it names none
    state: str | None  # as written
    responses: tuple[str, ...]  # as written
    justification: str | None  # CycloneDX analysis.justification, or a report's column
    detail: str | None  # CycloneDX analysis.detail (a report's justification column doubles)
    location: Location
    related: tuple[Location, ...]
    key: tuple[str, ...]
    document: Document | None = None  # the vulnerability-report the item is in
    item: Item | None = None  # the report's item (None for an SBOM or VEX entry)

    @property
    def normal_state(self) -> str:
        """The state, lower case; empty when none is recorded (or a placeholder)."""
        normal = (self.state or "").strip().casefold()
        return "" if normal in PLACEHOLDERS else normal

    @property
    def will_not_fix(self) -> bool:
        return any(_WILL_NOT_FIX.search(r) for r in self.responses)

    @property
    def rationale(self) -> str | None:
        """The text that explains the decision: the detail, else the justification."""
        return self.detail or self.justification


def assessments(ctx: Context) -> list[Assessment]:
    """Every known vulnerability of the current release that names a delivered component
    (every one, where the technical file says nothing about what is delivered)."""
    return ctx.shared("supply-chain-assessments", lambda: _read_assessments(ctx))


def _read_assessments(ctx: Context) -> list[Assessment]:
    found = sources(ctx)
    known = shipped(ctx)
    boms = [s for s in found.of("sbom") if s.file.readable and s.current(ctx)]
    vexes = [s for s in found.of("vex") if s.file.readable and s.current(ctx)]
    result: list[Assessment] = []
    for source in [*boms, *vexes]:
        details = _details(source)
        for index, vuln in enumerate(source.file.vulnerabilities):
            if _affects_shipped(vuln, source, known):
                result.append(_from_file(source, vuln, details[index] if details else None))
    for document in ctx.index.of_type("vulnerability-report"):
        if _same_version(document, ctx):
            result.extend(_from_report(document, known))
    return result


def _details(source: Source) -> list[str | None]:
    """`analysis.detail` of each vulnerability of a CycloneDX file, in the order the reader
    lists them (one per mapping entry); empty when the two do not line up."""
    data = source.file.data
    entries = data.get("vulnerabilities") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return []
    details: list[str | None] = []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        analysis = entry.get("analysis")
        detail = analysis.get("detail") if isinstance(analysis, dict) else None
        details.append(_text(detail))
    return details if len(details) == len(source.file.vulnerabilities) else []


def _from_file(source: Source, vuln: sb.Vulnerability, detail: str | None) -> Assessment:
    return Assessment(
        vuln.id,
        source.name(),
        _affected_names(vuln, source),
        vuln.state,
        vuln.responses,
        vuln.justification,
        detail,
        source.at(vuln.line, vuln.id),
        source.related(vuln.line),
        (source.file.display, vuln.id, *vuln.refs),
    )


def _from_report(document: Document, known: Shipped) -> list[Assessment]:
    result = []
    for item in document.items.get("vulnerabilities", []):
        component = _text(item.get("component"))
        if component and not known.names_text(component):
            continue
        response = _text(item.get("response"))
        result.append(
            Assessment(
                item.id or "(no id)",
                document.label(),
                component,
                _text(item.get("state")),
                (response,) if _filled(response) and response else (),
                _text(item.get("justification")) if _filled(item.get("justification")) else None,
                None,
                item.location_of("state"),
                (),
                (item.id or "", component or ""),
                document,
                item,
            )
        )
    return result


def as_text(value: Any) -> list[str]:
    """Every text in a value (a list or mapping searched through)."""
    if isinstance(value, dict):
        return [t for v in value.values() for t in as_text(v)]
    if isinstance(value, list):
        return [t for v in value for t in as_text(v)]
    text = _text(value)
    return [text] if text else []
