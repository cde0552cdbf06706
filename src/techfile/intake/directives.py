"""`techfile:` directives in comments: suppressions and table markers.

Directives are found line by line so that they work whether or not the body is parsed;
lines inside fenced code blocks are skipped, because examples of directives are not
directives.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")
_HTML_DIRECTIVE = re.compile(r"<!--\s*techfile:\s*(?P<body>.*?)\s*-->")
_YAML_DIRECTIVE = re.compile(r"#\s*techfile:\s*(?P<body>.*)$")
_VERB = re.compile(
    r"(?P<verb>[A-Za-z][\w-]*)\s*(?:\[(?P<codes>[^\]]*)\])?\s*(?P<rest>.*)", re.DOTALL
)
_REASON = re.compile(r"""reason\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')""")
_ITEMS = re.compile(r"items\s*=\s*(?P<name>[\w-]+)")


@dataclass(frozen=True, slots=True)
class Directive:
    verb: str  # ignore | disable-file | items | anything else (reported as unknown)
    codes: tuple[str, ...]
    reason: str | None
    line: int  # where the directive is written
    target_line: int  # the line it applies to
    argument: str | None = None  # list name for `items=`


def fenced_lines(lines: list[str]) -> set[int]:
    """0-based indexes of lines inside (or delimiting) fenced code blocks."""
    inside: set[int] = set()
    fence: str | None = None
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if fence is None:
            if match and not (match.group(1)[0] == "`" and "`" in match.group(2)):
                fence = match.group(1)
                inside.add(index)
            continue
        inside.add(index)
        closes = match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence)
        if closes and match and not match.group(2).strip():
            fence = None
    return inside


def find_directives(text: str, front_matter_end: int) -> list[Directive]:
    """Directives in a whole file. Lines up to `front_matter_end` (1-based) are YAML."""
    if "techfile:" not in text:
        return []
    lines = text.split("\n")
    skipped = fenced_lines(lines[front_matter_end:])
    found: list[Directive] = []
    for index, line in enumerate(lines):
        in_yaml = index < front_matter_end
        if not in_yaml and (index - front_matter_end) in skipped:
            continue
        if "techfile:" not in line:
            continue
        found.extend(_parse_line(lines, index, in_yaml))
    return found


def _parse_line(lines: list[str], index: int, in_yaml: bool) -> Iterator[Directive]:
    line = lines[index]
    pattern = _YAML_DIRECTIVE if in_yaml else _HTML_DIRECTIVE
    for match in pattern.finditer(line):
        verb_match = _VERB.match(match.group("body"))
        if verb_match is None:
            continue
        verb = verb_match.group("verb").lower()
        rest = verb_match.group("rest")
        codes_text = verb_match.group("codes") or ""
        codes = tuple(code.strip().upper() for code in codes_text.split(",") if code.strip())
        reason_match = _REASON.search(rest)
        reason = None
        if reason_match:
            reason = (reason_match.group("dq") or reason_match.group("sq") or "").strip() or None
        argument = None
        if verb == "items" or verb.startswith("items="):
            items = _ITEMS.search(match.group("body"))
            verb, argument = "items", items.group("name") if items else None
        standalone = line[: match.start()].strip() == "" and line[match.end() :].strip() == ""
        target = _next_content_line(lines, index) if standalone else index + 1
        yield Directive(verb, codes, reason, index + 1, target, argument)


def _next_content_line(lines: list[str], index: int) -> int:
    for following in range(index + 1, len(lines)):
        text = lines[following].strip()
        if text and "techfile:" not in text:
            return following + 1
    return index + 1
