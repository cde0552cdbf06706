"""What a rule receives and how it reports."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from techfile.config import Config
from techfile.engine.results import RecordingReads
from techfile.intake.cache import CACHE_DIR
from techfile.intake.diagnostics import Diagnostic
from techfile.intake.parse import ParsedFile
from techfile.intake.sources import GitError, WorkTree
from techfile.model import device
from techfile.model.clauses import ClauseRegistry
from techfile.model.document import Document
from techfile.model.finding import Finding, Location, Severity
from techfile.model.history import History, HistoryUnavailable, read_history
from techfile.model.index import Index
from techfile.rules.pages import RulePage

RuleFunc = Callable[["Context"], Iterable[Finding]]
T = TypeVar("T")


@dataclass(frozen=True)
class RuleSpec:
    codes: tuple[str, ...]
    func: RuleFunc


_RULES: list[RuleSpec] = []


def rule(*codes: str) -> Callable[[RuleFunc], RuleFunc]:
    """Register a check function for the codes it reports."""

    def register(func: RuleFunc) -> RuleFunc:
        _RULES.append(RuleSpec(codes, func))
        return func

    return register


def registered() -> list[RuleSpec]:
    from techfile.rules import (  # noqa: F401
        document_control,
        evidence,
        frontmatter,
        identity,
        lifecycle,
        risk,
        standards,
        submission,
        supply_chain,
    )

    return list(_RULES)


@dataclass
class Context:
    index: Index
    parsed: list[ParsedFile]
    config: Config
    as_of: datetime.date
    clauses: ClauseRegistry
    pages: dict[str, RulePage]
    options_by_code: dict[str, dict[str, Any]] = field(default_factory=dict)
    artifacts: dict[str, str] = field(default_factory=dict)  # name -> absolute or root-relative
    profile: str = "default"
    allow_shallow: bool = False
    use_cache: bool = True
    read_path: Callable[[str], bytes | Diagnostic] | None = None  # the run's source
    notices: list[str] = field(default_factory=list)
    subjects: frozenset[str] | None = None  # only these paths' findings are wanted (None: all)
    _shared: dict[str, Any] = field(default_factory=dict)
    _history: History | None = None
    _history_read: bool = False

    def page_clause(self, code: str, index: int = 0, default: str | None = None) -> str | None:
        """Clause `index` of the rule's page, as the registry displays it: messages name
        clauses from the pages, never from code."""
        page = self.pages.get(code)
        if page is None or len(page.clauses) <= index:
            return default
        ref = self.clauses.parse(page.clauses[index])
        return self.clauses.display(ref) if ref else page.clauses[index]

    def shared(self, key: str, compute: Callable[[], T]) -> T:
        """A value several rules of one run need (e.g. the parsed SBOMs), computed once."""
        if key not in self._shared:
            self._shared[key] = compute()
        value: T = self._shared[key]
        return value

    def read_file(self, path: Path, max_size: int | None = None) -> bytes | Diagnostic:
        """Bytes of a file a rule reads besides the documents (an SBOM, a VEX file): from
        the run's source when it is inside the root, so `--pre-commit` sees the staged
        content; from disk otherwise (an artefact named with --artifact)."""
        limit = self.config.max_file_size if max_size is None else max_size
        root = self.root.resolve()
        resolved = path.resolve()
        if self.read_path is not None and resolved.is_relative_to(root):
            return self.read_path(resolved.relative_to(root).as_posix())
        data = WorkTree(resolved.parent, limit).read_path(resolved.name)
        if isinstance(self.read_path, RecordingReads):
            self.read_path.record(str(resolved), data)  # the result depends on it too
        return data

    def history(self) -> History | None:
        """The repository's history, or None (with one notice) when there is none."""
        if not self._history_read:
            self._history_read = True
            cache = self.root / CACHE_DIR if self.use_cache else None
            try:
                self._history = read_history(self.root, cache)
            except (HistoryUnavailable, GitError):
                self.notices.append(
                    "not a git repository with commits: the rules that read git history were "
                    "skipped"
                )
        return self._history

    @property
    def device(self) -> dict[str, Any]:
        return self.config.device

    @property
    def root(self) -> Path:
        return self.config.root

    def software_version(self) -> str | None:
        """The device's software version: the device description's, else the config's."""
        return self.shared("software-version", self._software_version)

    def _software_version(self) -> str | None:
        for document in self.index.of_type("device-description"):
            value = document.meta.get("software_version")
            if isinstance(value, str) and value.strip():
                return value.strip()
        value = self.device.get("software_version")
        return str(value) if value else None

    def device_name(self) -> str | None:
        return self.shared("device-name", lambda: device.device_name(self.index, self.device))

    def evidence_class(self, document: Document) -> str | None:
        """The document's class; a security test of another product is organisational."""
        return device.evidence_class(document, self.device_name())

    def tests_other_product(self, document: Document) -> bool:
        return device.tests_other_product(document, self.device_name())

    @property
    def documents(self) -> list[Document]:
        """Documents the content rules look at: typed, and neither obsolete nor superseded;
        of those, only the subjects when a run wants findings in some documents only."""
        return self.shared("documents", self._active_subjects)

    def _active_subjects(self) -> list[Document]:
        wanted = self.subjects
        return [
            d for d in self.index.documents if d.active and (wanted is None or d.path in wanted)
        ]

    def options(self, code: str) -> dict[str, Any]:
        return self.options_by_code.get(code, {})

    def finding(
        self,
        code: str,
        message: str,
        location: Location,
        *,
        clause: str | None = None,
        key: tuple[str, ...] = (),
        related: tuple[Location, ...] = (),
        severity: Severity | None = None,
    ) -> Finding:
        default = self.pages[code].severity if code in self.pages else Severity.ERROR
        return Finding(code, severity or default, message, location, clause, key, related)
