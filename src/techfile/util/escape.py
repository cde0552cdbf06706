r"""Make text from the checked-out tree safe to show in each output family.

Ids, titles and file names come from a pull request, so they may carry terminal escape
sequences, CI workflow commands, Markdown links or characters XML cannot hold. The functions
here turn such text into something that shows what was there without acting on it.

Dangerous characters become visible escapes in Python notation (`\x1b`, `\n`, `\u202e`) so a
reader can see what the file contains. Backslashes are left alone, so the result is for
display and cannot be decoded back unambiguously.
"""

from __future__ import annotations

import re

_NAMED_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
_BIDI_CONTROLS = (*range(0x202A, 0x202F), *range(0x2066, 0x206A))  # can reorder what is shown
_LINE_SEPARATORS = (0x2028, 0x2029)  # some viewers break lines on them
_SURROGATES = range(0xD800, 0xE000)  # from undecodable file names; unencodable on output

# GitHub's runner finds `##[command]` anywhere in a line and Azure Pipelines finds `##vso[`
# anywhere too, while `::command::` only counts at the start of a line after leading
# whitespace is trimmed -- so a prefixed space would not help there.
_HASH_COMMAND = re.compile(r"#(?=#(?:\[|vso\[))", re.IGNORECASE)
_COLON_COMMAND = "::"
_MARKER = "\\"  # visible, not whitespace (survives trimming) and breaks the marker apart


def _visible(char: str) -> str:
    if char in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def _table(codes: list[int]) -> dict[int, str]:
    return {code: _visible(chr(code)) for code in codes}


_TERMINAL_UNSAFE = [
    *range(0x00, 0x20),
    0x7F,
    *range(0x80, 0xA0),
    *_BIDI_CONTROLS,
    *_LINE_SEPARATORS,
    *_SURROGATES,
]
_TERMINAL_TABLE = _table(_TERMINAL_UNSAFE)


def for_terminal(text: str) -> str:
    """One line of display text with every control character shown as an escape.

    Covers C0 controls (newline and tab included, as the result is one field of one line),
    DEL, C1 controls, bidirectional overrides, line separators and lone surrogates, so no
    ANSI or OSC sequence can reach the terminal. CI workflow commands are broken apart too,
    since a field may end up at the start of a line.
    """
    return neutralise_line_start(text.translate(_TERMINAL_TABLE))


def neutralise_line_start(line: str) -> str:
    """Break CI workflow commands in an already composed line so runners do not obey them.

    A backslash goes inside the marker: `::error::x` becomes `:\\:error::x` and `##[error]`
    becomes `#\\#[error]`. Every line of a multi-line string is treated. Control characters
    are left alone so a caller's own colouring survives; escape fields with for_terminal.
    """
    return "".join(_neutralise_one_line(part) for part in line.splitlines(keepends=True))


def _neutralise_one_line(line: str) -> str:
    line = _HASH_COMMAND.sub(lambda found: found[0] + _MARKER, line)
    start = _first_visible_index(line)
    if line.startswith(_COLON_COMMAND, start):
        return line[: start + 1] + _MARKER + line[start + 1 :]
    return line


def _first_visible_index(line: str) -> int:
    """Runners trim leading whitespace; treat anything blank or invisible as trimmable."""
    for index, char in enumerate(line):
        if char.isprintable() and not char.isspace():
            return index
    return len(line)


def for_markdown_code(text: str, *, in_table: bool = False) -> str:
    """Attacker text as one Markdown inline code span: no links, images, HTML or line breaks.

    The fence is one backtick longer than the longest backtick run inside, so the text can
    never close the span early. In a GFM table cell a `|` would still split the row (and
    could start a new cell holding a link), so pass in_table=True there: pipes are then
    written as `\\|`, which tables turn back into `|` even inside code.
    """
    shown = for_terminal(text)
    if in_table:
        shown = shown.replace("|", "\\|")
    if not shown:
        return "` `"  # an empty span would be read as a run of backticks
    fence = "`" * (_longest_backtick_run(shown) + 1)
    if _needs_padding(shown):
        shown = f" {shown} "  # CommonMark strips exactly one space from each side
    return f"{fence}{shown}{fence}"


def _longest_backtick_run(text: str) -> int:
    runs = re.findall(r"`+", text)
    return max((len(run) for run in runs), default=0)


def _needs_padding(text: str) -> bool:
    if text.strip(" ") == "":
        return False  # all-space content is kept as it is
    return text[0] in "` " or text[-1] in "` "


_XML_INVALID = [
    *(code for code in range(0x00, 0x20) if chr(code) not in "\t\n\r"),
    *_SURROGATES,
    0xFFFE,
    0xFFFF,
]
_XML_TABLE = {
    **_table(_XML_INVALID),
    # character references keep tabs and line ends through attribute-value normalisation
    ord("\t"): "&#9;",
    ord("\n"): "&#10;",
    ord("\r"): "&#13;",
    ord("&"): "&amp;",
    ord("<"): "&lt;",
    ord(">"): "&gt;",
    ord('"'): "&quot;",
    ord("'"): "&apos;",
}


def for_xml(text: str) -> str:
    """Any str as XML 1.0 text or attribute content (quoted with either quote character).

    Characters XML 1.0 cannot hold at all (C0 controls other than tab, newline and carriage
    return; U+FFFE and U+FFFF; lone surrogates) become visible escapes such as `\\x00`.
    """
    return text.translate(_XML_TABLE)


def shown(text: str) -> str:
    """`text` as one inert field of a terminal or CI log line (stdout and stderr alike)."""
    if text.isprintable() and "::" not in text and "##" not in text:
        return text  # nothing to escape: the common case, and a large run has many fields
    return for_terminal(text)
