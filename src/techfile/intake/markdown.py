"""Read the parts of a Markdown body the rules use: headings and tables, with file lines."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from techfile.intake.directives import fenced_lines

_STANDALONE_DIRECTIVE = re.compile(r"\s*<!--\s*techfile:.*-->\s*")
_ATX_H1 = re.compile(r" {0,3}#[ \t]+(.+?)[ \t#]*")
_PLACEHOLDER = re.compile(r"\b(?:TODO|TBD|TBC|FIXME|XXX)\b|\{\{[^}]*\}\}")
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")


def template_row(cells: tuple[str, ...] | list[str]) -> bool:
    """A table row of a Jinja template (`| {{ risk.id }} | {{ risk.hazard }} |`, a `{% for %}`
    line): every filled cell holds a template expression, so the row is no data of its own."""
    filled = [c for c in cells if c.strip()]
    return bool(filled) and all(_TEMPLATE.search(c) for c in filled)


def placeholders(body: str, body_line: int) -> tuple[tuple[int, str], ...]:
    """Unfinished-work markers outside code fences: TODO, TBD, TBC, FIXME, XXX, {{ ... }}."""
    if (
        "TODO" not in body
        and "TB" not in body
        and "{{" not in body
        and "FIXME" not in body
        and "XXX" not in body
    ):
        return ()
    lines = body.split("\n")
    skipped = fenced_lines(lines)
    found = []
    for index, line in enumerate(lines):
        if index in skipped:
            continue
        match = _PLACEHOLDER.search(line)
        if match:
            found.append((body_line + index, match.group(0)))
    return tuple(found)


@dataclass(frozen=True, slots=True)
class Table:
    line: int  # file line of the header row
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # (file line, raw cell texts)
    path: str | None = None  # the file the rows are in, when not the document (a CSV file)


@dataclass(frozen=True, slots=True)
class Body:
    headings: tuple[tuple[int, str, int], ...] = ()  # (level, text, file line)
    tables: tuple[Table, ...] = ()
    external_tables: tuple[tuple[int, str], ...] = ()  # MyST csv-table directives: (line, file)
    cut_tables: tuple[tuple[int, int], ...] = ()  # (first line not read, rows in the run)


@functools.cache
def _parser() -> Any:
    """CommonMark with GFM tables, block level only: the rules read raw cell text, so
    inline parsing (a third of the time on large tables) is switched off."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").disable("inline")


_ATX = re.compile(r" {0,3}(#{1,6})[ \t]+(.+?)[ \t#]*")


def scan_headings(body: str, body_line: int) -> tuple[tuple[int, str, int], ...]:
    """ATX headings outside code fences, for documents whose body is not parsed."""
    lines = body.split("\n")
    skipped = fenced_lines(lines) if "```" in body or "~~~" in body else set()
    found = []
    for index, line in enumerate(lines):
        if index in skipped or "#" not in line[:4]:
            continue
        match = _ATX.fullmatch(line)
        if match:
            found.append((len(match.group(1)), match.group(2).strip(), body_line + index))
    return tuple(found)


def first_h1(body: str, body_line: int) -> tuple[str, int] | None:
    """The first ATX `# heading` outside code fences, without parsing the whole body."""
    lines = body.split("\n")
    skipped = fenced_lines(lines)
    for index, line in enumerate(lines):
        if index in skipped or not line.lstrip().startswith("#"):
            continue
        match = _ATX_H1.fullmatch(line)
        if match:
            return match.group(1).strip(), body_line + index
    return None


def parse_body(body: str, body_line: int, max_table_rows: int = 20_000) -> Body:
    """Parse a body with markdown-it (CommonMark + GFM tables).

    Stand-alone directive comments are taken out before parsing, so that an
    `ignore[...]` line between two table rows does not end the table; a line map keeps
    every reported line the file's own.
    """
    lines = body.split("\n")
    skipped = fenced_lines(lines)
    kept: list[str] = []
    line_map: list[int] = []
    for index, line in enumerate(lines):
        if index not in skipped and _STANDALONE_DIRECTIVE.fullmatch(line):
            continue
        kept.append(line)
        line_map.append(body_line + index)
    cut = _cut_long_tables(kept, line_map, max_table_rows)
    tokens = _parser().parse("\n".join(kept))
    parsed = _collect(tokens, line_map)
    return Body(parsed.headings, parsed.tables, parsed.external_tables, tuple(cut))


def _cut_long_tables(lines: list[str], line_map: list[int], limit: int) -> list[tuple[int, int]]:
    """Blank the rows of a table run beyond `limit` (in place, keeping line numbers), so a
    hostile 100,000-row table costs bounded time. Returns (first cut line, run length)."""
    cut: list[tuple[int, int]] = []
    start = None
    for index in range(len(lines) + 1):
        in_run = index < len(lines) and "|" in lines[index]
        if in_run and start is None:
            start = index
        elif not in_run and start is not None:
            if index - start > limit + 2:  # header and delimiter rows come on top
                cut.append((line_map[start + limit + 2], index - start - 2))
                for blank in range(start + limit + 2, index):
                    lines[blank] = ""
            start = None
    return cut


def _collect(tokens: list[Any], line_map: list[int]) -> Body:
    def file_line(token: Any) -> int:
        return line_map[token.map[0]] if token.map and token.map[0] < len(line_map) else 0

    headings: list[tuple[int, str, int]] = []
    tables: list[Table] = []
    external: list[tuple[int, str]] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open":
            headings.append((int(token.tag[1]), tokens[index + 1].content, file_line(token)))
        elif token.type == "table_open":
            table, index = _table(tokens, index, file_line)
            tables.append(table)
            continue
        elif token.type == "fence" and token.info.strip().startswith("{csv-table}"):
            source = _csv_table_file(token.content)
            if source:
                external.append((file_line(token), source))
        index += 1
    return Body(tuple(headings), tuple(tables), tuple(external))


def _csv_table_file(content: str) -> str | None:
    """The `:file:` (or `file:` in a `---` block) option of a MyST csv-table directive."""
    for line in content.split("\n"):
        match = re.match(r"\s*:?file:?\s*:?\s*(\S+)\s*$", line)
        if match and not line.strip().startswith("---"):
            return match.group(1)
    return None


def _table(tokens: list[Any], start: int, file_line: Any) -> tuple[Table, int]:
    headers: list[str] = []
    rows: list[tuple[int, tuple[str, ...]]] = []
    current: list[str] = []
    row_line = 0
    in_head = False
    index = start + 1
    while index < len(tokens) and tokens[index].type != "table_close":
        token = tokens[index]
        if token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open":
            current, row_line = [], file_line(token)
        elif token.type == "inline":
            current.append(token.content)
        elif token.type == "tr_close":
            if in_head:
                headers = current
            elif not template_row(current):
                rows.append((row_line, tuple(current)))
        index += 1
    return Table(file_line(tokens[start]), tuple(headers), tuple(rows)), index + 1
