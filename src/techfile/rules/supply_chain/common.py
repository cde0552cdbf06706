"""Small helpers the SC rules share: the references their findings cite (from
data/supply-chain.yaml), the text and dates in front-matter values, and the placeholders
that count as nothing filled in."""

from __future__ import annotations

import datetime
import functools
import re
from typing import Any

from techfile.data.registry import load_data
from techfile.model.document import Item
from techfile.rules.base import Context
from techfile.rules.columns import column

PLACEHOLDERS = frozenset(
    {"", "-", "\u2013", "\u2014", "n/a", "na", "tbd", "tbc", "todo", "unknown", "?", "none", "..."}
)
EXAMPLES = 3  # components named in a message before "…"


# ------------------------------------------------------------------------------ references


@functools.cache
def _references() -> dict[str, str]:
    data = load_data("supply-chain.yaml")
    return {str(k): str(v) for k, v in data["references"].items()}


def _ref(ctx: Context, topic: str) -> str:
    """A reference for a finding's clause: `IEC 62304:2006+AMD1:2015 8.1.2`, or the text."""
    text = _references()[topic]
    parsed = ctx.clauses.parse(text)
    if parsed is not None and parsed.family is not None and ctx.clauses.lookup(parsed):
        return ctx.clauses.display(parsed)
    return text


# ------------------------------------------------------------------------------ fixes


def _cell(item: Item, *fields: str) -> str:
    """Where the item records the fields: `its "Version" cell` (`its "Name" and "Version"
    cells`) in a table row, `its `version`` in front-matter or a data file."""
    if item.source != "table":
        return f"its {_and([f'`{field}`' for field in fields])}"
    headers = _and([column(field) for field in fields])
    return f"its {headers} cell{'s' if len(fields) > 1 else ''}"


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _column(item: Item, *fields: str, existing: bool = False) -> str:
    """Where a list records a field for every item: `a "Version" column` (`an "Anomaly review
    date" or "Last verified at" column`; `the "Version" column` when it exists) in a table,
    ``version`` (``a` or `b``) in front-matter or a data file."""
    if item.source != "table":
        return " or ".join(f"`{field}`" for field in fields)
    headers = " or ".join(column(field) for field in fields)
    article = "the" if existing else "an" if headers[1:2] in "AEIOU" else "a"
    return f"{article} {headers} column"


# ------------------------------------------------------------------------------ values


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def _filled(value: Any) -> bool:
    if isinstance(value, list):
        return any(_filled(v) for v in value)
    if isinstance(value, dict):
        return any(_filled(v) for v in value.values())
    text = _text(value)
    return text is not None and text.casefold() not in PLACEHOLDERS


_DAY_FIRST = re.compile(r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})")  # 23.10.2020, 3. 1. 2021
_YEAR_FIRST = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")  # 2020-10-23, 2020/10/23


def _as_date(value: Any) -> datetime.date | None:
    """A date as written in front-matter or a table: YYYY-MM-DD (also with `/` or `.`, and a
    time after it), or day first with dots as in German-speaking countries (23.10.2020). Dates
    with slashes and the year last (10/23/2020) are read in no way: the order is ambiguous."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    if match := _YEAR_FIRST.match(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DAY_FIRST.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
    else:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None
