"""The one-token table rule reads exactly what markdown-it's stock GFM `table` rule reads.

`reference_body` is `parse_body` as it was with the stock rule: the body's tokens walked
tr/td/inline by inline. Every generated body must give the same `Body` both ways.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from techfile.intake.directives import fenced_lines
from techfile.intake.markdown import (
    _STANDALONE_DIRECTIVE,
    CELL_SPACE,
    Body,
    _csv_table_file,
    _cut_long_tables,
    parse_body,
    template_row,
)
from techfile.model.table import Table


@functools.cache
def _stock_parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").disable("inline")


def reference_body(body: str, body_line: int, max_table_rows: int = 20_000) -> Body:
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
    parsed = _stock_collect(_stock_parser().parse("\n".join(kept)), line_map)
    return Body(parsed.headings, parsed.tables, parsed.external_tables, tuple(cut))


def _stock_collect(tokens: list[Any], line_map: list[int]) -> Body:
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
            table, index = _stock_table(tokens, index, file_line)
            tables.append(table)
            continue
        elif token.type == "fence" and token.info.strip().startswith("{csv-table}"):
            source = _csv_table_file(token.content)
            if source:
                external.append((file_line(token), source))
        index += 1
    return Body(tuple(headings), tuple(tables), tuple(external))


def _stock_table(tokens: list[Any], start: int, file_line: Any) -> tuple[Table, int]:
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


CELL_PIECES = st.sampled_from(
    [
        "a",
        "B",
        "1",
        " ",
        "\t",
        "|",
        "\\",
        "\\|",
        "`",
        "``",
        "*",
        "-",
        ":",
        "#",
        ">",
        "<b>",
        "{{ x }}",
        "TODO",
        "\u00a0",
        "\u2003",
        "\u3000",
        "\u0085",
        "\ufeff",
        "é",
    ]
)
CELL_TEXT = st.lists(CELL_PIECES, max_size=6).map("".join)
VALID_DELIMITERS = ["---", "-", ":--", "--:", ":-:", " --- ", "---\t"]
DELIMITER_CELL = st.sampled_from(VALID_DELIMITERS * 4 + ["", "- -", ":", "::", "-x-"])
CONTAINER = st.sampled_from(
    ["", "", "", " ", "  ", "   ", "    ", "\t", "> ", ">", "- ", "1. ", "  - ", "> > ", "* ", "+ "]
)
CONTINUATION = {"- ": "  ", "* ": "  ", "+ ": "  ", "1. ": "   ", "  - ": "    "}
OTHER_LINE = st.sampled_from(
    [
        "",
        "",
        "text",
        "# Heading",
        "## Risks |",
        "Setext",
        "===",
        "---",
        "***",
        "___",
        "```",
        "```{csv-table} Risks",
        ":file: data/risks.csv",
        "~~~",
        "> quote",
        "- item",
        "1. item",
        "2) item",
        "    code | a",
        "<div>",
        "<!-- techfile: items=risks -->",
        "<!-- techfile: ignore[RM001] -->",
        "| a |",
        "a | b",
        "|---|",
        "--- | ---",
        "\\| x |",
        "[ref]: /url",
        "<!-- comment -->",
        "+ plus",
        "\t| tab |",
        "#no heading",
    ]
)


@st.composite
def table_block(draw: st.DrawFn) -> list[str]:
    columns = draw(st.integers(1, 4))
    lead, trail = draw(st.booleans()), draw(st.booleans())

    def row(cells: list[str]) -> str:
        text = " | ".join(cells)
        return ("| " if lead else "") + text + (" |" if trail else "")

    header = row(draw(st.lists(CELL_TEXT, min_size=columns, max_size=columns)))
    width = draw(st.sampled_from([columns] * 4 + [columns + 1, columns - 1]))
    delimiter_cells = draw(st.lists(DELIMITER_CELL, min_size=width, max_size=width))
    lines = [header, row(delimiter_cells)]
    for _ in range(draw(st.integers(0, 5))):
        lines.append(row(draw(st.lists(CELL_TEXT, min_size=0, max_size=columns + 2))))
    prefix = draw(CONTAINER)
    follow = CONTINUATION.get(prefix, prefix) if draw(st.integers(0, 3)) else draw(CONTAINER)
    return [prefix + lines[0]] + [follow + line for line in lines[1:]]


BLOCKS = st.lists(
    st.one_of(
        table_block(), table_block(), st.tuples(CONTAINER, OTHER_LINE).map(lambda p: ["".join(p)])
    ),
    max_size=12,
)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blocks=BLOCKS, body_line=st.integers(1, 40), max_rows=st.sampled_from([2, 20_000]))
@example(
    blocks=[["| a \\| b | c |", "|---|:-:|", "| x \\\\| y | z | w |"]], body_line=1, max_rows=9
)
@example(blocks=[["a|b", "-|-", "1"], ["# after"]], body_line=3, max_rows=20_000)
@example(blocks=[["> | a |", "> |---|", "> | 1 |", "| lazy |"]], body_line=1, max_rows=20_000)
@example(
    blocks=[["| a | b |", "|---|---|", "| 1 | 2 |", "<div>", "| 3 | 4 |"]], body_line=1, max_rows=9
)
@example(blocks=[["| a |", "|---|", "| 1 |", "~~~", "| 2 |", "~~~"]], body_line=1, max_rows=9)
@example(blocks=[["\x85| a |", "|---|---|", "\x85| 1 |"]], body_line=1, max_rows=9)
def test_fast_table_rule_reads_what_the_stock_rule_reads(
    blocks: list[list[str]], body_line: int, max_rows: int
) -> None:
    body = "\n".join(line for block in blocks for line in block)
    assert parse_body(body, body_line, max_rows) == reference_body(body, body_line, max_rows)


@given(text=st.text(max_size=200))
@settings(max_examples=500, deadline=None)
def test_any_text_reads_the_same(text: str) -> None:
    assert parse_body(text, 1) == reference_body(text, 1)


def test_autocompleted_cells_are_capped_as_markdown_it_caps_them() -> None:
    header = "|" + "|".join(f"h{i}" for i in range(400)) + "|"
    delimiter = "|" + "|".join("-" for _ in range(400)) + "|"
    body = "\n".join([header, delimiter, *(f"| r{i} |" for i in range(200))])
    fast = parse_body(body, 1)
    assert fast == reference_body(body, 1)
    assert 0 < len(fast.tables[0].rows) < 200


def test_long_rows_are_cut_and_short_rows_padded() -> None:
    body = "| a | b |\n|---|---|\n| 1 | 2 | 3 |\n| 4 |\n\n| x |\n|---|\n| `|` \\| y |"
    fast = parse_body(body, 5)
    assert fast == reference_body(body, 5)
    assert fast.tables[0].rows == ((7, ("1", "2")), (8, ("4", "")))
    assert fast.tables[1].rows == ((12, ("`",)),)


def test_cell_space_is_markdown_its_trim_set() -> None:
    from markdown_it.common import utils

    assert getattr(utils, "MD_TRIM_CHARS", CELL_SPACE) == CELL_SPACE


def test_every_markdown_file_of_the_repository_reads_the_same() -> None:
    root = Path(__file__).resolve().parent.parent
    for folder in ("examples", "fixtures", "data", "docs", "checks"):
        for path in sorted((root / folder).rglob("*.md")):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert parse_body(text, 1) == reference_body(text, 1), path
