"""GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`."""

from __future__ import annotations

from techfile.engine.run import RunResult

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: RunResult) -> str:
    lines = []
    for finding in result.findings:
        loc = finding.location
        properties = [f"file={escape_property(loc.path)}"]
        if loc.line:
            properties.append(f"line={loc.line}")
        if loc.column:
            properties.append(f"col={loc.column}")
        properties.append(f"title={escape_property(f'techfile ({finding.code})')}")
        level = LEVELS[finding.severity.label]
        lines.append(f"::{level} {','.join(properties)}::{escape_data(finding.message)}")
    return "".join(line + "\n" for line in lines)
