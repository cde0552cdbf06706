"""`path:line:col: CODE [severity] message (name)`, one finding a line.

Lines and columns are 1-based; a finding about a whole file points at its first line. Paths,
ids and messages come from the checked-out tree, so every field is escaped for the terminal
(`shown`): no escape sequence, workflow command or line break of theirs reaches the output.
"""

from __future__ import annotations

from techfile.model.finding import WHOLE_FILE
from techfile.model.result import RunResult
from techfile.util.escape import neutralise_line_start, shown


def render(result: RunResult) -> str:
    lines = []
    for finding in result.findings:
        loc = finding.location
        name = result.pages[finding.code].name if finding.code in result.pages else ""
        where = f"{shown(loc.path)}:{loc.line or 1}:{loc.column or 1}" if loc.path else WHOLE_FILE
        line = (
            f"{where}: {shown(finding.code)} [{finding.severity.label}] "
            f"{shown(finding.message)} ({shown(name)})"
        )
        lines.append(neutralise_line_start(line))
    return "".join(line + "\n" for line in lines)
