"""Markup shared by the sections of the HTML report: escaping, column widths and legends.

Every text that comes from the technical file goes through `escape`; nothing from a document
is ever markup.
"""

from __future__ import annotations

from collections.abc import Iterable

from techfile.report.words import STATE_WORDS

DASH = "\u2014"


def escape(text: object) -> str:
    """Escape text for HTML content and attribute values."""
    return (
        str(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
    )


def columns(*widths: int) -> str:
    cols = "".join(f'<col style="width:{w}%">' for w in widths)
    return f"<colgroup>{cols}</colgroup>"


def legend(items: Iterable[tuple[str, str]]) -> str:
    entries = "".join(
        f'<li><span class="state-label {state}">{escape(STATE_WORDS[state])}</span>'
        f"{escape(text)}</li>"
        for state, text in items
    )
    return f'<ul class="legend">{entries}</ul>'


def page(title: str, tool_version: str, css: str, body: list[str]) -> str:
    """One self-contained HTML document (report, overlap, pack): `title` is escaped here,
    `body` is markup the caller escaped."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="techfile {escape(tool_version)}">',
        f"<title>{escape(title)}</title>",
        f"<style>\n{css}</style>",
        "</head>",
        "<body>",
        "<main>",
        *body,
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"
