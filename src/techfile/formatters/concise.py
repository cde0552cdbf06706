"""`path:line:col: CODE message`, one short line a finding: for a quick scan or grep.

The message alone, without severity, rule name, why or fix (`full` shows those).
"""

from __future__ import annotations

from techfile.formatters.human import PLAIN, SEVERITY_STYLE, FormatOptions, place
from techfile.model.result import RunResult
from techfile.util.escape import neutralise_line_start, shown


def render(result: RunResult, options: FormatOptions = PLAIN) -> str:
    lines = []
    for finding in result.findings:
        where = options.paint(place(finding.location, options), "bold")
        code = options.paint(shown(finding.code), SEVERITY_STYLE[finding.severity])
        lines.append(neutralise_line_start(f"{where}: {code} {shown(finding.message)}"))
    return "".join(line + "\n" for line in lines)
