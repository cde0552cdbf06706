"""The SBOM and VEX files of a run, read once and shared by the SC rules.

SBOM files come from `sbom` documents (`file`, relative to the document and inside the root),
from `[artifacts] sbom = PATH` (relative to the root, inside it) and from `--artifact sbom=PATH`
(anywhere: SBOMs are often built in the code repository's CI). VEX files come from
`vulnerability-report` documents (`file`) and from the `vex` artifact. Nothing is looked up
online. Clause references come from data/supply-chain.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath, PureWindowsPath

from techfile.intake import sbom as sb
from techfile.model.document import Document
from techfile.model.finding import Location
from techfile.rules.base import Context


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
    fix: str = ""


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
                message, fix = problem or ("", "")
                problems.append(SourceProblem(kind, location, message, (document.path,), fix))
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
            message, fix = problem or ("", "")
            problems.append(SourceProblem(kind, where, message, (kind, "artifact"), fix))
            continue
        if path in seen:
            continue
        seen.add(path)
        loaded = sb.load(ctx.read_file(path), path, display)
        files.append(Source(kind, loaded, None, Location(display, loaded.problem_line, 0)))
    return Sources(tuple(files), tuple(problems))


Problem = tuple[str, str]  # what is wrong, what to do


def _document_file(ctx: Context, document: Document) -> tuple[Path | None, str, Problem | None]:
    value = document.meta.get("file")
    label = f"{document.label()} names its file as `file: {value}`" if value else ""
    if not isinstance(value, str) or not value.strip():
        return (
            None,
            "",
            (
                f"{document.label()} has an empty or non-text `file`, so no machine-readable file "
                "can be read",
                "Give the path of the file relative to this document.",
            ),
        )
    text = value.strip()
    if PurePosixPath(text).is_absolute() or PureWindowsPath(text).is_absolute() or "\\" in text:
        return (
            None,
            "",
            (
                f"{label}, an absolute or Windows path (it was not read)",
                "Write it relative to the document, with `/`, so that it means the same on every "
                "machine.",
            ),
        )
    root = ctx.root.resolve()
    target = ((root / document.path).parent / text).resolve()
    if not target.is_relative_to(root):
        return (
            None,
            "",
            (
                f"{label}, which leads outside the technical file (it was not read)",
                "Keep the file in the technical file, or pass a file built elsewhere with "
                "--artifact.",
            ),
        )
    return target, target.relative_to(root).as_posix(), None


def _artifact(ctx: Context, name: str) -> tuple[Path | None, str, Problem | None, Location] | None:
    value = ctx.artifacts.get(name)
    if not isinstance(value, str) or not value.strip():
        return None
    root = ctx.root.resolve()
    configured = ctx.config.artifacts
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
                    "not read",
                    f"Keep the file inside, or pass it with --artifact {name}=PATH.",
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
