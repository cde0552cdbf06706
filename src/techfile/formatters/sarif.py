"""SARIF 2.1.0 for code scanning. Rules come from the checks/ pages.

Suppressed findings are left out: GitHub code scanning ignores SARIF suppressions and
would show them as open alerts; `techfile waivers` lists them instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from techfile import __version__
from techfile.data.pages import RulePage
from techfile.formatters.json_format import dumps
from techfile.model.finding import Finding, Location
from techfile.model.result import RunResult

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
INFORMATION_URI = "https://github.com/techfile/techfile"


def render(result: RunResult) -> str:
    codes = sorted(result.selected or result.pages)
    rule_index = {code: position for position, code in enumerate(codes)}
    run = {
        "tool": {
            "driver": {
                "name": "techfile",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(result.pages[code]) for code in codes],
            }
        },
        "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "repository root"}}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, rule_index, result.anchor) for f in result.findings],
    }
    sarif = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return dumps(sarif)


def _rule(page: RulePage) -> dict[str, Any]:
    return {
        "id": page.code,
        "name": page.name,
        "shortDescription": {"text": page.summary},
        "fullDescription": {"text": f"{page.summary} Enforces: {page.clause_text}."},
        "help": {"text": page.body, "markdown": page.body},
        "defaultConfiguration": {"level": LEVELS[page.severity.label]},
        "properties": {"tags": [page.family, *page.clauses], "clauses": list(page.clauses)},
    }


def _result(
    finding: Finding, rule_index: dict[str, int], repo_path: Callable[[str], str]
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "level": LEVELS[finding.severity.label],
        "message": {"text": finding.message},
        "locations": [_location(finding.location, repo_path)],
        "partialFingerprints": {"techfile/v2": finding.fingerprint},
    }
    if finding.code in rule_index:
        result["ruleIndex"] = rule_index[finding.code]
    if finding.related:
        result["relatedLocations"] = [
            {"id": position, **_location(loc, repo_path)}
            for position, loc in enumerate(finding.related)
        ]
    if finding.clause:
        result["properties"] = {"clause": finding.clause}
    return result


def _location(location: Location, repo_path: Callable[[str], str]) -> dict[str, Any]:
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": _uri(repo_path(location.path)), "uriBaseId": "%SRCROOT%"}
    }
    if location.line > 0:
        region: dict[str, Any] = {"startLine": location.line}
        if location.column > 0:
            region["startColumn"] = location.column
        physical["region"] = region
    return {"physicalLocation": physical}


def _uri(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/")
