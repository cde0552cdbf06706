"""SC: does the SOUP list match the SBOM, is every SOUP item identified and its anomaly list
reviewed, is the SBOM a valid machine-readable file, and is every known vulnerability in a
shipped component assessed?

SBOM files come from `sbom` documents (`file`, relative to the document and inside the root),
from `[artifacts] sbom = PATH` (relative to the root, inside it) and from `--artifact sbom=PATH`
(anywhere: SBOMs are often built in the code repository's CI). VEX files come from
`vulnerability-report` documents (`file`) and from the `vex` artifact. Nothing is looked up
online. Clause references come from data/supply-chain.yaml.
"""

from __future__ import annotations

import datetime
import fnmatch
import functools
import re
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from techfile.config import ConfigError
from techfile.model import sbom as sb
from techfile.model.document import Document, Item
from techfile.model.finding import Finding, Location, Severity
from techfile.model.registry import load_data
from techfile.rules.base import Context, rule

PLACEHOLDERS = frozenset(
    {"", "-", "\u2013", "\u2014", "n/a", "na", "tbd", "tbc", "todo", "unknown", "?", "none", "..."}
)
UNPINNED_VERSIONS = frozenset({"latest", "*", "any", "current", "newest", "head", "master", "main"})
IN_TRIAGE = frozenset({"in_triage", "under_investigation", "in-triage", "under investigation"})
AFFECTED = frozenset({"exploitable", "affected"})
US_MARKETS = frozenset({"us", "usa", "united states", "united states of america"})
EXAMPLES = 3  # components named in a message before "…"


# ------------------------------------------------------------------------------ references


@functools.cache
def _references() -> dict[str, str]:
    data = load_data("supply-chain.yaml")
    return {str(k): str(v) for k, v in data["references"].items()}


def _ref(ctx: Context, topic: str) -> str:
    """A reference for a finding's clause: `IEC 62304:2006+AMD1:2015 8.1.2`, or the text."""
    text = _references()[topic]
    parsed = ctx.clauses.parse(text)
    if parsed is not None and parsed.family is not None and ctx.clauses.lookup(parsed):
        return ctx.clauses.display(parsed)
    return text


# ------------------------------------------------------------------------------ sources


@dataclass(frozen=True)
class Source:
    """One SBOM or VEX file and where findings about it go."""

    kind: str  # "sbom" | "vex"
    file: sb.SbomFile
    document: Document | None  # the sbom / vulnerability-report document naming it
    location: Location  # where a finding about the whole file is reported

    def related(self, line: int = 0) -> tuple[Location, ...]:
        if self.document is None:
            return ()
        return (Location(self.file.display, line or 1, 0),)

    def at(self, line: int, item_id: str | None = None) -> Location:
        """Where a finding about something inside the file goes."""
        if self.document is not None:
            return replace(self.location, item_id=item_id)
        return Location(self.file.display, line, 0, None, item_id)

    def name(self) -> str:
        if self.document is not None and self.document.id:
            return f"{self.document.id} ({self.file.display})"
        return self.file.display

    def current(self, ctx: Context) -> bool:
        """False when the naming document says it is about another software version."""
        if self.document is None:
            return True
        return _same_version(self.document, ctx)


@dataclass(frozen=True)
class SourceProblem:
    kind: str
    location: Location
    message: str
    key: tuple[str, ...]


@dataclass(frozen=True)
class Sources:
    files: tuple[Source, ...]
    problems: tuple[SourceProblem, ...]

    def of(self, kind: str) -> list[Source]:
        return [s for s in self.files if s.kind == kind]


def sources(ctx: Context) -> Sources:
    """The SBOM and VEX files of this run, read once and shared by the SC rules."""
    return ctx.shared("supply-chain-sources", lambda: _read_sources(ctx))


def _read_sources(ctx: Context) -> Sources:
    files: list[Source] = []
    problems: list[SourceProblem] = []
    seen: set[Path] = set()
    for kind, doc_type in (("sbom", "sbom"), ("vex", "vulnerability-report")):
        for document in ctx.index.of_type(doc_type):
            if "file" not in document.meta:
                continue
            path, display, problem = _document_file(ctx, document)
            location = document.location("file")
            if problem is not None or path is None:
                problems.append(SourceProblem(kind, location, problem or "", (document.path,)))
                continue
            if path in seen:
                continue
            seen.add(path)
            loaded = sb.load(ctx.read_file(path), path, display)
            files.append(Source(kind, loaded, document, location))
        artifact = _artifact(ctx, kind)
        if artifact is None:
            continue
        path, display, problem, where = artifact
        if problem is not None or path is None:
            problems.append(SourceProblem(kind, where, problem or "", (kind, "artifact")))
            continue
        if path in seen:
            continue
        seen.add(path)
        loaded = sb.load(ctx.read_file(path), path, display)
        files.append(Source(kind, loaded, None, Location(display, loaded.problem_line, 0)))
    return Sources(tuple(files), tuple(problems))


def _document_file(ctx: Context, document: Document) -> tuple[Path | None, str, str | None]:
    value = document.meta.get("file")
    label = f"{document.label()} names its file as `file: {value}`" if value else ""
    if not isinstance(value, str) or not value.strip():
        return (
            None,
            "",
            (
                f"{document.label()} has an empty or non-text `file`, so no machine-readable file "
                "can be read; give the path of the file relative to this document"
            ),
        )
    text = value.strip()
    if PurePosixPath(text).is_absolute() or PureWindowsPath(text).is_absolute() or "\\" in text:
        return (
            None,
            "",
            (
                f"{label}, an absolute or Windows path; write it relative to the document, "
                "with `/`, so that it means the same on every machine (it was not read)"
            ),
        )
    root = ctx.root.resolve()
    target = ((root / document.path).parent / text).resolve()
    if not target.is_relative_to(root):
        return (
            None,
            "",
            (
                f"{label}, which leads outside the technical file; techfile reads only files "
                "inside it (it was not read). Keep the file in the technical file, or pass a file "
                "built elsewhere with --artifact"
            ),
        )
    return target, target.relative_to(root).as_posix(), None


def _artifact(ctx: Context, name: str) -> tuple[Path | None, str, str | None, Location] | None:
    value = ctx.artifacts.get(name)
    if not isinstance(value, str) or not value.strip():
        return None
    root = ctx.root.resolve()
    configured = ctx.config.get("artifacts", {})
    from_config = isinstance(configured, dict) and configured.get(name) == value
    config_place = Location(_config_path(ctx), 0, 0)
    path = Path(value)
    if from_config:
        path = (root / value).resolve()
        if not path.is_relative_to(root):
            return (
                None,
                "",
                (
                    f'`[artifacts] {name} = "{value}"` leads outside the technical file, so it was '
                    f"not read; keep the file inside, or pass it with --artifact {name}=PATH"
                ),
                config_place,
            )
    else:
        path = path.resolve()
    display = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    return path, display, None, config_place


def _config_path(ctx: Context) -> str:
    source = ctx.config.source
    if source is None:
        return ".techfile.toml"
    try:
        return source.relative_to(ctx.root).as_posix()
    except ValueError:
        return source.name


def _same_version(document: Document, ctx: Context) -> bool:
    declared = document.meta.get("software_version")
    device = ctx.software_version()
    if not isinstance(declared, str) or not declared.strip() or not device:
        return True
    return sb.normalise_version(declared) == sb.normalise_version(device)


# ------------------------------------------------------------------------------ SOUP items


def _soup_lists(ctx: Context, current_only: bool = False) -> list[Document]:
    lists = ctx.index.of_type("soup-list")
    return [d for d in lists if _same_version(d, ctx)] if current_only else lists


def _soup_items(documents: list[Document]) -> list[tuple[Document, Item]]:
    return [(d, item) for d in documents for item in d.items.get("items", [])]


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def _filled(value: Any) -> bool:
    if isinstance(value, list):
        return any(_filled(v) for v in value)
    if isinstance(value, dict):
        return any(_filled(v) for v in value.values())
    text = _text(value)
    return text is not None and text.casefold() not in PLACEHOLDERS


def _item_label(item: Item) -> str:
    name = _text(item.get("name"))
    own_id = _text(item.get("id"))
    if own_id and name and own_id != name:
        return f"{own_id} ({name})"
    return name or own_id or f"the SOUP item on line {item.line}"


def _item_named(item: Item) -> str:
    """`S-01 (numpy 2.1.3)`, or `numpy 2.1.3` when the item has no id of its own."""
    name = _text(item.get("name")) or "(unnamed)"
    version = _text(item.get("version"))
    named = f"{name} {version}" if version else name
    own_id = _text(item.get("id"))
    return f"{own_id} ({named})" if own_id and own_id != name else named


@dataclass(frozen=True)
class Identity:
    purl: sb.Purl | None
    name: str | None  # normalised
    version: str | None  # normalised


def _item_identity(item: Item) -> Identity:
    version = _text(item.get("version"))
    normal_version = sb.normalise_version(version) if version else None
    purl = sb.parse_purl(_text(item.get("purl")))
    if purl is not None and purl.version is None and normal_version:
        purl = replace(purl, version=normal_version)
    name = _text(item.get("name"))
    normal_name = (
        sb.normalise_name(name) if name else (sb.normalise_name(purl.name) if purl else None)
    )
    return Identity(purl, normal_name, normal_version)


def _same_package(identity: Identity, component: sb.Component) -> bool:
    purl = sb.parse_purl(component.purl)
    if identity.purl is not None and purl is not None:
        return identity.purl.without_version() == purl.without_version()
    return identity.name is not None and identity.name in sb.component_names(component)


def _same_release(identity: Identity, component: sb.Component) -> bool:
    purl = sb.parse_purl(component.purl)
    if identity.purl is not None and purl is not None:
        mine, theirs = identity.purl.version, purl.version
    else:
        mine = identity.version
        theirs = sb.normalise_version(component.version) if component.version else None
    return mine is None or theirs is None or mine == theirs


def _matches(identity: Identity, component: sb.Component) -> bool:
    return _same_package(identity, component) and _same_release(identity, component)


@dataclass(frozen=True)
class PackageKey:
    """What matching (`_matches`) reads of a SOUP item or an SBOM component: its purl, the
    normalised names it goes by and its normalised version."""

    purl: sb.Purl | None
    names: frozenset[str]
    version: str | None


def _item_key(identity: Identity) -> PackageKey:
    names = frozenset({identity.name}) if identity.name is not None else frozenset()
    return PackageKey(identity.purl, names, identity.version)


def _component_key(component: sb.Component) -> PackageKey:
    version = sb.normalise_version(component.version) if component.version else None
    return PackageKey(sb.parse_purl(component.purl), sb.component_names(component), version)


class _Releases:
    """Positions by package and, within a package, by release (None: no release given)."""

    def __init__(self) -> None:
        self.by_package: dict[Hashable, dict[str | None, list[int]]] = {}

    def add(self, package: Hashable, release: str | None, position: int) -> None:
        self.by_package.setdefault(package, {}).setdefault(release, []).append(position)

    def any_release(self, package: Hashable) -> list[int]:
        return [i for positions in self.by_package.get(package, {}).values() for i in positions]

    def same_release(self, package: Hashable, release: str | None) -> list[int]:
        """Those of the package whose release is `release` or not given; every one when
        `release` is not given (`_same_release`)."""
        releases = self.by_package.get(package, {})
        if release is None:
            return [i for positions in releases.values() for i in positions]
        return [*releases.get(release, ()), *releases.get(None, ())]


class PackageIndex:
    """SOUP items or SBOM components indexed by purl (without version) and by normalised
    name, each by release, so that matching a SOUP list against SBOMs of thousands of
    components is a lookup per item or component. Either side may be indexed: the other is
    looked up, with the meaning of `_same_package` and `_same_release`."""

    def __init__(self, keys: list[PackageKey]) -> None:
        self.by_purl = _Releases()
        self.by_name = _Releases()
        self.by_name_without_purl = _Releases()  # where a purl compares with a purl
        for position, key in enumerate(keys):
            if key.purl is not None:
                self.by_purl.add(key.purl.without_version(), key.purl.version, position)
            for name in key.names:
                self.by_name.add(name, key.version, position)
                if key.purl is None:
                    self.by_name_without_purl.add(name, key.version, position)

    def _names(self, key: PackageKey) -> _Releases:
        return self.by_name if key.purl is None else self.by_name_without_purl

    def same_package(self, key: PackageKey) -> list[int]:
        """Positions of the same package (any version), in order."""
        found: set[int] = set()
        if key.purl is not None:
            found.update(self.by_purl.any_release(key.purl.without_version()))
        for name in key.names:
            found.update(self._names(key).any_release(name))
        return sorted(found)

    def matches(self, key: PackageKey) -> list[int]:
        """Positions of the same package and a compatible release (`_matches`), in order."""
        found: set[int] = set()
        if key.purl is not None:
            found.update(self.by_purl.same_release(key.purl.without_version(), key.purl.version))
        for name in key.names:
            found.update(self._names(key).same_release(name, key.version))
        return sorted(found)


@dataclass(frozen=True)
class SoupEntry:
    document: Document
    item: Item
    identity: Identity


def _current_soup(ctx: Context) -> list[SoupEntry]:
    """The items of the SOUP lists of the current software version, with their identities."""
    return ctx.shared(
        "supply-chain-current-soup",
        lambda: [
            SoupEntry(document, item, _item_identity(item))
            for document, item in _soup_items(_soup_lists(ctx, True))
        ],
    )


def _current_soup_index(ctx: Context) -> PackageIndex:
    return ctx.shared(
        "supply-chain-soup-index",
        lambda: PackageIndex([_item_key(e.identity) for e in _current_soup(ctx)]),
    )


def _describing(ctx: Context, component: sb.Component) -> list[Item]:
    """The current SOUP items that match the component (`_matches`), in list order."""
    entries = _current_soup(ctx)
    return [entries[i].item for i in _current_soup_index(ctx).matches(_component_key(component))]


def _supported(component: sb.Component) -> bool:
    return bool(component.support_level) and bool(component.end_of_support)


def _first_filled(items: list[Item], field_name: str) -> Any:
    return next((it.get(field_name) for it in items if _filled(it.get(field_name))), None)


# ------------------------------------------------------------------------------ device facts


def _safety_class(ctx: Context) -> str | None:
    """The IEC 62304 software safety class: the device description's, else the config's; the
    highest where several are given ("B/C")."""
    values = [d.meta.get("software_safety_class") for d in ctx.index.of_type("device-description")]
    values.append(ctx.device.get("software_safety_class"))
    for value in values:
        if isinstance(value, str):
            found = re.findall(r"(?<![A-Za-z])([ABCabc])(?![A-Za-z])", value.replace("Class", ""))
            if found:
                return str(max(letter.upper() for letter in found))
    return None


def _markets(ctx: Context) -> set[str]:
    value = ctx.device.get("markets")
    values = value if isinstance(value, list) else [value]
    return {str(v).strip().casefold() for v in values if isinstance(v, str)}


def _connected(ctx: Context) -> bool:
    """False only when the technical file says the device does not connect."""
    for document in ctx.index.of_type("device-description"):
        if document.meta.get("connected") is False:
            return False
    return ctx.device.get("connected") is not False


# ------------------------------------------------------------------------------ SC001


def _scope(ctx: Context) -> str:
    value = ctx.options("SC001").get("sbom-scope", "all")
    if value not in ("all", "direct"):
        raise ConfigError(f'[rules.SC001] sbom-scope = {value!r}: use "all" or "direct"')
    return str(value)


def _ignored(ctx: Context) -> list[str]:
    value = ctx.options("SC001").get("ignore-components", [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError("[rules.SC001] ignore-components must be a list of patterns")
    return [v.casefold() for v in value]


def _is_ignored(component: sb.Component, patterns: list[str]) -> bool:
    texts = [t.casefold() for t in (component.purl, component.name, component.key()) if t]
    return any(fnmatch.fnmatchcase(t, p) for t in texts for p in patterns)


@rule("SC001")
def soup_sbom_mismatch(ctx: Context) -> Iterator[Finding]:
    scope, patterns = _scope(ctx), _ignored(ctx)
    boms = [s for s in sources(ctx).of("sbom") if s.file.readable and s.current(ctx)]
    if not boms:
        return
    clause = _ref(ctx, "soup-identification")
    every: list[tuple[Source, sb.Component]] = [
        (s, c) for s in boms for c in s.file.shipped_components() if not _is_ignored(c, patterns)
    ]
    lists = _soup_lists(ctx, current_only=True)
    if not lists:
        source = boms[0]
        count = len(sb.unique(c for _, c in every))
        if count == 0:
            return
        what = (
            f"the SBOM {source.name()} lists"
            if len(boms) == 1
            else f"the {len(boms)} SBOMs ({source.name()}, …) list"
        )
        yield ctx.finding(
            "SC001",
            f"{what} {count} component(s), but the technical file has no "
            "SOUP list (type `soup-list`); a notified body will ask where each of them is "
            f"identified and evaluated as SOUP ({clause}). Add a SOUP list that names them",
            source.location,
            clause=clause,
            key=("no-soup-list",),
            related=source.related(),
        )
        return
    identities = [(e.identity, e.document, e.item) for e in _current_soup(ctx)]
    index = PackageIndex([_component_key(c) for _, c in every])
    matched: set[int] = set()
    unmatched_items = []
    for identity, document, item in identities:
        hits = index.matches(_item_key(identity))
        matched.update(hits)
        if not hits:
            unmatched_items.append((identity, document, item))
    for identity, document, item in unmatched_items:
        others = [
            (i, every[i][0], every[i][1])
            for i in index.same_package(_item_key(identity))
            if i not in matched
        ]
        matched.update(i for i, _, _ in others)
        yield _item_finding(ctx, clause, boms, document, item, [(s, c) for _, s, c in others])
    direct = _direct(boms) if scope == "direct" else None
    missing = [
        (s, c)
        for i, (s, c) in enumerate(every)
        if i not in matched and (direct is None or _in(direct, s, c))
    ]
    reported: set[str] = set()
    target = lists[0]
    for source, component in missing:
        kept = sb.unique([component])[0]
        identity_key = kept.key().casefold()
        if identity_key in reported:
            continue
        reported.add(identity_key)
        yield _component_finding(ctx, clause, scope, source, component, target)


def _direct(boms: list[Source]) -> dict[int, frozenset[str] | None]:
    return {id(s): s.file.direct_refs for s in boms}


def _in(direct: dict[int, frozenset[str] | None], source: Source, component: sb.Component) -> bool:
    refs = direct.get(id(source))
    return refs is None or (component.ref is not None and component.ref in refs)


def _list_location(document: Document, item_id: str | None) -> Location:
    """The start of a SOUP list's items: its table header or its `items` key."""
    entries = document.items.get("items", [])
    if entries and entries[0].source == "table":
        return Location(document.path, max(entries[0].line - 2, 1), 0, document.id, item_id)
    if "items" in document.meta:
        return Location(document.path, document.line_of("items"), 0, document.id, item_id)
    return Location(document.path, document.body_line or 1, 0, document.id, item_id)


def _item_finding(
    ctx: Context,
    clause: str,
    boms: list[Source],
    document: Document,
    item: Item,
    others: list[tuple[Source, sb.Component]],
) -> Finding:
    label = _item_label(item)
    where = f"the SBOM {boms[0].name()}" if len(boms) == 1 else "any of the SBOMs"
    if others:
        mine = _text(item.get("version")) or "(none)"
        versions = sorted({c.version or "(no version)" for _, c in others})
        source = others[0][0]
        return ctx.finding(
            "SC001",
            f"SOUP item {label} in {document.label()} is version {mine}, "
            f"but the SBOM {source.name()} lists {others[0][1].name or label} "
            f"{', '.join(versions)}; one of the two describes another build, and a notified body "
            "will ask which version is in the device. Update the SOUP list (and repeat the "
            "item's anomaly review for the new version) or regenerate the SBOM from the release "
            "build",
            item.location,
            clause=clause,
            key=(label, "version"),
            related=source.related(others[0][1].line),
        )
    return ctx.finding(
        "SC001",
        f"SOUP item {_item_named(item)} in {document.label()} is not in {where}; the "
        "SOUP list and the SBOM must describe the same software, and a notified body will ask "
        "which of the two is wrong. Regenerate the SBOM from the release build, or remove the "
        "item from the SOUP list if the software no longer uses it",
        item.location,
        clause=clause,
        key=(label, "not-in-sbom"),
    )


def _component_finding(
    ctx: Context,
    clause: str,
    scope: str,
    source: Source,
    component: sb.Component,
    target: Document,
) -> Finding:
    refs = source.file.direct_refs
    transitive = scope == "all" and refs is not None and component.ref not in refs
    purl = f" ({component.purl})" if component.purl else ""
    hint = (
        "; it is a transitive dependency: if your SOUP procedure lists direct dependencies only "
        'and leaves the rest to the SBOM, say so and set sbom-scope = "direct" for SC001'
        if transitive
        else ""
    )
    return ctx.finding(
        "SC001",
        f"the SBOM {source.name()} lists {component.label()}{purl}, which is not in the SOUP list "
        f"{target.label()}; a notified body will ask why a component delivered with the software "
        f"is not identified and evaluated as SOUP ({clause}). Add it to the SOUP list, or, if it "
        "is your own code or is not delivered, leave it out with the SC001 option "
        f"ignore-components{hint}",
        _list_location(target, component.key()),
        clause=clause,
        key=(component.key(), "not-in-soup-list"),
        related=source.related(component.line),
    )


# ------------------------------------------------------------------------------ SC002


def _class_note(ctx: Context, safety_class: str | None) -> str:
    if safety_class is None:
        return (
            f" (no software safety class is recorded, and {_ref(ctx, 'class-c-until-classified')}"
            " applies class C requirements until one is)"
        )
    return f" (software safety class {safety_class})"


@rule("SC002")
def soup_item_incomplete(ctx: Context) -> Iterator[Finding]:
    safety_class = _safety_class(ctx)
    strict = safety_class in (None, "B", "C")
    identification = _ref(ctx, "soup-identification")
    requirements = _ref(ctx, "soup-requirements")
    anomaly = _ref(ctx, "soup-anomaly-review")
    note = _class_note(ctx, safety_class)
    for document, item in _soup_items(_soup_lists(ctx)):
        label = _item_label(item)
        gaps = _identification_gaps(item)
        if gaps:
            yield ctx.finding(
                "SC002",
                f"SOUP item {label} in {document.label()} has {_join(gaps)}; {identification} "
                "requires each SOUP item to be identified by title, manufacturer and a unique "
                "designation such as its version, and a notified body will ask which software "
                "exactly is in the device. Fill in what is missing",
                item.location,
                clause=identification,
                key=(label, "identification"),
            )
        if not strict:
            continue
        if not _filled(item.get("requirements")):
            yield ctx.finding(
                "SC002",
                f"SOUP item {label} in {document.label()} has no requirements{note}; "
                f"{requirements} expects the functional and performance requirements the "
                "software relies on for each SOUP item. Record them (or a reference to the "
                "requirements that depend on the item) in the `requirements` column",
                item.location_of("requirements"),
                clause=requirements,
                key=(label, "requirements"),
            )
        review = item.get("anomaly_review")
        date = review.get("date") if isinstance(review, dict) else None
        if not _filled(date):
            what = (
                "an anomaly review without a date"
                if isinstance(review, dict) and _filled(review)
                else "no anomaly review"
            )
            yield ctx.finding(
                "SC002",
                f"SOUP item {label} in {document.label()} has {what}{note}; "
                f"{anomaly} expects the published anomaly list of each SOUP item to be evaluated, "
                "and a notified body will ask when that was done and what it found. Record the "
                "date, the source (issue tracker, release notes, advisories) and the result",
                item.location_of("anomaly_review"),
                clause=anomaly,
                key=(label, "anomaly-review"),
            )


def _identification_gaps(item: Item) -> list[str]:
    gaps = []
    if not _filled(item.get("name")):
        gaps.append("no name")
    version = _text(item.get("version"))
    if not _filled(version):
        gaps.append("no version")
    elif version is not None and version.casefold() in UNPINNED_VERSIONS:
        gaps.append(f"the version `{version}`, which names no release")
    if not _filled(item.get("manufacturer")):
        gaps.append("no manufacturer")
    return gaps


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


# ------------------------------------------------------------------------------ SC004


def _max_age(ctx: Context) -> int:
    value = ctx.options("SC004").get("max-age-months", 12)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ConfigError(f"[rules.SC004] max-age-months = {value!r}: use a whole number >= 1")
    return value


def _months_before(day: datetime.date, months: int) -> datetime.date:
    total = day.year * 12 + (day.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    return datetime.date(year, month, 1)


def _as_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


@rule("SC004")
def anomaly_review_stale(ctx: Context) -> Iterator[Finding]:
    safety_class = _safety_class(ctx)
    if safety_class == "A":
        return
    months = _max_age(ctx)
    cutoff = _months_before(ctx.as_of, months)
    clause = _ref(ctx, "soup-anomaly-review")
    for document, item in _soup_items(_soup_lists(ctx)):
        review = item.get("anomaly_review")
        date = _as_date(review.get("date")) if isinstance(review, dict) else None
        if date is None or date >= cutoff:
            continue
        label = _item_label(item)
        yield ctx.finding(
            "SC004",
            f"the anomaly review of SOUP item {label} in {document.label()} is dated "
            f"{date.isoformat()}, more than {months} months before {ctx.as_of.isoformat()}; "
            "anomalies and vulnerabilities are published all the time, and a notified body will "
            f"ask whether the list is still current ({clause}). Review the item's anomaly list "
            "again and record the new date and result",
            item.location_of("anomaly_review"),
            clause=clause,
            key=(label,),
        )


# ------------------------------------------------------------------------------ SC003


@rule("SC003")
def sbom_invalid(ctx: Context) -> Iterator[Finding]:
    found = sources(ctx)
    clause = _ref(ctx, "component-list")
    for problem in found.problems:
        yield ctx.finding(
            "SC003", problem.message, problem.location, clause=clause, key=problem.key
        )
    schema_results = _schema_results(found.files)
    for source in found.files:
        yield from _file_findings(ctx, source, clause, schema_results)
    us = bool(_markets(ctx) & US_MARKETS) and _connected(ctx)
    if not us:
        return
    boms = [s for s in found.of("sbom") if s.file.readable and s.current(ctx)]
    if not found.of("sbom") and not [p for p in found.problems if p.kind == "sbom"]:
        yield _us_sbom_missing(ctx)
    for source in boms:
        finding = _support_finding(ctx, source)
        if finding is not None:
            yield finding


def _article(word: str) -> str:
    return "an" if word[:1] in "AEFHILMNORSX" else "a"


def _what(source: Source) -> str:
    return "SBOM" if source.kind == "sbom" else "VEX file"


def _schema_results(files: tuple[Source, ...]) -> dict[int, sb.SchemaResult]:
    """id() of each file that can be checked against a schema -> its verdict; the files are
    validated together, which is faster where many share a schema."""
    checked = [s.file for s in files if s.file.problem is None and s.file.format != sb.SPDX3]
    return {id(f): result for f, result in zip(checked, sb.validate_all(checked), strict=True)}


def _file_findings(
    ctx: Context, source: Source, clause: str, schema_results: dict[int, sb.SchemaResult]
) -> Iterator[Finding]:
    file = source.file
    what = _what(source)
    related = source.related(file.problem_line)
    if file.problem is not None:
        missing = file.problem.startswith(("does not exist", "is a directory"))
        tail = (
            ", so nothing in it can be checked. Add the file, or correct the path"
            if missing
            else f"; no tool (and no reviewer) can use {_article(what)} {what} that cannot be "
            "read as JSON of its format. Regenerate it from the build"
        )
        yield ctx.finding(
            "SC003",
            f"the {what} {source.name()} {file.problem}{tail}",
            source.location,
            clause=clause,
            key=(file.display, "unreadable"),
            related=related,
        )
        return
    if file.format == sb.SPDX3:
        yield ctx.finding(
            "SC003",
            f"the {what} {source.name()} is an SPDX 3 JSON-LD document; this techfile version "
            "reads CycloneDX JSON and SPDX 2.2/2.3 JSON only, so it was neither checked "
            "against its schema nor compared with the SOUP list. Also export SPDX 2.3 or "
            "CycloneDX JSON for the technical file",
            source.location,
            severity=Severity.WARNING,
            clause=clause,
            key=(file.display, "spdx3"),
        )
        return
    declared = source.document.meta.get("format") if source.document else None
    detected = {sb.CYCLONEDX: "cyclonedx-json", sb.SPDX: "spdx-json"}.get(file.format or "")
    if isinstance(declared, str) and detected and declared != detected:
        yield ctx.finding(
            "SC003",
            f"{source.document.label() if source.document else source.name()} declares "
            f"`format: {declared}`, but {file.display} is {file.format_label()}; correct the "
            "`format` so that people and tools read the file as what it is",
            source.document.location("format") if source.document else source.location,
            clause=clause,
            key=(file.display, "format"),
        )
    if file.encoding != "utf-8":
        yield ctx.finding(
            "SC003",
            f"the {what} {source.name()} is encoded as {sb.encoding_label(file.encoding)}; JSON "
            "exchanged between systems must be UTF-8 without a byte-order mark (RFC 8259), and "
            "many SBOM tools and portals reject anything else. Save it as plain UTF-8",
            source.location,
            severity=Severity.WARNING,
            clause=clause,
            key=(file.display, "encoding"),
        )
    result = schema_results[id(file)]
    if not result.checked:
        xml_only = file.spec_version in sb.CYCLONEDX_XML_ONLY and file.format == sb.CYCLONEDX
        yield ctx.finding(
            "SC003",
            f"the {what} {source.name()} says it is {file.format_label()}, but "
            + (
                f"{result.note} (JSON came with CycloneDX 1.2); regenerate it as CycloneDX 1.5 "
                "or later"
                if xml_only
                else f"techfile has no schema for it ({result.note}), so the file was not "
                "checked; use a released version of the format (CycloneDX 1.2 to 1.7, SPDX 2.2 "
                "or 2.3), or a newer techfile"
            ),
            source.location,
            severity=None if xml_only else Severity.WARNING,
            clause=clause,
            key=(file.display, "version"),
        )
    elif result.errors:
        count = f"{result.errors} problems, the first " if result.errors > 1 else ""
        yield ctx.finding(
            "SC003",
            f"the {what} {source.name()} does not conform to the {result.schema} ({count}at "
            f"{result.first_path}: {result.first_message}); tools that read it may reject it or "
            "silently drop components, and a notified body or FDA cannot rely on it. Fix the "
            "generator or its output and validate the file in the build",
            source.location,
            clause=clause,
            key=(file.display, "schema"),
            related=source.related(),
        )
    if source.kind == "sbom":
        finding = _ntia_finding(ctx, source)
        if finding is not None:
            yield finding


def _names(components: list[sb.Component]) -> str:
    shown = ", ".join(c.label() for c in components[:EXAMPLES])
    return shown + (", …" if len(components) > EXAMPLES else "")


def _ntia_finding(ctx: Context, source: Source) -> Finding | None:
    file = source.file
    shipped = sb.unique(file.shipped_components())
    components = sb.unique([*file.roots, *shipped])
    total = len(components)
    gaps = []
    # The root (the device software itself) is in no package registry, so it needs no lookup
    # identifier; its supplier and version are still expected.
    checks = (
        ("a supplier name", [c for c in components if not c.supplier]),
        ("a version", [c for c in components if not c.version]),
        ("a unique identifier (purl, CPE or SWID)", [c for c in shipped if not c.has_identifier]),
    )
    for what, lacking in checks:
        if lacking:
            gaps.append(f"{len(lacking)} of {total} component(s) lack {what} ({_names(lacking)})")
    if not file.has_author:
        gaps.append("the author of the SBOM data is not named")
    if file.timestamp is None:
        gaps.append("it has no timestamp")
    if total > 1 and not file.has_dependencies:
        gaps.append("it records no dependency relationships")
    if not gaps:
        return None
    return ctx.finding(
        "SC003",
        f"the SBOM {source.name()} misses {_references()['ntia-minimum-elements']}: "
        f"{'; '.join(gaps)}. FDA and notified bodies judge an SBOM by these elements; add them "
        "in the SBOM generator's configuration",
        source.location,
        severity=Severity.WARNING,
        clause=_ref(ctx, "component-list"),
        key=(file.display, "ntia"),
    )


def _us_sbom_missing(ctx: Context) -> Finding:
    clause = _ref(ctx, "us-sbom")
    documents = (
        ctx.index.of_type("sbom") or _soup_lists(ctx) or ctx.index.of_type("device-description")
    )
    location = documents[0].location() if documents else Location(_config_path(ctx), 0, 0)
    return ctx.finding(
        "SC003",
        "the device is to be sold in the US and connects to networks, but the technical file "
        f"has no machine-readable SBOM; {clause} requires one in the premarket submission of a "
        "cyber device. Add an `sbom` document whose `file` names a CycloneDX or SPDX JSON file, "
        "or pass the file built in CI with --artifact sbom=PATH",
        location,
        clause=clause,
        key=("us-sbom",),
    )


def _support_finding(ctx: Context, source: Source) -> Finding | None:
    components = sb.unique(source.file.shipped_components())
    no_level: list[sb.Component] = []
    no_end: list[sb.Component] = []
    for component in components:
        matching = [] if _supported(component) else _describing(ctx, component)
        level = component.support_level or _first_filled(matching, "support_level")
        end = component.end_of_support or _first_filled(matching, "end_of_support")
        if not level:
            no_level.append(component)
        if not end:
            no_end.append(component)
    if not no_level and not no_end:
        return None
    parts = []
    if no_level:
        parts.append(f"support level for {len(no_level)} of {len(components)} ({_names(no_level)})")
    if no_end:
        parts.append(
            f"end-of-support date for {len(no_end)} of {len(components)} ({_names(no_end)})"
        )
    return ctx.finding(
        "SC003",
        f"the device is to be sold in the US, and {_references()['fda-third-party']} expects, for "
        f"each component of the SBOM, its level of support and its end-of-support date; "
        f"{source.name()} and the SOUP list give no {' and no '.join(parts)}. Record them in the "
        "SOUP list (`Support level`, `End of support` columns) or as component properties in "
        "the SBOM",
        source.location,
        severity=Severity.WARNING,
        clause=_ref(ctx, "fda-third-party"),
        key=(source.file.display, "support"),
    )


# ------------------------------------------------------------------------------ SC005


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
