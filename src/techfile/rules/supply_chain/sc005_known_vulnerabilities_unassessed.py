"""SC005 known-vulnerabilities-unassessed: a known vulnerability in a component delivered
with the software has no analysis state (error), is still in triage or is affected without a
response (warnings), or the vulnerability report is older than the SBOM (warning)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass

from techfile.data.severity import Severity
from techfile.model import sbom as sb
from techfile.model.finding import Finding, Location
from techfile.rules.base import Context, rule
from techfile.rules.supply_chain.common import (
    EXAMPLES,
    PLACEHOLDERS,
    _as_date,
    _filled,
    _ref,
    _text,
)
from techfile.rules.supply_chain.soup import _current_soup
from techfile.rules.supply_chain.sources import Source, _same_version, sources

IN_TRIAGE = frozenset({"in_triage", "under_investigation", "in-triage", "under investigation"})
AFFECTED = frozenset({"exploitable", "affected"})


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


def _shipped(ctx: Context) -> Shipped:
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
        if identity.name:
            names.add((identity.name, identity.version))
    known = bool(components) or bool(names)
    return Shipped(frozenset(refs), tuple(purls), frozenset(names), known)


def _bom_ref(ref: str) -> str:
    """The component reference of a BOM-link (`urn:cdx:serial/1#ref`), else the ref."""
    if ref.startswith("urn:cdx:") and "#" in ref:
        import urllib.parse

        return urllib.parse.unquote(ref.split("#", 1)[1])
    return ref


def _affects_shipped(vuln: sb.Vulnerability, source: Source, shipped: Shipped) -> bool:
    if not vuln.refs or not shipped.known or source.kind == "sbom":
        return True
    local = {c.ref: c for c in (*source.file.roots, *source.file.components) if c.ref}
    roots = {c.ref for c in source.file.roots if c.ref}
    for raw in vuln.refs:
        ref = _bom_ref(raw)
        if ref in shipped.refs or ref in roots:
            return True
        purl = sb.parse_purl(ref)
        if purl is not None and shipped.has_purl(purl):
            return True
        component = local.get(ref)
        if component is not None:
            purl = sb.parse_purl(component.purl)
            if (purl is not None and shipped.has_purl(purl)) or (
                component.name
                and shipped.names_text(f"{component.name} {component.version or ''}".strip())
            ):
                return True
    return False


def _affected_names(vuln: sb.Vulnerability, source: Source) -> str:
    local = {c.ref: c for c in (*source.file.roots, *source.file.components) if c.ref}
    names = []
    for raw in vuln.refs:
        ref = _bom_ref(raw)
        component = local.get(ref)
        names.append(component.label() if component else ref)
    return ", ".join(sorted(set(names))[:EXAMPLES]) or "no component"


def _assessment_findings(
    ctx: Context,
    where: str,
    vuln_id: str,
    affects: str,
    state: str | None,
    responses: bool,
    location: Location,
    related: tuple[Location, ...],
    key: tuple[str, ...],
) -> Iterator[Finding]:
    clause = _ref(ctx, "vulnerability-analysis")
    normal = (state or "").strip().casefold()
    if not normal or normal in PLACEHOLDERS:
        yield ctx.finding(
            "SC005",
            f"known vulnerability {vuln_id} in {where} affects {affects}, which is delivered with "
            f"the software, but has no analysis state; {clause} expects every known "
            "vulnerability to be analysed, and a notified body (and FDA, for a US submission) "
            "will ask whether the device is affected. Record the state: not_affected with a "
            "justification, exploitable/affected with a response, or resolved/fixed",
            location,
            clause=clause,
            key=(*key, "no-state"),
            related=related,
        )
    elif normal in IN_TRIAGE:
        yield ctx.finding(
            "SC005",
            f"known vulnerability {vuln_id} in {where} affects {affects} and is still "
            f"`{state}`; no decision has been recorded, and a notified body will ask whether the "
            f"released device is affected ({clause}). Finish the analysis and record the state",
            location,
            severity=Severity.WARNING,
            clause=clause,
            key=(*key, "triage"),
            related=related,
        )
    elif normal in AFFECTED and not responses:
        yield ctx.finding(
            "SC005",
            f"known vulnerability {vuln_id} in {where} affects {affects} and is `{state}`, but no "
            f"response is recorded; a notified body will ask what was decided ({clause}). Record "
            "the response (update, workaround_available, will_not_fix with its risk rationale, …)",
            location,
            severity=Severity.WARNING,
            clause=clause,
            key=(*key, "response"),
            related=related,
        )


@rule("SC005")
def known_vulnerabilities_unassessed(ctx: Context) -> Iterator[Finding]:
    found = sources(ctx)
    shipped = _shipped(ctx)
    boms = [s for s in found.of("sbom") if s.file.readable and s.current(ctx)]
    newest = max((s.file.timestamp for s in boms if s.file.timestamp), default=None)
    newest_source = next((s for s in boms if s.file.timestamp == newest), None)
    for source in [*boms, *(s for s in found.of("vex") if s.file.readable and s.current(ctx))]:
        for vuln in source.file.vulnerabilities:
            if not _affects_shipped(vuln, source, shipped):
                continue
            yield from _assessment_findings(
                ctx,
                source.name(),
                vuln.id,
                _affected_names(vuln, source),
                vuln.state,
                bool(vuln.responses),
                source.at(vuln.line, vuln.id),
                source.related(vuln.line),
                (source.file.display, vuln.id, *vuln.refs),
            )
        stamp = source.file.timestamp
        if source.kind == "vex" and newest and stamp and newest_source and stamp < newest:
            yield _older(ctx, source.name(), stamp, newest, newest_source, source.location)
    for document in ctx.index.of_type("vulnerability-report"):
        if not _same_version(document, ctx):
            continue
        for item in document.items.get("vulnerabilities", []):
            component = _text(item.get("component"))
            if component and not shipped.names_text(component):
                continue
            response = item.get("response")
            yield from _assessment_findings(
                ctx,
                document.label(),
                item.id or "(no id)",
                component or "no named component",
                _text(item.get("state")),
                _filled(response) or _filled(item.get("justification")),
                item.location_of("state"),
                (),
                (item.id or "", component or ""),
            )
        date = _as_date(document.meta.get("date"))
        if newest and date and newest_source and date < newest:
            yield _older(
                ctx, document.label(), date, newest, newest_source, document.location("date")
            )


def _older(
    ctx: Context,
    name: str,
    date: datetime.date,
    newest: datetime.date,
    sbom_source: Source,
    location: Location,
) -> Finding:
    clause = _ref(ctx, "vulnerability-analysis")
    return ctx.finding(
        "SC005",
        f"the vulnerability report {name} is dated {date.isoformat()}, before the SBOM "
        f"{sbom_source.name()}, created {newest.isoformat()}; components added or updated since "
        f"were not assessed, and a notified body will ask for an assessment of the software as "
        f"released ({clause}). Repeat the vulnerability assessment against the current SBOM",
        location,
        severity=Severity.WARNING,
        clause=clause,
        key=("older-than-sbom",),
    )
