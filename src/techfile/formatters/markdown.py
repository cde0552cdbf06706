"""A Markdown summary for a CI job page: counts by rule, then the top findings.

File names and messages come from the checked-out tree, and the page is rendered on GitHub:
a value that could become a link, an image, HTML or an autolink is shown as inline code.
"""

from __future__ import annotations

import re
from collections import Counter

from techfile import __version__
from techfile.model.finding import WHOLE_FILE
from techfile.model.result import RunResult
from techfile.util.escape import for_markdown_code, neutralise_line_start

TOP = 50
LIMIT = 1024 * 1024 - 4096  # GitHub rejects step summaries over 1 MiB


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


# What turns text into a link, image or HTML in GitHub Flavored Markdown: an inline link needs
# `](`, HTML and autolinks need `<`, and bare URLs and e-mail addresses are linked on their own.
_ACTIVE = re.compile(r"\]\(|<|://|www\.|@|mailto:|xmpp:", re.IGNORECASE)


def _cell(text: str) -> str:
    """A table cell: prose as it is (so a message's own code spans render), unless it could
    render as more than text, which is then one code span."""
    if text.isprintable() and not _ACTIVE.search(text):
        return text.replace("|", "\\|")
    return for_markdown_code(text, in_table=True)


def render(result: RunResult) -> str:
    counts = Counter(f.code for f in result.findings)
    severities = Counter(f.severity.label for f in result.findings)
    lines = [
        "## techfile",
        "",
        f"{_count(len(result.findings), 'finding')} ({_count(severities['error'], 'error')}, "
        f"{_count(severities['warning'], 'warning')}, {_count(severities['info'], 'info')}) "
        f"in {_count(result.files, 'file')}, "
        f"{result.classified} classified; as of {result.as_of.isoformat()}; "
        f"techfile {__version__}.",
        "",
    ]
    if result.suppressed:
        lines += [
            f"{_count(len(result.suppressed), 'finding')} suppressed "
            "(`techfile waivers` lists them).",
            "",
        ]
    if not result.findings:
        return "\n".join([*lines, "No findings."]) + "\n"
    lines += ["| rule | name | severity | findings |", "|---|---|---|---:|"]
    for code, count in sorted(counts.items()):
        page = result.pages.get(code)
        name = page.name if page else ""
        found = sorted({f.severity for f in result.findings if f.code == code}, reverse=True)
        severity = ", ".join(s.label for s in found)
        lines.append(f"| {_cell(code)} | {_cell(name)} | {severity} | {count} |")
    ranked = sorted(result.findings, key=lambda f: (-f.severity, f.sort_key()))
    lines += ["", f"### Top findings ({min(TOP, len(ranked))} of {len(ranked)})", ""]
    lines += ["| where | rule | message |", "|---|---|---|"]
    for finding in ranked[:TOP]:
        loc = finding.location
        where = (
            for_markdown_code(f"{loc.path}:{loc.line or 1}", in_table=True)
            if loc.path
            else WHOLE_FILE
        )
        lines.append(f"| {where} | {_cell(finding.code)} | {_cell(finding.message)} |")
    text = neutralise_line_start("\n".join(lines) + "\n")
    if len(text.encode()) > LIMIT:
        text = text.encode()[:LIMIT].decode(errors="ignore").rsplit("\n", 1)[0]
        text += "\n\n(truncated to stay under GitHub's 1 MiB summary limit)\n"
    return text
