"""GitLab Code Quality report (a JSON list of issues)."""

from __future__ import annotations

from techfile.formatters.json_format import dumps
from techfile.model.result import RunResult

SEVERITIES = {"error": "critical", "warning": "major", "info": "info"}


def render(result: RunResult) -> str:
    issues = [
        {
            "description": f"{f.code}: {f.message}",
            "check_name": f.code,
            "fingerprint": f.fingerprint,
            "severity": SEVERITIES[f.severity.label],
            "location": {
                "path": result.anchor(f.location.path),
                "lines": {"begin": f.location.line or 1},
            },
        }
        for f in result.findings
    ]
    return dumps(issues)
