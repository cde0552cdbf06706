"""YAML scalars and Markdown tables written exactly as the generated documents need them."""

from __future__ import annotations

import json
import re

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 .,_/()+'&:-]*")
_RESERVED = {"yes", "no", "true", "false", "on", "off", "null", "y", "n"}


def ys(value: str) -> str:
    """A YAML scalar for a string: plain where no YAML reader could misread it, else quoted."""
    if (
        _PLAIN.fullmatch(value)
        and ": " not in value
        and not value.endswith(":")
        and value.lower() not in _RESERVED
    ):
        return value
    return json.dumps(value, ensure_ascii=False)


def flow(values: list[str]) -> str:
    """A YAML flow sequence of quoted strings."""
    return "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in values) + "]"


def table(headers: list[str], rows: list[list[str]], marker: str | None = None) -> str:
    """A Markdown table, preceded by a `techfile: items=` comment when `marker` names a list."""
    out = []
    if marker:
        out.append(f"<!-- techfile: items={marker} -->")
    out.append("| " + " | ".join(headers) + " |")
    out.append("|" + "---|" * len(headers))
    for row in rows:
        out.append("| " + " | ".join(c.replace("|", "/") for c in row) + " |")
    return "\n".join(out)


def yn(value: bool) -> str:
    return "Yes" if value else "No"


def wrap(text: str, width: int = 98) -> str:
    """Text broken into lines of at most `width` characters at spaces."""
    words = text.split()
    lines: list[str] = []
    line = ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return "\n".join(lines)
