"""The outcome of one run: findings, what was suppressed, and what the rules saw."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from techfile.data.pages import RulePage
from techfile.model.finding import Finding, SuppressedFinding, Suppression
from techfile.model.view import RunView


@dataclass
class RunResult:
    root: Path
    as_of: datetime.date
    findings: list[Finding]
    suppressed: list[SuppressedFinding]
    suppressions: list[Suppression]
    files: int
    classified: int
    pages: dict[str, RulePage]
    selected: set[str] = field(default_factory=set)
    documents: int = 0
    notices: list[str] = field(default_factory=list)
    baseline_gone: int = 0
    repo_prefix: str = ""  # the root's path inside its git repository ("" at the top)
    view: RunView | None = None  # what the rules saw of the technical file, for reports
    config_path: str = ""  # the configuration file, root-relative ("" when there is none)

    def repo_path(self, path: str) -> str:
        """A root-relative path as the repository sees it (for SARIF and annotations)."""
        return f"{self.repo_prefix}/{path}" if self.repo_prefix else path

    def anchor(self, path: str) -> str:
        """The file a code-scanning format names for a finding: its own, else (a finding about
        the technical file as a whole) the configuration file, since those services accept no
        finding without a file."""
        return self.repo_path(path or self.config_path or ".")
