"""GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`.

GitHub shows at most 10 error, 10 warning and 10 notice annotations per step, so errors come
first, each level stops at that limit, and a last notice (for which one notice slot is kept)
says how many more findings exist; the job summary (markdown.py) lists them all.
"""

from __future__ import annotations

from collections import Counter

from techfile.formatters.human import PLAIN, FormatOptions
from techfile.model.finding import Finding
from techfile.model.result import RunResult
from techfile.util.escape import for_terminal

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}
SHOWN_PER_LEVEL = 10


def escape_data(text: str) -> str:
    """The runner turns %0A back into a line break inside the annotation; every other control
    character, and a `##[` the runner would obey anywhere in the line, is shown escaped."""
    encoded = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return encoded if encoded.isprintable() and "##" not in encoded else for_terminal(encoded)


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotated(findings: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """The findings shown as annotations (errors first, at most 10 of each level) and those
    GitHub would drop. When any are dropped, one notice slot is kept for the notice that
    says so."""
    ranked = sorted(findings, key=lambda f: (-f.severity, f.sort_key()))
    levels = Counter(LEVELS[f.severity.label] for f in ranked)
    limits = dict.fromkeys(LEVELS.values(), SHOWN_PER_LEVEL)
    if any(count > SHOWN_PER_LEVEL for count in levels.values()):
        limits["notice"] = SHOWN_PER_LEVEL - 1
    shown: list[Finding] = []
    hidden: list[Finding] = []
    used: Counter[str] = Counter()
    for finding in ranked:
        level = LEVELS[finding.severity.label]
        used[level] += 1
        (shown if used[level] <= limits[level] else hidden).append(finding)
    return shown, hidden


def _annotation(finding: Finding) -> str:
    """The message, then why (with its clause) and the fix on lines of their own: the reader
    of a pull request sees the clause and what to do beside the line."""
    parts = [finding.message]
    parts += [f"Why: {finding.why}"] if finding.why else []
    parts += [f"Fix: {finding.fix}"] if finding.fix else []
    return "\n".join(parts)


def render(result: RunResult, options: FormatOptions = PLAIN) -> str:
    shown, hidden = annotated(result.findings)
    lines = []
    for finding in shown:
        level = LEVELS[finding.severity.label]
        loc = finding.location
        properties = [f"file={escape_property(result.repo_path(loc.path))}"] if loc.path else []
        if loc.path and loc.line:
            properties.append(f"line={loc.line}")
        if loc.column:
            properties.append(f"col={loc.column}")
        properties.append(f"title={escape_property(f'techfile ({finding.code})')}")
        lines.append(f"::{level} {','.join(properties)}::{escape_data(_annotation(finding))}")
    if hidden:
        lines.append(
            f"::notice title=techfile::{len(hidden)} more finding(s) are not shown as "
            "annotations (GitHub shows 10 per level in a step); the job summary lists every "
            "finding, and the SARIF report has them all"
        )
    return "".join(line + "\n" for line in lines)
