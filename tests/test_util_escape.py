"""Hostile text stays inert in terminals, CI logs, Markdown and XML."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from techfile.util.escape import (
    for_markdown_code,
    for_terminal,
    for_xml,
    neutralise_line_start,
)

HOSTILE = [
    "::error::x",
    "##[error]x",
    "\x1b]8;;http://evil\x07link\x1b]8;;\x07",
    "\x1b[31mred",
    "\x07",
    "\u009b",
    "a\n::set-output name=x::y",
    "a\r::warning::y",
    "  \t::add-mask::secret",
    "\u2028::error::x",
    "x ##[group]y",
    "x##vso[task.setvariable variable=a]b",
    "x##VSO[task.complete]",
    "###[error]",
    "`",
    "``a``",
    "a`b``c```",
    " `code` ",
    "![img](http://x)",
    "[link](http://x)",
    "<http://x>",
    '<a href="http://x">y</a>',
    "<img src=x onerror=alert(1)>",
    "| [link](http://x) |",
    "x\\|[link](http://x)\\|",
    "\x00\x0b\ufffe",
    "\ud800",
    "\udcff tail",
    "\u202eevil\u202c",
    "&amp; &#x3c; ]]> \"'",
    "",
    "   ",
]

# every character a terminal may act on, as for_terminal promises to escape them
_TERMINAL_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"
)
_ANY_TEXT = st.text(st.characters(exclude_categories=()))
_MARKDOWN = MarkdownIt("commonmark").enable("table")


def _visible(char: str) -> str:
    named = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
    if char in named:
        return named[char]
    return f"\\x{ord(char):02x}" if ord(char) <= 0xFF else f"\\u{ord(char):04x}"


def _is_xml_char(char: str) -> bool:
    code = ord(char)
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def _from_first_visible(line: str) -> str:
    """Stricter than the runners, which trim only whitespace before looking for `::`."""
    blank = [char.isspace() or not char.isprintable() for char in line]
    return line[blank.index(False) :] if False in blank else ""


def _assert_no_workflow_command(text: str) -> None:
    for line in text.splitlines():
        assert not _from_first_visible(line).startswith("::"), line
    assert "##[" not in text
    assert "##vso[" not in text.lower()


def _assert_terminal_safe(shown: str) -> None:
    assert _TERMINAL_CONTROL.search(shown) is None, repr(shown)
    assert len(shown.splitlines()) <= 1
    shown.encode("utf-8")  # printable on a UTF-8 stream: no lone surrogate left
    _assert_no_workflow_command(shown)


def _code_span_text(markdown: str) -> str:
    """The text of the single code span `markdown` renders to; fails on anything else."""
    rendered = _MARKDOWN.render(markdown)
    whole = re.fullmatch(r"<p><code>([^<]*)</code></p>\n", rendered)
    assert whole is not None, rendered
    return html.unescape(whole[1])


def _table_cell_text(cell: str) -> str:
    rendered = _MARKDOWN.render(f"| head | tail |\n| --- | --- |\n| {cell} | end |\n")
    body = rendered.split("<tbody>", 1)[1]
    cells = re.findall(r"<td>(.*?)</td>", body, flags=re.DOTALL)
    assert len(cells) == 2 and cells[1] == "end", rendered
    code = re.fullmatch(r"<code>([^<]*)</code>", cells[0])
    assert code is not None, rendered
    return html.unescape(code[1])


def _xml_round_trip(text: str) -> tuple[str, str]:
    escaped = for_xml(text)
    element = ET.fromstring(f"<a b=\"{escaped}\" c='{escaped}'>{escaped}</a>")
    assert element.get("b") == element.get("c")
    return element.get("b") or "", element.text or ""


@pytest.mark.parametrize("text", HOSTILE)
def test_terminal_output_has_no_controls_or_commands(text: str) -> None:
    _assert_terminal_safe(for_terminal(text))


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b[31mred", "\\x1b[31mred"),
        ("\x1b]8;;http://evil\x07link", "\\x1b]8;;http://evil\\x07link"),
        ("\u009b", "\\x9b"),
        ("a\n::set-output name=x::y", "a\\n::set-output name=x::y"),
        ("tab\there", "tab\\there"),
        ("::error::x", ":\\:error::x"),
        ("  ::error::x", "  :\\:error::x"),
        ("##[error]x", "#\\#[error]x"),
        ("a ##vso[task]", "a #\\#vso[task]"),
        ("\ud800", "\\ud800"),
        ("\u202eevil", "\\u202eevil"),
        ("plain REQ-012 ü € C:\\dir", "plain REQ-012 ü € C:\\dir"),
    ],
)
def test_terminal_escapes_are_visible(text: str, shown: str) -> None:
    assert for_terminal(text) == shown


def test_neutralise_line_start_treats_every_line_and_keeps_colours() -> None:
    composed = "ok \x1b[1mbold\x1b[0m\n  ::error::x\n##[group]y\r::warning::z"
    neutralised = neutralise_line_start(composed)
    _assert_no_workflow_command(neutralised)
    assert "\x1b[1mbold\x1b[0m" in neutralised
    assert neutralised.splitlines()[0] == "ok \x1b[1mbold\x1b[0m"
    assert neutralise_line_start("a::b ## [c]") == "a::b ## [c]"


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_code_renders_as_one_code_span(text: str) -> None:
    markdown = for_markdown_code(text)
    assert "\n" not in markdown
    expected = for_terminal(text) or " "
    assert _code_span_text(markdown) == expected


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_code_in_a_table_stays_in_its_cell(text: str) -> None:
    expected = for_terminal(text) or " "
    assert _table_cell_text(for_markdown_code(text, in_table=True)) == expected


def test_markdown_fence_outgrows_the_longest_backtick_run() -> None:
    assert for_markdown_code("a``b") == "```a``b```"
    assert for_markdown_code("`x`") == "`` `x` ``"
    assert for_markdown_code("[link](http://x)") == "`[link](http://x)`"


@pytest.mark.parametrize("text", HOSTILE)
def test_xml_parses_and_keeps_what_xml_can_hold(text: str) -> None:
    attribute, content = _xml_round_trip(text)
    expected = "".join(c if _is_xml_char(c) else _visible(c) for c in text)
    assert attribute == content == expected


def test_xml_keeps_tabs_and_line_ends_in_attributes() -> None:
    attribute, content = _xml_round_trip("a\tb\nc\r\nd")
    assert attribute == content == "a\tb\nc\r\nd"


@given(_ANY_TEXT)
def test_any_text_is_terminal_safe(text: str) -> None:
    _assert_terminal_safe(for_terminal(text))


@given(_ANY_TEXT)
def test_any_text_is_one_markdown_code_span(text: str) -> None:
    expected = for_terminal(text) or " "
    assert _code_span_text(for_markdown_code(text)) == expected
    assert _table_cell_text(for_markdown_code(text, in_table=True)) == expected


@given(_ANY_TEXT)
def test_any_text_is_valid_xml(text: str) -> None:
    attribute, content = _xml_round_trip(text)
    expected = "".join(c if _is_xml_char(c) else _visible(c) for c in text)
    assert attribute == content == expected


@given(st.lists(_ANY_TEXT, max_size=5))
def test_any_composed_lines_carry_no_workflow_command(lines: list[str]) -> None:
    _assert_no_workflow_command(neutralise_line_start("\n".join(lines)))
