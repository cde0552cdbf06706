"""Each finding in full, as ruff's full output: the text line, the source line it points at
with a caret under the column, then why (the clause and what a notified body makes of it),
what to do, and the other places the finding stands for.

```
security/threat-model.md:79:3: RM001 [error] threat T-06 reaches no risk-analysis row (...)
   |
79 |   - id: T-06
   |   ^
   = why: MDCG 2019-16 Rev.1 3.2 expects security risks that can lead to harm in the ...
   = fix: add the risk row to its `risk_refs`
```

A finding about a whole file or the technical file has no source line; an empty `why` or
`fix` (a rule that does not give one) is left out. Long source lines are cut to a window
around the column; why and fix are wrapped at 100 columns.
"""

from __future__ import annotations

import textwrap
from dataclasses import replace

from techfile.formatters.human import PLAIN, SEVERITY_STYLE, FormatOptions, place
from techfile.formatters.text import render as text_lines
from techfile.model.finding import Finding
from techfile.model.result import RunResult
from techfile.util.escape import neutralise_line_start, shown

WIDTH = 100
SOURCE_WIDTH = 120  # characters of a source line shown around the column
RELATED_SHOWN = 5


def render(result: RunResult, options: FormatOptions = PLAIN) -> str:
    blocks = []
    for finding in result.findings:
        head = text_lines(_alone(result, finding), options).rstrip("\n")
        source, notes = _source(finding, options), _notes(finding, options)
        if source and notes:
            source.append(source[0])  # the empty gutter closes the quote, as in ruff
        body = [*source, *notes]
        blocks.append("\n".join([head, *body]) + "\n")
    return "\n".join(blocks)


def _alone(result: RunResult, finding: Finding) -> RunResult:
    """The result with just this finding, for its first line in the text format."""
    return replace(result, findings=[finding])


def _source(finding: Finding, options: FormatOptions) -> list[str]:
    loc = finding.location
    if not (loc.path and loc.line and options.source_line):
        return []
    line = options.source_line(loc.path, loc.line)
    if line is None:
        return []
    number = str(loc.line)
    gutter = options.paint(" " * len(number) + " |", "blue")
    shown_line, caret_at = _window(line, loc.column)
    rows = [gutter, f"{options.paint(number + ' |', 'blue')} {shown_line}"]
    if caret_at is not None:
        caret = options.paint("^", SEVERITY_STYLE[finding.severity])
        rows.append(f"{gutter} {' ' * caret_at}{caret}")
    return [neutralise_line_start(row).rstrip() for row in rows]


def _window(line: str, column: int) -> tuple[str, int | None]:
    """The line escaped for display, cut to SOURCE_WIDTH characters around `column`, and
    where the caret goes under it (None when the column is unknown)."""
    before = shown(line[: max(column - 1, 0)].expandtabs(4))
    whole = shown(line.expandtabs(4))
    start = max(0, len(before) - SOURCE_WIDTH // 2) if len(whole) > SOURCE_WIDTH else 0
    cut = whole[start : start + SOURCE_WIDTH]
    prefix = "…" if start else ""
    suffix = "…" if start + SOURCE_WIDTH < len(whole) else ""
    caret_at = len(prefix) + len(before) - start if column else None
    return f"{prefix}{cut}{suffix}", caret_at


def _notes(finding: Finding, options: FormatOptions) -> list[str]:
    notes = [("why", finding.why), ("fix", finding.fix)]
    related = [place(loc, options) for loc in finding.related[:RELATED_SHOWN]]
    more = len(finding.related) - RELATED_SHOWN
    if related:
        notes.append(("also", ", ".join(related) + (f" and {more} more" if more > 0 else "")))
    lines = []
    for label, value in notes:
        if not value.strip():
            continue
        tag = "   = "
        wrapped = textwrap.wrap(
            shown(value.strip()) if label != "also" else value,
            WIDTH - len(tag) - len(label) - 2,
            break_long_words=False,
            break_on_hyphens=False,
        )
        indent = " " * (len(tag) + len(label) + 2)
        first, *rest = wrapped
        lines.append(f"{tag}{options.paint(label, 'bold')}: {first}")
        lines.extend(indent + part for part in rest)
    return [neutralise_line_start(line) for line in lines]
