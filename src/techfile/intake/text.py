"""Turn a file's bytes into text with editor line numbers, or say why that is impossible."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from techfile.model.diagnostics import Diagnostic

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str | None
    diagnostic: Diagnostic | None = None


def decode(data: bytes) -> Decoded:
    """Decode UTF-8 (with or without BOM) and normalise line ends to `\\n`.

    UTF-16/32 and binary content are refused with FM009 rather than guessed at: git,
    diff tools and most Markdown renderers treat them as binary too.
    """
    if data.startswith(_UTF32_BOMS):
        return Decoded(None, _encoding_problem("UTF-32", 1))
    if data.startswith(_UTF16_BOMS) or _looks_like_utf16(data):
        return Decoded(None, _encoding_problem("UTF-16", 1))
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    nul = data.find(b"\0")
    if nul >= 0:
        line, _ = _position(data, nul)
        return Decoded(
            None,
            Diagnostic(
                "FM009",
                "the file contains a NUL byte, so it is binary rather than Markdown text",
                line=line,
                why="techfile skipped the file, so no rule checked it, and git and review tools "
                "cannot show its changes line by line.",
                fix="Convert its content to Markdown saved as UTF-8, or keep the file outside "
                "the files techfile reads.",
            ),
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position(data, exc.start)
        return Decoded(
            None,
            Diagnostic(
                "FM009",
                f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x} at line {line})",
                line=line,
                why="techfile does not guess another encoding, because a wrong guess changes "
                "the text; it skipped the file, so no rule checked it.",
                fix="Save the file as UTF-8 so reviewers and techfile read the same text.",
                column=column,
            ),
        )
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Decoded(text)


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """Editor line and column (in characters) of a byte offset; CRLF, LF and CR all end lines."""
    prefix = data[:offset]
    line = prefix.count(b"\n") + prefix.count(b"\r") - prefix.count(b"\r\n") + 1
    start = max(prefix.rfind(b"\n"), prefix.rfind(b"\r")) + 1
    column = len(prefix[start:].decode("utf-8", errors="replace")) + 1
    return line, column


def _looks_like_utf16(data: bytes) -> bool:
    """UTF-16 without a BOM: every other byte of ASCII text is zero."""
    head = data[:64]
    if len(head) < 4:
        return False
    zeros_even = head[0::2].count(0)
    zeros_odd = head[1::2].count(0)
    half = len(head) // 2
    return zeros_even >= half * 0.9 or zeros_odd >= half * 0.9


def _encoding_problem(encoding: str, line: int) -> Diagnostic:
    return Diagnostic(
        "FM009",
        f"the file is encoded as {encoding}, not UTF-8",
        line=line,
        why="techfile reads UTF-8 only, so it skipped the file, and git and review tools treat "
        "it as binary.",
        fix="Re-save the file as UTF-8.",
        key=(encoding,),
    )
