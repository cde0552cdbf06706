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
