"""What a rule receives and how it reports."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from techfile.data.pages import RulePage
from techfile.data.severity import Severity
from techfile.intake.history import History, HistoryUnavailable, read_history
from techfile.intake.parse import ParsedFile, ParseSettings
from techfile.intake.recording import RecordingReads
from techfile.intake.sources import GitError, WorkTree, history_unreadable
from techfile.model.config import CACHE_DIR
from techfile.model.diagnostics import Diagnostic
from techfile.model.finding import Edit, Finding, Location
from techfile.model.view import RunView

RuleFunc = Callable[["Context"], Iterable[Finding]]
_LETTERED = re.compile(r"\s+([a-z]{1,2})\)$")  # `4.4 d)` -> `4.4(d)`, as in the registry


@dataclass(frozen=True)
class RuleSpec:
    codes: tuple[str, ...]
    func: RuleFunc


_CODES = "techfile_codes"  # the attribute @rule leaves on a check function


def rule(*codes: str) -> Callable[[RuleFunc], RuleFunc]:
    """Mark a check function with the codes it reports; rules/registry.py lists the modules
    whose marked functions run."""

    def mark(func: RuleFunc) -> RuleFunc:
        setattr(func, _CODES, codes)
        return func

    return mark


def specs_of(module: ModuleType) -> list[RuleSpec]:
    """The marked check functions a module defines, in the order it defines them."""
    return [
        RuleSpec(getattr(value, _CODES), value)
        for value in vars(module).values()
        if callable(value)
        and getattr(value, "__module__", None) == module.__name__
        and hasattr(value, _CODES)
    ]


@dataclass(kw_only=True)
class Context(RunView):
    """What a rule receives: the run's view plus the parsed files, the rule pages and options,
    the run's reads and history, and where notices go."""

    parsed: list[ParsedFile]
    pages: dict[str, RulePage]
    settings: ParseSettings  # how the documents were read, for rules that read old versions
    options_by_code: dict[str, dict[str, Any]] = field(default_factory=dict)
    artifacts: dict[str, str] = field(default_factory=dict)  # name -> absolute or root-relative
    allow_shallow: bool = False
    use_cache: bool = True
    read_path: Callable[[str], bytes | Diagnostic] | None = None  # the run's source
    notices: list[str] = field(default_factory=list)
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

    def page_clauses(self, code: str, *indexes: int) -> str:
        """`ISO 13485:2016 4.2.4, 4.2.5 and MDR Annex II`: the clauses of the rule's page at
        `indexes` (all of them when none is given) as the registry displays them, the numbers
        of one standard together, for a finding's `why`; `techfile's policy` when the page
        names none."""
        page = self.pages.get(code)
        groups: dict[str, list[str]] = {}
        for index in indexes or range(len(page.clauses) if page else 0):
            text = self.page_clause(code, index)
            if text is None:
                continue
            text = _LETTERED.sub(r"(\1)", text)
            ref = self.clauses.parse(text)
            if ref is not None and ref.clause and text.endswith(f" {ref.clause}"):
                groups.setdefault(text[: -len(ref.clause) - 1], []).append(ref.clause)
            else:
                groups.setdefault(text, [])
        parts = [f"{standard} {', '.join(numbers)}".strip() for standard, numbers in groups.items()]
        if len(parts) < 2:
            return "".join(parts) or "techfile's policy"
        return f"{', '.join(parts[:-1])} and {parts[-1]}"

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
            except (HistoryUnavailable, GitError) as problem:
                if (stop := history_unreadable(self.root, problem)) is not None:
                    raise stop from None  # a repository whose history git cannot read
                self.notices.append(
                    "not a git repository with commits: the rules that read git history were "
                    "skipped"
                )
        return self._history

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
        why: str = "",
        fix: str = "",
        edits: tuple[Edit, ...] = (),
    ) -> Finding:
        """`message` says what is wrong in one sentence; `why` names the clause and what a
        notified body makes of it; `fix` says what to do."""
        default = self.pages[code].severity if code in self.pages else Severity.ERROR
        return Finding(
            code, severity or default, message, location, clause, key, related, why, fix, edits
        )
