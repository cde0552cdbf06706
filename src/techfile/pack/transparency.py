"""Software transparency: the SBOM (format, NTIA minimum elements, components), components past
or near their end of support, vulnerability status from VEX by analysis state, and the date of
the last vulnerability review.

SBOM and VEX files are read with `techfile.intake.sbom` from the files the sbom and
vulnerability-report documents name (and `[artifacts]`), inside the root only; the bytes read
are returned so that the pack's input hash covers them.
"""

from __future__ import annotations

import datetime
import posixpath
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from techfile.intake import sbom as sb
from techfile.intake.sources import WorkTree
from techfile.model.diagnostics import Diagnostic
from techfile.model.document import Document
from techfile.model.register import latest_approval, parse_date, text
from techfile.model.view import RunView
from techfile.pack.data import SbomSummary, Transparency

SOON_DAYS = 365
NTIA = (
    "supplier name",
    "component name",
    "version",
    "unique identifier",
    "dependency relationships",
    "author of the SBOM data",
    "timestamp",
)
Reader = Callable[[str], bytes | Diagnostic]


def transparency(view: RunView, read: Reader) -> Transparency:
    sboms = _files(view, "sbom", "sbom", read)
    vexes = _files(view, "vulnerability-report", "vex", read)
    past, near, unknown = _support(view, [f for _, f in sboms])
    states: Counter[str] = Counter()
    for _, loaded in sboms + vexes:
        for vulnerability in loaded.vulnerabilities:
            states[vulnerability.state or "not stated"] += 1
    for document in view.index.of_type("vulnerability-report"):
        for item in document.items.get("vulnerabilities", []):
            states[text(item.get("state")) or "not stated"] += 1
    return Transparency(
        sboms=tuple(_summary(label, loaded) for label, loaded in sboms),
        past_support=tuple(past),
        near_support=tuple(near),
        support_unknown=unknown,
        vulnerability_states=tuple(sorted(states.items())),
        vex_sources=tuple(label for label, _ in vexes),
        supplier=next((c.supplier for _, f in sboms for c in f.roots if c.supplier), ""),
        last_review=_last_review(view),
    )


def _files(
    view: RunView, doc_type: str, artifact: str, read: Reader
) -> list[tuple[str, sb.SbomFile]]:
    """(label, file) of each readable-or-not file the documents of `doc_type` name, then the
    `[artifacts]` entry; paths outside the root are not read."""
    named: list[tuple[str, str]] = []
    for document in view.index.of_type(doc_type):
        value = text(document.meta.get("file"))
        if value is not None:
            path = posixpath.normpath(posixpath.join(posixpath.dirname(document.path), value))
            named.append((document.label(), path))
    configured = view.config.artifacts
    value = configured.get(artifact) if isinstance(configured, dict) else None
    if isinstance(value, str) and value.strip():
        path = posixpath.normpath(value.strip())
        named.append((path, path))
    found: list[tuple[str, sb.SbomFile]] = []
    seen: set[str] = set()
    for label, path in named:
        if path in seen or path.startswith("../") or path == ".." or posixpath.isabs(path):
            continue
        seen.add(path)
        found.append((label, sb.load(read(path), view.root / path, path)))
    return found


def _summary(label: str, loaded: sb.SbomFile) -> SbomSummary:
    if not loaded.readable:
        problem = loaded.problem or f"is {loaded.format_label()}, which techfile does not read"
        return SbomSummary(label, loaded.display, loaded.format_label(), problem, 0, (), False)
    components = loaded.shipped_components()
    lacking = {
        "supplier name": sum(1 for c in components if not c.supplier),
        "component name": sum(1 for c in components if not c.name),
        "version": sum(1 for c in components if not c.version),
        "unique identifier": sum(1 for c in components if not c.has_identifier),
        "dependency relationships": 0 if loaded.has_dependencies else 1,
        "author of the SBOM data": 0 if loaded.has_author else 1,
        "timestamp": 0 if loaded.timestamp else 1,
    }
    missing = tuple((element, lacking[element]) for element in NTIA if lacking[element])
    return SbomSummary(
        label, loaded.display, loaded.format_label(), "", len(components), missing, not missing
    )


def _support(view: RunView, files: list[sb.SbomFile]) -> tuple[list[str], list[str], int]:
    """Components past / near their end of support, and how many have no end-of-support date
    (the SOUP list's word wins over the SBOM's for a component both name)."""
    ends: dict[str, tuple[str, str | None]] = {}
    for loaded in files:
        for component in loaded.shipped_components():
            ends[component.label().casefold()] = (component.label(), component.end_of_support)
    for document in view.index.of_type("soup-list"):
        for item in document.items.get("items", []):
            name = " ".join(t for t in (text(item.get("name")), text(item.get("version"))) if t)
            stated = text(item.get("end_of_support"))
            known = ends.get(name.casefold())
            if stated is not None or known is None:
                ends[name.casefold()] = (name or str(item.id), stated)
    dated = sorted(
        (day, name) for name, end in ends.values() if (day := parse_date(end)) is not None
    )
    soon = view.as_of + datetime.timedelta(days=SOON_DAYS)
    past = [f"{name} (ended {day.isoformat()})" for day, name in dated if day < view.as_of]
    near = [f"{name} (ends {day.isoformat()})" for day, name in dated if view.as_of <= day <= soon]
    return past, near, len(ends) - len(dated)


def _last_review(view: RunView) -> str:
    """The newest dated vulnerability review: a vulnerability report's date or approval, or a
    SOUP list's anomaly review."""
    found: list[tuple[datetime.date, str]] = []
    for document in view.index.of_type("vulnerability-report"):
        day = parse_date(document.meta.get("date")) or _approved(view, document)
        if day is not None:
            found.append((day, f"vulnerability report {document.label()}"))
    for document in view.index.of_type("soup-list"):
        for item in document.items.get("items", []):
            review = item.get("anomaly_review")
            day = parse_date(review.get("date")) if isinstance(review, dict) else None
            if day is not None and day <= view.as_of:
                found.append((day, f"anomaly reviews of {document.label()}"))
    if not found:
        return ""
    day, where = max(found)
    return f"{day.isoformat()} ({where})"


def _approved(view: RunView, document: Document) -> datetime.date | None:
    approval = latest_approval(view, document)
    return approval.date if approval else None


def reader_for(recorded: dict[str, bytes], read: Reader) -> Reader:
    """Read a root-relative path once, keeping its bytes in `recorded` (the input hash)."""

    def read_once(path: str) -> bytes | Diagnostic:
        if path in recorded:
            return recorded[path]
        data = read(path)
        if isinstance(data, bytes):
            recorded[path] = data
        return data

    return read_once


def disk_reader(root: Path, max_size: int) -> Reader:
    return WorkTree(root, max_size).read_path
