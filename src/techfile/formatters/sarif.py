"""SARIF 2.1.0 for code scanning. Rules come from the checks/ pages.

Only the rules that have results are described (`all_rules` describes every selected rule),
each by its summary, its clauses, the page's "How to fix" as `help`, and a `helpUri` to the
page at the release's tag. A result's `message.text` is the finding's message, followed by
embedded links (`[path:line](id)`) to its related locations; its `why` and `fix` are in the
result's `properties`.

Suppressed findings are left out: GitHub code scanning ignores SARIF suppressions and
would show them as open alerts; `techfile waivers` lists them instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from techfile import __version__
from techfile.data.pages import RulePage
from techfile.formatters.human import PLAIN, FormatOptions
from techfile.formatters.json_format import dumps
from techfile.model.finding import Finding, Location
from techfile.model.result import RunResult

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
INFORMATION_URI = "https://github.com/techfile/techfile"
LINKED_IN_MESSAGE = 10  # related locations named in the message; all are in relatedLocations
RELATED_LIMIT = 1000  # GitHub code scanning reads no more related locations per result


def rule_page_uri(page: RulePage) -> str:
    """The rule's page at this release's tag: stable for as long as the release exists."""
    return f"{INFORMATION_URI}/blob/v{__version__}/checks/{quote(page.filename)}"


def render(result: RunResult, options: FormatOptions = PLAIN) -> str:
    """`options.all_rules` (`--sarif-all-rules`) describes every selected rule, not only those
    with results."""
    described = (result.selected or set(result.pages)) if options.all_rules else set()
    codes = sorted((described | {f.code for f in result.findings}) & set(result.pages))
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
    how_to_fix = page.sections.get("how to fix", "").strip() or page.summary
    return {
        "id": page.code,
        "name": page.name,
        "shortDescription": {"text": page.summary},
        "fullDescription": {"text": f"{page.summary} Enforces: {page.clause_text}."},
        "help": {"text": how_to_fix, "markdown": how_to_fix},
        "helpUri": rule_page_uri(page),
        "defaultConfiguration": {"level": LEVELS[page.severity.label]},
        "properties": {"tags": [page.family, *page.clauses], "clauses": list(page.clauses)},
    }


def _result(
    finding: Finding, rule_index: dict[str, int], repo_path: Callable[[str], str]
) -> dict[str, Any]:
    related = finding.related[:RELATED_LIMIT]
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "level": LEVELS[finding.severity.label],
        "message": {"text": finding.message + _related_links(related, repo_path)},
        "locations": [_location(finding.location, repo_path)],
        "partialFingerprints": {"techfile/v2": finding.fingerprint},
    }
    if finding.code in rule_index:
        result["ruleIndex"] = rule_index[finding.code]
    if related:
        result["relatedLocations"] = [
            {"id": number, **_location(loc, repo_path)}
            for number, loc in enumerate(related, start=1)
        ]
    properties = {
        key: value
        for key, value in (("clause", finding.clause), ("why", finding.why), ("fix", finding.fix))
        if value
    }
    if properties:
        result["properties"] = properties
    return result


def _related_links(related: tuple[Location, ...], repo_path: Callable[[str], str]) -> str:
    """` See also: [a.md:4](1), [b.md:9](2).`: SARIF embedded links to relatedLocations ids,
    which code scanning shows as links to those places."""
    if not related:
        return ""
    links = [
        f"[{_link_text(loc, repo_path)}]({number})"
        for number, loc in enumerate(related[:LINKED_IN_MESSAGE], start=1)
    ]
    more = len(related) - LINKED_IN_MESSAGE
    if more > 0:
        links.append(f"and {more} more")
    return f" See also: {', '.join(links)}."


def _link_text(location: Location, repo_path: Callable[[str], str]) -> str:
    """Link text escapes `\\`, `[` and `]` with a backslash (SARIF 2.1.0 3.11.6)."""
    text = repo_path(location.path)
    if location.line > 0:
        text += f":{location.line}"
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


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
    return quote(path, safe="/")
