"""`path:line:col: CODE [severity] message (name)`, one finding a line.

Lines and columns are 1-based; a finding about a whole file points at its first line.
"""

from __future__ import annotations

from techfile.model.result import RunResult


def render(result: RunResult) -> str:
    lines = []
    for finding in result.findings:
        loc = finding.location
        name = result.pages[finding.code].name if finding.code in result.pages else ""
        where = f"{loc.path}:{loc.line or 1}:{loc.column or 1}"
        lines.append(
            f"{where}: {finding.code} [{finding.severity.label}] {finding.message} ({name})"
        )
    return "".join(line + "\n" for line in lines)
