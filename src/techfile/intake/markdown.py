"""Read the parts of a Markdown body the rules use: headings and tables, with file lines."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from techfile.intake.directives import fenced_lines
from techfile.intake.gfm_rows import CELL_SPACE, delimiter_columns, row_cells
from techfile.intake.headings import first_h1 as first_h1  # parse and adopt read them here
from techfile.intake.headings import scan_headings as scan_headings
from techfile.model.table import Table

_STANDALONE_DIRECTIVE = re.compile(r"\s*<!--\s*techfile:.*-->\s*")
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
class Body:
    headings: tuple[tuple[int, str, int], ...] = ()  # (level, text, file line)
    tables: tuple[Table, ...] = ()
    external_tables: tuple[tuple[int, str], ...] = ()  # MyST csv-table directives: (line, file)
    cut_tables: tuple[tuple[int, int], ...] = ()  # (first line not read, rows in the run)


@functools.cache
def _parser() -> Any:
    """CommonMark with GFM tables, block level only: the rules read raw cell text, so
    inline parsing (a third of the time on large tables) is switched off. Tables are read
    by `_TableRule`, markdown-it's own algorithm emitting one token per table."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table").disable("inline")
    terminators = _terminators(md.block.ruler.getRules("blockquote"))
    md.block.ruler.at("table", _TableRule(terminators), {"alt": ["paragraph", "reference"]})
    return md


Rule = Callable[[Any, int, int, bool], bool]
TABLE_TOKEN = "techfile_table"
_MAX_AUTOCOMPLETED_CELLS = 0x10000  # markdown-it's cap on empty cells added to short rows


@dataclass(frozen=True, slots=True)
class _Terminators:
    """The rules that end a table (those that end a blockquote), by the first character a
    line must have for each to match; a rule not known here is asked about every line."""

    by_start: dict[str, tuple[Rule, ...]]
    others: tuple[Rule, ...]

    def end_table(self, state: Any, line: int, end_line: int) -> bool:
        start = state.bMarks[line] + state.tShift[line]
        first = state.src[start] if start < state.eMarks[line] else ""
        for rule in self.by_start.get(first, self.others):
            if rule(state, line, end_line, True):
                return True
        return False


def _terminators(rules: Sequence[Rule]) -> _Terminators:
    from markdown_it import rules_block

    starts: dict[Any, str] = {
        rules_block.fence: "~`",
        rules_block.blockquote: ">",
        rules_block.hr: "*-_",
        rules_block.list_block: "*-+0123456789",
        rules_block.html_block: "<",
        rules_block.heading: "#",
    }
    characters = {char for rule in rules for char in starts.get(rule, "")}
    by_start = {
        char: tuple(rule for rule in rules if char in starts.get(rule, char)) for char in characters
    }
    return _Terminators(by_start, tuple(rule for rule in rules if rule not in starts))


@dataclass(frozen=True, slots=True)
class _TableRule:
    """markdown-it's GFM `table` block rule (rules_block/table.py of markdown-it-py 4),
    step for step, except that a table becomes one `techfile_table` token: `meta["headers"]`
    holds the header cells and `meta["rows"]` (source line, cells) per body row, padded or
    cut to the header's column count, as markdown-it's inline tokens would hold them."""

    terminators: _Terminators

    def __call__(self, state: Any, start_line: int, end_line: int, silent: bool) -> bool:
        if start_line + 2 > end_line:
            return False
        delimiter_line = start_line + 1
        if state.sCount[delimiter_line] < state.blkIndent or state.is_code_block(delimiter_line):
            return False
        columns = delimiter_columns(_line_text(state, delimiter_line))
        if columns is None:
            return False
        header_text = _line_text(state, start_line).strip(CELL_SPACE)
        if "|" not in header_text or state.is_code_block(start_line):
            return False
        headers = row_cells(header_text)
        if not headers or len(headers) != columns:
            return False
        if silent:
            return True
        parent_type = state.parentType
        state.parentType = "table"
        rows, next_line = self._body_rows(state, start_line + 2, end_line, columns)
        token = state.push(TABLE_TOKEN, "table", 0)
        token.map = [start_line, next_line]
        token.meta = {"headers": _fitted(headers, columns), "rows": rows}
        state.parentType = parent_type
        state.line = next_line
        return True

    def _body_rows(
        self, state: Any, first_line: int, end_line: int, columns: int
    ) -> tuple[list[tuple[int, tuple[str, ...]]], int]:
        rows: list[tuple[int, tuple[str, ...]]] = []
        autocompleted = 0
        line = first_line
        while line < end_line:
            if state.sCount[line] < state.blkIndent:
                break
            if self.terminators.end_table(state, line, end_line):
                break
            text = _line_text(state, line).strip(CELL_SPACE)
            if not text or state.is_code_block(line):
                break
            cells = row_cells(text)
            autocompleted += columns - len(cells)
            if autocompleted > _MAX_AUTOCOMPLETED_CELLS:
                break
            rows.append((line, _fitted(cells, columns)))
            line += 1
        return rows, line


def _line_text(state: Any, line: int) -> str:
    text: str = state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]
    return text


def _fitted(cells: list[str], columns: int) -> tuple[str, ...]:
    """The trimmed text of the first `columns` cells, empty ones added to a short row."""
    fitted = [cell.strip(CELL_SPACE) for cell in cells[:columns]]
    if len(fitted) < columns:
        fitted.extend([""] * (columns - len(fitted)))
    return tuple(fitted)


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
    def file_line(source_line: int) -> int:
        return line_map[source_line] if source_line < len(line_map) else 0

    headings: list[tuple[int, str, int]] = []
    tables: list[Table] = []
    external: list[tuple[int, str]] = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            headings.append((int(token.tag[1]), tokens[index + 1].content, file_line(token.map[0])))
        elif token.type == TABLE_TOKEN:
            tables.append(_table(token.meta, file_line(token.map[0]), file_line))
        elif token.type == "fence" and token.info.strip().startswith("{csv-table}"):
            source = _csv_table_file(token.content)
            if source:
                external.append((file_line(token.map[0]), source))
    return Body(tuple(headings), tuple(tables), tuple(external))


def _csv_table_file(content: str) -> str | None:
    """The `:file:` (or `file:` in a `---` block) option of a MyST csv-table directive."""
    for line in content.split("\n"):
        match = re.match(r"\s*:?file:?\s*:?\s*(\S+)\s*$", line)
        if match and not line.strip().startswith("---"):
            return match.group(1)
    return None


def _table(meta: dict[str, Any], line: int, file_line: Callable[[int], int]) -> Table:
    rows = tuple(
        (file_line(source_line), cells)
        for source_line, cells in meta["rows"]
        if not template_row(cells)
    )
    return Table(line, meta["headers"], rows)
