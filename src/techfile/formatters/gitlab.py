"""GitLab Code Quality report: a JSON list of Code Climate issues.

`description` is the finding's message; `content.body` (Markdown, which Code Climate readers
render) carries its why and fix and a link to the rule's page, with every character of the
finding's text that Markdown could act on escaped with a backslash. `categories` comes from
the rule's family; fingerprints are unique in a run (GitLab matches issues across base and
head by fingerprint).
"""

from __future__ import annotations

import re
from typing import Any

from techfile.formatters.human import PLAIN, FormatOptions
from techfile.formatters.json_format import dumps
from techfile.formatters.sarif import rule_page_uri
from techfile.model.finding import Finding
from techfile.model.result import RunResult
from techfile.util.escape import for_terminal

SEVERITIES = {"error": "critical", "warning": "major", "info": "info"}
# Code Climate's categories, by rule family: what a developer's tooling sorts issues by
CATEGORIES = {
    "risk": "Security",
    "lifecycle": "Security",
    "supply-chain": "Security",
    "isms": "Security",
    "disclosure": "Security",
    "standards": "Compatibility",
    "suppression": "Clarity",
}
DEFAULT_CATEGORY = "Bug Risk"  # front-matter, identity, evidence, document control, submission
_MARKDOWN_ACTIVE = re.compile(r"[\\`*_\[\]<>!|~&#@]|:(?=//)|(?<=www)\.", re.IGNORECASE)


def _markdown_text(text: str) -> str:
    """One line of literal text in Markdown: a backslash before every character that could
    start a link, image, HTML, entity, code span or emphasis, or complete an autolink (`://`,
    `www.`, `@`), and control characters shown as escapes."""
    return _MARKDOWN_ACTIVE.sub(lambda found: "\\" + found[0], for_terminal(text))


def render(result: RunResult, options: FormatOptions = PLAIN) -> str:
    return dumps([_issue(f, result) for f in result.findings])


def _issue(finding: Finding, result: RunResult) -> dict[str, Any]:
    page = result.pages.get(finding.code)
    family = page.family if page else ""
    parts = [
        f"**{label}:** {_markdown_text(text)}"
        for label, text in (("Why", finding.why), ("Fix", finding.fix))
        if text
    ]
    if page:
        parts.append(f"Rule: [{page.code} {page.name}]({rule_page_uri(page)})")
    return {
        "type": "issue",
        "check_name": finding.code,
        "description": finding.message,
        "content": {"body": "\n\n".join(parts)},
        "categories": [CATEGORIES.get(family, DEFAULT_CATEGORY)],
        "fingerprint": finding.fingerprint,
        "severity": SEVERITIES[finding.severity.label],
        "location": {
            "path": result.anchor(finding.location.path),
            "lines": {"begin": finding.location.line or 1},
        },
    }
