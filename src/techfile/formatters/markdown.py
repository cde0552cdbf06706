"""A Markdown summary for a CI job page: counts by rule, then the top findings."""

from __future__ import annotations

from collections import Counter

from techfile import __version__
from techfile.model.result import RunResult

TOP = 50
LIMIT = 1024 * 1024 - 4096  # GitHub rejects step summaries over 1 MiB


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


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
        lines.append(f"| {code} | {name} | {severity} | {count} |")
    ranked = sorted(result.findings, key=lambda f: (-f.severity, f.sort_key()))
    lines += ["", f"### Top findings ({min(TOP, len(ranked))} of {len(ranked)})", ""]
    lines += ["| where | rule | message |", "|---|---|---|"]
    for finding in ranked[:TOP]:
        loc = finding.location
        where = f"`{loc.path}:{loc.line or 1}`"
        lines.append(f"| {where} | {finding.code} | {_cell(finding.message)} |")
    text = "\n".join(lines) + "\n"
    if len(text.encode()) > LIMIT:
        text = text.encode()[:LIMIT].decode(errors="ignore").rsplit("\n", 1)[0]
        text += "\n\n(truncated to stay under GitHub's 1 MiB summary limit)\n"
    return text
