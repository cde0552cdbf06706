"""What an SBOM or VEX file says, once read: its components (with purl, supplier and support
information), the root it describes, which components are the root's direct dependencies and
which are only built, developed or tested with, and the vulnerabilities a CycloneDX file
carries (VEX). Plain types; the readers are in `techfile.intake.sbom`.
"""

from __future__ import annotations

import datetime
import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from techfile.data.sbom_schemas import CYCLONEDX, SPDX, SPDX3

# CycloneDX component types that are not software, so never SOUP.
NOT_SOFTWARE = frozenset(
    {"file", "data", "device", "machine-learning-model", "cryptographic-asset"}
)
SPDX_NOT_SOFTWARE = frozenset({"FILE", "DEVICE"})


@dataclass(frozen=True, slots=True)
class Component:
    ref: str | None  # CycloneDX bom-ref or SPDX SPDXID
    name: str | None
    version: str | None
    purl: str | None
    group: str | None
    supplier: str | None
    kind: str | None  # CycloneDX type or SPDX primaryPackagePurpose
    scope: str | None  # CycloneDX scope (required | optional | excluded)
    has_identifier: bool  # purl, CPE, SWID or another unique id (NTIA)
    support_level: str | None
    end_of_support: str | None
    line: int

    def label(self) -> str:
        """`name version`, as a regulatory lead would write it."""
        name = self.name or self.purl or self.ref or "(unnamed component)"
        if self.group and self.name and not self.purl:
            name = f"{self.group}/{self.name}"
        return f"{name} {self.version}" if self.version else name

    def key(self) -> str:
        """A stable text naming the component: its purl, else name@version."""
        if self.purl:
            return self.purl
        name = f"{self.group}/{self.name}" if self.group and self.name else self.name
        return f"{name}@{self.version}" if self.version else str(name or self.ref or "")


@dataclass(frozen=True, slots=True)
class Vulnerability:
    id: str
    refs: tuple[str, ...]  # what it affects: bom-refs, BOM-links or purls
    state: str | None
    responses: tuple[str, ...]
    justification: str | None
    line: int


@dataclass
class SbomFile:
    path: Path  # absolute
    display: str  # root-relative POSIX path, or the path as given when outside the root
    problem: str | None = None  # why the file could not be read as JSON at all
    problem_line: int = 0
    encoding: str = "utf-8"
    text: str = ""
    data: Any = None
    format: str | None = None  # CYCLONEDX | SPDX | SPDX3 | None
    spec_version: str | None = None
    components: list[Component] = field(default_factory=list)
    roots: list[Component] = field(default_factory=list)
    direct_refs: frozenset[str] | None = None  # None: the file does not say
    not_shipped_refs: frozenset[str] = frozenset()
    has_dependencies: bool = False
    has_author: bool = False
    timestamp: datetime.date | None = None
    vulnerabilities: list[Vulnerability] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        return self.problem is None and self.format in (CYCLONEDX, SPDX)

    def format_label(self) -> str:
        if self.format == CYCLONEDX:
            return f"CycloneDX {self.spec_version or '(no specVersion)'} JSON"
        if self.format == SPDX:
            return f"SPDX {self.spec_version or '(no spdxVersion)'} JSON"
        if self.format == SPDX3:
            return "SPDX 3 JSON-LD"
        return "JSON"

    def shipped_components(self) -> list[Component]:
        """Components delivered with the software: not the root, not excluded, not a build,
        development or test tool, and software rather than files, data or hardware."""
        root_refs = {c.ref for c in self.roots if c.ref}
        shipped = []
        for component in self.components:
            if component.ref and component.ref in root_refs:
                continue
            if component.scope == "excluded" or component.ref in self.not_shipped_refs:
                continue
            kind = (component.kind or "").strip()
            if kind.lower() in NOT_SOFTWARE or kind.upper() in SPDX_NOT_SOFTWARE:
                continue
            shipped.append(component)
        return shipped

    def line_of(self, *texts: str | None) -> int:
        """Line of the first of `texts` that appears in the file as a JSON string value."""
        for text in texts:
            if text:
                line = _value_lines(self.text).get(text)
                if line:
                    return line
        return 0


_STRING_VALUE = re.compile(r'"(?:bom-ref|purl|SPDXID|name|id)"\s*:\s*("(?:[^"\\\n]|\\.)*")')


@functools.lru_cache(maxsize=16)
def _value_lines(text: str) -> dict[str, int]:
    """First line of each string value of the keys that identify components and vulnerabilities."""
    lines: dict[str, int] = {}
    line, last = 1, 0
    for match in _STRING_VALUE.finditer(text):
        line += text.count("\n", last, match.start())
        last = match.start()
        try:
            value = json.loads(match.group(1))
        except ValueError:
            continue
        if isinstance(value, str):
            lines.setdefault(value.strip(), line)
    return lines
