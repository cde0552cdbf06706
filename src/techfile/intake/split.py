"""Find the YAML front-matter block of a Markdown file, exactly.

python-frontmatter's `load()` silently returns an empty mapping for several malformed
inputs (an unterminated block, a BOM before `---`), so the boundary is found here and
every malformed case becomes a finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from techfile.model.diagnostics import Diagnostic

_OPEN = re.compile(r"---[ \t]*")
_CLOSE = re.compile(r"(?:---|\.\.\.)[ \t]*")
_KEY_LINE = re.compile(r"[A-Za-z_][\w-]*:(?:[ \t]|$)")
_YAML_CONTINUATION = re.compile(r"(?:[ \t]+\S|-[ \t]|#|$)")
MAX_HEADERLESS_LINES = 200


@dataclass(frozen=True, slots=True)
class Split:
    front_matter: str | None  # YAML text, or None when the file has no front-matter
    front_matter_line: int  # file line of the first YAML line
    body: str
    body_line: int  # file line of the first body line
    diagnostic: Diagnostic | None = None


def split_front_matter(text: str) -> Split:
    first_end = text.find("\n")
    first = text if first_end < 0 else text[:first_end]
    if not _OPEN.fullmatch(first):
        return _headerless(text)
    lines = text.split("\n")
    for index in range(1, len(lines)):
        if _CLOSE.fullmatch(lines[index]):
            yaml_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return Split(yaml_text, 2, body, index + 2)
    return Split(
        None,
        0,
        text,
        1,
        Diagnostic(
            "FM002",
            "the front-matter opened with `---` on line 1 is never closed",
            line=1,
            why="techfile read nothing from this block, so no rule checked the document, and "
            "other Markdown tools show the block as text or drop it.",
            fix="Add a line `---` after the last key.",
        ),
    )


def _late_opening(text: str) -> Split | None:
    """Front-matter whose `---` comes after blank lines: read it, and say it is misplaced."""
    stripped = text.lstrip(" \t\n")
    blank_lines = text[: len(text) - len(stripped)].count("\n")
    if blank_lines == 0 or not stripped.startswith("---"):
        return None
    inner = split_front_matter(stripped)
    first_key = next((line for line in (inner.front_matter or "").split("\n") if line.strip()), "")
    if inner.front_matter is None or not _KEY_LINE.match(first_key):
        return None  # a thematic break, not front-matter
    return Split(
        inner.front_matter,
        inner.front_matter_line + blank_lines,
        inner.body,
        inner.body_line + blank_lines,
        Diagnostic(
            "FM013",
            f"the front-matter opens on line {blank_lines + 1}, after blank lines",
            line=blank_lines + 1,
            why="techfile read the block, but most tools show it as text and see a document "
            "without an id, type or approval.",
            fix="Remove the blank lines above `---`.",
        ),
    )


def _headerless(text: str) -> Split:
    """Front-matter written without its opening `---` (as strongdm comply does): key lines
    from line 1 up to a `---` line. Anything else is a body without front-matter."""
    late = _late_opening(text)
    if late is not None:
        return late
    lines = text.split("\n", MAX_HEADERLESS_LINES + 1)[:MAX_HEADERLESS_LINES]
    if not lines or not _KEY_LINE.match(lines[0]):
        return Split(None, 0, text, 1)
    for index, line in enumerate(lines):
        if _OPEN.fullmatch(line):
            parts = text.split("\n", index + 1)
            body = parts[index + 1] if len(parts) > index + 1 else ""
            return Split(
                "\n".join(lines[:index]),
                1,
                body,
                index + 2,
                Diagnostic(
                    "FM013",
                    "the front-matter has no opening `---` on line 1",
                    line=1,
                    why=f"techfile read lines 1-{index} as front-matter, but most tools will "
                    "not, and see a document without an id, type or approval.",
                    fix="Add `---` as the first line.",
                ),
            )
        if not (_KEY_LINE.match(line) or _YAML_CONTINUATION.match(line)):
            return Split(None, 0, text, 1)
    return Split(None, 0, text, 1)
