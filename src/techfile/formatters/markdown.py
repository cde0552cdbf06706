"""A Markdown summary for a CI job page: counts by rule, then every finding by document.

GitHub shows at most 10 annotations of each level in a step, so the summary (which the Action
writes to the job page) lists every finding, grouped by document, each document collapsible
with its counts, and says how many findings the annotations left out.

File names and messages come from the checked-out tree, and the page is rendered on GitHub:
a value that could become a link, an image, HTML or an autolink is shown as inline code in a
table, and as character references inside a document's `<summary>`.
"""

from __future__ import annotations

import html
import re
from collections import Counter

from techfile import __version__
from techfile.formatters.github import SHOWN_PER_LEVEL, annotated
from techfile.formatters.human import PLAIN, FormatOptions
from techfile.model.finding import WHOLE_FILE, Finding
from techfile.model.result import RunResult
from techfile.util.escape import for_markdown_code, for_terminal, neutralise_line_start

LIMIT = 1024 * 1024 - 4096  # GitHub rejects step summaries over 1 MiB
OPEN_UP_TO = 10  # a run with this many findings or fewer shows every document open


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


# What turns text into a link, image or HTML in GitHub Flavored Markdown: an inline link needs
# `](`, HTML and autolinks need `<`, and bare URLs and e-mail addresses are linked on their own.
_ACTIVE = re.compile(r"\]\(|<|://|www\.|@|mailto:|xmpp:", re.IGNORECASE)
# In raw HTML every ASCII sign but these few is written as a character reference, so no
# tag, entity, autolink or workflow command (`::`, `##[`) can be spelt out of a file name.
_PLAIN_SIGNS = frozenset(" /-_,")


def _cell(text: str) -> str:
    """A table cell: prose as it is (so a message's own code spans render), unless it could
    render as more than text, which is then one code span."""
    if text.isprintable() and not _ACTIVE.search(text):
        return text.replace("|", "\\|")
    return for_markdown_code(text, in_table=True)


def _html_text(text: str) -> str:
    shown = for_terminal(text)
    return "".join(
        f"&#{ord(c)};" if c.isascii() and not c.isalnum() and c not in _PLAIN_SIGNS else c
        for c in shown
    )


def _severities(findings: list[Finding]) -> str:
    counts = Counter(f.severity.label for f in findings)
    return ", ".join(
        _count(counts[label], label) for label in ("error", "warning", "info") if counts[label]
    )


def render(result: RunResult, options: FormatOptions = PLAIN) -> str:
    lines = _header(result)
    if not result.findings:
        return "\n".join([*lines, "No findings."]) + "\n"
    lines += _rule_table(result)
    lines += ["", "### Findings by document", ""]
    text = neutralise_line_start("\n".join(lines) + "\n")
    return text + _documents(result, LIMIT - len(text.encode()))


def _header(result: RunResult) -> list[str]:
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
    _, hidden = annotated(result.findings)
    if hidden:
        lines += [
            f"GitHub shows {SHOWN_PER_LEVEL} annotations of each level in a step: "
            f"{len(hidden)} of these {_count(len(result.findings), 'finding')} have no "
            "annotation. Every finding is listed below.",
            "",
        ]
    return lines


def _rule_table(result: RunResult) -> list[str]:
    counts = Counter(f.code for f in result.findings)
    lines = ["| rule | name | severity | findings |", "|---|---|---|---:|"]
    for code, count in sorted(counts.items()):
        page = result.pages.get(code)
        name = page.name if page else ""
        found = sorted({f.severity for f in result.findings if f.code == code}, reverse=True)
        severity = ", ".join(s.label for s in found)
        lines.append(f"| {_cell(code)} | {_cell(name)} | {severity} | {count} |")
    return lines


def _documents(result: RunResult, budget: int) -> str:
    """Each document's findings in a <details> block, in path order, as many as fit in
    `budget` bytes; a last line says how many findings did not fit."""
    groups: dict[str, list[Finding]] = {}
    for finding in sorted(result.findings, key=Finding.sort_key):
        groups.setdefault(finding.location.path, []).append(finding)
    opened = " open" if len(result.findings) <= OPEN_UP_TO else ""
    out: list[str] = []
    used = 0
    listed = 0
    for path, findings in groups.items():
        block = _document(path, findings, opened)
        size = len(block.encode())
        if used + size > budget - 512:
            break
        out.append(block)
        used += size
        listed += len(findings)
    left = len(result.findings) - listed
    if left:
        out.append(
            f"{_count(left, 'more finding')} are not listed: the summary would pass GitHub's "
            "1 MiB limit. The SARIF and JSON reports have every finding.\n"
        )
    return "".join(out)


def _document(path: str, findings: list[Finding], opened: str) -> str:
    ids = {f.location.doc_id for f in findings if f.location.doc_id}
    name = _html_text(path) if path else html.escape(WHOLE_FILE)
    if len(ids) == 1:
        name += f" ({_html_text(ids.pop())})"
    lines = [
        f"<details{opened}>",
        f"<summary>{name}: {_count(len(findings), 'finding')} ({_severities(findings)})</summary>",
        "",
        "| line | rule | severity | message |",
        "|---:|---|---|---|",
    ]
    for finding in findings:
        line = (finding.location.line or 1) if path else ""
        lines.append(
            f"| {line} | {_cell(finding.code)} | {finding.severity.label} | "
            f"{_cell(finding.message)} |"
        )
    lines += ["", "</details>", ""]
    return neutralise_line_start("\n".join(lines) + "\n")
