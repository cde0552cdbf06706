"""The rows of a GFM table as markdown-it reads them (rules_block/table.py of markdown-it-py 4):
the alignment row that makes a table, and the cells of a row. `markdown` reads tables with
them, `headings` tells a table's delimiter row from a setext underline."""

from __future__ import annotations

import re

# markdown-it's `mdTrim` set: JavaScript's trim() without U+FEFF
CELL_SPACE = "".join(
    chr(code)
    for code in sorted(
        {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000}
        | set(range(0x2000, 0x200B))
    )
)
_DELIMITER_ROW = re.compile(r"(?:[|:][-|: \t]|-[-|:])[-|: \t]*")
_DELIMITER_CELL = re.compile(r":?-+:?")


def delimiter_columns(text: str) -> int | None:
    """The number of columns of an alignment row (`|:--|--:|`), None if it is not one."""
    if not _DELIMITER_ROW.fullmatch(text):
        return None
    columns = text.split("|")
    last = len(columns) - 1
    count = 0
    for index, column in enumerate(columns):
        cell = column.strip(CELL_SPACE)
        if not cell:
            if index == 0 or index == last:
                continue
            return None
        if not _DELIMITER_CELL.fullmatch(cell):
            return None
        count += 1
    return count


def row_cells(text: str) -> list[str]:
    """Split a row at its unescaped pipes (`\\|` is a pipe inside a cell and loses its
    backslash) and drop the empty cells outside a leading and a trailing pipe."""
    cells = text.split("|")
    if "\\" in text:
        cells = _join_escaped(cells)
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return cells


def _join_escaped(pieces: list[str]) -> list[str]:
    cells = [pieces[0]]
    for piece in pieces[1:]:
        if cells[-1].endswith("\\"):
            cells[-1] = cells[-1][:-1] + "|" + piece
        else:
            cells.append(piece)
    return cells
