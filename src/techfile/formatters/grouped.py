"""Findings grouped by file, as yamllint and ruff group them: the path once, then one indented
line a finding, `line:col  severity  message  CODE`, columns aligned within the file, and a
last line that counts them.

```
security/threat-model.md
  12:1   error    threat T-06 reaches no risk-analysis row  RM001
  79:14  warning  ...                                       ID002

2 findings (1 error, 1 warning) in 1 file
```
"""

from __future__ import annotations

from itertools import groupby

from techfile.formatters.human import (
    PLAIN,
    FormatOptions,
    counted,
    plural,
    severity,
)
from techfile.model.finding import Finding
from techfile.model.result import RunResult
from techfile.util.escape import neutralise_line_start, shown

_SEVERITY_WIDTH = len("warning")


def render(result: RunResult, options: FormatOptions = PLAIN) -> str:
    blocks = []
    files = 0
    for path, group in groupby(result.findings, key=lambda f: f.location.path):
        findings = list(group)
        files += bool(path)
        blocks.append([options.paint(options.path(path), "bold"), *_rows(findings, options)])
    lines = [line for block in blocks for line in (*block, "")]
    lines.append(options.paint(_summary(result, files), "bold"))
    return "".join(neutralise_line_start(line) + "\n" for line in lines)


def _rows(findings: list[Finding], options: FormatOptions) -> list[str]:
    places = [_position(f) for f in findings]
    width = max(len(p) for p in places)
    messages = [shown(f.message) for f in findings]
    return [
        f"  {where.ljust(width)}  {severity(finding, options, _SEVERITY_WIDTH)}  "
        f"{message}  {options.paint(shown(finding.code), 'dim')}"
        for where, finding, message in zip(places, findings, messages, strict=True)
    ]


def _position(finding: Finding) -> str:
    loc = finding.location
    return f"{loc.line or 1}:{loc.column or 1}" if loc.path else "-"


def _summary(result: RunResult, files: int) -> str:
    if not result.findings:
        return f"no findings in {plural(result.files, 'Markdown file')}"
    return f"{counted(result.findings)} in {plural(files, 'file')}"
