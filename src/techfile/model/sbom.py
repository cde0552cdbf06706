"""Machine-readable SBOM and VEX files: CycloneDX JSON and SPDX 2.x JSON.

Reads a file with a size limit and never raises on bad input: what cannot be read, decoded or
parsed is returned as a `problem`. Gives the rules the components (with purl, supplier and
support information), the root the SBOM describes, which components are its direct
dependencies, the vulnerabilities a CycloneDX file carries (VEX), and the errors of the file
against the official JSON schema of its format and version, shipped in `data/sbom/`
(see data/NOTES-sbom.md). Nothing is looked up online.

Encoding: JSON exchanged between systems is UTF-8 (RFC 8259). A UTF-8 byte-order mark, and
UTF-16 or UTF-32 text that starts with a byte-order mark (older JSON RFCs allowed them, and some
Windows tools still write them), are read so that the other rules can work, and `encoding` says
which was found; SC003 warns about anything but plain UTF-8. Bytes that are not valid in the
detected encoding are a problem, never a crash.
"""

from __future__ import annotations

import codecs
import datetime
import functools
import json
import re
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from techfile.data.resources import bundled
from techfile.model.diagnostics import Diagnostic

CYCLONEDX = "cyclonedx"
SPDX = "spdx"
SPDX3 = "spdx3"

# CycloneDX JSON schemas by specVersion (1.2 and 1.3 in their "strict" form, as
# cyclonedx-python-lib's JsonStrictValidator uses them; 1.4 and later are strict as published).
CYCLONEDX_SCHEMAS = {
    "1.2": "bom-1.2-strict.SNAPSHOT.schema.json",
    "1.3": "bom-1.3-strict.SNAPSHOT.schema.json",
    "1.4": "bom-1.4.SNAPSHOT.schema.json",
    "1.5": "bom-1.5.SNAPSHOT.schema.json",
    "1.6": "bom-1.6.SNAPSHOT.schema.json",
    "1.7": "bom-1.7.SNAPSHOT.schema.json",
}
CYCLONEDX_XML_ONLY = ("1.0", "1.1")
CYCLONEDX_SHARED = (
    "spdx.SNAPSHOT.schema.json",
    "jsf-0.82.SNAPSHOT.schema.json",
    "cryptography-defs.SNAPSHOT.schema.json",
)
SPDX_SCHEMAS = {"2.2": "spdx-2.2.schema.json", "2.3": "spdx-2.3.schema.json"}

# CycloneDX component types that are not software, so never SOUP.
NOT_SOFTWARE = frozenset(
    {"file", "data", "device", "machine-learning-model", "cryptographic-asset"}
)
SPDX_NOT_SOFTWARE = frozenset({"FILE", "DEVICE"})
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
NO_ASSERTION = frozenset({"", "noassertion", "none", "unknown", "n/a", "na", "-"})


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


# ------------------------------------------------------------------------------ reading


def decode_json(raw: bytes) -> tuple[str, Any, str, str | None, int]:
    """Decode bytes (UTF-8, or UTF-16/32 with a byte-order mark) and parse them as JSON."""
    encoding = _encoding(raw)
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        where = f"at byte {exc.start}"
        return "", None, encoding, f"is not valid {_encoding_name(encoding)} ({where})", 0
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        return text, None, encoding, f"is not valid JSON: {exc.msg} (line {exc.lineno})", exc.lineno
    except (ValueError, RecursionError) as exc:
        return text, None, encoding, f"is not valid JSON: {_short(str(exc), 120)}", 0
    return text, data, encoding, None, 0


def _encoding(raw: bytes) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8"


def _encoding_name(encoding: str) -> str:
    return {"utf-8-sig": "UTF-8", "utf-16": "UTF-16", "utf-32": "UTF-32"}.get(encoding, "UTF-8")


def encoding_label(encoding: str) -> str:
    """How a person names the encoding of a file: `UTF-16 (with byte-order mark)`."""
    if encoding == "utf-8":
        return "UTF-8"
    return f"{_encoding_name(encoding)} with a byte-order mark"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def load(raw: bytes | Diagnostic, path: Path, display: str) -> SbomFile:
    """Interpret one SBOM or VEX file from its bytes (or the reason it could not be read)."""
    sbom = SbomFile(path, display)
    if isinstance(raw, Diagnostic):
        sbom.problem = _phrase(raw)
        return sbom
    return _parsed(sbom, decode_json(raw))


def load_path(path: Path, display: str, max_size: int) -> SbomFile:
    """Read one SBOM or VEX file from disk, with the same reader as every other file."""
    from techfile.intake.sources import WorkTree

    return load(WorkTree(path.parent, max_size).read_path(path.name), path, display)


def _phrase(problem: Diagnostic) -> str:
    """A reader's diagnostic as a predicate about the file: `does not exist`."""
    if problem.code == "FM010" and problem.key:
        return f"is larger than the {int(problem.key[0]):,}-byte limit (max-file-size)"
    text = problem.message.split("; techfile skipped it")[0]
    for subject in ("the file ", "the path "):
        if text.startswith(subject):
            return text[len(subject) :]
    return f"could not be read: {text}"


def _parsed(sbom: SbomFile, read: tuple[str, Any, str, str | None, int]) -> SbomFile:
    text, data, encoding, problem, line = read
    sbom.text, sbom.data, sbom.encoding = text, data, encoding
    sbom.problem, sbom.problem_line = problem, line
    if problem is None:
        _interpret(sbom)
    return sbom


def _interpret(sbom: SbomFile) -> None:
    data = sbom.data
    if not isinstance(data, dict):
        sbom.problem = (
            "is JSON but not an object, so it is neither a CycloneDX nor an SPDX document"
        )
        return
    if data.get("bomFormat") == "CycloneDX" or ("bomFormat" in data and "specVersion" in data):
        sbom.format = CYCLONEDX
        version = data.get("specVersion")
        sbom.spec_version = version if isinstance(version, str) else None
        _read_cyclonedx(sbom, data)
    elif isinstance(data.get("spdxVersion"), str):
        sbom.format = SPDX
        sbom.spec_version = data["spdxVersion"].removeprefix("SPDX-")
        _read_spdx(sbom, data)
    elif _is_spdx3(data):
        sbom.format = SPDX3
    else:
        sbom.problem = "is neither CycloneDX JSON (no `bomFormat`) nor SPDX JSON (no `spdxVersion`)"


def _is_spdx3(data: dict[str, Any]) -> bool:
    context = data.get("@context")
    values = context if isinstance(context, list) else [context]
    return any(isinstance(v, str) and "spdx.org/rdf/3" in v for v in values)


# ------------------------------------------------------------------------------ CycloneDX


def _read_cyclonedx(sbom: SbomFile, data: dict[str, Any]) -> None:
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    assert isinstance(metadata, dict)
    root = metadata.get("component")
    if isinstance(root, dict):
        sbom.roots = [_cdx_component(sbom, root)]
    sbom.components = [_cdx_component(sbom, c) for c in _cdx_walk(data.get("components"))]
    sbom.timestamp = _date(metadata.get("timestamp"))
    sbom.has_author = any(
        metadata.get(key) for key in ("authors", "author", "manufacture", "manufacturer", "tools")
    ) or _has_name(metadata.get("supplier"))
    dependencies = data.get("dependencies")
    graph: dict[str, list[str]] = {}
    if isinstance(dependencies, list):
        for entry in dependencies:
            if isinstance(entry, dict) and isinstance(entry.get("ref"), str):
                depends = entry.get("dependsOn")
                graph[entry["ref"]] = [
                    d for d in (depends if isinstance(depends, list) else []) if isinstance(d, str)
                ]
    sbom.has_dependencies = bool(graph)
    root_ref = sbom.roots[0].ref if sbom.roots else None
    if root_ref and root_ref in graph:
        sbom.direct_refs = frozenset(graph[root_ref])
    sbom.vulnerabilities = list(_cdx_vulnerabilities(sbom, data.get("vulnerabilities")))


def _cdx_walk(components: Any) -> Iterator[dict[str, Any]]:
    if not isinstance(components, list):
        return
    for component in components:
        if isinstance(component, dict):
            yield component
            yield from _cdx_walk(component.get("components"))


def _cdx_component(sbom: SbomFile, obj: dict[str, Any]) -> Component:
    ref = _text(obj.get("bom-ref"))
    purl = _text(obj.get("purl"))
    name = _text(obj.get("name"))
    supplier = (
        _name_of(obj.get("supplier"))
        or _name_of(obj.get("manufacturer"))
        or _text(obj.get("publisher"))
        or _text(obj.get("author"))
        or _first_name(obj.get("authors"))
    )
    has_identifier = bool(
        purl
        or _text(obj.get("cpe"))
        or isinstance(obj.get("swid"), dict)
        or obj.get("omniborId")
        or obj.get("swhid")
    )
    level, end = _support(obj.get("properties"))
    return Component(
        ref=ref,
        name=name,
        version=_text(obj.get("version")),
        purl=purl,
        group=_text(obj.get("group")),
        supplier=supplier,
        kind=_text(obj.get("type")),
        scope=_text(obj.get("scope")),
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
        name, value = _text(prop.get("name")), _text(prop.get("value"))
        if not name or not value:
            continue
        short = re.sub(r"[^a-z0-9]", "", name.rsplit(":", 1)[-1].lower())
        if short in SUPPORT_LEVEL_NAMES and level is None:
            level = value
        elif short in END_OF_SUPPORT_NAMES and end is None:
            end = value
    return level, end


def _cdx_vulnerabilities(sbom: SbomFile, vulnerabilities: Any) -> Iterator[Vulnerability]:
    if not isinstance(vulnerabilities, list):
        return
    for entry in vulnerabilities:
        if not isinstance(entry, dict):
            continue
        vuln_id = _text(entry.get("id")) or _text(entry.get("bom-ref")) or "(no id)"
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
            state=_text(analysis.get("state")),
            responses=tuple(
                r for r in (responses if isinstance(responses, list) else []) if isinstance(r, str)
            ),
            justification=_text(analysis.get("justification")),
            line=sbom.line_of(vuln_id),
        )


# ------------------------------------------------------------------------------ SPDX 2.x


def _read_spdx(sbom: SbomFile, data: dict[str, Any]) -> None:
    packages = data.get("packages")
    components = [c for c in (_spdx_component(sbom, p) for p in _list(packages)) if c is not None]
    creation = data.get("creationInfo") if isinstance(data.get("creationInfo"), dict) else {}
    assert isinstance(creation, dict)
    sbom.timestamp = _date(creation.get("created"))
    creators = creation.get("creators")
    sbom.has_author = isinstance(creators, list) and any(
        isinstance(c, str) and c.strip() for c in creators
    )
    relationships = [r for r in _list(data.get("relationships")) if isinstance(r, dict)]
    document_id = _text(data.get("SPDXID")) or "SPDXRef-DOCUMENT"
    described = {d for d in _list(data.get("documentDescribes")) if isinstance(d, str)}
    for rel in relationships:
        kind = rel.get("relationshipType")
        source, target = rel.get("spdxElementId"), rel.get("relatedSpdxElement")
        if kind == "DESCRIBES" and source == document_id and isinstance(target, str):
            described.add(target)
        elif kind == "DESCRIBED_BY" and target == document_id and isinstance(source, str):
            described.add(source)
    sbom.components = components
    sbom.roots = [c for c in components if c.ref in described]
    edges: dict[str, set[str]] = {}
    kinds_by_ref: dict[str, set[str]] = {}
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
    sbom.has_dependencies = bool(edges)
    root_refs = {c.ref for c in sbom.roots if c.ref}
    if root_refs and any(ref in edges for ref in root_refs):
        sbom.direct_refs = frozenset(t for ref in root_refs for t in edges.get(ref, ()))
    sbom.not_shipped_refs = frozenset(
        ref for ref, kinds in kinds_by_ref.items() if kinds and kinds <= SPDX_NOT_SHIPPED
    )


def _spdx_component(sbom: SbomFile, obj: Any) -> Component | None:
    if not isinstance(obj, dict):
        return None
    ref = _text(obj.get("SPDXID"))
    purl = None
    other_ids = False
    refs = obj.get("externalRefs")
    for external in refs if isinstance(refs, list) else []:
        if not isinstance(external, dict):
            continue
        kind = str(external.get("referenceType") or "").lower()
        locator = _text(external.get("referenceLocator"))
        if kind == "purl" and locator and purl is None:
            purl = locator
        elif kind in ("cpe22type", "cpe23type", "swid", "gitoid", "swh") and locator:
            other_ids = True
    supplier = _spdx_agent(obj.get("supplier"))
    return Component(
        ref=ref,
        name=_text(obj.get("name")),
        version=_text(obj.get("versionInfo")),
        purl=purl,
        group=None,
        supplier=supplier,
        kind=_text(obj.get("primaryPackagePurpose")),
        scope=None,
        has_identifier=bool(purl or other_ids),
        support_level=None,
        end_of_support=_text(obj.get("validUntilDate")),
        line=sbom.line_of(ref, purl),
    )


def _spdx_agent(value: Any) -> str | None:
    text = _text(value)
    if text is None:
        return None
    kind, sep, rest = text.partition(":")
    name = rest.strip() if sep and kind.strip() in ("Organization", "Person", "Tool") else text
    return None if name.strip().lower() in NO_ASSERTION else name.strip()


# ------------------------------------------------------------------------------ helpers


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _name_of(value: Any) -> str | None:
    return _text(value.get("name")) if isinstance(value, dict) else None


def _has_name(value: Any) -> bool:
    return _name_of(value) is not None


def _first_name(value: Any) -> str | None:
    if isinstance(value, list):
        for entry in value:
            name = _name_of(entry)
            if name:
                return name
    return None


def _date(value: Any) -> datetime.date | None:
    if not isinstance(value, str):
        return None
    match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if not match:
        return None
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


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


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ------------------------------------------------------------------------------ matching


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


# ------------------------------------------------------------------------------ schemas


@dataclass(frozen=True, slots=True)
class SchemaResult:
    checked: bool  # False: no schema for this format/version, `note` says why
    schema: str  # e.g. "CycloneDX 1.6 JSON schema"
    errors: int = 0
    first_path: str = ""
    first_message: str = ""
    note: str = ""


def validate(sbom: SbomFile) -> SchemaResult:
    """Check the file against the official JSON schema of its format and version."""
    return _validate(sbom, fast=False)


def validate_all(files: list[SbomFile]) -> list[SchemaResult]:
    """`validate` for each file. Where many files share a schema, a compiled yes/no check
    lets the valid ones through first; the verdicts are the same."""
    counts = Counter(_schema_of(file) for file in files)
    return [_validate(file, fast=counts[_schema_of(file)] >= FAST_FROM) for file in files]


def _schema_of(sbom: SbomFile) -> tuple[str | None, str | None]:
    return sbom.format, sbom.spec_version


def _validate(sbom: SbomFile, fast: bool) -> SchemaResult:
    version = sbom.spec_version or ""
    if sbom.format == CYCLONEDX:
        label = f"CycloneDX {version} JSON schema"
        if version in CYCLONEDX_XML_ONLY:
            return SchemaResult(False, label, note=f"CycloneDX {version} has no JSON format")
        if version not in CYCLONEDX_SCHEMAS:
            return SchemaResult(False, label, note=f"specVersion {version or '(missing)'} unknown")
        check = _cyclonedx_fast_check(version) if fast else None
        return _result(sbom.data, _cyclonedx_validator(version), check, label)
    if sbom.format == SPDX:
        label = f"SPDX {version} JSON schema"
        if version not in SPDX_SCHEMAS:
            return SchemaResult(False, label, note=f"spdxVersion SPDX-{version} unknown")
        check = _spdx_fast_check(version) if fast else None
        return _result(sbom.data, _spdx_validator(version), check, label)
    return SchemaResult(False, "schema", note="format not supported")


def _result(
    data: Any, validator: Any, fast_check: Callable[[Any], bool] | None, label: str
) -> SchemaResult:
    from jsonschema.exceptions import best_match

    if fast_check is not None and fast_check(data):
        return SchemaResult(True, label)
    errors = list(validator.iter_errors(data))
    if not errors:
        return SchemaResult(True, label)
    first = best_match(errors)
    message = first.message
    if first.validator == "enum" and isinstance(first.validator_value, list):
        allowed = [str(v) for v in first.validator_value]
        shown = ", ".join(allowed[:6]) + (", …" if len(allowed) > 6 else "")
        message = f"{json.dumps(first.instance)[:60]} is not one of the allowed values ({shown})"
    return SchemaResult(
        True,
        label,
        len(errors),
        json_path(first.absolute_path),
        _short(message, 200),
    )


def json_path(parts: Iterable[Any]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def schema_dir() -> Path:
    return bundled("data") / "sbom"


def _load_schema(*parts: str) -> Any:
    return json.loads((schema_dir().joinpath(*parts)).read_text(encoding="utf-8"))


def _canonical(value: Any) -> Any:
    """A JSON value in the form in which equal values (per JSON Schema) print the same:
    `1` and `1.0` are equal, `true` and `1` are not."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    return value


def _unique_items(validator: Any, unique: Any, instance: Any, schema: Any) -> Iterator[Any]:
    """`uniqueItems` in linear time (jsonschema compares every pair, which takes minutes on an
    SBOM of a few thousand components); same verdicts."""
    from jsonschema.exceptions import ValidationError

    if not unique or not validator.is_type(instance, "array"):
        return
    seen: set[str] = set()
    for element in instance:
        key = json.dumps(_canonical(element), sort_keys=True, ensure_ascii=False)
        if key in seen:
            yield ValidationError("has non-unique elements")
            return
        seen.add(key)


@functools.cache
def _draft7() -> Any:
    from jsonschema import Draft7Validator, validators

    extend: Any = validators.extend
    return extend(Draft7Validator, {"uniqueItems": _unique_items})


@functools.cache
def _cyclonedx_validator(version: str) -> Any:
    from referencing import Registry
    from referencing.jsonschema import DRAFT7

    registry: Registry[Any] = Registry().with_resources(
        (uri, DRAFT7.create_resource(schema)) for uri, schema in _cyclonedx_shared().items()
    )
    schema = _load_schema("cyclonedx", CYCLONEDX_SCHEMAS[version])
    return _draft7()(schema, registry=registry, format_checker=format_checker())


def _cyclonedx_shared() -> dict[str, Any]:
    """The schemas the CycloneDX schemas refer to, by the URI they use."""
    prefix = "http://cyclonedx.org/schema/"
    return {prefix + name: _load_schema("cyclonedx", name) for name in CYCLONEDX_SHARED}


@functools.cache
def _spdx_validator(version: str) -> Any:
    schema = _load_schema(SPDX_SCHEMAS[version])
    return _draft7()(schema, format_checker=format_checker())


_RFC3339_DATE_TIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$"
)


def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _RFC3339_DATE_TIME.match(value):
        return False
    try:
        datetime.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return False
    return True


def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_email(value: object) -> bool:
    return not isinstance(value, str) or "@" in value


def _any_text(value: object) -> bool:
    return True


# The formats checked, the same on every machine: `date-time` and `date` (RFC 3339) and
# e-mail addresses. IRI and URI formats are not checked.
FORMAT_CHECKS: dict[str, Callable[[object], bool]] = {
    "date-time": _is_date_time,
    "date": _is_date,
    "email": _is_email,
    "idn-email": _is_email,
}


@functools.cache
def format_checker() -> Any:
    """The formats the CycloneDX schemas use, checked as FORMAT_CHECKS says."""
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=())
    for name, check in FORMAT_CHECKS.items():
        checker.checks(name)(check)
    return checker


# ------------------------------------------------------------------------------ fast check

# Validating many files of one schema, a compiled yes/no check (fastjsonschema) lets the valid
# ones through and jsonschema reports the errors of the others. Compiling the check costs
# about as much as validating forty files with jsonschema.
FAST_FROM = 40
_FAST_DRAFT = "http://json-schema.org/draft-07/schema#"
# draft-07 keywords whose reading by fastjsonschema was not compared with jsonschema's
_FAST_UNVETTED = frozenset(
    {
        "patternProperties",
        "dependencies",
        "propertyNames",
        "contains",
        "minProperties",
        "maxProperties",
        "multipleOf",
        "exclusiveMinimum",
        "exclusiveMaximum",
    }
)
_FAST_REF = re.compile(r"[\w.-]*(?:#(?:/definitions/[\w.-]+)?)?")  # a file, a definition
_SCHEMA_MAPS = ("properties", "definitions")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "items")
_SCHEMAS = ("items", "additionalItems", "additionalProperties", "not", "if", "then", "else")


@functools.cache
def _cyclonedx_fast_check(version: str) -> Callable[[Any], bool] | None:
    schema = _load_schema("cyclonedx", CYCLONEDX_SCHEMAS[version])
    return _fast_check(schema, _cyclonedx_shared())


@functools.cache
def _spdx_fast_check(version: str) -> Callable[[Any], bool] | None:
    return _fast_check(_load_schema(SPDX_SCHEMAS[version]), {})


def _fast_check(schema: Any, shared: dict[str, Any]) -> Callable[[Any], bool] | None:
    """A check that says True only where jsonschema finds no error, or None when the
    schemas use something the two might read differently."""
    import fastjsonschema

    documents = [schema, *shared.values()]
    if not _vetted_release(fastjsonschema.VERSION):
        return None
    if not all(_fast_compatible(document) for document in documents):
        return None
    ready = {uri: _for_fast(document) for uri, document in shared.items()}
    formats = {
        name: FORMAT_CHECKS.get(name, _any_text)
        for document in documents
        for sub in _subschemas(document)
        if isinstance(name := sub.get("format"), str)
    }
    try:
        check = fastjsonschema.compile(
            _for_fast(schema),
            handlers={"http": ready.__getitem__, "https": ready.__getitem__},
            formats=formats,
            use_default=False,
            detailed_exceptions=False,
        )
    except Exception:  # it cannot compile these schemas: jsonschema alone decides
        return None
    return functools.partial(_passes, check)


def _vetted_release(version: str) -> bool:
    """The releases whose reading of these schemas was compared with jsonschema's (older
    releases differed: some compared `uniqueItems` by text, `enum` values with `==`)."""
    parts = re.match(r"(\d+)\.(\d+)", version)
    return parts is not None and (2, 22) <= (int(parts[1]), int(parts[2])) < (3, 0)


def _passes(check: Callable[[Any], Any], data: Any) -> bool:
    try:
        check(data)
    except Exception:  # invalid, or anything unexpected: jsonschema decides
        return False
    return True


def _fast_compatible(schema: Any) -> bool:
    return (
        isinstance(schema, dict)
        and schema.get("$schema") == _FAST_DRAFT
        and all(_vetted(sub) for sub in _subschemas(schema))
    )


def _vetted(schema: dict[str, Any]) -> bool:
    """Only keywords both validators read alike; `$` in a pattern only at its end (see
    `_for_fast`); references only to whole files and their definitions."""
    pattern = schema.get("pattern", "")
    ref = schema.get("$ref", "")
    return (
        not _FAST_UNVETTED & schema.keys()
        and isinstance(pattern, str)
        and "$" not in pattern[:-1]
        and not pattern.endswith("\\$")
        and not ("const" in schema and "enum" in schema)
        and isinstance(ref, str)
        and _FAST_REF.fullmatch(ref) is not None
    )


def _subschemas(schema: Any) -> Iterator[dict[str, Any]]:
    """Every schema object of a schema document, in the places draft-07 gives them."""
    if not isinstance(schema, dict):
        return
    yield schema
    for key, value in schema.items():
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            for sub in value.values():
                yield from _subschemas(sub)
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            for sub in value:
                yield from _subschemas(sub)
        elif key in _SCHEMAS:
            yield from _subschemas(value)


def _for_fast(schema: Any) -> Any:
    """The schema as fastjsonschema must be given it to read it as jsonschema does: it takes
    `$` for the very end of the text, where Python (and so jsonschema) also matches before a
    final line break; and `const` is written as the one-value `enum` it means."""
    if not isinstance(schema, dict):
        return schema
    ready: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            ready[key] = {name: _for_fast(sub) for name, sub in value.items()}
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            ready[key] = [_for_fast(sub) for sub in value]
        elif key in _SCHEMAS:
            ready[key] = _for_fast(value)
        elif key == "const":
            ready["enum"] = [value]
        elif key == "pattern" and value.endswith("$"):
            ready[key] = value[:-1] + r"(?=\n?\Z)"
        else:
            ready[key] = value
    return ready
