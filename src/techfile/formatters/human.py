"""What the formats a person reads share: where the reader stands, colour, and a finding's place.

The human formats (text, full, concise, grouped) name files relative to the directory the
command ran in, as ruff and yamllint do, so a path can be opened from there; the machine
formats keep root- or repository-relative paths. Every field from the checked-out tree goes
through `shown` before it is styled, so colour codes are the only escape sequences written.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass

from techfile.data.severity import Severity
from techfile.model.finding import WHOLE_FILE, Finding, Location
from techfile.model.result import RunResult
from techfile.util.escape import shown

SourceLine = Callable[[str, int], "str | None"]  # (root-relative path, 1-based line) -> text

_SGR = {
    "bold": "1",
    "dim": "2",
    "red": "1;31",
    "yellow": "1;33",
    "cyan": "1;36",
    "blue": "1;34",
}
SEVERITY_STYLE = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


@dataclass(frozen=True)
class FormatOptions:
    """How a format is written for this reader (the machine formats read only `fail_on` and
    `all_rules`).

    `root` and `cwd` are absolute POSIX paths; when both are set and differ, paths are shown
    relative to `cwd`. `source_line` gives the text of a line of the run's source (None when
    unknown); only the full format asks for it.
    """

    root: str = ""
    cwd: str = ""
    colour: bool = False
    source_line: SourceLine | None = None
    fail_on: Severity = Severity.ERROR  # JUnit: findings below it are no failures
    all_rules: bool = False  # SARIF: describe every selected rule, not only those with results

    def paint(self, text: str, style: str) -> str:
        """`text` (already escaped) in `style` when colour is on."""
        return f"\x1b[{_SGR[style]}m{text}\x1b[0m" if self.colour and text else text

    def path(self, path: str) -> str:
        """A root-relative path as the reader reaches it from `cwd`, escaped for display."""
        if not path:
            return WHOLE_FILE
        return shown(self.relative(path))

    def relative(self, path: str) -> str:
        if not (self.root and self.cwd) or self.root == self.cwd:
            return path
        absolute = posixpath.join(self.root, path)
        if posixpath.commonpath([absolute, self.cwd]) == "/":
            return absolute  # nothing in common but the file system's root: no `../../..`
        return posixpath.relpath(absolute, self.cwd)


PLAIN = FormatOptions()


def place(location: Location, options: FormatOptions) -> str:
    """`path:line:col` (1-based; a finding about a whole file points at its first line), or
    `(technical file)` for a finding about no one document."""
    if not location.path:
        return WHOLE_FILE
    return f"{options.path(location.path)}:{location.line or 1}:{location.column or 1}"


def severity(finding: Finding, options: FormatOptions, width: int = 0) -> str:
    label = finding.severity.label
    return options.paint(label, SEVERITY_STYLE[finding.severity]) + " " * (width - len(label))


def rule_name(result: RunResult, finding: Finding) -> str:
    page = result.pages.get(finding.code)
    return shown(page.name) if page else ""


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def counted(findings: list[Finding]) -> str:
    """`3 findings (2 errors, 1 warning)`, or `no findings`."""
    if not findings:
        return "no findings"
    labels = [f.severity.label for f in findings]
    parts = [plural(labels.count(s), s) for s in ("error", "warning", "info") if s in labels]
    return f"{plural(len(findings), 'finding')} ({', '.join(parts)})"
