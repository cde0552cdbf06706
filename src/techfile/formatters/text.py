"""`path:line:col: CODE [severity] message (name)`, one finding a line.

Lines and columns are 1-based; a finding about a whole file points at its first line. Paths,
ids and messages come from the checked-out tree, so every field is escaped for the terminal
(`shown`): no escape sequence, workflow command or line break of theirs reaches the output.
"""

from __future__ import annotations

from techfile.formatters.human import PLAIN, FormatOptions, place, rule_name, severity
from techfile.model.result import RunResult
from techfile.util.escape import neutralise_line_start, shown


def render(result: RunResult, options: FormatOptions = PLAIN) -> str:
    lines = []
    for finding in result.findings:
        where = options.paint(place(finding.location, options), "bold")
        line = (
            f"{where}: {options.paint(shown(finding.code), 'bold')} "
            f"[{severity(finding, options)}] {shown(finding.message)} "
            f"({rule_name(result, finding)})"
        )
        lines.append(neutralise_line_start(line))
    return "".join(line + "\n" for line in lines)
