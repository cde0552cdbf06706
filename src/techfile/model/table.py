"""A Markdown table as read from a document: header, rows with their file lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARKUP = re.compile(r"\*\*|__|`|<(?!br)[^>]+>")


@dataclass(frozen=True, slots=True)
class Table:
    line: int  # file line of the header row
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # (file line, raw cell texts)
    path: str | None = None  # the file the rows are in, when not the document (a CSV file)


def clean_cell(text: str) -> str:
    """Remove emphasis, code and HTML markup from a cell, keeping links intact."""
    return " ".join(_MARKUP.sub("", text).split())
