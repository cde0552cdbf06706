"""GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`.

GitHub shows at most 10 error and 10 warning annotations per step, so errors come first,
each level stops at that limit, and a last notice says how many more findings exist.
"""

from __future__ import annotations

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


def render(result: RunResult) -> str:
    lines = []
    shown: dict[str, int] = {}
    hidden = 0
    for finding in sorted(result.findings, key=lambda f: (-f.severity, f.sort_key())):
        level = LEVELS[finding.severity.label]
        shown[level] = shown.get(level, 0) + 1
        if shown[level] > SHOWN_PER_LEVEL:
            hidden += 1
            continue
        loc = finding.location
        properties = [f"file={escape_property(result.repo_path(loc.path))}"] if loc.path else []
        if loc.path and loc.line:
            properties.append(f"line={loc.line}")
        if loc.column:
            properties.append(f"col={loc.column}")
        properties.append(f"title={escape_property(f'techfile ({finding.code})')}")
        lines.append(f"::{level} {','.join(properties)}::{escape_data(finding.message)}")
    if hidden:
        lines.append(
            f"::notice title=techfile::{hidden} more finding(s) are not shown as annotations "
            "(GitHub shows 10 per level); see the job summary or the SARIF report"
        )
    return "".join(line + "\n" for line in lines)
