"""The top-level headings of a Markdown body read line by line, without parsing it: ATX headings
(`# Title`) and setext headings (`Title` underlined with `===` for level 1, `---` for level 2).

A setext underline is a heading only where CommonMark says so: under an open paragraph. So a
`---` after a blank line is a thematic break, `---` under a one-column table header is the
table's delimiter row, a paragraph ends at a list item, quote, fence, HTML block, table or
heading, and a line that lazily continues a quote or list item is not underlined. The result
is what markdown-it (which parses the bodies of the types whose tables techfile reads) finds at
the top level (tests/test_precision_adopt.py compares the two on generated bodies); headings
inside lists and quotes are not titles and are not reported. Known difference, in no real file
seen: an indented line lazily after a nested quote (`> > text`). Line by line keeps a body
that is not parsed cheap: adopt reads every Markdown file, and a check every unclassified one.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from techfile.intake.gfm_rows import CELL_SPACE, delimiter_columns, row_cells

_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*))?")
_ATX_CLOSE = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
_UNDERLINE = re.compile(r" {0,3}(=+|-+)[ \t]*")
_THEMATIC_BREAK = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")
_QUOTE = re.compile(r" {0,3}> ?(.*)")
_LIST_ITEM = re.compile(r"( {0,3})(?:[-+*]|(\d{1,9})[.)])(?:([ \t]+)(.*))?")
_TITLE = r"""(?:[ \t]+(?:"[^"]*"|'[^']*'|\([^)]*\)))?[ \t]*"""
_DESTINATION = r"[ \t]*(?:<[^<>]*>|\S+)"
_REFERENCE = re.compile(r" {0,3}\[[^\]]+\]:" + _DESTINATION + _TITLE)
_REFERENCE_LABEL = re.compile(r" {0,3}\[[^\]]+\]:[ \t]*")  # its destination on the next line
_REFERENCE_REST = re.compile(_DESTINATION + _TITLE)
_DIRECTIVE = re.compile(r"\s*<!--\s*techfile:.*-->\s*")  # parse_body takes these out too
_BLOCK_STARTS = frozenset("#-*_+`~><[0123456789") | {""}
Heading = tuple[int, str, int]  # (level, text, file line)
Found = tuple[int, str, int] | None  # (level, text, 0-based line of the body)


def scan_headings(body: str, body_line: int) -> tuple[Heading, ...]:
    """Every top-level ATX and setext heading that has text."""
    return tuple(_headings(body, body_line))


def first_h1(body: str, body_line: int) -> tuple[str, int] | None:
    """The text and file line of the first top-level level-1 heading (ATX or setext)."""
    for level, text, line in _headings(body, body_line):
        if level == 1:
            return text, line
    return None


def _headings(body: str, body_line: int) -> Iterator[Heading]:
    scan = _Scan(body.split("\n"))
    for index, line in enumerate(scan.lines):
        found = scan.feed(index, line)
        if found is not None and found[1]:
            yield found[0], found[1], body_line + found[2]


def _indent(line: str) -> int:
    """Columns of leading white space, tabs to the next multiple of four."""
    spaces = len(line) - len(line.lstrip(" "))
    if line[spaces : spaces + 1] != "\t":
        return spaces
    column = 0
    for char in line:
        if char == " ":
            column += 1
        elif char == "\t":
            column += 4 - column % 4
        else:
            break
    return column


def _atx(line: str) -> tuple[int, str] | None:
    match = _ATX.fullmatch(line) if "#" in line[:4] else None
    if match is None:
        return None
    text = _ATX_CLOSE.sub("", (match.group(2) or "").strip(" \t"))
    return len(match.group(1)), text.strip()


def _plain(line: str, table_header: bool = True) -> bool:
    """The line can only be text (or a table row): it starts with no character a block starts
    with, and has no `|` to be a table header where one could start."""
    return line.lstrip(" \t")[:1] not in _BLOCK_STARTS and not (table_header and "|" in line)


def _fence(line: str) -> str | None:
    """The marker of the code fence the line opens (an info string of a backtick fence has no
    backtick), None if it opens none."""
    match = _FENCE.fullmatch(line) if "```" in line or "~~~" in line else None
    if match is None or (match.group(1)[0] == "`" and "`" in match.group(2)):
        return None
    return match.group(1)


def _html_end(line: str, interrupting: bool) -> re.Pattern[str] | None:
    """The end of the HTML block the line opens, None if it opens none (markdown-it's rule)."""
    text = line.lstrip(" ")
    if not text.startswith("<") or _indent(line) >= 4:
        return None
    for opening, closing, can_interrupt in _html_sequences():
        if opening.search(text):
            return closing if (can_interrupt or not interrupting) else None
    return None


@functools.cache
def _html_sequences() -> list[tuple[re.Pattern[str], re.Pattern[str], bool]]:
    """markdown-it's HTML block openings and closings (imported when first needed)."""
    from markdown_it.rules_block.html_block import HTML_SEQUENCES

    return HTML_SEQUENCES


def _table_start(lines: list[str], index: int, block_indent: int = 0) -> bool:
    """Line `index` is a GFM table header: its next line, indented to the block, is a delimiter
    row of as many columns (markdown-it's table rule, as `techfile.intake.markdown` reads
    tables)."""
    if index + 1 >= len(lines) or "|" not in lines[index]:
        return False
    header = lines[index]
    if not block_indent <= _indent(lines[index + 1]) < block_indent + 4:
        return False
    columns = delimiter_columns(lines[index + 1].strip(" \t"))
    cells = row_cells(header.strip(CELL_SPACE))
    return columns is not None and bool(cells) and len(cells) == columns


def _opens_paragraph(line: str) -> bool:
    """What a quote or list item line holds, markers taken off, is paragraph text."""
    while True:
        quote = _QUOTE.match(line)
        item = None if quote else _LIST_ITEM.fullmatch(line)
        if quote is not None:
            line = quote.group(1)
        elif item is not None:
            if _gap(item) > 4:
                return False  # indented code in the item
            line = item.group(4) or ""
        else:
            break
    if not line.strip(" \t") or _indent(line) >= 4 or _REFERENCE.fullmatch(line):
        return False
    blocks = _atx(line) or _THEMATIC_BREAK.fullmatch(line) or _fence(line)
    return not blocks and _html_end(line, False) is None


@dataclass
class _Scan:
    """The open top-level block as the lines go by."""

    lines: list[str]
    paragraph: list[str] = field(default_factory=list)
    opened: int = 0  # the line the paragraph opened on
    lazy: bool = False  # a quote or list item ends in a paragraph: plain lines continue it
    table: bool = False
    skipped: int = -1  # a table's delimiter row, a reference's destination line
    html_end: re.Pattern[str] | None = None
    fence: str | None = None
    fence_indent: int = 0  # a fence in a list item ends with the item
    list_indent: int | None = None  # the content column of the list the lines are in
    item_indent: int = 0  # the content column of the innermost list item
    empty_item: bool = False
    quoted: bool = False  # the lazy text is a quote's paragraph

    def feed(self, index: int, line: str) -> Found:
        if self.fence is not None:
            if not self._fence_ends(line):
                return None
            if _indent(line) >= self.fence_indent:
                return None  # the closing fence
        if self.html_end is not None:
            if self.html_end.search(line.lstrip(" \t")):
                self.html_end = None
            return None
        if index == self.skipped or _DIRECTIVE.fullmatch(line):
            return None
        if not line.strip(" \t"):
            self.paragraph, self.lazy, self.table = [], False, False
            self.list_indent = None if self.empty_item else self.list_indent
            return None
        if self._in_list(index, line):
            return None
        if self.paragraph:
            return self._in_paragraph(index, line)
        if self.table and not self._ends(index, line, "table"):
            return None
        if self.lazy and self._continues_quote(line):
            return None
        if self.lazy and not self._ends(index, line, "container"):
            return None
        self.lazy = self.table = False
        return self._start(index, line)

    def _continues_quote(self, line: str) -> bool:
        """A quote line that goes on with the quote's open paragraph (or closes it)."""
        quote = _QUOTE.match(line)
        if not self.quoted or quote is None:
            return False
        content = quote.group(1)
        if not content.strip(" \t"):
            self.lazy = False
        elif self._ends(index=None, line=content, block="paragraph"):
            self.lazy = _opens_paragraph(content)
        return True

    def _fence_ends(self, line: str) -> bool:
        """The line closes the open fence, or (in a list item) is outside the item."""
        relative = _indent(line) - self.fence_indent
        closing = _FENCE.fullmatch(line.lstrip(" \t"))
        fence = self.fence or ""
        closes = (
            closing is not None
            and 0 <= relative < 4
            and closing.group(1)[0] == fence[0]
            and len(closing.group(1)) >= len(fence)
            and not closing.group(2).strip(" \t")
        )
        if closes or (relative < 0 and line.strip(" \t")):
            self.fence = None
            return True
        return False

    def _in_list(self, index: int, line: str) -> bool:
        """The line belongs to the list item before it (indented to its content)."""
        if self.list_indent is None:
            return False
        if _indent(line) >= self.list_indent:
            content = " " * (_indent(line) - self.list_indent) + line.lstrip(" \t")
            self.paragraph, self.table, self.empty_item = [], False, False
            if _fence(content):
                self.fence, self.fence_indent, self.lazy = _fence(content), self.list_indent, False
            elif self.lazy and _indent(line) >= self.item_indent and _UNDERLINE.fullmatch(content):
                self.lazy = False  # the item's paragraph became a heading
            elif not self.lazy or self._ends(index, content, "container"):
                self.lazy = _opens_paragraph(content)
                item = _LIST_ITEM.fullmatch(content)
                self.item_indent = self.list_indent + (_content_column(item) if item else 0)
            return True
        content = line.lstrip(" \t")  # blocks end the item at any indent short of its content
        deep_item = _indent(line) >= 4 and _LIST_ITEM.fullmatch(content)
        if not self.lazy or (not deep_item and self._ends(index, content, "container")):
            self.list_indent, self.lazy = None, False
            return False
        return True  # lazy text of the item's paragraph

    def _in_paragraph(self, index: int, line: str) -> Found:
        underline = _UNDERLINE.fullmatch(line)
        if underline is not None:
            text = "\n".join(self.paragraph).strip()  # markdown-it's content, lines as written
            self.paragraph = []
            return (1 if underline.group(1)[0] == "=" else 2), text, self.opened
        if not self._ends(index, line, "paragraph"):
            self.paragraph.append(line)
            return None
        self.paragraph = []
        return self._start(index, line)

    def _ends(self, index: int | None, line: str, block: str) -> bool:
        """The line ends the open paragraph, table or quote/list text: a heading, break,
        fence, quote, list item, HTML block, or (a paragraph) table. A list item ends a
        paragraph only with text, an ordered one only from 1."""
        if _indent(line) >= 4:
            return block == "table"
        if _plain(line, table_header=block != "table"):
            return False
        if _atx(line) or _THEMATIC_BREAK.fullmatch(line) or _fence(line) or _QUOTE.match(line):
            return True
        if _html_end(line, interrupting=True) is not None:
            return True
        item = _LIST_ITEM.fullmatch(line)
        if item is not None:
            text = (item.group(4) or "").strip(" \t")
            return block != "paragraph" or (bool(text) and item.group(2) in (None, "1"))
        if index is None or block == "table" or (block == "container" and not self.list_indent):
            return False
        return _table_start(self.lines, index, self.item_indent if block == "container" else 0)

    def _start(self, index: int, line: str) -> Found:
        """The block a line opens when no paragraph, table or quote/list text is open."""
        if _indent(line) >= 4:
            return None  # indented code
        if _plain(line):
            self.paragraph, self.opened = [line], index
            return None
        heading = _atx(line)
        if heading is not None:
            return (*heading, index)
        self.fence, self.fence_indent = _fence(line), 0
        if self.fence or _THEMATIC_BREAK.fullmatch(line) or self._reference(index, line):
            return None
        self.html_end = _html_end(line, interrupting=False)
        if self.html_end is not None:
            if self.html_end.search(line.lstrip(" ")):
                self.html_end = None  # the block ends on its first line
        elif _QUOTE.match(line) or _LIST_ITEM.fullmatch(line):
            self._container(line)
        elif _table_start(self.lines, index):
            self.table, self.skipped = True, index + 1
        else:
            self.paragraph, self.opened = [line], index
        return None

    def _reference(self, index: int, line: str) -> bool:
        """A link reference definition (`[label]: destination "title"`) is no paragraph."""
        if _REFERENCE.fullmatch(line):
            return True
        following = self.lines[index + 1] if index + 1 < len(self.lines) else ""
        ends = self._ends(index + 1, following, "reference")
        if _REFERENCE_LABEL.fullmatch(line) and _REFERENCE_REST.fullmatch(following) and not ends:
            self.skipped = index + 1
            return True
        return False

    def _container(self, line: str) -> None:
        item = _LIST_ITEM.fullmatch(line)
        self.quoted = item is None
        if item is not None:
            content = item.group(4) or ""
            self.list_indent = self.item_indent = _content_column(item)
            self.empty_item = not content.strip(" \t")
            if _fence(content):
                self.fence, self.fence_indent = _fence(content), self.list_indent
        self.lazy = _opens_paragraph(line)


def _content_column(item: re.Match[str]) -> int:
    """The column a list item's content starts at: after the marker and one to four spaces
    (one when more, or when the item is empty)."""
    marker_end = item.end(2) + 1 if item.group(2) else len(item.group(1)) + 1
    gap = _gap(item)
    return marker_end + (gap if 1 <= gap <= 4 and item.group(4) else 1)


def _gap(item: re.Match[str]) -> int:
    """The columns of white space after a list marker, tabs counted from the marker's end."""
    marker_end = item.end(2) + 1 if item.group(2) else len(item.group(1)) + 1
    return _indent(" " * marker_end + (item.group(3) or "")) - marker_end
