"""The values of SBOM JSON fields as the readers want them: text that is there, lists that
are lists, names of entities, dates. Anything else is None or empty, never an error."""

from __future__ import annotations

import datetime
import re
from typing import Any


def list_of(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def text_of(value: Any) -> str | None:
    """A string with something in it, stripped; otherwise None."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def name_of(value: Any) -> str | None:
    """The `name` of an organisation or person object."""
    return text_of(value.get("name")) if isinstance(value, dict) else None


def has_name(value: Any) -> bool:
    return name_of(value) is not None


def first_name(value: Any) -> str | None:
    """The first `name` in a list of organisation or person objects."""
    if isinstance(value, list):
        for entry in value:
            name = name_of(entry)
            if name:
                return name
    return None


def date_of(value: Any) -> datetime.date | None:
    """The date a timestamp starts with (`2024-05-01T...`)."""
    if not isinstance(value, str):
        return None
    match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if not match:
        return None
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
